/// Fixed-size buffers handed between threads and used again instead of being freed.
///
/// The FLAC encoder passes each filled segment to a worker (planar `Int32`) and to the MD5 queue
/// (`Int16`), and fills fresh buffers meanwhile. Allocating those fresh each time (256–512 KiB,
/// above glibc's mmap threshold, freed on another thread) gave every segment new zero pages: a
/// 60-minute 48 kHz merge took 91,000 page faults, 88 % of them in the copy into new buffers, plus
/// the unmaps' TLB shootdowns on the other core. Buffers taken from here keep their pages.
///
/// At most as many buffers exist as were ever out at once (bounded by the encoder's in-flight
/// limits); all are freed when the pool is released, which happens only after every holder has
/// given its buffer back, since holders keep the pool alive.
final class BufferPool<Element>: @unchecked Sendable {
    /// Elements per buffer.
    let capacity: Int
    private let lock = ConditionLock()
    private var free: [UnsafeMutableBufferPointer<Element>] = []

    init(capacity: Int) {
        self.capacity = capacity
    }

    deinit {
        for buffer in free { buffer.deallocate() }
    }

    /// A buffer of `capacity` elements, uninitialized or holding a previous user's values.
    func take() -> UnsafeMutableBufferPointer<Element> {
        lock.lock()
        let reused = free.popLast()
        lock.unlock()
        return reused ?? .allocate(capacity: capacity)
    }

    /// Returns a buffer obtained from `take()` for reuse. (Elements are trivial types here:
    /// nothing is deinitialized.)
    func give(_ buffer: UnsafeMutableBufferPointer<Element>) {
        precondition(buffer.count == capacity, "a buffer from another pool")
        lock.lock()
        free.append(buffer)
        lock.unlock()
    }
}
