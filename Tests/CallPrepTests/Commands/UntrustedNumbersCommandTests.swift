import Foundation
import Testing

/// Numbers from files, JSON and the command line that no real input has, through the built
/// binary: exit 1 (or 2 for a usage error) with a message naming the value, never a crash; and
/// in a batch, one bad file gives its own error entry while the others are reported in full.
@Suite struct UntrustedNumbersCommandTests {
    /// A 2-second 16-bit mono WAV whose header claims `rate` Hz (libsndfile reads any rate).
    private func wav(claimingRate rate: UInt32, in folder: ScratchFolder, as name: String) throws -> String {
        let frames = 32000
        var data = Data()
        func le32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { data.append(contentsOf: $0) } }
        func le16(_ v: UInt16) { withUnsafeBytes(of: v.littleEndian) { data.append(contentsOf: $0) } }
        data.append(contentsOf: Array("RIFF".utf8)); le32(UInt32(36 + frames * 2))
        data.append(contentsOf: Array("WAVEfmt ".utf8)); le32(16)
        le16(1); le16(1); le32(rate); le32(rate &* 2); le16(2); le16(16)
        data.append(contentsOf: Array("data".utf8)); le32(UInt32(frames * 2))
        for n in 0..<frames { le16(UInt16(bitPattern: Int16(n % 2000 - 1000))) }
        let path = folder.path + "/" + name
        try data.write(to: URL(fileURLWithPath: path))
        return path
    }

    private func crashed(_ output: CLI.Output) -> Bool {
        output.status > 2 || output.stderr.contains("Fatal error") || output.stderr.contains("runtime failure")
    }

    @Test func probeBatchWithAnAbsurdRateGivesThatFileAnErrorAndTheOthersTheirFacts() throws {
        let folder = try ScratchFolder()
        let bad = try wav(claimingRate: 2_000_000_000, in: folder, as: "absurd-rate.wav")
        let json = try CLI.run(["probe", "--json", "TestAudio/call/agent.wav", bad, "TestAudio/call/customer.flac"])
        #expect(!crashed(json))
        #expect(json.status == 1)
        let array = try #require(try json.json() as? [[String: Any]])
        #expect(array.count == 3)
        #expect(array[0]["frames"] as? Int == 267_763)
        #expect(array[0]["sample_rate"] as? Int == 16000)
        let error = try #require(array[1]["error"] as? [String: Any])
        #expect(error["code"] as? String == "corrupt_file")
        #expect((error["message"] as? String)?.contains("the sample rate is 2000000000 Hz") == true)
        #expect(array[2]["container"] as? String == "flac")
        #expect((array[2]["frames"] as? Int ?? 0) > 0)

        let text = try CLI.run(["probe", "TestAudio/call/agent.wav", bad, "TestAudio/call/customer.flac"])
        #expect(!crashed(text))
        #expect(text.status == 1)
        let lines = text.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 4)
        #expect(lines[1].hasPrefix("TestAudio/call/agent.wav") && lines[1].contains("267763"))
        #expect(lines[2].hasPrefix(bad) && lines[2].hasSuffix("error: corrupt_file"))
        #expect(lines[3].hasPrefix("TestAudio/call/customer.flac") && lines[3].contains("flac"))
        #expect(text.stderr.contains("\(bad): the sample rate is 2000000000 Hz"))
    }

    @Test func validateBatchWithAnAbsurdRateRejectsThatFileAndJudgesTheOthers() throws {
        let folder = try ScratchFolder()
        let bad = try wav(claimingRate: 2_000_000_000, in: folder, as: "absurd-rate.wav")
        let json = try CLI.run(["validate", "--json", "TestAudio/call/agent.wav", bad, "TestAudio/edge/dual-channel.wav"])
        #expect(!crashed(json))
        #expect(json.status == 1)
        let array = try #require(try json.json() as? [[String: Any]])
        #expect(array.count == 3)
        #expect(array.map { $0["accepted"] as? Bool } == [true, false, true])
        let problems = try #require(array[1]["problems"] as? [[String: Any]])
        #expect(problems.map { $0["code"] as? String } == ["corrupt_file"])
        #expect((problems[0]["message"] as? String)?.contains("the sample rate is 2000000000 Hz") == true)

        let text = try CLI.run(["validate", "TestAudio/call/agent.wav", bad, "TestAudio/edge/dual-channel.wav"])
        #expect(!crashed(text))
        #expect(text.status == 1)
        #expect(text.stdout.contains("TestAudio/call/agent.wav: OK"))
        #expect(text.stdout.contains("\(bad): REJECTED"))
        #expect(text.stdout.contains("TestAudio/edge/dual-channel.wav: OK"))
    }

    @Test func mergeRecordingsWithAnAbsurdOffsetExitsOneNamingIt() throws {
        let folder = try ScratchFolder()
        try folder.copy("video/room-alice.mka", as: "RT00000000000000000000000000000001.mka")
        try folder.copy("video/room-bob.mka", as: "RT00000000000000000000000000000003.mka")
        let list = try folder.write("""
            {"recordings": [
              {"sid": "RT00000000000000000000000000000001", "type": "audio", "offset": 9300000000000,
               "grouping_sids": {"participant_sid": "PA0000000000000000000000000000000A"}},
              {"sid": "RT00000000000000000000000000000003", "type": "audio", "offset": 10000,
               "grouping_sids": {"participant_sid": "PA0000000000000000000000000000000B"}}
            ], "meta": {}}
            """, as: "recordings.json")
        let out = folder.path + "/room.flac"
        let result = try CLI.run(["merge", "--recordings", list, "-o", out])
        #expect(!crashed(result))
        #expect(result.status == 1)
        #expect(result.stderr.contains("recording RT00000000000000000000000000000001 has offset 9300000000000 ms"))
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    @Test(arguments: ["1e300s", "1e300", "9999999h", "8d"])
    func absurdDurationsAreUsageErrors(duration: String) throws {
        let result = try CLI.run(["transcripts", "wait", "GT00000000000000000000000000000000", "--timeout", duration])
        #expect(result.status == 2)
        #expect(!crashed(result))
        #expect(result.stderr.contains("not a duration up to a year: \"\(duration)\""))
    }
}
