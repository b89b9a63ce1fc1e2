#if AAC
/// Decoded AAC audio of an MP4/M4A file's first audio track (Twilio Video MP4 compositions and
/// recordings), placed on the movie timeline by its edit list. Only compiled with the package
/// trait `AAC`, because the decoder, libfaad2, is GPL-2.0-or-later.
///
/// The edit list decides what is heard: a leading empty edit is the track's start time
/// (`startTimeNanoseconds`), the first media edit's media time skips the encoder's priming
/// samples, and the edits' durations decide the length, which is therefore exactly the
/// `MP4Probe` frame count and known before the first read. Packets are read from the sample
/// tables or `moof` fragments one at a time and decoded with `NeAACDecDecode`, in constant
/// memory. A gap between fragments (a later `tfdt`) becomes silence, as the probe counts it.
///
/// Each packet's output is placed at the packet's own decode time (converted to output frames),
/// not after the previous output: libfaad2 returns nothing for the first access unit (its
/// output would be the encoder's priming overlap), so the first decoded frames belong at the
/// second packet's time. What the edit list presents before the first decoded frame (only
/// possible when it shows the priming) is silence.
public final class MP4AudioSource: TimestampedPCMSource {
    /// The AAC output rate (the SBR rate for HE-AAC) and channel count, as `MP4Probe` reports them.
    public let format: PCMFormat
    /// Always known: the duration the edit list presents, in frames.
    public let frameCount: Int64?
    /// Start on the movie timeline, exact length, priming skipped (`preSkipFrames`).
    public let timeline: TrackTimeline
    /// The time of the first delivered frame on the movie timeline, in nanoseconds.
    public var startTimeNanoseconds: Int64 { timeline.startTimeNanoseconds }

    private var packets: MP4PacketReader
    private let decoder: AACPacketDecoder
    /// The media position, in output frames, of the next frame to deliver; set from the first
    /// packet's decode time (a fragmented file's media may start after 0) plus the priming.
    private var cursor: Int64?
    private let mediaTimescale: Int64
    private var remaining: Int64
    /// The current block's decoded audio, and the silence before it.
    private var queue: PendingPCM
    private let path: String

    /// Opens `path`, probes its first audio track and prepares an AAC decoder from the `esds`
    /// AudioSpecificConfig (plain or fragmented MP4). Throws for other codecs.
    public init(path: String) throws(AudioPrepError) {
        let report = try MP4Probe.inspect(path: path)
        guard report.info.codec == "aac", let config = report.track.sampleEntry?.audioSpecificConfig else {
            throw AudioPrepError(
                .unsupportedFormat, path: path,
                "holds \(report.info.codec) audio in MP4, which callprep does not decode; convert it first: ffmpeg -i IN -c:a pcm_s16le OUT.wav")
        }
        self.packets = try MP4PacketReader(path: path)
        self.decoder = try AACPacketDecoder(
            config: config, expectedRate: report.info.sampleRate, expectedChannels: report.info.channels, path: path)
        self.format = PCMFormat(sampleRate: report.info.sampleRate, channels: report.info.channels)
        self.queue = PendingPCM(channels: report.info.channels)
        self.timeline = report.timeline
        self.frameCount = report.timeline.frames
        self.remaining = report.timeline.frames
        self.mediaTimescale = report.track.mediaTimescale
        self.path = path
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
                    "ends after \(delivered) decoded frames, but its edit list presents \(timeline.frames); the file is truncated or damaged — re-download or re-export it.")
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
#endif
