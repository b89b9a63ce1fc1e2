import Foundation
import Testing

@Suite struct ProbeCommandTests {
    static let probeKeys = [
        "path", "container", "codec", "sample_rate", "channels", "frames", "duration_seconds",
        "bits_per_sample", "size_bytes", "length_source", "start_time_seconds", "notes",
    ]

    @Test func jsonIsOneArrayInArgumentOrderWithDocumentedKeys() throws {
        let files = ["TestAudio/call/agent.wav", "TestAudio/call/customer-vbr-noxing.mp3", "TestAudio/formats/opus.opus"]
        let out = try CLI.run(["probe", "--json"] + files)
        #expect(out.status == 0)
        let array = try #require(try out.json() as? [[String: Any]])
        #expect(array.map { $0["path"] as? String } == files)
        #expect(CLI.keyOrder(ofObjectsIn: out.stdout) == Array(repeating: Self.probeKeys, count: 3))

        let wav = array[0]
        #expect(wav["container"] as? String == "wav")
        #expect(wav["codec"] as? String == "pcm_s16le")
        #expect(wav["sample_rate"] as? Int == 16000)
        #expect(wav["channels"] as? Int == 1)
        #expect(wav["frames"] as? Int == 267763)
        #expect(wav["duration_seconds"] as? Double == 267763.0 / 16000.0)
        #expect(wav["bits_per_sample"] as? Int == 16)
        #expect(wav["size_bytes"] as? Int == 535570)

        let mp3 = array[1]
        #expect(mp3["frames"] as? Int == 261504)
        #expect(mp3["bits_per_sample"] is NSNull)
        #expect(mp3["length_source"] as? String == "frame_scan")

        #expect(array[2]["container"] as? String == "ogg")
        #expect(array[2]["codec"] as? String == "opus")
    }

    @Test func unreadableFilesGiveErrorObjectsAndTheOthersAreStillReported() throws {
        let files = ["TestAudio/edge/text.wav", "TestAudio/call/agent.flac", "no/such/file.wav", "TestAudio", "TestAudio/edge/empty.wav"]
        let out = try CLI.run(["probe", "--json"] + files)
        #expect(out.status == 1)
        let array = try #require(try out.json() as? [[String: Any]])
        #expect(array.count == 5)
        let codes = array.map { ($0["error"] as? [String: Any])?["code"] as? String }
        #expect(codes == ["unsupported_format", nil, "file_not_found", "not_a_file", "empty_file"])
        #expect(array[1]["frames"] as? Int == 267763)
        for object in array where object["error"] != nil {
            #expect(Set(object.keys) == ["path", "error"])
            let message = try #require((object["error"] as? [String: Any])?["message"] as? String)
            #expect(!message.isEmpty)
        }
    }

    @Test func tableOutputForPeople() throws {
        let out = try CLI.run(["probe", "TestAudio/call/agent.mp3", "missing.wav"])
        #expect(out.status == 1)
        let lines = out.stdout.split(separator: "\n")
        #expect(lines.first?.hasPrefix("file") == true)
        #expect(lines[1].contains("267763"))
        #expect(lines[1].contains("00:00:16.735"))
        #expect(out.stderr.contains("missing.wav: no such file"))
    }

    @Test func usageErrorsExitWithTwo() throws {
        #expect(try CLI.run(["probe"]).status == 2)
        #expect(try CLI.run(["probe", "--no-such-flag", "x.wav"]).status == 2)
        #expect(try CLI.run(["no-such-command"]).status == 2)
    }

    @Test func helpAnswersTheQuestion() throws {
        let out = try CLI.run(["probe", "--help"])
        #expect(out.status == 0)
        #expect(out.stdout.contains("not its name"))
        #expect(out.stdout.contains("Exit status"))
    }
}
