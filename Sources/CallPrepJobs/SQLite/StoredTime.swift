#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Times in the store: whole milliseconds since 1970 (UTC) in an INTEGER column, so SQL can
/// compare them (`leased_until <= now`) and both engines store them alike.
enum StoredTime {
    /// The latest time stored: the end of the year 9999.
    static let maximumMilliseconds: Int64 = 253_402_300_799_999

    static func milliseconds(_ date: Date) -> Int64 {
        let value = (date.timeIntervalSince1970 * 1000).rounded()
        guard value.isFinite else { return 0 }
        return Int64(min(max(value, 0), Double(maximumMilliseconds)))
    }

    /// The date of a stored value, or nil when it is outside 1970…9999 (a damaged row).
    static func date(milliseconds: Int64) -> Date? {
        guard (0...maximumMilliseconds).contains(milliseconds) else { return nil }
        return Date(timeIntervalSince1970: Double(milliseconds) / 1000)
    }

    /// `duration` in whole milliseconds, if it is between 1 ms and `limit`.
    static func milliseconds(_ duration: Duration, atMost limit: Duration) -> Int64? {
        guard duration >= .milliseconds(1), duration <= limit else { return nil }
        let (seconds, attoseconds) = duration.components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }
}
