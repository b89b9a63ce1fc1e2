/// Decoded audio of one Matroska/WebM audio track (Opus, G.711 μ-law/A-law), timestamp-true.
///
/// Every block is placed at its own timestamp: a gap between blocks (mute, DTX, packet loss,
/// a paused recording) becomes digital silence of the gap's length; Opus pre-skip and Matroska
/// CodecDelay are honoured so the first real sample sits at its timestamp; DiscardPadding trims
/// the end. The track's length is therefore the end of its last block, exactly as
/// `MatroskaProbe` reports it, and `frameCount` is known before the first read.
///
/// `MatroskaReader` scans the block headers once (no decoding) to establish that length; the
/// source reuses that parse and decodes block by block in constant memory.
public final class MatroskaAudioSource: TimestampedPCMSource {
    /// 48 kHz for Opus (its native rate), the declared rate for G.711; the track's channels.
    public let format: PCMFormat
    /// Always known: the end of the last block, from the scan made when opening.
    public let frameCount: Int64?
    /// The timeline established when opening (start, exact length, gaps).
    public let timeline: TrackTimeline
    /// The time of the first delivered frame on the file's timeline, in nanoseconds.
    public var startTimeNanoseconds: Int64 { timeline.startTimeNanoseconds }
    /// The track being decoded.
    public let track: MatroskaTrack

    private var walker: MatroskaTimelineWalker
    private var preSkipRemaining: Int64
    /// The current block's decoded audio, and the silence before it.
    private var queue: PendingPCM
    private var decodeBuffer: [Float] = []
    private var remaining: Int64
    private let path: String

    /// Opens `path` and selects its first audio track (or track `trackNumber`).
    public convenience init(path: String, trackNumber: UInt64? = nil) throws(AudioPrepError) {
        try self.init(reader: MatroskaReader(path: path, trackNumber: trackNumber))
    }

    /// Decodes the track a reader selected, reusing its parse and block scan.
    init(reader: MatroskaReader) throws(AudioPrepError) {
        let decoder = try MatroskaCodecSetup.makeDecoder(for: reader.report.track, path: reader.path)
        self.walker = MatroskaTimelineWalker(file: reader.file, layout: reader.layout, track: reader.report.track, decoder: decoder)
        self.timeline = reader.report.timeline
        self.track = reader.report.track
        self.format = PCMFormat(sampleRate: decoder.sampleRate, channels: decoder.channels)
        self.queue = PendingPCM(channels: decoder.channels)
        self.frameCount = timeline.frames
        self.remaining = timeline.frames
        self.preSkipRemaining = Int64(decoder.preSkip)
        self.path = reader.path
    }

    /// Delivers the next frames: silence for gaps, decoded blocks (`opus_decode_float` or the
    /// G.711 table) for audio. Returns 0 after exactly `frameCount` frames.
    public func read(into buffer: UnsafeMutableBufferPointer<Float>) throws(AudioPrepError) -> Int {
        let channels = format.channels
        let capacity = Int(min(Int64(buffer.count / channels), remaining))
        var written = 0
        while written < capacity {
            written += queue.drain(into: buffer.baseAddress!.advanced(by: written * channels), capacity: capacity - written)
            if written == capacity { break }
            guard try fetchBlock() else { break }
        }
        remaining -= Int64(written)
        return written
    }

    /// Decodes the next block into `queue.samples` (after silence, overlap and pre-skip trimming).
    /// Returns false at the end of the track.
    private func fetchBlock() throws(AudioPrepError) -> Bool {
        guard let block = try walker.next() else { return false }
        let channels = format.channels
        var silence = block.silenceBefore
        let skipSilence = min(silence, preSkipRemaining)
        silence -= skipSilence
        preSkipRemaining -= skipSilence
        queue.silenceFrames += silence

        decodeBuffer.removeAll(keepingCapacity: true)
        for packet in block.packets { _ = try walker.decoder.decode(packet, appendingTo: &decodeBuffer) }
        var first = block.dropFromStart
        var keep = block.keepFrames
        let skipSamples = min(keep, preSkipRemaining)
        first += skipSamples
        keep -= skipSamples
        preSkipRemaining -= skipSamples
        guard (first + keep) * Int64(channels) <= Int64(decodeBuffer.count) else {
            throw AudioPrepError(.internalError, path: path, "a block decoded to fewer frames than its header declares; please report this file.")
        }
        queue.resetSamples()
        queue.samples.append(contentsOf: decodeBuffer[Int(first) * channels..<Int(first + keep) * channels])
        return true
    }
}
