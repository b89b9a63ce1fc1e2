#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where diagnostics go: standard error, so standard output stays parseable.
enum Terminal {
    /// Prints "callprep: MESSAGE" on standard error.
    static func printError(_ message: String) {
        writeStderr("callprep: \(message)\n")
    }

    /// Writes text to standard error unbuffered (the C call is `write(2)` on fd 2, which needs
    /// no shared `FILE*` state).
    static func writeStderr(_ text: String) {
        writeAll(Array(text.utf8), to: STDERR_FILENO)
    }

    /// Writes bytes to standard output unbuffered (`write(2)` on fd 1), for a whole document
    /// such as `merge --json`'s manifest.
    static func writeStdout(_ bytes: [UInt8]) {
        writeAll(bytes, to: STDOUT_FILENO)
    }

    /// `write(2)` until every byte is written, retrying after a signal; stops at an error (a
    /// closed pipe: there is no one left to tell).
    private static func writeAll(_ bytes: [UInt8], to fd: Int32) {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { raw in
                write(fd, raw.baseAddress! + offset, raw.count - offset)
            }
            if n <= 0 { if n < 0 && errno == EINTR { continue }; return }
            offset += n
        }
    }

    /// Whether standard error is an interactive terminal (progress bars only then).
    static var stderrIsTerminal: Bool { isatty(STDERR_FILENO) != 0 }
}
