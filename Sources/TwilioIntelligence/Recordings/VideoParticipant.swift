#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A room's Participant resource (`PA…`, `GET /v1/Rooms/{RoomSid}/Participants`): who joined,
/// under which identity, and when.
public struct VideoParticipant: Sendable, Equatable, Codable {
    /// The `sid` field (`PA…`).
    public var sid: String
    /// The `identity` field: the name the application gave the participant (`nil` when absent).
    public var identity: String?
    /// `connected`, `disconnected` or `reconnecting`.
    public var status: String
    /// The `start_time` field, ISO 8601 (`nil` when absent).
    public var startTime: String?
    /// The `end_time` field, ISO 8601 (`nil` while connected).
    public var endTime: String?
    /// The `duration` field in seconds (`nil` while connected).
    public var duration: Int?
    /// The `room_sid` field (`nil` when absent).
    public var roomSID: String?

    /// The statuses a Participants list can be filtered by. Twilio's default is `connected`
    /// only, so reading an ended room needs `disconnected` asked for explicitly.
    public enum Status: String, Sendable, CaseIterable {
        case connected, disconnected
    }

    enum CodingKeys: String, CodingKey {
        case sid, identity, status, duration
        case startTime = "start_time"
        case endTime = "end_time"
        case roomSID = "room_sid"
    }
}
