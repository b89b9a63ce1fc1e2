import Foundation
import Testing
@testable import AudioPrep

/// Damaged numbers in the fields the joined-stream readers do arithmetic with — a chained Ogg
/// file's later granules and headers, a joined FLAC's second STREAMINFO and metadata lengths, a
/// piped RF64's ds64 size — give a clean `AudioPrepError` or a length the source delivers exactly,
/// never a trap.
@Suite(.enabled(if: OggFixtures.ffmpeg != nil, "needs ffmpeg (scripts/install-deps.sh)"))
struct JoinedStreamMutationTests {
    /// Probes and decodes `bytes` as a file: nil when refused with an `AudioPrepError` naming it,
    /// else probe's frames (checked against what the source delivers).
    @discardableResult
    func outcome(_ bytes: [UInt8], as name: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> Int64? {
        let path = try OggFixtures.write(bytes, as: name)
        defer { try? FileManager.default.removeItem(atPath: path) }
        do {
            let input = try AudioInput.open(path: path)
            #expect(input.source.frameCount == input.info.frames, sourceLocation: sourceLocation)
            let samples = try ReferenceDecoding.samples(input.source)
            #expect(Int64(samples.count / input.info.channels) == input.info.frames, sourceLocation: sourceLocation)
            return input.info.frames
        } catch let error as AudioPrepError {
            #expect(error.path == path, sourceLocation: sourceLocation)
            return nil
        }
    }

    func chainedOpus() throws -> (bytes: [UInt8], secondLink: Int) {
        let a = try OggFixtures.make("mut-a.opus", ["-f", "lavfi", "-i", "sine=frequency=440:duration=1.5:sample_rate=48000", "-c:a", "libopus"])
        let b = try OggFixtures.make("mut-b.opus", ["-f", "lavfi", "-i", "sine=frequency=660:duration=2:sample_rate=48000", "-c:a", "libopus"])
        let first = try OggFixtures.bytes(a)
        return (first + (try OggFixtures.bytes(b)), first.count)
    }

    /// The second link's last granule made impossible (checksum recomputed, so the page is
    /// intact): that link is counted by decoding, the first keeps its granule.
    @Test(arguments: [Int64.max, Int64.max / 3, -2, 1 << 62])
    func anImpossibleGranuleInTheSecondLinkIsCountedByDecoding(granule: Int64) throws {
        var (bytes, _) = try chainedOpus()
        let last = OggFixtures.pageOffsets(bytes).last!
        for i in 0..<8 { bytes[last + 6 + i] = UInt8(truncatingIfNeeded: granule >> (8 * i)) }
        OggFixtures.rechecksum(&bytes, page: last)
        let path = try OggFixtures.write(bytes, as: "mut-granule-\(granule).opus")
        let info = try AudioProbe.probe(path: path)
        #expect(info.lengthSource == .decode)
        #expect(info.notes.map(\.code) == ["header_length_mismatch", "concatenated_streams"])
        // 1.5 s by granule, then every frame libopus decodes of the 2 s link (not end-trimmed).
        #expect(info.frames >= 72_000 + 96_000 && info.frames < 72_000 + 96_000 + 5760)
        #expect(try outcome(bytes, as: "mut-granule-decode-\(granule).opus") == info.frames)
    }

    /// Every byte of the second link's beginning-of-stream page (its OpusHead: channel count,
    /// pre-skip, rate) flipped with its checksum recomputed.
    @Test func everyByteOfTheSecondLinksHeadPage() throws {
        let (original, second) = try chainedOpus()
        let pages = OggFixtures.pageOffsets(original)
        let end = pages.first { $0 > second }!
        var refused = 0
        for position in (second + 27)..<end {
            var bytes = original
            bytes[position] ^= 0xFF
            OggFixtures.rechecksum(&bytes, page: second)
            if try outcome(bytes, as: "mut-head-\(position).opus") == nil { refused += 1 }
        }
        // The magic, version and channel bytes are refused; the rest decode.
        #expect(refused > 0 && refused < end - second - 27)
    }

    @Test func twoHundredRandomFlipsInAChainedFile() throws {
        let (original, _) = try chainedOpus()
        var generator = SplitMix64(seed: 0x0C4A_1AED)
        for index in 0..<200 {
            var bytes = original
            let position = Int(generator.next() % UInt64(bytes.count))
            bytes[position] ^= UInt8(truncatingIfNeeded: generator.next() % 255 + 1)
            try outcome(bytes, as: "mut-chain-\(index).opus")
        }
    }

    /// Each byte of the second FLAC stream's "fLaC" marker, STREAMINFO block header and body
    /// (rate, channels, bits, total, block and frame sizes) set to 0xFF and to 0x00.
    @Test func everyHeaderByteOfASecondFLACStream() throws {
        let a = try OggFixtures.make("mut-a.flac", ["-f", "lavfi", "-i", "sine=frequency=440:duration=1.5:sample_rate=16000", "-c:a", "flac"])
        let b = try OggFixtures.make("mut-b.flac", ["-f", "lavfi", "-i", "sine=frequency=660:duration=2:sample_rate=16000", "-c:a", "flac"])
        let first = try OggFixtures.bytes(a)
        let original = first + (try OggFixtures.bytes(b))
        #expect(try outcome(original, as: "mut-joined.flac") == 24_000 + 32_000)
        for position in first.count..<(first.count + 42) {
            for value: UInt8 in [0xFF, 0x00] {
                var bytes = original
                bytes[position] = value
                if let frames = try outcome(bytes, as: "mut-flac-\(position)-\(value).flac") {
                    // Either both streams (a field that does not matter, or one read differently
                    // but consistently) or the first alone, when the second is no longer a stream.
                    #expect(frames >= 24_000)
                }
            }
        }
    }

    /// A piped RF64's ds64 data size set to values a file cannot hold.
    @Test(arguments: [UInt64.max - 1, UInt64(Int64.max), 1 << 40, 7])
    func anRF64DataSizeNoFileHolds(size: UInt64) throws {
        let data = try ReferenceDecoding.tool("ffmpeg", [
            "-v", "error", "-f", "lavfi", "-i", "sine=frequency=440:duration=3:sample_rate=16000", "-f", "wav", "-rf64", "always", "-",
        ])
        var bytes = [UInt8](data)
        for i in 0..<8 { bytes[28 + i] = UInt8(truncatingIfNeeded: size >> (8 * UInt64(i))) }
        if let frames = try outcome(bytes, as: "mut-\(size).rf64") {
            #expect(frames <= 48_000)
        }
    }
}
