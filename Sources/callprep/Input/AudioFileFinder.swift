import AudioPrep

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Turns `validate`'s path arguments into the files to check: a file stands for itself, a folder
/// for the audio files in it.
///
/// In a folder, a file counts as audio when its name has an audio extension (`.wav`, `.flac`,
/// `.mp3`, `.mka`, … — see `AudioFileRecognizer.audioExtensions`) **or** its first bytes are
/// those of an audio format. So a `.wav` that is really text is still checked (and reported: a
/// CI gate should see it), a recording saved without an extension is found, and notes,
/// manifests and transcripts are skipped. Hidden entries (names starting with `.`, such as a
/// running merge's partial output) are skipped; so are links to folders (no loops) and anything
/// that is not a regular file. Subfolders are searched only with `recursive`. Each folder's
/// files are sorted by path (byte order, as `LC_ALL=C sort`), so reports come in the same order
/// on every machine.
enum AudioFileFinder {
    /// One thing to report.
    enum Target: Equatable {
        /// A file to validate: given as an argument, or found in a folder.
        case file(String)
        /// A folder argument in which no audio file was found.
        case folderWithoutAudio(String)
        /// A folder argument (or one of its subfolders) that could not be listed.
        case unreadableFolder(String, reason: String)
    }

    static func targets(for arguments: [String], recursive: Bool) -> [Target] {
        arguments.flatMap { argument -> [Target] in
            var info = stat()
            guard stat(argument, &info) == 0, info.st_mode & S_IFMT == S_IFDIR else { return [.file(argument)] }
            let folder = withoutTrailingSlashes(argument)
            var files: [String] = []
            var problems: [Target] = []
            collect(in: folder, recursive: recursive, into: &files, problems: &problems)
            if files.isEmpty && problems.isEmpty { return [.folderWithoutAudio(folder)] }
            return files.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }.map(Target.file) + problems
        }
    }

    private static func collect(in folder: String, recursive: Bool, into files: inout [String], problems: inout [Target]) {
        guard let directory = opendir(folder) else {
            problems.append(.unreadableFolder(folder, reason: String(cString: strerror(errno))))
            return
        }
        defer { closedir(directory) }
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if name.hasPrefix(".") { continue }
            let path = folder == "/" ? "/" + name : folder + "/" + name
            switch kind(of: path) {
            case .folder:
                if recursive { collect(in: path, recursive: true, into: &files, problems: &problems) }
            case .file:
                if AudioFileRecognizer.hasAudioExtension(path) || AudioFileRecognizer.contentIsAudio(path: path) {
                    files.append(path)
                }
            case .other:
                continue
            }
        }
    }

    private enum Kind { case folder, file, other }

    /// A real folder (not a link to one), a regular file (or a link to one), or anything else.
    private static func kind(of path: String) -> Kind {
        var info = stat()
        guard lstat(path, &info) == 0 else { return .other }
        switch info.st_mode & S_IFMT {
        case S_IFDIR: return .folder
        case S_IFREG: return .file
        case S_IFLNK:
            guard stat(path, &info) == 0 else { return .other }
            return info.st_mode & S_IFMT == S_IFREG ? .file : .other
        default: return .other
        }
    }

    private static func withoutTrailingSlashes(_ path: String) -> String {
        var trimmed = Substring(path)
        while trimmed.count > 1, trimmed.hasSuffix("/") { trimmed.removeLast() }
        return String(trimmed)
    }
}
