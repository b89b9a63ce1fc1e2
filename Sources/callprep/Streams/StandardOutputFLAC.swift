#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import AudioPrep

/// `merge -o -`: the FLAC is written to a temporary file in `$TMPDIR` (the encoder patches
/// STREAMINFO and the output is validated and hashed before it is released), then copied to
/// standard output and removed. Nothing is left in `$TMPDIR` after success, failure or Ctrl-C.
final class StandardOutputFLAC {
    /// How `-` is named in messages and in the manifest.
    static let name = "-"
    /// Where the merge writes the FLAC.
    let path: String
    private let folder: String
    private var removed = false

    /// Refuses a terminal on standard output: binary data would garble it.
    static func checkNotTerminal() throws(AudioPrepError) {
        guard isatty(STDOUT_FILENO) == 0 else {
            throw AudioPrepError(
                .invalidArgument, path: Self.name,
                "standard output is a terminal, and `-o -` writes binary FLAC there. Redirect or pipe it (`-o - > call.flac`, `-o - | upload`), or give a file name.")
        }
    }

    /// Checks standard output (`checkNotTerminal`), then makes the temporary folder.
    init() throws(AudioPrepError) {
        try Self.checkNotTerminal()
        folder = try TemporaryFolder.create(purpose: "stdout")
        path = folder + "/merged.flac"
    }

    deinit { remove() }

    /// Deletes the temporary FLAC (idempotent).
    func remove() {
        guard !removed else { return }
        removed = true
        TemporaryFolder.remove(file: path, folder: folder)
    }

    /// Copies the finished FLAC to standard output. A closed pipe (EPIPE) is an error, not a
    /// silent death by SIGPIPE, so the temporary file is still removed.
    func copyToStandardOutput() throws(AudioPrepError) {
        signal(SIGPIPE, SIG_IGN)
        let input = open(path, O_RDONLY | O_CLOEXEC)
        guard input >= 0 else {
            throw AudioPrepError(.unreadable, path: path, "cannot reopen the merged FLAC (\(String(cString: strerror(errno)))).")
        }
        defer { close(input) }
        let blockBytes = 256 * 1024
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: blockBytes, alignment: 16)
        defer { buffer.deallocate() }
        while true {
            let count = read(input, buffer, blockBytes)
            if count == 0 { return }
            if count < 0 {
                if errno == EINTR { continue }
                throw AudioPrepError(.unreadable, path: path, "reading the merged FLAC failed (\(String(cString: strerror(errno)))).")
            }
            var written = 0
            while written < count {
                let step = write(STDOUT_FILENO, buffer + written, count - written)
                if step < 0 {
                    if errno == EINTR { continue }
                    let reason = errno == EPIPE ? "the reader closed the pipe" : String(cString: strerror(errno))
                    throw AudioPrepError(
                        .writeFailed, path: Self.name,
                        "writing the FLAC to standard output failed (\(reason)); the output is incomplete. Check the command reading it.")
                }
                written += step
            }
        }
    }
}
