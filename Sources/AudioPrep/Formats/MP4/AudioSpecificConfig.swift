/// The MPEG-4 AudioSpecificConfig (ISO/IEC 14496-3 §1.6.2.1) carried in an MP4 `esds` box:
/// which AAC profile, at what rate, with how many channels.
public struct AudioSpecificConfig: Sendable, Hashable {
    /// The audio object type: 2 AAC-LC, 5 SBR (HE-AAC), 29 PS (HE-AACv2), 1 AAC Main, …
    public var audioObjectType: Int
    /// The core (AAC) sample rate in Hz.
    public var sampleRate: Int
    /// The output rate with SBR (twice the core rate for HE-AAC), or nil without SBR.
    public var extensionSampleRate: Int?
    /// The channel configuration (1–7; 0 means a program config element decides).
    public var channelConfiguration: Int
    /// The raw bytes, as a decoder's initialisation needs them.
    public var bytes: [UInt8]

    /// Samples per channel in one access unit (960 when the frame-length flag is set, else 1024).
    public var framesPerPacket: Int

    /// The channel count the configuration implies (nil for configuration 0).
    public var channels: Int? {
        switch channelConfiguration {
        case 1...6: return channelConfiguration
        case 7: return 8
        default: return nil
        }
    }

    /// A readable profile name: `LC`, `HE-AAC`, `HE-AACv2`, `Main`, or `AOT n`.
    public var profileName: String {
        switch audioObjectType {
        case 1: return "Main"
        case 2: return "LC"
        case 5: return "HE-AAC"
        case 29: return "HE-AACv2"
        default: return "AOT \(audioObjectType)"
        }
    }

    static let frequencies = [96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000, 7350]

    /// Parses the bit fields; returns nil when the bytes are too short or a rate index is reserved.
    init?(_ bytes: [UInt8]) {
        var bits = BitReader(bytes)
        func objectType() -> Int? {
            guard let type = bits.read(5) else { return nil }
            if type == 31 { return bits.read(6).map { 32 + $0 } }
            return type
        }
        func frequency() -> Int? {
            guard let index = bits.read(4) else { return nil }
            if index == 15 { return bits.read(24) }
            return index < Self.frequencies.count ? Self.frequencies[index] : nil
        }
        guard var type = objectType(), let rate = frequency(), let channels = bits.read(4) else { return nil }
        var extensionRate: Int? = nil
        if type == 5 || type == 29 {
            guard let ext = frequency(), let core = objectType() else { return nil }
            extensionRate = ext
            self.audioObjectType = type
            type = core
        } else {
            self.audioObjectType = type
        }
        // GASpecificConfig starts with the frame-length flag for the AAC object types.
        let frameLengthFlag = [1, 2, 3, 4, 6, 7, 17, 19, 20, 21, 22, 23].contains(type) ? (bits.read(1) ?? 0) : 0
        guard rate > 0 else { return nil }
        self.sampleRate = rate
        self.extensionSampleRate = extensionRate
        self.channelConfiguration = channels
        self.bytes = bytes
        self.framesPerPacket = frameLengthFlag == 1 ? 960 : 1024
    }
}

/// Reads big-endian bit fields from bytes, returning nil past the end.
struct BitReader {
    private let bytes: [UInt8]
    private var bitPosition = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    mutating func read(_ count: Int) -> Int? {
        guard count <= 32, bitPosition + count <= bytes.count * 8 else { return nil }
        var value = 0
        for _ in 0..<count {
            let byte = bytes[bitPosition >> 3]
            value = value << 1 | Int((byte >> (7 - UInt8(bitPosition & 7))) & 1)
            bitPosition += 1
        }
        return value
    }
}
