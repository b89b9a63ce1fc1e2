/// A decoder for the frames of one Matroska audio track (Opus via libopus, G.711 by table).
///
/// `frameCount(of:)` reads only a packet's header, so probes can count exact lengths without
/// decoding; `decode` must append exactly that many frames.
protocol MatroskaPacketDecoder: AnyObject {
    /// The rate of the decoded samples (48 000 for Opus).
    var sampleRate: Int { get }
    var channels: Int { get }
    /// Frames to discard from the start of the decoded stream (Opus pre-skip; 0 otherwise).
    var preSkip: Int { get }
    /// The number of frames `packet` decodes to.
    func frameCount(of packet: [UInt8]) throws(AudioPrepError) -> Int
    /// Decodes `packet`, appends its interleaved samples to `samples`, returns its frame count.
    func decode(_ packet: [UInt8], appendingTo samples: inout [Float]) throws(AudioPrepError) -> Int
}

/// Chooses the audio track of a Matroska file and the decoder for its codec.
enum MatroskaCodecSetup {
    /// The codec name reported by probe (ffmpeg naming) for `track`, or nil if callprep cannot decode it.
    static func codecName(of track: MatroskaTrack) -> String? {
        switch track.codecID {
        case "A_OPUS": return "opus"
        case "A_MS/ACM":
            switch waveFormatTag(track.codecPrivate) {
            case 7: return "pcm_mulaw"
            case 6: return "pcm_alaw"
            default: return nil
            }
        case "A_AAC", "A_AAC/MPEG4/LC": return "aac"
        case "A_VORBIS": return "vorbis"
        default: return nil
        }
    }

    /// The first audio track, or the track numbered `number` when given.
    static func selectTrack(_ layout: MatroskaSegmentLayout, number: UInt64?, path: String) throws(AudioPrepError) -> MatroskaTrack {
        if let number {
            guard let track = layout.tracks.first(where: { $0.number == number }) else {
                throw AudioPrepError(.invalidArgument, path: path, "has no track number \(number); run `callprep probe` to list its tracks.")
            }
            guard track.isAudio else {
                throw AudioPrepError(.invalidArgument, path: path, "track \(number) is not an audio track.")
            }
            return track
        }
        guard let track = layout.tracks.first(where: { $0.isAudio }) else {
            throw AudioPrepError(.unsupportedFormat, path: path, "has no audio track (it may be a video-only recording); pass the audio recording (.mka) instead.")
        }
        return track
    }

    /// Creates the decoder for `track`; throws `unsupportedFormat` with a remedy for codecs
    /// callprep does not decode.
    static func makeDecoder(for track: MatroskaTrack, path: String) throws(AudioPrepError) -> any MatroskaPacketDecoder {
        guard !track.hasContentEncodings else {
            throw AudioPrepError(.unsupportedFormat, path: path, "uses Matroska content encoding (compression or encryption), which callprep does not undo. Re-mux it: ffmpeg -i IN -c copy OUT.mka")
        }
        switch track.codecID {
        case "A_OPUS":
            let head: OpusHead
            if track.codecPrivate.isEmpty {
                head = try OpusHead(defaultHeadBytes(channels: track.channels, codecDelayNanoseconds: track.codecDelayNanoseconds), path: path)
            } else {
                head = try OpusHead(track.codecPrivate, path: path)
            }
            return try OpusPacketDecoder(head: head, path: path)
        case "A_MS/ACM":
            return try g711Decoder(track: track, path: path)
        default:
            let name = codecName(of: track) ?? track.codecID
            throw AudioPrepError(
                .unsupportedFormat, path: path,
                "holds \(name) audio (\(track.codecID)), which callprep does not decode; it decodes Opus and G.711 (PCMU/PCMA) in Matroska/WebM. Convert it first: ffmpeg -i IN -c:a libopus OUT.mka")
        }
    }

    /// The WAVEFORMATEX format tag in an `A_MS/ACM` CodecPrivate (6 A-law, 7 μ-law).
    static func waveFormatTag(_ bytes: [UInt8]) -> UInt16? {
        var cursor = ByteCursor(bytes)
        return try? cursor.uint16LE()
    }

    private static func g711Decoder(track: MatroskaTrack, path: String) throws(AudioPrepError) -> G711Decoder {
        guard let format = try? WaveFormat(track.codecPrivate) else {
            throw AudioPrepError(.corruptFile, path: path, "the A_MS/ACM CodecPrivate (WAVEFORMATEX) is cut short; the file is damaged.")
        }
        let law: G711Decoder.Law
        switch format.tag {
        case 7: law = .muLaw
        case 6: law = .aLaw
        default:
            throw AudioPrepError(
                .unsupportedFormat, path: path,
                "holds A_MS/ACM audio with format tag \(format.tag); callprep decodes G.711 μ-law (7) and A-law (6) there. Convert it first: ffmpeg -i IN -c:a pcm_s16le OUT.wav")
        }
        guard format.bitsPerSample == 8, (1...8).contains(format.channels), (1000...192_000).contains(format.sampleRate) else {
            throw AudioPrepError(.corruptFile, path: path, "declares G.711 with \(format.bitsPerSample) bits, \(format.channels) channels at \(format.sampleRate) Hz; the header is damaged.")
        }
        return G711Decoder(law: law, sampleRate: format.sampleRate, channels: format.channels, path: path)
    }

    /// The fields of a WAVEFORMATEX structure (little-endian) that callprep uses.
    private struct WaveFormat {
        var tag: UInt16, channels: Int, sampleRate: Int, bitsPerSample: Int
        init(_ bytes: [UInt8]) throws(ByteCursor.Overrun) {
            var cursor = ByteCursor(bytes)
            tag = try cursor.uint16LE()
            channels = Int(try cursor.uint16LE())
            sampleRate = Int(try cursor.uint32LE())
            try cursor.skip(6)  // average bytes per second, block align
            bitsPerSample = Int(try cursor.uint16LE())
        }
    }

    /// An OpusHead for a track without CodecPrivate: pre-skip taken from CodecDelay.
    private static func defaultHeadBytes(channels: Int, codecDelayNanoseconds: Int64) -> [UInt8] {
        let preSkip = UInt16(clamping: TrackTimeline.frames(nanoseconds: codecDelayNanoseconds, rate: 48_000))
        return Array("OpusHead".utf8) + [1, UInt8(clamping: channels), UInt8(preSkip & 0xFF), UInt8(preSkip >> 8), 0x80, 0xBB, 0, 0, 0, 0, 0]
    }
}
