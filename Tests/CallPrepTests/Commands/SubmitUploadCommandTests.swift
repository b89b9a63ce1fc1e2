import AudioPrep
import Foundation
import Testing
@testable import TwilioTestServer

/// `submit --manifest … --upload s3://…/` end to end: a real merge, moto as the bucket and the
/// strict Intelligence test server as Twilio.
@Suite("submit --upload against moto and the strict server", .serialized, .enabled(if: FileManager.default.isExecutableFile(atPath: CLI.binary.path), "callprep binary not built; run `swift build --build-tests` first"))
struct SubmitUploadCommandTests {
    static func merge(into scratch: ScratchFolder) throws -> (flac: String, manifest: String) {
        try SubmitMediaURLCheckTests.merge(into: scratch)
    }

    static func environment(_ moto: MotoServer, _ server: StrictTwilioServer?, home: String) -> [String: String] {
        moto.environment(home: home, adding: IntelligenceCLITests.environment(server))
    }

    static func expectNoSecret(_ result: CLI.Output, sourceLocation: SourceLocation = #_sourceLocation) {
        UploadCommandTests.expectNoSecret(result, sourceLocation: sourceLocation)
        IntelligenceCLITests.expectNoSecret(result)
    }

    @Test("the submitted media_url is a presigned URL serving the merged bytes; a re-run uploads nothing and creates no second transcript")
    func submitUploadEndToEnd() async throws {
        let moto = try await MotoServer(buckets: ["calls"])
        let server = try await StrictTwilioServer.start()
        defer { Task { try? await server.stop() } }
        let scratch = try ScratchFolder()
        let (flac, manifest) = try Self.merge(into: scratch)
        let sha256 = try FileDigest.sha256(path: flac)
        let size = Int(try FileDigest.size(path: flac))
        server.state.configure { $0.mediaSizeBytes = size }
        let arguments = ["submit", "--service", StrictTwilioServer.serviceSID, "--manifest", manifest,
                         "--upload", "s3://calls/2024/", "--allow-http", "--wait", "--timeout", "60s", "--json"]
        let environment = Self.environment(moto, server, home: scratch.path)

        let first = try CLI.run(arguments, environment: environment, timeout: CLI.uploadTimeout)
        #expect(first.status == 0, "\(first.stderr)")
        let transcript = try #require(try first.json() as? [String: Any])
        #expect(transcript["status"] as? String == "completed")
        #expect(server.state.transcriptCount == 1)
        #expect(try moto.requestLines().filter { $0 == "PUT /calls/2024/call.flac" }.count == 1)
        let post = try #require(server.state.requests.first { $0.method == "POST" && $0.path == "/v2/Transcripts" })
        let fields = try #require(ServerForm.decode(post.bodyText))
        let channel = try #require(fields.first { $0.0 == "Channel" }?.1)
        let channelJSON = try #require(try JSONSerialization.jsonObject(with: Data(channel.utf8)) as? [String: Any])
        let mediaURL = try #require((channelJSON["media_properties"] as? [String: Any])?["media_url"] as? String)
        #expect(mediaURL.hasPrefix(moto.endpoint + "/calls/2024/call.flac?"), "\(mediaURL)")
        #expect(mediaURL.contains("X-Amz-Signature=") && mediaURL.contains("X-Amz-Expires=86400"))
        #expect(channel.contains(#""full_name": "Bob Customer""#))
        // The URL serves exactly the merged bytes.
        let fetched = try await UploadCommandTests.fetchSHA256(mediaURL, scratch: scratch)
        #expect(fetched.status == 200)
        #expect(fetched.sha256 == sha256)
        Self.expectNoSecret(first)

        // The same command again: HEAD finds the bytes, no PUT; the CustomerKey finds the transcript.
        let second = try CLI.run(arguments, environment: environment, timeout: CLI.uploadTimeout)
        #expect(second.status == 0, "\(second.stderr)")
        #expect(second.stderr.contains("not uploading again"), "\(second.stderr)")
        #expect(second.stderr.contains("already submitted: \(try #require(transcript["sid"] as? String))"), "\(second.stderr)")
        #expect(try moto.requestLines().filter { $0.hasPrefix("PUT ") && $0 != "PUT /calls" }.count == 1)
        #expect(server.state.transcriptCount == 1)
        #expect(server.state.requests.filter { $0.method == "POST" }.count == 1)
        Self.expectNoSecret(second)
    }

    @Test("a file changed since the merge is refused before any request; S3 errors keep their code")
    func refusals() async throws {
        let moto = try await MotoServer(buckets: ["calls"])
        let server = try await StrictTwilioServer.start()
        defer { Task { try? await server.stop() } }
        let scratch = try ScratchFolder()
        let (flac, manifest) = try Self.merge(into: scratch)
        let environment = Self.environment(moto, server, home: scratch.path)
        let base = ["submit", "--service", StrictTwilioServer.serviceSID, "--manifest", manifest, "--allow-http"]

        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: flac))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data([0]))
        try handle.close()
        let motoBefore = try moto.requestLines().count
        let changed = try CLI.run(base + ["--upload", "s3://calls/", "--json"], environment: environment, timeout: CLI.uploadTimeout)
        #expect(changed.status == 1)
        let error = try #require((try changed.json() as? [String: Any])?["error"] as? [String: Any])
        #expect(error["code"] as? String == "media_changed")
        #expect(error["path"] as? String == flac)
        #expect(changed.stderr.contains("the file changed since the merge"), "\(changed.stderr)")
        #expect(try moto.requestLines().count == motoBefore)
        #expect(server.state.requests.isEmpty)
        // The dry run checks it too.
        let dry = try CLI.run(base + ["--upload", "s3://calls/", "--dry-run"], environment: environment, timeout: CLI.uploadTimeout)
        #expect(dry.status == 1)
        #expect(dry.stderr.contains("the file changed since the merge"))

        _ = try Self.merge(into: scratch)
        let noBucket = try CLI.run(base + ["--upload", "s3://no-such-bucket/", "--json"], environment: environment, timeout: CLI.uploadTimeout)
        #expect(noBucket.status == 1)
        #expect(((try noBucket.json() as? [String: Any])?["error"] as? [String: Any])?["code"] as? String == "NoSuchBucket")
        #expect(noBucket.stderr.contains("NoSuchBucket"))
        #expect(server.state.transcriptCount == 0)

        let usage = try CLI.run(["submit", "--service", StrictTwilioServer.serviceSID, "--upload", "s3://calls/"], environment: environment, timeout: CLI.uploadTimeout)
        #expect(usage.status == 2)
        #expect(usage.stderr.contains("--upload needs --manifest"))
        let both = try CLI.run(base + ["--upload", "s3://calls/", "--media-url", "https://example.com/a.flac"], environment: environment, timeout: CLI.uploadTimeout)
        #expect(both.status == 2)
        for result in [changed, dry, noBucket] { Self.expectNoSecret(result) }
    }

    @Test("the dry run needs no credentials: it shows what it would upload and a presigned URL, and sends nothing")
    func dryRunWithoutCredentials() throws {
        let scratch = try ScratchFolder()
        let (flac, manifest) = try Self.merge(into: scratch)
        let environment = ["HOME": scratch.path, "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin"]
        let dry = try CLI.run(["submit", "--service", "GA" + String(repeating: "0", count: 32), "--manifest", manifest,
                               "--upload", "s3://my-bucket/calls/", "--dry-run"], environment: environment, timeout: CLI.uploadTimeout)
        #expect(dry.status == 0, "\(dry.stderr)")
        #expect(dry.stderr.contains("dry run: would upload \(flac) (\(try FileDigest.size(path: flac)) bytes, audio/flac, sha256 \(try FileDigest.sha256(path: flac))) to s3://my-bucket/calls/call.flac"), "\(dry.stderr)")
        #expect(dry.stderr.contains("placeholder key"))
        #expect(dry.stdout.hasPrefix("POST https://intelligence.twilio.com/v2/Transcripts\n"))
        #expect(dry.stdout.contains("https%3A%2F%2Fmy-bucket.s3.us-east-1.amazonaws.com%2Fcalls%2Fcall.flac%3FX-Amz-Algorithm%3DAWS4-HMAC-SHA256"), "\(dry.stdout)")
    }
}
