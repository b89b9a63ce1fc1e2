#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A Video Room resource (`RM…`, `GET /v1/Rooms/{Sid}`), reduced to what fetching its
/// recordings needs.
public struct VideoRoom: Sendable, Equatable, Codable {
    /// The `sid` field (`RM…`).
    public var sid: String
    /// `in-progress`, `completed` or `failed`.
    public var status: String
    /// The `unique_name` field (`nil` when absent).
    public var uniqueName: String?
    /// The `type` field: `group`, `go`, `peer-to-peer`, `group-small` (`nil` when absent).
    public var type: String?
    /// The `date_created` field, ISO 8601 (`nil` when absent).
    public var dateCreated: String?
    /// The `end_time` field, ISO 8601; `nil` while the room is in progress.
    public var endTime: String?
    /// The `duration` field in seconds; `nil` while the room is in progress.
    public var duration: Int?

    /// Whether the room has ended, so no further recordings will appear.
    public var hasEnded: Bool { status != "in-progress" }

    enum CodingKeys: String, CodingKey {
        case sid, status, type, duration
        case uniqueName = "unique_name"
        case dateCreated = "date_created"
        case endTime = "end_time"
    }
}
