/// How many samples a native FLAC stream's frames hold, found from its first and last frames
/// without decoding the rest.
///
/// Every FLAC frame header carries its position (RFC 9639 §9.1.5): a fixed-blocksize stream
/// numbers its frames (position = number × the stream's block size), a variable-blocksize one
/// numbers the first sample of each frame. So the length is the last intact frame's position plus
/// its block size, minus the first frame's position. The last intact frame is found by reading the
/// end of the file and trying, from the end backwards, each place where a frame's sync code
/// appears: the first one whose whole frame parses (header CRC-8, subframes, layout as STREAMINFO
/// declares, CRC-16 over the frame) is it. A sync code that happens to appear inside frame data
/// fails those checks.
///
/// What follows that frame tells the rest: the end of the file (a complete stream), bytes that are
/// not a frame (an ID3v1 tag, zero padding: ignored), or another frame's sync code — a frame that
/// does not parse, so the stream was cut short inside it (or its last frame is damaged).
///
/// Reads 64 KiB, then up to 16 MiB for streams whose last frames are larger or followed by a long
/// run of bytes that are not audio; nil when even that holds no intact frame (the caller then counts
/// by decoding).
struct FLACStreamExtent: Equatable {
    /// The first frame's position (0 unless the stream was cut from a longer one).
    var firstSample: Int64
    /// One past the last sample of the last intact frame.
    var endSample: Int64
    /// Where a frame starts after the last intact one but does not parse: the stream was cut
    /// short there (or its last frame is damaged). nil when none does.
    var cutFrameOffset: Int64?

    /// The samples per channel from the first frame to the end of the last intact one.
    var frames: Int64 { endSample - firstSample }

    static let firstWindow = 64 * 1024
    static let largestWindow = 16 * 1024 * 1024

    /// Scans `file`, whose first frame starts at `firstFrameOffset`, checking frames with
    /// `decoder` (before it decodes anything). The stream ends at `end` (another stream joined
    /// after it starts there), or at the end of the file. Throws only when reading the file fails.
    static func scan(
        _ file: BinaryFileReader, firstFrameOffset: Int64, end: Int64? = nil, decoder: NativeFLACDecoder
    ) throws(AudioPrepError) -> FLACStreamExtent? {
        let end = min(end ?? file.size, file.size)
        guard firstFrameOffset < end else { return nil }
        let head = try Bytes(file, from: firstFrameOffset, count: 32)
        guard let first = head.frameHeader(at: 0) else { return nil }
        let blockSize = Int64(first.blockSize)
        guard let firstSample = position(of: first, fixedBlockSize: blockSize) else { return nil }

        var window = firstWindow
        while true {
            let start = max(firstFrameOffset, end - Int64(window))
            let tail = try Bytes(file, from: start, count: Int(end - start))
            if let last = tail.lastIntactFrame(numbersSamples: first.numbersSamples, decoder: decoder) {
                guard let position = position(of: last.header, fixedBlockSize: blockSize) else { return nil }
                let (endSample, overflow) = position.addingReportingOverflow(Int64(last.header.blockSize))
                guard !overflow, endSample > firstSample else { return nil }
                let cut = tail.startsFrame(at: last.end, numbersSamples: first.numbersSamples) ? start + Int64(last.end) : nil
                return FLACStreamExtent(firstSample: firstSample, endSample: endSample, cutFrameOffset: cut)
            }
            guard start > firstFrameOffset, window < largestWindow else { return nil }
            window *= 4
        }
    }

    /// The first sample of the first intact frame at or after `offset` (looking through 256 KiB,
    /// never past `end`), in the stream whose first frame is at `firstFrameOffset`; nil when none
    /// is found there. Checks frames with `decoder` as `scan` does.
    static func position(
        ofFrameAfter offset: Int64, end: Int64, in file: BinaryFileReader, firstFrameOffset: Int64, decoder: NativeFLACDecoder
    ) throws(AudioPrepError) -> Int64? {
        let head = try Bytes(file, from: firstFrameOffset, count: 32)
        guard let first = head.frameHeader(at: 0), offset < end else { return nil }
        let window = try Bytes(file, from: offset, count: Int(min(Int64(256 * 1024), end - offset)))
        var at = 0
        while at < window.count - 1 {
            if window.startsFrame(at: at, numbersSamples: first.numbersSamples),
                let frame = decoder.measureFrame(in: window.pointer, at: at, validBytes: window.count),
                frame.header.numbersSamples == first.numbersSamples
            {
                return position(of: frame.header, fixedBlockSize: Int64(first.blockSize))
            }
            at += 1
        }
        return nil
    }

    /// A frame's first sample: its sample number, or its frame number × the stream's block size.
    /// nil when that overflows (a damaged number).
    private static func position(of header: FLACFrameHeader, fixedBlockSize: Int64) -> Int64? {
        guard let number = Int64(exactly: header.number) else { return nil }
        if header.numbersSamples { return number }
        let (product, overflow) = number.multipliedReportingOverflow(by: fixedBlockSize)
        return overflow ? nil : product
    }

    /// Bytes read from the file, followed by the zeroed padding `FLACBitReader` needs.
    private final class Bytes {
        let storage: UnsafeMutableRawBufferPointer
        let count: Int

        init(_ file: BinaryFileReader, from offset: Int64, count wanted: Int) throws(AudioPrepError) {
            storage = .allocate(byteCount: wanted + FLACBitReader.padding, alignment: 16)
            storage.initializeMemory(as: UInt8.self, repeating: 0)
            do {
                count = try file.read(at: offset, into: UnsafeMutableRawBufferPointer(rebasing: storage[0..<wanted]))
            } catch {
                storage.deallocate()
                throw error
            }
        }

        deinit { storage.deallocate() }

        private var base: UnsafePointer<UInt8> { UnsafePointer(storage.baseAddress!.assumingMemoryBound(to: UInt8.self)) }
        var pointer: UnsafePointer<UInt8> { base }

        /// The frame header at `offset`, if one with a matching CRC-8 is there.
        func frameHeader(at offset: Int) -> FLACFrameHeader? {
            var reader = FLACBitReader(base: base, byteOffset: offset, validBytes: count)
            return try? FLACFrameHeader.parse(&reader)
        }

        /// True when `offset` holds a frame sync code with the stream's blocking strategy.
        func startsFrame(at offset: Int, numbersSamples: Bool) -> Bool {
            guard offset + 1 < count else { return false }
            return base[offset] == 0xFF && base[offset + 1] == (numbersSamples ? 0xF9 : 0xF8)
        }

        /// The last place a whole frame parses, trying each sync code from the end backwards.
        func lastIntactFrame(
            numbersSamples: Bool, decoder: NativeFLACDecoder
        ) -> (header: FLACFrameHeader, end: Int)? {
            var offset = count - 2
            while offset >= 0 {
                if startsFrame(at: offset, numbersSamples: numbersSamples),
                    let frame = decoder.measureFrame(in: base, at: offset, validBytes: count),
                    frame.header.numbersSamples == numbersSamples
                {
                    return frame
                }
                offset -= 1
            }
            return nil
        }
    }
}
