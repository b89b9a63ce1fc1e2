import Dispatch
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Merges two channels of per-participant recordings into one aligned, dual-channel, 16-bit FLAC
/// file; a channel holding several participants (or overlapping recordings) mixes them.
///
/// A configuration value goes in, a `MergeManifest` comes out, in three steps:
/// 1. **plan** (`MergePlan`): open and measure every input, choose the output rate, place the
///    tracks (`AlignmentPlan`) and check Intelligence's limits (2 s to 8 h, inputs of 8 kHz or
///    more) — before anything is decoded;
/// 2. **pipeline** (`MergePipeline`): per track, decode (any `PCMSource`, held to its planned
///    length) → average to mono → convert the rate with libsoxr if it differs → place on the
///    timeline, each channel on its own thread; a channel of several streams sums them
///    (`ChannelMix`: in float, clamped by the quantizer, the clamped samples counted);
/// 3. **encode**: quantize both channels to 16 bits (`StereoQuantizer`: dither only where
///    precision is lost) and encode on all cores (`FLACEncoder`) into an `AtomicOutputFile`,
///    which appears complete or not at all; the manifest (`MergeManifest(plan:…)`) is written
///    beside it.
///
/// Everything streams in blocks: memory does not grow with the length of the call. An error or a
/// cancellation removes the temporary output. Temporary outputs left in the output's folder by
/// merges that were killed outright are removed first
/// (`AtomicOutputFile.removeStalePartialFiles(besides:)`).
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
        let plan = try MergePlan(configuration: configuration, reader: reader)
        AtomicOutputFile.removeStalePartialFiles(besides: configuration.output)
        // Hash the inputs on another core while merging (unless the reader knows their hashes).
        let inputHashes = FileHashes(paths: plan.inputPaths, known: reader.knownSHA256)
        let pipeline = try MergePipeline(plan: plan, blockFrames: blockFrames)
        defer { pipeline.stop() }

        let file = try AtomicOutputFile(destination: configuration.output, overwrite: configuration.overwrite)
        let encoder = try FLACEncoder(output: file, settings: plan.flacSettings)
        let signal = try encode(pipeline, into: encoder, plan: plan, cancellation: cancellation, started: started, progress: progress)
        if cancellation.isCancelled { throw cancelled }
        let summary = try encoder.finish()
        // The output's SHA-256 is the one step left that reads the whole file; it runs on another
        // thread while this one waits for the disk (fsync) and validates the output.
        let outputHashing = FileHashes(paths: [file.temporaryPath])
        try file.flushToDisk()
        let validation = configuration.validateOutput
            ? MediaValidator().validate(path: file.temporaryPath, measuredSignal: signal) : nil
        let manifest = MergeManifest(
            plan: plan, encoded: summary, outputSHA256: try outputHashing.wait()[0], inputSHA256: try inputHashes.wait(),
            clippedSamples: pipeline.clippedSamples, validation: validation)
        if cancellation.isCancelled { throw cancelled }  // a signal during the final checks: publish nothing
        try commit(file, manifest: manifest)
        return manifest
    }

    /// The encode loop: pulls both channels block by block, quantizes them to interleaved 16-bit
    /// and appends them to the encoder, reporting progress; returns the output's levels,
    /// measured as they were written, for the validate signal rules.
    private func encode(
        _ pipeline: MergePipeline, into encoder: FLACEncoder, plan: MergePlan, cancellation: MergeCancellation,
        started: DispatchTime, progress: (MergeProgress) -> Void
    ) throws(AudioPrepError) -> SignalStats {
        let total = plan.alignment.totalFrames
        let interleaved = UnsafeMutableBufferPointer<Int16>.allocate(capacity: blockFrames * 2)
        defer { interleaved.deallocate() }
        var quantizer = StereoQuantizer()
        var meter = SignalMeter(channels: 2)
        var done: Int64 = 0
        var lastReport = started.uptimeNanoseconds
        while done < total {
            if cancellation.isCancelled { throw cancelled }
            let (left, right) = try pipeline.next()
            let count = left.count
            quantizer.quantize(left: left.baseAddress!, right: right.baseAddress!, count: count, into: interleaved.baseAddress!)
            pipeline.recycle(left, right)
            let block = UnsafeBufferPointer(rebasing: interleaved[0..<(2 * count)])
            meter.add(interleaved16: block, frames: count)
            try encoder.append(block)
            done += Int64(count)
            let now = DispatchTime.now().uptimeNanoseconds
            if now - lastReport >= 100_000_000 || done == total {
                lastReport = now
                progress(MergeProgress(
                    framesDone: done, totalFrames: total, sampleRate: plan.outputRate,
                    elapsedSeconds: Double(now - started.uptimeNanoseconds) / 1e9))
            }
        }
        return meter.stats
    }

    /// Writes the manifest (when asked) and renames both into place: the output first, so a
    /// manifest never describes a file that is not there.
    private func commit(_ file: AtomicOutputFile, manifest: MergeManifest) throws(AudioPrepError) {
        guard configuration.writeManifest else {
            try file.commit()
            return
        }
        let manifestFile = try AtomicOutputFile(destination: configuration.resolvedManifestPath, overwrite: configuration.overwrite)
        try manifestFile.write(Array(manifest.jsonData()))
        try file.commit()
        try manifestFile.commit()
    }

    private var cancelled: AudioPrepError {
        AudioPrepError(.cancelled, path: configuration.output, "the merge was cancelled; no output was written.")
    }
}
