import Foundation
import Testing
@testable import TwilioTestServer

/// Runs the built `callprep` binary against the strict local Intelligence server.
@Suite("callprep submit/transcripts end to end", .enabled(if: FileManager.default.isExecutableFile(atPath: CLI.binary.path), "callprep binary not built; run `swift build --build-tests` first"))
struct IntelligenceCLITests {
    static let token = StrictTwilioServer.authToken
    static let basic = Data("\(StrictTwilioServer.accountSID):\(StrictTwilioServer.authToken)".utf8).base64EncodedString()

    /// A merge manifest as the merge step writes it; extra keys must be tolerated.
    static func writeManifest() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("cli-\(UUID().uuidString).manifest.json").path
        let manifest = """
            {"version": 1, "output": {"path": "call.flac", "sha256": "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff", "frames": 480000},
             "participants": [
              {"channel_participant": 1, "user_id": "agent-42", "media_participant_id": "+15555550100", "email": "alice@example.com",
               "full_name": "Alice Agent", "image_url": "https://example.com/a.png", "role": "Agent"},
              {"channel_participant": 2, "user_id": "cust-7", "media_participant_id": "+15555550111", "full_name": "Bob Customer", "role": "Customer"}],
             "tracks": [{"source": "agent.wav"}, {"source": "customer.flac"}]}
            """
        try manifest.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    static func environment(_ server: StrictTwilioServer?) -> [String: String] {
        var environment = ["TWILIO_ACCOUNT_SID": StrictTwilioServer.accountSID, "TWILIO_AUTH_TOKEN": token,
                           "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin"]
        if let server {
            environment["CALLPREP_INTELLIGENCE_URL"] = server.baseURL
            environment["CALLPREP_INSIGHTS_URL"] = server.baseURL
        }
        return environment
    }

    static func expectNoSecret(_ result: CLI.Output) {
        #expect(!result.stdout.contains(token))
        #expect(!result.stderr.contains(token))
        #expect(!result.stdout.contains(basic))
        #expect(!result.stderr.contains(basic))
    }

    @Test("--dry-run prints the §11 body with participants from the manifest, secret redacted, nothing sent")
    func dryRun() async throws {
        let manifest = try Self.writeManifest()
        let result = try CLI.run([
            "submit", "--service", StrictTwilioServer.serviceSID,
            "--media-url", "https://example.com/rec/call-123.wav?X-Amz-Signature=abc%2Fdef&X-Amz-Expires=3600",
            "--manifest", manifest, "--customer-key", "meeting-2024-05-01/room A",
            "--media-start-time", "2024-05-01T15:45:30+02:00", "--dry-run", "--json", "--verbose",
        ], environment: Self.environment(nil))
        #expect(result.status == 0)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        // The offset is converted: 15:45:30+02:00 is 13:45:30Z, exactly the captured body.
        #expect(object["body"] as? String == CLIReference.capturedBody)
        #expect(object["url"] as? String == "https://intelligence.twilio.com/v2/Transcripts")
        let headers = try #require(object["headers"] as? [String: String])
        #expect(headers["Authorization"] == "Basic \(StrictTwilioServer.accountSID):<redacted>")
        Self.expectNoSecret(result)
    }

    @Test("submit --wait against the server: one transcript, completed, printed as JSON; sentences as SRT with names")
    func submitAndRead() async throws {
        let server = try await StrictTwilioServer.start()
        defer { Task { try? await server.stop() } }
        server.state.configure { $0.pollsToComplete = 2; $0.sentencesPerTranscript = 3 }
        // The first create attempt is answered 500 after the transcript was made: the CLI must not duplicate it.
        server.state.inject(.errorAfterActing(status: 500), method: "POST", path: "/v2/Transcripts")
        let manifest = try Self.writeManifest()
        let submit = try CLI.run([
            "submit", "--service", StrictTwilioServer.serviceSID, "--media-url", server.baseURL + "/media/call.flac",
            "--allow-http", "--manifest", manifest, "--wait", "--timeout", "60s", "--json", "--verbose",
        ], environment: Self.environment(server))
        #expect(submit.status == 0, "stderr: \(submit.stderr)")
        let transcript = try #require(try JSONSerialization.jsonObject(with: Data(submit.stdout.utf8)) as? [String: Any])
        #expect(transcript["status"] as? String == "completed")
        let sid = try #require(transcript["sid"] as? String)
        #expect(server.state.transcriptCount == 1)
        #expect(server.state.requests.filter { $0.method == "POST" }.count == 1)
        #expect(server.state.requests.contains { $0.method == "HEAD" && $0.path == "/media/call.flac" })
        let post = try #require(server.state.requests.first { $0.method == "POST" })
        let fields = try #require(ServerForm.decode(post.bodyText))
        // Default CustomerKey: derived from output.sha256 and the channel map.
        #expect(fields.first { $0.0 == "CustomerKey" }?.1.hasPrefix("cp-") == true)
        #expect(fields.first { $0.0 == "Channel" }?.1.contains(#""full_name": "Bob Customer""#) == true)
        Self.expectNoSecret(submit)

        // Running the same submit again reuses the transcript (same derived CustomerKey).
        let again = try CLI.run([
            "submit", "--service", StrictTwilioServer.serviceSID, "--media-url", server.baseURL + "/media/call.flac",
            "--allow-http", "--manifest", manifest, "--json",
        ], environment: Self.environment(server))
        #expect(again.status == 0)
        #expect(again.stderr.contains("already submitted: \(sid)"))
        #expect(server.state.transcriptCount == 1)
        let forced = try CLI.run([
            "submit", "--service", StrictTwilioServer.serviceSID, "--media-url", server.baseURL + "/media/call.flac",
            "--allow-http", "--manifest", manifest, "--force", "--json",
        ], environment: Self.environment(server))
        #expect(forced.status == 0)
        #expect(server.state.transcriptCount == 2)
        server.state.configure { $0.transcripts.removeLast() }

        let srt = try CLI.run(["transcripts", "sentences", sid, "--format", "srt"], environment: Self.environment(server))
        #expect(srt.status == 0)
        #expect(srt.stdout == """
            1
            00:00:00,500 --> 00:00:02,500
            Alice Agent: Sentence 0 on channel 1.

            2
            00:00:03,000 --> 00:00:05,000
            Bob Customer: Sentence 1 on channel 2.

            3
            00:00:05,500 --> 00:00:07,500
            Alice Agent: Sentence 2 on channel 1.


            """)
        let list = try CLI.run(["transcripts", "list", "--service", StrictTwilioServer.serviceSID, "--json"], environment: Self.environment(server))
        #expect(list.status == 0)
        #expect((try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [Any])?.count == 1)
    }

    @Test("exit codes: 2 usage, 1 API error with code and request id, 1 bad input, 1 unreachable media URL")
    func exitCodes() async throws {
        let server = try await StrictTwilioServer.start()
        defer { Task { try? await server.stop() } }
        let environment = Self.environment(server)

        let usage = try CLI.run(["submit", "--media-url", "https://example.com/a.wav"], environment: environment)
        #expect(usage.status == 2)
        #expect(usage.stderr.contains("--service"))

        let missing = "GT" + String(repeating: "f", count: 32)
        let notFound = try CLI.run(["transcripts", "get", missing, "--json"], environment: environment)
        #expect(notFound.status == 1)
        let error = try #require((try JSONSerialization.jsonObject(with: Data(notFound.stdout.utf8)) as? [String: Any])?["error"] as? [String: Any])
        #expect(error["code"] as? String == "not_found")
        #expect(error["status"] as? Int == 404)
        #expect(error["twilio_code"] as? Int == 20404)
        #expect((error["request_id"] as? String)?.hasPrefix("RQ") == true)
        #expect(notFound.stderr.contains("20404"))

        let badParticipant = try CLI.run(["submit", "--service", StrictTwilioServer.serviceSID, "--media-url", "https://example.com/a.wav",
                                          "--participant", "3:role=Agent", "--dry-run"], environment: environment)
        #expect(badParticipant.status == 1)
        // The one --participant parser (ChannelMap) refuses channel 3 before a request is built.
        #expect(badParticipant.stderr.contains("with channel 1 or 2"))
        #expect(badParticipant.stderr.contains("'3:role=Agent'"))

        let http = try CLI.run(["submit", "--service", StrictTwilioServer.serviceSID, "--media-url", server.baseURL + "/media/call.flac"],
                               environment: environment)
        #expect(http.status == 1)
        #expect(http.stderr.contains("https"))

        let unreachable = try CLI.run(["submit", "--service", StrictTwilioServer.serviceSID, "--media-url", server.baseURL + "/media/missing.flac",
                                       "--allow-http"], environment: environment)
        #expect(unreachable.status == 1)
        #expect(unreachable.stderr.contains("HTTP 404"))
        #expect(server.state.transcriptCount == 0)

        // HEAD refused (405) but a one-byte ranged GET answers 206: the URL is usable.
        let rangedOnly = try CLI.run(["submit", "--service", StrictTwilioServer.serviceSID, "--media-url", server.baseURL + "/media/no-head.flac",
                                      "--allow-http", "--participant", "1:full_name=Alice Agent", "--json"], environment: environment)
        #expect(rangedOnly.status == 0, "stderr: \(rangedOnly.stderr)")
        #expect(server.state.requests.contains { $0.method == "GET" && $0.path == "/media/no-head.flac" && $0.header("Range") == "bytes=0-0" })
        #expect(server.state.transcriptCount == 1)

        var apiKey = environment
        apiKey["TWILIO_AUTH_TOKEN"] = nil
        apiKey["TWILIO_API_KEY"] = ServerState.apiKeySID
        apiKey["TWILIO_API_SECRET"] = ServerState.apiKeySecret
        let keyList = try CLI.run(["services", "list", "--json", "--verbose"], environment: apiKey)
        #expect(keyList.status == 0)
        #expect(!keyList.stdout.contains(ServerState.apiKeySecret) && !keyList.stderr.contains(ServerState.apiKeySecret))

        var wrong = environment
        wrong["TWILIO_AUTH_TOKEN"] = "wrong_token_value_abcdef"
        let denied = try CLI.run(["services", "list", "--verbose"], environment: wrong)
        #expect(denied.status == 1)
        #expect(denied.stderr.contains("20003"))
        #expect(!denied.stderr.contains("wrong_token_value_abcdef"))
    }
}

extension IntelligenceCLITests {
    static func json(_ result: CLI.Output) throws -> Any { try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) }

    @Test("services, operators, insights and transcripts wait through the binary, --json everywhere")
    func otherCommandGroups() async throws {
        let server = try await StrictTwilioServer.start()
        defer { Task { try? await server.stop() } }
        let environment = Self.environment(server)

        let created = try CLI.run(["services", "create", "--unique-name", "cli-notes", "--auto-redaction", "true",
                                   "--webhook-url", "https://example.com/hooks/ci", "--webhook-method", "POST", "--json"], environment: environment)
        #expect(created.status == 0, "stderr: \(created.stderr)")
        let service = try #require(try Self.json(created) as? [String: Any])
        let serviceSID = try #require(service["sid"] as? String)
        #expect(server.state.requests.last?.bodyText == "UniqueName=cli-notes&AutoRedaction=true&WebhookUrl=https%3A%2F%2Fexample.com%2Fhooks%2Fci&WebhookHttpMethod=POST")
        let updated = try CLI.run(["services", "update", serviceSID, "--friendly-name", "CLI notes", "--if-match", "1", "--json"], environment: environment)
        #expect((try Self.json(updated) as? [String: Any])?["version"] as? Int == 2)
        let stale = try CLI.run(["services", "update", serviceSID, "--friendly-name", "x", "--if-match", "1"], environment: environment)
        #expect(stale.status == 1)
        #expect(stale.stderr.contains("HTTP 412"))
        let table = try CLI.run(["services", "list"], environment: environment)
        #expect(table.stdout.split(separator: "\n").count == 3)
        #expect(table.stdout.contains("cli-notes"))
        #expect(try CLI.run(["services", "delete", serviceSID], environment: environment).status == 0)

        let operators = try CLI.run(["operators", "list", "--kind", "prebuilt", "--json"], environment: environment)
        let prebuilt = try #require(try Self.json(operators) as? [[String: Any]])
        #expect(prebuilt.count == 2)
        let operatorSID = try #require(prebuilt.first?["sid"] as? String)
        #expect(try CLI.run(["operators", "attach", operatorSID, "--service", StrictTwilioServer.serviceSID], environment: environment).status == 0)
        let attached = try CLI.run(["operators", "attached", "--service", StrictTwilioServer.serviceSID], environment: environment)
        #expect(attached.stdout == operatorSID + "\n")
        let badConfig = try CLI.run(["operators", "create-custom", "--friendly-name", "X", "--type", "text-generation", "--config", "[1]"], environment: environment)
        #expect(badConfig.status == 1)
        #expect(badConfig.stderr.contains("--config"))

        let query = try CLI.run(["insights", "query", "--measure", "Count", "--dimension", "Channels", "--filter", "Channels IN voice,chat",
                                 "--page-size", "2", "--json"], environment: environment)
        #expect(query.status == 0, "stderr: \(query.stderr)")
        #expect((try Self.json(query) as? [Any])?.count == 5)

        server.state.configure { $0.finalStatus = "failed"; $0.pollsToComplete = 2 }
        let submit = try CLI.run(["submit", "--service", StrictTwilioServer.serviceSID, "--source-sid", "RE" + String(repeating: "d", count: 32),
                                  "--json"], environment: environment)
        let sid = try #require((try Self.json(submit) as? [String: Any])?["sid"] as? String)
        let wait = try CLI.run(["transcripts", "wait", sid, "--poll-interval", "10ms", "--timeout", "20s"], environment: environment)
        #expect(wait.status == 1)
        #expect(wait.stderr.contains("ended with status failed"))
    }
}

/// The §11 (a) capture (also asserted in TwilioIntelligenceTests).
enum CLIReference {
    static let capturedBody = "ServiceSid=GAbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb&Channel=%7B%22media_properties%22%3A+%7B%22media_url%22%3A+%22https%3A%2F%2Fexample.com%2Frec%2Fcall-123.wav%3FX-Amz-Signature%3Dabc%252Fdef%26X-Amz-Expires%3D3600%22%7D%2C+%22participants%22%3A+%5B%7B%22channel_participant%22%3A+1%2C+%22user_id%22%3A+%22agent-42%22%2C+%22media_participant_id%22%3A+%22%2B15555550100%22%2C+%22email%22%3A+%22alice%40example.com%22%2C+%22full_name%22%3A+%22Alice+Agent%22%2C+%22image_url%22%3A+%22https%3A%2F%2Fexample.com%2Fa.png%22%2C+%22role%22%3A+%22Agent%22%7D%2C+%7B%22channel_participant%22%3A+2%2C+%22user_id%22%3A+%22cust-7%22%2C+%22media_participant_id%22%3A+%22%2B15555550111%22%2C+%22full_name%22%3A+%22Bob+Customer%22%2C+%22role%22%3A+%22Customer%22%7D%5D%7D&CustomerKey=meeting-2024-05-01%2Froom+A&MediaStartTime=2024-05-01T13%3A45%3A30Z"
}
