import Foundation
import Testing

/// probe and validate on Twilio Video downloads (Matroska/WebM, MP4), through the built binary.
@Suite struct VideoInputsCommandTests {
    @Test func probeReportsTimestampLengthsAndTimelineNotes() throws {
        let files = ["TestAudio/video/opus-gaps.webm", "TestAudio/video/pcmu-gaps.mka", "TestAudio/video/aac-edit.m4a"]
        let out = try CLI.run(["probe", "--json"] + files)
        #expect(out.status == 0)
        let array = try #require(try out.json() as? [[String: Any]])
        #expect(array.count == 3)
        guard array.count == 3 else { return }
        #expect(array[0]["container"] as? String == "webm")
        #expect(array[0]["codec"] as? String == "opus")
        #expect(array[0]["channels"] as? Int == 2)
        #expect(array[0]["frames"] as? Int == 227_280)
        #expect(array[0]["length_source"] as? String == "timestamps")
        let notes = (array[0]["notes"] as? [[String: Any]])?.compactMap { $0["code"] as? String }
        #expect(notes == ["container_start_time", "timestamp_gaps"])
        #expect(array[1]["codec"] as? String == "pcm_mulaw")
        #expect(array[1]["frames"] as? Int == 18_400)
        #expect(array[2]["container"] as? String == "mp4")
        #expect(array[2]["codec"] as? String == "aac")
        #expect(array[2]["frames"] as? Int == 96_256)  // 95 whole AAC packets − 1024 priming, as ffmpeg decodes
    }

    @Test func validateRejectsVideoContainersAndPointsToMerge() throws {
        let out = try CLI.run(["validate", "--json", "TestAudio/video/room-alice.mka"])
        #expect(out.status == 1)
        let array = try #require(try out.json() as? [[String: Any]])
        let problems = (array.first?["problems"] as? [[String: Any]]) ?? []
        let unsupported = problems.first { $0["code"] as? String == "unsupported_format" }
        #expect((unsupported?["message"] as? String)?.contains("callprep merge") == true)
        // The file decoded: signal statistics are present and no decode error was raised.
        #expect(array.first?["signal"] is [String: Any])
        #expect(!problems.contains { $0["code"] as? String == "decode_failed" })
    }
}
