import ArgumentParser

/// How long a presigned URL stays valid: `--expires 15m`, `2h`, `7d` (or `90s`, or plain
/// seconds). SigV4 refuses presigned URLs that last longer than 7 days, so that is the most;
/// the default, 24 h, is long enough for a transcript that waits in Twilio's queue.
struct PresignExpiry: Sendable, Hashable, CustomStringConvertible {
    /// The validity in seconds, 1…604800.
    let seconds: Int

    /// SigV4's limit: 7 days.
    static let maximumSeconds = 7 * 86_400
    /// 24 hours.
    static let standard = PresignExpiry(checkedSeconds: 86_400)

    private init(checkedSeconds: Int) { seconds = checkedSeconds }

    /// Parses `N` followed by `s`, `m`, `h` or `d` (or no unit: seconds). A whole number only,
    /// so the URL's `X-Amz-Expires` is exactly what was asked for; throws a `ValidationError`
    /// (exit status 2) that says the range and gives examples.
    static func parse(_ text: String) throws -> PresignExpiry {
        let units: [(Character, Int)] = [("s", 1), ("m", 60), ("h", 3600), ("d", 86_400)]
        var digits = Substring(text)
        var scale = 1
        if let last = text.last, let unit = units.first(where: { $0.0 == last }) {
            digits = digits.dropLast()
            scale = unit.1
        }
        // At most 7 digits: any larger count of even seconds is beyond the limit, and no
        // product below can overflow.
        guard !digits.isEmpty, digits.count <= 7, digits.allSatisfy({ $0.isASCII && $0.isNumber }), let count = Int(digits),
              count > 0, count * scale <= maximumSeconds
        else {
            throw ValidationError("--expires: not a duration from 1s to 7d: \(text.debugDescription); presigned URLs last at most 7 days (SigV4); use e.g. 15m, 2h, 7d")
        }
        return PresignExpiry(checkedSeconds: count * scale)
    }

    /// The shortest exact text: `7d`, `36h`, `90m`, `45s`.
    var description: String {
        for (unit, scale) in [("d", 86_400), ("h", 3600), ("m", 60)] where seconds % scale == 0 {
            return "\(seconds / scale)\(unit)"
        }
        return "\(seconds)s"
    }
}
