#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A Video Composition (`CJ…`, `GET /v1/Compositions/{Sid}`): a room's tracks mixed into one
/// `mp4` or `webm` file.
public struct VideoComposition: Sendable, Equatable, Codable {
    /// The `sid` field (`CJ…`).
    public var sid: String
    /// `enqueued`, `processing`, `completed`, `deleted` or `failed`.
    public var status: String
    /// The `room_sid` field (`nil` when absent).
    public var roomSID: String?
    /// `mp4` or `webm` (`nil` when absent).
    public var format: String?
    /// The media's size in bytes (`nil` until completed).
    public var size: Int64?
    /// The `duration` field in seconds (`nil` until completed).
    public var duration: Int?
    /// The `audio_sources` field (`nil` when absent).
    public var audioSources: [String]?
    /// The `trim` field (`nil` when absent).
    public var trim: Bool?
    /// Set when the account stores compositions in its own bucket.
    public var mediaExternalLocation: String?

    enum CodingKeys: String, CodingKey {
        case sid, status, format, size, duration, trim
        case roomSID = "room_sid"
        case audioSources = "audio_sources"
        case mediaExternalLocation = "media_external_location"
    }
}
