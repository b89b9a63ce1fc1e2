import AudioPrep
import CallPrepJSON
import CallPrepJobs
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import ObjectStore
import TwilioIntelligence

/// The steps of a `callprep jobs run` job, performed with the same parts as the single commands:
/// validate (probe each track), fetch (a room or recording job: ``RoomFetch`` as `callprep
/// room`, or the dual-channel Voice recording as `callprep recording`), merge (``Merger``, as
/// `callprep merge`; a room as `callprep room`), upload
/// (``MediaUpload``, as `submit --upload`), submit (``IntelligenceClient``, with a CustomerKey
/// derived from the job), wait (polling with backoff, bounded), results (transcript, sentences
/// and subtitles with speaker names). ``JobRunner`` decides when each runs.
///
/// Everything a job writes goes to `OUT/ID/`: `ID.flac`, `ID.manifest.json`,
/// `transcript.json`, `transcript.srt`, `transcript.txt`; a room job's downloads go to
/// `recordings/`, a recording job's WAV is `ID.wav` (sent as it is, without a merge).
struct JobPipeline: JobStepPerformer {
    /// The folder that holds each job's folder.
    var outputFolder: String
    /// The Service used for jobs that name none.
    var defaultService: String?
    /// The Intelligence client, or why there is none (missing credentials): jobs fail at submit.
    var intelligence: Result<IntelligenceClient, JobStepFailure>
    /// The Video and Voice client for room and recording jobs, or why there is none.
    var recordings: Result<RecordingsClient, JobStepFailure>
    /// Opens the account's own bucket for a room recording stored there (its argument: the
    /// recording's SID, for the error when the S3 settings are unusable).
    var bucket: @Sendable (_ subject: String) throws -> ExternalRecordingStore
    /// The object store for jobs with `upload`, or why there is none.
    var objectStore: Result<any ObjectStore, JobStepFailure>
    /// Accept http:// media URLs and endpoints (local emulators).
    var allowHTTP: Bool
    /// How long the presigned URL given to Intelligence lasts.
    var presignExpiry: PresignExpiry
    /// How long one wait step polls, and one fetch step waits for a room, before it fails
    /// (transiently: the next attempt waits again).
    var waitTimeout: Duration
    /// The first poll interval of the wait step (growing ×1.5 up to 30 s).
    var pollInterval: Duration
    /// FLAC encoder threads per merge.
    var encoderThreads: Int
    /// How often a waiting step asks the store whether the webhook woke it (between its polls
    /// of Twilio, which are `pollInterval` apart and growing).
    var wakeCheckInterval: Duration = .seconds(1)

    func steps(for job: JobRecord) -> [JobStep] {
        let media: [JobStep] = switch job.spec.source {
        case .tracks: [.validate, .merge]
        case .room: [.validate, .fetch, .merge]
        case .recording: [.validate, .fetch]
        }
        return media + (job.spec.upload == nil ? [] : [.upload]) + [.submit, .wait, .results]
    }

    /// The file Intelligence gets: the merge's outputs, or a recording job's fetched WAV.
    static func media(_ earlier: [JobStep: JSONValue]) throws(JobStepFailure) -> JSONValue {
        if let merged = earlier[.merge] { return merged }
        return try outputs(of: .fetch, earlier)
    }

    /// The path of that file (`flac` of a merge, `media` of a fetched recording).
    static func mediaPath(_ media: JSONValue) throws(JobStepFailure) -> String {
        try text(media, media["flac"] != nil ? "flac" : "media")
    }

    func folder(of job: JobRecord) -> String { outputFolder + "/" + job.id.rawValue }

    func perform(
        _ step: JobStep, job: JobRecord, earlier: [JobStep: JSONValue], context: JobStepContext
    ) async throws(JobStepFailure) -> JSONValue {
        do {
            switch step {
            case .validate: return try await validate(job)
            case .fetch: return try await fetch(job)
            case .merge: return try await merge(job, fetched: earlier[.fetch])
            case .upload: return try await upload(job, merged: try Self.media(earlier))
            case .submit:
                return try await submit(job, merged: try Self.media(earlier), uploaded: earlier[.upload])
            case .wait: return try await wait(job, submitted: try Self.outputs(of: .submit, earlier), context: context)
            case .results: return try await results(job, submitted: try Self.outputs(of: .submit, earlier))
            }
        } catch {
            if Task.isCancelled { throw JobStepFailure.transient(JobStepFailure.interruptedCode, "stopped") }
            throw JobStepErrors.failure(for: error)
        }
    }

    func verify(_ step: JobStep, outputs: JSONValue, job: JobRecord) async -> Bool {
        do {
            switch step {
            case .validate: return try outputs["source"] != nil || verifyTracks(outputs)
            case .fetch:
                if case .room = job.spec.source { return try verifyDownloads(outputs) }
                return try await verifyFiles(outputs)
            case .merge, .results: return try await verifyFiles(outputs)
            case .upload: return try await verifyUpload(outputs)
            // A transcript SID and a final status: nothing on disk to check.
            case .submit, .wait: return outputs["transcript_sid"]?.stringValue != nil || outputs["status"]?.stringValue != nil
            }
        } catch {
            return false
        }
    }

    /// The outputs of an earlier step; an internal error when the runner gave none.
    static func outputs(of step: JobStep, _ earlier: [JobStep: JSONValue]) throws(JobStepFailure) -> JSONValue {
        guard let outputs = earlier[step] else {
            throw .permanent("internal_error", "the \(step.rawValue) step's outputs are missing from the journal")
        }
        return outputs
    }

    /// A string member of a step's outputs, or a permanent error naming it.
    static func text(_ outputs: JSONValue, _ key: String) throws(JobStepFailure) -> String {
        guard let value = outputs[key]?.stringValue else {
            throw .permanent("corrupt_journal", "the journal's outputs lack \"\(key)\"; retry the job with `callprep jobs retry`")
        }
        return value
    }

    /// An integer member of a step's outputs.
    static func integer(_ outputs: JSONValue, _ key: String) throws(JobStepFailure) -> Int64 {
        guard case .int(let value)? = outputs[key] else {
            throw .permanent("corrupt_journal", "the journal's outputs lack the number \"\(key)\"; retry the job with `callprep jobs retry`")
        }
        return value
    }

    /// `{"path", "size_bytes", "sha256"}` of a file on disk.
    static func fileJSON(_ path: String) throws -> JSONValue {
        .object([
            "path": .string(path), "size_bytes": .int(try FileDigest.size(path: path)), "sha256": .string(try FileDigest.sha256(path: path)),
        ])
    }

    /// Every `{"path", "size_bytes", "sha256"}` in `outputs["files"]` is on disk with that size
    /// and SHA-256 (hashed off the cooperative pool).
    private func verifyFiles(_ outputs: JSONValue) async throws -> Bool {
        guard case .array(let files)? = outputs["files"], !files.isEmpty else { return false }
        return try await BlockingWork.run {
            for file in files {
                let path = try Self.text(file, "path")
                guard (try? FileDigest.size(path: path)) == (try Self.integer(file, "size_bytes")),
                      (try? FileDigest.sha256(path: path)) == (try Self.text(file, "sha256")) else { return false }
            }
            return true
        }
    }
}
