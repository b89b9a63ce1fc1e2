/// Parses the `ftyp` and `moov` boxes of an MP4/M4A file: tracks, edit lists, sample
/// descriptions and sample tables. Walks forward only and bounds every count by its box size.
struct MP4MovieParser {
    let boxes: MP4BoxReader
    private var file: ContainerByteReader { boxes.file }

    /// At most this many `trak` boxes are accepted.
    static let trackLimit = 64

    init(file: ContainerByteReader) { self.boxes = MP4BoxReader(file: file) }

    func parse() throws(AudioPrepError) -> MP4Movie {
        OpenCounter.record(.mp4MovieParsed)
        var movie = MP4Movie()
        var sawMoov = false
        var sawFtyp = false
        try boxes.forEachBox(from: 0, to: file.size, allowingCut: true) { (box) throws(AudioPrepError) in
            if box.missingBytes > 0 {
                // Only the last box can be cut by the end of the file; a cut 'moov' is unreadable.
                guard box.type != "moov" else {
                    throw file.corrupt("the 'moov' box at byte \(box.offset) is cut off by the end of the file (\(box.missingBytes) bytes missing)")
                }
                movie.cutBox = box
                return
            }
            switch box.type {
            case "ftyp":
                sawFtyp = true
                let payload = try boxes.payload(box)
                if payload.count >= 4 { movie.majorBrand = String(decoding: payload[0..<4], as: UTF8.self) }
            case "moov":
                guard !sawMoov else { throw file.corrupt("the file has two 'moov' boxes") }
                sawMoov = true
                try parseMoov(box, into: &movie)
            default:
                break
            }
        }
        guard sawMoov else {
            let what = sawFtyp ? "has no 'moov' box (an unfinished recording, or a download cut short)" : "is not an MP4 file"
            throw AudioPrepError(sawFtyp ? .corruptFile : .unsupportedFormat, path: file.path, "\(what). Re-download it, or remux it with ffmpeg -i IN -c copy OUT.m4a")
        }
        return movie
    }

    private func fullBoxCursor(_ box: MP4BoxHeader) throws(AudioPrepError) -> (version: UInt8, cursor: ByteCursor) {
        let payload = try boxes.payload(box)
        guard let version = payload.first, payload.count >= 4 else { throw file.corrupt("MP4 box '\(box.type)' at byte \(box.offset) is too short") }
        return (version, ByteCursor(payload, position: 4))
    }

    private func parseMoov(_ moov: MP4BoxHeader, into movie: inout MP4Movie) throws(AudioPrepError) {
        try boxes.forEachChild(of: moov) { (box) throws(AudioPrepError) in
            switch box.type {
            case "mvhd":
                var (version, cursor) = try fullBoxCursor(box)
                guard (try? cursor.skip(version == 1 ? 16 : 8)) != nil, let scale = try? cursor.uint32BE(), scale > 0 else {
                    throw file.corrupt("the 'mvhd' box has no valid timescale")
                }
                movie.movieTimescale = Int64(scale)
            case "trak":
                guard movie.tracks.count < Self.trackLimit else { throw file.corrupt("more than \(Self.trackLimit) tracks") }
                movie.tracks.append(try parseTrak(box))
            case "mvex":
                movie.isFragmented = true
                try boxes.forEachChild(of: box) { (child) throws(AudioPrepError) in
                    guard child.type == "trex" else { return }
                    var (_, cursor) = try fullBoxCursor(child)
                    guard let id = try? cursor.uint32BE(), (try? cursor.skip(4)) != nil, let duration = try? cursor.uint32BE() else {
                        throw file.corrupt("the 'trex' box is too short")
                    }
                    movie.defaultDurations[id] = duration
                    if let size = try? cursor.uint32BE() { movie.defaultSizes[id] = size }
                }
            default:
                break
            }
        }
    }

    private func parseTrak(_ trak: MP4BoxHeader) throws(AudioPrepError) -> MP4Track {
        var track = MP4Track()
        try boxes.forEachChild(of: trak) { (box) throws(AudioPrepError) in
            switch box.type {
            case "tkhd":
                var (version, cursor) = try fullBoxCursor(box)
                guard (try? cursor.skip(version == 1 ? 16 : 8)) != nil, let id = try? cursor.uint32BE() else {
                    throw file.corrupt("the 'tkhd' box is too short")
                }
                track.trackID = id
            case "edts":
                try boxes.forEachChild(of: box) { (child) throws(AudioPrepError) in
                    if child.type == "elst" { track.edits = try parseEditList(child) }
                }
            case "mdia":
                try parseMdia(box, into: &track)
            default:
                break
            }
        }
        return track
    }

    private func parseEditList(_ box: MP4BoxHeader) throws(AudioPrepError) -> [MP4Edit] {
        var (version, cursor) = try fullBoxCursor(box)
        do throws(ByteCursor.Overrun) {
            let count = Int(try cursor.uint32BE())
            let width = version == 1 ? 20 : 12
            guard count <= cursor.remaining / width else { throw ByteCursor.Overrun() }
            var edits: [MP4Edit] = []
            for _ in 0..<count {
                let duration = try cursor.bigEndian(version == 1 ? 8 : 4)
                let rawTime = try cursor.bigEndian(version == 1 ? 8 : 4)
                try cursor.skip(4)  // media rate
                let mediaTime = version == 1 ? Int64(bitPattern: rawTime) : Int64(Int32(bitPattern: UInt32(rawTime)))
                guard duration <= UInt64(Int64.max / 4), mediaTime >= -1 else { throw ByteCursor.Overrun() }
                edits.append(MP4Edit(segmentDuration: Int64(duration), mediaTime: mediaTime))
            }
            return edits
        } catch {
            throw file.corrupt("the edit list ('elst') at byte \(box.offset) is damaged")
        }
    }

    private func parseMdia(_ mdia: MP4BoxHeader, into track: inout MP4Track) throws(AudioPrepError) {
        try boxes.forEachChild(of: mdia) { (box) throws(AudioPrepError) in
            switch box.type {
            case "mdhd":
                var (version, cursor) = try fullBoxCursor(box)
                guard (try? cursor.skip(version == 1 ? 16 : 8)) != nil, let scale = try? cursor.uint32BE(), scale > 0 else {
                    throw file.corrupt("the 'mdhd' box has no valid timescale")
                }
                track.mediaTimescale = Int64(scale)
            case "hdlr":
                var (_, cursor) = try fullBoxCursor(box)
                guard (try? cursor.skip(4)) != nil, let type = try? cursor.take(4) else { throw file.corrupt("the 'hdlr' box is too short") }
                track.handler = String(decoding: type, as: UTF8.self)
            case "minf":
                try boxes.forEachChild(of: box) { (minf) throws(AudioPrepError) in
                    guard minf.type == "stbl" else { return }
                    try boxes.forEachChild(of: minf) { (stbl) throws(AudioPrepError) in
                        switch stbl.type {
                        case "stsd":
                            if track.handler == "soun" || track.handler.isEmpty {
                                track.sampleEntry = try MP4SampleEntryParser(boxes: boxes).parse(stsd: stbl)
                            }
                        case "stts", "stsc", "stsz", "stz2", "stco", "co64":
                            if track.handler == "soun" {
                                try track.sampleTable.parse(stbl, payload: try boxes.payload(stbl), file: file)
                            }
                        default:
                            break
                        }
                    }
                }
            default:
                break
            }
        }
    }
}
