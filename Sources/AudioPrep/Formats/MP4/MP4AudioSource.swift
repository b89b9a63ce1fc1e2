/// Decoded audio of an MP4/M4A file's first audio track (Twilio Video MP4 compositions and
/// recordings), placed on the movie timeline by its edit list: Opus with libopus, and AAC with
/// libfaad2 in builds with the package trait `AAC` (libfaad2 is GPL-2.0-or-later).
///
/// The edit list decides what is heard: a leading empty edit is the track's start time
/// (`startTimeNanoseconds`), the first media edit's media time skips the encoder's priming
/// samples (without an edit list, Opus's pre-skip), and the packets the edits present are
/// decoded in full, so the length is exactly the `MP4Reader` frame count and known before the
/// first read. Packets are read from the sample tables or `moof` fragments one at a time,
/// through the reader's open file, in constant memory. A gap between fragments (a later
/// `tfdt`) becomes silence, as the probe counts it.
///
/// Each packet's output is placed at the packet's own decode time (converted to output frames),
/// not after the previous output: libfaad2 returns nothing for the first access unit (its
/// output would be the encoder's priming overlap), so the first decoded frames belong at the
/// second packet's time. What the edit list presents before the first decoded frame (only
/// possible when it shows the priming) is silence.
public final class MP4AudioSource: TimestampedPCMSource {
    /// The output rate (the SBR rate for HE-AAC, 48 kHz for Opus) and channel count, as probed.
    public let format: PCMFormat
    /// Always known: the duration the edit list presents, in frames.
    public let frameCount: Int64?
    /// Start on the movie timeline, exact length, priming skipped (`preSkipFrames`).
    public let timeline: TrackTimeline
    /// The time of the first delivered frame on the movie timeline, in nanoseconds.
    public var startTimeNanoseconds: Int64 { timeline.startTimeNanoseconds }

    private var packets: MP4PacketReader
    private let decoder: any MP4PacketDecoder
    /// The media position, in output frames, of the next frame to deliver; set from the first
    /// packet's decode time (a fragmented file's media may start after 0) plus the priming.
    private var cursor: Int64?
    private let mediaTimescale: Int64
    private var remaining: Int64
    /// The current block's decoded audio, and the silence before it.
    private var queue: PendingPCM
    private let path: String

    /// Opens `path` and prepares the decoder for its first audio track (plain or fragmented
    /// MP4). Throws for codecs callprep does not decode in MP4.
    public convenience init(path: String) throws(AudioPrepError) {
        try self.init(reader: MP4Reader(path: path))
    }

    /// Decodes the track a reader selected, reusing its open file, parse and length.
    init(reader: MP4Reader) throws(AudioPrepError) {
        let info = reader.info
        self.decoder = try reader.makeDecoder()
        self.packets = MP4PacketReader(reader: reader)
        self.format = PCMFormat(sampleRate: info.sampleRate, channels: info.channels)
        self.queue = PendingPCM(channels: info.channels)
        self.timeline = reader.report.timeline
        self.frameCount = timeline.frames
        self.remaining = timeline.frames
        self.mediaTimescale = reader.track.mediaTimescale
        self.path = reader.path
    }

    /// Delivers the next decoded frames, priming skipped; returns 0 after exactly `frameCount`.
    public func read(into buffer: UnsafeMutableBufferPointer<Float>) throws(AudioPrepError) -> Int {
        let channels = format.channels
        let capacity = Int(min(Int64(buffer.count / channels), remaining))
        var written = 0
        while written < capacity {
            written += queue.drain(into: buffer.baseAddress!.advanced(by: written * channels), capacity: capacity - written)
            if written == capacity { break }
            guard try decodeNextPacket() else {
                let delivered = timeline.frames - remaining + Int64(written)
                throw AudioPrepError(
                    .corruptFile, path: path,
                    "ends after \(delivered) decoded frames, but its packets promise \(timeline.frames); the file is truncated or damaged — re-download or re-export it.")
            }
        }
        remaining -= Int64(written)
        return written
    }

    /// Decodes the next packet into `queue.samples` and places it at its decode time: silence before
    /// it when it starts after the cursor, its head dropped when it starts before (priming).
    /// Returns false when the track has no more packets.
    private func decodeNextPacket() throws(AudioPrepError) -> Bool {
        guard let packet = try packets.next() else { return false }
        queue.resetSamples()
        let frames = Int64(try decoder.decode(packet.data, appendingTo: &queue.samples))
        let start = try outputFrames(packet.decodeTime)
        if cursor == nil { cursor = start + timeline.preSkipFrames }
        guard frames > 0, var cursor else { return true }
        defer { self.cursor = cursor }
        if start > cursor {
            queue.silenceFrames += start - cursor
            cursor = start
        }
        let skip = min(frames, cursor - start)
        queue.index = Int(skip) * format.channels
        cursor = max(cursor, start + frames)
        return true
    }

    /// A media time (media timescale units) as output frames, rounded to nearest.
    private func outputFrames(_ mediaTime: Int64) throws(AudioPrepError) -> Int64 {
        let (high, low) = mediaTime.multipliedFullWidth(by: Int64(format.sampleRate))
        guard mediaTime >= 0, high == 0, low < UInt64(Int64.max) - UInt64(mediaTimescale) else {
            throw AudioPrepError(.corruptFile, path: path, "has a packet at media time \(mediaTime), beyond any real recording; the file is damaged — re-download or re-export it.")
        }
        return (Int64(low) + mediaTimescale / 2) / mediaTimescale
    }
}
