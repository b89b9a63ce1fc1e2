import Crypto
import Foundation

/// A folder under the test TMPDIR, removed when the value is released.
final class TemporaryFolder: @unchecked Sendable {
    let path: String

    init() throws {
        path = NSTemporaryDirectory() + "/objectstore-tests-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    /// Writes `bytes` to `name` in the folder and returns the path and its SHA-256 in hex.
    func file(_ name: String, bytes: [UInt8]) throws -> (path: String, sha256: String) {
        let filePath = path + "/" + name
        try Data(bytes).write(to: URL(fileURLWithPath: filePath))
        return (filePath, Self.sha256Hex(bytes))
    }

    static func sha256Hex(_ bytes: some DataProtocol) -> String {
        SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
    }

    /// Deterministic, non-repeating test bytes.
    static func bytes(count: Int, seed: UInt64 = 1) -> [UInt8] {
        var state = seed &* 0x9E37_79B9_7F4A_7C15 | 1
        return (0..<count).map { _ in
            state ^= state << 13; state ^= state >> 7; state ^= state << 17
            return UInt8(truncatingIfNeeded: state)
        }
    }
}

extension TemporaryFolder {
    /// MD5 in hex: S3's ETag of a single PUT.
    static func md5Hex(_ bytes: some DataProtocol) -> String {
        Insecure.MD5.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
    }
}
