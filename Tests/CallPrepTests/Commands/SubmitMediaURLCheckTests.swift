import AudioPrep
import Foundation
import Testing
@testable import TwilioTestServer

/// `submit --media-url … --manifest …`: the URL must serve the merged file's size, read from
/// HEAD's Content-Length or, when HEAD is refused, from the ranged GET's Content-Range total.
@Suite("submit's media URL check compares the served size with the manifest", .enabled(if: FileManager.default.isExecutableFile(atPath: CLI.binary.path), "callprep binary not built; run `swift build --build-tests` first"))
struct SubmitMediaURLCheckTests {
    /// Merges the sample call into `scratch/call.flac` with names, returning both paths.
    static func merge(into scratch: ScratchFolder) throws -> (flac: String, manifest: String) {
        let flac = scratch.path + "/call.flac"
        let merged = try CLI.run(["merge", CLI.audio("call/agent.wav"), CLI.audio("call/customer.wav"), "-o", flac, "--force",
                                  "--participant", "1:role=Agent,full_name=Alice Agent", "--participant", "2:role=Customer,full_name=Bob Customer"])
        try #require(merged.status == 0, "\(merged.stderr)")
        return (flac, scratch.path + "/call.manifest.json")
    }

    @Test("a URL serving another size is refused before the create, by HEAD and by ranged GET")
    func servedSizeMustBeTheManifests() async throws {
        let server = try await StrictTwilioServer.start()
        defer { Task { try? await server.stop() } }
        let scratch = try ScratchFolder()
        let (flac, manifest) = try Self.merge(into: scratch)
        let size = Int(try FileDigest.size(path: flac))
        let environment = IntelligenceCLITests.environment(server)
        func submit(_ path: String) throws -> CLI.Output {
            try CLI.run(["submit", "--service", StrictTwilioServer.serviceSID, "--media-url", server.baseURL + path,
                         "--allow-http", "--manifest", manifest], environment: environment)
        }
        for path in ["/media/call.flac", "/media/no-head.flac"] {
            server.state.configure { $0.mediaSizeBytes = size - 1 }
            let wrong = try submit(path)
            #expect(wrong.status == 1, "\(path)")
            #expect(wrong.stderr.contains("invalid --media-url: serves \(size - 1) bytes, but the manifest records \(size) for the merged file"), "\(wrong.stderr)")
            #expect(server.state.transcriptCount == 0)
        }
        #expect(server.state.requests.contains { $0.method == "GET" && $0.path == "/media/no-head.flac" && $0.header("Range") == "bytes=0-0" })
        server.state.configure { $0.mediaSizeBytes = size }
        let right = try submit("/media/call.flac")
        #expect(right.status == 0, "\(right.stderr)")
        let rangedOnly = try submit("/media/no-head.flac")
        #expect(rangedOnly.status == 0, "\(rangedOnly.stderr)")
        #expect(server.state.transcriptCount == 2)
    }
}
