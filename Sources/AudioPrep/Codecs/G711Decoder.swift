/// Decodes ITU-T G.711 μ-law (PCMU) and A-law (PCMA) bytes to Float32 by table.
///
/// The tables give the standard 16-bit linear values (μ-law peaks at ±32124, A-law at ±32256),
/// divided by 32768 — the same values ffmpeg's `pcm_mulaw`/`pcm_alaw` decoders produce.
final class G711Decoder: MatroskaPacketDecoder {
    /// Which G.711 companding law.
    enum Law: Sendable {
        case muLaw
        case aLaw

        /// The ffmpeg codec name.
        var codecName: String { self == .muLaw ? "pcm_mulaw" : "pcm_alaw" }
    }

    let sampleRate: Int
    let channels: Int
    let preSkip = 0
    let law: Law
    private let table: [Float]
    private let path: String

    init(law: Law, sampleRate: Int, channels: Int, path: String) {
        self.law = law
        self.sampleRate = sampleRate
        self.channels = channels
        self.path = path
        self.table = (0..<256).map { Float(law == .muLaw ? Self.muLawToLinear(UInt8($0)) : Self.aLawToLinear(UInt8($0))) / 32768 }
    }

    func frameCount(of packet: [UInt8]) throws(AudioPrepError) -> Int {
        guard packet.count % channels == 0 else {
            throw AudioPrepError(.corruptFile, path: path, "a G.711 block of \(packet.count) bytes does not divide into \(channels) channels; the file is damaged.")
        }
        return packet.count / channels
    }

    func decode(_ packet: [UInt8], appendingTo samples: inout [Float]) throws(AudioPrepError) -> Int {
        let frames = try frameCount(of: packet)
        samples.reserveCapacity(samples.count + packet.count)
        for byte in packet { samples.append(table[Int(byte)]) }
        return frames
    }

    /// G.711 μ-law expansion: the byte is stored inverted; 3 exponent bits shift a 4-bit
    /// mantissa (with the 0x84 bias) into a 14-bit magnitude scaled to 16 bits.
    static func muLawToLinear(_ code: UInt8) -> Int16 {
        let inverted = ~code
        let exponent = Int((inverted >> 4) & 0x07)
        let mantissa = Int(inverted & 0x0F)
        let magnitude = ((mantissa << 3) + 0x84) << exponent
        return Int16(inverted & 0x80 != 0 ? 0x84 - magnitude : magnitude - 0x84)
    }

    /// G.711 A-law expansion: even bits are stored toggled (XOR 0x55); segment 0 is linear,
    /// higher segments add the implicit leading one. The sign bit set means positive.
    static func aLawToLinear(_ code: UInt8) -> Int16 {
        let toggled = code ^ 0x55
        let segment = Int((toggled >> 4) & 0x07)
        var magnitude = Int(toggled & 0x0F) << 4 + 8
        if segment > 0 { magnitude = (magnitude + 0x100) << (segment - 1) }
        return Int16(toggled & 0x80 != 0 ? magnitude : -magnitude)
    }
}
