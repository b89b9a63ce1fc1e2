import CallPrepJSON
import CallPrepJobs
import ChannelMap
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import ObjectStore
import TwilioIntelligence

extension JobPipeline {
    /// How far back a repeated submit looks for the transcript it may have created: from the
    /// job's creation, less this margin for clocks that disagree.
    static let submitSearchMargin: TimeInterval = 3600

    /// Creates the transcript, or finds the one an earlier attempt created: the CustomerKey is
    /// derived from the job id and the merged file's SHA-256 (``JobCustomerKey``) and looked for
    /// first. The media URL is a fresh presigned URL of the uploaded object (or the job's
    /// media_url), checked without credentials to serve the merged file's size; participants come
    /// from the merge manifest, as `submit --manifest` does.
    func submit(_ job: JobRecord, merged: JSONValue, uploaded: JSONValue?) async throws -> JSONValue {
        let client = try intelligence.get()
        guard let service = job.spec.service ?? defaultService else {
            throw JobStepFailure.permanent("no_service", "job \"\(job.id)\" names no Intelligence Service; run with --service GA…")
        }
        let sha256 = try Self.text(merged, "sha256")
        let size = try Self.integer(merged, "size_bytes")
        let key = JobCustomerKey.key(for: job.id, mediaSHA256: sha256)
        let since = job.createdAt.addingTimeInterval(-Self.submitSearchMargin)
        if let existing = try await client.findTranscript(serviceSID: service, customerKey: key, createdAfter: since) {
            return Self.submitted(existing, key: key, service: service, found: true)
        }
        let url: String
        if let uploaded {
            let location = try ObjectLocation(parsing: try Self.text(uploaded, "location"))
            url = try objectStore.get().presignedGetURL(for: location, expiresIn: presignExpiry.seconds)
        } else if let mediaURL = job.spec.mediaURL {
            url = mediaURL
        } else {
            throw JobStepFailure.permanent("no_media_location", "job \"\(job.id)\" has neither \"upload\" nor \"media_url\"")
        }
        try await MediaURLCheck.check(url, allowHTTP: allowHTTP, skipReachability: false, verbose: false, expectedSize: size)
        let map = merged["manifest"] == nil ? try Self.recordingChannelMap(job.spec) : try ChannelMap(manifestAt: try Self.text(merged, "manifest"))
        var startTime: Date?
        if let text = job.spec.mediaStartTime {
            guard let date = ISO8601Text.parse(text) else {
                throw JobStepFailure.permanent("invalid_value", "media_start_time \(text.debugDescription) is not ISO 8601 with an offset")
            }
            startTime = date
        }
        let request = TranscriptCreateRequest(
            serviceSID: service, channel: Channel(media: .mediaURL(url), participants: map.participants), customerKey: key,
            mediaStartTime: startTime)
        let transcript = try await client.createTranscript(request)
        return Self.submitted(transcript, key: key, service: service, found: false)
    }

    private static func submitted(_ transcript: Transcript, key: String, service: String, found: Bool) -> JSONValue {
        .object([
            "transcript_sid": .string(transcript.sid), "customer_key": .string(key), "service_sid": .string(service),
            "found_existing": .bool(found),
        ])
    }

    /// Polls the transcript until it is final (backoff ×1.5 from the poll interval, up to 30 s),
    /// at most `waitTimeout`; a timeout is transient (the next attempt waits again). A transcript
    /// that failed, errored or was cancelled fails the job.
    ///
    /// The job watches its transcript SID in the store, and between two polls asks the store
    /// every `wakeCheckInterval` whether it was woken (``JobStore/wake(waitingOn:)``, the
    /// Intelligence webhook of `callprep serve`): then it polls at once instead of waiting out
    /// the interval.
    func wait(_ job: JobRecord, submitted: JSONValue, context: JobStepContext) async throws -> JSONValue {
        let client = try intelligence.get()
        let sid = try Self.text(submitted, "transcript_sid")
        try await context.watch(sid)
        let check = wakeCheckInterval
        let transcript = try await client.waitForTranscript(
            sid, timeout: waitTimeout, initialInterval: pollInterval,
            pause: { interval in
                let clock = ContinuousClock()
                let until = clock.now + interval
                while clock.now < until {
                    try await Task.sleep(for: min(check, until - clock.now))
                    if try await context.woken() { return }
                }
            })
        guard transcript.status == .completed else {
            throw JobStepFailure.permanent(
                "transcript_\(transcript.status.rawValue)",
                "transcript \(sid) ended with status \(transcript.status); check that the media URL is public and the file is WAV/MP3/FLAC, 2 s–8 h, ≥ 8 kHz")
        }
        return .object(["transcript_sid": .string(sid), "status": .string(transcript.status.rawValue),
                        "duration": transcript.duration.map { JSONValue.int(Int64($0)) } ?? JSONValue.null])
    }
}
