/// SigV4's percent-encoding (RFC 3986): the unreserved characters `A–Z a–z 0–9 - _ . ~` stay,
/// every other UTF-8 byte becomes `%XY` with upper-case hex. S3 keys are encoded once (not
/// twice, as other AWS services do), with `/` kept in paths and encoded in query values.
enum SigV4Encoding {
    /// Encodes a query name or value: everything but the unreserved characters, `/` included.
    static func component(_ text: String) -> String {
        encode(text, keepingSlash: false)
    }

    /// Encodes an object key as a URL path: like ``component(_:)`` but `/` stays a separator.
    static func path(_ text: String) -> String {
        encode(text, keepingSlash: true)
    }

    private static func encode(_ text: String, keepingSlash: Bool) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"),
                 UInt8(ascii: "."), UInt8(ascii: "~"):
                result.unicodeScalars.append(Unicode.Scalar(byte))
            case UInt8(ascii: "/") where keepingSlash:
                result.append("/")
            default:
                result.append("%")
                result.append(hexDigits[Int(byte >> 4)])
                result.append(hexDigits[Int(byte & 0x0F)])
            }
        }
        return result
    }

    private static let hexDigits: [Character] = Array("0123456789ABCDEF")
}

/// The range of a presigned URL's lifetime: SigV4 refuses more than 7 days.
enum PresignExpiry {
    /// Seven days in seconds, SigV4's limit.
    static let maximumSeconds = 7 * 24 * 3600

    /// Throws unless `seconds` is 1…604800.
    static func check(_ seconds: Int) throws(ObjectStoreError) {
        guard (1...maximumSeconds).contains(seconds) else {
            throw ObjectStoreError(
                code: .invalidArgument,
                message: "a presigned URL must expire within 1 second to 7 days (604800 s); \(seconds) s is outside that")
        }
    }
}
