// AudioPrep's public API speaks `ChannelParticipant` (MergeConfiguration, MergeManifest); the
// type lives in ChannelMap so TwilioIntelligence uses the very same one. Re-exported so
// `import AudioPrep` alone is enough to configure a merge.
@_exported import ChannelMap

extension MergeManifest {
    /// The channel map this merge decided, with the output's SHA-256 as the CustomerKey seed:
    /// the value `ChannelMap(manifestAt:)` reads back from `OUT.manifest.json`, without the
    /// round trip. Throws only for a manifest edited or decoded with bad channel numbers.
    public func channelMap() throws(ChannelMapError) -> ChannelMap {
        try ChannelMap(participants: participants, mediaSHA256: output.sha256)
    }
}
