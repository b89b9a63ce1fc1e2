#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import AudioPrep

/// Standard input (`-` as a file argument) copied to a temporary file in `$TMPDIR`, because
/// probing, validating and merging need a file they can seek in and measure before decoding.
///
/// The copy streams in 256 KiB blocks (constant memory). On Linux the file's name is removed as
/// soon as it is created and the file is reached through `/proc/self/fd/N`, so it disappears
/// with the process however that ends (an error, Ctrl-C, SIGKILL); elsewhere it is removed when
/// the spool is released.
final class StandardInputSpool {
    /// How `-` is named in messages, manifests and JSON.
    static let name = "-"
    /// Where the copy can be opened by path.
    let path: String
    private let descriptor: Int32
    private let namedPath: String?

    /// Copies all of standard input; refuses a terminal (nobody means to type audio).
    init() throws(AudioPrepError) {
        guard isatty(STDIN_FILENO) == 0 else {
            throw AudioPrepError(
                .invalidArgument, path: Self.name,
                "standard input is a terminal. Pipe or redirect the audio into callprep, e.g. `callprep probe - < call.wav`.")
        }
        var template = Array("\(TemporaryFolder.path)/callprep-stdin-XXXXXX".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else {
            throw AudioPrepError(
                .writeFailed, path: TemporaryFolder.path,
                "cannot create a temporary file for standard input (\(String(cString: strerror(errno)))). Set TMPDIR to a writable folder with room for the audio.")
        }
        let created = String(cString: template.withUnsafeBufferPointer { $0.baseAddress! })
        descriptor = fd
        #if os(Linux)
        unlink(created)
        path = "/proc/self/fd/\(fd)"
        namedPath = nil
        #else
        path = created
        namedPath = created
        #endif
        do {
            try Self.copy(from: STDIN_FILENO, to: fd)
        } catch {
            close(fd)
            if let namedPath { unlink(namedPath) }
            throw error
        }
    }

    deinit {
        close(descriptor)
        if let namedPath { unlink(namedPath) }
    }

    /// `error` as a person should read it: the temporary path named as standard input.
    func relabel(_ error: AudioPrepError) -> AudioPrepError {
        var relabelled = error
        if relabelled.path == path { relabelled.path = Self.name }
        relabelled.message = relabelled.message.replacing(path, with: "standard input")
        return relabelled
    }

    private static func copy(from input: Int32, to output: Int32) throws(AudioPrepError) {
        let blockBytes = 256 * 1024
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: blockBytes, alignment: 16)
        defer { buffer.deallocate() }
        while true {
            let count = read(input, buffer, blockBytes)
            if count == 0 { return }
            if count < 0 {
                if errno == EINTR { continue }
                throw AudioPrepError(.unreadable, path: name, "reading standard input failed (\(String(cString: strerror(errno)))).")
            }
            var written = 0
            while written < count {
                let step = write(output, buffer + written, count - written)
                if step < 0 {
                    if errno == EINTR { continue }
                    throw AudioPrepError(
                        .writeFailed, path: TemporaryFolder.path,
                        "copying standard input to a temporary file failed (\(String(cString: strerror(errno)))). Free space there or set TMPDIR to a folder with room for the audio.")
                }
                written += step
            }
        }
    }
}

extension StandardInputSpool {
    /// `report` with the temporary path named `-` (and standard input in its messages).
    func relabel(_ report: ValidationReport) -> ValidationReport {
        var relabelled = report
        relabelled.path = Self.name
        relabelled.problems = report.problems.map { problem in
            var problem = problem
            problem.message = problem.message.replacing(path, with: "standard input")
            return problem
        }
        return relabelled
    }
}
