/// Reads the EBML header, the Segment's Info and Tracks, and finds the first Cluster.
///
/// It walks the Segment forward only (every step advances by at least one header), so a file
/// cannot make it loop; it stops at the first Cluster.
struct MatroskaLayoutParser {
    let ebml: EBMLReader
    private var file: ContainerByteReader { ebml.file }

    /// At most this many TrackEntry elements are accepted.
    static let trackLimit = 128

    init(file: ContainerByteReader) { self.ebml = EBMLReader(file: file) }

    func parse() throws(AudioPrepError) -> MatroskaSegmentLayout {
        OpenCounter.record(.matroskaLayoutParsed)
        let header = try ebml.header(at: 0, parentEnd: file.size)
        guard header.id == MatroskaElementID.ebml else {
            throw AudioPrepError(.unsupportedFormat, path: file.path, "is not a Matroska/WebM file (no EBML header).")
        }
        var docType = "matroska"
        try ebml.forEachChild(of: header) { (child) throws(AudioPrepError) in
            if child.id == MatroskaElementID.docType { docType = try ebml.string(child) }
        }
        guard docType == "matroska" || docType == "webm" else {
            throw AudioPrepError(.unsupportedFormat, path: file.path, "is an EBML file of type '\(docType)', not Matroska or WebM.")
        }
        guard let headerEnd = header.end else { throw file.corrupt("the EBML header has an unknown size") }
        var offset = headerEnd
        // Skip Void/CRC elements between the header and the Segment.
        var segment = try ebml.header(at: offset, parentEnd: file.size)
        while segment.id != MatroskaElementID.segment {
            guard let end = segment.end else { throw file.corrupt("no Segment after the EBML header") }
            offset = end
            segment = try ebml.header(at: offset, parentEnd: file.size)
        }
        let segmentEnd = segment.end ?? file.size
        var layout = MatroskaSegmentLayout(
            docType: docType, timestampScale: 1_000_000, declaredDuration: nil, tracks: [],
            segmentDataOffset: segment.dataOffset, segmentEnd: segmentEnd, firstClusterOffset: 0)
        var sawTracks = false
        offset = segment.dataOffset
        while offset < segmentEnd {
            let child = try ebml.header(at: offset, parentEnd: segmentEnd)
            switch child.id {
            case MatroskaElementID.cluster:
                guard sawTracks else {
                    throw file.corrupt("the first Cluster (byte \(child.offset)) comes before any Tracks element")
                }
                layout.firstClusterOffset = child.offset
                return layout
            case MatroskaElementID.info:
                try parseInfo(child, into: &layout)
            case MatroskaElementID.tracks:
                try parseTracks(child, into: &layout)
                sawTracks = true
            default:
                break
            }
            guard let end = child.end else {
                throw file.corrupt("Segment child 0x\(String(child.id, radix: 16, uppercase: true)) at byte \(child.offset) has an unknown size")
            }
            offset = end
        }
        throw AudioPrepError(.corruptFile, path: file.path, "has no Cluster: the file holds no audio blocks. The recording may have failed or be empty.")
    }

    private func parseInfo(_ info: EBMLElementHeader, into layout: inout MatroskaSegmentLayout) throws(AudioPrepError) {
        try ebml.forEachChild(of: info) { (child) throws(AudioPrepError) in
            switch child.id {
            case MatroskaElementID.timestampScale:
                let scale = try ebml.unsigned(child)
                guard scale >= 1, scale <= 1_000_000_000 else {
                    throw file.corrupt("TimestampScale \(scale) ns is out of range (1 ns to 1 s)")
                }
                layout.timestampScale = Int64(scale)
            case MatroskaElementID.duration:
                layout.declaredDuration = try ebml.float(child)
            default:
                break
            }
        }
    }

    private func parseTracks(_ tracks: EBMLElementHeader, into layout: inout MatroskaSegmentLayout) throws(AudioPrepError) {
        try ebml.forEachChild(of: tracks) { (entry) throws(AudioPrepError) in
            guard entry.id == MatroskaElementID.trackEntry else { return }
            guard layout.tracks.count < Self.trackLimit else {
                throw file.corrupt("more than \(Self.trackLimit) tracks")
            }
            layout.tracks.append(try parseTrackEntry(entry))
        }
    }

    private func parseTrackEntry(_ entry: EBMLElementHeader) throws(AudioPrepError) -> MatroskaTrack {
        var track = MatroskaTrack(
            number: 0, type: 0, codecID: "", codecPrivate: [], codecDelayNanoseconds: 0,
            seekPreRollNanoseconds: 0, samplingFrequency: 8000, channels: 1, bitDepth: nil,
            hasContentEncodings: false)
        try ebml.forEachChild(of: entry) { (child) throws(AudioPrepError) in
            switch child.id {
            case MatroskaElementID.trackNumber: track.number = try ebml.unsigned(child)
            case MatroskaElementID.trackType: track.type = try ebml.unsigned(child)
            case MatroskaElementID.codecID: track.codecID = try ebml.string(child)
            case MatroskaElementID.codecPrivate: track.codecPrivate = try ebml.binary(child)
            case MatroskaElementID.codecDelay:
                track.codecDelayNanoseconds = try nanoseconds(ebml.unsigned(child), name: "CodecDelay")
            case MatroskaElementID.seekPreRoll:
                track.seekPreRollNanoseconds = try nanoseconds(ebml.unsigned(child), name: "SeekPreRoll")
            case MatroskaElementID.contentEncodings: track.hasContentEncodings = true
            case MatroskaElementID.audio:
                try ebml.forEachChild(of: child) { (audio) throws(AudioPrepError) in
                    switch audio.id {
                    case MatroskaElementID.samplingFrequency: track.samplingFrequency = try ebml.float(audio)
                    case MatroskaElementID.channels:
                        let channels = try ebml.unsigned(audio)
                        guard channels >= 1, channels <= 255 else { throw file.corrupt("a track declares \(channels) channels") }
                        track.channels = Int(channels)
                    case MatroskaElementID.bitDepth:
                        let depth = try ebml.unsigned(audio)
                        guard depth <= 64 else { throw file.corrupt("a track declares a bit depth of \(depth)") }
                        track.bitDepth = Int(depth)
                    default: break
                    }
                }
            default: break
            }
        }
        return track
    }

    /// Accepts a nanosecond duration up to one hour (CodecDelay and SeekPreRoll are milliseconds in practice).
    private func nanoseconds(_ value: UInt64, name: String) throws(AudioPrepError) -> Int64 {
        guard value <= 3_600_000_000_000 else { throw file.corrupt("\(name) of \(value) ns is out of range") }
        return Int64(value)
    }
}
