import AudioPrep
import Foundation
import Synchronization
import Testing

/// Output and manifest paths that a merge must refuse (or handle) before it does any work.
@Suite struct MergerOutputPathTests {
    /// Counts how often the merge opened an input: zero means it refused before any work.
    private final class OpenCounter: Sendable {
        let opened = Mutex(0)
        var reader: MergeInputReader {
            MergeInputReader(open: { path throws(AudioPrepError) in
                self.opened.withLock { $0 += 1 }
                return try MergeInputReader.standard.open(path)
            })
        }
    }

    private struct Inputs {
        let folder: URL
        let paths: [String]
        init() throws {
            folder = try TestFiles.temporaryDirectory()
            paths = [TestFiles.audio("call/agent.wav"), TestFiles.audio("call/customer.wav")]
        }
        func path(_ name: String) -> String { folder.appendingPathComponent(name).path }
    }

    /// A dangling symbolic link at the manifest path or at the output, without overwrite:
    /// refused with `outputExists` before any input is opened; nothing is published and the
    /// link stays.
    @Test(arguments: ["out.manifest.json", "out.flac"])
    func danglingLinkIsRefusedBeforeAnyWork(linkName: String) throws {
        let inputs = try Inputs()
        defer { try? FileManager.default.removeItem(at: inputs.folder) }
        #expect(symlink(inputs.path("gone"), inputs.path(linkName)) == 0)
        let counter = OpenCounter()
        let configuration = MergeConfiguration(inputs: inputs.paths, output: inputs.path("out.flac"))
        #expect {
            _ = try Merger(configuration: configuration, reader: counter.reader).run()
        } throws: { error in
            let error = error as? AudioPrepError
            return error?.code == .outputExists && error?.path == inputs.path(linkName)
        }
        #expect(counter.opened.withLock { $0 } == 0)
        #expect(try MergeTestAudio.contents(of: inputs.folder) == [linkName])
    }

    /// With overwrite, the output and the manifest keep the permissions of the files they
    /// replace (a private 600 merge stays private).
    @Test func forceKeepsThePermissionsOfTheReplacedFiles() throws {
        let inputs = try Inputs()
        defer { try? FileManager.default.removeItem(at: inputs.folder) }
        let output = inputs.path("out.flac"), manifest = inputs.path("out.manifest.json")
        for path in [output, manifest] {
            try Data("old".utf8).write(to: URL(fileURLWithPath: path))
            #expect(chmod(path, 0o600) == 0)
        }
        let configuration = MergeConfiguration(inputs: inputs.paths, output: output, overwrite: true)
        let result = try Merger(configuration: configuration).run()
        #expect(result.output.frames > 0)
        for path in [output, manifest] {
            var info = stat()
            #expect(stat(path, &info) == 0)
            #expect(info.st_mode & 0o7777 == 0o600, "\(path)")
        }
        #expect(try MergeTestAudio.read16(output).frames == Int(result.output.frames))
    }
}
