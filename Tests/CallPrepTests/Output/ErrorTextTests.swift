import Foundation
import NIOCore
import NIOPosix
import Testing
@testable import TwilioTestServer

/// Errors read as callprep sentences naming the file or field, never as Foundation's or
/// NIO's wording (`The file doesn’t exist.`, `DecodingError.dataCorrupted(…)`, `(errno: 111))`).
@Suite("errors in callprep's words", .enabled(if: FileManager.default.isExecutableFile(atPath: CLI.binary.path), "callprep binary not built; run `swift build --build-tests` first"))
struct ErrorTextTests {
    static let foreignWording = ["DecodingError", "errno", "Context(", "doesn’t exist", "couldn’t be", "NSCocoaErrorDomain", ".."]

    static func expectCallprepWords(_ text: String) {
        for phrase in foreignWording {
            #expect(!text.contains(phrase), "\(phrase.debugDescription) in \(text)")
        }
    }

    static func submit(manifest: String) throws -> CLI.Output {
        try CLI.run(["submit", "--service", StrictTwilioServer.serviceSID, "--media-url", "https://example.com/a.wav",
                     "--manifest", manifest, "--dry-run"], environment: IntelligenceCLITests.environment(nil))
    }

    @Test func manifestFieldOfTheWrongTypeIsNamed() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("errortext-\(UUID().uuidString).json").path
        try Data(#"{"participants": [{"channel_participant": "one"}]}"#.utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let out = try Self.submit(manifest: path)
        #expect(out.status == 1)
        #expect(out.stderr == "callprep: invalid --manifest: \(path): is not a merge manifest (JSON with a \"participants\" array of {\"channel_participant\": 1|2, …}): \"participants[0].channel_participant\" is not a whole number. Run `callprep merge` again, or pass --participant. Nothing was sent.\n")
        Self.expectCallprepWords(out.stderr)
    }

    @Test func manifestThatIsAFolderOrMissing() throws {
        let folder = try Self.submit(manifest: "TestAudio")
        #expect(folder.status == 1)
        #expect(folder.stderr.hasPrefix("callprep: invalid --manifest: TestAudio: cannot be read"))
        Self.expectCallprepWords(folder.stderr)
        let missing = try Self.submit(manifest: "no/such/out.manifest.json")
        #expect(missing.stderr == "callprep: invalid --manifest: no/such/out.manifest.json: does not exist. Pass the OUT.manifest.json that `callprep merge` wrote beside the FLAC. Nothing was sent.\n")
    }

    @Test func refusedConnectionNamesHostAndPort() async throws {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton).bind(host: "127.0.0.1", port: 0).get()
        let port = try #require(channel.localAddress?.port)
        try await channel.close()
        var environment = IntelligenceCLITests.environment(nil)
        environment["CALLPREP_INTELLIGENCE_URL"] = "http://127.0.0.1:\(port)"
        let out = try CLI.run(["services", "list", "--max-attempts", "1", "--json"], environment: environment)
        #expect(out.status == 1)
        let sentence = "GET /v2/Services failed after 1 attempt(s): the request could not be sent (connection refused by 127.0.0.1:\(port): nothing listens there; check the URL's host and port). Check the network or base URL and try again."
        #expect(out.stderr == "callprep: \(sentence)\n")
        let error = try #require((try out.json() as? [String: Any])?["error"] as? [String: Any])
        #expect(error["code"] as? String == "network_error")
        #expect(error["message"] as? String == sentence)
        Self.expectCallprepWords(out.stderr)
    }
}
