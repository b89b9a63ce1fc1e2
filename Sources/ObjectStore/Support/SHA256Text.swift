import Crypto
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The SHA-256 spellings a store deals in: 64 lowercase hex digits (callprep's manifests, the
/// `x-amz-meta-sha256` metadata, SigV4's payload hash) and base64 (`x-amz-checksum-sha256`).
enum SHA256Text {
    /// Lowercase hex of a digest.
    static func hex(_ digest: SHA256.Digest) -> String {
        digest.map { byte in
            let text = String(byte, radix: 16)
            return byte < 16 ? "0" + text : text
        }.joined()
    }

    /// Lowercase hex of the SHA-256 of `bytes`.
    static func hex(of bytes: some DataProtocol) -> String {
        hex(SHA256.hash(data: bytes))
    }

    /// The caller's hex checksum, lowercased, or an ``ObjectStoreError/Code/invalidArgument``
    /// error when it is not 64 hex digits.
    static func normalizedHex(_ text: String) throws(ObjectStoreError) -> String {
        let lower = text.lowercased()
        guard lower.utf8.count == 64, lower.utf8.allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }) else {
            throw ObjectStoreError(
                code: .invalidArgument,
                message: "sha256 must be 64 hex digits (the file's SHA-256), got \(text.utf8.count) characters; nothing was sent")
        }
        return lower
    }

    /// Base64 of the 32 bytes a (validated) hex checksum spells.
    static func base64(fromHex hex: String) -> String {
        Data(bytes(fromHex: hex)).base64EncodedString()
    }

    /// The bytes a (validated) hex checksum spells.
    static func bytes(fromHex hex: String) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(hex.utf8.count / 2)
        var iterator = hex.utf8.makeIterator()
        while let high = iterator.next(), let low = iterator.next() {
            bytes.append(nibble(high) << 4 | nibble(low))
        }
        return bytes
    }

    private static func nibble(_ character: UInt8) -> UInt8 {
        switch character {
        case 0x30...0x39: character - 0x30
        case 0x61...0x66: character - 0x61 + 10
        case 0x41...0x46: character - 0x41 + 10
        default: 0
        }
    }
}
