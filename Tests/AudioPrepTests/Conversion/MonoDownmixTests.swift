import AudioPrep
import Testing

@Suite struct MonoDownmixTests {
    @Test func stereoIsTheAverageOfBothSides() throws {
        let left: [Float] = (0..<5000).map { Float($0 % 300) / 32768 }
        let right: [Float] = (0..<5000).map { -Float($0 % 77) / 32768 }
        let interleaved = zip(left, right).flatMap { [$0, $1] }
        let downmix = MonoDownmix(source: ArraySource(samples: interleaved, rate: 16000, channels: 2, maxFramesPerRead: 333))
        var output: [Float] = []
        let buffer = UnsafeMutableBufferPointer<Float>.allocate(capacity: 1024)
        defer { buffer.deallocate() }
        while true {
            let got = try downmix.read(into: buffer)
            if got == 0 { break }
            output += buffer[0..<got]
        }
        #expect(output.count == 5000)
        #expect(output == zip(left, right).map { ($0 + $1) / 2 })
    }

    @Test func monoPassesThroughAndDualMonoStaysExact() throws {
        let samples: [Float] = (0..<3000).map { Float(Int($0 * 37 % 65536) - 32768) / 32768 }
        for channels in [1, 2] {
            let interleaved = samples.flatMap { [Float](repeating: $0, count: channels) }
            let downmix = MonoDownmix(source: ArraySource(samples: interleaved, rate: 8000, channels: channels))
            let buffer = UnsafeMutableBufferPointer<Float>.allocate(capacity: 4096)
            defer { buffer.deallocate() }
            var output: [Float] = []
            while true {
                let got = try downmix.read(into: buffer)
                if got == 0 { break }
                output += buffer[0..<got]
            }
            #expect(output == samples)
        }
    }
}
