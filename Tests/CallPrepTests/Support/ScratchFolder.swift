import Foundation

/// A temporary folder of real test audio under chosen names (odd characters, no extension,
/// subfolders), removed when the value is released.
final class ScratchFolder {
    let path: String

    init() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("callprep-cli-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    /// Copies `TestAudio/<testAudio>` to `<folder>/<name>` (subfolders created) and returns the
    /// new file's path.
    @discardableResult
    func copy(_ testAudio: String, as name: String) throws -> String {
        let target = path + "/" + name
        try makeParent(of: target)
        try FileManager.default.copyItem(atPath: CLI.audio(testAudio), toPath: target)
        return target
    }

    /// Writes `text` to `<folder>/<name>` and returns the file's path.
    @discardableResult
    func write(_ text: String, as name: String) throws -> String {
        let target = path + "/" + name
        try makeParent(of: target)
        try Data(text.utf8).write(to: URL(fileURLWithPath: target))
        return target
    }

    private func makeParent(of file: String) throws {
        let parent = URL(fileURLWithPath: file).deletingLastPathComponent().path
        try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
    }
}
