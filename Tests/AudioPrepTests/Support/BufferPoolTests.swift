@testable import AudioPrep
import Testing

@Suite struct BufferPoolTests {
    /// A buffer given back is the next one taken (its pages stay mapped); a new one is allocated
    /// only when none is free, and values written before giving back are still there.
    @Test func reusesGivenBuffersBeforeAllocating() {
        let pool = BufferPool<Int32>(capacity: 1000)
        let first = pool.take()
        let second = pool.take()
        #expect(first.count == 1000 && second.count == 1000)
        #expect(first.baseAddress != second.baseAddress)
        first[999] = 42
        pool.give(first)
        let again = pool.take()
        #expect(again.baseAddress == first.baseAddress)
        #expect(again[999] == 42)
        let third = pool.take()
        #expect(third.baseAddress != first.baseAddress && third.baseAddress != second.baseAddress)
        pool.give(again)
        pool.give(second)
        pool.give(third)
    }
}
