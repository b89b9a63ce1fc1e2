/// A FLAC stream that begins inside a file, after another stream's frames: what
/// `cat a.flac b.flac > c.flac` makes (each file's "fLaC" marker and metadata in the middle).
struct FLACJoinedStream: Equatable {
    /// Where its "fLaC" marker is (the end of the stream before it).
    var markerOffset: Int64
    /// Its STREAMINFO.
    var info: FLACStreamInfo
    /// Where its first frame starts, after its metadata blocks.
    var firstFrameOffset: Int64
}

/// Finds the FLAC streams joined after the first one.
///
/// Finding them means reading every byte after the first stream's metadata, so it is done only
/// when cheap facts say the frames cannot all be one stream (`mayHoldAnotherStream`).
enum FLACJoinedStreams {
    /// Whether the frames from `firstFrameOffset` on could belong to more than one stream: the
    /// last intact frame's end (`extent`) disagrees with STREAMINFO's total (`declared`, 0 when
    /// unknown), or the frames found at seven evenly spaced byte offsets do not number samples
    /// in increasing order below that end (in one stream, a later frame always starts later).
    /// Seven small reads; a stream joined to a copy of itself is caught by the numbering going
    /// back at the join.
    static func mayHoldAnotherStream(
        _ file: BinaryFileReader, firstFrameOffset: Int64, extent: FLACStreamExtent, declared: Int64, decoder: NativeFLACDecoder
    ) throws(AudioPrepError) -> Bool {
        if declared != extent.frames { return true }
        var previous = extent.firstSample
        let span = file.size - firstFrameOffset
        for eighth in Int64(1)...7 {
            let offset = firstFrameOffset + span / 8 * eighth
            guard let position = try FLACStreamExtent.position(
                ofFrameAfter: offset, end: file.size, in: file, firstFrameOffset: firstFrameOffset, decoder: decoder)
            else { continue }
            if position < previous || position >= extent.endSample { return true }
            previous = position
        }
        return false
    }

    /// The streams that begin after `offset`: each "fLaC" marker followed by a STREAMINFO block
    /// whose fields are possible, metadata blocks that end inside the file, and a frame sync
    /// code where they end. Reads the file from `offset` to its end in 1 MiB pieces.
    static func scan(_ file: BinaryFileReader, from offset: Int64) throws(AudioPrepError) -> [FLACJoinedStream] {
        var found: [FLACJoinedStream] = []
        var position = max(0, offset)
        let step = 1024 * 1024
        while position < file.size {
            let chunk = try file.bytes(at: position, count: step + 3)
            guard chunk.count >= 4 else { break }
            var next = position + Int64(step)
            var i = 0
            while i <= chunk.count - 4 {
                if chunk[i] == 0x66, chunk[i + 1] == 0x4C, chunk[i + 2] == 0x61, chunk[i + 3] == 0x43,
                    let stream = try stream(file, marker: position + Int64(i))
                {
                    found.append(stream)
                    next = stream.firstFrameOffset
                    break
                }
                i += 1
            }
            position = next
        }
        return found
    }

    /// The stream whose "fLaC" marker is at `marker`, if a whole, plausible header follows it.
    private static func stream(_ file: BinaryFileReader, marker: Int64) throws(AudioPrepError) -> FLACJoinedStream? {
        let head = try file.bytes(at: marker, count: 8 + 34)
        guard head.count == 42, head[4] & 0x7F == 0, head[5] == 0, head[6] == 0, head[7] == 34,
            let info = FLACStreamInfo(streamInfoBody: head[8...])
        else { return nil }
        // The metadata blocks: at most 128 of them (a file has a handful), each inside the file.
        var position = marker + 4
        var last = false
        var blocks = 0
        while !last {
            let header = try file.bytes(at: position, count: 4)
            guard header.count == 4, blocks < 128 else { return nil }
            last = header[0] & 0x80 != 0
            let length = Int64(header[1]) << 16 | Int64(header[2]) << 8 | Int64(header[3])
            position += 4 + length
            blocks += 1
            guard position < file.size else { return nil }
        }
        let sync = try file.bytes(at: position, count: 2)
        guard sync.count == 2, sync[0] == 0xFF, sync[1] & 0xFE == 0xF8 else { return nil }
        return FLACJoinedStream(markerOffset: marker, info: info, firstFrameOffset: position)
    }
}

extension FLACStreamInfo {
    /// Reads a 34-byte STREAMINFO body (RFC 9639 §8.2): nil when its rate is 0, its sample size
    /// is outside the 4…32 bits the format allows (the decoders are built for that range), or its
    /// block sizes are below the format's 16.
    init?(streamInfoBody body: ArraySlice<UInt8>) {
        guard body.count >= 34 else { return nil }
        let b = Array(body.prefix(34))
        let minBlock = Int(b[0]) << 8 | Int(b[1])
        let maxBlock = Int(b[2]) << 8 | Int(b[3])
        let rate = Int(b[10]) << 12 | Int(b[11]) << 4 | Int(b[12]) >> 4
        let channels = Int((b[12] >> 1) & 0x07) + 1
        let bits = Int((b[12] & 0x01) << 4 | b[13] >> 4) + 1
        var total = Int64(b[13] & 0x0F)
        for i in 14..<18 { total = total << 8 | Int64(b[i]) }
        guard rate > 0, (4...32).contains(bits), minBlock >= 16, maxBlock >= minBlock else { return nil }
        self.init(sampleRate: rate, channels: channels, bitsPerSample: bits, totalFrames: total)
    }
}
