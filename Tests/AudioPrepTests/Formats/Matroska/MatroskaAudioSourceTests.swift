import Testing
@testable import AudioPrep

/// Decoded Matroska audio against ffmpeg's decoding of the same files (libopus decoder forced),
/// with the timestamp gaps checked sample-exactly.
@Suite struct MatroskaAudioSourceTests {
    /// Largest sample difference accepted against ffmpeg's libopus decoding: both call the same
    /// libopus float decoder on the same packets, so the output should be identical; 1e-6 leaves
    /// room only for a different float path in another libopus build. Measured with Debian 12's
    /// libopus 1.3.1 and ffmpeg 5.1.9 (`-request_sample_fmt flt`): 0, bit-identical.
    static let opusTolerance: Float = 1e-6

    /// The segments of opus-gaps.* as (output start, reference start, frames); everything
    /// between them must be digital silence. Derived from the written block timestamps:
    /// block 51 at 3065 ms and block 101 at 5299 ms, first block at 1564 ms, CodecDelay 6.5 ms,
    /// so block 51's first decoded sample is output frame (3065 − 6.5 − 1564) × 48 = 71 736.
    static let opusSegments: [(out: Int, ref: Int, frames: Int)] = [
        (0, 0, 47_688), (71_736, 47_688, 48_000), (178_968, 95_688, 48_312),
    ]

    @Test(.enabled(if: VideoFixtures.ffmpeg != nil, "ffmpeg is not installed; skipping the cross-check"))
    func opusGapsDecodeLikeLibopusAtTheirOwnTimestamps() throws {
        try checkOpus("opus-gaps.mka", channels: 1)
    }

    @Test(.enabled(if: VideoFixtures.ffmpeg != nil, "ffmpeg is not installed; skipping the cross-check"))
    func stereoWebMDecodesLikeLibopus() throws {
        try checkOpus("opus-gaps.webm", channels: 2)
    }

    private func checkOpus(_ name: String, channels: Int) throws {
        let path = VideoFixtures.path(name)
        let source = try MatroskaAudioSource(path: path)
        #expect(source.format == PCMFormat(sampleRate: 48_000, channels: channels))
        #expect(source.frameCount == 227_280)
        #expect(source.startTimeNanoseconds == 1_564_000_000)
        let ours = try VideoFixtures.readAll(source, blockFrames: 777)
        let reference = VideoFixtures.floats(try VideoFixtures.ffmpegDecode(path, format: "f32le", libopus: true))
        #expect(ours.count == 227_280 * channels)
        #expect(reference.count == 144_000 * channels)
        guard ours.count == 227_280 * channels, reference.count == 144_000 * channels else { return }

        var worst: Float = 0
        var covered = [Bool](repeating: false, count: 227_280)
        for segment in Self.opusSegments {
            for frame in 0..<segment.frames {
                covered[segment.out + frame] = true
                for c in 0..<channels {
                    let a = ours[(segment.out + frame) * channels + c]
                    let b = reference[(segment.ref + frame) * channels + c]
                    worst = max(worst, abs(a - b))
                }
            }
        }
        #expect(worst <= Self.opusTolerance, "max |ours − ffmpeg/libopus| = \(worst)")
        // The gaps are exact digital silence, and the audio on both sides of each gap is not.
        let silent = (0..<227_280).filter { !covered[$0] }
        #expect(silent.count == 83_280)
        #expect(silent.allSatisfy { frame in (0..<channels).allSatisfy { ours[frame * channels + $0] == 0 } })
        for boundary in [47_687, 71_736, 119_735, 178_968] {
            #expect(ours[boundary * channels] != 0, "frame \(boundary) should be audio")
        }
        // To the millisecond (in fact to the sample): block 51's audio starts at its timestamp.
        let blockTime = 3_065_000_000 - 6_500_000 - source.startTimeNanoseconds
        #expect(TrackTimeline.frames(nanoseconds: blockTime, rate: 48_000) == 71_736)
    }

    @Test(.enabled(if: VideoFixtures.ffmpeg != nil, "ffmpeg is not installed; skipping the cross-check"))
    func pcmuDecodesExactlyLikeFFmpegWithItsGap() throws {
        let path = VideoFixtures.path("pcmu-gaps.mka")
        let source = try MatroskaAudioSource(path: path)
        #expect(source.format == PCMFormat(sampleRate: 8000, channels: 1))
        #expect(source.startTimeNanoseconds == 250_000_000)
        let ours = try VideoFixtures.readAll(source, blockFrames: 313)
        let reference = VideoFixtures.int16s(try VideoFixtures.ffmpegDecode(path, format: "s16le", libopus: false))
        #expect(reference.count == 16_000)
        #expect(ours.count == 18_400)
        guard ours.count == 18_400, reference.count == 16_000 else { return }
        // Blocks are 2048 samples; the sixth block (at 250 + 1280 + 300 ms) follows a 2400-sample gap.
        let expected = reference[0..<10_240].map { Float($0) / 32768 }
            + [Float](repeating: 0, count: 2400)
            + reference[10_240...].map { Float($0) / 32768 }
        #expect(ours == expected)
    }

    @Test(.enabled(if: VideoFixtures.ffmpeg != nil, "ffmpeg is not installed; skipping the cross-check"))
    func pcmaDecodesExactlyLikeFFmpeg() throws {
        let path = VideoFixtures.path("pcma.mka")
        let ours = try VideoFixtures.readAll(try MatroskaAudioSource(path: path))
        let reference = VideoFixtures.int16s(try VideoFixtures.ffmpegDecode(path, format: "s16le", libopus: false))
        #expect(ours.count == 16_000)
        #expect(ours == reference.map { Float($0) / 32768 })
    }

    @Test func readBlockSizeDoesNotChangeTheOutput() throws {
        let path = VideoFixtures.path("opus-gaps.mka")
        let one = try VideoFixtures.readAll(try MatroskaAudioSource(path: path), blockFrames: 1)
        let large = try VideoFixtures.readAll(try MatroskaAudioSource(path: path), blockFrames: 65_536)
        #expect(one.count == 227_280)
        #expect(one == large)
    }

    @Test func roomParticipantsStartAtTheirJoinTimes() throws {
        let alice = try MatroskaAudioSource(path: VideoFixtures.path("room-alice.mka"))
        let bob = try MatroskaAudioSource(path: VideoFixtures.path("room-bob.mka"))
        // Laid on a 16 kHz room timeline: 1.564 s and 4.2 s after the room started.
        #expect(alice.startFrame(atRate: 16_000) == 25_024)
        #expect(bob.startFrame(atRate: 16_000) == 67_200)
        #expect(try VideoFixtures.readAll(alice).count == 144_000)
        #expect(try VideoFixtures.readAll(bob).count == 120_000)
        #expect(alice.timeline.gaps == 0 && bob.timeline.gaps == 0)
    }
}
