import AudioPrep
import Testing

@Suite struct SignalMeterTests {
    /// The vectorized 16-bit path measures what the Float path measures on the same samples.
    @Test(arguments: [1, 3, 4, 1023, 1024, 1025, 40_001])
    func sixteenBitPathMatchesTheFloatPath(frames: Int) {
        var state: UInt64 = UInt64(frames)
        var samples = [Int16](repeating: 0, count: frames * 2)
        for index in 0..<frames {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            let left = Int16(truncatingIfNeeded: state >> 48)
            samples[2 * index] = left
            samples[2 * index + 1] = index % 3 == 0 ? left : Int16(truncatingIfNeeded: state >> 20) / 4
        }
        if frames > 10 {
            samples[2 * (frames / 2)] = .min  // full-scale negative on the left
            samples[2 * (frames / 3) + 1] = .max
        }
        var fast = SignalMeter(channels: 2)
        // Two calls, so the totals carry across blocks.
        let split = frames / 2
        samples.withUnsafeBufferPointer { buffer in
            fast.add(interleaved16: UnsafeBufferPointer(rebasing: buffer[0..<(2 * split)]), frames: split)
            fast.add(interleaved16: UnsafeBufferPointer(rebasing: buffer[(2 * split)...]), frames: frames - split)
        }
        var reference = SignalMeter(channels: 2)
        let floats = samples.map { Float($0) / 32768 }
        floats.withUnsafeBufferPointer { reference.add(interleaved: $0, frames: frames) }
        let a = fast.stats
        let b = reference.stats
        #expect(a.frames == Int64(frames))
        #expect(a.peak == b.peak)
        for channel in 0..<2 {
            #expect(abs(a.rms[channel] - b.rms[channel]) <= 1e-5 * b.rms[channel])
        }
        if let fastDB = a.channelDifferenceDB, let referenceDB = b.channelDifferenceDB {
            #expect(abs(fastDB - referenceDB) < 0.001)
        } else {
            #expect(a.channelDifferenceDB == nil && b.channelDifferenceDB == nil)
        }
    }

    @Test func silenceAndIdenticalChannels() {
        var silent = SignalMeter(channels: 2)
        let zeros = [Int16](repeating: 0, count: 2 * 5000)
        zeros.withUnsafeBufferPointer { silent.add(interleaved16: $0, frames: 5000) }
        #expect(silent.stats.peak == [0, 0])
        #expect(silent.stats.rms == [0, 0])
        var twin = SignalMeter(channels: 2)
        let same = (0..<10_000).map { Int16(($0 / 2) % 2000 - 1000) }
        same.withUnsafeBufferPointer { twin.add(interleaved16: $0, frames: 5000) }
        #expect(twin.stats.channelDifferenceDB! < -200)
        #expect(twin.stats.peak == [1000.0 / 32768, 1000.0 / 32768])
    }
}
