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

    @Test func probeReadsMP4AndSaysAACIsNotDecodable() throws {
        let info = try AudioProbe.probe(path: VideoFixtures.path("aac-edit.m4a"))
        #expect(info.container == .mp4)
        #expect(info.codec == "aac")
        #expect(info.frames == 96_000)
        #expect(info.notes.map(\.code) == ["aac_not_decodable"])
    }

    @Test func decoderOpensMatroskaAsATimestampedSource() throws {
        let source = try AudioDecoder.open(path: VideoFixtures.path("room-bob.mka"))
        let timed = try #require(source as? any TimestampedPCMSource)
        #expect(timed.startTimeNanoseconds == 4_200_000_000)
        #expect(source.frameCount == 120_000)
    }

    @Test func decoderExplainsAACIsNotBuiltIn() {
        #expect {
            _ = try AudioDecoder.open(path: VideoFixtures.path("aac-edit.m4a"))
        } throws: { error in
            (error as? AudioPrepError)?.code == .unsupportedFormat && (error as? AudioPrepError)?.message.contains("libfaad2") == true
        }
    }
}
