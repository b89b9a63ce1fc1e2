/// What a file's first bytes say it is. Decides which reader opens it; the file's name plays no
/// part (an MP3 named `.wav` is an MP3).
enum SniffedFormat: Equatable, CaseIterable {
    case wav, rf64, w64, aiff, flac, ogg, mp3, caf, au, matroska, mp4
    case unknown

    /// The container this format reports in `probe`.
    var container: Container? {
        switch self {
        case .wav: .wav
        case .rf64: .rf64
        case .w64: .w64
        case .aiff: .aiff
        case .flac: .flac
        case .ogg: .ogg
        case .mp3: .mp3
        case .caf: .caf
        case .au: .au
        case .matroska: .matroska
        case .mp4: .mp4
        case .unknown: nil
        }
    }

    /// File name extensions that are honest for this format.
    var usualExtensions: Set<String> {
        switch self {
        case .wav: ["wav", "wave"]
        case .rf64: ["wav", "rf64"]
        case .w64: ["w64", "wav"]
        case .aiff: ["aif", "aiff", "aifc"]
        case .flac: ["flac"]
        case .ogg: ["ogg", "oga", "opus"]
        case .mp3: ["mp3"]
        case .caf: ["caf"]
        case .au: ["au", "snd"]
        case .matroska: ["mka", "mkv", "webm"]
        case .mp4: ["mp4", "m4a", "mov", "3gp"]
        case .unknown: []
        }
    }
}

enum FormatSniffer {
    /// How many leading bytes `sniff` needs.
    static let headerLength = 64

    /// Classifies a file from its first bytes. `header` is the file's first up to 64 bytes;
    /// `reader` is consulted to look past an ID3v2 tag (which may precede MP3 and, rarely, FLAC).
    static func sniff(_ reader: BinaryFileReader) throws(AudioPrepError) -> SniffedFormat {
        let head = try reader.bytes(at: 0, count: headerLength)
        if let format = classify(head) { return format }
        // An ID3v2 tag: skip it and look at what follows.
        if let tagSize = ID3v2.tagSize(head), Int64(tagSize) < reader.size {
            let after = try reader.bytes(at: Int64(tagSize), count: headerLength)
            if let format = classify(after) { return format }
            // MPEG audio right after the tag, or after padding the tag's size leaves out: a frame
            // header confirmed by the next one (or the file's end, or a trailing tag), so that
            // even an MP3 of two frames is recognised.
            if MP3FrameHeader(after) != nil { return .mp3 }
            if try MP3Scanner.findSync(reader, from: Int64(tagSize)) != nil { return .mp3 }
        }
        if try MP3Scanner.confirmsSync(reader, at: 0) { return .mp3 }
        return .unknown
    }

    private static func classify(_ b: [UInt8]) -> SniffedFormat? {
        func ascii(_ s: String, at offset: Int) -> Bool {
            let u = Array(s.utf8)
            return b.count >= offset + u.count && Array(b[offset..<offset + u.count]) == u
        }
        if ascii("RIFF", at: 0) && ascii("WAVE", at: 8) { return .wav }
        if ascii("RIFX", at: 0) && ascii("WAVE", at: 8) { return .wav }
        if (ascii("RF64", at: 0) || ascii("BW64", at: 0)) && ascii("WAVE", at: 8) { return .rf64 }
        if ascii("riff", at: 0), b.count >= 16, b[4] == 0x2E, b[5] == 0x91, b[6] == 0xCF, b[7] == 0x11 { return .w64 }
        if ascii("FORM", at: 0) && (ascii("AIFF", at: 8) || ascii("AIFC", at: 8)) { return .aiff }
        if ascii("fLaC", at: 0) { return .flac }
        if ascii("OggS", at: 0) { return .ogg }
        if ascii("caff", at: 0) { return .caf }
        if ascii(".snd", at: 0) { return .au }
        if b.count >= 4, b[0] == 0x1A, b[1] == 0x45, b[2] == 0xDF, b[3] == 0xA3 { return .matroska }
        if ascii("ftyp", at: 4) { return .mp4 }
        return nil
    }
}

/// The ID3v2 tag that may precede MPEG audio.
enum ID3v2 {
    /// The whole tag's length in bytes (header, body and optional footer), or nil if `b` does
    /// not start with a valid ID3v2 header. Sizes are 28-bit "synchsafe" integers, so at most
    /// 256 MiB: never an allocation, only a skip.
    static func tagSize(_ b: [UInt8]) -> Int? {
        guard b.count >= 10, b[0] == 0x49, b[1] == 0x44, b[2] == 0x33, b[3] != 0xFF, b[4] != 0xFF,
            b[6] & 0x80 == 0, b[7] & 0x80 == 0, b[8] & 0x80 == 0, b[9] & 0x80 == 0
        else { return nil }
        let body = Int(b[6]) << 21 | Int(b[7]) << 14 | Int(b[8]) << 7 | Int(b[9])
        let footer = (b[5] & 0x10) != 0 ? 10 : 0
        return 10 + body + footer
    }
}
