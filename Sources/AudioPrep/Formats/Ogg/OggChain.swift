/// One link of an Ogg file: the logical streams that begin together and all end before the next
/// link begins (RFC 3533 §4, "chaining" — what `cat a.opus b.opus > c.opus` makes), and the
/// audio stream callprep decodes from it.
struct OggLink: Equatable {
    /// The offset of the link's first page (its first beginning-of-stream page).
    var start: Int64
    /// The offset just past the link's last page: the next link's start, or the file's size.
    var end: Int64
    /// The chosen audio stream's serial number and codec.
    var serial: UInt32
    var kind: OggStreamKind
    /// The offset of the audio stream's beginning-of-stream page.
    var streamOffset: Int64

    var range: Range<Int64> { start..<end }
}

/// Finds the links of an Ogg file by walking its page headers from the first page to the last.
///
/// A new link begins at a beginning-of-stream page that follows a page that is not one. Only the
/// 27-byte header and the segment table of each page are read (the body is stepped over), so the
/// walk costs one small read per page; a beginning-of-stream page is checked in full (CRC-32)
/// before it counts, so a damaged flag byte cannot split a stream. Where a header is not a page
/// (damage), the walk resumes at the next capture pattern, as the packet reader does. The same
/// serial number may occur in two links (`cat a.opus a.opus`): links are told apart by their
/// beginning-of-stream pages, not by serial numbers.
enum OggChain {
    static func links(_ file: BinaryFileReader) throws(AudioPrepError) -> [OggLink] {
        var links = [try link(file, at: 0, number: 0)]
        var offset: Int64 = 0
        var inBeginningPages = true
        /// The last header that looked like a page: when the page after it is not where its
        /// length says (the page was cut short or its segment table damaged), the search for the
        /// next page starts just after it, so a link beginning inside its claimed body is found.
        var lastHeader: Int64?
        func resync() throws(AudioPrepError) -> Int64? {
            let from = (lastHeader ?? offset) + 1
            lastHeader = nil
            return try OggPage.nextCapture(file, from: from)
        }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: OggPage.headerSize + 255, alignment: 1)
        defer { buffer.deallocate() }
        let header = buffer.baseAddress!.bindMemory(to: UInt8.self, capacity: buffer.count)
        // "OggS" read as a little-endian 32-bit number.
        let capture = UInt32(0x5367_674F)
        while offset < file.size {
            let read = try file.read(at: offset, into: buffer)
            let segments = read >= OggPage.headerSize ? Int(header[26]) : 0
            var bodyLength = 0
            if read >= OggPage.headerSize + segments {
                for i in OggPage.headerSize..<(OggPage.headerSize + segments) { bodyLength &+= Int(header[i]) }
            }
            let pageEnd = offset + Int64(OggPage.headerSize + segments + bodyLength)
            guard read >= OggPage.headerSize + segments, UInt32(littleEndian: buffer.load(as: UInt32.self)) == capture,
                header[4] == 0, pageEnd <= file.size
            else {
                // Not a page, or one the file's end cuts short.
                guard let next = try resync() else { break }
                offset = next
                continue
            }
            let beginsStream = header[5] & 0x02 != 0
            if beginsStream, !inBeginningPages {
                guard case .page = try OggPage.read(file, at: offset) else {
                    // A flag byte damaged into "begins stream": not a link; resume after it.
                    lastHeader = offset
                    guard let next = try resync() else { break }
                    offset = next
                    continue
                }
                links[links.count - 1].end = offset
                links.append(try link(file, at: offset, number: links.count))
            }
            inBeginningPages = beginsStream
            lastHeader = offset
            offset = pageEnd
        }
        return links
    }

    /// The link whose beginning-of-stream pages start at `offset`.
    private static func link(_ file: BinaryFileReader, at offset: Int64, number: Int) throws(AudioPrepError) -> OggLink {
        let stream = try OggStreamSelection.audioStream(file, at: offset, link: number)
        return OggLink(start: offset, end: file.size, serial: stream.serial, kind: stream.kind, streamOffset: stream.offset)
    }
}
