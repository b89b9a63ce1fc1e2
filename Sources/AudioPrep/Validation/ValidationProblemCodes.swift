extension ValidationProblem {
    /// The code of every problem `MediaValidator` can find in a file it could read — the media
    /// rules and the probe's notes — with its severity, in the order Docs/Usage.md lists them.
    ///
    /// A file that cannot be read at all (missing, not audio, damaged beyond its header, failing
    /// to decode) gets an `AudioPrepError` code instead (`file_not_found`, `corrupt_file`,
    /// `decode_failed`, …); those are not listed here, because no setting can make such a file
    /// usable. `validate --ignore` accepts exactly these codes.
    public static let fileProblemCodes: [(code: String, severity: Severity)] = [
        ("unsupported_format", .error),
        ("wav_not_pcm", .error),
        ("unsupported_codec", .error),
        ("file_too_large", .error),
        ("too_long", .error),
        ("too_short", .error),
        ("sample_rate_too_low", .error),
        ("sample_rate_below_recommended", .warning),
        ("too_many_channels", .error),
        ("mono", .warning),
        ("identical_channels", .warning),
        ("silent_channel", .warning),
        ("misleading_extension", .warning),
        ("data_size_mismatch", .warning),
        ("junk_between_frames", .warning),
        ("truncated_stream", .error),
        ("decoding_stops", .error),
        ("container_start_time", .warning),
        ("timestamp_gaps", .warning),
        ("overlapping_blocks", .warning),
        ("aac_not_decodable", .warning),
        ("length_mismatch", .warning),
        ("header_length_mismatch", .warning),
        ("streamed_header", .warning),
        ("no_end_of_stream", .warning),
        ("concatenated_streams", .warning),
    ]

    /// The severity `fileProblemCodes` lists for `code`, or nil for a code it does not list.
    public static func severity(ofCode code: String) -> Severity? {
        fileProblemCodes.first { $0.code == code }?.severity
    }
}
