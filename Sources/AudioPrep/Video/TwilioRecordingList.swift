#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The JSON of Twilio Video's `GET /v1/Rooms/{RoomSid}/Recordings` (or `GET /v1/Recordings`),
/// as saved by a user, reduced to what aligning audio needs: which participant each recording
/// belongs to and the room clock offset.
///
/// One page or several: pass each page's data to `init(pages:)`. Only `type == "audio"`
/// recordings are kept.
public struct TwilioRecordingList: Sendable {
    /// One audio track recording.
    public struct Recording: Sendable, Hashable {
        /// `RT…`
        public var sid: String
        /// `PA…`, from `grouping_sids.participant_sid`.
        public var participantSid: String?
        public var roomSid: String?
        public var trackName: String?
        /// Milliseconds from a point common to all group rooms to the start of this track's room.
        public var offsetMilliseconds: Int64?
        /// `OPUS`/`opus`, `PCMU`, as Twilio writes it.
        public var codec: String?
        /// `mka` for audio.
        public var containerFormat: String?
    }

    public var recordings: [Recording]

    /// Decodes one or more saved list responses (`{"recordings": [...], "meta": {...}}`).
    /// Throws `invalidArgument` naming `path` when the JSON is not such a response.
    public init(pages: [Data], path: String) throws(AudioPrepError) {
        var all: [Recording] = []
        for page in pages {
            let decoded: Page
            do {
                decoded = try JSONDecoder().decode(Page.self, from: page)
            } catch {
                throw AudioPrepError(
                    .invalidArgument, path: path,
                    "is not the JSON of Twilio's Recordings list (expected {\"recordings\": [...]}); save the response of GET https://video.twilio.com/v1/Rooms/RM…/Recordings.")
            }
            for item in decoded.recordings where (item.type ?? "audio") == "audio" {
                if let offset = item.offset, !Self.offsetRange.contains(offset) {
                    throw AudioPrepError(
                        .invalidArgument, path: path,
                        "recording \(item.sid) has offset \(offset) ms, outside 0…\(Self.offsetRange.upperBound) ms (Twilio's offsets are milliseconds, positive and far smaller); the JSON is damaged or not Twilio's. Save the Recordings list again.")
                }
                all.append(Recording(
                    sid: item.sid, participantSid: item.groupingSids?.participantSid, roomSid: item.groupingSids?.roomSid ?? item.roomSid,
                    trackName: item.trackName, offsetMilliseconds: item.offset, codec: item.codec, containerFormat: item.containerFormat))
            }
        }
        recordings = all
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

    private struct Page: Decodable {
        var recordings: [Item]
    }

    private struct Item: Decodable {
        struct Grouping: Decodable {
            var participantSid: String?
            var roomSid: String?
            enum CodingKeys: String, CodingKey {
                case participantSid = "participant_sid"
                case roomSid = "room_sid"
            }
        }
        var sid: String
        var type: String?
        var offset: Int64?
        var codec: String?
        var containerFormat: String?
        var trackName: String?
        var roomSid: String?
        var groupingSids: Grouping?
        enum CodingKeys: String, CodingKey {
            case sid, type, offset, codec
            case containerFormat = "container_format"
            case trackName = "track_name"
            case roomSid = "room_sid"
            case groupingSids = "grouping_sids"
        }
    }
}
