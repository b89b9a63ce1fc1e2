import Testing
@testable import AudioPrep

@Suite struct MatroskaProbeTests {
    @Test func opusWithGapsReportsTimestampLengthAndStart() throws {
        let report = try MatroskaProbe.inspect(path: VideoFixtures.path("opus-gaps.mka"))
        #expect(report.info.container == .matroska)
        #expect(report.info.codec == "opus")
        #expect(report.info.sampleRate == 48_000)
        #expect(report.info.channels == 1)
        // 3 s of audio (144 000 frames) plus the two gaps as the block timestamps write them:
        // ffmpeg's muxer rounds each pre-skip-shifted pts to 1 ms before adding CodecDelay, so
        // blocks 2…151 sit 1 ms after block 1's grid (1564, 1585, 1605 … 3065 ms). Placement
        // follows the written timestamps: gap 1 = 3065 − 2545 − 20 = 500 ms + 1 ms = 24 048
        // frames, gap 2 = 5299 − 4045 − 20 = 1234 ms = 59 232 frames.
        #expect(report.info.frames == 227_280)
        #expect(report.info.lengthSource == .timestamps)
        #expect(report.timeline.startTimeNanoseconds == 1_564_000_000)
        #expect(report.timeline.gaps == 2)
        #expect(report.timeline.gapFrames == 83_280)
        #expect(report.timeline.preSkipFrames == 312)
        #expect(report.timeline.overlapFramesDropped == 0)
        #expect(report.track.codecDelayNanoseconds == 6_500_000)
        #expect(report.track.seekPreRollNanoseconds == 80_000_000)
    }

    @Test func webmIsReportedAsWebMWithItsDeclaredChannels() throws {
        let report = try MatroskaProbe.inspect(path: VideoFixtures.path("opus-gaps.webm"))
        #expect(report.info.container == .webm)
        #expect(report.info.channels == 2)
        #expect(report.info.frames == 227_280)
        #expect(report.timeline.startTimeNanoseconds == 1_564_000_000)
    }

    @Test func pcmuInACMIsProbedExactly() throws {
        let report = try MatroskaProbe.inspect(path: VideoFixtures.path("pcmu-gaps.mka"))
        #expect(report.info.codec == "pcm_mulaw")
        #expect(report.info.sampleRate == 8000)
        #expect(report.info.channels == 1)
        #expect(report.track.codecID == "A_MS/ACM")
        // 16 000 samples plus a 300 ms (2400-sample) gap; first sample at 250 ms.
        #expect(report.info.frames == 18_400)
        #expect(report.timeline.startTimeNanoseconds == 250_000_000)
        #expect(report.timeline.gaps == 1)
        #expect(report.timeline.gapFrames == 2400)
        #expect(report.timeline.blocks == 8)  // ffmpeg writes 2048-sample (256 ms) PCM blocks
    }

    @Test func pcmaIsProbed() throws {
        let info = try MatroskaProbe.probe(path: VideoFixtures.path("pcma.mka"))
        #expect(info.codec == "pcm_alaw")
        #expect(info.frames == 16_000)
    }

    @Test func participantsWhoJoinedLaterStartLater() throws {
        let alice = try MatroskaProbe.inspect(path: VideoFixtures.path("room-alice.mka"))
        let bob = try MatroskaProbe.inspect(path: VideoFixtures.path("room-bob.mka"))
        #expect(alice.timeline.startTimeNanoseconds == 1_564_000_000)
        #expect(bob.timeline.startTimeNanoseconds == 4_200_000_000)
        #expect(alice.info.frames == 144_000)
        #expect(bob.info.frames == 120_000)
    }

    @Test func sniffingUsesTheEBMLMagic() {
        #expect(MatroskaProbe.matches(prefix: [0x1A, 0x45, 0xDF, 0xA3, 0x9F]))
        #expect(!MatroskaProbe.matches(prefix: Array("RIFF".utf8)))
        #expect(!MatroskaProbe.matches(prefix: [0x1A, 0x45]))
    }
}
