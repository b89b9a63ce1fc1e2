import ChannelMap

/// One job as its line in a jobs file describes it: which audio, who is on each channel, how to
/// merge, and where the result goes. Checked when it is read (``JobSpecReader``), so a job in the
/// store is one a worker can start.
///
/// ```json
/// {"id": "call-0001", "tracks": ["agent.wav", "customer.mp3"],
///  "participants": [{"channel": 1, "role": "Agent", "full_name": "Alex"}],
///  "merge": {"sample_rate": 16000, "align": "end"}, "service": "GA…", "upload": "s3://bucket/calls/"}
/// ```
public struct JobSpec: Sendable, Hashable {
    /// The job's name, unique in the store.
    public var id: JobID
    /// The audio.
    public var source: JobSource
    /// Who is on each channel (at most one entry per channel). For a room job these fields
    /// override the names taken from the room, as `callprep room --participant N:…` does.
    public var participants: [ChannelParticipant]
    /// A room job's channels, as `callprep room --channel N=WHO,…`: channel (1 or 2) → the
    /// participants on it, by identity or `PA…` SID (several are mixed). Empty: the two people
    /// with audio in join order.
    public var channels: [Int: [String]]
    /// The merge step's settings.
    public var merge: JobMergeSettings
    /// The Intelligence Service (`GA` + 32 hex digits) to submit to; nil: the worker's default.
    public var service: String?
    /// Where to upload the merged file (`s3://BUCKET/PREFIX/`); nil: no upload step.
    public var upload: String?
    /// A public URL that already serves the merged file (instead of `upload`).
    public var mediaURL: String?
    /// When the call started (ISO 8601), sent as the transcript's MediaStartTime.
    public var mediaStartTime: String?

    public init(
        id: JobID, source: JobSource, participants: [ChannelParticipant] = [], channels: [Int: [String]] = [:],
        merge: JobMergeSettings = .init(),
        service: String? = nil, upload: String? = nil, mediaURL: String? = nil, mediaStartTime: String? = nil
    ) {
        self.id = id
        self.source = source
        self.participants = participants
        self.channels = channels
        self.merge = merge
        self.service = service
        self.upload = upload
        self.mediaURL = mediaURL
        self.mediaStartTime = mediaStartTime
    }

}
