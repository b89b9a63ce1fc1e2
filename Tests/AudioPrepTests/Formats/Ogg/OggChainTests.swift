import Foundation
import Testing
@testable import AudioPrep

/// Chained Ogg files (RFC 3533 §4, `cat a.opus b.opus > c.opus`): every link is delivered, in
/// order, with a `concatenated_streams` note; links that cannot be joined are refused by name.
@Suite(.enabled(if: OggFixtures.ffmpeg != nil, "needs ffmpeg (scripts/install-deps.sh)"))
struct OggChainTests {
    /// A tone of `seconds` at `frequency` Hz made by ffmpeg with `codec`.
    func tone(_ name: String, seconds: String, frequency: Int, rate: Int, channels: Int = 1, codec: String) throws -> String {
        try OggFixtures.make(name, [
            "-f", "lavfi", "-i", "sine=frequency=\(frequency):duration=\(seconds):sample_rate=\(rate)",
            "-ac", "\(channels)", "-c:a", codec,
        ])
    }

    /// The files' bytes one after the other, as `cat` joins them.
    func cat(_ paths: [String], as name: String) throws -> String {
        try OggFixtures.write(try paths.flatMap { try OggFixtures.bytes($0) }, as: name)
    }

    /// Opens `path` once, decodes it all, and checks the source delivers exactly probe's frames.
    func openAndDecode(_ path: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> (info: AudioInfo, samples: [Float]) {
        let input = try AudioInput.open(path: path)
        #expect(input.source.frameCount == input.info.frames, sourceLocation: sourceLocation)
        let samples = try VideoFixtures.readAll(input.source, blockFrames: 4096)
        #expect(Int64(samples.count / input.info.channels) == input.info.frames, sourceLocation: sourceLocation)
        #expect(try AudioProbe.probe(path: path) == input.info, sourceLocation: sourceLocation)
        return (input.info, samples)
    }

    func largestDifference(_ a: ArraySlice<Float>, _ b: ArraySlice<Float>) -> Float {
        zip(a, b).reduce(Float(0)) { max($0, abs($1.0 - $1.1)) }
    }

    @Test func chainedOpusDeliversBothLinksAsFFmpegDoes() throws {
        let a = try tone("chain-a.opus", seconds: "1.5", frequency: 440, rate: 48_000, codec: "libopus")
        let b = try tone("chain-b.opus", seconds: "2.25", frequency: 660, rate: 16_000, codec: "libopus")
        let path = try cat([a, b], as: "chain-ab.opus")
        let (info, samples) = try openAndDecode(path)
        // Each link's own pre-skip is dropped and each link is end-trimmed at its last granule:
        // 1.5 s + 2.25 s at 48 kHz, ffmpeg's count too.
        #expect(info.frames == 72_000 + 108_000)
        #expect(try OggFixtures.ffmpegSamples(path).count == 180_000)
        #expect(info.lengthSource == .granule)
        #expect(info.notes.map(\.code) == ["concatenated_streams"])
        #expect(info.notes[0].message.contains("2 streams"))
        // Each link decodes as the file it came from (ffmpeg's decoder against libopus: equal
        // within rounding). ffmpeg's decode of the chain differs from that near the boundary: it
        // keeps one decoder's state across the links, where each link starts a fresh decoder.
        #expect(largestDifference(samples[0..<72_000], try OggFixtures.ffmpegSamples(a)[...]) < 0.002)
        #expect(largestDifference(samples[72_000...], try OggFixtures.ffmpegSamples(b)[...]) < 0.002)
    }

    @Test func chainedVorbisKeepsEachLinksEndTrim() throws {
        let a = try tone("chain-a.ogg", seconds: "1.5", frequency: 440, rate: 44_100, codec: "libvorbis")
        let b = try tone("chain-b.ogg", seconds: "2", frequency: 660, rate: 44_100, codec: "libvorbis")
        let path = try cat([a, b], as: "chain-ab.ogg")
        let (info, samples) = try openAndDecode(path)
        let first = try OggFixtures.ffmpegSamples(a)
        let second = try OggFixtures.ffmpegSamples(b)
        #expect(first.count == 66_150 && second.count == 88_200)
        #expect(info.frames == 66_150 + 88_200)
        #expect(info.notes.map(\.code) == ["concatenated_streams"])
        // ffmpeg decodes the chained file to 128 frames more (154 478): it does not end-trim the
        // first link's last packet at the link boundary, so those frames of padding stay in. callprep
        // trims each link at its own last granule, so the chain is each file's decode back to back.
        #expect(try OggFixtures.ffmpegSamples(path).count == 66_150 + 128 + 88_200)
        #expect(largestDifference(samples[0..<66_150], first[...]) < 0.001)
        #expect(largestDifference(samples[66_150...], second[...]) < 0.001)
    }

    @Test func chainedFLACInOggIsSampleExact() throws {
        let a = try tone("chain-a.oga", seconds: "1.5", frequency: 440, rate: 44_100, codec: "flac")
        let b = try tone("chain-b.oga", seconds: "2", frequency: 660, rate: 44_100, codec: "flac")
        let path = try cat([a, b], as: "chain-ab.oga")
        let (info, samples) = try openAndDecode(path)
        #expect(info.codec == "flac" && info.frames == 66_150 + 88_200)
        #expect(info.notes.map(\.code) == ["concatenated_streams"])
        #expect(samples == (try OggFixtures.ffmpegSamples(path)))
    }

    /// `cat a.opus a.opus`: both links carry the same serial number; the links are told apart by
    /// their beginning-of-stream pages, and the second link's pre-skip is dropped too.
    @Test func aFileJoinedToItselfDeliversItTwice() throws {
        let a = try tone("chain-a.opus", seconds: "1.5", frequency: 440, rate: 48_000, codec: "libopus")
        let path = try cat([a, a], as: "chain-aa.opus")
        let (info, samples) = try openAndDecode(path)
        let once = try OggFixtures.ffmpegSamples(a)
        #expect(info.frames == 144_000)
        #expect(info.notes.map(\.code) == ["concatenated_streams"])
        // ffmpeg treats the repeated serial as one stream and does not apply the second link's
        // pre-skip (312 frames of decoder warm-up stay in): 144 312 frames.
        #expect(try OggFixtures.ffmpegSamples(path).count == 144_000 + 312)
        #expect(largestDifference(samples[0..<72_000], once[...]) < 0.002)
        #expect(largestDifference(samples[72_000...], once[...]) < 0.002)
    }

    /// The first file cut inside an audio page, then another file appended: the cut link keeps
    /// its intact pages, the second link follows, and both problems are noted.
    @Test func aCutFirstLinkIsNotedAndTheNextLinkFollows() throws {
        let a = try tone("chain-long.opus", seconds: "4", frequency: 440, rate: 48_000, codec: "libopus")
        let b = try tone("chain-b.opus", seconds: "2.25", frequency: 660, rate: 16_000, codec: "libopus")
        let bytes = try OggFixtures.bytes(a)
        let pages = OggFixtures.pageOffsets(bytes)
        let cut = pages[pages.count - 1] + 100
        let path = try OggFixtures.write(Array(bytes[0..<cut]) + (try OggFixtures.bytes(b)), as: "chain-cut-b.opus")
        let (info, samples) = try openAndDecode(path)
        let firstLink = OggFixtures.granule(bytes, page: pages[pages.count - 2]) - 312
        #expect(firstLink > 48_000)
        #expect(info.frames == firstLink + 108_000)
        #expect(Set(info.notes.map(\.code)) == ["no_end_of_stream", "truncated_stream", "concatenated_streams"])
        #expect(info.notes.contains { $0.message.contains("last 100 bytes of the 1st chained stream") })
        #expect(samples.count == (try OggFixtures.ffmpegSamples(path)).count)
    }

    @Test func linksWithAnotherRateOrChannelCountAreRefusedByName() throws {
        let a = try tone("chain-a.ogg", seconds: "1.5", frequency: 440, rate: 44_100, codec: "libvorbis")
        let slower = try tone("chain-22k.ogg", seconds: "1", frequency: 440, rate: 22_050, codec: "libvorbis")
        let mono = try tone("chain-a.opus", seconds: "1.5", frequency: 440, rate: 48_000, codec: "libopus")
        let stereo = try tone("chain-stereo.opus", seconds: "1", frequency: 440, rate: 48_000, channels: 2, codec: "libopus")
        for (files, what) in [([a, slower], "1 channel at 22050 Hz"), ([mono, stereo], "2 channels at 48000 Hz")] {
            let path = try cat(files, as: "chain-mismatch-\(what.count).\(files[0].hasSuffix("ogg") ? "ogg" : "opus")")
            #expect {
                _ = try AudioProbe.probe(path: path)
            } throws: { error in
                let error = error as? AudioPrepError
                return error?.code == .unsupportedFormat && error?.message.contains("the 2nd is") == true
                    && error?.message.contains(what) == true
            }
        }
    }

    /// A page whose flag byte is damaged into "begins a stream" (its checksum no longer matches)
    /// does not split the stream into links.
    @Test func aDamagedBeginningFlagStartsNoLink() throws {
        let a = try tone("chain-long.opus", seconds: "4", frequency: 440, rate: 48_000, codec: "libopus")
        var bytes = try OggFixtures.bytes(a)
        let pages = OggFixtures.pageOffsets(bytes)
        bytes[pages[3] + 5] |= 0x02
        let path = try OggFixtures.write(bytes, as: "chain-fake-bos.opus")
        let info = try AudioProbe.probe(path: path)
        #expect(!info.notes.contains { $0.code == "concatenated_streams" })
        #expect(info.frames == 192_000)
        #expect(try OggChain.links(try BinaryFileReader(path: path)).count == 1)
    }

    @Test func aMergeKeepsEveryFrameOfEveryLink() throws {
        let a = try tone("chain-a.opus", seconds: "1.5", frequency: 440, rate: 48_000, codec: "libopus")
        let b = try tone("chain-b.opus", seconds: "2.25", frequency: 660, rate: 16_000, codec: "libopus")
        let opus = try cat([a, b, a], as: "chain-aba.opus")
        let folder = try TestFiles.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let wav = folder.appendingPathComponent("agent.wav").path
        try MergeTestAudio.writeWAV16(wav, rate: 48_000, channels: 1, samples: MergeTestAudio.speechLike(frames: 48_000, rate: 48_000, seed: 5))
        let info = try AudioProbe.probe(path: opus)
        #expect(info.frames == 72_000 + 108_000 + 72_000)
        #expect(info.notes.first?.message.contains("3 streams") == true)
        let configuration = MergeConfiguration(
            inputs: [wav, opus], output: folder.appendingPathComponent("out.flac").path, sampleRate: .fixed(48_000))
        let manifest = try Merger(configuration: configuration).run()
        #expect(manifest.channels[1].contentFrames == info.frames)
        #expect(manifest.inputs[1].lengthSource == "granule")
    }
}
