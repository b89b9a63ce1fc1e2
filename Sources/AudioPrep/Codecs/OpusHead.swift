/// The Opus identification header (RFC 7845 §5.1), as stored in Matroska CodecPrivate.
struct OpusHead: Sendable, Hashable {
    /// Output channels (1 or 2 for the channel mappings callprep decodes).
    var channels: Int
    /// Samples at 48 kHz to discard from the start of the decoded stream.
    var preSkip: Int
    /// The sample rate of the original input (informational; Opus always decodes at 48 kHz here).
    var inputSampleRate: Int
    /// Output gain in Q7.8 dB, applied by the decoder.
    var outputGainQ8: Int16
    /// The channel mapping family (0: mono/stereo; 1: Vorbis order; 255: undefined).
    var mappingFamily: Int

    /// Parses `bytes`; throws `corruptFile`/`unsupportedFormat` naming `path`.
    init(_ bytes: [UInt8], path: String) throws(AudioPrepError) {
        guard let fields = try? Self.fields(bytes) else {
            throw AudioPrepError(.corruptFile, path: path, "the OpusHead in CodecPrivate is cut short; the file is damaged. Re-download or re-mux it.")
        }
        guard fields.magic == Array("OpusHead".utf8) else {
            throw AudioPrepError(.corruptFile, path: path, "the Opus track's CodecPrivate is not an OpusHead; the file is damaged. Re-download or re-mux it.")
        }
        guard fields.version >> 4 == 0 else {
            throw AudioPrepError(.unsupportedFormat, path: path, "uses OpusHead version \(fields.version), which callprep does not read.")
        }
        channels = fields.channels
        preSkip = fields.preSkip
        inputSampleRate = fields.inputSampleRate
        outputGainQ8 = fields.gain
        mappingFamily = fields.family
        // Family 1 with one stream holding all (≤ 2) channels decodes exactly like family 0.
        if mappingFamily != 0, !(channels <= 2 && fields.streams == 1 && fields.coupled == channels - 1) {
            throw AudioPrepError(
                .unsupportedFormat, path: path,
                "is multichannel Opus (\(channels) channels, mapping family \(mappingFamily)); callprep decodes mono and stereo Opus. Downmix it first: ffmpeg -i IN -ac 2 -c:a libopus OUT.mka")
        }
        guard channels == 1 || channels == 2 else {
            throw AudioPrepError(.unsupportedFormat, path: path, "declares \(channels) Opus channels; callprep decodes mono and stereo Opus.")
        }
    }

    private struct Fields {
        var magic: [UInt8], version: UInt8, channels: Int, preSkip: Int, inputSampleRate: Int
        var gain: Int16, family: Int, streams: Int, coupled: Int
    }

    private static func fields(_ bytes: [UInt8]) throws(ByteCursor.Overrun) -> Fields {
        var cursor = ByteCursor(bytes)
        var fields = Fields(
            magic: try cursor.take(8), version: try cursor.uint8(), channels: Int(try cursor.uint8()),
            preSkip: Int(try cursor.uint16LE()), inputSampleRate: Int(try cursor.uint32LE()),
            gain: Int16(bitPattern: try cursor.uint16LE()), family: Int(try cursor.uint8()), streams: 1, coupled: 0)
        if fields.family != 0 {
            fields.streams = Int(try cursor.uint8())
            fields.coupled = Int(try cursor.uint8())
        }
        return fields
    }
}
