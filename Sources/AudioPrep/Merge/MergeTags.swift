/// Which Vorbis comments a merged FLAC carries. The file is usually uploaded to a URL Twilio
/// fetches, so what identifies a person can be left out of it; the manifest, which stays with
/// you, keeps the full channel map either way.
public enum MergeTags: String, Sendable, Hashable, CaseIterable {
    /// `ENCODER`, and per channel `ROLE`, `FULL_NAME`, `USER_ID`, `EMAIL`,
    /// `MEDIA_PARTICIPANT_ID`, `IMAGE_URL` (those given), `SOURCE` (input file names) and
    /// `LEAD_FRAMES`.
    case all
    /// `ENCODER`, and per channel `ROLE` and `LEAD_FRAMES` only: no names, ids, e-mail
    /// addresses, image URLs or file names (which often name people).
    case minimal
    /// No comments at all (the VORBIS_COMMENT block's vendor string still names the encoder).
    case none

    /// Whether the per-channel tag `CHANNELn_NAME` (e.g. `EMAIL`) is written at this level.
    func includesChannelTag(_ name: String) -> Bool {
        switch self {
        case .all: true
        case .minimal: name == "ROLE" || name == "LEAD_FRAMES"
        case .none: false
        }
    }
}
