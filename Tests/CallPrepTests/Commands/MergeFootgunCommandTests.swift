import Foundation
import Testing

/// The merge mistakes callprep catches or prevents, through the built binary: a FLAC under
/// another extension, personal data in the tags, a wrong pairing, a rate in kHz, and timestamps
/// on only some inputs.
@Suite struct MergeFootgunCommandTests {
    private static let metaflac = ["/usr/bin/metaflac", "/usr/local/bin/metaflac"].first { FileManager.default.isExecutableFile(atPath: $0) }

    private func temporaryFolder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("callprep-footgun-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    private func manifest(_ result: CLI.Output) throws -> [String: Any] {
        try #require(try result.json() as? [String: Any])
    }

    private func warningCodes(_ manifest: [String: Any]) -> [String] {
        (manifest["warnings"] as? [[String: Any]] ?? []).compactMap { $0["code"] as? String }
    }

    @Test func anOutputNotNamedFLACIsRefusedUnlessForced() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let wav = folder.appendingPathComponent("x.wav").path
        let refused = try CLI.run(["merge", CLI.audio("call/agent.wav"), CLI.audio("call/customer.wav"), "-o", wav])
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("does not end in .flac"))
        #expect(refused.stderr.contains("--force-extension"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)

        let forced = try CLI.run(["merge", CLI.audio("call/agent.wav"), CLI.audio("call/customer.wav"), "-o", wav, "--force-extension", "-q"])
        #expect(forced.status == 0, "stderr: \(forced.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: wav)).prefix(4) == Data("fLaC".utf8))
        let upper = try CLI.run(["merge", CLI.audio("call/agent.wav"), CLI.audio("call/customer.wav"), "-o", folder.appendingPathComponent("Y.FLAC").path, "-q"])
        #expect(upper.status == 0)
    }

    @Test(.enabled(if: metaflac != nil, "needs metaflac to read the FLAC's comments back"))
    func tagLevelsDecideWhatPersonalDataTheFLACCarries() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        func comments(_ extra: [String]) throws -> [String] {
            let out = folder.appendingPathComponent("call-\(extra.joined()).flac").path
            let result = try CLI.run([
                "merge", CLI.audio("call/agent.wav"), CLI.audio("call/customer.wav"), "-o", out, "-q",
                "--participant", "1:role=Agent,full_name=Smith\\, John,email=john@example.com,user_id=u-1,image_url=https://example.com/j.png",
                "--participant", "2:media_participant_id=+15555550111",
            ] + extra)
            #expect(result.status == 0, "stderr: \(result.stderr)")
            let text = String(decoding: try Self.run(Self.metaflac!, ["--export-tags-to=-", out]), as: UTF8.self)
            return text.split(separator: "\n").map(String.init)
        }
        let all = try comments([])
        #expect(all.contains("CHANNEL1_FULL_NAME=Smith, John"))
        #expect(all.contains("CHANNEL1_EMAIL=john@example.com"))
        #expect(all.contains("CHANNEL1_USER_ID=u-1"))
        #expect(all.contains("CHANNEL1_IMAGE_URL=https://example.com/j.png"))
        #expect(all.contains("CHANNEL1_SOURCE=agent.wav"))
        #expect(all.contains("CHANNEL2_MEDIA_PARTICIPANT_ID=+15555550111"))
        #expect(try comments(["--tags", "minimal"]) == [
            "ENCODER=callprep 0.1.0", "CHANNEL1_ROLE=Agent", "CHANNEL1_LEAD_FRAMES=0", "CHANNEL2_ROLE=Customer", "CHANNEL2_LEAD_FRAMES=0",
        ])
        #expect(try comments(["--no-tags"]) == [])
        #expect(try comments(["--tags", "none"]) == [])
        // The manifest keeps the whole channel map whatever the tags.
        let manifest = try String(contentsOf: folder.appendingPathComponent("call---tagsminimal.manifest.json"), encoding: .utf8)
        #expect(manifest.contains("john@example.com"))
        let bad = try CLI.run(["merge", CLI.audio("call/agent.wav"), CLI.audio("call/customer.wav"), "-o", folder.appendingPathComponent("z.flac").path, "--tags", "some"])
        #expect(bad.status == 2)
    }

    @Test func aChannelThatIsMostlyPaddingIsAWarning() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try CLI.run(["merge", CLI.audio("edge/short-1s.wav"), CLI.audio("call/customer.wav"), "-o", folder.appendingPathComponent("p.flac").path, "--json"])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(result.stderr.contains("callprep: warning [mostly_padding]: channel 1 ("))
        #expect(result.stderr.contains("is padding for 94% of the output (lead 0.000 s, tail 15.253 s, recording 1.000 s)"))
        let warnings = try #require(try manifest(result)["warnings"] as? [[String: Any]])
        #expect(warnings.count == 1)
        #expect(warnings.first?["code"] as? String == "mostly_padding")

        let paired = try CLI.run(["merge", CLI.audio("call/agent.wav"), CLI.audio("call/customer.wav"), "-o", folder.appendingPathComponent("q.flac").path, "--json"])
        #expect(paired.status == 0)
        #expect(!paired.stderr.contains("warning"))
        #expect((try manifest(paired)["warnings"] as? [Any])?.isEmpty == true)
    }

    @Test(arguments: [("8k", 8000), ("16k", 16000), ("44.1k", 44100), ("48k", 48000), ("22.05k", 22050), ("16000", 16000)])
    func sampleRatesInKilohertz(_ text: String, _ hertz: Int) throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try CLI.run(["merge", CLI.audio("call/agent.wav"), CLI.audio("call/customer.wav"), "-o", folder.appendingPathComponent("r.flac").path, "--json", "--sample-rate", text])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect((try manifest(result)["output"] as? [String: Any])?["sample_rate"] as? Int == hertz)
    }

    @Test(arguments: ["1.2345k", "k", "16kk", "16.k", "-16k", "4k", "99999999k"])
    func malformedRatesAreUsageErrors(_ text: String) throws {
        let result = try CLI.run(["merge", CLI.audio("call/agent.wav"), CLI.audio("call/customer.wav"), "-o", "/tmp/never-rate.flac", "--sample-rate", text])
        #expect(result.status == 2)
        #expect(result.stderr.contains("--sample-rate"))
    }

    @Test func timestampsOnOnlySomeInputsAreNamed() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let mixed = try CLI.run(["merge", CLI.audio("video/room-alice.mka"), CLI.audio("call/customer.wav"), "-o", folder.appendingPathComponent("t.flac").path, "--json"])
        #expect(mixed.status == 0, "stderr: \(mixed.stderr)")
        let object = try manifest(mixed)
        #expect(object["alignment"] as? String == "start")
        #expect(warningCodes(object).contains("timestamps_missing"))
        let message = try #require((object["warnings"] as? [[String: Any]])?.first { $0["code"] as? String == "timestamps_missing" }?["message"] as? String)
        #expect(message.contains("track 2 (\(CLI.audio("call/customer.wav"))) has none"))
        #expect(message.contains("track 1 (\(CLI.audio("video/room-alice.mka"))) carries container timestamps"))
        #expect(mixed.stderr.contains("warning [timestamps_missing]"))

        // Asked for explicitly, start alignment is no surprise.
        let explicit = try CLI.run(["merge", CLI.audio("video/room-alice.mka"), CLI.audio("call/customer.wav"), "-o", folder.appendingPathComponent("u.flac").path, "--json", "--align", "start"])
        #expect(explicit.status == 0)
        #expect(!warningCodes(try manifest(explicit)).contains("timestamps_missing"))
    }

    private static func run(_ tool: String, _ arguments: [String]) throws -> Data {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return data
    }
}
