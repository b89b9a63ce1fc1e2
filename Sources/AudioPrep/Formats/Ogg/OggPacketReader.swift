/// Reads the packets of one logical stream of an Ogg file in order, assembling packets that
/// continue across pages and skipping the pages of other streams (video, skeleton).
///
/// Pages are checked (capture pattern, version, CRC-32) as they are read. A damaged page is
/// skipped and reading resumes at the next capture pattern, as libogg does; the packet it cut
/// is dropped, and `damagedPages` counts it. A page cut short by the end of the file ends the
/// stream (`endedCutShort`).
///
/// A value type: a copy reads on from the same position independently (the reader's header
/// parse is resumed by the source; a counting pass uses a copy).
struct OggPacketReader {
    /// The largest packet assembled (a malformed file could otherwise continue one packet over
    /// the whole file): 16 MiB, far above any audio packet (Opus ≤ 61,440 bytes; a FLAC frame
    /// of 8 × 65,535 × 32-bit samples ≈ 2 MiB).
    static let maxPacketSize = 16 * 1024 * 1024

    let file: BinaryFileReader
    let serial: UInt32
    /// Where the stream's link ends (`OggLink.end`): a chained file's next link may reuse the
    /// serial, and its pages are not this stream's.
    let end: Int64
    /// The next page's file offset.
    private(set) var offset: Int64
    private var expectedSequence: UInt32?
    /// The packet begun on an earlier page, and whether one is open.
    private var partial: [UInt8] = []
    private var partialOpen = false
    private var queue: [[UInt8]] = []
    private var queueIndex = 0
    private(set) var reachedEndOfStream = false
    private(set) var endedCutShort = false
    private(set) var damagedPages = 0

    init(file: BinaryFileReader, serial: UInt32, offset: Int64 = 0, end: Int64? = nil) {
        self.file = file
        self.serial = serial
        self.offset = offset
        self.end = min(end ?? file.size, file.size)
    }

    /// The next whole packet of the stream, or nil at its end (its end-of-stream page, the end
    /// of the file, or a page cut short).
    mutating func next() throws(AudioPrepError) -> [UInt8]? {
        while true {
            if queueIndex < queue.count {
                defer { queueIndex += 1 }
                return queue[queueIndex]
            }
            queue.removeAll(keepingCapacity: true)
            queueIndex = 0
            if reachedEndOfStream || endedCutShort || offset >= end { return nil }
            switch try OggPage.read(file, at: offset) {
            case .page(let page, let bytes):
                offset = page.end
                if page.serial == serial { try take(page, bytes: bytes) }
            case .invalid:
                damagedPages += 1
                loseSync()
                guard let next = try OggPage.nextCapture(file, from: offset + 1), next < end else {
                    offset = end
                    return nil
                }
                offset = next
            case .cutShort:
                endedCutShort = true
            }
        }
    }

    /// Forgets the open packet: the pages that carried the rest of it are lost.
    private mutating func loseSync() {
        partial.removeAll(keepingCapacity: true)
        partialOpen = false
        expectedSequence = nil
    }

    private mutating func take(_ page: OggPage, bytes: [UInt8]) throws(AudioPrepError) {
        if let expected = expectedSequence, page.sequence != expected {
            loseSync()
        }
        let resumed = expectedSequence != nil
        expectedSequence = page.sequence &+ 1
        // A continuation whose beginning was lost (or a page that wrongly claims to continue)
        // is skipped up to its end; an open packet the page does not continue is dropped.
        var skipping = page.continuesPacket && !(resumed && partialOpen)
        if !page.continuesPacket, partialOpen {
            partial.removeAll(keepingCapacity: true)
            partialOpen = false
        }
        var position = OggPage.headerSize + page.lacing.count
        for value in page.lacing {
            let length = Int(value)
            if !skipping {
                guard partial.count + length <= Self.maxPacketSize else {
                    throw AudioPrepError(
                        .corruptFile, path: file.path,
                        "an Ogg packet continues for more than \(Self.maxPacketSize) bytes; the file is damaged. Re-export or re-download it.")
                }
                partial.append(contentsOf: bytes[position..<(position + length)])
                partialOpen = true
            }
            position += length
            if value < 255 {
                if !skipping { queue.append(partial) }
                partial.removeAll(keepingCapacity: true)
                partialOpen = false
                skipping = false
            }
        }
        if page.endsStream { reachedEndOfStream = true }
    }
}
