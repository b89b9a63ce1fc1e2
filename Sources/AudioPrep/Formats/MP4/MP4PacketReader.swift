/// Reads the compressed packets (access units) of an MP4 audio track in decode order, for a
/// decoder to consume (AAC with an optional decoder; other codecs later).
///
/// Reads the sample tables of `moov` first, then (for fragmented files) the `moof` fragments in
/// file order; every packet is bounded by the file size and by `packetLimit`, so a lying size
/// table cannot trigger a large read.
struct MP4PacketReader {
    /// The largest packet read (an AAC access unit is at most 6144 bits per channel).
    static let packetLimit = 1 << 20

    struct Packet: Sendable {
        var data: [UInt8]
        /// Decode time and duration in media timescale units.
        var decodeTime: Int64
        var duration: Int64
    }

    private let file: ContainerByteReader
    private var samples: MP4SampleTable.Iterator
    private var fragments: MP4FragmentPacketIterator?

    /// Opens `path` and selects its first audio track.
    init(path: String) throws(AudioPrepError) {
        let file = try ContainerByteReader(path: path)
        let movie = try MP4MovieParser(file: file).parse()
        guard let track = movie.tracks.first(where: { $0.isAudio }) else {
            throw AudioPrepError(.unsupportedFormat, path: path, "is an MP4 file without an audio track.")
        }
        try track.sampleTable.validate(file: file)
        self.file = file
        self.samples = track.sampleTable.makeIterator()
        if movie.isFragmented {
            self.fragments = MP4FragmentPacketIterator(
                file: file, trackID: track.trackID, defaultDuration: movie.defaultDurations[track.trackID] ?? 0,
                defaultSize: movie.defaultSizes[track.trackID] ?? 0, startTime: track.sampleTable.totalDuration)
        }
    }

    /// The next packet, or nil after the last.
    mutating func next() throws(AudioPrepError) -> Packet? {
        if let sample = samples.next() {
            let data = try file.bytes(at: sample.offset, count: sample.size, limit: Self.packetLimit, what: "an MP4 audio packet")
            return Packet(data: data, decodeTime: sample.decodeTime, duration: sample.duration)
        }
        guard let sample = try fragments?.next() else { return nil }
        let data = try file.bytes(at: sample.offset, count: sample.size, limit: Self.packetLimit, what: "an MP4 audio packet")
        return Packet(data: data, decodeTime: sample.decodeTime, duration: sample.duration)
    }
}
