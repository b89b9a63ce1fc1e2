import Foundation
import Testing
@testable import TwilioTestServer

#if canImport(Glibc)
import Glibc
#endif

/// `callprep room` stopped by a signal while it downloads, through the built binary against the
/// strict Twilio server whose media host stalls mid-file: no partial download is left in the
/// user's --download-dir, the process ends by that signal, and partial files of a run killed
/// outright are swept by the next run (those of a live process are not).
@Suite(.serialized, .enabled(if: FileManager.default.isExecutableFile(atPath: CLI.binary.path), "callprep binary not built; run `swift build --build-tests` first"))
struct RoomSignalTests {
    static func names(_ folder: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).sorted()
    }

    @Test(arguments: [SIGINT, SIGTERM])
    func aSignalDuringDownloadsLeavesNoPartialFile(signal: Int32) async throws {
        try await RecordingCommandTests.withServer { server, folder in
            let environment = try RoomCommandTests.environment(server, tmp: folder.path + "/tmp")
            // Every media request sends 700 bytes of the file, then nothing: the downloads hang mid-file.
            server.state.configure { $0.mediaHostFaults = Array(repeating: .stall(keepBytes: 700), count: 8) }
            let downloads = folder.path + "/dl"
            let process = Process()
            process.executableURL = CLI.binary
            process.arguments = ["room", TwilioFixtures.twoPersonRoom, "-o", folder.path + "/call.flac", "--allow-http",
                                 "--download-dir", downloads, "--quiet"]
            process.environment = environment
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            // Wait until all three downloads have written their 700 bytes.
            let deadline = Date().addingTimeInterval(60)
            func partials() -> [String] { Self.names(downloads).filter { $0.hasSuffix(".partial") } }
            func sizes() -> [Int] {
                partials().compactMap { try? FileManager.default.attributesOfItem(atPath: downloads + "/" + $0)[.size] as? Int }
            }
            while sizes() != [700, 700, 700], process.isRunning, Date() < deadline { usleep(20_000) }
            #expect(sizes() == [700, 700, 700], "three stalled downloads under way: \(Self.names(downloads))")
            #expect(partials().allSatisfy { $0.hasPrefix(".RT") && $0.contains(".mka.\(process.processIdentifier)-") })
            kill(process.processIdentifier, signal)
            process.waitUntilExit()
            #expect(process.terminationReason == .uncaughtSignal)
            #expect(process.terminationStatus == signal)
            #expect(Self.names(downloads) == [], "nothing partial (or complete) left: \(Self.names(downloads))")
            #expect(!FileManager.default.fileExists(atPath: folder.path + "/call.flac"))
            #expect(Self.names(folder.path + "/tmp") == [])
        }
    }

    @Test func theNextRunSweepsPartialsOfDeadProcessesOnly() async throws {
        try await RecordingCommandTests.withServer { server, folder in
            let environment = try RoomCommandTests.environment(server, tmp: folder.path + "/tmp")
            let downloads = folder.path + "/dl"
            try FileManager.default.createDirectory(atPath: downloads, withIntermediateDirectories: true)
            let finished = Process()
            finished.executableURL = URL(fileURLWithPath: "/bin/true")
            try finished.run()
            finished.waitUntilExit()
            let dead = finished.processIdentifier
            #expect(kill(dead, 0) == -1 && errno == ESRCH)
            let stale = [".\(TwilioFixtures.bobRecording).mka.\(dead)-0badf00d.partial", ".other.mka.\(dead)-12345678.partial"]
            let kept = [".\(TwilioFixtures.bobRecording).mka.\(getpid())-0badf00d.partial", "notes.partial", ".notes.\(dead).txt"]
            for name in stale + kept {
                try Data("half a recording".utf8).write(to: URL(fileURLWithPath: downloads + "/" + name))
            }
            let result = try CLI.run(["room", TwilioFixtures.twoPersonRoom, "-o", folder.path + "/call.flac", "--allow-http",
                                      "--download-dir", downloads, "--quiet"], environment: environment)
            #expect(result.status == 0, "\(result.stderr)")
            let recordings = [TwilioFixtures.aliceFirst, TwilioFixtures.aliceReconnect, TwilioFixtures.bobRecording].map { $0 + ".mka" }
            #expect(Self.names(downloads) == (kept + recordings).sorted())
        }
    }
}
