import AudioPrep
import CallPrepJSON
import CallPrepJobs
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension JobPipeline {
    /// The merged file of a job: `OUT/ID/ID.flac` (named after the job so uploads of many jobs
    /// to one prefix do not collide), its manifest beside it.
    func mergedPath(of job: JobRecord) -> String { folder(of: job) + "/" + job.id.rawValue + ".flac" }

    /// Merges the job's audio: a room's downloaded recordings (``mergeRoom(_:sid:fetched:)``), or
    /// the two tracks as `callprep merge` does (same library, same defaults), replacing a
    /// file left by an earlier attempt; the output appears complete or not at all. Outputs the
    /// FLAC and manifest with size and SHA-256 (`files`), the FLAC's hash and size again as
    /// `sha256`/`size_bytes`, frames and rate.
    func merge(_ job: JobRecord, fetched: JSONValue?) async throws -> JSONValue {
        if case .room(let sid) = job.spec.source, let fetched { return try await mergeRoom(job, sid: sid, fetched: fetched) }
        guard case .tracks(let paths) = job.spec.source else { return .null }
        let folder = folder(of: job)
        let flac = mergedPath(of: job)
        var configuration = MergeConfiguration(
            inputs: paths, output: flac, sampleRate: Self.rate(job.spec.merge.sampleRate),
            alignment: Self.alignment(job.spec.merge.align), participants: job.spec.participants, overwrite: true,
            writeManifest: true, encoderThreads: encoderThreads, toolVersion: "callprep \(CallPrep.configuration.version)")
        configuration.manifestPath = MergeManifest.path(forOutput: flac)
        let merging = configuration
        let cancellation = MergeCancellation()
        return try await BlockingWork.run(onCancel: { cancellation.cancel() }) { () throws -> JSONValue in
            try Self.createFolder(folder)
            let manifest = try Merger(configuration: merging).run(cancellation: cancellation)
            return try Self.mergedJSON(manifest, flac: flac)
        }
    }

    /// A merge step's outputs: the FLAC and manifest with size and SHA-256 (`files`), the FLAC's
    /// hash and size again as `sha256`/`size_bytes`, frames and rate.
    static func mergedJSON(_ manifest: MergeManifest, flac: String) throws -> JSONValue {
        let manifestPath = MergeManifest.path(forOutput: flac)
        return .object([
            "flac": .string(flac), "manifest": .string(manifestPath),
            "size_bytes": .int(manifest.output.sizeBytes), "sha256": .string(manifest.output.sha256),
            "frames": .int(manifest.output.frames), "sample_rate": .int(Int64(manifest.output.sampleRate)),
            "files": .array([
                .object(["path": .string(flac), "size_bytes": .int(manifest.output.sizeBytes), "sha256": .string(manifest.output.sha256)]),
                try fileJSON(manifestPath),
            ]),
        ])
    }

    static func rate(_ rate: JobMergeSettings.SampleRate?) -> OutputSampleRate {
        switch rate {
        case .hertz(let hertz): .fixed(hertz)
        case .source: .highestInput
        case nil: .fixed(16000)
        }
    }

    static func alignment(_ align: JobMergeSettings.Alignment?) -> AlignmentMode {
        switch align {
        case .start: .start
        case .end: .end
        case .timestamps: .timestamps(.earliestTrack)
        case nil: .automatic
        }
    }
}
