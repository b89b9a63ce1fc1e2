import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `callprep merge` stopped by a signal, through the built binary: it removes its temporary
/// output and ends by that same signal (a shell shows 130, 143, 129); temporary files left by
/// merges that were killed outright are swept by the next merge in the folder.
@Suite(.serialized, .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/sox"), "needs sox to make a long input"))
struct MergeSignalTests {
    /// A test's folder: `inputs/` holds two ten-minute 16 kHz mono tracks made with sox (pink
    /// noise, a tone; 19 MB each), long enough that a debug build is still merging when the signal
    /// comes; `out/` is where the merge writes.
    private struct Workspace {
        let root: URL
        let inputs: [String]
        var out: URL { root.appendingPathComponent("out") }

        init() throws {
            root = FileManager.default.temporaryDirectory.appendingPathComponent("callprep-signal-\(UUID().uuidString)")
            let folder = root.appendingPathComponent("inputs")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try FileManager.default.createDirectory(at: root.appendingPathComponent("out"), withIntermediateDirectories: true)
            inputs = try [("a.wav", ["pinknoise"]), ("b.wav", ["sine", "300"])].map { name, synth in
                let path = folder.appendingPathComponent(name).path
                let sox = Process()
                sox.executableURL = URL(fileURLWithPath: "/usr/bin/sox")
                sox.arguments = ["-n", "-r", "16000", "-c", "1", "-b", "16", path, "synth", "600"] + synth + ["vol", "0.3"]
                try sox.run()
                sox.waitUntilExit()
                guard sox.terminationStatus == 0 else { throw CocoaError(.fileWriteUnknown) }
                return path
            }
        }

        func remove() { try? FileManager.default.removeItem(at: root) }
    }

    private func contents(_ folder: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
    }

    /// Starts `callprep merge` of the long inputs into out/out.flac (behind `launcher`, if given)
    /// and returns once its temporary output exists, i.e. the merge is under way.
    private func startMerge(in workspace: Workspace, launcher: String? = nil) throws -> Process {
        let process = Process()
        let folder = workspace.out
        let arguments = ["merge"] + workspace.inputs + ["-o", folder.appendingPathComponent("out.flac").path, "--quiet"]
        if let launcher {
            process.executableURL = URL(fileURLWithPath: launcher)
            process.arguments = [CLI.binary.path] + arguments
        } else {
            process.executableURL = CLI.binary
            process.arguments = arguments
        }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(60)
        while try !contents(folder).contains(where: { $0.hasPrefix(".out.flac.partial-") }) {
            guard process.isRunning, Date() < deadline else {
                Issue.record("the merge ended or stalled before writing its temporary output")
                return process
            }
            usleep(20_000)
        }
        usleep(200_000)
        return process
    }

    /// SIGINT, SIGTERM, SIGHUP: the process ends by that signal (not by an exit status), and the
    /// folder holds no output, no manifest and no temporary file.
    @Test(arguments: [SIGINT, SIGTERM, SIGHUP])
    func signalRemovesThePartialOutputAndEndsByTheSignal(signal: Int32) throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        let merge = try startMerge(in: workspace)
        #expect(merge.isRunning)
        #expect(kill(merge.processIdentifier, signal) == 0)
        merge.waitUntilExit()
        #expect(merge.terminationReason == .uncaughtSignal)
        #expect(merge.terminationStatus == signal)
        #expect(try contents(workspace.out) == [])
    }

    /// The shell's view: `$?` is 128 + the signal number (130, 143, 129).
    @Test func shellSeesTheConventionalStatus() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        let out = workspace.out.appendingPathComponent("out.flac").path
        let shell = Process()
        shell.executableURL = URL(fileURLWithPath: "/bin/sh")
        // A background job of sh (which ignores only its SIGINT), stopped with SIGTERM.
        shell.arguments = ["-c", "\"$0\" merge \"$1\" \"$2\" -o \"$3\" --quiet & pid=$!; "
            + "while ! ls -A \"$4\" | grep -q partial; do sleep 0.05; done; sleep 0.2; "
            + "kill -TERM $pid; wait $pid; echo $?",
            CLI.binary.path, workspace.inputs[0], workspace.inputs[1], out, workspace.out.path]
        let pipe = Pipe()
        shell.standardOutput = pipe
        shell.standardError = FileHandle.nullDevice
        try shell.run()
        let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        shell.waitUntilExit()
        #expect(text == "143\n")
        #expect(try contents(workspace.out) == [])
    }

    /// Under `nohup` SIGHUP stays ignored: the merge goes on, and a later SIGTERM still stops it
    /// cleanly.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/nohup")))
    func sighupIsIgnoredUnderNohup() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        let merge = try startMerge(in: workspace, launcher: "/usr/bin/nohup")
        #expect(kill(merge.processIdentifier, SIGHUP) == 0)
        usleep(300_000)
        #expect(merge.isRunning)
        #expect(kill(merge.processIdentifier, SIGTERM) == 0)
        merge.waitUntilExit()
        #expect(merge.terminationReason == .uncaughtSignal)
        #expect(merge.terminationStatus == SIGTERM)
        #expect(try contents(workspace.out) == [])
    }

    /// A merge removes the temporary files that dead processes left in its output folder (the
    /// pid is in the name) and keeps those of a live process (this test's own pid) and files
    /// whose names are not of that form.
    @Test func nextMergeSweepsPartialsOfDeadProcessesOnly() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("callprep-sweep-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let finished = Process()
        finished.executableURL = URL(fileURLWithPath: "/bin/true")
        try finished.run()
        finished.waitUntilExit()
        let dead = finished.processIdentifier
        #expect(kill(dead, 0) == -1 && errno == ESRCH)
        let stale = [".call.flac.partial-\(dead)-0.flac", ".call.manifest.json.partial-\(dead)-1.json", ".x.flac.partial-\(dead)-0.flac"]
        let kept = [".call.flac.partial-\(getpid())-0.flac", ".notes.partial-\(dead).txt", "call.flac.partial-\(dead)-0.flac"]
        for name in stale + kept {
            try Data("half a FLAC".utf8).write(to: folder.appendingPathComponent(name))
        }
        let result = try CLI.run([
            "merge", CLI.audio("call/agent.wav"), CLI.audio("call/customer.wav"),
            "-o", folder.appendingPathComponent("call.flac").path, "--quiet",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try contents(folder) == (kept + ["call.flac", "call.manifest.json"]).sorted())
    }
}
