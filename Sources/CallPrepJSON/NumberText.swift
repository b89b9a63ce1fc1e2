#if canImport(Glibc)
import Glibc
#endif

/// Numbers as text for people and digests, exactly as C's `printf` writes them, for every module
/// of the package.
///
/// Foundation's `String(format:)` would do, but any use of the full Foundation links all of it,
/// ICU's 34 MB of data included, into the static binary (Docs/Benchmarks.md, "Binary size"); the
/// modules use FoundationEssentials, which has no `printf`-style formatting. It lives here because
/// every module already depends on this one.
package enum NumberText {
    /// `value` with `digits` decimals (`printf("%.*f")`): `fixed(3.14159, digits: 3)` is `"3.142"`,
    /// rounded from the exact binary value as `printf` does. NaN and infinities print as `nan`,
    /// `inf`, `-inf`.
    package static func fixed(_ value: Double, digits: Int) -> String {
        printf("%.*f", Int32(clamping: digits), value)
    }

    /// `value` in decimal, with zeros in front up to `width` digits (`printf("%0*lld")`):
    /// `zeroPadded(7, width: 2)` is `"07"`; a negative number keeps its sign in front.
    package static func zeroPadded(_ value: Int64, width: Int) -> String {
        printf("%0*lld", Int32(clamping: width), value)
    }

    /// Bytes as lowercase hexadecimal, two digits each (`printf("%02x")` per byte), as digests
    /// are written: `hex([0, 255])` is `"00ff"`.
    package static func hex(_ bytes: some Sequence<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// Whether `text` is a SHA-256 digest as ``hex(_:)`` writes one: exactly 64 lowercase
    /// hexadecimal digits (what manifests record and what a download's hash must be).
    package static func isSHA256Hex(_ text: String) -> Bool {
        text.utf8.count == 64 && text.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
    }

    /// `vsnprintf` into a buffer that is grown once if the first is too small.
    private static func printf(_ format: String, _ arguments: any CVarArg...) -> String {
        withVaList(arguments) { first in
            var buffer = [CChar](repeating: 0, count: 64)
            let needed = Int(vsnprintf(&buffer, buffer.count, format, first))
            if needed < buffer.count {
                return String(decoding: buffer.prefix(max(needed, 0)).map { UInt8(bitPattern: $0) }, as: UTF8.self)
            }
            buffer = [CChar](repeating: 0, count: needed + 1)
            return withVaList(arguments) { second in
                _ = vsnprintf(&buffer, buffer.count, format, second)
                return String(decoding: buffer.prefix(needed).map { UInt8(bitPattern: $0) }, as: UTF8.self)
            }
        }
    }
}
