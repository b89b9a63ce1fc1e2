import Foundation
import Testing

/// What `probe` says beyond the format facts: each file's notes under its table row, and the
/// start of a timestamped track as a JSON field.
@Suite struct ProbeNotesTests {
    static let roomStart =
        "the audio starts at 1.564 s on the file's timeline (for a Twilio track recording: after the room was created); merge lays it there."

    @Test func notesAreIndentedUnderTheirRow() throws {
        let out = try CLI.run([
            "probe", "TestAudio/video/room-alice.mka", "TestAudio/call/agent.wav", "TestAudio/video/opus-gaps.mka",
            "TestAudio/edge/lying-datasize.wav", "missing.wav",
        ])
        #expect(out.status == 1)
        #expect(out.stdout == """
            file                               container  codec      rate   ch  frames  duration      bits  size
            TestAudio/video/room-alice.mka     matroska   opus       48000  1   144000  00:00:03.000  -     9656
              note [container_start_time]: \(Self.roomStart)
            TestAudio/call/agent.wav           wav        pcm_s16le  16000  1   267763  00:00:16.735  16    535570
            TestAudio/video/opus-gaps.mka      matroska   opus       48000  1   227280  00:00:04.735  -     9656
              note [container_start_time]: \(Self.roomStart)
              note [timestamp_gaps]: 2 gaps in the timestamps (1.735 s in all: mute, silence suppression or packet loss) are filled with silence, so the audio stays at its recorded times.
            TestAudio/edge/lying-datasize.wav  wav        pcm_s16le  8000   1   8000    00:00:01.000  16    16044
              note [header_length_mismatch]: the header says 1073741816 frames (134217.727 s) but 8000 frames (1.000 s) decode — less than it claims; callprep uses the 8000 that decode. Its writer did not finish the header (or the file was cut or appended to): check the source.
            missing.wav                        error: file_not_found

            """)
    }

    @Test func startTimeIsAFieldForTimestampedTracks() throws {
        let files = [
            "TestAudio/video/room-alice.mka", "TestAudio/video/room-bob.mka", "TestAudio/video/pcmu-gaps.mka",
            "TestAudio/video/aac-delayed.m4a", "TestAudio/video/opus-gaps.webm", "TestAudio/call/agent.flac",
        ]
        let out = try CLI.run(["probe", "--json"] + files)
        #expect(out.status == 0)
        let array = try #require(try out.json() as? [[String: Any]])
        let starts = array.map { $0["start_time_seconds"] }
        #expect(starts.prefix(4).map { $0 as? Double } == [1.564, 4.2, 0.25, 1.478])
        #expect(starts[4] is Double)
        #expect(starts[5] is NSNull)
        // The field and the note agree.
        let note = try #require((array[0]["notes"] as? [[String: String]])?.first)
        #expect(note["code"] == "container_start_time")
        #expect(note["message"]?.contains("starts at 1.564 s") == true)
        // validate --json carries the same probe object.
        let validate = try CLI.run(["validate", "--json", "--skip-signal-checks", "TestAudio/video/room-bob.mka"])
        let report = try #require((try validate.json() as? [[String: Any]])?.first)
        #expect((report["probe"] as? [String: Any])?["start_time_seconds"] as? Double == 4.2)
    }
}
