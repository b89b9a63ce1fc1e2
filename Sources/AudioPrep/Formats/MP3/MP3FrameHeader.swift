/// One MPEG audio frame header (the 4 bytes before every MP3 frame), decoded as libmpg123 1.31
/// decodes it.
///
/// Knowing every frame's length and sample count is what lets callprep give the exact length of
/// an MP3 without a Xing/Info header, by hopping from header to header without decoding.
struct MP3FrameHeader: Equatable {
    enum Version: Equatable { case mpeg1, mpeg2, mpeg25 }

    /// The header's 32 bits, big-endian: libmpg123 compares headers by masks over them.
    let word: UInt32
    let version: Version
    /// 1, 2 or 3.
    let layer: Int
    /// 0 for a free-format header (bitrate index 0), whose length comes from the stream.
    let bitrateKbps: Int
    let sampleRate: Int
    let channels: Int
    let hasCRC: Bool
    /// The padding bit (one extra byte, or one extra 4-byte slot in Layer I).
    let padding: Int
    /// The whole frame's length in bytes, header included.
    let frameLength: Int
    /// Decoded samples (per channel) this frame yields.
    let samplesPerFrame: Int

    /// libmpg123's largest frame body (`MAXFRAMESIZE`); a header that implies more is refused.
    static let maximumBodySize = 3456

    /// Decodes a header from the first 4 bytes of `b`; nil when they are not a header of a known
    /// length (bad sync, reserved layer, rate or bitrate, or free format, whose length only the
    /// stream can tell). See `init(word:freeFormatBody:)` for what counts as valid.
    init?(_ b: some RandomAccessCollection<UInt8>) {
        guard b.count >= 4 else { return nil }
        let i = b.startIndex
        let word = UInt32(b[i]) << 24 | UInt32(b[b.index(i, offsetBy: 1)]) << 16
            | UInt32(b[b.index(i, offsetBy: 2)]) << 8 | UInt32(b[b.index(i, offsetBy: 3)])
        self.init(word: word, freeFormatBody: nil)
    }

    /// Decodes `word` as libmpg123's `decode_header` does after its basic check
    /// (`passesBasicCheck`); nil where libmpg123 refuses the header: a free-format header when
    /// `freeFormatBody` (the measured body size, padding excluded) is nil, a Layer III frame
    /// smaller than its side information, a body over `maximumBodySize`.
    ///
    /// The reserved version value (01) reads as MPEG-2.5 and the emphasis field is not looked
    /// at: libmpg123 decodes such frames, so the frame walk counts them.
    init?(word: UInt32, freeFormatBody: Int?) {
        guard Self.passesBasicCheck(word) else { return nil }
        let versionBits = (word >> 19) & 0x3
        let bitrateIndex = Int((word >> 12) & 0xF)
        let rateIndex = Int((word >> 10) & 0x3)
        let version: Version = versionBits == 3 ? .mpeg1 : (versionBits == 2 ? .mpeg2 : .mpeg25)
        let layer = 4 - Int((word >> 17) & 0x3)
        let sampleRate = Self.baseRates[rateIndex] / (version == .mpeg1 ? 1 : (version == .mpeg2 ? 2 : 4))
        let padding = Int((word >> 9) & 0x1)
        let channels = (word >> 6) & 0x3 == 3 ? 1 : 2
        let hasCRC = (word >> 16) & 0x1 == 0
        let bitrate = bitrateIndex == 0 ? 0 : Int(Self.bitrateTable[Self.bitrateRow(version: version, layer: layer) * 14 + bitrateIndex - 1])
        // libmpg123's frame size: the body after the 4-byte header.
        let body: Int
        if bitrateIndex == 0 {
            guard let freeFormatBody else { return nil }
            body = freeFormatBody + padding
        } else {
            switch layer {
            case 1: body = (12000 * bitrate / sampleRate + padding) * 4 - 4
            case 2: body = 144_000 * bitrate / sampleRate + padding - 4
            default: body = 144_000 * bitrate / (sampleRate << (version == .mpeg1 ? 0 : 1)) + padding - 4
            }
        }
        self.word = word
        self.version = version
        self.layer = layer
        self.bitrateKbps = bitrate
        self.sampleRate = sampleRate
        self.channels = channels
        self.hasCRC = hasCRC
        self.padding = padding
        self.frameLength = body + 4
        switch layer {
        case 1: samplesPerFrame = 384
        case 2: samplesPerFrame = 1152
        default: samplesPerFrame = version == .mpeg1 ? 1152 : 576
        }
        if layer == 3, body < sideInfoSize + (hasCRC ? 2 : 0) { return nil }
        guard body <= Self.maximumBodySize else { return nil }
    }

    /// libmpg123's first test of 4 bytes (`head_check`): the 11 sync bits set, the layer not
    /// reserved, the bitrate index not 15, the rate index not 3. A free-format header passes.
    static func passesBasicCheck(_ word: UInt32) -> Bool {
        word & 0xFFE0_0000 == 0xFFE0_0000 && (word >> 17) & 0x3 != 0 && (word >> 12) & 0xF != 0xF
            && (word >> 10) & 0x3 != 0x3
    }

    /// Whether `word` is a free-format header (bitrate index 0).
    static func isFreeFormat(_ word: UInt32) -> Bool { (word >> 12) & 0xF == 0 }

    /// libmpg123's test that two headers belong to one stream (`head_compatible`): the same sync,
    /// version bits, layer and rate bits, and both mono or both not.
    static func compatible(_ a: UInt32, _ b: UInt32) -> Bool {
        let mask: UInt32 = 0xFFE0_0000 | 0x0018_0000 | 0x0006_0000 | 0x0000_0C00
        let isMono = { (word: UInt32) in (word >> 6) & 0x3 == 3 }
        return a & mask == b & mask && isMono(a) == isMono(b)
    }

    /// The bits a free-format frame's successor must share with it for libmpg123 to measure the
    /// frame's length by it (`HDR_SAMEMASK`): sync, version, layer, bitrate, rate, channel mode.
    static let sameStreamMask: UInt32 = 0xFFE0_0000 | 0x0018_0000 | 0x0006_0000 | 0x0000_F000 | 0x0000_0C00 | 0x0000_00C0

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

    /// Bitrates in kbps by index 1…14, 14 per row, one row per `bitrateRow`. Built once, and flat:
    /// the frame walk decodes every header of a file, and a table per header (or an array per
    /// row) cost an allocation or a retain per frame.
    private static let bitrateTable: [UInt16] = [
        32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448,  // MPEG-1 Layer I
        32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384,  // MPEG-1 Layer II
        32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320,  // MPEG-1 Layer III
        32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256,  // MPEG-2/2.5 Layer I
        8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160,  // MPEG-2/2.5 Layer II and III
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
