import Foundation
import Testing
@testable import TwilioTestServer

/// Every `--json` failure prints the same `{"error": {…}}` shape on stdout (and a sentence on
/// stderr): `code` is always a string, the optional members appear only when they apply.
@Suite("--json failures share one error shape", .enabled(if: FileManager.default.isExecutableFile(atPath: CLI.binary.path), "callprep binary not built; run `swift build --build-tests` first"))
struct ErrorJSONTests {
    @Test func probeFailureIsAnErrorObjectBesideThePath() throws {
        let out = try CLI.run(["probe", "--json", "no/such/file.wav"])
        #expect(out.status == 1)
        #expect(out.stdout == """
            [
              {
                "path": "no/such/file.wav",
                "error": {
                  "code": "file_not_found",
                  "message": "no such file; check the path.",
                  "path": "no/such/file.wav"
                }
              }
            ]

            """)
        #expect(out.stderr == "callprep: no/such/file.wav: no such file; check the path.\n")
    }

    @Test func mergeFailureIsOneErrorObject() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("errorjson-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let output = folder.appendingPathComponent("out.flac").path
        let out = try CLI.run(["merge", "no/such/file.wav", CLI.audio("call/customer.wav"), "-o", output, "--json"])
        #expect(out.status == 1)
        #expect(out.stdout == """
            {
              "error": {
                "code": "file_not_found",
                "message": "track 1 does not exist. Check the path.",
                "path": "no/such/file.wav"
              }
            }

            """)
        #expect(out.stderr.contains("no/such/file.wav: track 1 does not exist"))
        #expect(!FileManager.default.fileExists(atPath: output))
    }

    @Test func apiFailureCarriesStatusAndTwilioCode() async throws {
        let server = try await StrictTwilioServer.start()
        defer { Task { try? await server.stop() } }
        let missing = "GT" + String(repeating: "f", count: 32)
        let out = try CLI.run(["transcripts", "get", missing, "--json"], environment: IntelligenceCLITests.environment(server))
        #expect(out.status == 1)
        let error = try #require((try out.json() as? [String: Any])?["error"] as? [String: Any])
        let keys = ["code", "message", "status", "twilio_code", "more_info", "request_id"]
        #expect(error.keys.sorted() == keys.sorted())
        let positions = keys.compactMap { out.stdout.range(of: "\n    \"\($0)\": ")?.lowerBound }
        #expect(positions.count == keys.count && positions == positions.sorted(), "members in documented order")
        #expect(error["code"] as? String == "not_found")
        #expect(error["status"] as? Int == 404)
        #expect(error["twilio_code"] as? Int == 20404)
        #expect(error["more_info"] as? String == "https://www.twilio.com/docs/errors/20404")
        #expect((error["request_id"] as? String)?.hasPrefix("RQ") == true)
        let message = try #require(error["message"] as? String)
        #expect(message.hasPrefix("Twilio error 20404 (HTTP 404) on GET /v2/Transcripts/\(missing): "))
        #expect(message.hasSuffix("What to do: check the SID and that it belongs to this account and region."))
        #expect(out.stderr == "callprep: \(message)\n")
    }

    @Test func refusedInputNamesTheField() throws {
        let out = try CLI.run(["submit", "--service", StrictTwilioServer.serviceSID, "--media-url", "https://example.com/a.wav",
                               "--media-start-time", "yesterday", "--dry-run", "--json"],
                              environment: IntelligenceCLITests.environment(nil))
        #expect(out.status == 1)
        let error = try #require((try out.json() as? [String: Any])?["error"] as? [String: Any])
        #expect(error.keys.sorted() == ["code", "field", "message"])
        #expect(error["code"] as? String == "invalid_input")
        #expect(error["field"] as? String == "--media-start-time")
        #expect((error["message"] as? String)?.hasPrefix("invalid --media-start-time: not ISO 8601") == true)
    }

    @Test("API output comes from the same writer: jq layout, keys sorted")
    func apiOutputUsesTheSameWriter() async throws {
        let server = try await StrictTwilioServer.start()
        defer { Task { try? await server.stop() } }
        let out = try CLI.run(["services", "list", "--json"], environment: IntelligenceCLITests.environment(server))
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stdout.hasPrefix("[\n  {\n    \""))
        #expect(!out.stdout.contains("\" : "))
        let keys = CLI.keyOrder(ofObjectsIn: out.stdout)
        #expect(!keys.isEmpty)
        for object in keys { #expect(object == object.sorted(), "\(object)") }
    }
}
