import Foundation
import Testing
@testable import AudioPrep

/// The native FLAC decoder against libFLAC's, sample for sample, over every coding choice
/// libFLAC's encoder makes (levels 0–8, widths 8–24, 1–8 channels, every stereo coding, LPC
/// orders up to 32 in 32- and 64-bit arithmetic, escape codes, wasted bits, constant and verbatim
/// subframes, block sizes 16…65,535), and its refusals of damaged frames.
@Suite struct NativeFLACDecoderTests {
    /// A signal in the signed range of `bits` whose character changes every 2,000 frames, so
    /// one file holds LPC, fixed, constant and verbatim subframes: a noisy sweep, digital
    /// silence, DC, full-scale noise, a square wave on both rails, quiet noise. With `wasted`,
    /// the low bits of every sample are zero.
    static func signal(frames: Int, channels: Int, bits: Int, seed: UInt64, wasted: Int = 0) -> [Int32] {
        var rng = SplitMix64(seed: seed)
        let highest = Double((Int64(1) << (bits - 1)) - 1)
        let lowest = -highest - 1
        var samples = [Int32](repeating: 0, count: frames * channels)
        for frame in 0..<frames {
            let section = (frame / 2000) % 6
            for channel in 0..<channels {
                let t = Double(frame) / 16000
                var value: Double
                switch section {
                case 0: value = 0.5 * highest * sin(2 * .pi * (200 + 40 * t * Double(channel + 1)) * t)
                    + Double.random(in: -0.01...0.01, using: &rng) * highest
                case 1: value = 0
                case 2: value = 0.25 * highest * Double(channel % 3 - 1)
                case 3: value = Double.random(in: lowest...highest, using: &rng)
                case 4: value = (frame / 37) % 2 == 0 ? highest : lowest
                default: value = Double.random(in: -0.001...0.001, using: &rng) * highest
                }
                var sample = Int64(max(lowest, min(highest, value.rounded())))
                sample = (sample >> wasted) << wasted
                samples[frame * channels + channel] = Int32(sample)
            }
        }
        return samples
    }

    /// Decodes `path` with both decoders and expects the same samples.
    static func expectSameAsLibFLAC(_ path: String, frames: Int, channels: Int) throws {
        let native = try FLACFileSource(path: path, frameDecoder: .fastest)
        let reference = try FLACFileSource(path: path, frameDecoder: .libFLAC)
        #expect(native.decodesNatively)
        #expect(!reference.decodesNatively)
        let ours = try FLACFileSourceTests.readAll(native, blockFrames: 3001)
        let theirs = try FLACFileSourceTests.readAll(reference, blockFrames: 4096)
        #expect(theirs.count == frames * channels)
        #expect(FLACFileSourceTests.firstDifference(ours, theirs) == nil)
    }

    static let cases: [TestFLACWriter.Settings] = {
        var cases: [TestFLACWriter.Settings] = []
        for level in 0...8 {
            cases.append(.init(bits: 16, channels: 2, level: level))
        }
        for bits in [8, 12, 16, 20, 24] {
            for channels in [1, 2, 5] {
                cases.append(.init(bits: bits, channels: channels, level: 8))
            }
        }
        cases += [
            // Orders above 12 (the batched kernel's limit) in 32-bit sums, and in 64-bit ones
            // (24 + 15 + ⌊log2 32⌋ > 32).
            .init(bits: 16, channels: 2, level: 8, maxLPCOrder: 32, precision: 15, exhaustive: true),
            .init(bits: 24, channels: 1, level: 8, maxLPCOrder: 32, precision: 15),
            .init(bits: 20, channels: 2, level: 8, maxLPCOrder: 12, precision: 15, midSide: true),
            .init(bits: 16, channels: 2, level: 5, escapeCoding: true),
            .init(bits: 16, channels: 2, level: 8, midSide: true),
            .init(bits: 16, channels: 2, level: 8, midSide: false),
            .init(bits: 16, channels: 1, level: 5, blockSize: 16),
            .init(bits: 16, channels: 2, level: 5, blockSize: 192),
            .init(bits: 16, channels: 2, level: 5, blockSize: 1152),
            .init(bits: 24, channels: 2, level: 5, blockSize: 4608),
            .init(bits: 16, channels: 8, level: 5, blockSize: 16384),
            .init(bits: 24, channels: 3, level: 8, blockSize: 65535),
        ]
        return cases
    }()

    @Test(arguments: cases)
    func decodesLikeLibFLAC(_ settings: TestFLACWriter.Settings) throws {
        let dir = try TestFiles.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let frames = settings.blockSize >= 16384 ? 150_007 : 24_007
        let path = dir.appendingPathComponent("test.flac").path
        let samples = Self.signal(frames: frames, channels: settings.channels, bits: settings.bits, seed: UInt64(settings.bits))
        try TestFLACWriter.write(samples, to: path, settings)
        try Self.expectSameAsLibFLAC(path, frames: frames, channels: settings.channels)
    }

    /// Samples whose low bits are all zero are coded with "wasted bits"; they come back shifted.
    @Test(arguments: [(16, 3), (24, 8), (12, 1)])
    func wastedBitsAreRestored(_ bits: Int, _ wasted: Int) throws {
        let dir = try TestFiles.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("wasted.flac").path
        let samples = Self.signal(frames: 12_000, channels: 2, bits: bits, seed: 9, wasted: wasted)
        try TestFLACWriter.write(samples, to: path, .init(bits: bits, channels: 2, level: 8))
        try Self.expectSameAsLibFLAC(path, frames: 12_000, channels: 2)
        let decoded = try FLACFileSourceTests.readAll(try FLACFileSource(path: path))
        let full = Float(1 << (bits - 1))
        #expect(zip(decoded, samples).allSatisfy { $0 * full == Float($1) })
    }

    /// A frame larger than the 128 KiB read buffer (8 channels × 65,535 samples of 24-bit noise,
    /// coded verbatim: about 1.5 MB) grows the buffer and decodes.
    @Test func aFrameLargerThanTheReadBufferDecodes() throws {
        let dir = try TestFiles.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("big.flac").path
        var rng = SplitMix64(seed: 5)
        let samples = (0..<(70_000 * 8)).map { _ in Int32.random(in: -8_388_608...8_388_607, using: &rng) }
        try TestFLACWriter.write(samples, to: path, .init(bits: 24, channels: 8, level: 0, blockSize: 65535))
        #expect(try FileManager.default.attributesOfItem(atPath: path)[.size] as! Int > 1_500_000)
        try Self.expectSameAsLibFLAC(path, frames: 70_000, channels: 8)
    }

    /// `call/agent.flac` with one byte changed at `offset` (past the metadata).
    static func damagedAgent(at offset: Int, in folder: URL, _ change: (UInt8) -> UInt8) throws -> String {
        try FLACFileSourceTests.editedAgentFLAC("damaged-\(offset).flac", in: folder) { data in
            var data = data
            data[offset] = change(data[offset])
            return data
        }
    }

    static func decodeFailure(_ path: String) -> AudioPrepError? {
        do {
            _ = try FLACFileSourceTests.readAll(try FLACFileSource(path: path))
            return nil
        } catch {
            return error as? AudioPrepError
        }
    }

    /// A changed byte inside a frame fails its CRC-16; one in a frame header its CRC-8; bytes that
    /// are not a frame where one should start are lost sync. Each names the damage.
    @Test func damageIsNamed() throws {
        let dir = try TestFiles.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let bytes = try Data(contentsOf: URL(fileURLWithPath: TestFiles.audio("call/agent.flac")))
        // Frame starts: the sync code 0xFFF8 followed by a header whose CRC-8 matches; take the
        // 20th frame so that earlier frames are delivered first.
        let opened = try FLACStreamDecoder(path: TestFiles.audio("call/agent.flac"))
        var offset = Int(opened.firstFrameOffset!)
        var frameStarts: [Int] = []
        while offset + 1 < bytes.count, frameStarts.count < 21 {
            if bytes[offset] == 0xFF, bytes[offset + 1] == 0xF8 { frameStarts.append(offset) }
            offset += 1
        }
        let frame = frameStarts[20]

        let body = try Self.damagedAgent(at: frame + 40, in: dir) { $0 ^ 0x10 }
        #expect(Self.decodeFailure(body)?.message.contains("does not match its checksum") == true)
        let header = try Self.damagedAgent(at: frame + 4, in: dir) { $0 ^ 0x01 }
        #expect(Self.decodeFailure(header)?.code == .decodeFailed)
        let sync = try Self.damagedAgent(at: frame, in: dir) { _ in 0x00 }
        #expect(Self.decodeFailure(sync)?.message.contains("lost sync") == true)
    }

    /// Random damage anywhere after the metadata never crashes or hangs the decoder: it either
    /// throws `.decodeFailed` or (a change CRC-16 cannot see is impossible within a frame, so only
    /// if the declared total ends before the damage) decodes.
    @Test func randomDamageIsRefusedNeverFatal() throws {
        let dir = try TestFiles.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let bytes = try Data(contentsOf: URL(fileURLWithPath: TestFiles.audio("call/agent.flac")))
        let first = Int(try FLACStreamDecoder(path: TestFiles.audio("call/agent.flac")).firstFrameOffset!)
        var rng = SplitMix64(seed: 77)
        for round in 0..<60 {
            var data = bytes
            for _ in 0..<(1 + round % 4) {
                let offset = Int.random(in: first..<data.count, using: &rng)
                data[offset] = UInt8.random(in: 0...255, using: &rng)
            }
            let url = dir.appendingPathComponent("fuzz.flac")
            try data.write(to: url)
            do {
                let source = try FLACFileSource(path: url.path)
                _ = try FLACFileSourceTests.readAll(source, blockFrames: 4096)
            } catch {
                #expect((error as? AudioPrepError)?.code == .decodeFailed, "round \(round): \(error)")
            }
        }
    }
}

/// FLAC streams written bit by bit, for the codings libFLAC's encoder never emits (escaped
/// Rice partitions, both parameter widths) or emits only when it pleases (every fixed order).
@Suite struct HandCodedFLACTests {
    /// Bits, most significant first.
    struct BitWriter {
        var bytes: [UInt8] = []
        var bitCount = 0

        mutating func write(_ value: UInt64, bits: Int) {
            for index in stride(from: bits - 1, through: 0, by: -1) {
                if bitCount % 8 == 0 { bytes.append(0) }
                if (value >> UInt64(index)) & 1 == 1 { bytes[bytes.count - 1] |= 0x80 >> UInt8(bitCount % 8) }
                bitCount += 1
            }
        }

        mutating func writeSigned(_ value: Int64, bits: Int) {
            write(UInt64(bitPattern: value) & ((1 << UInt64(bits)) - 1), bits: bits)
        }

        mutating func writeRice(_ value: Int64, parameter: Int) {
            let u = UInt64(value >= 0 ? 2 * value : -2 * value - 1)
            for _ in 0..<(u >> UInt64(parameter)) { write(0, bits: 1) }
            write(1, bits: 1)
            write(u & ((1 << UInt64(parameter)) - 1), bits: parameter)
        }

        mutating func alignToByte() {
            while bitCount % 8 != 0 { write(0, bits: 1) }
        }
    }

    /// How one partition of a residual is written.
    enum Partition {
        case rice(Int)
        /// Raw signed values of this many bits (0: all zero, nothing written).
        case escaped(Int)
    }

    /// One mono 16-bit subframe.
    enum Subframe {
        case constant(Int64)
        case verbatim(wasted: Int)
        case fixed(order: Int, method: Int, partitions: [Partition])
        case lpc(coefficients: [Int64], precision: Int, shift: Int, method: Int, partitions: [Partition])
    }

    static let blockSize = 64

    /// The prediction (before the shift, for LPC) of sample `i` from the samples before it.
    static func predict(_ subframe: Subframe, _ s: [Int64], _ i: Int) -> Int64 {
        switch subframe {
        case .fixed(let order, _, _):
            switch order {
            case 0: return 0
            case 1: return s[i - 1]
            case 2: return 2 * s[i - 1] - s[i - 2]
            case 3: return 3 * s[i - 1] - 3 * s[i - 2] + s[i - 3]
            default: return 4 * s[i - 1] - 6 * s[i - 2] + 4 * s[i - 3] - s[i - 4]
            }
        case .lpc(let coefficients, _, let shift, _, _):
            var sum: Int64 = 0
            for (j, c) in coefficients.enumerated() { sum += c * s[i - 1 - j] }
            return sum >> Int64(shift)
        default:
            return 0
        }
    }

    /// Writes `samples` (one block) as `subframe` into a frame numbered `number`.
    static func frame(_ samples: [Int64], _ subframe: Subframe, number: Int) -> [UInt8] {
        var w = BitWriter()
        w.write(0xFFF8, bits: 16)
        w.write(6, bits: 4)  // block size: 8 bits after the number
        w.write(0, bits: 4)  // rate: STREAMINFO's
        w.write(0, bits: 4)  // one channel
        w.write(4, bits: 3)  // 16 bits
        w.write(0, bits: 1)
        w.write(UInt64(number), bits: 8)
        w.write(UInt64(blockSize - 1), bits: 8)
        let header = w.bytes
        w.write(UInt64(header.withUnsafeBytes { FLACChecksums.crc8($0) }), bits: 8)

        w.write(0, bits: 1)
        switch subframe {
        case .constant(let value):
            w.write(0, bits: 6)
            w.write(0, bits: 1)
            w.writeSigned(value, bits: 16)
        case .verbatim(let wasted):
            w.write(1, bits: 6)
            w.write(1, bits: 1)
            for _ in 0..<(wasted - 1) { w.write(0, bits: 1) }
            w.write(1, bits: 1)
            for sample in samples { w.writeSigned(sample >> Int64(wasted), bits: 16 - wasted) }
        case .fixed(let order, let method, let partitions):
            w.write(UInt64(8 + order), bits: 6)
            w.write(0, bits: 1)
            for i in 0..<order { w.writeSigned(samples[i], bits: 16) }
            writeResidual(&w, samples, subframe, order: order, method: method, partitions: partitions)
        case .lpc(let coefficients, let precision, let shift, let method, let partitions):
            w.write(UInt64(31 + coefficients.count), bits: 6)
            w.write(0, bits: 1)
            for i in 0..<coefficients.count { w.writeSigned(samples[i], bits: 16) }
            w.write(UInt64(precision - 1), bits: 4)
            w.writeSigned(Int64(shift), bits: 5)
            for c in coefficients { w.writeSigned(c, bits: precision) }
            writeResidual(&w, samples, subframe, order: coefficients.count, method: method, partitions: partitions)
        }
        w.alignToByte()
        let crc = w.bytes.withUnsafeBytes { FLACChecksums.crc16($0) }
        w.write(UInt64(crc), bits: 16)
        return w.bytes
    }

    static func writeResidual(
        _ w: inout BitWriter, _ samples: [Int64], _ subframe: Subframe, order: Int, method: Int, partitions: [Partition]
    ) {
        w.write(UInt64(method), bits: 2)
        let partitionOrder = partitions.count.trailingZeroBitCount
        w.write(UInt64(partitionOrder), bits: 4)
        let size = blockSize / partitions.count
        let parameterBits = method == 0 ? 4 : 5
        for (index, partition) in partitions.enumerated() {
            let range = (index == 0 ? order : index * size)..<((index + 1) * size)
            let residuals = range.map { samples[$0] - predict(subframe, samples, $0) }
            switch partition {
            case .rice(let k):
                w.write(UInt64(k), bits: parameterBits)
                for r in residuals { w.writeRice(r, parameter: k) }
            case .escaped(let width):
                w.write((1 << UInt64(parameterBits)) - 1, bits: parameterBits)
                w.write(UInt64(width), bits: 5)
                if width > 0 { for r in residuals { w.writeSigned(r, bits: width) } }
            }
        }
    }

    /// A STREAMINFO block for mono 16-bit 16 kHz with `total` samples (the MD5 left unset).
    static func header(total: Int) -> [UInt8] {
        var w = BitWriter()
        w.write(0x664C_6143, bits: 32)  // "fLaC"
        w.write(0x80, bits: 8)  // last block, STREAMINFO
        w.write(34, bits: 24)
        w.write(UInt64(blockSize), bits: 16)
        w.write(UInt64(blockSize), bits: 16)
        w.write(0, bits: 24)
        w.write(0, bits: 24)
        w.write(16000, bits: 20)
        w.write(0, bits: 3)
        w.write(15, bits: 5)
        w.write(UInt64(total), bits: 36)
        for _ in 0..<16 { w.write(0, bits: 8) }
        return w.bytes
    }

    static func write(_ blocks: [(Subframe, (Int) -> Int64)], in folder: URL) throws -> (path: String, samples: [Int64]) {
        var stream = Self.header(total: blocks.count * Self.blockSize)
        var expected: [Int64] = []
        for (number, (subframe, signal)) in blocks.enumerated() {
            let samples = (0..<Self.blockSize).map(signal)
            stream += Self.frame(samples, subframe, number: number)
            expected += samples
        }
        let path = folder.appendingPathComponent("hand.flac").path
        try Data(stream).write(to: URL(fileURLWithPath: path))
        return (path, expected)
    }

    @Test func everyResidualAndPredictorCodingDecodesExactly() throws {
        // A slow sine with small steps: residuals fit the chosen widths.
        let blocks: [(Subframe, (Int) -> Int64)] = [
            (.fixed(order: 0, method: 0, partitions: [.rice(4)]), { Int64($0 % 7) - 3 }),
            (.fixed(order: 1, method: 0, partitions: [.escaped(7), .escaped(0), .rice(2), .escaped(16)]), { i in
                i < 16 ? Int64(i * 3) : i < 32 ? 45 : i < 48 ? 45 + Int64(i % 3) : Int64(-20_000 + i * 600)
            }),
            (.fixed(order: 2, method: 1, partitions: [.rice(20), .rice(0)]), { i in i < 32 ? Int64(i * i * 30) : Int64(30_000 - i) }),
            // A quadratic (third differences 0) plus a period-3 ripple: residuals within ±6.
            (.fixed(order: 3, method: 1, partitions: [.escaped(4)]), { i in Int64(i * i) + Int64(i % 3) - 1 }),
            (.fixed(order: 4, method: 0, partitions: Array(repeating: .rice(0), count: 8)), { Int64($0 % 2) }),
            // 2·cos(0.2) ≈ 1004/512: the residual of this sine stays within ±16.
            (.lpc(coefficients: [1004, -512, 0], precision: 12, shift: 9, method: 0,
                  partitions: [.rice(2), .escaped(6), .rice(3), .escaped(5)]), { i in Int64(8000 * sin(Double(i) / 5)) }),
            (.lpc(coefficients: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14], precision: 6, shift: 7, method: 1,
                  partitions: [.escaped(17)]), { i in Int64(i * 100 - 3000) }),
            (.constant(-1234), { _ in -1234 }),
            (.verbatim(wasted: 2), { i in Int64(i * 4 - 128) }),
        ]
        let dir = try TestFiles.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let (path, expected) = try Self.write(blocks, in: dir)

        let native = try FLACFileSource(path: path, frameDecoder: .fastest)
        #expect(native.decodesNatively)
        let ours = try FLACFileSourceTests.readAll(native)
        let libFLAC = try FLACFileSourceTests.readAll(try FLACFileSource(path: path, frameDecoder: .libFLAC))
        #expect(FLACFileSourceTests.firstDifference(libFLAC, expected.map { Float($0) / 32768 }) == nil)
        #expect(FLACFileSourceTests.firstDifference(ours, libFLAC) == nil)
    }

    /// A frame whose checksums match but whose samples leave the 16-bit range (a residual that
    /// does not fit): libFLAC refuses it, and so does the native decoder, after the frame before.
    @Test func samplesOutsideTheStreamWidthAreRefusedLikeLibFLAC() throws {
        let dir = try TestFiles.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let (path, expected) = try Self.write([
            (.fixed(order: 1, method: 0, partitions: [.rice(3)]), { Int64($0) }),
            (.fixed(order: 1, method: 0, partitions: [.rice(14)]), { i in i == 0 ? 30_000 : 30_000 + Int64(i) * 1000 }),
        ], in: dir)
        for decoder in [FLACFileSource.FrameDecoder.fastest, .libFLAC] {
            let source = try FLACFileSource(path: path, frameDecoder: decoder)
            var buffer = [Float](repeating: 0, count: 64)
            let first = try buffer.withUnsafeMutableBufferPointer { try source.read(into: $0) }
            #expect(first == 64)
            #expect(buffer == expected[0..<64].map { Float($0) / 32768 })
            #expect {
                _ = try buffer.withUnsafeMutableBufferPointer { try source.read(into: $0) }
            } throws: { error in
                (error as? AudioPrepError)?.code == .decodeFailed
            }
        }
    }
}
