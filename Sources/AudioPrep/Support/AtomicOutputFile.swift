#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

#if canImport(Glibc)
private let systemWrite = Glibc.write
#elseif canImport(Darwin)
private let systemWrite = Darwin.write
#endif

/// A file that appears at its destination complete or not at all.
///
/// Bytes go to a hidden temporary file created (with `O_EXCL`) in the destination's own folder,
/// so that the final `rename(2)`/`link(2)` stays on one file system and is atomic. `commit()`
/// calls `fsync(2)` on the data and on the folder before and after moving it into place; a file
/// that is released without `commit()` (an error, a cancellation) is closed and unlinked, so no
/// half-written output is ever left behind. A process that is killed outright (SIGKILL, a crash)
/// cannot clean up; `removeStalePartialFiles(besides:)` sweeps such leftovers later.
public final class AtomicOutputFile {
    /// The path the file will have once committed.
    public let destination: String
    /// The temporary path the bytes are written to until then.
    public let temporaryPath: String
    private let overwrite: Bool
    private var descriptor: Int32
    private var finished = false

    /// Creates the temporary file beside `destination`.
    ///
    /// - Parameter overwrite: when false, `commit()` refuses to replace an existing file (checked
    ///   now and again, atomically, at commit time).
    public init(destination: String, overwrite: Bool) throws(AudioPrepError) {
        self.destination = destination
        self.overwrite = overwrite
        try AtomicOutputFile.checkReplaceable(destination)
        if !overwrite { try AtomicOutputFile.checkAbsent(destination) }
        let folder = AtomicOutputFile.folder(of: destination)
        let name = AtomicOutputFile.fileName(of: destination)
        var attempt = 0
        while true {
            let candidate = "\(folder)/" + AtomicOutputFile.partialFileName(for: name, pid: getpid(), attempt: attempt)
            let fd = open(candidate, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
            if fd >= 0 {
                // Held until the descriptor closes (or the process ends): tells a sweep in another
                // PID namespace or on another NFS client that this file is still being written.
                _ = flock(fd, LOCK_EX | LOCK_NB)
                descriptor = fd
                temporaryPath = candidate
                return
            }
            let error = errno
            if error == EEXIST, attempt < 100 {
                attempt += 1
                continue
            }
            throw AudioPrepError(
                .writeFailed, path: destination,
                "cannot create a temporary file in \(folder) (\(AtomicOutputFile.describe(error))). "
                    + "Check that the folder exists and is writable.")
        }
    }

    deinit {
        if !finished {
            close(descriptor)
            unlink(temporaryPath)
        }
    }

    /// Appends `bytes` at the current end of the file (`write(2)`, retried until all are written).
    public func write(_ bytes: UnsafeRawBufferPointer) throws(AudioPrepError) {
        guard var base = bytes.baseAddress else { return }
        var remaining = bytes.count
        while remaining > 0 {
            let written = systemWrite(descriptor, base, remaining)
            if written < 0 {
                if errno == EINTR { continue }
                throw writeError(errno)
            }
            remaining -= written
            base += written
        }
    }

    /// Appends `bytes` (see `write(_:)`).
    public func write(_ bytes: [UInt8]) throws(AudioPrepError) {
        let failure: AudioPrepError? = bytes.withUnsafeBytes { raw in
            do throws(AudioPrepError) { try write(raw) } catch { return error }
            return nil
        }
        if let failure { throw failure }
    }

    /// Overwrites bytes already written at `offset` (`pwrite(2)`), e.g. to patch a header once the
    /// totals are known. The file position for `write(_:)` is not moved.
    public func write(_ bytes: [UInt8], at offset: Int64) throws(AudioPrepError) {
        let failure: Int32? = bytes.withUnsafeBytes { raw in
            var done = 0
            while done < raw.count {
                let written = pwrite(descriptor, raw.baseAddress! + done, raw.count - done, off_t(offset) + off_t(done))
                if written < 0 {
                    if errno == EINTR { continue }
                    return errno
                }
                done += written
            }
            return nil
        }
        if let failure { throw writeError(failure) }
    }

    /// Flushes the bytes written so far to disk (`fsync(2)`) without publishing the file, so that
    /// the flush can overlap other work; `commit()` then has little left to flush.
    public func flushToDisk() throws(AudioPrepError) {
        precondition(!finished, "flushToDisk() after commit()")
        if fsync(descriptor) != 0 { throw writeError(errno) }
    }

    /// Flushes the data to disk and moves the file to `destination`; afterwards the temporary
    /// path no longer exists. Without `overwrite`, an existing destination is never replaced;
    /// with it, the new file takes the permissions of the regular file it replaces.
    public func commit() throws(AudioPrepError) {
        precondition(!finished, "commit() called twice")
        if overwrite, let mode = AtomicOutputFile.permissionsOfRegularFile(at: destination) {
            // The file being replaced keeps its permissions (a private 600 stays private).
            if fchmod(descriptor, mode) != 0 { throw writeError(errno) }
        }
        if fsync(descriptor) != 0 { throw writeError(errno) }
        if close(descriptor) != 0 {
            finished = true
            unlink(temporaryPath)
            throw writeError(errno)
        }
        finished = true
        if overwrite {
            do {
                try AtomicOutputFile.checkReplaceable(destination)
            } catch {
                unlink(temporaryPath)
                throw error
            }
            if rename(temporaryPath, destination) != 0 {
                let error = errno
                unlink(temporaryPath)
                throw writeError(error)
            }
        } else {
            // link(2) fails with EEXIST instead of replacing: an atomic "create if absent".
            if link(temporaryPath, destination) != 0 {
                let error = errno
                unlink(temporaryPath)
                if error == EEXIST {
                    throw AudioPrepError(
                        .outputExists, path: destination,
                        "the output file appeared while callprep was writing it. Choose another path, or pass --force to replace it.")
                }
                throw writeError(error)
            }
            unlink(temporaryPath)
        }
        let folderFD = open(AtomicOutputFile.folder(of: destination), O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if folderFD >= 0 {
            fsync(folderFD)
            close(folderFD)
        }
    }

    /// Refuses a destination that exists and is not a regular file, or is a symbolic link to
    /// something that is not: a device such as /dev/null, /dev/stdout (a link to the terminal or
    /// pipe), a FIFO, a socket or a folder. The output is a new file moved into place with
    /// `rename(2)`, which would replace the node itself (as root, /dev/null would become a FLAC
    /// file). A link to a regular file, or a dangling one, is replaced by the new file; what it
    /// pointed to is left alone. Uses `lstat(2)` and `stat(2)`.
    public static func checkReplaceable(_ destination: String) throws(AudioPrepError) {
        var info = stat()
        guard lstat(destination, &info) == 0 else { return }  // absent: nothing to replace
        var type = info.st_mode & S_IFMT
        var prefix = ""
        if type == S_IFLNK {
            guard stat(destination, &info) == 0 else { return }  // dangling link
            type = info.st_mode & S_IFMT
            prefix = "a link to "
        }
        guard type != S_IFREG else { return }
        let what = switch type {
        case S_IFDIR: "a folder"
        case S_IFCHR, S_IFBLK: "a device"
        case S_IFIFO: "a pipe"
        case S_IFSOCK: "a socket"
        default: "not a regular file"
        }
        throw AudioPrepError(
            .notAFile, path: destination,
            "the output path is \(prefix)\(what). callprep writes a new file and moves it into place, which would replace it; "
                + "give the path of a file to create, e.g. -o merged.flac.")
    }

    /// Refuses a destination that exists in any form, including a symbolic link whose target is
    /// missing (`lstat(2)`, not `access(2)`, which follows links): `commit()` without overwrite
    /// would fail on it only after all the work.
    public static func checkAbsent(_ destination: String) throws(AudioPrepError) {
        var info = stat()
        guard lstat(destination, &info) == 0 else { return }
        if info.st_mode & S_IFMT == S_IFLNK, stat(destination, &info) != 0 {
            throw AudioPrepError(
                .outputExists, path: destination,
                "the path is a symbolic link to a missing file. Remove the link, choose another path, or pass --force to replace the link.")
        }
        throw AudioPrepError(
            .outputExists, path: destination,
            "the file already exists. Choose another path, or pass --force to replace it.")
    }

    /// The permission bits of the regular file at `path` (through a symbolic link), or nil when
    /// there is none. Set-id and sticky bits are not carried over to the new contents.
    static func permissionsOfRegularFile(at path: String) -> mode_t? {
        var info = stat()
        guard stat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { return nil }
        return info.st_mode & 0o777
    }

    /// Closes and removes the temporary file without publishing it.
    public func discard() {
        guard !finished else { return }
        finished = true
        close(descriptor)
        unlink(temporaryPath)
    }

    private func writeError(_ error: Int32) -> AudioPrepError {
        AudioPrepError(
            .writeFailed, path: destination,
            "writing the output failed (\(AtomicOutputFile.describe(error))). Check free disk space and permissions; nothing was left behind.")
    }

    static func describe(_ error: Int32) -> String {
        String(cString: strerror(error))
    }

    static func folder(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        let folder = String(path[..<slash])
        return folder.isEmpty ? "/" : folder
    }

    static func fileExtension(of name: String) -> String {
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return "" }
        return String(name[dot...])
    }

    static func fileName(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return path }
        return String(path[path.index(after: slash)...])
    }
}
