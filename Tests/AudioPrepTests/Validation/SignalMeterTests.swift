import AudioPrep
import Foundation
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
        let expected = Reference(interleaved: samples.map { Double($0) / 32768 }, channels: 2)
        expected.check(fast.stats, frames: frames)
    }

    /// The Float path (validate's) against sums in Double, mono and stereo, odd lengths.
    @Test(arguments: [(1, 1), (1, 7), (1, 8193), (1, 50_001), (2, 1), (2, 4097), (2, 30_011)])
    func floatPathMatchesDoubleSums(channels: Int, frames: Int) {
        var state: UInt64 = UInt64(frames * channels)
        let samples: [Float] = (0..<(frames * channels)).map { index in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            let value = Float(Int32(truncatingIfNeeded: state >> 32)) / 2_147_483_648
            return index % 5 == 0 ? value * 0.01 : value
        }
        var meter = SignalMeter(channels: channels)
        samples.withUnsafeBufferPointer { buffer in
            let split = frames / 3
            meter.add(interleaved: UnsafeBufferPointer(rebasing: buffer[0..<(split * channels)]), frames: split)
            meter.add(interleaved: UnsafeBufferPointer(rebasing: buffer[(split * channels)...]), frames: frames - split)
        }
        Reference(interleaved: samples.map(Double.init), channels: channels).check(meter.stats, frames: frames)
    }

    /// The statistics computed plainly, in Double, sample by sample.
    private struct Reference {
        var peak: [Float]
        var rms: [Double]
        var differenceDB: Double?

        init(interleaved: [Double], channels: Int) {
            let frames = interleaved.count / channels
            var peak = [Double](repeating: 0, count: channels)
            var squares = [Double](repeating: 0, count: channels)
            var difference = 0.0
            for frame in 0..<frames {
                for c in 0..<channels {
                    let s = interleaved[frame * channels + c]
                    peak[c] = max(peak[c], abs(s))
                    squares[c] += s * s
                }
                if channels == 2 {
                    let d = interleaved[2 * frame] - interleaved[2 * frame + 1]
                    difference += d * d
                }
            }
            self.peak = peak.map { Float($0) }
            rms = squares.map { ($0 / Double(max(frames, 1))).squareRoot() }
            if channels == 2 {
                let reference = max(squares[0], squares[1])
                differenceDB = reference > 0 ? 10 * log10(max(difference, 1e-30) / reference) : nil
            }
        }

        func check(_ stats: SignalStats, frames: Int) {
            #expect(stats.frames == Int64(frames))
            #expect(stats.peak == peak)
            for (measured, exact) in zip(stats.rms, rms) {
                #expect(abs(measured - exact) <= 1e-4 * exact)
            }
            if let db = stats.channelDifferenceDB, let exactDB = differenceDB {
                #expect(abs(db - exactDB) < 0.001)
            } else {
                #expect(stats.channelDifferenceDB == nil && differenceDB == nil)
            }
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

@Suite struct SignalMeterOtherLayoutsTests {
    /// Mono and three-channel 16-bit blocks are measured like the same values given as Float.
    @Test(arguments: [1, 3])
    func sixteenBitBlocksOfOtherLayoutsMatchTheFloatPath(channels: Int) {
        let frames = 9001
        var samples = (0..<(frames * channels)).map { Int16(truncatingIfNeeded: ($0 &* 7919) % 65536 - 32768) }
        for c in 0..<channels { samples[5 * channels + c] = .min }
        var sixteen = SignalMeter(channels: channels)
        samples.withUnsafeBufferPointer { sixteen.add(interleaved16: $0, frames: frames) }
        var float = SignalMeter(channels: channels)
        samples.map { Float($0) / 32768 }.withUnsafeBufferPointer { float.add(interleaved: $0, frames: frames) }
        // Same peaks; the sums may group differently (Float runs), so equal to 1e-6.
        #expect(sixteen.stats.peak == float.stats.peak)
        for (a, b) in zip(sixteen.stats.rms, float.stats.rms) {
            #expect(abs(a - b) <= 1e-6 * b)
        }
        #expect(sixteen.stats.frames == 9001)
        #expect(sixteen.stats.peak.allSatisfy { $0 == 1 })  // −32768 in every channel at frame 5
    }
}
