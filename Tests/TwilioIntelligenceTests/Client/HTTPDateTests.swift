import Foundation
import Testing
@testable import TwilioIntelligence

/// `Retry-After` HTTP dates, read without Foundation's `DateFormatter`: every day around the leap
/// days of four centuries and the calendar's ends, against GNU `date`'s reading of the same text.
@Suite struct HTTPDateTests {
    static func imfFixdate(year: Int, month: Int, day: Int, time: String) -> String? {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "GMT")!
        guard let date = calendar.date(from: DateComponents(year: year, month: month, day: day)),
              calendar.component(.day, from: date) == day
        else { return nil }
        let weekday = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"][calendar.component(.weekday, from: date) - 1]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        return "\(weekday), \(String(format: "%02d", day)) \(months[month - 1]) \(String(format: "%04d", year)) \(time) GMT"
    }

    /// Seconds since 1970 for each line, as GNU `date -u -f FILE +%s` reads them.
    static func gnuDate(_ lines: [String]) throws -> [Int] {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("httpdate-\(UUID().uuidString).txt")
        try Data(lines.joined(separator: "\n").utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/date")
        process.arguments = ["-u", "-f", file.path, "+%s"]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        return String(decoding: data, as: UTF8.self).split(separator: "\n").compactMap { Int($0) }
    }

    @Test func agreesWithGNUDate() throws {
        var lines: [String] = []
        for year in [1, 1600, 1899, 1900, 1969, 1970, 1999, 2000, 2023, 2024, 2100, 2400, 9999] {
            for (month, day) in [(1, 1), (2, 28), (2, 29), (3, 1), (12, 31)] {
                for time in ["00:00:00", "13:45:40", "23:59:59"] {
                    if let line = Self.imfFixdate(year: year, month: month, day: day, time: time) { lines.append(line) }
                }
            }
        }
        let expected = try Self.gnuDate(lines)
        #expect(expected.count == lines.count)
        #expect(lines.count > 150)
        for (line, seconds) in zip(lines, expected) {
            #expect(HTTPDate.parse(line)?.timeIntervalSince1970 == Double(seconds), "\(line)")
        }
    }

    @Test func refusesWhatIsNotAnIMFFixdate() {
        for text in [
            "Thu, 29 Feb 2023 00:00:00 GMT", "Wed, 31 Apr 2024 00:00:00 GMT", "Wed, 01 May 2024 24:00:00 GMT",
            "Wed, 01 May 2024 13:60:00 GMT", "Wed, 1 May 2024 13:45:40 GMT", "Wed, 01 May 2024 13:45:40 UTC",
            "Wed, 01 Foo 2024 13:45:40 GMT", "Wed 01 May 2024 13:45:40 GMT", "Wed, 01 May 0000 13:45:40 GMT",
            "Wed, 01 May 2024 13:45 GMT", "Wed, 01 May 2024 13:45:40:00 GMT", "Wed, +1 May 2024 13:45:40 GMT",
            "Wed, 01 May 99999999999999999999 13:45:40 GMT", "", "Wednesday, 01-May-24 13:45:40 GMT",
        ] {
            #expect(HTTPDate.parse(text) == nil, "\(text)")
        }
    }
}
