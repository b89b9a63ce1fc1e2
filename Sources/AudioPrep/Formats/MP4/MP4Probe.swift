/// Probes MP4/M4A files (Twilio Video MP4 compositions, AAC recordings), fragmented or not.
///
/// The length comes from the sample tables (or fragments) and the edit list, as `MP4Reader`
/// counts it: encoder priming hidden by the first edit's media time is not counted, an empty
/// first edit becomes the track's start time, and the last presented packet counts in full.
/// No decoding is needed, so AAC files are probed even though AAC decoding is not part of the
/// default build.
public enum MP4Probe {
    /// True when `prefix` (the first bytes of a file) looks like ISO-BMFF: a box whose type is
    /// `ftyp`, `moov`, `free`, `skip`, `wide` or `mdat` at byte 4.
    public static func matches(prefix: [UInt8]) -> Bool {
        guard prefix.count >= 8 else { return false }
        let type = String(decoding: prefix[4..<8], as: UTF8.self)
        return ["ftyp", "moov", "free", "skip", "wide", "mdat", "styp"].contains(type)
    }

    /// The full probe result.
    public struct Report: Sendable {
        /// What `probe` reports.
        public var info: AudioInfo
        /// The audio track: its sample description (codec, AudioSpecificConfig) and edit list.
        public var track: MP4Track
        /// Start on the movie timeline (empty edits), exact length, priming removed (`preSkipFrames`).
        public var timeline: TrackTimeline
        /// The `ftyp` major brand (`isom`, `M4A `, `mp42`, …).
        public var majorBrand: String?
        /// True when the samples live in `moof` fragments (`moov` has `mvex`).
        public var isFragmented: Bool
    }

    /// Probes `path` and returns its `AudioInfo` (container `.mp4`, codec `aac` and others,
    /// exact frames from the sample tables and edit list, `lengthSource: .timestamps`).
    public static func probe(path: String) throws(AudioPrepError) -> AudioInfo {
        try inspect(path: path).info
    }

    /// Probes `path` for its first audio track (what `MP4Reader` established when opening it).
    public static func inspect(path: String) throws(AudioPrepError) -> Report {
        try MP4Reader(path: path).report
    }

    /// How to build callprep with AAC decoding (the package trait `AAC`, libfaad2).
    public static let enableAACCommand = "scripts/install-deps.sh --aac && swift build -c release --traits AAC"

    /// The error to show when an AAC track would have to be decoded by a build without the
    /// `AAC` trait: AAC decoding needs libfaad2 (GPL-2+), which the default build leaves out.
    public static func aacDecodingUnavailable(path: String) -> AudioPrepError {
        AudioPrepError(
            .unsupportedFormat, path: path,
            "holds AAC audio, and this build of callprep does not decode AAC (the AAC decoder, libfaad2, is GPL-2+ and is not part of the default build). Convert the file first: ffmpeg -i IN -c:a pcm_s16le OUT.wav — or, for a Twilio composition, request Format=webm (Opus). To decode AAC directly, build callprep with the AAC trait: \(enableAACCommand). A binary built that way links libfaad2 and must be distributed under the GPL (version 2 or later); the default build stays LGPL/BSD-only.")
    }

    /// `value × numerator / denominator`, rounded to nearest, for the ranges real files use.
    static func rescale(_ value: Int64, _ numerator: Int64, _ denominator: Int64, file: ContainerByteReader) throws(AudioPrepError) -> Int64 {
        guard denominator > 0, value.magnitude < UInt64(1) << 42, numerator > 0, numerator <= 1_000_000_000 else {
            throw file.corrupt("a duration of \(value) units cannot be converted at \(numerator)/\(denominator)")
        }
        let (high, low) = value.multipliedFullWidth(by: numerator)
        let product = Int64(bitPattern: low)
        guard (high == 0 && product >= 0) || (high == -1 && product < 0) else {
            throw file.corrupt("a duration of \(value) units is out of range")
        }
        return product >= 0 ? (product + denominator / 2) / denominator : (product - denominator / 2) / denominator
    }
}
