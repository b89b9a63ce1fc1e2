/// Probes Matroska/WebM files (Twilio Video track recordings and WebM compositions).
///
/// Lengths come from the block timestamps, not from the (rounded, optional) Duration field:
/// the scan reads every block header of the audio track, places each block at its timestamp
/// and counts frames to the end of the last block — the same count `MatroskaAudioSource` delivers.
public enum MatroskaProbe {
    /// The EBML magic that starts every Matroska/WebM file.
    public static let magic: [UInt8] = [0x1A, 0x45, 0xDF, 0xA3]

    /// True when `prefix` (the first bytes of a file) starts with the EBML magic.
    public static func matches(prefix: [UInt8]) -> Bool {
        prefix.count >= 4 && Array(prefix[0..<4]) == magic
    }

    /// The full probe result: the `AudioInfo`, the audio track, and its timeline.
    public struct Report: Sendable, Hashable {
        /// What `probe` reports.
        public var info: AudioInfo
        /// The audio track that was probed.
        public var track: MatroskaTrack
        /// Where the track starts on the container timeline (for Twilio recordings: time since
        /// the room was created), its exact length and the gaps found.
        public var timeline: TrackTimeline
        /// All tracks of the file (video, data and further audio tracks included).
        public var allTracks: [MatroskaTrack]
    }

    /// Probes `path` and returns its `AudioInfo` (container `.matroska` or `.webm`, codec `opus`,
    /// `pcm_mulaw` or `pcm_alaw`, exact frames from timestamps, `lengthSource: .timestamps`).
    public static func probe(path: String) throws(AudioPrepError) -> AudioInfo {
        try inspect(path: path).info
    }

    /// Probes `path` for its first audio track (or `trackNumber`) and returns the full report.
    ///
    /// A track in a codec callprep cannot decode (AAC, Vorbis) is reported with its codec name
    /// and zero frames when its length cannot be established without decoding.
    public static func inspect(path: String, trackNumber: UInt64? = nil) throws(AudioPrepError) -> Report {
        try MatroskaReader(path: path, trackNumber: trackNumber).report
    }
}
