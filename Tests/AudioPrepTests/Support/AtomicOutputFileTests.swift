import AudioPrep
import Foundation
import Testing

@Suite struct AtomicOutputFileTests {
    private static func fileType(_ path: String) -> mode_t? {
        var info = stat()
        return lstat(path, &info) == 0 ? info.st_mode & S_IFMT : nil
    }

    private static func entries(_ folder: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
    }

    /// A FIFO, a folder: refused with `.notAFile` even when overwriting is allowed, before a
    /// temporary file exists. A regular file, a symbolic link and an absent path are accepted.
    @Test func refusesDestinationsThatAreNotFiles() throws {
        let folder = try TestFiles.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let fifo = folder.appendingPathComponent("pipe.flac").path
        #expect(mkfifo(fifo, 0o600) == 0)
        let directory = folder.appendingPathComponent("dir.flac").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: false)
        let before = try Self.entries(folder)

        for path in [fifo, directory] {
            #expect {
                _ = try AtomicOutputFile(destination: path, overwrite: true)
            } throws: { error in
                let error = error as? AudioPrepError
                return error?.code == .notAFile && error?.message.contains("-o merged.flac") == true
            }
        }
        #expect(try Self.entries(folder) == before)
        #expect(Self.fileType(fifo) == S_IFIFO)
        #expect(Self.fileType(directory) == S_IFDIR)

        let regular = folder.appendingPathComponent("old.flac").path
        try Data("old".utf8).write(to: URL(fileURLWithPath: regular))
        let link = folder.appendingPathComponent("link.flac").path
        #expect(symlink(regular, link) == 0)
        for path in [regular, link, folder.appendingPathComponent("new.flac").path] {
            try AtomicOutputFile.checkReplaceable(path)
        }
        try AtomicOutputFile.checkReplaceable(folder.appendingPathComponent("dangling.flac").path)
        #expect(symlink(folder.appendingPathComponent("nowhere").path, folder.appendingPathComponent("dangling.flac").path) == 0)
        try AtomicOutputFile.checkReplaceable(folder.appendingPathComponent("dangling.flac").path)
        // A link to a FIFO (as /dev/stdout is a link to the terminal or pipe) and the devices.
        let fifoLink = folder.appendingPathComponent("to-pipe.flac").path
        #expect(symlink(fifo, fifoLink) == 0)
        for path in [fifoLink, "/dev/null", "/dev/stdout"] {
            #expect {
                try AtomicOutputFile.checkReplaceable(path)
            } throws: { error in
                (error as? AudioPrepError)?.code == .notAFile
            }
        }
        #expect(Self.fileType(fifoLink) == S_IFLNK)
    }

    /// A device that appears at the destination while the file is being written is still not
    /// replaced: `commit()` checks again, fails, and removes the temporary file.
    @Test func commitRefusesAFIFOThatAppearedMeanwhile() throws {
        let folder = try TestFiles.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let destination = folder.appendingPathComponent("out.flac").path
        let file = try AtomicOutputFile(destination: destination, overwrite: true)
        try file.write(Array("fLaC".utf8))
        #expect(mkfifo(destination, 0o600) == 0)
        #expect {
            try file.commit()
        } throws: { error in
            (error as? AudioPrepError)?.code == .notAFile
        }
        #expect(try Self.entries(folder) == ["out.flac"])
        #expect(Self.fileType(destination) == S_IFIFO)
    }

    /// A symbolic link is replaced by the new file; the file it pointed to keeps its bytes.
    @Test func replacingASymbolicLinkLeavesItsTargetAlone() throws {
        let folder = try TestFiles.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let target = folder.appendingPathComponent("target.flac").path
        try Data("keep".utf8).write(to: URL(fileURLWithPath: target))
        let link = folder.appendingPathComponent("link.flac").path
        #expect(symlink(target, link) == 0)
        let file = try AtomicOutputFile(destination: link, overwrite: true)
        try file.write(Array("new".utf8))
        try file.commit()
        #expect(Self.fileType(link) == S_IFREG)
        #expect(try String(contentsOfFile: link, encoding: .utf8) == "new")
        #expect(try String(contentsOfFile: target, encoding: .utf8) == "keep")
    }
}
