import CallPrepJSON
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The record of one merge, written beside the output as `OUT.manifest.json` and printed by
/// `merge --json`: what went in (with SHA-256), where each track was placed, what came out, and
/// the channel map in the shape Intelligence's `Channel.participants` takes, so the submit step
/// reads the map instead of guessing it.
public struct MergeManifest: Sendable, Hashable, Codable {
    /// The tool and version that wrote the file, e.g. `callprep 0.1.0`.
    public var tool: String
    enum CodingKeys: String, CodingKey {
        case tool, alignment, output, inputs, channels, participants, validation, warnings
        case timelineOriginNanoseconds = "timeline_origin_ns"
        case roomSID = "room_sid"
    }
    /// The Twilio Video room the recordings came from (`RM…`), when the caller said.
    public var roomSID: String? = nil
    /// `start`, `end`, `offsets` or `timestamps` (what `automatic` resolved to).
    public var alignment: String
    /// For `timestamps`: t = 0 of the output on the container (room) timeline, in nanoseconds.
    public var timelineOriginNanoseconds: Int64?
    public var output: Output
    /// One per track, in channel order.
    public var inputs: [Input]
    /// One per channel, in channel order.
    public var channels: [ChannelPlacement]
    /// The channel map for `Channel.participants`.
    public var participants: [ChannelParticipant]
    /// The validate rules' verdict on the written output, when they were run.
    public var validation: ValidationSummary?
    /// What looked wrong about the merge (a channel that is mostly padding, tracks of which only
    /// some carry timestamps); empty when nothing did, nil in manifests written before
    /// warnings were recorded.
    public var warnings: [MergeWarning]? = nil

    /// Facts about the written FLAC file.
    public struct Output: Sendable, Hashable, Codable {
        public var path: String
        public var format: String
        public var sampleRate: Int
        public var channels: Int
        public var bitsPerSample: Int
        public var frames: Int64
        public var durationSeconds: Double
        public var sizeBytes: Int64
        public var sha256: String
        /// The MD5 of the samples stored in STREAMINFO.
        public var streamMD5: String

        enum CodingKeys: String, CodingKey {
            case path, format, channels, frames, sha256
            case sampleRate = "sample_rate"
            case bitsPerSample = "bits_per_sample"
            case durationSeconds = "duration_seconds"
            case sizeBytes = "size_bytes"
            case streamMD5 = "stream_md5"
        }
    }

    /// Facts about one input track.
    public struct Input: Sendable, Hashable, Codable {
        public var channel: Int
        public var path: String
        public var sha256: String
        public var sizeBytes: Int64
        public var container: String?
        public var codec: String?
        public var sampleRate: Int
        public var channels: Int
        public var frames: Int64
        public var durationSeconds: Double
        public var bitsPerSample: Int?
        public var lengthSource: String?
        /// Whether its channels were averaged to mono.
        public var downmixed: Bool
        /// Whether libsoxr converted its rate.
        public var resampled: Bool
        /// Its first frame on the container (room) timeline, offset included, in nanoseconds;
        /// nil for files without container timestamps.
        public var startTimeNanoseconds: Int64?
        /// The offset from the Recordings list added to its start, in nanoseconds (nil when 0).
        public var offsetNanoseconds: Int64?
        /// The Twilio track recording it is (`RT…`, its participant, its `offset`), when known.
        public var recording: MergeTrack.Recording? = nil

        enum CodingKeys: String, CodingKey {
            case channel, path, sha256, container, codec, channels, frames, downmixed, resampled, recording
            case startTimeNanoseconds = "start_time_ns"
            case offsetNanoseconds = "offset_ns"
            case sizeBytes = "size_bytes"
            case sampleRate = "sample_rate"
            case durationSeconds = "duration_seconds"
            case bitsPerSample = "bits_per_sample"
            case lengthSource = "length_source"
        }
    }

    /// Where one track sits in the output, in output frames.
    public struct ChannelPlacement: Sendable, Hashable, Codable {
        public var channel: Int
        public var leadFrames: Int64
        public var contentFrames: Int64
        public var tailFrames: Int64
        public var leadSeconds: Double
        public var tailSeconds: Double
        /// The channel's first frame on the container (room) timeline, in nanoseconds; nil
        /// when its recording carries no container timestamps.
        public var startTimeNanoseconds: Int64?
        /// For a channel that mixes several streams (participants, or overlapping recordings of
        /// one): how many; nil for a channel of one.
        public var mixedStreams: Int? = nil
        /// For a mixed channel: the samples whose sum lay beyond 16-bit full scale and were
        /// clamped (to −32768 or 32767, never wrapped); nil for a channel of one stream.
        public var clippedSamples: Int64? = nil

        enum CodingKeys: String, CodingKey {
            case channel
            case mixedStreams = "mixed_streams"
            case clippedSamples = "clipped_samples"
            case startTimeNanoseconds = "start_time_ns"
            case leadFrames = "lead_frames"
            case contentFrames = "content_frames"
            case tailFrames = "tail_frames"
            case leadSeconds = "lead_seconds"
            case tailSeconds = "tail_seconds"
        }
    }

    /// The outcome of checking the output against Intelligence's media rules.
    /// The format rules of `MediaValidator` run on the written file (not the signal checks,
    /// which would decode the whole output again).
    public struct ValidationSummary: Sendable, Hashable, Codable {
        /// True when no problem is an error.
        public var accepted: Bool
        public var problems: [Problem]

        public struct Problem: Sendable, Hashable, Codable {
            public var severity: String
            public var code: String
            public var message: String
        }

        public init(_ report: ValidationReport) {
            accepted = report.accepted
            problems = report.problems.map { Problem(severity: $0.severity.rawValue, code: $0.code, message: $0.message) }
        }
    }

    /// The manifest as a JSON document, keys sorted at every level (stable bytes).
    public var json: JSONValue {
        // Every member is a string, number, bool or nested Codable value: encoding cannot fail.
        (try? JSONValueEncoder(keyOrder: .sorted).encode(self)) ?? .object([:])
    }

    /// The manifest as callprep writes it (`jq .` layout, keys sorted), ending in a newline.
    public func jsonData() -> Data {
        Data((json.serialized() + "\n").utf8)
    }

    /// The manifest path for an output path: `OUT.flac` → `OUT.manifest.json`.
    public static func path(forOutput output: String) -> String {
        let slash = output.lastIndex(of: "/")
        if let dot = output.lastIndex(of: "."), slash.map({ dot > $0 }) ?? true, dot != output.startIndex {
            return String(output[..<dot]) + ".manifest.json"
        }
        return output + ".manifest.json"
    }
}
