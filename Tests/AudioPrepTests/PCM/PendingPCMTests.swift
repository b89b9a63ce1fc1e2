import Testing
@testable import AudioPrep

@Suite struct PendingPCMTests {
    /// Silence first, then samples, delivered exactly across drains of any size.
    @Test(arguments: [1, 2, 3, 7, 100])
    func drainsSilenceThenSamplesInOrder(capacityPerCall: Int) {
        var queue = PendingPCM(channels: 2)
        queue.silenceFrames = 3
        queue.samples = [1, -1, 2, -2, 3, -3, 4, -4]
        queue.index = 2  // the first frame was already delivered
        var out: [Float] = []
        var buffer = [Float](repeating: 99, count: capacityPerCall * 2)
        while true {
            let n = buffer.withUnsafeMutableBufferPointer { queue.drain(into: $0.baseAddress!, capacity: capacityPerCall) }
            out += buffer[0..<(n * 2)]
            if n < capacityPerCall { break }
        }
        #expect(out == [0, 0, 0, 0, 0, 0, 2, -2, 3, -3, 4, -4])
        #expect(queue.silenceFrames == 0)
        #expect(queue.index == queue.samples.count)
    }

    @Test func resetKeepsNothingOfTheLastBlock() {
        var queue = PendingPCM(channels: 1)
        queue.samples = [1, 2, 3]
        queue.index = 1
        queue.resetSamples()
        #expect(queue.samples.isEmpty && queue.index == 0)
        var buffer = [Float](repeating: 9, count: 4)
        #expect(buffer.withUnsafeMutableBufferPointer { queue.drain(into: $0.baseAddress!, capacity: 4) } == 0)
    }
}
