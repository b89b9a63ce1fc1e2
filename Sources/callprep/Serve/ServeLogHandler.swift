import CallPrepJSON
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Logging

/// How `serve` writes its log lines on standard error.
enum ServeLogFormat: String, Sendable, CaseIterable {
    /// `2026-12-06T18:50:00Z info job added job_id=RM… event=room-ended`
    case text
    /// One JSON object per line: `time`, `level`, `message`, then the metadata's keys.
    case json
}

/// The swift-log handler of `serve`: one line per event on standard error, text or JSON, the
/// metadata (the job id, the event, the verdict) as keys. Nothing secret reaches it: callers
/// log SIDs, verdicts and error descriptions, never headers, bodies or credentials.
struct ServeLogHandler: LogHandler {
    var format: ServeLogFormat
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]
    var metadataProvider: Logger.MetadataProvider?

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { _, new in new } }
        if let extra = event.metadata { merged.merge(extra) { _, new in new } }
        let time = Date().formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
        Terminal.writeStderr(Self.line(time: time, level: event.level, message: event.message.description, metadata: merged, format: format) + "\n")
    }

    /// One log line (without its newline); keys in sorted order so lines compare in tests.
    static func line(time: String, level: Logger.Level, message: String, metadata: Logger.Metadata, format: ServeLogFormat) -> String {
        let keys = metadata.keys.sorted()
        switch format {
        case .text:
            var line = "\(time) \(level.rawValue) \(oneLine(message))"
            for key in keys { line += " \(key)=\(oneLine(text(metadata[key]!)))" }
            return line
        case .json:
            var members: [JSONValue.Member] = [
                .init("time", .string(time)), .init("level", .string(level.rawValue)), .init("message", .string(message)),
            ]
            for key in keys where !["time", "level", "message"].contains(key) { members.append(.init(key, .string(text(metadata[key]!)))) }
            return JSONValue.object(members).serialized(.compact)
        }
    }

    private static func text(_ value: Logger.Metadata.Value) -> String {
        switch value {
        case .string(let text): text
        case .stringConvertible(let value): value.description
        case .array(let values): values.map(text).joined(separator: ",")
        case .dictionary(let values): values.keys.sorted().map { "\($0):\(text(values[$0]!))" }.joined(separator: ",")
        }
    }

    /// Line breaks in a value would split a text line: shown as spaces.
    private static func oneLine(_ text: String) -> String {
        text.contains(where: \.isNewline) ? String(text.map { $0.isNewline ? " " : $0 }) : text
    }
}
