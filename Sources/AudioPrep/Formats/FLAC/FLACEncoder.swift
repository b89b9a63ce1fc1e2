import CallPrepJSON
import Crypto
import Dispatch

/// Writes a 2-channel, 16-bit FLAC file with VORBIS_COMMENT and SEEKTABLE, encoding on several
/// cores at once.
///
/// libFLAC 1.4.2 (Debian 12) encodes on one thread only. FLAC frames are independent, so the
/// stream is cut into segments of a whole number of blocks (`blocksPerSegment × blockSize`
/// frames); each segment is encoded by its own libFLAC stream encoder on a worker thread
/// (`FLACSegmentEncoder`), its frames are renumbered to their place in the whole stream with
/// fresh CRC-8/CRC-16 (`FLACFrameRenumbering`), and the segments are written in order. This
/// type writes the metadata itself: STREAMINFO (block sizes, min/max frame size over all
/// frames, total samples, and the MD5 of the whole stream's samples, computed here as they
/// arrive), VORBIS_COMMENT, and a SEEKTABLE whose offsets come from the stitched stream. The
/// header is laid out from `totalFrames` up front and patched in place at `finish()`.
///
/// The cut points do not depend on the thread count, so the bytes are the same for 1 or N
/// threads. Memory is bounded: at most `threads + 1` segments are in flight.
public final class FLACEncoder {
    private let output: AtomicOutputFile
    private let settings: FLACStreamSettings
    private let blocksPerSegment: Int
    private let segmentFrames: Int
    /// The segment being filled, widened for libFLAC and planar: left in the first
    /// `segmentFrames` values, right in the next.
    private var current: UnsafeMutableBufferPointer<Int32>
    /// The same samples as 16-bit little-endian values, handed to the MD5 hasher whole.
    private var current16: UnsafeMutableBufferPointer<Int16>
    private var currentFrames = 0
    /// The MD5 of the samples, updated in order on its own serial queue (it is the one
    /// sequential step left, so it runs beside the producer instead of on it).
    private let md5 = StreamMD5()
    /// The planar segment buffers (`current`, and those the workers hold) and the 16-bit ones
    /// (`current16`, and those the MD5 queue holds), used again segment after segment.
    private let planarBuffers: BufferPool<Int32>
    private let sampleBuffers: BufferPool<Int16>
    private var framesAppended: Int64 = 0
    private var segmentsDispatched = 0
    private var segmentsWritten = 0
    private let results = SegmentResults()
    /// Segments allowed to be dispatched but not yet written.
    private let maxInFlight: Int
    /// `settings.threads` threads of its own that encode the segments.
    private let workers: WorkerThreads

    // Header layout and stitched-stream statistics.
    private let headerLength: Int
    private let streamInfoOffset = 8
    private let seekTableOffset: Int
    private let seekFrameIndices: [Int64]
    private var seekOffsets: [UInt64]
    private var nextSeekPoint = 0
    private var streamBytes: UInt64 = 0
    private var flacFrames: Int64 = 0
    private var minFrameSize = Int.max
    private var maxFrameSize = 0
    private var finished = false

    /// Starts a stream in `output` and writes its (provisional) header.
    ///
    /// - Parameter blocksPerSegment: blocks per independently encoded segment (16 × 4096 frames
    ///   ≈ 1.4 s at 48 kHz: big enough to amortise an encoder's start, small enough to keep
    ///   memory low and both cores busy).
    public init(output: AtomicOutputFile, settings: FLACStreamSettings, blocksPerSegment: Int = 16) throws(AudioPrepError) {
        guard (1...655_350).contains(settings.sampleRate) else {
            throw AudioPrepError(.invalidArgument, "FLAC cannot store a sample rate of \(settings.sampleRate) Hz.")
        }
        guard settings.totalFrames > 0, settings.totalFrames < (1 << 36) else {
            throw AudioPrepError(.invalidArgument, "FLAC cannot store a stream of \(settings.totalFrames) frames.")
        }
        guard (16...65535).contains(settings.blockSize), (0...8).contains(settings.compressionLevel) else {
            throw AudioPrepError(.invalidArgument, "invalid FLAC block size or compression level.")
        }
        self.output = output
        self.settings = settings
        self.blocksPerSegment = max(1, blocksPerSegment)
        self.segmentFrames = self.blocksPerSegment * settings.blockSize
        self.planarBuffers = BufferPool(capacity: segmentFrames * 2)
        self.sampleBuffers = BufferPool(capacity: segmentFrames * 2)
        self.current = planarBuffers.take()
        self.current16 = sampleBuffers.take()
        self.maxInFlight = max(1, settings.threads) + 1
        self.workers = WorkerThreads(count: settings.threads, name: "callprep-flac")

        var frames: [Int64] = []
        let interval = Int64(max(1, settings.seekPointInterval)) * Int64(settings.sampleRate)
        var target: Int64 = 0
        while target < settings.totalFrames {
            let frame = target / Int64(settings.blockSize)
            if frames.last != frame { frames.append(frame) }
            target += interval
        }
        seekFrameIndices = frames
        seekOffsets = [UInt64](repeating: 0, count: frames.count)

        let vorbis = FLACMetadataBlocks.vorbisComment(vendor: settings.vendor, comments: settings.comments)
        seekTableOffset = 4 + 4 + 34 + 4 + vorbis.count
        headerLength = seekTableOffset + 4 + frames.count * FLACMetadataBlocks.seekPointSize
        var header = Array("fLaC".utf8)
        header += FLACMetadataBlocks.header(type: FLACMetadataBlocks.streamInfoType, length: 34, isLast: false)
        header += FLACMetadataBlocks.streamInfo(
            blockSize: settings.blockSize, minFrameSize: 0, maxFrameSize: 0, sampleRate: settings.sampleRate,
            totalFrames: settings.totalFrames, md5: [])
        header += FLACMetadataBlocks.header(type: FLACMetadataBlocks.vorbisCommentType, length: vorbis.count, isLast: false)
        header += vorbis
        header += seekTable()
        try output.write(header)
    }

    deinit {
        // Workers may still be encoding after an error or a cancellation; they own their inputs
        // and exit once the queue is empty.
        workers.shutDown()
        planarBuffers.give(current)
        sampleBuffers.give(current16)
    }

    /// Appends interleaved left/right 16-bit samples.
    public func append(_ interleaved: UnsafeBufferPointer<Int16>) throws(AudioPrepError) {
        precondition(!finished, "append after finish")
        var offset = 0
        let frames = interleaved.count / 2
        guard framesAppended + Int64(frames) <= settings.totalFrames else {
            throw AudioPrepError(.internalError, "more frames were appended than the stream was announced with.")
        }
        while offset < frames {
            let take = min(frames - offset, segmentFrames - currentFrames)
            let source = interleaved.baseAddress! + offset * 2
            let left = current.baseAddress! + currentFrames
            let right = left + segmentFrames
            for frame in 0..<take {
                left[frame] = Int32(source[2 &* frame])
                right[frame] = Int32(source[2 &* frame &+ 1])
            }
            (current16.baseAddress! + currentFrames * 2).update(from: source, count: take * 2)
            currentFrames += take
            offset += take
            if currentFrames == segmentFrames {
                try dispatchCurrent()
            }
        }
        framesAppended += Int64(frames)
    }

    /// Encodes what is left, waits for all segments, writes them, and patches STREAMINFO and
    /// SEEKTABLE. Fails if fewer frames than announced were appended. Does not commit `output`.
    public func finish() throws(AudioPrepError) -> FLACStreamSummary {
        precondition(!finished, "finish called twice")
        finished = true
        guard framesAppended == settings.totalFrames else {
            throw AudioPrepError(
                .internalError,
                "the stream was announced with \(settings.totalFrames) frames but \(framesAppended) arrived.")
        }
        if currentFrames > 0 { try dispatchCurrent() }
        while segmentsWritten < segmentsDispatched {
            try writeNext()
        }
        workers.shutDown()
        let digest = md5.finalize()
        var streamInfo = FLACMetadataBlocks.streamInfo(
            blockSize: settings.blockSize, minFrameSize: minFrameSize == .max ? 0 : minFrameSize,
            maxFrameSize: maxFrameSize, sampleRate: settings.sampleRate, totalFrames: settings.totalFrames, md5: digest)
        try output.write(streamInfo, at: Int64(streamInfoOffset))
        streamInfo.removeAll()
        try output.write(seekTable(), at: Int64(seekTableOffset))
        return FLACStreamSummary(
            frames: framesAppended, bytes: Int64(headerLength) + Int64(streamBytes),
            md5: NumberText.hex(digest), flacFrames: Int(flacFrames))
    }

    private func seekTable() -> [UInt8] {
        var bytes = FLACMetadataBlocks.header(
            type: FLACMetadataBlocks.seekTableType, length: seekFrameIndices.count * FLACMetadataBlocks.seekPointSize,
            isLast: true)
        for (index, frame) in seekFrameIndices.enumerated() {
            let first = frame * Int64(settings.blockSize)
            let samples = min(Int64(settings.blockSize), settings.totalFrames - first)
            bytes += FLACMetadataBlocks.seekPoint(sample: UInt64(first), offset: seekOffsets[index], samples: Int(samples))
        }
        return bytes
    }

    /// Hashes the filled segment, hands it to a worker, and writes whatever is ready.
    private func dispatchCurrent() throws(AudioPrepError) {
        md5.update(taking: current16, count: currentFrames * 2, from: sampleBuffers)
        current16 = sampleBuffers.take()

        // Bound memory: write (waiting for) the oldest segment until a slot is free.
        while segmentsDispatched - segmentsWritten >= maxInFlight {
            try writeNext()
        }
        let segment = current
        let frames = currentFrames
        current = planarBuffers.take()
        currentFrames = 0
        let index = segmentsDispatched
        segmentsDispatched += 1
        let firstFrameNumber = UInt64(index) * UInt64(blocksPerSegment)
        let settings = settings
        let results = results
        let job = SegmentJob(samples: segment, pool: planarBuffers, capacity: segmentFrames, frames: frames)
        workers.submit {
            results.store(index: index, result: job.run(settings: settings, firstFrameNumber: firstFrameNumber))
        }
        try writeReady()
    }

    private func writeReady() throws(AudioPrepError) {
        while segmentsWritten < segmentsDispatched, results.isReady(index: segmentsWritten) {
            try writeNext()
        }
    }

    /// Writes the next segment in order, waiting for its worker if needed.
    private func writeNext() throws(AudioPrepError) {
        let result = results.take(index: segmentsWritten)
        segmentsWritten += 1
        let segment: FLACEncodedSegment
        switch result {
        case .success(let value): segment = value
        case .failure(let error): throw error
        }
        for size in segment.frameSizes {
            if nextSeekPoint < seekFrameIndices.count, seekFrameIndices[nextSeekPoint] == flacFrames {
                seekOffsets[nextSeekPoint] = streamBytes
                nextSeekPoint += 1
            }
            minFrameSize = min(minFrameSize, size)
            maxFrameSize = max(maxFrameSize, size)
            streamBytes += UInt64(size)
            flacFrames += 1
        }
        try output.write(segment.bytes)
    }
}

/// One segment's samples (planar: left in `0..<capacity`, right in `capacity..<2 × capacity`),
/// owned by the worker that encodes them, and given back to `pool` when the job is released.
private final class SegmentJob: @unchecked Sendable {
    private let samples: UnsafeMutableBufferPointer<Int32>
    private let pool: BufferPool<Int32>
    private let capacity: Int
    private let frames: Int

    init(samples: UnsafeMutableBufferPointer<Int32>, pool: BufferPool<Int32>, capacity: Int, frames: Int) {
        self.samples = samples
        self.pool = pool
        self.capacity = capacity
        self.frames = frames
    }

    deinit { pool.give(samples) }

    func run(settings: FLACStreamSettings, firstFrameNumber: UInt64) -> Result<FLACEncodedSegment, AudioPrepError> {
        do throws(AudioPrepError) {
            let encoder = try FLACSegmentEncoder(settings: settings, frames: frames)
            try encoder.encode(left: samples.baseAddress!, right: samples.baseAddress! + capacity, frames: frames)
            var segment = try encoder.finish()
            if firstFrameNumber > 0 {
                var renumbered = [UInt8]()
                renumbered.reserveCapacity(segment.bytes.count + segment.frameSizes.count * 4)
                var sizes = [Int]()
                sizes.reserveCapacity(segment.frameSizes.count)
                var start = 0
                for (index, size) in segment.frameSizes.enumerated() {
                    let frame = segment.bytes.withUnsafeBytes { raw in
                        Result { () throws(AudioPrepError) in
                            try FLACFrameRenumbering.renumber(
                                UnsafeRawBufferPointer(rebasing: raw[start..<(start + size)]), to: firstFrameNumber + UInt64(index))
                        }
                    }
                    let bytes = try frame.get()
                    renumbered += bytes
                    sizes.append(bytes.count)
                    start += size
                }
                segment = FLACEncodedSegment(bytes: renumbered, frameSizes: sizes)
            }
            return .success(segment)
        } catch {
            return .failure(error)
        }
    }
}

/// MD5 over the stream's samples as 16-bit little-endian integers (what FLAC's STREAMINFO
/// stores), computed on a serial queue in the order the segments were appended. At most
/// `maxPending` chunks wait to be hashed, so memory stays bounded if hashing falls behind.
private final class StreamMD5: @unchecked Sendable {
    private let queue = DispatchQueue(label: "callprep.flac-md5")
    private var hasher = Insecure.MD5()
    private let condition = ConditionLock()
    private var pending = 0
    private let maxPending = 4

    /// Hashes the first `count` samples of `samples` in the background, then gives the buffer
    /// back to `pool`. Int16 in memory is little-endian on every platform Swift runs on (x86-64,
    /// arm64).
    func update(taking samples: UnsafeMutableBufferPointer<Int16>, count: Int, from pool: BufferPool<Int16>) {
        let chunk = HashChunk(samples, count: count, pool: pool)
        condition.lock()
        while pending >= maxPending { condition.wait() }
        pending += 1
        condition.unlock()
        queue.async {
            self.hasher.update(bufferPointer: UnsafeRawBufferPointer(chunk.filled))
            chunk.release()
            self.condition.lock()
            self.pending -= 1
            self.condition.signal()
            self.condition.unlock()
        }
    }

    /// Waits for the queued chunks and returns the 16-byte digest.
    func finalize() -> [UInt8] {
        queue.sync { Array(hasher.finalize()) }
    }
}

/// One chunk of Int16 samples waiting to be hashed; holds its buffer until `release()`.
private final class HashChunk: @unchecked Sendable {
    private let samples: UnsafeMutableBufferPointer<Int16>
    private let pool: BufferPool<Int16>
    let filled: UnsafeBufferPointer<Int16>
    init(_ samples: UnsafeMutableBufferPointer<Int16>, count: Int, pool: BufferPool<Int16>) {
        self.samples = samples
        self.pool = pool
        filled = UnsafeBufferPointer(rebasing: samples[0..<count])
    }
    func release() { pool.give(samples) }
}

/// Finished segments by index, handed from workers to the writer.
private final class SegmentResults: @unchecked Sendable {
    private let condition = ConditionLock()
    private var finished: [Int: Result<FLACEncodedSegment, AudioPrepError>] = [:]

    func store(index: Int, result: Result<FLACEncodedSegment, AudioPrepError>) {
        condition.lock()
        finished[index] = result
        condition.broadcast()
        condition.unlock()
    }

    func isReady(index: Int) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        return finished[index] != nil
    }

    func take(index: Int) -> Result<FLACEncodedSegment, AudioPrepError> {
        condition.lock()
        defer { condition.unlock() }
        while finished[index] == nil { condition.wait() }
        return finished.removeValue(forKey: index)!
    }
}
