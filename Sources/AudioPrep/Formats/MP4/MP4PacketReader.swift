/// Reads the compressed packets (access units) of an MP4 audio track in decode order, for a
/// decoder to consume, from the parse an `MP4Reader` made when it opened the file.
///
/// Every packet is bounded by the file size and by `packetLimit`, so a lying size table cannot
/// trigger a large read.
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
    private var samples: MP4SampleSequence

    /// The packets of the track `reader` selected, read through its open file.
    init(reader: MP4Reader) {
        file = reader.file
        samples = MP4SampleSequence(file: reader.file, movie: reader.movie, track: reader.track)
    }

    /// Opens `path` and selects its first audio track.
    init(path: String) throws(AudioPrepError) {
        self.init(reader: try MP4Reader(path: path))
    }

    /// The next packet, or nil after the last.
    mutating func next() throws(AudioPrepError) -> Packet? {
        guard let sample = try samples.next() else { return nil }
        return Packet(data: try Self.data(of: sample, in: file), decodeTime: sample.decodeTime, duration: sample.duration)
    }

    /// The bytes of `sample`.
    static func data(of sample: MP4SampleTable.Sample, in file: ContainerByteReader) throws(AudioPrepError) -> [UInt8] {
        try file.bytes(at: sample.offset, count: sample.size, limit: packetLimit, what: "an MP4 audio packet")
    }
}
