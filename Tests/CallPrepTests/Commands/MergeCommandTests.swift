import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `callprep merge` end to end, through the built binary.
@Suite struct MergeCommandTests {
    private func temporaryFolder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("callprep-merge-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    private func contents(_ folder: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
    }

    @Test func mergesTheSampleCallAndWritesManifestAndJSON() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let out = folder.appendingPathComponent("call.flac").path
        let result = try CLI.run([
            "merge", CLI.audio("call/agent.wav"), CLI.audio("call/customer.flac"), "-o", out, "--json",
            "--participant", "1:role=Agent,full_name=Alice Agent,user_id=a-42",
            "--participant", "2:full_name=Bob Customer,media_participant_id=+15555550111",
        ])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(result.stderr.isEmpty)  // not a terminal: no progress bar
        let json = try result.json() as! [String: Any]
        let output = json["output"] as! [String: Any]
        #expect(output["sample_rate"] as? Int == 16000)
        #expect(output["channels"] as? Int == 2)
        #expect(output["bits_per_sample"] as? Int == 16)
        let participants = json["participants"] as! [[String: Any]]
        #expect(participants[0]["channel_participant"] as? Int == 1)
        #expect(participants[0]["full_name"] as? String == "Alice Agent")
        #expect(participants[0]["user_id"] as? String == "a-42")
        #expect(participants[1]["channel_participant"] as? Int == 2)
        #expect(participants[1]["role"] as? String == "Customer")
        #expect(participants[1]["media_participant_id"] as? String == "+15555550111")
        let manifest = try Data(contentsOf: folder.appendingPathComponent("call.manifest.json"))
        #expect(manifest == Data(result.stdout.utf8))
        #expect(try contents(folder) == ["call.flac", "call.manifest.json"])
        // The output passes `validate` (dual-channel, 16 kHz FLAC).
        let validate = try CLI.run(["validate", out])
        #expect(validate.status == 0, "\(validate.stdout)")
    }

    @Test func refusesToOverwriteWithoutForce() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let out = folder.appendingPathComponent("call.flac").path
        try Data("precious".utf8).write(to: URL(fileURLWithPath: out))
        let result = try CLI.run(["merge", CLI.audio("call/agent.wav"), CLI.audio("call/customer.wav"), "-o", out])
        #expect(result.status == 1)
        #expect(result.stderr.contains("--force"))
        #expect(try String(contentsOfFile: out, encoding: .utf8) == "precious")
        #expect(try contents(folder) == ["call.flac"])
        let forced = try CLI.run(["merge", CLI.audio("call/agent.wav"), CLI.audio("call/customer.wav"), "-o", out, "--force", "--quiet"])
        #expect(forced.status == 0, "\(forced.stderr)")
        #expect(forced.stdout.isEmpty)
    }

    @Test func badInputsFailWithStatus1AndNoFile() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let out = folder.appendingPathComponent("x.flac").path
        let low = try CLI.run(["merge", CLI.audio("edge/rate-6k.wav"), CLI.audio("call/customer.wav"), "-o", out])
        #expect(low.status == 1)
        #expect(low.stderr.contains("rate-6k.wav"))
        #expect(low.stderr.contains("8000 Hz"))
        let text = try CLI.run(["merge", CLI.audio("call/agent.wav"), CLI.audio("edge/text.wav"), "-o", out])
        #expect(text.status == 1)
        #expect(text.stderr.contains("text.wav"))
        #expect(try contents(folder).isEmpty)
    }

    @Test func jsonFailuresAreJSONToo() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let out = folder.appendingPathComponent("x.flac").path
        let result = try CLI.run(["merge", CLI.audio("call/agent.wav"), CLI.audio("edge/text.wav"), "-o", out, "--json"])
        #expect(result.status == 1)
        let object = try #require(try result.json() as? [String: Any])
        let error = try #require(object["error"] as? [String: Any])
        #expect(error["code"] as? String == "unsupported_format")
        #expect((error["path"] as? String)?.hasSuffix("edge/text.wav") == true)
        #expect((error["message"] as? String)?.isEmpty == false)
        #expect(try contents(folder).isEmpty)
    }

    @Test func usageErrorsExitWith2() throws {
        let one = try CLI.run(["merge", CLI.audio("call/agent.wav"), "-o", "/tmp/never.flac"])
        #expect(one.status == 2)
        let rate = try CLI.run(["merge", CLI.audio("call/agent.wav"), CLI.audio("call/customer.wav"), "-o", "/tmp/never.flac", "--sample-rate", "44"])
        #expect(rate.status == 2)
        let offset = try CLI.run(["merge", CLI.audio("call/agent.wav"), CLI.audio("call/customer.wav"), "-o", "/tmp/never.flac", "--offset", "3=1"])
        #expect(offset.status == 2)
        #expect(!FileManager.default.fileExists(atPath: "/tmp/never.flac"))
    }

    @Test func interruptLeavesNoPartialFile() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        // Two 30-minute 48 kHz tracks, merged at 48 kHz: long enough to be interrupted.
        let frames = 48_000 * 60 * 30
        for name in ["a.wav", "b.wav"] {
            try writeSparseWAV(folder.appendingPathComponent(name), rate: 48_000, frames: frames)
        }
        let inputs = try contents(folder)
        let process = Process()
        process.executableURL = CLI.binary
        process.arguments = [
            "merge", folder.appendingPathComponent("a.wav").path, folder.appendingPathComponent("b.wav").path,
            "-o", folder.appendingPathComponent("out.flac").path, "--sample-rate", "48000", "--quiet",
        ]
        process.standardError = Pipe()
        try process.run()
        // Wait until the temporary output exists, then interrupt.
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline, try contents(folder).count == inputs.count { usleep(20_000) }
        usleep(200_000)
        kill(process.processIdentifier, SIGINT)
        process.waitUntilExit()
        // Cleaned up, then ended by SIGINT itself (a shell shows 130); see MergeSignalTests.
        #expect(process.terminationReason == .uncaughtSignal)
        #expect(process.terminationStatus == SIGINT)
        #expect(try contents(folder) == inputs)
    }

    /// A 16-bit mono WAV whose (sparse) data reads as silence with a little noise at the start.
    private func writeSparseWAV(_ url: URL, rate: UInt32, frames: Int) throws {
        var header = Data()
        func le32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { header.append(contentsOf: $0) } }
        func le16(_ v: UInt16) { withUnsafeBytes(of: v.littleEndian) { header.append(contentsOf: $0) } }
        let dataBytes = UInt32(frames * 2)
        header.append(contentsOf: Array("RIFF".utf8)); le32(36 + dataBytes)
        header.append(contentsOf: Array("WAVEfmt ".utf8)); le32(16); le16(1); le16(1); le32(rate)
        le32(rate * 2); le16(2); le16(16)
        header.append(contentsOf: Array("data".utf8)); le32(dataBytes)
        for index in 0..<4000 { le16(UInt16(bitPattern: Int16((index * 7919) % 2000 - 1000))) }
        FileManager.default.createFile(atPath: url.path, contents: header)
        let handle = try FileHandle(forWritingTo: url)
        try handle.truncate(atOffset: 44 + UInt64(dataBytes))
        try handle.close()
    }
}
