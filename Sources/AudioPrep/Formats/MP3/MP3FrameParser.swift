/// Finds the MPEG frames of a file the way libmpg123 1.31 does (its `read_frame`, restated from
/// its documented behaviour and source, with its resync limit off as `MP3Source` sets it), so
/// that the frame walk counts exactly the frames the decoder will decode:
///
/// - The first frame is taken only when the header its length points to is valid and compatible
///   (same version, layer and rate bits, both mono or both not); otherwise the search goes on
///   one byte later. A frame with nothing after it is not taken: libmpg123 refuses a one-frame
///   stream.
/// - Junk before the first frame is searched byte by byte for a header libmpg123 accepts; ID3v2
///   tags there and a RIFF header (up to its `data` chunk) are stepped over.
/// - After a header libmpg123 refuses mid-stream, an ID3v1 tag (128 bytes), an ID3v2 tag or a
///   valid APEv2 tag is stepped over; anything else starts a resync, byte by byte, that takes
///   the first 4 bytes passing libmpg123's basic check — whatever their layer or rate.
/// - A free-format frame (bitrate index 0) is as long as the distance to the next header sharing
///   its sync, version, layer, bitrate, rate and channel mode, searched over at most 3,460
///   bytes; that length then holds for every later free-format frame. A search that meets the
///   file's end ends the stream.
/// - A frame cut short by the file's end ends the stream; libmpg123 calls that an error, not
///   the end, when the file ends with an ID3v1 tag (`Stop.readFailure`).
struct MP3FrameParser {
    struct Frame: Equatable {
        var offset: Int64
        var header: MP3FrameHeader
        /// The stream's first frame, the one libmpg123 checks for a Xing/Info tag.
        var startsStream: Bool
    }

    /// Why the frames end.
    enum Stop: Equatable {
        /// The file ends (or holds nothing libmpg123 takes for a frame any more).
        case endOfStream
        /// The last frame starting at `offset` is cut short by the end of the file.
        case truncatedFrame(offset: Int64)
        /// libmpg123 fails with an error at `offset` (a frame or tag cut short while the file
        /// ends with an ID3v1 tag): decoding stops there with an error, not at the end.
        case readFailure(offset: Int64)
    }

    enum Step: Equatable {
        case frame(Frame)
        case stop(Stop)
    }

    private var window: ByteWindow
    private let size: Int64
    /// Where libmpg123 expects the data to end: the file's size, less 128 bytes when the file
    /// ends with an ID3v1 tag. A read cut short anywhere else is an error to it.
    private let dataEnd: Int64
    private var position: Int64 = 0
    /// The first header libmpg123 took; until then every frame must be confirmed by the next.
    private var firstHead: UInt32?
    /// The measured body size of free-format frames, padding excluded, once known.
    private var freeFormatBody: Int?
    /// Bytes of tags stepped over since the last frame, and where that frame ended.
    private var tagBytes: Int64 = 0
    private var lastFrameEnd: Int64?
    /// Bytes between frames that were neither a frame nor a tag (after the first frame).
    private(set) var junkBytes: Int64 = 0

    init(reader: BinaryFileReader) throws(AudioPrepError) {
        window = ByteWindow(reader: reader, capacity: 1 << 20)
        size = reader.size
        let tail = size >= 128 ? try reader.bytes(at: size - 128, count: 3) : []
        dataEnd = tail.elementsEqual("TAG".utf8) ? size - 128 : size
    }

    /// Up to `count` bytes at `offset`, through the parser's buffer (no read of its own while the
    /// frames walked are in it).
    mutating func bytes(at offset: Int64, count: Int) throws(AudioPrepError) -> ArraySlice<UInt8> {
        try window.bytes(at: offset, count: count)
    }

    /// The 4 bytes at `offset` as a big-endian number, or nil when fewer than 4 remain.
    mutating func word(at offset: Int64) throws(AudioPrepError) -> UInt32? {
        try window.word(at: offset)
    }

    /// The next frame libmpg123 reads, or why there is none.
    mutating func next() throws(AudioPrepError) -> Step {
        var freeFormatGuesses = 0
        readAgain: while true {
            guard var word = try window.word(at: position) else { return .stop(.endOfStream) }
            var start = position
            position += 4
            resync: while true {
                var header: MP3FrameHeader?
                if firstHead == nil && !MP3FrameHeader.passesBasicCheck(word) {
                    switch try skipJunk(word, at: start) {
                    case .again, .refused, .candidate: continue readAgain
                    case .stop(let stop): return .stop(stop)
                    case .header(let at, let found):
                        start = at
                        word = found.word
                        header = found
                    }
                } else {
                    switch try decodeHeader(word, at: start, guesses: &freeFormatGuesses) {
                    case .header(_, let decoded): header = decoded
                    case .refused, .candidate: header = nil
                    case .again: continue readAgain
                    case .stop(let stop): return .stop(stop)
                    }
                }
                guard let header else {
                    switch try afterRefusedHeader(word, at: start) {
                    case .candidate(let at, let candidate):
                        start = at
                        word = candidate
                        continue resync
                    case .again, .refused, .header: continue readAgain
                    case .stop(let stop): return .stop(stop)
                    }
                }
                let end = start + Int64(header.frameLength)
                if firstHead == nil {
                    // The read-ahead: the next header must be there and belong to the stream.
                    guard let next = try window.word(at: end) else { return .stop(.endOfStream) }
                    if !MP3FrameHeader.passesBasicCheck(next) || !MP3FrameHeader.compatible(word, next) {
                        position = start + 1
                        continue readAgain
                    }
                }
                if end > size {
                    position = size
                    return .stop(size == dataEnd ? .truncatedFrame(offset: start) : .readFailure(offset: start))
                }
                position = end
                let startsStream = firstHead == nil && lastFrameEnd == nil
                if firstHead == nil { firstHead = word }
                if let lastFrameEnd { junkBytes += max(0, start - lastFrameEnd - tagBytes) }
                lastFrameEnd = end
                tagBytes = 0
                return .frame(Frame(offset: start, header: header, startsStream: startsStream))
            }
        }
    }

    /// What one parsing step found.
    private enum Outcome {
        /// A header at an offset, decoded.
        case header(at: Int64, MP3FrameHeader)
        /// 4 bytes at an offset that pass the basic check, to be decoded next (a resync's find).
        case candidate(at: Int64, UInt32)
        case refused
        /// Start over with a fresh header at `position` (after a tag, or a failed read-ahead).
        case again
        case stop(Stop)
    }

    /// libmpg123's `decode_header` for a header at `start` passing the basic check; measures a
    /// free-format frame's length the first time one is met (at most 5 tries per frame read).
    private mutating func decodeHeader(_ word: UInt32, at start: Int64, guesses: inout Int) throws(AudioPrepError) -> Outcome {
        guard MP3FrameHeader.passesBasicCheck(word) else { return .refused }
        if MP3FrameHeader.isFreeFormat(word), freeFormatBody == nil {
            guesses += 1
            guard guesses <= 5 else { return .refused }
            // The next header sharing the same-stream bits, from 5 to 3,460 bytes on.
            var offset = start + 5
            while offset <= start + Int64(MP3FrameHeader.maximumBodySize) + 4 {
                guard let next = try window.word(at: offset) else {
                    // The search reads to the file's end: the stream ends there.
                    position = size
                    return .stop(.endOfStream)
                }
                if next & MP3FrameHeader.sameStreamMask == word & MP3FrameHeader.sameStreamMask {
                    freeFormatBody = Int(offset - start) - 4 - Int((word >> 9) & 0x1)
                    break
                }
                offset += 1
            }
            guard freeFormatBody != nil else { return .refused }
        }
        guard let header = MP3FrameHeader(word: word, freeFormatBody: freeFormatBody) else { return .refused }
        return .header(at: start, header)
    }

    /// Before the first frame: a tag, a RIFF header, or junk searched byte by byte for a header
    /// libmpg123 decodes (`skip_junk`, without its 64 KiB limit: the resync limit is off).
    private mutating func skipJunk(_ first: UInt32, at start: Int64) throws(AudioPrepError) -> Outcome {
        if first >> 8 == 0x49_4433 { return try skipID3v2(first, at: start) }
        if first == 0x5249_4646 { return try skipRIFFHeader() }
        var word = first
        var guesses = 0
        while true {
            guard let byte = try window.byte(at: position) else { return .stop(.endOfStream) }
            word = word << 8 | UInt32(byte)
            position += 1
            guard MP3FrameHeader.passesBasicCheck(word) else { continue }
            switch try decodeHeader(word, at: position - 4, guesses: &guesses) {
            case .refused: continue
            case let outcome: return outcome
            }
        }
    }

    /// After a header libmpg123 refuses (`wetwork`): an ID3v1, ID3v2 or APEv2 tag is stepped
    /// over, anything else starts a resync that returns the next 4 bytes passing the basic check.
    private mutating func afterRefusedHeader(_ refused: UInt32, at start: Int64) throws(AudioPrepError) -> Outcome {
        if refused >> 8 == 0x54_4147 {  // "TAG"
            position = min(start + 128, size)
            tagBytes += position - start
            return .again
        }
        if refused >> 8 == 0x49_4433 { return try skipID3v2(refused, at: start) }
        if refused == 0x4150_4554 { return try skipAPETag(at: start) }  // "APET"
        var word = refused
        while true {
            guard let byte = try window.byte(at: position) else { return .stop(.endOfStream) }
            word = word << 8 | UInt32(byte)
            position += 1
            if MP3FrameHeader.passesBasicCheck(word) {
                // Only the basic check so far; the caller decodes it (and resyncs again if that fails).
                return .candidate(at: position - 4, word)
            }
        }
    }

    /// An ID3v2 tag at `start`, as libmpg123 steps over it: a bad version or size byte skips
    /// only the header bytes read so far; a tag libmpg123 parses must be whole (a cut one ends
    /// the stream), one it skips is seeked over.
    private mutating func skipID3v2(_ word: UInt32, at start: Int64) throws(AudioPrepError) -> Outcome {
        let major = word & 0xFF
        if major == 0xFF { return .again }
        let rest = try window.bytes(at: start + 4, count: 6)
        guard rest.count == 6 else { return readCutShort(at: start) }
        let b = Array(rest)
        position = start + 10
        if b[0] == 0xFF || (b[2] | b[3] | b[4] | b[5]) & 0x80 != 0 { return .again }
        let flags = b[1]
        let length = Int64(b[2]) << 21 | Int64(b[3]) << 14 | Int64(b[4]) << 7 | Int64(b[5])
        let total = length + (flags & 0x10 != 0 ? 10 : 0)
        let skipped = flags & 0x0F != 0 || major > 4 || major < 2 || (major == 2 && flags & 0x40 != 0) || length < 10
        if !skipped, start + 10 + total > size { return readCutShort(at: start) }
        position = start + 10 + total
        tagBytes += 10 + total
        return .again
    }

    /// An APEv2 tag header at `start` ("APETAGEX", version 2000, 8 zero bytes): libmpg123 skips
    /// the tag; anything else it takes for junk and goes on one byte after `start`.
    private mutating func skipAPETag(at start: Int64) throws(AudioPrepError) -> Outcome {
        let b = Array(try window.bytes(at: start + 4, count: 28))
        func le32(_ i: Int) -> Int64 { Int64(b[i]) | Int64(b[i + 1]) << 8 | Int64(b[i + 2]) << 16 | Int64(b[i + 3]) << 24 }
        guard b.count == 28, b[0..<4].elementsEqual("AGEX".utf8), le32(4) == 2000, b[20..<28].allSatisfy({ $0 == 0 }) else {
            position = start + 1
            return .again
        }
        let length = le32(8)
        position = start + 32 + length
        tagBytes += 32 + length
        return .again
    }

    /// A RIFF header before the first frame: libmpg123 skips to the bytes after its `data`
    /// chunk's size.
    private mutating func skipRIFFHeader() throws(AudioPrepError) -> Outcome {
        guard var word = try window.word(at: position) else { return .stop(.endOfStream) }
        position += 4
        while word != 0x6461_7461 {  // "data"
            guard let byte = try window.byte(at: position) else { return .stop(.endOfStream) }
            word = word << 8 | UInt32(byte)
            position += 1
        }
        guard position + 4 <= size else { return .stop(.endOfStream) }
        position += 4
        return .again
    }

    /// A read libmpg123 finds cut short: the normal end when the file ends where it expects the
    /// data to end, an error otherwise.
    private mutating func readCutShort(at start: Int64) -> Outcome {
        position = size
        return .stop(size == dataEnd ? .endOfStream : .readFailure(offset: start))
    }
}
