import CallPrepJSON
import GRDB
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Reads a row's columns as the types the schema promises, and refuses (`corrupt_row`) a value
/// that is not — instead of trapping, as a conversion of a hand-edited or damaged row might.
struct RowReader {
    let row: Row
    /// What the row is, for messages: `job "call-1"`.
    let what: String

    func text(_ column: String) throws(JobStoreError) -> String {
        guard let value = try optionalText(column) else { throw corrupt(column, "is NULL") }
        return value
    }

    func optionalText(_ column: String) throws(JobStoreError) -> String? {
        let value: DatabaseValue = row[column]
        switch value.storage {
        case .null: return nil
        case .string(let text): return text
        default: throw corrupt(column, "is not text")
        }
    }

    func integer(_ column: String) throws(JobStoreError) -> Int64 {
        guard let value = try optionalInteger(column) else { throw corrupt(column, "is NULL") }
        return value
    }

    func optionalInteger(_ column: String) throws(JobStoreError) -> Int64? {
        let value: DatabaseValue = row[column]
        switch value.storage {
        case .null: return nil
        case .int64(let number): return number
        default: throw corrupt(column, "is not an integer")
        }
    }

    /// A count (≥ 0 and small enough for `Int`).
    func count(_ column: String) throws(JobStoreError) -> Int {
        let value = try integer(column)
        guard value >= 0, value <= Int64(Int32.max) else { throw corrupt(column, "is \(value), not a count") }
        return Int(value)
    }

    func date(_ column: String) throws(JobStoreError) -> Date {
        guard let value = try optionalDate(column) else { throw corrupt(column, "is NULL") }
        return value
    }

    func optionalDate(_ column: String) throws(JobStoreError) -> Date? {
        guard let milliseconds = try optionalInteger(column) else { return nil }
        guard let date = StoredTime.date(milliseconds: milliseconds) else {
            throw corrupt(column, "holds \(milliseconds), not a time in milliseconds since 1970")
        }
        return date
    }

    func value<T>(_ column: String, _ parse: (String) -> T?) throws(JobStoreError) -> T {
        let text = try text(column)
        guard let value = parse(text) else { throw corrupt(column, "holds \"\(text)\", which this callprep does not know") }
        return value
    }

    func json(_ column: String) throws(JobStoreError) -> JSONValue {
        guard let text = try optionalText(column) else { return .null }
        do {
            return try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
        } catch {
            throw corrupt(column, "is not JSON")
        }
    }

    func corrupt(_ column: String, _ problem: String) -> JobStoreError {
        JobStoreError(
            code: .corruptRow,
            message: "\(what): column \(column) \(problem); the database was changed outside callprep or is damaged")
    }
}
