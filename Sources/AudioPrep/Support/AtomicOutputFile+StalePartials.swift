#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The temporary files of `AtomicOutputFile`, by name: `.NAME.partial-PID-N.EXT`, where NAME is the
/// destination's file name, PID the writing process, N a counter for uniqueness and EXT NAME's
/// extension (so tools that sniff names, such as the validate rules run before the rename, see the
/// real type). The name says who wrote the file, which lets a later run remove what a killed
/// process left behind without touching what a running one is writing.
extension AtomicOutputFile {
    /// The hidden temporary name for a destination called `name`.
    static func partialFileName(for name: String, pid: pid_t, attempt: Int) -> String {
        ".\(name).partial-\(pid)-\(attempt)\(fileExtension(of: name))"
    }

    /// The process id in a temporary file's name, or nil when the name is not one
    /// `partialFileName(for:pid:attempt:)` makes. The number is range-checked (1…Int32.max).
    static func writerPID(ofPartialFileName fileName: String) -> pid_t? {
        guard fileName.hasPrefix("."), let marker = fileName.ranges(of: ".partial-").last else { return nil }
        let nameStart = fileName.index(after: fileName.startIndex)
        guard marker.lowerBound > nameStart else { return nil }  // ".partial-…": no name before it
        let name = String(fileName[nameStart..<marker.lowerBound])
        let suffix = fileExtension(of: name)
        var rest = fileName[marker.upperBound...]
        guard rest.hasSuffix(suffix) else { return nil }
        rest = rest.dropLast(suffix.count)
        let numbers = rest.split(separator: "-", omittingEmptySubsequences: false)
        guard numbers.count == 2, numbers.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
            let pid = pid_t(numbers[0]), pid > 0, Int(numbers[1]) != nil
        else { return nil }
        return pid
    }

    /// Removes, from the folder `destination` is in, the temporary files of outputs whose writing
    /// process no longer exists — left by a merge that was killed outright (SIGKILL, a crash, a
    /// power cut) and could not clean up. A file is removed only when all of these hold:
    ///
    /// - its name is one `AtomicOutputFile` makes (`.NAME.partial-PID-N.EXT`) and it is a regular
    ///   file (not a link);
    /// - `kill(PID, 0)` fails with `ESRCH`: no such process (a live process of another user
    ///   answers `EPERM` and keeps its file);
    /// - no one holds the `flock(2)` its writer takes: a process in another PID namespace (a
    ///   container sharing the folder) or on another NFS client may carry a PID that looks dead
    ///   from here.
    ///
    /// Returns the paths removed. Errors (an unreadable folder, a file that vanished meanwhile)
    /// skip that entry: the sweep is a courtesy and never fails the caller.
    @discardableResult
    public static func removeStalePartialFiles(besides destination: String) -> [String] {
        let folder = folder(of: destination)
        guard let directory = opendir(folder) else { return [] }
        defer { closedir(directory) }
        var removed: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            guard let pid = writerPID(ofPartialFileName: name), pid != getpid(),
                kill(pid, 0) != 0, errno == ESRCH
            else { continue }
            let path = "\(folder)/\(name)"
            if removeIfUnlocked(path) { removed.append(path) }
        }
        return removed
    }

    /// Unlinks the regular file at `path` if no other descriptor holds its `flock(2)`, checking
    /// that the path still names the file that was locked.
    private static func removeIfUnlocked(_ path: String) -> Bool {
        let fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var opened = stat(), current = stat()
        guard fstat(fd, &opened) == 0, opened.st_mode & S_IFMT == S_IFREG,
            flock(fd, LOCK_EX | LOCK_NB) == 0,
            lstat(path, &current) == 0, current.st_dev == opened.st_dev, current.st_ino == opened.st_ino
        else { return false }
        return unlink(path) == 0
    }
}
