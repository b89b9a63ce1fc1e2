#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The JSON of Twilio Video's `GET /v1/Rooms/{RoomSid}/Recordings` (or `GET /v1/Recordings`),
/// as saved by a user, reduced to what aligning audio needs: which participant each recording
/// belongs to, the room clock offset, and the size and duration Twilio lists.
///
/// Two shapes are read, one page or several: the API's page object
/// (`{"recordings": [...], "meta": {...}}`, snake_case keys) and twilio-cli's `-o json` output
/// (a JSON array with camelCase keys: `participantSid` or `groupingSids`, `containerFormat`,
/// `trackName`, …). Only `type == "audio"` recordings are kept. Every number is range-checked
/// as it is read: an `offset`, `duration` or `size` no recording can have is refused, naming the
/// recording and the field.
public struct TwilioRecordingList: Sendable {
    /// One audio track recording.
    public struct Recording: Sendable, Hashable {
        /// `RT…`
        public var sid: String
        /// `PA…`, from `grouping_sids.participant_sid` (or a top-level `participantSid`).
        public var participantSid: String?
        public var roomSid: String?
        public var trackName: String?
        /// Milliseconds from a point common to all group rooms to the start of this track's room.
        public var offsetMilliseconds: Int64?
        /// `OPUS`/`opus`, `PCMU`, as Twilio writes it.
        public var codec: String?
        /// `mka` for audio.
        public var containerFormat: String?
        /// The recording's size in bytes, as Twilio lists it.
        public var sizeBytes: Int64?
        /// The recording's duration in whole seconds, as Twilio lists it.
        public var durationSeconds: Int64?
        /// `processing`, `completed`, …
        public var status: String?

        /// The file name a download of it is saved under: `RT….mka` (`container_format`, `mka`
        /// when unlisted).
        public var fileName: String { "\(sid).\(containerFormat ?? "mka")" }
    }

    public var recordings: [Recording]

    /// Decodes one or more saved list pages; `path` names them in errors. Throws
    /// `invalidArgument` naming `path` when a page is neither shape or holds a number out of range.
    public init(pages: [Data], path: String) throws(AudioPrepError) {
        recordings = []
        for page in pages {
            recordings += try Self.decode(page, path: path)
        }
    }

    /// Reads and decodes the saved pages at `paths` (several: all pages of one room), naming
    /// the file in any error.
    public init(files paths: [String]) throws(AudioPrepError) {
        recordings = []
        for path in paths {
            let data: Data
            do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
                throw AudioPrepError(
                    .fileNotFound, path: path,
                    "cannot be read. Save the JSON of GET https://video.twilio.com/v1/Rooms/RM…/Recordings there (or twilio-cli's `twilio api:video:v1:rooms:recordings:list --room-sid RM… -o json`).")
            }
            recordings += try Self.decode(data, path: path)
        }
        var seen: Set<String> = []
        recordings = recordings.filter { seen.insert($0.sid).inserted }  // a page saved twice
    }

    /// The recordings grouped by participant SID, in order of first appearance; recordings
    /// without a participant are left out.
    public var byParticipant: [(participantSid: String, recordings: [Recording])] {
        var order: [String] = []
        var groups: [String: [Recording]] = [:]
        for recording in recordings {
            guard let participant = recording.participantSid else { continue }
            if groups[participant] == nil { order.append(participant) }
            groups[participant, default: []].append(recording)
        }
        return order.map { ($0, groups[$0] ?? []) }
    }

    /// The recording whose SID appears in `fileName` (downloads are usually named after it),
    /// or nil; two matches are an error.
    public func recording(forFile fileName: String) throws(AudioPrepError) -> Recording? {
        let matches = recordings.filter { fileName.contains($0.sid) }
        guard matches.count <= 1 else {
            throw AudioPrepError(.invalidArgument, path: fileName, "matches several recordings (\(matches.map(\.sid).joined(separator: ", "))); rename it to contain exactly one RT… SID.")
        }
        return matches.first
    }

    /// The `offset` values accepted, in milliseconds: any whose nanoseconds fit in Int64 (292
    /// years), so that `offsetNanoseconds(of:)` cannot overflow. Decoding refuses others.
    public static let offsetRange: ClosedRange<Int64> = 0...(Int64.max / 1_000_000)
    /// The `size` values accepted, in bytes: up to 1 TiB (a day of Opus is about 300 MB).
    public static let sizeRange: ClosedRange<Int64> = 0...(1 << 40)
    /// The `duration` values accepted, in seconds: up to a year (a room lasts at most a day).
    public static let durationRange: ClosedRange<Int64> = 0...31_536_000

    /// Nanoseconds to add to a recording's container start time to place it on a timeline
    /// shared by several rooms: its `offset` minus the smallest `offset` in the list (0 when
    /// offsets are missing, as for recordings of one room they are all equal). Both offsets
    /// are inside `offsetRange`, so the difference times 10^6 fits in Int64.
    public func offsetNanoseconds(of recording: Recording) -> Int64 {
        // Decoding refused offsets outside the range; a list built by hand is clamped to it.
        let inRange = { (milliseconds: Int64) in min(max(milliseconds, Self.offsetRange.lowerBound), Self.offsetRange.upperBound) }
        let base = recordings.compactMap(\.offsetMilliseconds).map(inRange).min() ?? 0
        return ((recording.offsetMilliseconds.map(inRange) ?? base) - base) * 1_000_000
    }

    // MARK: - Decoding

    private static func decode(_ data: Data, path: String) throws(AudioPrepError) -> [Recording] {
        let items: [TwilioJSONObject]
        do {
            items = try TwilioJSONObject.list(in: data, key: "recordings")
        } catch {
            throw AudioPrepError(
                .invalidArgument, path: path,
                "is not the JSON of Twilio's Recordings list (expected {\"recordings\": [...]} as the API returns it, or twilio-cli's -o json array); save the response of GET https://video.twilio.com/v1/Rooms/RM…/Recordings.")
        }
        var result: [Recording] = []
        for item in items {
            guard let sid = item.string("sid") else {
                throw AudioPrepError(.invalidArgument, path: path, "lists a recording without a sid; the JSON is damaged or not Twilio's. Save the Recordings list again.")
            }
            guard (item.string("type") ?? "audio") == "audio" else { continue }
            let number = { (field: String, unit: String, range: ClosedRange<Int64>) throws(AudioPrepError) -> Int64? in
                try item.integer(field, in: range) { text in
                    AudioPrepError(
                        .invalidArgument, path: path,
                        "recording \(sid) has \(field) \(text) \(unit), outside \(range.lowerBound)…\(range.upperBound) \(unit) (Twilio's \(field) is a whole number far inside that); the JSON is damaged or not Twilio's. Save the Recordings list again.")
                }
            }
            let grouping = item.object("grouping_sids")
            result.append(Recording(
                sid: sid, participantSid: grouping?.string("participant_sid") ?? item.string("participant_sid"),
                roomSid: grouping?.string("room_sid") ?? item.string("room_sid"), trackName: item.string("track_name"),
                offsetMilliseconds: try number("offset", "ms", offsetRange), codec: item.string("codec"),
                containerFormat: item.string("container_format"), sizeBytes: try number("size", "bytes", sizeRange),
                durationSeconds: try number("duration", "s", durationRange), status: item.string("status")))
        }
        return result
    }
}
