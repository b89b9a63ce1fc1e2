#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A Video track recording (`RT…`: `GET /v1/Recordings/{Sid}` or an item of
/// `GET /v1/Rooms/{RoomSid}/Recordings`): one published track of one participant.
public struct VideoRecording: Sendable, Equatable, Codable {
    /// The room and participant a recording belongs to.
    public struct GroupingSIDs: Sendable, Equatable, Codable {
        /// `RM…` (`nil` when absent).
        public var roomSID: String?
        /// `PA…` (`nil` when absent).
        public var participantSID: String?

        /// Creates a value.
        public init(roomSID: String?, participantSID: String?) {
            self.roomSID = roomSID
            self.participantSID = participantSID
        }

        enum CodingKeys: String, CodingKey {
            case roomSID = "room_sid"
            case participantSID = "participant_sid"
        }
    }

    /// The `sid` field (`RT…`).
    public var sid: String
    /// `processing`, `completed`, `deleted` or `failed`.
    public var status: String
    /// `audio`, `video` or `data` (`nil` when absent).
    public var type: String?
    /// `OPUS`, `PCMU`, `VP8`, `H264` (`nil` when absent).
    public var codec: String?
    /// `mka` (audio) or `mkv` (video) (`nil` when absent).
    public var containerFormat: String?
    /// The media's size in bytes (`nil` when absent, e.g. while processing).
    public var size: Int64?
    /// The `duration` field in whole seconds (`nil` when absent).
    public var duration: Int?
    /// Milliseconds from a point common to all group rooms to the start of this track's room.
    public var offset: Int64?
    /// The `track_name` field (`nil` when absent).
    public var trackName: String?
    /// The `source_sid` field: the track (`MT…`) (`nil` when absent).
    public var sourceSID: String?
    /// Room and participant.
    public var groupingSIDs: GroupingSIDs?
    /// Set when the account stores recordings in its own bucket: the media is there, not on
    /// Twilio's media host.
    public var mediaExternalLocation: String?
    /// The `date_created` field, ISO 8601 (`nil` when absent).
    public var dateCreated: String?

    /// The participant (`PA…`) whose track this is.
    public var participantSID: String? { groupingSIDs?.participantSID }

    enum CodingKeys: String, CodingKey {
        case sid, status, type, codec, size, duration, offset
        case containerFormat = "container_format"
        case trackName = "track_name"
        case sourceSID = "source_sid"
        case groupingSIDs = "grouping_sids"
        case mediaExternalLocation = "media_external_location"
        case dateCreated = "date_created"
    }
}
