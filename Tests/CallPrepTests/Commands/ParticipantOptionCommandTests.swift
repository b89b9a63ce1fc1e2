import Foundation
import Testing

/// `--participant` through the built binary: `merge` and `submit` share one parser, so a comma
/// inside a value works the same way in both.
@Suite struct ParticipantOptionCommandTests {
    @Test func mergeTakesEscapedAndQuotedCommas() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("callprep-participant-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try CLI.run([
            "merge", CLI.audio("call/agent.wav"), CLI.audio("call/customer.wav"), "-o", folder.appendingPathComponent("call.flac").path,
            "--json", "--participant", #"1:full_name=Smith\, John,role=Agent"#,
            "--participant", #"2:full_name="Doe, Jane",user_id=c-7"#,
        ])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let participants = try #require((try result.json() as? [String: Any])?["participants"] as? [[String: Any]])
        #expect(participants.count == 2)
        #expect(participants[0]["full_name"] as? String == "Smith, John")
        #expect(participants[0]["role"] as? String == "Agent")
        #expect(participants[1]["full_name"] as? String == "Doe, Jane")
        #expect(participants[1]["user_id"] as? String == "c-7")
        #expect(participants[1]["role"] as? String == "Customer")
    }

    @Test func submitTakesTheSameSyntax() throws {
        let result = try CLI.run([
            "submit", "--service", "GA" + String(repeating: "b", count: 32), "--media-url", "https://example.com/call.flac",
            "--participant", #"1:full_name="Smith, John""#, "--participant", #"2:full_name=Doe\, Jane"#, "--dry-run", "--json",
        ], environment: ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin"])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let object = try #require(try result.json() as? [String: Any])
        let fields = try #require(object["fields"] as? [String: String])
        #expect(fields["Channel"] == #"{"media_properties": {"media_url": "https://example.com/call.flac"}, "participants": [{"channel_participant": 1, "full_name": "Smith, John"}, {"channel_participant": 2, "full_name": "Doe, Jane"}]}"#)
    }

    @Test func malformedValuesAreUsageErrorsInMergeAndInputErrorsInSubmit() throws {
        let merge = try CLI.run([
            "merge", CLI.audio("call/agent.wav"), CLI.audio("call/customer.wav"), "-o", "/tmp/never-written.flac",
            "--participant", #"1:full_name="Smith, John"#,
        ])
        #expect(merge.status == 2)
        #expect(merge.stderr.contains("no closing '\"'"))
        #expect(!FileManager.default.fileExists(atPath: "/tmp/never-written.flac"))
        let submit = try CLI.run([
            "submit", "--service", "GA" + String(repeating: "b", count: 32), "--media-url", "https://example.com/call.flac",
            "--participant", "1:nickname=Al", "--dry-run",
        ], environment: ["PATH": "/usr/bin"])
        #expect(submit.status == 1)
        #expect(submit.stderr.contains("unknown field 'nickname'"))
    }
}
