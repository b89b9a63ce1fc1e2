/// Parses the first audio sample entry of an `stsd` box (ISO/IEC 14496-12 AudioSampleEntry,
/// QuickTime sound description versions 0–2) and its `esds` descriptor chain (ISO/IEC 14496-1).
struct MP4SampleEntryParser {
    let boxes: MP4BoxReader
    private var file: ContainerByteReader { boxes.file }

    func parse(stsd: MP4BoxHeader) throws(AudioPrepError) -> MP4AudioSampleEntry? {
        // stsd: version/flags (4), entry count (4), then sample entry boxes.
        var result: MP4AudioSampleEntry?
        try boxes.forEachBox(from: stsd.payloadOffset + 8, to: stsd.end) { (entry) throws(AudioPrepError) in
            guard result == nil else { return }
            result = try parseEntry(entry)
        }
        return result
    }

    private func parseEntry(_ entry: MP4BoxHeader) throws(AudioPrepError) -> MP4AudioSampleEntry {
        let head = try file.bytes(at: entry.payloadOffset, count: Int(min(entry.payloadSize, 64)), limit: 64, what: "an MP4 sample entry")
        var cursor = ByteCursor(head)
        guard (try? cursor.skip(8)) != nil,
              let version = try? cursor.uint16BE(),
              (try? cursor.skip(6)) != nil,
              let channels16 = try? cursor.uint16BE(),
              (try? cursor.skip(6)) != nil,
              let rate32 = try? cursor.uint32BE()
        else { throw file.corrupt("the audio sample entry '\(entry.type)' is too short") }
        var channels = Int(channels16)
        var rate = Int(rate32 >> 16)
        var childrenStart = entry.payloadOffset + 28
        switch version {
        case 1:
            childrenStart += 16
        case 2:
            // QuickTime v2: sizeOfStructOnly (4), sample rate as a float64, channel count (4), …
            guard (try? cursor.skip(4)) != nil, let bits = try? cursor.uint64BE(), let count = try? cursor.uint32BE() else {
                throw file.corrupt("the QuickTime v2 sound description is too short")
            }
            let value = Double(bitPattern: bits)
            rate = value.isFinite && value > 0 && value < 10_000_000 ? Int(value.rounded()) : 0
            channels = Int(min(count, 255))
            childrenStart += 36
        default:
            break
        }
        var sample = MP4AudioSampleEntry(format: entry.type, channels: channels, sampleRate: rate, objectTypeIndication: nil, audioSpecificConfig: nil)
        if childrenStart < entry.end {
            try scanForESDS(from: childrenStart, to: entry.end, into: &sample, depth: 0)
        }
        return sample
    }

    /// Finds `esds`, directly or inside a QuickTime `wave` box.
    private func scanForESDS(from start: Int64, to end: Int64, into sample: inout MP4AudioSampleEntry, depth: Int) throws(AudioPrepError) {
        try boxes.forEachBox(from: start, to: end) { (box) throws(AudioPrepError) in
            switch box.type {
            case "esds":
                try parseESDS(box, into: &sample)
            case "dOps":
                sample.opus = try MP4OpusConfig(try boxes.payload(box), file: file)
            case "wave" where depth == 0:
                try scanForESDS(from: box.payloadOffset, to: box.end, into: &sample, depth: 1)
            default:
                break
            }
        }
    }

    private func parseESDS(_ box: MP4BoxHeader, into sample: inout MP4AudioSampleEntry) throws(AudioPrepError) {
        let payload = try boxes.payload(box)
        var cursor = ByteCursor(payload)
        var decoderSpecific: [UInt8]?
        do throws(ByteCursor.Overrun) {
            try cursor.skip(4)  // version, flags
            // Walk the descriptors: ES (3) contains DecoderConfig (4) contains DecSpecificInfo (5).
            while cursor.remaining >= 2 {
                let tag = try cursor.uint8()
                var length = 0
                for _ in 0..<4 {
                    let byte = try cursor.uint8()
                    length = length << 7 | Int(byte & 0x7F)
                    if byte & 0x80 == 0 { break }
                }
                switch tag {
                case 0x03:
                    try cursor.skip(2)  // ES_ID
                    let flags = try cursor.uint8()
                    if flags & 0x80 != 0 { try cursor.skip(2) }
                    if flags & 0x40 != 0 { try cursor.skip(Int(try cursor.uint8())) }
                    if flags & 0x20 != 0 { try cursor.skip(2) }
                case 0x04:
                    sample.objectTypeIndication = Int(try cursor.uint8())
                    try cursor.skip(12)  // stream type, buffer size, max and average bit rate
                case 0x05:
                    decoderSpecific = try cursor.take(min(length, cursor.remaining))
                default:
                    try cursor.skip(min(length, cursor.remaining))
                }
                if decoderSpecific != nil { break }
            }
        } catch {
            throw file.corrupt("the 'esds' box at byte \(box.offset) is damaged")
        }
        guard let bytes = decoderSpecific else { return }
        switch sample.codecName {
        case "aac":
            guard let config = AudioSpecificConfig(bytes) else {
                throw file.corrupt("the AAC AudioSpecificConfig in 'esds' is damaged")
            }
            sample.audioSpecificConfig = config
        case "vorbis":
            // The decoder-specific info is the three Vorbis headers, not an AudioSpecificConfig:
            // the channels and rate are in the identification header.
            guard let identification = try MP4VorbisConfig(xiphLacedHeaders: bytes, path: file.path) else {
                throw file.corrupt("the Vorbis headers in 'esds' are damaged")
            }
            sample.vorbis = identification
        default:
            break
        }
    }
}
