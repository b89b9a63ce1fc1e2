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
        var bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeMutableBytes { raw in
                write(STDERR_FILENO, raw.baseAddress! + offset, raw.count - offset)
            }
            if n <= 0 { if n < 0 && errno == EINTR { continue }; return }
            offset += n
        }
    }

    /// Whether standard error is an interactive terminal (progress bars only then).
    static var stderrIsTerminal: Bool { isatty(STDERR_FILENO) != 0 }
}
