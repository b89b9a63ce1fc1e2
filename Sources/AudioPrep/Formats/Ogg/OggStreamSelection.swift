/// The codec of an Ogg logical stream, told by its first packet (RFC 7845, the Vorbis I spec,
/// the FLAC-to-Ogg mapping).
enum OggStreamKind: Equatable {
    case opus, vorbis, flac
    /// A stream callprep does not decode (Theora video, a Skeleton index, Speex, …), by the
    /// name its first packet suggests.
    case other(String)

    init(firstPacket p: [UInt8]) {
        func starts(_ prefix: [UInt8]) -> Bool { p.count >= prefix.count && Array(p[0..<prefix.count]) == prefix }
        if starts(Array("OpusHead".utf8)) {
            self = .opus
        } else if starts([0x01] + Array("vorbis".utf8)) {
            self = .vorbis
        } else if starts([0x7F] + Array("FLAC".utf8)) {
            self = .flac
        } else if starts([0x80] + Array("theora".utf8)) {
            self = .other("theora")
        } else if starts(Array("fishead".utf8)) {
            self = .other("skeleton")
        } else if starts(Array("Speex".utf8)) {
            self = .other("speex")
        } else {
            self = .other("unknown")
        }
    }

    var isAudio: Bool { if case .other = self { false } else { true } }
}

/// Chooses the stream to decode in one link of an Ogg file: the first Opus, Vorbis or FLAC
/// stream among the link's beginning-of-stream pages (which RFC 3533 places before any other
/// page of its link).
enum OggStreamSelection {
    /// The audio stream chosen from the beginning-of-stream pages at `offset`, and where those
    /// pages end. `link` (0 for the first) names the link in errors.
    static func audioStream(_ file: BinaryFileReader, at start: Int64, link: Int = 0)
        throws(AudioPrepError) -> (serial: UInt32, kind: OggStreamKind, offset: Int64)
    {
        var offset = start
        var others: [String] = []
        let which = link == 0 ? "" : " of the \(ordinal(link + 1)) chained stream"
        while true {
            let parse = try OggPage.read(file, at: offset)
            guard case .page(let page, let bytes) = parse else {
                let what = offset == 0 ? "its first page" : "a stream header page\(which)"
                throw AudioPrepError(
                    .corruptFile, path: file.path,
                    "\(what) (at byte \(offset)) is \(parse.isCutShort ? "cut short" : "damaged (its checksum or structure is wrong)"); the Ogg file cannot be read. Re-export or re-download it.")
            }
            guard page.beginsStream else { break }
            let start = OggPage.headerSize + page.lacing.count
            let firstLength = page.lacing.prefix { $0 == 255 }.count * 255 + Int(page.lacing.first { $0 < 255 } ?? 0)
            let first = Array(bytes[start..<min(bytes.count, start + firstLength)])
            let kind = OggStreamKind(firstPacket: first)
            if kind.isAudio { return (page.serial, kind, page.offset) }
            if case .other(let name) = kind { others.append(name) }
            offset = page.end
        }
        let found = others.isEmpty ? "no stream" : "only \(others.joined(separator: ", "))"
        throw AudioPrepError(
            .unsupportedFormat, path: file.path,
            "\(link == 0 ? "the Ogg file" : "the \(ordinal(link + 1)) chained stream of the Ogg file") holds \(found) — no Opus, Vorbis or FLAC audio stream, which is what callprep decodes. Extract or convert the audio first: ffmpeg -i IN -vn -c:a libopus OUT.opus")
    }

    /// "2nd", "3rd", "11th", … for naming a chained stream.
    static func ordinal(_ n: Int) -> String {
        let suffix: String
        switch (n % 10, n % 100) {
        case (_, 11...13): suffix = "th"
        case (1, _): suffix = "st"
        case (2, _): suffix = "nd"
        case (3, _): suffix = "rd"
        default: suffix = "th"
        }
        return "\(n)\(suffix)"
    }
}

extension OggPage.Parse {
    var isCutShort: Bool { if case .cutShort = self { true } else { false } }
}
