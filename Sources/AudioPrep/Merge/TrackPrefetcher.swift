/// Runs one channel's timeline (decode → downmix → resample → placement) on its own thread,
/// a few blocks ahead of the merge loop, so that the two tracks decode on two cores while the
/// caller quantizes and encodes. Memory is fixed: `depth` blocks of `blockFrames` samples.
final class TrackPrefetcher: @unchecked Sendable {
    private let condition = ConditionLock()
    private let timeline: any ChannelBlockSource
    private let blockFrames: Int
    private var remaining: Int64
    private var free: [UnsafeMutableBufferPointer<Float>]
    private var ready: [(buffer: UnsafeMutableBufferPointer<Float>, count: Int)] = []
    private var failure: AudioPrepError?
    private var stopped = false
    private var all: [UnsafeMutableBufferPointer<Float>]

    /// Starts the worker thread at once.
    init(timeline: any ChannelBlockSource, blockFrames: Int, totalFrames: Int64, depth: Int = 4) {
        self.timeline = timeline
        self.blockFrames = blockFrames
        self.remaining = totalFrames
        all = (0..<depth).map { _ in .allocate(capacity: blockFrames) }
        free = all
        DetachedThread.start(name: "callprep-track") { [self] in self.produce() }
    }

    deinit {
        for buffer in all { buffer.deallocate() }
    }

    /// The next block (exactly `min(blockFrames, frames left)` samples). Pass it back to
    /// `recycle(_:)` once read.
    func next() throws(AudioPrepError) -> UnsafeMutableBufferPointer<Float> {
        condition.lock()
        defer { condition.unlock() }
        while ready.isEmpty {
            if let failure { throw failure }
            condition.wait()
        }
        let block = ready.removeFirst()
        return UnsafeMutableBufferPointer(rebasing: block.buffer[0..<block.count])
    }

    /// Returns a block from `next()` for reuse.
    func recycle(_ block: UnsafeMutableBufferPointer<Float>) {
        condition.lock()
        free.append(UnsafeMutableBufferPointer(start: block.baseAddress, count: blockFrames))
        condition.broadcast()
        condition.unlock()
    }

    /// Stops the worker after its current block (on an error or cancellation elsewhere).
    func stop() {
        condition.lock()
        stopped = true
        condition.broadcast()
        condition.unlock()
    }

    private func produce() {
        while true {
            condition.lock()
            while free.isEmpty, !stopped { condition.wait() }
            if stopped || remaining == 0 {
                condition.unlock()
                return
            }
            let buffer = free.removeLast()
            let count = Int(min(Int64(blockFrames), remaining))
            remaining -= Int64(count)
            condition.unlock()

            var error: AudioPrepError?
            do throws(AudioPrepError) {
                try timeline.fill(UnsafeMutableBufferPointer(rebasing: buffer[0..<count]))
            } catch let caught {
                error = caught
            }

            condition.lock()
            if let error {
                failure = error
                condition.broadcast()
                condition.unlock()
                return
            }
            ready.append((buffer, count))
            condition.broadcast()
            condition.unlock()
        }
    }
}
