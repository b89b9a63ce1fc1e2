import Foundation
import Testing

/// merge on MP4/AAC through the built binary: decoded with the `AAC` trait, refused with the
/// build command and the licence consequence without it.
@Suite struct AACMergeCommandTests {
    func temporaryOutput() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("callprep-aac-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory.appendingPathComponent("out.flac")
    }

    #if AAC
    @Test func mergesAACTracks() throws {
        let output = try temporaryOutput()
        defer { try? FileManager.default.removeItem(at: output.deletingLastPathComponent()) }
        let out = try CLI.run([
            "merge", "TestAudio/video/aac-edit.m4a", "TestAudio/video/aac-fragmented.mp4", "-o", output.path, "--json",
        ])
        #expect(out.status == 0, "\(out.stderr)")
        let probe = try CLI.run(["probe", "--json", output.path])
        let info = try #require((try probe.json() as? [[String: Any]])?.first)
        // The longer input (the fragmented file, 95 whole packets = 97 280 frames at 48 kHz) at 16 kHz: 32 427.
        #expect(info["frames"] as? Int == 32_427)
        #expect(info["channels"] as? Int == 2)
    }
    #else
    @Test func refusesAACAndSaysHowToEnableIt() throws {
        let output = try temporaryOutput()
        defer { try? FileManager.default.removeItem(at: output.deletingLastPathComponent()) }
        let out = try CLI.run(["merge", "TestAudio/video/aac-edit.m4a", "TestAudio/call/agent.wav", "-o", output.path])
        #expect(out.status == 1)
        #expect(out.stderr.contains("swift build -c release --traits AAC"), "\(out.stderr)")
        #expect(out.stderr.contains("GPL"))
        #expect(!FileManager.default.fileExists(atPath: output.path))
    }
    #endif
}
