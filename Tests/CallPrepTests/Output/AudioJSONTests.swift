import Foundation
import Testing

/// `probe`/`validate --json` through the binary, byte for byte where the bytes are the contract.
@Suite("probe and validate JSON text", .enabled(if: FileManager.default.isExecutableFile(atPath: CLI.binary.path), "callprep binary not built; run `swift build --build-tests` first"))
struct AudioJSONTests {
    @Test func probeObjectIsJqLayoutWithIntegersAndDoubles() throws {
        let out = try CLI.run(["probe", "--json", "TestAudio/call/agent.wav"])
        #expect(out.status == 0)
        #expect(out.stdout == """
            [
              {
                "path": "TestAudio/call/agent.wav",
                "container": "wav",
                "codec": "pcm_s16le",
                "sample_rate": 16000,
                "channels": 1,
                "frames": 267763,
                "duration_seconds": 16.7351875,
                "bits_per_sample": 16,
                "size_bytes": 535570,
                "length_source": "header",
                "start_time_seconds": null,
                "notes": []
              }
            ]

            """)
    }

    @Test("a silent channel's difference prints 0.0, not -0.0")
    func noNegativeZero() throws {
        let out = try CLI.run(["validate", "--json", "TestAudio/edge/silent-right.wav"])
        #expect(out.stdout.contains("\n      \"channel_difference_db\": 0.0\n"))
        #expect(!out.stdout.contains("-0.0") && !out.stdout.contains("-0,"))
    }

    @Test("the manifest file and merge --json are the same bytes, in the jq layout")
    func manifestBytes() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("audiojson-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let output = folder.appendingPathComponent("out.flac").path
        let out = try CLI.run(["merge", "TestAudio/call/agent.wav", "TestAudio/call/customer.wav", "-o", output, "--json", "-q"])
        #expect(out.status == 0, "\(out.stderr)")
        let written = try String(contentsOfFile: folder.appendingPathComponent("out.manifest.json").path, encoding: .utf8)
        #expect(written == out.stdout)
        #expect(written.hasPrefix("{\n  \"alignment\": \"start\",\n  \"channels\": [\n    {\n      \"channel\": 1,\n"))
        #expect(written.contains("\n      \"lead_seconds\": 0.0,\n"))
        #expect(written.contains("\n    \"problems\": []\n"))
        #expect(written.hasSuffix("}\n"))
        #expect(!written.contains("\" : "))
    }
}
