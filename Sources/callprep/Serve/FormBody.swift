/// `application/x-www-form-urlencoded` text (a Twilio callback's body, a URL's query) as its
/// name–value pairs, in order: `+` is a space, `%XX` a byte. Malformed escapes are kept as
/// they are, as Twilio's own validators do, so a signature over them still checks.
enum FormBody {
    static func pairs(_ text: Substring) -> [(String, String)] {
        guard !text.isEmpty else { return [] }
        return text.split(separator: "&", omittingEmptySubsequences: true).map { field in
            if let equals = field.firstIndex(of: "=") {
                return (decode(field[..<equals]), decode(field[field.index(after: equals)...]))
            }
            return (decode(field), "")
        }
    }

    static func pairs(_ bytes: [UInt8]) -> [(String, String)] {
        pairs(Substring(String(decoding: bytes, as: UTF8.self)))
    }

    /// The first value of `name` in `pairs`.
    static func value(_ name: String, in pairs: [(String, String)]) -> String? {
        pairs.first { $0.0 == name }?.1
    }

    static func decode(_ text: Substring) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        var input = Array(text.utf8)[...]
        while let byte = input.popFirst() {
            switch byte {
            case UInt8(ascii: "+"): bytes.append(UInt8(ascii: " "))
            case UInt8(ascii: "%"):
                if input.count >= 2, let high = hexValue(input[input.startIndex]), let low = hexValue(input[input.startIndex + 1]) {
                    bytes.append(high << 4 | low)
                    input.removeFirst(2)
                } else {
                    bytes.append(byte)
                }
            default: bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
