import Foundation
import Testing

/// RF64 and CAF that ffmpeg wrote to a pipe, read by name and through `-` (standard input).
@Suite(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/ffmpeg"), "needs ffmpeg (scripts/install-deps.sh)"))
struct PipedHeaderCommandTests {
    @Test(arguments: [("rf64", ["-f", "wav", "-rf64", "always"]), ("caf", ["-f", "caf"])])
    func probeAndMergeReadEveryFrameByNameAndFromStandardInput(name: String, format: [String]) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("callprep-piped-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("piped.\(name)").path
        let ffmpeg = Process()
        ffmpeg.executableURL = URL(fileURLWithPath: "/usr/bin/ffmpeg")
        let tone = ["-v", "error", "-f", "lavfi", "-i", "sine=frequency=440:duration=3:sample_rate=16000"]
        ffmpeg.arguments = tone + format + ["-"]
        #expect(FileManager.default.createFile(atPath: file, contents: nil))
        ffmpeg.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: file))
        try ffmpeg.run()
        ffmpeg.waitUntilExit()
        #expect(ffmpeg.terminationStatus == 0)

        for piped in [false, true] {
            let probe = piped ? try CLI.run(["probe", "--json", "-"], stdinFile: file) : try CLI.run(["probe", "--json", file])
            #expect(probe.status == 0, "stderr: \(probe.stderr)")
            let facts = try #require((try probe.json() as? [[String: Any]])?.first)
            #expect(facts["frames"] as? Int == 48_000)
            #expect(facts["length_source"] as? String == "file_size")
            #expect((facts["notes"] as? [[String: Any]])?.compactMap { $0["code"] as? String } == ["streamed_header"])

            let output = folder.appendingPathComponent("out-\(piped).flac").path
            let input = piped ? "-" : file
            let merge = try CLI.run(["merge", CLI.audio("call/agent.wav"), input, "-o", output, "--json"], stdinFile: piped ? file : nil)
            #expect(merge.status == 0, "stderr: \(merge.stderr)")
            let manifest = try #require(try merge.json() as? [String: Any])
            let channels = try #require(manifest["channels"] as? [[String: Any]])
            #expect(channels[1]["content_frames"] as? Int == 48_000)
        }
    }
}
