#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The names downloads stream into before they are complete, and the sweep that removes those
/// left behind by a process that ended before it could (a crash, `kill -9`, a power cut).
///
/// A partial file sits beside its destination (same file system, so the final rename is
/// atomic), hidden, named after the destination and the process writing it:
/// `.RT….mka.4242-1a2b3c4d.partial`. The process id lets a sweep leave alone the partial files of
/// another callprep still downloading into the same folder. The sweep also knows the ObjectStore
/// module's download names (`.RT….mka.partial-4242-123456`).
public enum PartialDownloads {
    /// Every partial file name ends so.
    public static let suffix = ".partial"

    /// `folder/.name.PID-RANDOM.partial` for the destination `path`.
    static func path(for path: String, processID: Int32 = getpid()) -> String {
        let slash = path.lastIndex(of: "/")
        let folder = slash.map { String(path[...$0]) } ?? ""
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        let random = UUID().uuidString.prefix(8).lowercased()
        return "\(folder).\(name).\(processID)-\(random)\(suffix)"
    }

    /// The process that wrote a partial file, from its name; nil when the name is not one of ours:
    /// `.NAME.PID-RANDOM.partial` (a Twilio media download) or `.NAME.partial-PID-RANDOM` (the
    /// ObjectStore module's download, used for recordings in the account's own bucket).
    static func writer(ofFileNamed name: String) -> Int32? {
        guard name.hasPrefix(".") else { return nil }
        let digits: Substring
        if name.hasSuffix(suffix) {
            let stem = name.dropLast(suffix.count)
            guard let dot = stem.lastIndex(of: "."), let dash = stem[dot...].lastIndex(of: "-") else { return nil }
            digits = stem[stem.index(after: dot)..<dash]
        } else if let marker = name.ranges(of: suffix + "-").last, marker.lowerBound > name.index(after: name.startIndex) {
            let rest = name[marker.upperBound...]
            guard let dash = rest.firstIndex(of: "-"), !rest[rest.index(after: dash)...].isEmpty,
                  rest[rest.index(after: dash)...].allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else { return nil }
            digits = rest[..<dash]
        } else {
            return nil
        }
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }), let pid = Int32(digits), pid > 0 else { return nil }
        return pid
    }

    /// Removes the partial files in `folder` whose writer is no longer running (or, with
    /// `includingOwn`, this process's own too: after an interrupted run), and returns their
    /// paths. Files that are not partial downloads are never touched; an unreadable folder
    /// sweeps nothing.
    @discardableResult
    public static func sweep(folder: String, includingOwn: Bool = false) -> [String] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return [] }
        let own = getpid()
        var removed: [String] = []
        for name in names.sorted() {
            guard let writer = writer(ofFileNamed: name) else { continue }
            let running = writer == own ? !includingOwn : isRunning(writer)
            guard !running else { continue }
            let path = folder.hasSuffix("/") ? folder + name : folder + "/" + name
            if unlink(path) == 0 { removed.append(path) }
        }
        return removed
    }

    /// Whether a process with this id exists (`kill(pid, 0)`; EPERM means it exists but is
    /// another user's).
    private static func isRunning(_ pid: Int32) -> Bool {
        kill(pid, 0) == 0 || errno == EPERM
    }
}
