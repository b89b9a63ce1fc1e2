/// The EBML and Matroska element IDs the demuxer reads (IDs keep their length-marker bits, as
/// written in the Matroska specification, RFC 9559).
enum MatroskaElementID {
    // EBML header
    static let ebml: UInt32 = 0x1A45_DFA3
    static let docType: UInt32 = 0x4282
    static let docTypeReadVersion: UInt32 = 0x4285

    // Top level and Segment children
    static let segment: UInt32 = 0x1853_8067
    static let seekHead: UInt32 = 0x114D_9B74
    static let info: UInt32 = 0x1549_A966
    static let tracks: UInt32 = 0x1654_AE6B
    static let cluster: UInt32 = 0x1F43_B675
    static let cues: UInt32 = 0x1C53_BB6B
    static let tags: UInt32 = 0x1254_C367
    static let chapters: UInt32 = 0x1043_A770
    static let attachments: UInt32 = 0x1941_A469

    // Info
    static let timestampScale: UInt32 = 0x2A_D7B1
    static let duration: UInt32 = 0x4489

    // Tracks
    static let trackEntry: UInt32 = 0xAE
    static let trackNumber: UInt32 = 0xD7
    static let trackType: UInt32 = 0x83
    static let codecID: UInt32 = 0x86
    static let codecPrivate: UInt32 = 0x63A2
    static let codecDelay: UInt32 = 0x56AA
    static let seekPreRoll: UInt32 = 0x56BB
    static let contentEncodings: UInt32 = 0x6D80
    static let audio: UInt32 = 0xE1
    static let samplingFrequency: UInt32 = 0xB5
    static let outputSamplingFrequency: UInt32 = 0x78B5
    static let channels: UInt32 = 0x9F
    static let bitDepth: UInt32 = 0x6264

    // Cluster
    static let timestamp: UInt32 = 0xE7
    static let simpleBlock: UInt32 = 0xA3
    static let blockGroup: UInt32 = 0xA0
    static let block: UInt32 = 0xA1
    static let blockDuration: UInt32 = 0x9B
    static let discardPadding: UInt32 = 0x75A2

    /// IDs that can only appear directly inside a Segment (or start a new file): when one of
    /// them is met inside an unknown-size Cluster, that Cluster has ended.
    static let segmentLevel: Set<UInt32> = [
        ebml, segment, seekHead, info, tracks, cluster, cues, tags, chapters, attachments,
    ]
}
