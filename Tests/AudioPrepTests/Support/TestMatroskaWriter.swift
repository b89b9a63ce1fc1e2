import Foundation

/// Builds small Matroska files byte by byte for tests: known- and unknown-size elements,
/// every lacing mode, BlockGroups with DiscardPadding, and deliberately broken structures.
enum TestMatroska {
    /// The EBML "unknown size" marker (8-byte form, all value bits set).
    static let unknownSize: [UInt8] = [0x01, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]

    static func id(_ value: UInt32) -> [UInt8] {
        let bytes = withUnsafeBytes(of: value.bigEndian, Array.init)
        return Array(bytes.drop(while: { $0 == 0 }))
    }

    /// An EBML size field of the minimal length.
    static func size(_ value: Int) -> [UInt8] {
        var length = 1
        while value >= (1 << (7 * length)) - 1 { length += 1 }
        var bytes = (0..<length).map { UInt8(truncatingIfNeeded: value >> (8 * (length - 1 - $0))) }
        bytes[0] |= UInt8(0x80 >> (length - 1))
        return bytes
    }

    static func element(_ elementID: UInt32, _ payload: [UInt8]) -> [UInt8] {
        id(elementID) + size(payload.count) + payload
    }

    static func uint(_ elementID: UInt32, _ value: UInt64) -> [UInt8] {
        var bytes = withUnsafeBytes(of: value.bigEndian, Array.init)
        while bytes.count > 1 && bytes[0] == 0 { bytes.removeFirst() }
        return element(elementID, bytes)
    }

    static func string(_ elementID: UInt32, _ value: String) -> [UInt8] {
        element(elementID, Array(value.utf8))
    }

    static func float64(_ elementID: UInt32, _ value: Double) -> [UInt8] {
        element(elementID, withUnsafeBytes(of: value.bitPattern.bigEndian, Array.init))
    }

    static func ebmlHeader(docType: String = "matroska") -> [UInt8] {
        element(0x1A45_DFA3, uint(0x4286, 1) + uint(0x42F7, 1) + string(0x4282, docType) + uint(0x4287, 4) + uint(0x4285, 2))
    }

    static func info(timestampScale: UInt64 = 1_000_000) -> [UInt8] {
        element(0x1549_A966, uint(0x2A_D7B1, timestampScale))
    }

    /// A WAVEFORMATEX for 8 kHz mono G.711 (tag 7 μ-law, 6 A-law).
    static func waveFormat(tag: UInt16 = 7, channels: UInt16 = 1, rate: UInt32 = 8000) -> [UInt8] {
        func le16(_ v: UInt16) -> [UInt8] { [UInt8(v & 0xFF), UInt8(v >> 8)] }
        func le32(_ v: UInt32) -> [UInt8] { (0..<4).map { UInt8((v >> (8 * $0)) & 0xFF) } }
        return le16(tag) + le16(channels) + le32(rate) + le32(rate * UInt32(channels)) + le16(channels) + le16(8) + le16(0)
    }

    static func trackEntry(number: UInt64, type: UInt64, codec: String, codecPrivate: [UInt8] = [], codecDelay: UInt64? = nil, rate: Double = 8000, channels: UInt64 = 1) -> [UInt8] {
        var body = uint(0xD7, number) + uint(0x73C5, number) + uint(0x83, type) + string(0x86, codec)
        if !codecPrivate.isEmpty { body += element(0x63A2, codecPrivate) }
        if let codecDelay { body += uint(0x56AA, codecDelay) }
        if type == 2 { body += element(0xE1, float64(0xB5, rate) + uint(0x9F, channels)) }
        return element(0xAE, body)
    }

    static func tracks(_ entries: [UInt8]) -> [UInt8] { element(0x1654_AE6B, entries) }

    /// Lacing modes as the block flag bits (bits 1–2).
    enum Lacing: UInt8 { case none = 0, xiph = 1, fixed = 2, ebml = 3 }

    /// The body of a Block/SimpleBlock: track number, relative timestamp, flags, lace header, frames.
    static func blockBody(track: UInt8, relative: Int16, lacing: Lacing, frames: [[UInt8]]) -> [UInt8] {
        var body: [UInt8] = [0x80 | track]
        body += withUnsafeBytes(of: relative.bigEndian, Array.init)
        body.append(0x80 | lacing.rawValue << 1)
        switch lacing {
        case .none:
            break
        case .xiph:
            body.append(UInt8(frames.count - 1))
            for frame in frames.dropLast() {
                var n = frame.count
                while n >= 255 { body.append(255); n -= 255 }
                body.append(UInt8(n))
            }
        case .fixed:
            body.append(UInt8(frames.count - 1))
        case .ebml:
            body.append(UInt8(frames.count - 1))
            body += size(frames[0].count)  // first size is a plain EBML unsigned varint
            for i in 1..<(frames.count - 1) {
                // Signed differences, 2-byte form: value + (2^13 − 1), length marker 0x40.
                let diff = frames[i].count - frames[i - 1].count
                let raw = diff + (1 << 13) - 1
                body += [0x40 | UInt8(raw >> 8), UInt8(raw & 0xFF)]
            }
        }
        for frame in frames { body += frame }
        return body
    }

    static func simpleBlock(track: UInt8, relative: Int16, lacing: Lacing = .none, frames: [[UInt8]]) -> [UInt8] {
        element(0xA3, blockBody(track: track, relative: relative, lacing: lacing, frames: frames))
    }

    static func blockGroup(track: UInt8, relative: Int16, frames: [[UInt8]], discardPaddingNanoseconds: Int64? = nil) -> [UInt8] {
        var body = element(0xA1, blockBody(track: track, relative: relative, lacing: .none, frames: frames))
        if let discardPaddingNanoseconds {
            body += element(0x75A2, withUnsafeBytes(of: discardPaddingNanoseconds.bigEndian, Array.init))
        }
        return element(0xA0, body)
    }

    static func cluster(timestamp: UInt64, _ children: [UInt8], unknownSize: Bool = false) -> [UInt8] {
        let body = uint(0xE7, timestamp) + children
        return unknownSize ? id(0x1F43_B675) + self.unknownSize + body : element(0x1F43_B675, body)
    }

    static func segment(_ children: [UInt8], unknownSize: Bool = false) -> [UInt8] {
        unknownSize ? id(0x1853_8067) + self.unknownSize + children : element(0x1853_8067, children)
    }

    /// Deterministic pseudo-random bytes (SplitMix64) for payloads.
    static func bytes(_ count: Int, seed: UInt64) -> [UInt8] {
        var rng = SplitMix64(seed: seed)
        return (0..<count).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
    }

    /// Writes `bytes` to a new temporary file and returns its path.
    static func write(_ bytes: [UInt8], name: String = "test.mka") throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("callprep-\(UUID().uuidString)-\(name)")
        try Data(bytes).write(to: url)
        return url.path
    }
}

/// A small, fixed-seed random generator so randomized tests are reproducible.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
