#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import AudioPrep

/// The folder for spooled standard input and output: `$TMPDIR`, else /tmp.
enum TemporaryFolder {
    static var path: String {
        if let value = getenv("TMPDIR"), value.pointee != 0 {
            let text = String(cString: value)
            return text.count > 1 && text.hasSuffix("/") ? String(text.dropLast()) : text
        }
        return "/tmp"
    }

    /// A new private folder `$TMPDIR/callprep-PURPOSE-XXXXXX` (mode 700, `mkdtemp(3)`).
    static func create(purpose: String) throws(AudioPrepError) -> String {
        var template = Array("\(path)/callprep-\(purpose)-XXXXXX".utf8CString)
        let created = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) != nil }
        guard created else {
            throw AudioPrepError(
                .writeFailed, path: path,
                "cannot create a temporary folder here (\(String(cString: strerror(errno)))). Set TMPDIR to a writable folder with room for the audio.")
        }
        return String(cString: template.withUnsafeBufferPointer { $0.baseAddress! })
    }

    /// Removes `file` (if present) and then the folder that holds it.
    static func remove(file: String, folder: String) {
        unlink(file)
        rmdir(folder)
    }
}
