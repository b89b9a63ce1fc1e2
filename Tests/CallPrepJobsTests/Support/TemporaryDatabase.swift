import Foundation

/// A fresh folder for one test's database file, removed when the test ends.
final class TemporaryDatabase {
    let folder: URL
    var path: String { folder.appendingPathComponent("jobs.sqlite").path }

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("callprep-jobs-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: folder) }
}
