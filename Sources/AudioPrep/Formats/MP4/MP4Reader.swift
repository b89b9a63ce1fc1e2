/// Reads MP4/M4A (Twilio Video MP4 compositions, AAC recordings, Opus in MP4), plain or
/// fragmented.
///
/// Opening parses the movie (`moov`) once and walks the audio track's samples once (sample
/// tables and `moof` fragments, no media data): the length is what the decoder delivers, the
/// way ffmpeg counts it — from the edit list's media time (the priming it hides; Opus pre-skip
/// without an edit list) to the end of the last packet the edit list presents, that packet
/// decoded in full. `makeSource()` decodes from the same open file and parse (AAC with the
/// `AAC` trait, Opus always); other codecs are probed and refused for decoding.
final class MP4Reader: AudioFileReader {
    /// The facts, the track and its timeline (what `MP4Probe.inspect` returns).
    let report: MP4Probe.Report
    var info: AudioInfo { report.info }
    let path: String
    let file: ContainerByteReader
    let movie: MP4Movie
    var track: MP4Track { report.track }

    /// Opens `path`, parses its movie and scans its first audio track.
    init(path: String) throws(AudioPrepError) {
        self.path = path
        let file = try ContainerByteReader(path: path)
        let movie = try MP4MovieParser(file: file).parse()
        self.file = file
        self.movie = movie
        guard let track = movie.tracks.first(where: { $0.isAudio }) else {
            throw AudioPrepError(.unsupportedFormat, path: path, "is an MP4 file without an audio track; pass a file with audio (for Twilio compositions: an audio composition).")
        }
        guard let entry = track.sampleEntry else {
            throw file.corrupt("the audio track has no sample description ('stsd')")
        }
        guard track.mediaTimescale > 0 else { throw file.corrupt("the audio track has no media timescale ('mdhd')") }
        try track.sampleTable.validate(file: file)

        let window = try MP4EditWindow(
            edits: track.edits, movieTimescale: movie.movieTimescale, mediaTimescale: track.mediaTimescale, file: file)
        var samples = MP4SampleSequence(file: file, movie: movie, track: track)
        let scan = try MP4TrackScan(&samples, presentedEnd: window.presentedEnd, fileSize: file.size)
        var rate = entry.outputSampleRate
        var channels = entry.outputChannels
        // MP3 has no codec configuration in the sample entry, whose channel field ffmpeg writes
        // as 2 even for mono: the first packet's frame header says what the decoder delivers.
        if entry.codecName == "mp3", let first = scan.firstSample,
            let header = MP3FrameHeader(try MP4PacketReader.data(of: first, in: file).prefix(4))
        {
            rate = header.sampleRate
            channels = header.channels
        }
        guard rate > 0, rate <= 768_000, channels > 0 else {
            throw file.corrupt("the audio track declares \(channels) channels at \(rate) Hz")
        }
        func media(_ frames: Int, atRate frameRate: Int) throws(AudioPrepError) -> Int64 {
            try MP4Probe.rescale(Int64(frames), track.mediaTimescale, Int64(frameRate), file: file)
        }
        // Without an edit list, ffmpeg (and the Opus mapping) skip Opus's pre-skip; AAC's
        // priming is then decoded and kept.
        var presentedStart = scan.mediaStart + (try media(entry.opus?.preSkip ?? 0, atRate: 48_000))
        if let start = window.presentedStart { presentedStart = start }
        guard presentedStart >= scan.mediaStart, presentedStart <= max(scan.mediaEnd, scan.mediaStart) else {
            throw file.corrupt("an edit starts at media time \(presentedStart), outside the track's media (\(scan.mediaStart)…\(scan.mediaEnd))")
        }
        var presentedEnd = presentedStart
        if let last = scan.lastPresented {
            presentedEnd = max(presentedStart, last.decodeTime + (try Self.decodedDuration(of: last, entry: entry, track: track, file: file)))
        }
        func toFrames(_ media: Int64) throws(AudioPrepError) -> Int64 {
            try MP4Probe.rescale(media, Int64(rate), track.mediaTimescale, file: file)
        }
        let timeline = TrackTimeline(
            startTimeNanoseconds: try MP4Probe.rescale(window.delay, 1_000_000_000, movie.movieTimescale, file: file),
            frames: try toFrames(presentedEnd - presentedStart), sampleRate: rate, blocks: scan.presentedSamples,
            gaps: scan.gaps, gapFrames: try toFrames(scan.gapDuration), overlapFramesDropped: 0,
            preSkipFrames: try toFrames(presentedStart - scan.mediaStart))
        var info = AudioInfo(
            container: .mp4, codec: entry.codecName, sampleRate: rate, channels: channels, frames: timeline.frames,
            bitsPerSample: nil, sizeBytes: file.size, lengthSource: .timestamps)
        info.notes = TimelineNotes.notes(for: timeline)
        if let cut = scan.cutSample {
            let box = movie.cutBox.map { " (its '\($0.type)' box claims \($0.missingBytes) bytes more than the file holds)" } ?? ""
            info.notes.append(.truncatedStream(
                "the file ends at byte \(file.size), inside audio packet \(cut.index + 1) of the MP4 track, which needs bytes \(cut.sample.offset)…\(cut.sample.offset + Int64(cut.sample.size))\(box); the \(cut.index) packets before it are used"))
        }
        info.startTimeNanoseconds = timeline.startTimeNanoseconds
        #if !AAC
        if entry.codecName == "aac" {
            info.notes.append(.init(
                code: "aac_not_decodable",
                message: "this build does not decode AAC (libfaad2 is GPL-2+ and is not in the default build), so merge cannot read this file; convert it first (ffmpeg -i IN -c:a pcm_s16le OUT.wav) or use a callprep built with AAC (\(MP4Probe.enableAACCommand); the binary is then GPL-2+)"))
        }
        #endif
        report = MP4Probe.Report(info: info, track: track, timeline: timeline, majorBrand: movie.majorBrand, isFragmented: movie.isFragmented)
    }

    /// The decoded audio of the track, from this reader's open file and parse.
    func makeSource() throws(AudioPrepError) -> any PCMSource {
        try MP4AudioSource(reader: self)
    }

    /// How long `sample` lasts once decoded, in media timescale units: a whole AAC access unit
    /// (1024 or 960 core frames) or the Opus packet's duration from its TOC byte, whatever the
    /// time-to-sample table says (muxers shorten the last packet's entry to the real audio, but
    /// decoders — ffmpeg's too — deliver the whole packet); other codecs' packets last their entry.
    private static func decodedDuration(
        of sample: MP4SampleTable.Sample, entry: MP4AudioSampleEntry, track: MP4Track, file: ContainerByteReader
    ) throws(AudioPrepError) -> Int64 {
        if entry.codecName == "aac", let config = entry.audioSpecificConfig {
            return try MP4Probe.rescale(Int64(config.framesPerPacket), track.mediaTimescale, Int64(config.sampleRate), file: file)
        }
        if entry.codecName == "opus" {
            let packet = try MP4PacketReader.data(of: sample, in: file)
            let frames = try OpusPacketDecoder.frameCount(of: packet, path: file.path)
            return try MP4Probe.rescale(Int64(frames), track.mediaTimescale, 48_000, file: file)
        }
        return sample.duration
    }
}
