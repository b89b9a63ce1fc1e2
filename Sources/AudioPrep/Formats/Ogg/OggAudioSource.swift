/// Produces a decoded Ogg stream's samples in pieces: a packet at a time (Opus, Vorbis) or a
/// run of FLAC frames.
protocol OggSampleProducer: AnyObject {
    /// Appends the next decoded interleaved samples to `samples`; returns false at the end of
    /// the stream (having appended nothing).
    func produce(appendingTo samples: inout [Float]) throws(AudioPrepError) -> Bool
}

/// The PCM of one Ogg audio stream: what its decoder yields, less the Opus pre-skip at the
/// start, ending where the stream's last granule says (RFC 7845 §4.4 end trimming; Vorbis and
/// FLAC likewise end at the last granule).
///
/// `frameCount` is `OggReader`'s length. Should the packets decode to fewer frames (pages lost
/// to damage between the header and the tail), the source fails with `.decodeFailed` once the
/// decodable audio is delivered, instead of delivering a silently shorter stream.
final class OggAudioSource: PCMSource {
    let format: PCMFormat
    let frameCount: Int64?
    private let producer: any OggSampleProducer
    private let path: String
    /// Frames still to drop from the start (the Opus pre-skip).
    private var skip: Int
    private var delivered: Int64 = 0
    private var pending: [Float] = []
    private var pendingStart = 0
    private var ended = false

    /// `limit` is the number of frames to deliver (nil: everything the decoder yields, to count it).
    init(producer: any OggSampleProducer, format: PCMFormat, skip: Int, limit: Int64?, path: String) {
        self.producer = producer
        self.format = format
        self.skip = skip
        self.frameCount = limit
        self.path = path
    }

    func read(into buffer: UnsafeMutableBufferPointer<Float>) throws(AudioPrepError) -> Int {
        let channels = format.channels
        var wanted = buffer.count / channels
        if let limit = frameCount { wanted = Int(min(Int64(wanted), limit - delivered)) }
        guard wanted > 0 else { return 0 }
        while (pending.count - pendingStart) / channels == 0 || skip > 0 {
            if ended { break }
            if pendingStart > 0 {
                pending.removeSubrange(0..<pendingStart)
                pendingStart = 0
            }
            if !(try producer.produce(appendingTo: &pending)) {
                ended = true
                break
            }
            if skip > 0 {
                let dropped = min(skip, pending.count / channels)
                pending.removeSubrange(0..<(dropped * channels))
                skip -= dropped
            }
        }
        let available = (pending.count - pendingStart) / channels
        if available == 0 {
            if let limit = frameCount, delivered < limit {
                throw AudioPrepError(
                    .decodeFailed, path: path,
                    "the Ogg stream decodes to \(delivered) frames where its pages promise \(limit); pages inside it are damaged or missing. Re-export or re-download it.")
            }
            return 0
        }
        let count = min(wanted, available)
        pending.withUnsafeBufferPointer { source in
            let from = source.baseAddress! + pendingStart
            buffer.baseAddress!.update(from: from, count: count * channels)
        }
        pendingStart += count * channels
        delivered += Int64(count)
        return count
    }
}

/// Opus or Vorbis packets through their decoder.
final class OggPacketSamples: OggSampleProducer {
    private var packets: OggPacketReader
    private let decode: (_ packet: [UInt8], _ samples: inout [Float]) throws(AudioPrepError) -> Int

    init(packets: OggPacketReader, decode: @escaping (_ packet: [UInt8], _ samples: inout [Float]) throws(AudioPrepError) -> Int) {
        self.packets = packets
        self.decode = decode
    }

    func produce(appendingTo samples: inout [Float]) throws(AudioPrepError) -> Bool {
        guard let packet = try packets.next() else { return false }
        _ = try decode(packet, &samples)
        return true
    }
}

/// FLAC-in-Ogg: the packets are FLAC frames, decoded by callprep's FLAC frame decoder.
final class OggFLACSamples: OggSampleProducer {
    private let decoder: NativeFLACDecoder
    private let channels: Int

    init(packets: OggPacketReader, info: FLACStreamInfo, firstFrame: [UInt8]?, path: String) {
        channels = info.channels
        var streamInfo = info
        // Decode every frame present; the granule, not STREAMINFO, ends the stream.
        streamInfo.totalFrames = 0
        decoder = NativeFLACDecoder(
            path: path, info: streamInfo, input: OggFLACFrameBytes(packets: packets, firstFrame: firstFrame ?? []))
    }

    func produce(appendingTo samples: inout [Float]) throws(AudioPrepError) -> Bool {
        let frames = 4096
        let start = samples.count
        samples.append(contentsOf: repeatElement(0, count: frames * channels))
        let decoder = self.decoder
        let result = samples.withUnsafeMutableBufferPointer { buffer in
            Result { () throws(AudioPrepError) -> Int in try decoder.decode(into: buffer.baseAddress! + start, frames: frames) }
        }
        let decoded: Int
        do {
            decoded = try result.get()
        } catch {
            samples.removeSubrange(start...)
            throw error
        }
        samples.removeSubrange((start + decoded * channels)...)
        return decoded > 0
    }
}

/// The bytes of FLAC-in-Ogg frames, one packet after the other, for `NativeFLACDecoder`.
final class OggFLACFrameBytes: FLACFrameByteSource {
    private var packets: OggPacketReader
    private var current: [UInt8]
    private var position = 0

    init(packets: OggPacketReader, firstFrame: [UInt8]) {
        self.packets = packets
        self.current = firstFrame
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(AudioPrepError) -> Int {
        var written = 0
        while written < buffer.count {
            if position == current.count {
                guard let next = try packets.next() else { break }
                current = next
                position = 0
                continue
            }
            let count = min(buffer.count - written, current.count - position)
            current.withUnsafeBytes { source in
                (buffer.baseAddress! + written).copyMemory(from: source.baseAddress! + position, byteCount: count)
            }
            position += count
            written += count
        }
        return written
    }
}
