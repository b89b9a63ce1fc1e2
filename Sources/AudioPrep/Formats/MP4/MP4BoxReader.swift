/// The header of one ISO-BMFF box: its four-character type and its byte range.
struct MP4BoxHeader: Sendable, Hashable {
    /// The four-character code, e.g. `moov`, `trak`, `stsz`.
    var type: String
    /// The file offset of the box's first header byte.
    var offset: Int64
    /// The file offset of the box's payload.
    var payloadOffset: Int64
    /// The offset just past the box.
    var end: Int64

    /// The size the box claims beyond its parent's end, for a last top-level box cut short by
    /// the end of the file (`header(…, allowingCut: true)`); 0 for a whole box.
    var missingBytes: Int64 = 0

    var payloadSize: Int64 { end - payloadOffset }
}

/// Reads ISO-BMFF (MP4, M4A, fragmented MP4) box headers and payloads from a
/// `ContainerByteReader`, checking every size against the enclosing box and the file.
struct MP4BoxReader {
    let file: ContainerByteReader

    /// Largest box payload callprep reads into memory (sample tables of a day-long AAC track
    /// are ~16 MB); larger boxes are only ever skipped.
    static let payloadLimit = 64 << 20

    /// Reads the box header at `offset` inside a parent ending at `parentEnd`.
    /// A size of 0 means "to the end of the parent"; 1 means a 64-bit size follows.
    ///
    /// With `allowingCut` (top-level boxes only), a box that claims more than the file holds
    /// ends at the end of the file and reports the shortfall in `missingBytes`: a download cut
    /// short inside `mdat` still has all of its earlier samples.
    func header(at offset: Int64, parentEnd: Int64, allowingCut: Bool = false) throws(AudioPrepError) -> MP4BoxHeader {
        let bytes = try file.bytesUpTo(at: offset, count: 16, what: "an MP4 box header")
        var cursor = ByteCursor(bytes)
        guard let size32 = try? cursor.uint32BE(), let typeBytes = try? cursor.take(4) else {
            throw file.corrupt("an MP4 box header at byte \(offset) is cut off by the end of its parent")
        }
        let type = String(decoding: typeBytes.map { (0x20...0x7E).contains($0) ? $0 : UInt8(ascii: "?") }, as: UTF8.self)
        var headerSize: Int64 = 8
        var size = Int64(size32)
        if size32 == 1 {
            guard let large = try? cursor.uint64BE() else { throw file.corrupt("the 64-bit size of MP4 box '\(type)' at byte \(offset) is cut off") }
            guard large <= UInt64(Int64.max / 2) else { throw file.corrupt("MP4 box '\(type)' at byte \(offset) claims \(large) bytes") }
            size = Int64(large)
            headerSize = 16
        } else if size32 == 0 {
            size = parentEnd - offset
        }
        guard size >= headerSize else {
            throw file.corrupt("MP4 box '\(type)' at byte \(offset) has an impossible size of \(size) bytes")
        }
        if allowingCut, offset + size > parentEnd {
            return MP4BoxHeader(
                type: type, offset: offset, payloadOffset: offset + headerSize, end: parentEnd,
                missingBytes: offset + size - parentEnd)
        }
        guard offset + size <= parentEnd else {
            throw file.corrupt("MP4 box '\(type)' at byte \(offset) claims \(size) bytes, past the end of its parent at byte \(parentEnd) (the file has \(file.size) bytes)")
        }
        return MP4BoxHeader(type: type, offset: offset, payloadOffset: offset + headerSize, end: offset + size)
    }

    /// Reads a box's whole payload (at most `payloadLimit` bytes).
    func payload(_ box: MP4BoxHeader) throws(AudioPrepError) -> [UInt8] {
        try file.bytes(at: box.payloadOffset, count: Int(box.payloadSize), limit: Self.payloadLimit, what: "MP4 box '\(box.type)'")
    }

    /// Calls `body` for every box between `start` and `end`, in file order. Every box is at
    /// least 8 bytes, so the walk always advances and ends.
    func forEachBox(
        from start: Int64, to end: Int64, allowingCut: Bool = false, _ body: (MP4BoxHeader) throws(AudioPrepError) -> Void
    ) throws(AudioPrepError) {
        var offset = start
        while offset < end {
            // Some muxers pad the end of a parent with fewer than 8 zero bytes.
            if end - offset < 8 { break }
            let box = try header(at: offset, parentEnd: end, allowingCut: allowingCut)
            try body(box)
            offset = box.end
        }
    }

    /// Calls `body` for every child box of `parent` (which holds only boxes).
    func forEachChild(of parent: MP4BoxHeader, _ body: (MP4BoxHeader) throws(AudioPrepError) -> Void) throws(AudioPrepError) {
        try forEachBox(from: parent.payloadOffset, to: parent.end, body)
    }
}
