import Testing
@testable import AudioPrep

/// `AudioProbe` and `AudioDecoder` route Matroska/WebM and MP4 content to the native demuxers.
@Suite struct VideoContainerDispatchTests {
    @Test func probeReadsMatroskaWithTimelineNotes() throws {
        let info = try AudioProbe.probe(path: VideoFixtures.path("opus-gaps.mka"))
        #expect(info.container == .matroska)
        #expect(info.frames == 227_280)
        #expect(info.notes.map(\.code) == ["container_start_time", "timestamp_gaps"])
        #expect(info.notes.first?.message.contains("1.564 s") == true)
        #expect(info.notes.last?.message.contains("2 gaps") == true)
        #expect(info.notes.last?.message.contains("1.735 s") == true)
    }

    @Test func probeReadsMP4AndSaysWhetherAACIsDecodable() throws {
        let info = try AudioProbe.probe(path: VideoFixtures.path("aac-edit.m4a"))
        #expect(info.container == .mp4)
        #expect(info.codec == "aac")
        #expect(info.frames == 96_256)
        #if AAC
        #expect(info.notes.map(\.code) == [])
        #else
        #expect(info.notes.map(\.code) == ["aac_not_decodable"])
        #endif
    }

    @Test func decoderOpensMatroskaAsATimestampedSource() throws {
        let source = try AudioDecoder.open(path: VideoFixtures.path("room-bob.mka"))
        let timed = try #require(source as? any TimestampedPCMSource)
        #expect(timed.startTimeNanoseconds == 4_200_000_000)
        #expect(source.frameCount == 120_000)
    }

    #if !AAC
    /// Without the `AAC` trait, opening AAC says how to enable it and what that means for the licence.
    @Test func decoderExplainsAACIsNotBuiltInAndHowToEnableIt() throws {
        let error = try #require(throws: AudioPrepError.self) {
            _ = try AudioDecoder.open(path: VideoFixtures.path("aac-edit.m4a"))
        }
        #expect(error.code == .unsupportedFormat)
        #expect(error.message.contains("libfaad2"))
        #expect(error.message.contains("swift build -c release --traits AAC"))
        #expect(error.message.contains("scripts/install-deps.sh --aac"))
        #expect(error.message.contains("must be distributed under the GPL"))
        #expect(error.message.contains("ffmpeg -i IN -c:a pcm_s16le OUT.wav"))
    }
    #endif
}
