import Dispatch
import Foundation

/// Merges two per-participant tracks into one aligned, dual-channel, 16-bit FLAC file.
///
/// A configuration value goes in, a `MergeManifest` comes out. Per track: decode (any
/// `PCMSource`) → average to mono (`MonoDownmix`) → convert the rate with libsoxr if it differs
/// (`SoxrResampler`) → place on the timeline (`AlignmentPlan`, `ChannelTimeline`); then both
/// channels are quantized to 16 bits (`StereoQuantizer`: dither only where precision is lost) and
/// encoded on all cores (`FLACEncoder`) into an `AtomicOutputFile`, which appears complete or not
/// at all. Everything streams in blocks: memory does not grow with the length of the call.
///
/// Lengths are checked before decoding (Intelligence accepts 2 s to 8 h, inputs of 8 kHz or
/// more); an error or a cancellation removes the temporary output.
public final class Merger {
    public let configuration: MergeConfiguration
    private let reader: MergeInputReader
    /// Output frames handled per step: 16384 (≈ 1 s at 16 kHz).
    private let blockFrames = 16384

    public init(configuration: MergeConfiguration, reader: MergeInputReader = .standard) {
        self.configuration = configuration
        self.reader = reader
    }

    /// Runs the merge.
    ///
    /// - Parameters:
    ///   - cancellation: checked between blocks; when set, the merge stops with `.cancelled`.
    ///   - progress: called on the calling thread about every 0.1 s of output progress steps.
    public func run(
        cancellation: MergeCancellation = MergeCancellation(),
        progress: (MergeProgress) -> Void = { _ in }
    ) throws(AudioPrepError) -> MergeManifest {
        let started = DispatchTime.now()
        let config = configuration
        guard config.tracks.count == 2 else {
            throw AudioPrepError(.invalidArgument, "merge takes exactly two tracks (channel 1 and channel 2), not \(config.tracks.count).")
        }
        if let empty = config.tracks.firstIndex(where: { $0.files.isEmpty }) {
            throw AudioPrepError(.invalidArgument, "track \(empty + 1) has no files; give at least one recording per channel.")
        }
        let manifestPath = config.manifestPath ?? MergeManifest.path(forOutput: config.output)
        try checkOutputPaths(manifestPath: manifestPath)

        // Open and measure every track before decoding anything.
        var tracks: [OpenedTrack] = []
        for (index, track) in config.tracks.enumerated() {
            tracks.append(try open(track: track, channel: index + 1))
        }
        let outputRate: Int
        switch config.sampleRate {
        case .fixed(let rate): outputRate = rate
        case .highestInput: outputRate = tracks.map(\.source.format.sampleRate).max()!
        }
        guard outputRate >= config.minimumInputRate, outputRate <= 655_350 else {
            throw AudioPrepError(
                .invalidArgument,
                "an output rate of \(outputRate) Hz is outside what Intelligence and FLAC accept. Use --sample-rate 16000 (recommended) or 8000…655350.")
        }
        let contentFrames = tracks.map {
            SoxrResampler.expectedOutputFrames(inputFrames: $0.frames, inputRate: $0.source.format.sampleRate, outputRate: outputRate)
        }
        let plan = try AlignmentPlan(
            contentFrames: contentFrames, mode: config.alignment, sampleRate: outputRate,
            startNanoseconds: tracks.map(\.startNanoseconds))
        let duration = Double(plan.totalFrames) / Double(outputRate)
        if duration > config.maximumDuration {
            throw AudioPrepError(
                .outOfLimits, path: config.output,
                "the merged call would last \(formatDuration(duration)), more than Intelligence's limit of \(formatDuration(config.maximumDuration)). Split the call or check the offsets.")
        }
        if duration < config.minimumDuration {
            throw AudioPrepError(
                .outOfLimits, path: config.output,
                "the merged call would last \(String(format: "%.3f", duration)) s; Intelligence does not transcribe recordings shorter than \(Int(config.minimumDuration)) s. Check the inputs.")
        }

        // Hash the inputs on another core while merging.
        let allPaths = config.tracks.flatMap { $0.files.map(\.path) }
        let hashes = FileHashes(paths: allPaths)

        // Build each channel's pipeline.
        var timelines: [ChannelTimeline] = []
        for (index, track) in tracks.enumerated() {
            // The plan used the announced length: the decoder is held to it (never a silent cut).
            let planned = PlannedLengthSource(source: track.source, plannedFrames: track.frames, path: track.path, channel: index + 1)
            if track.frames == 0 { try planned.confirmEnd() }
            var stream: any MonoStream = MonoDownmix(source: planned, path: track.path)
            if track.source.format.sampleRate != outputRate {
                stream = try SoxrResampler(upstream: stream, outputRate: outputRate)
            }
            timelines.append(ChannelTimeline(stream: stream, placement: plan.placements[index], path: track.path))
        }
        let participants = (1...2).map { channel in
            var participant = config.participants.first { $0.channelParticipant == channel }
                ?? ChannelParticipant(channelParticipant: channel)
            if participant.role == nil { participant.role = ChannelParticipant.defaultRole(channel: channel) }
            return participant
        }

        let file = try AtomicOutputFile(destination: config.output, overwrite: config.overwrite)
        let settings = FLACStreamSettings(
            sampleRate: outputRate, totalFrames: plan.totalFrames, compressionLevel: config.compressionLevel,
            threads: config.encoderThreads, comments: vorbisComments(participants: participants, plan: plan, tracks: tracks),
            vendor: config.toolVersion)
        let encoder = try FLACEncoder(output: file, settings: settings)

        // Each channel's decode/resample runs on its own thread, a few blocks ahead.
        let channels = timelines.map { TrackPrefetcher(timeline: $0, blockFrames: blockFrames, totalFrames: plan.totalFrames) }
        timelines.removeAll()
        defer { channels.forEach { $0.stop() } }
        let interleaved = UnsafeMutableBufferPointer<Int16>.allocate(capacity: blockFrames * 2)
        defer { interleaved.deallocate() }
        var quantizer = StereoQuantizer()
        // The output's levels, measured as it is written, for the validate signal rules.
        var meter = SignalMeter(channels: 2)
        var done: Int64 = 0
        var lastReport = started.uptimeNanoseconds
        while done < plan.totalFrames {
            if cancellation.isCancelled {
                throw AudioPrepError(.cancelled, path: config.output, "the merge was cancelled; no output was written.")
            }
            let leftBlock = try channels[0].next()
            let rightBlock = try channels[1].next()
            let count = leftBlock.count
            quantizer.quantize(
                left: leftBlock.baseAddress!, right: rightBlock.baseAddress!, count: count, into: interleaved.baseAddress!)
            channels[0].recycle(leftBlock)
            channels[1].recycle(rightBlock)
            let block = UnsafeBufferPointer(rebasing: interleaved[0..<(2 * count)])
            meter.add(interleaved16: block, frames: count)
            try encoder.append(block)
            done += Int64(count)
            let now = DispatchTime.now().uptimeNanoseconds
            if now - lastReport >= 100_000_000 || done == plan.totalFrames {
                lastReport = now
                progress(MergeProgress(
                    framesDone: done, totalFrames: plan.totalFrames, sampleRate: outputRate,
                    elapsedSeconds: Double(now - started.uptimeNanoseconds) / 1e9))
            }
        }
        if cancellation.isCancelled {
            throw AudioPrepError(.cancelled, path: config.output, "the merge was cancelled; no output was written.")
        }
        let summary = try encoder.finish()
        // The output's SHA-256 is the one step left that reads the whole file; it runs on another
        // thread while this one waits for the disk (fsync) and validates the output.
        let outputHashing = FileHashes(paths: [file.temporaryPath])
        try file.flushToDisk()
        let validation = config.validateOutput
            ? MediaValidator().validate(path: file.temporaryPath, measuredSignal: meter.stats) : nil
        let outputHash = try outputHashing.wait()[0]
        let inputHashes = try hashes.wait()
        var fileEntries: [MergeManifest.Input] = []
        for (index, track) in tracks.enumerated() {
            let format = track.source.format
            for file in track.files {
                fileEntries.append(MergeManifest.Input(
                    channel: index + 1, path: file.path, sha256: inputHashes[fileEntries.count], sizeBytes: file.sizeBytes,
                    container: file.info?.container.rawValue, codec: file.info?.codec,
                    sampleRate: format.sampleRate, channels: format.channels,
                    frames: file.frames, durationSeconds: Double(file.frames) / Double(format.sampleRate),
                    bitsPerSample: file.info?.bitsPerSample, lengthSource: file.info?.lengthSource.rawValue,
                    downmixed: format.channels > 1, resampled: format.sampleRate != outputRate,
                    startTimeNanoseconds: file.startNanoseconds, offsetNanoseconds: file.offsetNanoseconds == 0 ? nil : file.offsetNanoseconds))
            }
        }

        var manifest = MergeManifest(
            tool: config.toolVersion, alignment: plan.resolvedMode, timelineOriginNanoseconds: plan.originNanoseconds,
            output: .init(
                path: config.outputLabel ?? config.output, format: "flac", sampleRate: outputRate, channels: 2, bitsPerSample: 16,
                frames: plan.totalFrames, durationSeconds: duration, sizeBytes: summary.bytes, sha256: outputHash,
                streamMD5: summary.md5),
            inputs: fileEntries,
            channels: plan.placements.enumerated().map { index, placement in
                MergeManifest.ChannelPlacement(
                    channel: index + 1, leadFrames: placement.lead, contentFrames: placement.content, tailFrames: placement.tail,
                    leadSeconds: Double(placement.lead) / Double(outputRate), tailSeconds: Double(placement.tail) / Double(outputRate),
                    startTimeNanoseconds: tracks[index].startNanoseconds)
            },
            participants: participants, validation: nil,
            warnings: MergeWarning.checks(
                plan: plan, mode: config.alignment, sampleRate: outputRate, startNanoseconds: tracks.map(\.startNanoseconds),
                names: tracks.map(\.path)))
        if let validation {
            manifest.validation = .init(validation)
        }

        if config.writeManifest {
            let manifestFile = try AtomicOutputFile(destination: manifestPath, overwrite: config.overwrite)
            try manifestFile.write(Array(manifest.jsonData()))
            try file.commit()
            try manifestFile.commit()
        } else {
            try file.commit()
        }
        return manifest
    }

    // MARK: - Steps

    private struct OpenedFile {
        var path: String
        var info: AudioInfo?
        var frames: Int64
        var sizeBytes: Int64
        var startNanoseconds: Int64?
        var offsetNanoseconds: Int64
    }

    private struct OpenedTrack {
        var files: [OpenedFile]
        var source: any PCMSource
        var frames: Int64
        /// The container start time of the channel's first frame (nil: no container timestamps).
        var startNanoseconds: Int64?
        /// The files' paths, for messages.
        var path: String
    }

    /// Opens a channel's recordings: one file as it is, several (or one with an offset) laid on
    /// one timeline by `TimelineSequenceSource`.
    private func open(track: MergeTrack, channel: Int) throws(AudioPrepError) -> OpenedTrack {
        var files: [OpenedFile] = []
        var sources: [any PCMSource] = []
        for file in track.files {
            let (source, info, frames) = try open(path: file.path, channel: channel)
            let timestamped = source as? any TimestampedPCMSource
            let start = try timestamped.map { (timestamped) throws(AudioPrepError) in
                try CheckedArithmetic.sum(
                    timestamped.startTimeNanoseconds, file.offsetNanoseconds,
                    else: AudioPrepError(
                        .invalidArgument, path: file.path,
                        "its start time (\(timestamped.startTimeNanoseconds) ns) plus its offset (\(file.offsetNanoseconds) ns) is beyond any representable time; the timestamps or the offset are damaged. Check the offsets in the Recordings list and the file with `callprep probe`."))
            }
            files.append(OpenedFile(
                path: file.name, info: info, frames: frames, sizeBytes: try FileDigest.size(path: file.path),
                startNanoseconds: start,
                offsetNanoseconds: file.offsetNanoseconds))
            sources.append(source)
        }
        let label = track.files.map(\.name).joined(separator: ",")
        guard track.needsTimeline else {
            return OpenedTrack(files: files, source: sources[0], frames: files[0].frames, startNanoseconds: files[0].startNanoseconds, path: label)
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
        let sequence = try TimelineSequenceSource(parts: parts)
        // Gaps between recordings add to the length: the whole channel must stay inside the limits too.
        try AudioLimits.check(
            sampleRate: sequence.format.sampleRate, channels: sequence.format.channels, frames: sequence.frameCount ?? 0, path: label)
        return OpenedTrack(
            files: files, source: sequence, frames: sequence.frameCount ?? 0, startNanoseconds: sequence.startTimeNanoseconds, path: label)
    }

    private func open(path: String, channel: Int) throws(AudioPrepError) -> (any PCMSource, AudioInfo?, Int64) {
        let input = try reader.open(path)
        let info: AudioInfo? = input.info
        let source = input.source
        let format = source.format
        guard format.channels >= 1 else {
            throw AudioPrepError(.corruptFile, path: path, "track \(channel) reports no audio channels. Check the file with `callprep probe`.")
        }
        guard format.sampleRate >= configuration.minimumInputRate else {
            throw AudioPrepError(
                .outOfLimits, path: path,
                "track \(channel) is sampled at \(format.sampleRate) Hz, below the \(configuration.minimumInputRate) Hz Intelligence needs. Use a recording of at least 8 kHz.")
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

    /// Refuses an output that is one of the inputs, an existing output without overwrite, and
    /// (before any work) an output or manifest path that names a device, a FIFO or a folder.
    private func checkOutputPaths(manifestPath: String) throws(AudioPrepError) {
        let output = configuration.output
        for path in [output] + (configuration.writeManifest ? [manifestPath] : []) {
            try AtomicOutputFile.checkReplaceable(path)
        }
        for (index, track) in configuration.tracks.enumerated() {
          for input in track.files.map(\.path) {
            guard access(input, F_OK) == 0 else {
                throw AudioPrepError(.fileNotFound, path: input, "track \(index + 1) does not exist. Check the path.")
            }
            if PathIdentity.sameFile(input, output) || PathIdentity.sameFile(input, manifestPath) {
                throw AudioPrepError(
                    .outputIsInput, path: output,
                    "the output path is track \(index + 1) itself; merging would overwrite an input. Choose a different -o path.")
            }
          }
        }
        if !configuration.overwrite {
            for path in [output] + (configuration.writeManifest ? [manifestPath] : []) where access(path, F_OK) == 0 {
                throw AudioPrepError(
                    .outputExists, path: path, "the file already exists. Choose another output path, or pass --force to replace it.")
            }
        }
    }

    private func vorbisComments(participants: [ChannelParticipant], plan: AlignmentPlan, tracks: [OpenedTrack]) -> [VorbisComment] {
        let tags = configuration.tags
        guard tags != .none else { return [] }
        var comments = [VorbisComment("ENCODER", configuration.toolVersion)]
        for participant in participants {
            let channel = participant.channelParticipant
            let fields: [(String, String?)] = [
                ("ROLE", participant.role), ("FULL_NAME", participant.fullName), ("USER_ID", participant.userID),
                ("EMAIL", participant.email), ("MEDIA_PARTICIPANT_ID", participant.mediaParticipantID),
                ("IMAGE_URL", participant.imageURL),
            ]
            for (name, value) in fields where tags.includesChannelTag(name) {
                if let value { comments.append(VorbisComment("CHANNEL\(channel)_\(name)", value)) }
            }
            if tags.includesChannelTag("SOURCE") {
                comments.append(VorbisComment(
                    "CHANNEL\(channel)_SOURCE", tracks[channel - 1].files.map { PathIdentity.fileName($0.path) }.joined(separator: ",")))
            }
            comments.append(VorbisComment("CHANNEL\(channel)_LEAD_FRAMES", String(plan.placements[channel - 1].lead)))
        }
        return comments
    }

    private func formatDuration(_ seconds: Double) -> String {
        let total = Int(seconds.rounded())
        return String(format: "%d:%02d:%02d", total / 3600, total / 60 % 60, total % 60)
    }
}

/// SHA-256 of files, computed on a background queue while other work runs: the inputs during
/// the merge, the output while it is flushed to disk and validated.
private final class FileHashes: @unchecked Sendable {
    private let group = DispatchGroup()
    private let lock = NSLock()
    private var results: [Result<String, AudioPrepError>]

    init(paths: [String]) {
        results = paths.map { _ in .success("") }
        for (index, path) in paths.enumerated() {
            DispatchQueue.global(qos: .utility).async(group: group) {
                let result = Result { () throws(AudioPrepError) in try FileDigest.sha256(path: path) }
                self.lock.lock()
                self.results[index] = result
                self.lock.unlock()
            }
        }
    }

    func wait() throws(AudioPrepError) -> [String] {
        group.wait()
        lock.lock()
        defer { lock.unlock() }
        return try results.map { result throws(AudioPrepError) in try result.get() }
    }
}
