extension MergeManifest {
    /// The record of a finished merge: the plan's inputs and placements, the encoder's result,
    /// the files' SHA-256 (`inputSHA256` in the order of `plan.inputPaths`) and the validate
    /// rules' verdict on the output, when they ran; `clippedSamples` per channel, for mixed ones.
    init(
        plan: MergePlan, encoded: FLACStreamSummary, outputSHA256: String, inputSHA256: [String],
        clippedSamples: [Int64?] = [], validation: ValidationReport?
    ) {
        let config = plan.configuration
        let rate = plan.outputRate
        var inputs: [MergeManifest.Input] = []
        for (index, track) in plan.tracks.enumerated() {
            for file in track.files {
                let format = file.format
                inputs.append(MergeManifest.Input(
                    channel: index + 1, path: file.path, sha256: inputSHA256[inputs.count], sizeBytes: file.sizeBytes,
                    container: file.info?.container.rawValue, codec: file.info?.codec,
                    sampleRate: format.sampleRate, channels: format.channels,
                    frames: file.frames, durationSeconds: Double(file.frames) / Double(format.sampleRate),
                    bitsPerSample: file.info?.bitsPerSample, lengthSource: file.info?.lengthSource.rawValue,
                    downmixed: format.channels > 1, resampled: format.sampleRate != rate,
                    startTimeNanoseconds: file.startNanoseconds, offsetNanoseconds: file.offsetNanoseconds == 0 ? nil : file.offsetNanoseconds,
                    recording: file.recording))
            }
        }
        self.init(
            tool: config.toolVersion, roomSID: config.roomSID, alignment: plan.alignment.resolvedMode, timelineOriginNanoseconds: plan.alignment.originNanoseconds,
            output: .init(
                path: config.outputLabel ?? config.output, format: "flac", sampleRate: rate, channels: 2, bitsPerSample: 16,
                frames: plan.alignment.totalFrames, durationSeconds: plan.durationSeconds, sizeBytes: encoded.bytes, sha256: outputSHA256,
                streamMD5: encoded.md5),
            inputs: inputs,
            channels: plan.alignment.placements.enumerated().map { index, placement in
                MergeManifest.ChannelPlacement(
                    channel: index + 1, leadFrames: placement.lead, contentFrames: placement.content, tailFrames: placement.tail,
                    leadSeconds: Double(placement.lead) / Double(rate), tailSeconds: Double(placement.tail) / Double(rate),
                    startTimeNanoseconds: plan.tracks[index].startNanoseconds,
                    mixedStreams: plan.tracks[index].isMix ? plan.tracks[index].streams.count : nil,
                    clippedSamples: index < clippedSamples.count ? clippedSamples[index] : nil)
            },
            participants: plan.participants, validation: validation.map(ValidationSummary.init),
            warnings: MergeWarning.checks(
                plan: plan.alignment, mode: config.alignment, sampleRate: rate, startNanoseconds: plan.tracks.map(\.startNanoseconds),
                names: plan.tracks.map(\.path)))
    }
}
