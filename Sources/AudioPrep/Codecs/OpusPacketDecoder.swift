internal import COpus

/// Decodes Opus packets to 48 kHz interleaved Float32 with libopus.
///
/// Owns one `OpusDecoder` (`opus_decoder_create`, freed with `opus_decoder_destroy`). Opus is
/// always decoded at 48 kHz, its native rate, so block timestamps map to samples exactly.
final class OpusPacketDecoder: MatroskaPacketDecoder {
    /// The longest Opus packet: 120 ms at 48 kHz.
    static let maxFramesPerPacket = 5760

    let sampleRate = 48_000
    let channels: Int
    let preSkip: Int
    private let decoder: OpaquePointer
    private let path: String
    private var scratch: [Float]

    /// Creates a decoder for `head` with `opus_decoder_create` and applies the OpusHead output
    /// gain with `OPUS_SET_GAIN`.
    init(head: OpusHead, path: String) throws(AudioPrepError) {
        var error: Int32 = 0
        guard let decoder = opus_decoder_create(48_000, Int32(head.channels), &error), error == OPUS_OK else {
            throw AudioPrepError(.decodeFailed, path: path, "libopus could not create a decoder (\(Self.describe(error))).")
        }
        if head.outputGainQ8 != 0 {
            _ = copus_decoder_set_gain(decoder, Int32(head.outputGainQ8))
        }
        self.decoder = decoder
        self.channels = head.channels
        self.preSkip = head.preSkip
        self.path = path
        self.scratch = [Float](repeating: 0, count: Self.maxFramesPerPacket * head.channels)
    }

    deinit { opus_decoder_destroy(decoder) }

    /// The packet's duration from its TOC byte(s), with `opus_packet_get_nb_samples`.
    func frameCount(of packet: [UInt8]) throws(AudioPrepError) -> Int {
        try Self.frameCount(of: packet, path: path)
    }

    /// The duration at 48 kHz of `packet` (from a file at `path`), read from its TOC byte(s)
    /// without a decoder; throws `corruptFile` for a packet whose header is invalid.
    static func frameCount(of packet: [UInt8], path: String) throws(AudioPrepError) -> Int {
        let count = packet.isEmpty ? OPUS_INVALID_PACKET : packet.withUnsafeBufferPointer { buffer in
            opus_packet_get_nb_samples(buffer.baseAddress!, Int32(buffer.count), 48_000)
        }
        guard count > 0, count <= Self.maxFramesPerPacket else {
            throw AudioPrepError(.corruptFile, path: path, "an Opus packet has an invalid header (\(Self.describe(count))); the file is damaged. Re-download it.")
        }
        return Int(count)
    }

    /// Decodes one packet with `opus_decode_float` and appends its frames to `samples`. A packet
    /// libopus rejects becomes silence of its declared length, so the timeline stays intact.
    func decode(_ packet: [UInt8], appendingTo samples: inout [Float]) throws(AudioPrepError) -> Int {
        let expected = try frameCount(of: packet)
        let channels = self.channels
        let decoded = packet.withUnsafeBufferPointer { input in
            scratch.withUnsafeMutableBufferPointer { output in
                opus_decode_float(
                    decoder, input.baseAddress, Int32(input.count), output.baseAddress!,
                    Int32(Self.maxFramesPerPacket), 0)
            }
        }
        if decoded == Int32(expected) {
            samples.append(contentsOf: scratch[0..<(expected * channels)])
        } else {
            samples.append(contentsOf: repeatElement(0, count: expected * channels))
        }
        return expected
    }

    private static func describe(_ code: Int32) -> String {
        String(cString: opus_strerror(code))
    }
}
