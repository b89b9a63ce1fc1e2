#if canImport(Glibc)
import Glibc
#endif

/// The lines of a jobs file (or standard input), read in 64 KiB blocks: memory stays bounded
/// by the longest line allowed, however long the file. A longer line is skipped to its end and
/// reported as overlong, so one damaged line does not stop the rest.
struct JobsFileLines {
    /// One line: its number (1-based) and its text, or nil when it was longer than the limit.
    struct Line {
        var number: Int
        var text: String?
        var byteCount: Int
    }

    /// The path as given (`-` for standard input), for messages.
    let path: String
    private let descriptor: Int32
    private let closeWhenDone: Bool
    private let limit: Int
    private var buffer = [UInt8](repeating: 0, count: 65_536)
    private var start = 0
    private var end = 0
    private var atEnd = false
    private var number = 0

    /// Opens `path`; `-` is standard input.
    init(path: String, limit: Int) throws(JobsFileError) {
        self.limit = limit
        self.path = path
        if path == "-" {
            descriptor = STDIN_FILENO
            closeWhenDone = false
        } else {
            let fd = open(path, O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else { throw JobsFileError(path: path, errno: errno) }
            var info = stat()
            if fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR {
                _ = Glibc.close(fd)
                throw JobsFileError(path: path, errno: EISDIR)
            }
            descriptor = fd
            closeWhenDone = true
        }
    }

    /// Closes the file (not standard input).
    func closeFile() {
        if closeWhenDone { _ = Glibc.close(descriptor) }
    }

    /// The next line, without its `\n` (and `\r`), or nil at the end of the input.
    mutating func next() throws(JobsFileError) -> Line? {
        var pending: [UInt8] = []
        var overlong = false
        var count = 0
        while true {
            if start == end {
                if atEnd {
                    guard count > 0 || !pending.isEmpty else { return nil }
                    return finish(pending, overlong: overlong, count: count)
                }
                let got = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
                if got < 0 {
                    if errno == EINTR { continue }
                    throw JobsFileError(path: path == "-" ? "standard input" : path, errno: errno)
                }
                start = 0
                end = got
                if got == 0 { atEnd = true }
                continue
            }
            let newline = buffer[start..<end].firstIndex(of: 0x0A)
            let stop = newline ?? end
            let piece = stop - start
            count += piece
            if !overlong {
                if pending.count + piece > limit {
                    overlong = true
                    pending = []
                } else {
                    pending.append(contentsOf: buffer[start..<stop])
                }
            }
            if let newline {
                start = newline + 1
                return finish(pending, overlong: overlong, count: count)
            }
            start = end
        }
    }

    private mutating func finish(_ bytes: [UInt8], overlong: Bool, count: Int) -> Line {
        number += 1
        guard !overlong else { return Line(number: number, text: nil, byteCount: count) }
        var bytes = bytes
        if bytes.last == 0x0D { bytes.removeLast() }
        return Line(number: number, text: String(decoding: bytes, as: UTF8.self), byteCount: count)
    }
}

/// A jobs file that could not be opened or read.
struct JobsFileError: Error, CustomStringConvertible {
    var path: String
    var errno: Int32

    var description: String { ErrorText.fileProblem(errno, path: path) }

    /// The `code` of the `{"error": …}` object.
    var code: String {
        switch errno {
        case ENOENT: "file_not_found"
        case EACCES, EPERM: "permission_denied"
        default: "read_error"
        }
    }
}
