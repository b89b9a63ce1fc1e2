import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `-` for standard input and standard output, through the built binary.
@Suite struct StandardStreamsCommandTests {
    private static let flacTool = ["/usr/bin/flac", "/usr/local/bin/flac"].first { FileManager.default.isExecutableFile(atPath: $0) }

    private func temporaryFolder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("callprep-streams-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// PATH plus a TMPDIR of the test's own, to see what callprep leaves there.
    private func environment(tmpdir: URL) -> [String: String] {
        ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin", "TMPDIR": tmpdir.path]
    }

    private func objects(_ output: CLI.Output) throws -> [[String: Any]] {
        try #require(try output.json() as? [[String: Any]])
    }

    @Test(arguments: ["call/agent.wav", "call/customer.flac", "call/customer.mp3", "video/room-alice.mka", "formats/opus.opus"])
    func probeReadsStandardInputWithTheSameFacts(_ file: String) throws {
        let tmpdir = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: tmpdir) }
        let byName = try CLI.run(["probe", "--json", CLI.audio(file)])
        let piped = try CLI.run(["probe", "--json", "-"], stdinFile: CLI.audio(file), environment: environment(tmpdir: tmpdir))
        #expect(piped.status == 0, "stderr: \(piped.stderr)")
        var expected = try objects(byName)[0]
        var actual = try objects(piped)[0]
        #expect(actual["path"] as? String == "-")
        expected["path"] = nil
        actual["path"] = nil
        #expect((actual["frames"] as? Int) ?? 0 > 0)
        #expect(NSDictionary(dictionary: actual) == NSDictionary(dictionary: expected))
        #expect(try FileManager.default.contentsOfDirectory(atPath: tmpdir.path).isEmpty)
    }

    @Test func validateReadsStandardInput() throws {
        let tmpdir = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: tmpdir) }
        let file = CLI.audio("edge/silent-right.wav")
        let byName = try CLI.run(["validate", "--json", file])
        let piped = try CLI.run(["validate", "--json", "-"], stdinFile: file, environment: environment(tmpdir: tmpdir))
        #expect(piped.status == byName.status)
        let report = try objects(piped)[0]
        #expect(report["path"] as? String == "-")
        let codes = { (object: [String: Any]) in (object["problems"] as? [[String: Any]] ?? []).compactMap { $0["code"] as? String } }
        #expect(codes(report) == codes(try objects(byName)[0]))
        #expect(codes(report).contains("silent_channel"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: tmpdir.path).isEmpty)
    }

    @Test(.enabled(if: flacTool != nil, "needs the flac tool to decode the outputs"))
    func mergeReadsOneTrackFromStandardInputAndWritesTheFLACToStandardOutput() throws {
        let folder = try temporaryFolder()
        let tmpdir = try temporaryFolder()
        defer {
            try? FileManager.default.removeItem(at: folder)
            try? FileManager.default.removeItem(at: tmpdir)
        }
        let piped = folder.appendingPathComponent("piped.flac").path
        let manifest = folder.appendingPathComponent("piped.json").path
        let result = try CLI.run(
            ["merge", "-", CLI.audio("call/customer.wav"), "-o", "-", "--manifest", manifest],
            stdinFile: CLI.audio("call/agent.wav"), stdoutFile: piped, environment: environment(tmpdir: tmpdir))
        #expect(result.status == 0, "stderr: \(result.stderr)")
        // The summary went to standard error; standard output was the FLAC alone.
        #expect(result.stderr.contains("wrote -: FLAC, 2 channels"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: piped)).prefix(4) == Data("fLaC".utf8))
        // Nothing was left in TMPDIR, and the folder holds only what was asked for.
        #expect(try FileManager.default.contentsOfDirectory(atPath: tmpdir.path).isEmpty)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() == ["piped.flac", "piped.json"])

        let reference = folder.appendingPathComponent("reference.flac").path
        let byName = try CLI.run(["merge", CLI.audio("call/agent.wav"), CLI.audio("call/customer.wav"), "-o", reference, "--json"])
        #expect(byName.status == 0, "stderr: \(byName.stderr)")

        let pipedManifest = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: manifest))) as? [String: Any])
        let referenceManifest = try #require(try byName.json() as? [String: Any])
        let pipedOutput = try #require(pipedManifest["output"] as? [String: Any])
        let referenceOutput = try #require(referenceManifest["output"] as? [String: Any])
        #expect(pipedOutput["path"] as? String == "-")
        #expect(pipedOutput["frames"] as? Int == 267_763)
        #expect(pipedOutput["frames"] as? Int == referenceOutput["frames"] as? Int)
        #expect(pipedOutput["stream_md5"] as? String == referenceOutput["stream_md5"] as? String)
        let inputs = try #require(pipedManifest["inputs"] as? [[String: Any]])
        let referenceInputs = try #require(referenceManifest["inputs"] as? [[String: Any]])
        #expect(inputs[0]["path"] as? String == "-")
        #expect(inputs[0]["sha256"] as? String == referenceInputs[0]["sha256"] as? String)
        #expect(inputs[0]["size_bytes"] as? Int == 535_570)

        // Decoded by libFLAC's own tool, the two outputs hold the same samples.
        let pipedPCM = try decode(piped)
        let referencePCM = try decode(reference)
        #expect(pipedPCM.count == 267_763 * 4)
        #expect(pipedPCM == referencePCM)

        // Without the tags that name the sources, the two files are the same bytes.
        let minimalPiped = folder.appendingPathComponent("minimal-piped.flac").path
        let minimalReference = folder.appendingPathComponent("minimal-reference.flac").path
        let pipedMinimal = try CLI.run(
            ["merge", "-", CLI.audio("call/customer.wav"), "-o", "-", "--tags", "minimal", "-q"],
            stdinFile: CLI.audio("call/agent.wav"), stdoutFile: minimalPiped, environment: environment(tmpdir: tmpdir))
        #expect(pipedMinimal.status == 0)
        let referenceMinimal = try CLI.run(["merge", CLI.audio("call/agent.wav"), CLI.audio("call/customer.wav"), "-o", minimalReference, "--tags", "minimal", "-q"])
        #expect(referenceMinimal.status == 0)
        let pipedBytes = try Data(contentsOf: URL(fileURLWithPath: minimalPiped))
        #expect(pipedBytes.count > 400_000)
        #expect(pipedBytes == (try Data(contentsOf: URL(fileURLWithPath: minimalReference))))
    }

    @Test func aFailedMergeFromStandardInputLeavesNothing() throws {
        let tmpdir = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: tmpdir) }
        let result = try CLI.run(
            ["merge", "-", CLI.audio("call/customer.wav"), "-o", "-"],
            stdinFile: CLI.audio("edge/text.wav"), environment: environment(tmpdir: tmpdir))
        #expect(result.status == 1)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.hasPrefix("callprep: -: "))
        #expect(!result.stderr.contains(tmpdir.path))
        #expect(try FileManager.default.contentsOfDirectory(atPath: tmpdir.path).isEmpty)
    }

    @Test func anInterruptWhileReadingStandardInputLeavesNothing() throws {
        let tmpdir = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: tmpdir) }
        let process = Process()
        process.executableURL = CLI.binary
        process.arguments = ["merge", "-", CLI.audio("call/customer.wav"), "-o", "-"]
        process.environment = environment(tmpdir: tmpdir)
        let input = Pipe()  // a writer that never finishes
        process.standardInput = input
        process.standardOutput = Pipe()
        process.standardError = Pipe()
        try process.run()
        try input.fileHandleForWriting.write(contentsOf: try Data(contentsOf: URL(fileURLWithPath: CLI.audio("call/agent.wav"))).prefix(100_000))
        // The spool exists (its name already removed) while standard input is still open.
        var waited = 0
        while waited < 100, (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(process.processIdentifier)/fd"))?
            .contains(where: { (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(process.processIdentifier)/fd/\($0)"))?.contains("callprep-stdin-") == true }) != true {
            usleep(20_000)
            waited += 1
        }
        #expect(waited < 100, "callprep never opened its spool")
        #expect(try FileManager.default.contentsOfDirectory(atPath: tmpdir.path).isEmpty)
        process.interrupt()
        process.waitUntilExit()
        try? input.fileHandleForWriting.close()
        #expect(process.terminationReason == .uncaughtSignal)
        #expect(process.terminationStatus == SIGINT)
        #expect(try FileManager.default.contentsOfDirectory(atPath: tmpdir.path).isEmpty)
    }

    @Test func usageErrors() throws {
        let twice = try CLI.run(["merge", "-", "-", "-o", "/tmp/never.flac"], stdinFile: CLI.audio("call/agent.wav"))
        #expect(twice.status == 2)
        #expect(twice.stderr.contains("standard input can be read only once"))
        let probeTwice = try CLI.run(["probe", "-", "-"], stdinFile: CLI.audio("call/agent.wav"))
        #expect(probeTwice.status == 2)
        let json = try CLI.run(["merge", CLI.audio("call/agent.wav"), CLI.audio("call/customer.wav"), "-o", "-", "--json"], stdinFile: nil)
        #expect(json.status == 2)
        #expect(json.stderr.contains("--manifest PATH"))
        #expect(!FileManager.default.fileExists(atPath: CLI.root.appendingPathComponent("-").path))
    }

    @Test(.enabled(if: CLI.scriptTool != nil, "needs script(1) for a pseudo-terminal"))
    func terminalsAreRefused() throws {
        let output = try CLI.runOnTerminal(["merge", CLI.audio("call/agent.wav"), CLI.audio("call/customer.wav"), "-o", "-"])
        #expect(output.status == 2)
        #expect(output.stdout.contains("standard output is a terminal"))
        #expect(!output.stdout.contains("fLaC"))
        let input = try CLI.runOnTerminal(["probe", "-"])
        #expect(input.status == 2)
        #expect(input.stdout.contains("standard input is a terminal"))
    }

    /// The samples of a FLAC file as raw 16-bit little-endian PCM, decoded by `flac -d`.
    private func decode(_ path: String) throws -> Data {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.flacTool!)
        process.arguments = ["-d", "-s", "-c", "--force-raw-format", "--endian=little", "--sign=signed", path]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        return data
    }
}
