/// Where a job's audio comes from.
public enum JobSource: Sendable, Hashable {
    /// Two per-participant files on disk: channel 1, then channel 2.
    case tracks([String])
    /// A Twilio Video room (`RM…`): its recordings, fetched and grouped by participant.
    /// Parsed, but refused as `unsupported_source` until Twilio sources are implemented.
    case room(String)
    /// One Twilio recording (`RE…`). Parsed, but refused as `unsupported_source` for now.
    case recording(String)

    /// True when this build can run a job from this source (only `tracks` for now).
    public var isSupported: Bool {
        if case .tracks = self { true } else { false }
    }
}
