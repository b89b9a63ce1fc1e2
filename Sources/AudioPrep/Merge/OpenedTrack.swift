/// One input file of a merge, opened once: its facts for the manifest and the plan.
struct OpenedFile {
    /// How the file is named in the manifest, the tags and messages (`MergeTrack.File.name`).
    var path: String
    var info: AudioInfo?
    /// The rate and channel count its decoder delivers.
    var format: PCMFormat
    /// The length its reader announced (what the plan is built from).
    var frames: Int64
    var sizeBytes: Int64
    /// Its first frame on the container timeline, offset included (nil: no container timestamps).
    var startNanoseconds: Int64?
    var offsetNanoseconds: Int64
    /// The Twilio recording it is, when the caller said.
    var recording: MergeTrack.Recording?
}

/// One stream of a channel: a file as it is, or files that do not overlap laid on one timeline
/// by `TimelineSequenceSource`. A channel with several streams mixes them.
struct OpenedStream {
    var source: any PCMSource
    /// The announced length of `source`, inside `AudioLimits`.
    var frames: Int64
    /// The container start time of the stream's first frame (nil: no container timestamps).
    var startNanoseconds: Int64?
    /// The files' names, for messages.
    var path: String
}

/// One output channel's input, opened and measured before anything is decoded: its files, and
/// the streams they form (`ChannelStreams`).
struct OpenedTrack {
    var files: [OpenedFile]
    /// One stream, or several to be mixed.
    var streams: [OpenedStream]
    /// The container start time of the channel's first frame: the earliest stream's (nil: no
    /// container timestamps).
    var startNanoseconds: Int64?
    /// The files' names, for messages.
    var path: String

    /// Whether the channel sums several streams.
    var isMix: Bool { streams.count > 1 }

    /// Opens channel `channel`'s recordings with `reader`, refusing what a merge cannot use
    /// (no channels, a rate below `minimumInputRate`, an unknown length, numbers outside
    /// `AudioLimits`, a start time plus offset beyond Int64), and groups them into streams.
    static func open(
        _ track: MergeTrack, channel: Int, reader: MergeInputReader, minimumInputRate: Int
    ) throws(AudioPrepError) -> OpenedTrack {
        var files: [OpenedFile] = []
        var sources: [any PCMSource] = []
        for file in track.files {
            let (source, info, frames) = try openFile(file.path, channel: channel, reader: reader, minimumInputRate: minimumInputRate)
            let timestamped = source as? any TimestampedPCMSource
            let start = try timestamped.map { (timestamped) throws(AudioPrepError) in
                try CheckedArithmetic.sum(
                    timestamped.startTimeNanoseconds, file.offsetNanoseconds,
                    else: AudioPrepError(
                        .invalidArgument, path: file.path,
                        "its start time (\(timestamped.startTimeNanoseconds) ns) plus its offset (\(file.offsetNanoseconds) ns) is beyond any representable time; the timestamps or the offset are damaged. Check the offsets in the Recordings list and the file with `callprep probe`."))
            }
            files.append(OpenedFile(
                path: file.name, info: info, format: source.format, frames: frames, sizeBytes: try FileDigest.size(path: file.path),
                startNanoseconds: start, offsetNanoseconds: file.offsetNanoseconds, recording: file.recording))
            sources.append(source)
        }
        let label = track.files.map(\.name).joined(separator: ",")
        if track.files.count == 1, track.files[0].offsetNanoseconds == 0 {
            let stream = OpenedStream(source: sources[0], frames: files[0].frames, startNanoseconds: files[0].startNanoseconds, path: label)
            return OpenedTrack(files: files, streams: [stream], startNanoseconds: stream.startNanoseconds, path: label)
        }
        var parts: [TimelineSequenceSource.Part] = []
        for (file, source) in zip(track.files, sources) {
            guard let timestamped = source as? any TimestampedPCMSource else {
                throw AudioPrepError(
                    .invalidArgument, path: file.path,
                    "channel \(channel) has several recordings (or an offset from the Recordings list), so each must carry container timestamps, and this file has none. Only Matroska/WebM recordings do; merge others with one file per channel and --offset.")
            }
            parts.append(.init(source: timestamped, offsetNanoseconds: file.offsetNanoseconds, label: file.name))
        }
        var streams: [OpenedStream] = []
        // One person is one identity: a participant who reconnected under a new PA… SID keeps
        // one stream (a mix only where recordings overlap).
        let people = track.files.map { $0.recording.flatMap { $0.identity ?? $0.participantSID } }
        for group in ChannelStreams.group(parts, participants: people) {
            streams.append(try stream(of: group.map { parts[$0] }))
        }
        return OpenedTrack(files: files, streams: streams, startNanoseconds: streams.compactMap(\.startNanoseconds).min(), path: label)
    }

    /// One stream from parts that do not overlap: a lone part without an offset as it is,
    /// others laid on one timeline.
    private static func stream(of parts: [TimelineSequenceSource.Part]) throws(AudioPrepError) -> OpenedStream {
        let label = parts.map(\.label).joined(separator: ",")
        if parts.count == 1, parts[0].offsetNanoseconds == 0, let frames = parts[0].source.frameCount {
            return OpenedStream(source: parts[0].source, frames: frames, startNanoseconds: parts[0].source.startTimeNanoseconds, path: label)
        }
        let sequence = try TimelineSequenceSource(parts: parts)
        // Gaps between recordings add to the length: the whole stream must stay inside the limits too.
        try AudioLimits.check(
            sampleRate: sequence.format.sampleRate, channels: sequence.format.channels, frames: sequence.frameCount ?? 0, path: label)
        return OpenedStream(source: sequence, frames: sequence.frameCount ?? 0, startNanoseconds: sequence.startTimeNanoseconds, path: label)
    }

    private static func openFile(
        _ path: String, channel: Int, reader: MergeInputReader, minimumInputRate: Int
    ) throws(AudioPrepError) -> (any PCMSource, AudioInfo?, Int64) {
        let input = try reader.open(path)
        let info: AudioInfo? = input.info
        let source = input.source
        let format = source.format
        guard format.channels >= 1 else {
            throw AudioPrepError(.corruptFile, path: path, "track \(channel) reports no audio channels. Check the file with `callprep probe`.")
        }
        guard format.sampleRate >= minimumInputRate else {
            throw AudioPrepError(
                .outOfLimits, path: path,
                "track \(channel) is sampled at \(format.sampleRate) Hz, below the \(minimumInputRate) Hz Intelligence needs. Use a recording of at least 8 kHz.")
        }
        guard let frames = source.frameCount ?? info?.frames, frames >= 0 else {
            throw AudioPrepError(
                .unsupportedFormat, path: path,
                "the length of track \(channel) cannot be established before decoding. Convert it to WAV or FLAC first.")
        }
        // A caller's reader is untrusted like a file: its numbers must be inside AudioLimits.
        try AudioLimits.check(sampleRate: format.sampleRate, channels: format.channels, frames: frames, path: path)
        return (source, info, frames)
    }
}
