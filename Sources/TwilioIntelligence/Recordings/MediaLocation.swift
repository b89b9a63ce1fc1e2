#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Where a recording's media is fetched from: the Twilio endpoint that answers with the media
/// or with a redirect to a short-lived signed URL.
public enum MediaLocation: Sendable, Equatable {
    /// `GET /v1/Rooms/{room}/Recordings/{recording}/Media`: a track recording of a room.
    case roomRecording(room: String, recording: String)
    /// `GET /v1/Recordings/{sid}/Media`: a track recording (`.mka`/`.mkv`).
    case trackRecording(String)
    /// `GET /v1/Compositions/{sid}/Media`: a composition (`.mp4`/`.webm`).
    case composition(String)
    /// `GET /2010-04-01/Accounts/{account}/Recordings/{sid}.wav|.mp3`, with
    /// `RequestedChannels=2` for a dual-channel recording (otherwise Twilio mixes it to one).
    case voiceRecording(String, format: VoiceMediaFormat, channels: Int)

    /// The SID this media belongs to.
    public var sid: String {
        switch self {
        case .roomRecording(_, let sid), .trackRecording(let sid), .composition(let sid), .voiceRecording(let sid, _, _): sid
        }
    }
}

/// The file formats Twilio serves a Voice recording in.
public enum VoiceMediaFormat: String, Sendable, CaseIterable {
    /// 16-bit PCM WAV at the recording's rate.
    case wav
    /// MP3.
    case mp3
}

/// A finished download.
public struct MediaDownload: Sendable, Equatable {
    /// The file written (or found complete and reused).
    public var path: String
    /// Its size in bytes.
    public var bytes: Int64
    /// `true` when an existing complete file was kept instead of downloading again.
    public var reused: Bool
    /// Requests to Twilio's media endpoint this download took (0 when reused).
    public var attempts: Int
    /// SHA-256 (lower-case hex) of the bytes written, computed as they arrived, so that a
    /// caller who records the file's hash (a merge's manifest) need not read it again; nil for
    /// a reused file.
    public var sha256: String?

    /// Creates a value.
    public init(path: String, bytes: Int64, reused: Bool, attempts: Int, sha256: String? = nil) {
        self.path = path
        self.bytes = bytes
        self.reused = reused
        self.attempts = attempts
        self.sha256 = sha256
    }
}
