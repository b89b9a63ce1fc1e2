#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A Voice Recording (`RE…`, `GET /2010-04-01/Accounts/{AccountSid}/Recordings/{Sid}.json`):
/// a call's or conference's recording, one or two channels.
public struct VoiceRecording: Sendable, Equatable, Codable {
    /// The `sid` field (`RE…`).
    public var sid: String
    /// `in-progress`, `paused`, `stopped`, `processing`, `completed`, `absent` or `deleted`.
    public var status: String?
    /// The `call_sid` field (`CA…`) (`nil` when absent).
    public var callSID: String?
    /// The `conference_sid` field (`CF…`) (`nil` when absent).
    public var conferenceSID: String?
    /// Channels recorded: 1, or 2 for a dual-channel recording (`nil` when absent).
    public var channels: Int?
    /// Seconds, as the API writes it: a string (`nil` when absent, `-1` while recording).
    public var duration: String?
    /// The `source` field, e.g. `DialVerb`, `RecordVerb`, `StartCallRecordingAPI` (`nil` when absent).
    public var source: String?
    /// The `start_time` field, RFC 2822 (`nil` when absent).
    public var startTime: String?

    /// Whether the media can be fetched now.
    public var isCompleted: Bool { status == nil || status == "completed" }

    enum CodingKeys: String, CodingKey {
        case sid, status, channels, duration, source
        case callSID = "call_sid"
        case conferenceSID = "conference_sid"
        case startTime = "start_time"
    }
}
