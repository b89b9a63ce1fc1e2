import AudioPrep
import CallPrepJSON
import CallPrepJobs
import ChannelMap
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import TwilioIntelligence

extension JobPipeline {
    /// The longest pause between two checks of a room still in progress.
    static let maximumRoomPollInterval: Duration = .seconds(60)

    /// The fetch step of a room or recording job.
    func fetch(_ job: JobRecord) async throws -> JSONValue {
        switch job.spec.source {
        case .tracks: return .null
        case .room(let sid): return try await fetchRoom(job, sid: sid)
        case .recording(let sid): return try await fetchRecording(job, sid: sid)
        }
    }

    /// The folder a room job's recordings are downloaded to: `OUT/ID/recordings`.
    func recordingsFolder(of job: JobRecord) -> String { folder(of: job) + "/recordings" }

    /// The room read for `job` (as `callprep room` reads it), writing `OUT/ID/ID.flac`.
    func roomFetch(_ job: JobRecord, sid: String) throws -> RoomFetch {
        let assignments = job.spec.channels.keys.sorted().map { ChannelAssignment(channel: $0, members: job.spec.channels[$0] ?? []) }
        return RoomFetch(
            roomSID: sid, output: mergedPath(of: job), assignments: assignments,
            participantOptions: job.spec.participants.map { ParticipantOption(target: .channel($0.channelParticipant), participant: $0) },
            sampleRate: Self.rate(job.spec.merge.sampleRate), wait: true, timeout: waitTimeout, pollInterval: pollInterval,
            overwrite: true, allowHTTP: allowHTTP, toolVersion: "callprep \(CallPrep.configuration.version)", bucket: bucket,
            log: nil, encoderThreads: encoderThreads, maxPollInterval: max(Self.maximumRoomPollInterval, pollInterval))
    }

    /// Waits until the room has ended and every audio recording is completed (a failed or
    /// deleted one fails the job, naming its `RT…` SID; a room still unfinished at the wait
    /// timeout is a transient failure: the next attempt waits again), then downloads the
    /// recordings of the people on the two channels to `OUT/ID/recordings/RT….mka` — complete
    /// files of an earlier attempt (their size is Twilio's) are reused, partial ones removed.
    /// Outputs every audio recording, the participants and the files downloaded.
    func fetchRoom(_ job: JobRecord, sid: String) async throws -> JSONValue {
        let client = try recordings.get()
        let folder = recordingsFolder(of: job)
        try Self.createFolder(folder)
        _ = PartialDownloads.sweep(folder: folder)
        let fetched: RoomFetch.Fetched
        do {
            fetched = try await roomFetch(job, sid: sid).download(client: client, folder: folder)
        } catch let error as MediaDownloadError where error.code == .notReady && error.subject == sid {
            // The room is still in progress (or a recording processing) after the wait timeout.
            throw JobStepFailure.transient("room_not_ready", error.description)
        } catch {
            _ = PartialDownloads.sweep(folder: folder, includingOwn: true)
            throw error
        }
        let downloaded = Set(fetched.downloaded)
        func text(_ value: String?) -> JSONValue { value.map(JSONValue.string) ?? .null }
        return .object([
            "room_sid": .string(sid),
            "recordings": .array(fetched.recordings.map { recording in
                .object([
                    "sid": .string(recording.sid), "participant_sid": .string(recording.participantSID),
                    "offset_ms": recording.offsetMilliseconds.map(JSONValue.int) ?? .null, "path": .string(recording.path),
                    "size_bytes": recording.sizeBytes.map(JSONValue.int) ?? .null, "downloaded": .bool(downloaded.contains(recording.sid)),
                ])
            }),
            "participants": .array(fetched.people.map { person in
                .object(["sid": .string(person.sid), "identity": text(person.identity), "start_time": text(person.startTime)])
            }),
            "files": .array(try fetched.recordings.filter { downloaded.contains($0.sid) }.map { recording in
                .object(["path": .string(recording.path), "size_bytes": .int(try FileDigest.size(path: recording.path))])
            }),
        ])
    }

    /// The room's recordings and participants as the fetch step journaled them.
    static func fetchedRoom(_ outputs: JSONValue) throws(JobStepFailure) -> RoomFetch.Fetched {
        guard case .array(let recordings)? = outputs["recordings"], case .array(let people)? = outputs["participants"] else {
            throw .permanent("corrupt_journal", "the fetch step's outputs lack the room's recordings; retry the job with `callprep jobs retry`")
        }
        var fetched = RoomFetch.Fetched(recordings: [], people: [], downloaded: [])
        for recording in recordings {
            let sid = try text(recording, "sid")
            var offset: Int64?
            if case .int(let value)? = recording["offset_ms"] { offset = value }
            var size: Int64?
            if case .int(let value)? = recording["size_bytes"] { size = value }
            fetched.recordings.append(TwilioRoomMerge.Recording(
                sid: sid, participantSID: try text(recording, "participant_sid"), offsetMilliseconds: offset,
                path: try text(recording, "path"), sizeBytes: size))
            if case .bool(true)? = recording["downloaded"] { fetched.downloaded.append(sid) }
        }
        for person in people {
            fetched.people.append(RoomFetch.Fetched.Person(
                sid: try text(person, "sid"), identity: person["identity"]?.stringValue, startTime: person["start_time"]?.stringValue))
        }
        return fetched
    }

    /// Merges a room job's downloaded recordings (the fetch step's outputs) into `OUT/ID/ID.flac`
    /// and its manifest, as `callprep room` does; the same outputs as a tracks job's merge.
    func mergeRoom(_ job: JobRecord, sid: String, fetched outputs: JSONValue) async throws -> JSONValue {
        let fetched = try Self.fetchedRoom(outputs)
        let fetch = try roomFetch(job, sid: sid)
        let cancellation = MergeCancellation()
        return try await BlockingWork.run(onCancel: { cancellation.cancel() }) { () throws -> JSONValue in
            let manifest = try fetch.merge(fetched, cancellation: cancellation)
            return try Self.mergedJSON(manifest, flac: fetch.output)
        }
    }

    /// Downloads a dual-channel Voice recording with both channels (`RequestedChannels=2`) to
    /// `OUT/ID/ID.wav` and checks that it is what Intelligence takes: two channels, at least
    /// 8 kHz. Outputs the file (`media`, size, SHA-256) and its facts; the steps after it use the
    /// WAV as a merge's output (there is nothing to merge).
    func fetchRecording(_ job: JobRecord, sid: String) async throws -> JSONValue {
        let client = try recordings.get()
        let recording = try await client.voiceRecording(sid)
        let status = recording.status ?? "completed"
        switch status {
        case "completed": break
        case "in-progress", "processing", "paused":
            throw JobStepFailure.transient("recording_not_ready", "\(sid) is \(status); its media is not final yet")
        default:
            throw JobStepFailure.permanent("recording_\(status)", "\(sid) is \(status), so its media is gone or was never written")
        }
        guard recording.channels == 2 else {
            throw JobStepFailure.permanent(
                "not_dual_channel",
                "\(sid) has \(recording.channels.map(String.init) ?? "an unknown number of") channel(s); a job needs a dual-channel recording (RecordingChannels=dual), or give the call's tracks as \"tracks\"")
        }
        let folder = folder(of: job)
        try Self.createFolder(folder)
        _ = PartialDownloads.sweep(folder: folder)
        let path = folder + "/" + job.id.rawValue + ".wav"
        _ = try await client.download(.voiceRecording(sid, format: .wav, channels: 2), to: path, expectedBytes: nil,
                                      allowHTTP: allowHTTP, reuseExisting: false)
        return try await BlockingWork.run { () throws -> JSONValue in
            let info = try AudioProbe.probe(path: path)
            guard info.channels == 2 else {
                throw JobStepFailure.permanent("not_dual_channel", "\(sid) was downloaded with \(info.channels) channel(s), not 2; \(path)")
            }
            guard info.sampleRate >= MediaValidator.minSampleRate else {
                throw JobStepFailure.permanent(
                    "unsupported_format", "\(path): \(sid) is sampled at \(info.sampleRate) Hz; Intelligence needs at least \(MediaValidator.minSampleRate) Hz")
            }
            let file = try Self.fileJSON(path)
            return .object([
                "recording_sid": .string(sid), "media": .string(path), "size_bytes": file["size_bytes"] ?? .null,
                "sha256": file["sha256"] ?? .null, "channels": .int(Int64(info.channels)), "sample_rate": .int(Int64(info.sampleRate)),
                "frames": .int(info.frames), "files": .array([file]),
            ])
        }
    }

    /// A room job's downloads are still there, complete (each of the size it had).
    func verifyDownloads(_ outputs: JSONValue) throws -> Bool {
        guard case .array(let files)? = outputs["files"], !files.isEmpty else { return false }
        for file in files {
            guard (try? FileDigest.size(path: try Self.text(file, "path"))) == (try Self.integer(file, "size_bytes")) else { return false }
        }
        return true
    }

    /// Who is on each channel of a recording job's WAV: the job's participants, the default
    /// role on a channel it does not describe.
    static func recordingChannelMap(_ spec: JobSpec) throws -> ChannelMap {
        try ChannelMap(participants: [1, 2].map { channel in
            spec.participants.first { $0.channelParticipant == channel }
                ?? ChannelParticipant(channelParticipant: channel, role: ChannelParticipant.defaultRole(channel: channel))
        })
    }

    static func createFolder(_ folder: String) throws {
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw AudioPrepError(.writeFailed, path: folder, "the job's output folder cannot be created: \(error)")
        }
    }
}
