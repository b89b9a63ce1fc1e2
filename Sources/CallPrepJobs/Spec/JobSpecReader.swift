import CallPrepJSON
import ChannelMap
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Reads job descriptions: one JSON object per line (JSONL), every key known, every value
/// checked (types, ranges, SID and URL shapes) before anything is stored. A mistake is a
/// ``JobSpecError`` naming the line and the key, so one bad line in a thousand is easy to find.
public enum JobSpecReader {
    /// The keys a job line may have.
    public static let keys = [
        "id", "tracks", "room", "recording", "participants", "channels", "merge", "service", "upload", "media_url",
        "media_start_time",
    ]
    /// The keys of a `participants` entry.
    public static let participantKeys = ["channel"] + ChannelParticipant.fieldKeys
    /// The keys of the `merge` object.
    public static let mergeKeys = ["sample_rate", "align"]
    /// The longest line read, in bytes: a job is a few hundred; more is not a job line.
    public static let maximumLineBytes = 65_536
    /// The longest text value (a path, a name, a URL), in bytes.
    public static let maximumValueBytes = 4096

    /// One line of a jobs file: its number and either the job or why it was refused.
    public struct Line: Sendable {
        /// 1-based.
        public let number: Int
        public let result: Result<JobSpec, JobSpecError>
    }

    /// Every non-blank line of `text`, numbered from 1, each read with ``parse(_:)``.
    /// A line's error carries its number. Blank lines are skipped but counted.
    public static func lines(of text: String) -> [Line] {
        var lines: [Line] = []
        var number = 0
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            number += 1
            let trimmed = String(line).trimmingWhitespace()
            if trimmed.isEmpty { continue }
            do throws(JobSpecError) {
                lines.append(Line(number: number, result: .success(try parse(trimmed))))
            } catch {
                lines.append(Line(number: number, result: .failure(error.at(line: number))))
            }
        }
        return lines
    }

    /// One job from one JSON object.
    public static func parse(_ text: String) throws(JobSpecError) -> JobSpec {
        guard text.utf8.count <= maximumLineBytes else {
            throw JobSpecError(
                code: .invalidJSON,
                message: "the line has \(text.utf8.count) bytes, more than the \(maximumLineBytes) a job line may have")
        }
        let document: JSONValue
        do {
            document = try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
        } catch {
            throw JobSpecError(code: .invalidJSON, message: "the line is not valid JSON: \(DecodingErrorText.describe(error))")
        }
        return try job(from: document)
    }

    // MARK: - The job object

    private static func job(from document: JSONValue) throws(JobSpecError) -> JobSpec {
        guard case .object(let members) = document else {
            throw JobSpecError(code: .invalidJSON, message: "a job line must be one JSON object ({\"id\": …, \"tracks\": […]})")
        }
        let fields = try fieldsChecked(members, allowed: keys, path: "")
        guard let idValue = fields["id"] else {
            throw JobSpecError(code: .missingKey, key: "id", message: "every job needs an \"id\" (1–128 characters from A-Z a-z 0-9 . _ : -)")
        }
        let id = try JobID(try string(idValue, key: "id"))

        let sources = ["tracks", "room", "recording"].filter { fields[$0] != nil }
        guard sources.count == 1 else {
            if sources.isEmpty {
                throw JobSpecError(code: .missingKey, key: "tracks", message: "the job needs its audio: \"tracks\": [channel1, channel2] (or \"room\" / \"recording\")")
            }
            throw JobSpecError(code: .invalidValue, key: sources[1], message: "give one of \"tracks\", \"room\" and \"recording\", not \(sources.map { "\"\($0)\"" }.joined(separator: " and "))")
        }
        let source: JobSource
        switch sources[0] {
        case "tracks": source = .tracks(try tracks(fields["tracks"]!))
        case "room": source = .room(try sid(fields["room"]!, prefix: "RM", key: "room"))
        default: source = .recording(try sid(fields["recording"]!, prefix: "RE", key: "recording"))
        }

        var spec = JobSpec(id: id, source: source)
        if let value = fields["participants"] { spec.participants = try participants(value) }
        if let value = fields["channels"] {
            guard case .room = source else {
                throw JobSpecError(code: .invalidValue, key: "channels", message: "applies to \"room\" jobs only (who of the room goes on which channel)")
            }
            spec.channels = try channels(value)
        }
        if let value = fields["merge"] { spec.merge = try mergeSettings(value) }
        if spec.merge.align != nil, case .room = source {
            throw JobSpecError(code: .invalidValue, key: "merge.align", message: "a room's recordings are placed by their offsets on the room's timeline; leave \"align\" out")
        }
        if spec.merge.sampleRate != nil || spec.merge.align != nil, case .recording = source {
            throw JobSpecError(code: .invalidValue, key: "merge", message: "a recording job sends the dual-channel recording as it is, without a merge; leave \"merge\" out")
        }
        if let value = fields["service"] { spec.service = try sid(value, prefix: "GA", key: "service") }
        if let value = fields["upload"] { spec.upload = try uploadLocation(value) }
        if let value = fields["media_url"] { spec.mediaURL = try mediaURL(value) }
        if spec.upload != nil, spec.mediaURL != nil {
            throw JobSpecError(code: .invalidValue, key: "media_url", message: "give \"upload\" (callprep uploads the merged file) or \"media_url\" (it is already served there), not both")
        }
        if let value = fields["media_start_time"] {
            let text = try string(value, key: "media_start_time")
            guard isISO8601(text) else {
                throw JobSpecError(code: .invalidValue, key: "media_start_time", message: "\"\(text)\" is not an ISO 8601 date-time with offset, e.g. 2026-12-05T09:30:00Z")
            }
            spec.mediaStartTime = text
        }
        return spec
    }

    /// The members as a dictionary, after refusing unknown and repeated keys.
    private static func fieldsChecked(_ members: [JSONValue.Member], allowed: [String], path: String) throws(JobSpecError) -> [String: JSONValue] {
        var fields: [String: JSONValue] = [:]
        for member in members {
            let key = path + member.key
            guard allowed.contains(member.key) else {
                throw JobSpecError(code: .unknownKey, key: key, message: "there is no \"\(member.key)\" here; the keys are \(allowed.joined(separator: ", "))")
            }
            guard fields[member.key] == nil else {
                throw JobSpecError(code: .invalidValue, key: key, message: "\"\(member.key)\" is given twice")
            }
            fields[member.key] = member.value
        }
        return fields
    }

    // MARK: - Values

    private static func string(_ value: JSONValue, key: String) throws(JobSpecError) -> String {
        guard case .string(let text) = value else {
            throw JobSpecError(code: .invalidValue, key: key, message: "must be a string")
        }
        guard text.utf8.count <= maximumValueBytes else {
            throw JobSpecError(code: .invalidValue, key: key, message: "has \(text.utf8.count) bytes; at most \(maximumValueBytes) are allowed")
        }
        guard !text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw JobSpecError(code: .invalidValue, key: key, message: "contains a control character")
        }
        return text
    }

    private static func tracks(_ value: JSONValue) throws(JobSpecError) -> [String] {
        guard case .array(let items) = value, items.count == 2 else {
            throw JobSpecError(code: .invalidValue, key: "tracks", message: "must be an array of two file paths: channel 1, then channel 2")
        }
        var paths: [String] = []
        for (index, item) in items.enumerated() {
            let path = try string(item, key: "tracks[\(index)]")
            guard !path.isEmpty else {
                throw JobSpecError(code: .invalidValue, key: "tracks[\(index)]", message: "is empty; give the file's path")
            }
            paths.append(path)
        }
        return paths
    }

    /// A Twilio SID: `prefix` and 32 hex digits.
    private static func sid(_ value: JSONValue, prefix: String, key: String) throws(JobSpecError) -> String {
        let text = try string(value, key: key)
        let digits = text.utf8.dropFirst(2)
        guard text.hasPrefix(prefix), digits.count == 32, digits.allSatisfy(isHexDigit) else {
            throw JobSpecError(code: .invalidValue, key: key, message: "\"\(text)\" is not a SID: \(prefix) followed by 32 hex digits")
        }
        return text
    }

    private static func participants(_ value: JSONValue) throws(JobSpecError) -> [ChannelParticipant] {
        guard case .array(let items) = value, items.count <= 2 else {
            throw JobSpecError(code: .invalidValue, key: "participants", message: "must be an array of at most two participants, one per channel")
        }
        var result: [ChannelParticipant] = []
        for (index, item) in items.enumerated() {
            let path = "participants[\(index)]"
            guard case .object(let members) = item else {
                throw JobSpecError(code: .invalidValue, key: path, message: "must be an object such as {\"channel\": 1, \"full_name\": \"Alex\"}")
            }
            let fields = try fieldsChecked(members, allowed: participantKeys, path: path + ".")
            guard let channelValue = fields["channel"] else {
                throw JobSpecError(code: .missingKey, key: path + ".channel", message: "each participant needs its \"channel\": 1 or 2")
            }
            guard case .int(let channel) = channelValue, channel == 1 || channel == 2 else {
                throw JobSpecError(code: .invalidValue, key: path + ".channel", message: "must be 1 (the first track) or 2 (the second)")
            }
            guard !result.contains(where: { $0.channelParticipant == Int(channel) }) else {
                throw JobSpecError(code: .invalidValue, key: path + ".channel", message: "channel \(channel) is described twice")
            }
            var participant = ChannelParticipant(channelParticipant: Int(channel))
            for key in ChannelParticipant.fieldKeys {
                guard let field = fields[key] else { continue }
                let text = try string(field, key: path + "." + key)
                switch key {
                case "role": participant.role = text
                case "full_name": participant.fullName = text
                case "user_id": participant.userID = text
                case "email": participant.email = text
                case "media_participant_id": participant.mediaParticipantID = text
                default: participant.imageURL = text
                }
            }
            result.append(participant)
        }
        return result
    }

    /// The most participants named on one channel.
    public static let maximumChannelMembers = 64

    /// `{"1": ["agent"], "2": ["alice", "PA…"]}`: who of a room goes on each channel.
    private static func channels(_ value: JSONValue) throws(JobSpecError) -> [Int: [String]] {
        guard case .object(let members) = value, !members.isEmpty else {
            throw JobSpecError(code: .invalidValue, key: "channels", message: "must be an object such as {\"1\": [\"agent\"], \"2\": [\"alice\", \"bob\"]}")
        }
        let fields = try fieldsChecked(members, allowed: ["1", "2"], path: "channels.")
        var result: [Int: [String]] = [:]
        for (key, list) in fields {
            let path = "channels." + key
            guard case .array(let items) = list, (1...maximumChannelMembers).contains(items.count) else {
                throw JobSpecError(code: .invalidValue, key: path, message: "must be an array of 1 to \(maximumChannelMembers) identities or PA… SIDs")
            }
            var names: [String] = []
            for (index, item) in items.enumerated() {
                let name = try string(item, key: "\(path)[\(index)]").trimmingWhitespace()
                guard !name.isEmpty else {
                    throw JobSpecError(code: .invalidValue, key: "\(path)[\(index)]", message: "is empty; give a participant's identity or PA… SID")
                }
                guard !names.contains(name) else {
                    throw JobSpecError(code: .invalidValue, key: "\(path)[\(index)]", message: "\"\(name)\" is named twice")
                }
                names.append(name)
            }
            result[key == "1" ? 1 : 2] = names
        }
        if let one = result[1], let two = result[2], let both = one.first(where: two.contains) {
            throw JobSpecError(code: .invalidValue, key: "channels.2", message: "\"\(both)\" is on both channels")
        }
        return result
    }

    private static func mergeSettings(_ value: JSONValue) throws(JobSpecError) -> JobMergeSettings {
        guard case .object(let members) = value else {
            throw JobSpecError(code: .invalidValue, key: "merge", message: "must be an object such as {\"sample_rate\": 16000, \"align\": \"end\"}")
        }
        let fields = try fieldsChecked(members, allowed: mergeKeys, path: "merge.")
        var settings = JobMergeSettings()
        if let rate = fields["sample_rate"] {
            let range = JobMergeSettings.sampleRateRange
            switch rate {
            case .int(let hertz) where hertz >= Int64(range.lowerBound) && hertz <= Int64(range.upperBound):
                settings.sampleRate = .hertz(Int(hertz))
            case .string("source"):
                settings.sampleRate = .source
            default:
                throw JobSpecError(code: .invalidValue, key: "merge.sample_rate", message: "must be a whole number of Hz from \(range.lowerBound) to \(range.upperBound), or \"source\"")
            }
        }
        if let align = fields["align"] {
            guard case .string(let text) = align, let mode = JobMergeSettings.Alignment(rawValue: text) else {
                throw JobSpecError(code: .invalidValue, key: "merge.align", message: "must be \"start\", \"end\" or \"timestamps\"")
            }
            settings.align = mode
        }
        return settings
    }

    private static func uploadLocation(_ value: JSONValue) throws(JobSpecError) -> String {
        let text = try string(value, key: "upload")
        let bucket = text.dropFirst(5).prefix { $0 != "/" }
        guard text.hasPrefix("s3://"), !bucket.isEmpty else {
            throw JobSpecError(code: .invalidValue, key: "upload", message: "\"\(text)\" is not an S3 location; write it as s3://BUCKET/PREFIX/")
        }
        return text
    }

    private static func mediaURL(_ value: JSONValue) throws(JobSpecError) -> String {
        let text = try string(value, key: "media_url")
        let lower = text.lowercased()
        guard (lower.hasPrefix("https://") && text.count > 8) || (lower.hasPrefix("http://") && text.count > 7) else {
            throw JobSpecError(code: .invalidValue, key: "media_url", message: "\"\(text)\" is not an https:// URL")
        }
        return text
    }

    private static func isISO8601(_ text: String) -> Bool {
        (try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(text)) != nil
            || (try? Date.ISO8601FormatStyle().parse(text)) != nil
    }

    private static func isHexDigit(_ byte: UInt8) -> Bool {
        (0x30...0x39).contains(byte) || (0x41...0x46).contains(byte) || (0x61...0x66).contains(byte)
    }
}
