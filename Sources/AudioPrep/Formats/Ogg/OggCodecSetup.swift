/// The header packets of the chosen Ogg stream, read once by `OggReader` and reused to set up
/// its decoder.
enum OggCodecSetup {
    case opus(OpusHead)
    /// The identification, comment and setup headers, and the facts of the first.
    case vorbis(headers: [[UInt8]], sampleRate: Int, channels: Int)
    /// STREAMINFO, and the first audio frame when the mapping header did not count its header
    /// packets (it was read to find where they end).
    case flac(FLACStreamInfo, firstFrame: [UInt8]?)

    var codecName: String {
        switch self {
        case .opus: "opus"
        case .vorbis: "vorbis"
        case .flac: "flac"
        }
    }

    var sampleRate: Int {
        switch self {
        case .opus: 48_000
        case .vorbis(_, let rate, _): rate
        case .flac(let info, _): info.sampleRate
        }
    }

    var channels: Int {
        switch self {
        case .opus(let head): head.channels
        case .vorbis(_, _, let channels): channels
        case .flac(let info, _): info.channels
        }
    }

    /// Reads the stream's header packets from `packets`, leaving it at the first audio packet.
    static func read(_ kind: OggStreamKind, from packets: inout OggPacketReader, path: String) throws(AudioPrepError) -> OggCodecSetup {
        func header(_ what: String) throws(AudioPrepError) -> [UInt8] {
            guard let packet = try packets.next() else {
                throw AudioPrepError(.corruptFile, path: path, "the Ogg stream ends before its \(what); the file is damaged. Re-export or re-download it.")
            }
            return packet
        }
        switch kind {
        case .opus:
            let head = try OpusHead(try header("OpusHead"), path: path)
            let tags = try header("OpusTags header")
            guard tags.starts(with: Array("OpusTags".utf8)) else {
                throw AudioPrepError(.corruptFile, path: path, "the Ogg Opus stream's second packet is not OpusTags; the file is damaged. Re-export or re-download it.")
            }
            return .opus(head)
        case .vorbis:
            let identification = try header("Vorbis identification header")
            let comment = try header("Vorbis comment header")
            let setup = try header("Vorbis setup header")
            let (rate, channels) = try vorbisFacts(identification, path: path)
            return .vorbis(headers: [identification, comment, setup], sampleRate: rate, channels: channels)
        case .flac:
            let mapping = try header("FLAC mapping header")
            let (info, headerPackets) = try flacFacts(mapping, path: path)
            if headerPackets > 0 {
                for _ in 0..<headerPackets { _ = try header("FLAC metadata") }
                return .flac(info, firstFrame: nil)
            }
            // An unknown count: metadata packets until the first frame (sync byte 0xFF).
            while true {
                let packet = try header("first FLAC frame")
                if packet.first == 0xFF { return .flac(info, firstFrame: packet) }
            }
        case .other(let name):
            throw AudioPrepError(.unsupportedFormat, path: path, "the Ogg stream is \(name), not audio callprep decodes.")
        }
    }

    /// Rate and channels from the Vorbis identification header (Vorbis I §4.2.2).
    static func vorbisFacts(_ packet: [UInt8], path: String) throws(AudioPrepError) -> (Int, Int) {
        var cursor = ByteCursor(packet)
        guard (try? cursor.skip(7)) != nil, let version = try? cursor.uint32LE(), let channels = try? cursor.uint8(),
            let rate = try? cursor.uint32LE()
        else {
            throw AudioPrepError(.corruptFile, path: path, "the Vorbis identification header is cut short; the file is damaged. Re-export or re-download it.")
        }
        guard version == 0, (1...8).contains(channels), (1...768_000).contains(rate) else {
            throw AudioPrepError(
                .unsupportedFormat, path: path,
                "the Vorbis stream declares version \(version), \(channels) channels at \(rate) Hz; callprep decodes Vorbis I with 1–8 channels at up to 768 kHz.")
        }
        return (Int(rate), Int(channels))
    }

    /// STREAMINFO and the header packet count from the FLAC-to-Ogg mapping's first packet:
    /// 0x7F "FLAC", version 1.x, the number of header packets that follow, "fLaC", then the
    /// STREAMINFO block (4-byte block header, 34 bytes).
    private static func flacFacts(_ packet: [UInt8], path: String) throws(AudioPrepError) -> (FLACStreamInfo, Int) {
        guard packet.count >= 51, packet[5] == 1, Array(packet[9..<13]) == Array("fLaC".utf8), packet[13] & 0x7F == 0 else {
            throw AudioPrepError(.corruptFile, path: path, "the FLAC-in-Ogg mapping header is cut short or not version 1 with STREAMINFO; the file is damaged. Re-export or re-download it.")
        }
        let headerPackets = Int(packet[7]) << 8 | Int(packet[8])
        let s = 17  // STREAMINFO's first byte
        let rate = Int(packet[s + 10]) << 12 | Int(packet[s + 11]) << 4 | Int(packet[s + 12]) >> 4
        let channels = Int((packet[s + 12] >> 1) & 0x07) + 1
        let bits = Int((packet[s + 12] & 0x01) << 4 | packet[s + 13] >> 4) + 1
        var total: Int64 = Int64(packet[s + 13] & 0x0F)
        for i in 14..<18 { total = total << 8 | Int64(packet[s + i]) }
        guard rate > 0 else {
            throw AudioPrepError(.corruptFile, path: path, "the FLAC-in-Ogg STREAMINFO declares a sample rate of 0; the file is damaged. Re-export or re-download it.")
        }
        guard (4...24).contains(bits) else {
            throw AudioPrepError(
                .unsupportedFormat, path: path,
                "is \(bits)-bit FLAC in Ogg; callprep decodes FLAC in Ogg of up to 24 bits. Convert it: ffmpeg -i IN -sample_fmt s16 OUT.flac")
        }
        return (FLACStreamInfo(sampleRate: rate, channels: channels, bitsPerSample: bits, totalFrames: total), headerPackets)
    }
}
