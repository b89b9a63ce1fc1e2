/// One MPEG audio frame header (the 4 bytes before every MP3 frame), decoded.
///
/// Knowing every frame's length and sample count is what lets callprep give the exact length of
/// an MP3 without a Xing/Info header, by hopping from header to header without decoding.
struct MP3FrameHeader: Equatable {
    enum Version: Equatable { case mpeg1, mpeg2, mpeg25 }

    let version: Version
    /// 1, 2 or 3.
    let layer: Int
    let bitrateKbps: Int
    let sampleRate: Int
    let channels: Int
    let hasCRC: Bool
    /// The whole frame's length in bytes, header included.
    let frameLength: Int
    /// Decoded samples (per channel) this frame yields.
    let samplesPerFrame: Int

    /// Decodes a header from the first 4 bytes of `b`; nil when they are not a valid header
    /// (bad sync, reserved layer or rate, free-format or invalid bitrate), as libmpg123 judges
    /// it: the reserved version value (01) reads as MPEG-2.5 — libmpg123 tells the versions
    /// apart by those two bits in that way and decodes such a frame — and the emphasis field is
    /// not looked at (libmpg123 decodes a frame whose emphasis is the reserved value). What
    /// libmpg123 decodes, the frame walk counts.
    init?(_ b: some RandomAccessCollection<UInt8>) {
        guard b.count >= 4 else { return nil }
        let i = b.startIndex
        let b0 = b[i], b1 = b[b.index(i, offsetBy: 1)], b2 = b[b.index(i, offsetBy: 2)], b3 = b[b.index(i, offsetBy: 3)]
        guard b0 == 0xFF, b1 & 0xE0 == 0xE0 else { return nil }
        let versionBits = (b1 >> 3) & 0x3
        let layerBits = (b1 >> 1) & 0x3
        let bitrateIndex = Int(b2 >> 4)
        let rateIndex = Int((b2 >> 2) & 0x3)
        guard layerBits != 0, bitrateIndex != 0, bitrateIndex != 15, rateIndex != 3 else { return nil }
        let version: Version = versionBits == 3 ? .mpeg1 : (versionBits == 2 ? .mpeg2 : .mpeg25)
        let layer = 4 - Int(layerBits)
        let bitrate = Self.bitrateTable[Self.bitrateRow(version: version, layer: layer)][bitrateIndex - 1]
        let sampleRate = Self.baseRates[rateIndex] / (version == .mpeg1 ? 1 : (version == .mpeg2 ? 2 : 4))
        let padding = Int((b2 >> 1) & 0x1)

        self.version = version
        self.layer = layer
        self.bitrateKbps = bitrate
        self.sampleRate = sampleRate
        self.channels = (b3 >> 6) == 3 ? 1 : 2
        self.hasCRC = (b1 & 0x1) == 0
        switch layer {
        case 1:
            samplesPerFrame = 384
            frameLength = (12 * bitrate * 1000 / sampleRate + padding) * 4
        case 2:
            samplesPerFrame = 1152
            frameLength = 144 * bitrate * 1000 / sampleRate + padding
        default:
            samplesPerFrame = version == .mpeg1 ? 1152 : 576
            frameLength = (version == .mpeg1 ? 144 : 72) * bitrate * 1000 / sampleRate + padding
        }
    }

    /// Whether `other` can be the next frame of the same stream (same version, layer, rate).
    func isCompatible(with other: MP3FrameHeader) -> Bool {
        version == other.version && layer == other.layer && sampleRate == other.sampleRate
    }

    /// Bytes of Layer III side information in a frame.
    var sideInfoSize: Int {
        switch (version, channels) {
        case (.mpeg1, 1): 17
        case (.mpeg1, _): 32
        case (_, 1): 9
        default: 17
        }
    }

    /// Where libmpg123 looks for a Xing/Info tag inside this frame: the 4-byte header plus the
    /// Layer III side information's size, whether or not the header announces a CRC (libmpg123
    /// does not shift the tag by the CRC's two bytes, so neither does callprep).
    var xingOffset: Int { 4 + sideInfoSize }

    /// The codec name probe reports (ffmpeg's naming).
    var codecName: String { layer == 3 ? "mp3" : (layer == 2 ? "mp2" : "mp1") }

    /// MPEG-1 sample rates by index; MPEG-2 halves them, MPEG-2.5 quarters them.
    private static let baseRates = [44100, 48000, 32000]

    /// Bitrates in kbps by index 1…14, one row per `bitrateRow`. Built once: the frame walk
    /// decodes every header of a file, and a table per header was an allocation per frame.
    private static let bitrateTable: [[Int]] = [
        [32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448],  // MPEG-1 Layer I
        [32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384],  // MPEG-1 Layer II
        [32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320],  // MPEG-1 Layer III
        [32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256],  // MPEG-2/2.5 Layer I
        [8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],  // MPEG-2/2.5 Layer II and III
    ]

    private static func bitrateRow(version: Version, layer: Int) -> Int {
        switch (version, layer) {
        case (.mpeg1, 1): 0
        case (.mpeg1, 2): 1
        case (.mpeg1, _): 2
        case (_, 1): 3
        default: 4
        }
    }
}
