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

    /// Without overwrite, a symbolic link whose target is missing counts as an existing file:
    /// refused when the file is created (`access(2)` follows the link and saw nothing; the
    /// `link(2)` at commit then failed after all the work). The link is left as it was.
    @Test func danglingLinkIsRefusedAtCreationWithoutOverwrite() throws {
        let folder = try TestFiles.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let link = folder.appendingPathComponent("out.flac").path
        #expect(symlink(folder.appendingPathComponent("nowhere.flac").path, link) == 0)
        #expect {
            _ = try AtomicOutputFile(destination: link, overwrite: false)
        } throws: { error in
            let error = error as? AudioPrepError
            return error?.code == .outputExists && error?.message.contains("symbolic link to a missing file") == true
        }
        #expect(try Self.entries(folder) == ["out.flac"])
        #expect(Self.fileType(link) == S_IFLNK)
        // With overwrite the link itself is replaced; nothing is created where it pointed.
        let file = try AtomicOutputFile(destination: link, overwrite: true)
        try file.write(Array("new".utf8))
        try file.commit()
        #expect(Self.fileType(link) == S_IFREG)
        #expect(try Self.entries(folder) == ["out.flac"])
    }

    /// Replacing a file keeps its permission bits (600 stays 600, 640 stays 640) instead of the
    /// new file's 644; a new file gets 644 less the umask.
    @Test(arguments: [0o600, 0o640, 0o755] as [mode_t])
    func replacingAFileKeepsItsPermissions(mode: mode_t) throws {
        let folder = try TestFiles.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let destination = folder.appendingPathComponent("out.flac").path
        try Data("old".utf8).write(to: URL(fileURLWithPath: destination))
        #expect(chmod(destination, mode) == 0)
        let file = try AtomicOutputFile(destination: destination, overwrite: true)
        try file.write(Array("new".utf8))
        try file.commit()
        var info = stat()
        #expect(stat(destination, &info) == 0)
        #expect(info.st_mode & 0o7777 == mode)
        #expect(try String(contentsOfFile: destination, encoding: .utf8) == "new")

        let fresh = folder.appendingPathComponent("fresh.flac").path
        let created = try AtomicOutputFile(destination: fresh, overwrite: true)
        try created.commit()
        let mask = umask(0)
        umask(mask)
        #expect(stat(fresh, &info) == 0)
        #expect(info.st_mode & 0o7777 == 0o644 & ~mask)
    }

    /// The sweep of temporary files left by killed processes removes a file only when its name
    /// carries a pid that no longer exists and no one holds its lock; anything else stays.
    @Test func staleSweepRemovesOnlyUnlockedFilesOfDeadProcesses() throws {
        let folder = try TestFiles.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let finished = Process()
        finished.executableURL = URL(fileURLWithPath: "/bin/true")
        try finished.run()
        finished.waitUntilExit()
        let dead = finished.processIdentifier
        func path(_ name: String) -> String { folder.appendingPathComponent(name).path }
        func make(_ name: String) throws { try Data("partial".utf8).write(to: URL(fileURLWithPath: path(name))) }

        let stale = ".a.flac.partial-\(dead)-0.flac"
        let locked = ".b.flac.partial-\(dead)-0.flac"
        let oddNames = [
            ".c.flac.partial-99999999999-0.flac",  // beyond pid_t: not a pid
            ".c.flac.partial-0-0.flac", ".c.flac.partial--1-0.flac", ".c.flac.partial-\(dead)-0.wav",
            ".c.flac.partial-\(dead)-x.flac", ".partial-\(dead)-0",
        ]
        for name in [stale, locked] + oddNames { try make(name) }
        let link = ".d.flac.partial-\(dead)-0.flac"
        #expect(symlink(path(stale), path(link)) == 0)
        // This process's own temporary file, as a merge in progress has it.
        let own = try AtomicOutputFile(destination: path("own.flac"), overwrite: false)
        // A writer whose pid looks dead from here (another PID namespace) still holds the lock.
        let holder = open(path(locked), O_RDONLY)
        #expect(holder >= 0 && flock(holder, LOCK_EX) == 0)

        let removed = AtomicOutputFile.removeStalePartialFiles(besides: path("new.flac"))
        #expect(removed == [path(stale)])
        #expect(try Self.entries(folder) == ([locked, link, PathIdentity.fileName(own.temporaryPath)] + oddNames).sorted())

        close(holder)
        #expect(AtomicOutputFile.removeStalePartialFiles(besides: path("new.flac")) == [path(locked)])
        own.discard()
    }
}
