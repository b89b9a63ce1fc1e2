/// One Block or SimpleBlock of the selected track: its timestamp and its (unlaced) frames.
struct MatroskaBlock: Sendable {
    /// The block's timestamp in nanoseconds on the Segment timeline (Cluster timestamp plus
    /// the block's relative timestamp, times TimestampScale). CodecDelay is not yet subtracted.
    var timestampNanoseconds: Int64
    /// The frames of the block, in order (one unless the block is laced).
    var frames: [[UInt8]]
    /// BlockGroup/DiscardPadding in nanoseconds: how much to drop from the end of the decoded block.
    var discardPaddingNanoseconds: Int64
    /// The file offset of the block element, for error messages.
    var offset: Int64
}

/// Walks the Clusters of a Segment forward, returning the blocks of one track in file order.
///
/// Clusters of known and unknown size are both handled: an unknown-size Cluster ends where an
/// element that belongs to the Segment level starts (another Cluster, Cues, Tags…) or at the
/// end of the Segment. Every step advances through the file, so it cannot loop.
struct MatroskaBlockReader {
    /// Largest block callprep reads into memory (a second of 8-channel 192 kHz PCM is ~6 MB).
    static let blockLimit = 16 << 20

    private let ebml: EBMLReader
    private let layout: MatroskaSegmentLayout
    private let trackNumber: UInt64
    private var offset: Int64
    private var clusterEnd: Int64? = nil
    private var inCluster = false
    private var clusterTimestamp: Int64? = nil
    private var file: ContainerByteReader { ebml.file }

    init(file: ContainerByteReader, layout: MatroskaSegmentLayout, trackNumber: UInt64) {
        self.ebml = EBMLReader(file: file)
        self.layout = layout
        self.trackNumber = trackNumber
        self.offset = layout.firstClusterOffset
    }

    /// The next block of the track, or nil at the end of the Segment.
    mutating func next() throws(AudioPrepError) -> MatroskaBlock? {
        while true {
            if inCluster {
                let end = clusterEnd ?? layout.segmentEnd
                if offset >= end {
                    inCluster = false
                    continue
                }
                let child = try ebml.header(at: offset, parentEnd: end)
                if clusterEnd == nil, MatroskaElementID.segmentLevel.contains(child.id) {
                    inCluster = false
                    continue
                }
                guard let childEnd = child.end else {
                    throw file.corrupt("element 0x\(String(child.id, radix: 16, uppercase: true)) at byte \(child.offset) inside a Cluster has an unknown size")
                }
                offset = childEnd
                switch child.id {
                case MatroskaElementID.timestamp:
                    let value = try ebml.unsigned(child)
                    guard value <= UInt64(Int64.max / 4) else {
                        throw file.corrupt("Cluster timestamp \(value) at byte \(child.offset) is out of range")
                    }
                    clusterTimestamp = Int64(value)
                case MatroskaElementID.simpleBlock:
                    if let block = try readBlock(child, discardPadding: 0) { return block }
                case MatroskaElementID.blockGroup:
                    if let block = try readBlockGroup(child) { return block }
                default:
                    continue
                }
            } else {
                if offset >= layout.segmentEnd { return nil }
                let child = try ebml.header(at: offset, parentEnd: layout.segmentEnd)
                if child.id == MatroskaElementID.cluster {
                    inCluster = true
                    clusterEnd = child.end
                    clusterTimestamp = nil
                    offset = child.dataOffset
                    continue
                }
                // A second EBML header or Segment (chained files): callprep reads the first one only.
                if child.id == MatroskaElementID.ebml || child.id == MatroskaElementID.segment { return nil }
                guard let end = child.end else {
                    throw file.corrupt("Segment child 0x\(String(child.id, radix: 16, uppercase: true)) at byte \(child.offset) has an unknown size")
                }
                offset = end
            }
        }
    }

    private func readBlockGroup(_ group: EBMLElementHeader) throws(AudioPrepError) -> MatroskaBlock? {
        var blockElement: EBMLElementHeader?
        var discardPadding: Int64 = 0
        try ebml.forEachChild(of: group) { (child) throws(AudioPrepError) in
            switch child.id {
            case MatroskaElementID.block:
                guard blockElement == nil else { throw file.corrupt("a BlockGroup at byte \(group.offset) holds two Blocks") }
                blockElement = child
            case MatroskaElementID.discardPadding:
                discardPadding = try ebml.signed(child)
            default: break
            }
        }
        guard let blockElement else { throw file.corrupt("a BlockGroup at byte \(group.offset) holds no Block") }
        guard discardPadding >= 0, discardPadding <= 10_000_000_000 else {
            throw file.corrupt("DiscardPadding of \(discardPadding) ns at byte \(group.offset) is out of range")
        }
        return try readBlock(blockElement, discardPadding: discardPadding)
    }

    /// Parses a Block/SimpleBlock; returns nil when it belongs to another track.
    private func readBlock(_ element: EBMLElementHeader, discardPadding: Int64) throws(AudioPrepError) -> MatroskaBlock? {
        guard let size = element.size else { throw file.corrupt("a block at byte \(element.offset) has an unknown size") }
        let head = try file.bytes(at: element.dataOffset, count: Int(min(size, 8)), limit: 8, what: "a block header")
        var headCursor = ByteCursor(head)
        guard let track = try? readEBMLVarint(&headCursor) else {
            throw file.corrupt("a block at byte \(element.offset) has a damaged track number")
        }
        guard track.value == trackNumber else { return nil }
        guard let clusterTimestamp else {
            throw file.corrupt("a block at byte \(element.offset) comes before its Cluster's timestamp")
        }
        let data = try file.bytes(at: element.dataOffset, count: Int(size), limit: Self.blockLimit, what: "a block")
        var cursor = ByteCursor(data, position: track.length)
        let relative: Int64
        let frames: [[UInt8]]
        do throws(ByteCursor.Overrun) {
            relative = Int64(Int16(bitPattern: try cursor.uint16BE()))
            let flags = try cursor.uint8()
            let lacing = MatroskaLacing(rawValue: (flags >> 1) & 3) ?? .none
            frames = try lacing.frames(from: &cursor)
        } catch {
            throw file.corrupt("the block at byte \(element.offset) has a damaged header or lacing")
        }
        let (nanoseconds, overflow) = (clusterTimestamp + relative).multipliedReportingOverflow(by: layout.timestampScale)
        // Beyond ±2^62 ns (146 years) a timestamp is damage, and later arithmetic stays in range.
        guard !overflow, nanoseconds.magnitude <= UInt64(1) << 62 else {
            throw file.corrupt("a block timestamp at byte \(element.offset) overflows")
        }
        return MatroskaBlock(
            timestampNanoseconds: nanoseconds, frames: frames,
            discardPaddingNanoseconds: discardPadding, offset: element.offset)
    }
}
