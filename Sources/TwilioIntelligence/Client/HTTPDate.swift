#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The HTTP date of a `Retry-After` header (RFC 9110's IMF-fixdate, always GMT):
/// `Wed, 01 May 2024 13:45:40 GMT`.
///
/// Read by hand because FoundationEssentials has no HTTP date style, and the full Foundation's
/// `DateFormatter` would link ICU's data into the binary. Every number comes from a server, so
/// each is range-checked before any arithmetic.
enum HTTPDate {
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    private static let weekdays = ["Mon,", "Tue,", "Wed,", "Thu,", "Fri,", "Sat,", "Sun,"]

    /// The date, or nil when `text` is not an IMF-fixdate with numbers in range.
    static func parse(_ text: String) -> Date? {
        let fields = text.split(separator: " ")
        guard fields.count == 6, weekdays.contains(String(fields[0])), fields[5] == "GMT",
              let day = number(fields[1], digits: 2, in: 1...31),
              let monthIndex = months.firstIndex(of: String(fields[2])),
              let year = number(fields[3], digits: 4, in: 1...9999)
        else { return nil }
        let clock = fields[4].split(separator: ":", omittingEmptySubsequences: false)
        guard clock.count == 3,
              let hour = number(clock[0], digits: 2, in: 0...23),
              let minute = number(clock[1], digits: 2, in: 0...59),
              let second = number(clock[2], digits: 2, in: 0...60)
        else { return nil }
        let month = monthIndex + 1
        guard day <= daysIn(month: month, year: year) else { return nil }
        let days = daysSince1970(year: year, month: month, day: day)
        return Date(timeIntervalSince1970: Double(days * 86_400 + hour * 3600 + minute * 60 + second))
    }

    /// A field of exactly `digits` ASCII digits whose value lies in `range`.
    private static func number(_ field: Substring, digits: Int, in range: ClosedRange<Int>) -> Int? {
        guard field.utf8.count == digits, field.utf8.allSatisfy({ (0x30...0x39).contains($0) }),
              let value = Int(field), range.contains(value)
        else { return nil }
        return value
    }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days from 1970-01-01 to the given day of the proleptic Gregorian calendar (counting whole
    /// 400-year eras of 146,097 days from 0000-03-01, so that leap days fall at the end of a year).
    private static func daysSince1970(year: Int, month: Int, day: Int) -> Int {
        let shiftedYear = month <= 2 ? year - 1 : year
        let era = (shiftedYear >= 0 ? shiftedYear : shiftedYear - 399) / 400
        let yearOfEra = shiftedYear - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}
