/// Where a job's audio comes from.
public enum JobSource: Sendable, Hashable {
    /// Two per-participant files on disk: channel 1, then channel 2.
    case tracks([String])
    /// A Twilio Video room (`RM…`): waited for until it ended and its audio recordings are
    /// completed, each participant's recordings downloaded and merged, names from the room's
    /// Participants resource (as `callprep room`).
    case room(String)
    /// A dual-channel Twilio Voice recording (`RE…`): downloaded with both channels
    /// (`RequestedChannels=2`) and given to Intelligence as it is.
    case recording(String)
}
