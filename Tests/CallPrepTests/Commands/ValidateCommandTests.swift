import Foundation
import Testing

@Suite struct ValidateCommandTests {
    @Test func jsonVerdictsWithProblemsAndProbe() throws {
        let files = ["TestAudio/edge/dual-channel.wav", "TestAudio/edge/short-1s.wav", "TestAudio/edge/text.wav"]
        let out = try CLI.run(["validate", "--json"] + files)
        #expect(out.status == 1)
        let array = try #require(try out.json() as? [[String: Any]])
        #expect(array.map { $0["path"] as? String } == files)
        #expect(array.map { $0["accepted"] as? Bool } == [true, false, false])
        for keys in CLI.keyOrder(ofObjectsIn: out.stdout) {
            #expect(Array(keys.prefix(4)) == ["path", "accepted", "problems", "probe"])
        }
        #expect((array[0]["problems"] as? [Any])?.isEmpty == true)
        #expect((array[0]["probe"] as? [String: Any])?["channels"] as? Int == 2)

        let short = try #require(array[1]["problems"] as? [[String: String]])
        #expect(short.map { $0["code"] } == ["too_short", "mono"])
        #expect(short.map { $0["severity"] } == ["error", "warning"])
        #expect(short.allSatisfy { Array($0.keys).sorted() == ["code", "message", "severity"] })

        #expect(array[2]["probe"] is NSNull)
        let text = try #require(array[2]["problems"] as? [[String: String]])
        #expect(text.map { $0["code"] } == ["unsupported_format"])
    }

    @Test func warningsPassUnlessStrict() throws {
        let mono = "TestAudio/call/agent.flac"
        #expect(try CLI.run(["validate", mono]).status == 0)
        let strict = try CLI.run(["validate", "--strict", mono])
        #expect(strict.status == 1)
        #expect(strict.stdout.contains("warning [mono]"))
        #expect(try CLI.run(["validate", "--strict", "TestAudio/edge/dual-channel.wav"]).status == 0)
    }

    @Test func stereoThatIsNotDualChannelIsFlagged() throws {
        let out = try CLI.run(["validate", "--json", "TestAudio/edge/stereo-identical.wav", "TestAudio/edge/silent-right.wav"])
        let array = try #require(try out.json() as? [[String: Any]])
        let codes = array.map { ($0["problems"] as? [[String: String]])?.map { $0["code"] ?? "" } ?? [] }
        #expect(codes == [["identical_channels"], ["silent_channel"]])
        #expect(out.status == 0)
    }

    @Test func textOutputNamesTheFix() throws {
        let out = try CLI.run(["validate", "TestAudio/formats/pcm_mulaw.wav"])
        #expect(out.status == 1)
        #expect(out.stdout.contains("REJECTED"))
        #expect(out.stdout.contains("error [wav_not_pcm]"))
        #expect(out.stdout.contains("callprep merge"))
    }
}
