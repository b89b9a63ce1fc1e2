import Foundation

/// Paths to the committed sample audio and helpers for temporary files and reference tools.
enum TestFiles {
    /// The repository root, found from this source file's location.
    static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static func audio(_ relative: String) -> String {
        root.appendingPathComponent("TestAudio").appendingPathComponent(relative).path
    }

    /// A fresh temporary directory, removed by the caller with `cleanUp`.
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("callprep-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// The absolute path of an executable on PATH, or nil.
    static func which(_ tool: String) -> String? {
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin").split(separator: ":") {
            let candidate = "\(dir)/\(tool)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// Runs a tool and returns its standard output (standard error discarded).
    static func run(_ tool: String, _ arguments: [String]) throws -> Data {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return data
    }

    /// Writes a canonical 44-byte-header PCM WAV whose header claims `dataBytes` of audio but
    /// whose body is sparse (holes read as zeros, take no disk space). For testing limits on
    /// multi-gigabyte or many-hour files without writing them.
    static func writeSparseWAV(at url: URL, sampleRate: UInt32, channels: UInt16, bitsPerSample: UInt16, dataBytes: UInt32) throws {
        var header = Data()
        func le32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { header.append(contentsOf: $0) } }
        func le16(_ v: UInt16) { withUnsafeBytes(of: v.littleEndian) { header.append(contentsOf: $0) } }
        header.append(contentsOf: Array("RIFF".utf8)); le32(36 + dataBytes)
        header.append(contentsOf: Array("WAVEfmt ".utf8)); le32(16); le16(1); le16(channels); le32(sampleRate)
        let blockAlign = channels * bitsPerSample / 8
        le32(sampleRate * UInt32(blockAlign)); le16(blockAlign); le16(bitsPerSample)
        header.append(contentsOf: Array("data".utf8)); le32(dataBytes)
        FileManager.default.createFile(atPath: url.path, contents: header)
        let handle = try FileHandle(forWritingTo: url)
        try handle.truncate(atOffset: UInt64(header.count) + UInt64(dataBytes))
        try handle.close()
    }
}
