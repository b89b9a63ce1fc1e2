/// Reads Matroska/WebM (Twilio Video track recordings and WebM compositions).
///
/// Opening parses the segment layout and walks the chosen audio track's block headers once: the
/// length comes from the block timestamps (not the rounded, optional Duration field), counted to
/// the end of the last block — exactly what `MatroskaAudioSource`, built from the same parse,
/// delivers.
final class MatroskaReader: AudioFileReader {
    /// The facts, the track and its timeline (what `MatroskaProbe.inspect` returns).
    let report: MatroskaProbe.Report
    var info: AudioInfo { report.info }
    let path: String
    let file: ContainerByteReader
    let layout: MatroskaSegmentLayout

    /// Opens `path` and scans its first audio track (or track `trackNumber`).
    ///
    /// A track in a codec callprep cannot decode (AAC, Vorbis) is reported with its codec name
    /// and zero frames, as its length cannot be established without decoding.
    init(path: String, trackNumber: UInt64? = nil) throws(AudioPrepError) {
        self.path = path
        file = try ContainerByteReader(path: path)
        layout = try MatroskaLayoutParser(file: file).parse()
        let track = try MatroskaCodecSetup.selectTrack(layout, number: trackNumber, path: path)
        let container: Container = layout.docType == "webm" ? .webm : .matroska
        guard let codec = MatroskaCodecSetup.codecName(of: track) else {
            throw AudioPrepError(
                .unsupportedFormat, path: path,
                "is Matroska with an audio track in \(track.codecID), which callprep does not read. Convert it: ffmpeg -i IN -c:a libopus OUT.mka")
        }
        let decoder: any MatroskaPacketDecoder
        do {
            decoder = try MatroskaCodecSetup.makeDecoder(for: track, path: path)
        } catch let error where error.code == .unsupportedFormat && (codec == "aac" || codec == "vorbis") {
            // SamplingFrequency is a float from the file: NaN, infinite or absurd becomes 0,
            // which AudioLimits refuses (never a trap in the conversion to Int).
            let frequency = track.samplingFrequency
            let rate = frequency.isFinite && frequency > 0 && frequency < 10_000_000 ? Int(frequency.rounded()) : 0
            let info = AudioInfo(
                container: container, codec: codec, sampleRate: rate, channels: track.channels,
                frames: 0, bitsPerSample: nil, sizeBytes: file.size, lengthSource: .timestamps)
            let timeline = TrackTimeline(
                startTimeNanoseconds: 0, frames: 0, sampleRate: rate, blocks: 0, gaps: 0, gapFrames: 0,
                overlapFramesDropped: 0, preSkipFrames: 0)
            report = .init(info: info, track: track, timeline: timeline, allTracks: layout.tracks)
            return
        }
        var walker = MatroskaTimelineWalker(file: file, layout: layout, track: track, decoder: decoder)
        while try walker.next() != nil {}
        let timeline = walker.timeline
        var info = AudioInfo(
            container: container, codec: codec, sampleRate: decoder.sampleRate, channels: decoder.channels,
            frames: timeline.frames, bitsPerSample: codec == "opus" ? nil : 8, sizeBytes: file.size,
            lengthSource: .timestamps)
        info.notes = TimelineNotes.notes(for: timeline)
        info.startTimeNanoseconds = timeline.startTimeNanoseconds
        report = .init(info: info, track: track, timeline: timeline, allTracks: layout.tracks)
    }

    func makeSource() throws(AudioPrepError) -> any PCMSource {
        try MatroskaAudioSource(reader: self)
    }
}
