import AudioPrep
import ChannelMap
import TwilioIntelligence

/// One `callprep room` run once its flags are parsed: the room read from Twilio, the
/// recordings of the people on the two channels downloaded, and the merge — the same
/// `TwilioRoomMerge` that `merge --recordings` uses, so both give the same channels, mix and
/// manifest for the same files.
struct RoomFetch: Sendable {
    var roomSID: String
    var output: String
    var assignments: [ChannelAssignment]
    var participantOptions: [ParticipantOption]
    var sampleRate: OutputSampleRate
    var wait: Bool
    var timeout: Duration
    var pollInterval: Duration
    var overwrite: Bool
    var allowHTTP: Bool
    var toolVersion: String
    /// Opens the account's own bucket, asked for only when a recording merged is stored there
    /// (its argument: that recording's SID, for the error when the S3 settings are unusable).
    var bucket: @Sendable (_ subject: String) throws -> ExternalRecordingStore
    /// Progress and warnings for a person (standard error); nil with --quiet.
    var log: (@Sendable (String) -> Void)?

    /// FLAC encoder threads for the merge (nil: every active core).
    var encoderThreads: Int? = nil
    /// Whether downloads are `fsync`'d before they are renamed into place: true for a folder
    /// that is kept (`--download-dir`, a job's folder, reused after a crash), false for a
    /// temporary folder removed after the merge.
    var flushDownloads = true
    /// The longest pause between checks of a room still in progress (the pause grows ×1.5 from
    /// `pollInterval` up to it); nil keeps `pollInterval`.
    var maxPollInterval: Duration? = nil

    /// What the download phase leaves for the merge: every audio recording of the room (those of
    /// the people merged downloaded into the folder) and the room's participants.
    struct Fetched: Sendable, Hashable {
        /// A participant as the Participants resource lists them.
        struct Person: Sendable, Hashable {
            var sid: String
            var identity: String?
            var startTime: String?
        }

        var recordings: [TwilioRoomMerge.Recording]
        var people: [Person]
        /// The `RT…` SIDs downloaded (the recordings of the people on the two channels).
        var downloaded: [String]

        var participants: [TwilioRoomMerge.Participant] {
            people.map { TwilioRoomMerge.Participant(sid: $0.sid, identity: $0.identity, startTime: $0.startTime) }
        }
    }

    /// Reads the room, downloads into `folder` and merges; stops at the next check after
    /// `cancellation` is set (or the task is cancelled), leaving no partial download or output.
    /// Each recording is opened for the merge (its blocks scanned) as soon as its download is
    /// complete, while the others are still downloading (`MergeInputPrefetch`), and its
    /// SHA-256, computed as the bytes arrived, goes to the manifest without a second read.
    func run(client: RecordingsClient, folder: String, cancellation: MergeCancellation) async throws -> MergeManifest {
        if !overwrite { try AtomicOutputFile.checkAbsent(output) }
        let prefetch = MergeInputPrefetch()
        let fetched = try await download(client: client, folder: folder) { path, sha256 in prefetch.start(path, sha256: sha256) }
        try Task.checkCancellation()
        return try merge(fetched, cancellation: cancellation, reader: prefetch.reader)
    }

    /// The download phase: the room read (waited for with `wait`), the people on the two
    /// channels settled, and only their recordings downloaded into `folder` (complete files
    /// already there are reused); `completed` is told each file's path (and SHA-256 when it was
    /// hashed as it arrived) as soon as it is complete.
    func download(client: RecordingsClient, folder: String,
                  completed: (@Sendable (_ path: String, _ sha256: String?) -> Void)? = nil) async throws -> Fetched {
        let snapshot = try await RoomSnapshot.fetch(client, room: roomSID, wait: wait, timeout: timeout, interval: pollInterval,
                                                    maxInterval: maxPollInterval ?? pollInterval, log: { line in log?(line) })
        let people = snapshot.participants.map { Fetched.Person(sid: $0.sid, identity: $0.identity, startTime: $0.startTime) }
        let participants = people.map { TwilioRoomMerge.Participant(sid: $0.sid, identity: $0.identity, startTime: $0.startTime) }
        var listed: [TwilioRoomMerge.Recording] = []
        for recording in snapshot.audio {
            guard let participant = recording.participantSID else {
                throw MediaDownloadError(.invalidResponse, subject: recording.sid, "has no grouping_sids.participant_sid, so its speaker is unknown; report the room \(roomSID) to Twilio support.")
            }
            listed.append(TwilioRoomMerge.Recording(
                sid: recording.sid, participantSID: participant, offsetMilliseconds: recording.offset,
                path: RoomDownloads.path(of: recording, in: folder), sizeBytes: recording.size))
        }
        // Who goes where is settled before anything is downloaded; only their recordings are fetched.
        let chosen = try TwilioRoomMerge.recordingsToMerge(listed, participants: participants, channels: assignments)
        let wanted = Set(chosen.map(\.sid))
        let fetched = snapshot.audio.filter { wanted.contains($0.sid) }
        let external = try fetched.first { $0.mediaExternalLocation != nil }.map { try bucket($0.sid) }
        do {
            _ = try await RoomDownloads.fetch(fetched, room: roomSID, into: folder, client: client, allowHTTP: allowHTTP, bucket: external,
                                              flushToDisk: flushDownloads, completed: completed)
        } catch {
            await external?.shutdown()
            throw error
        }
        await external?.shutdown()
        return Fetched(recordings: listed, people: people, downloaded: fetched.map(\.sid))
    }

    /// The merge phase: the downloaded recordings merged into `output` with the room's channel
    /// map and its manifest beside it; `reader` opens the inputs (those opened ahead, in `run`).
    func merge(_ fetched: Fetched, cancellation: MergeCancellation, reader: MergeInputReader = .standard) throws -> MergeManifest {
        // Every listed recording goes in, so that people on neither channel are named; only those
        // on the channels must have their files.
        let room = try TwilioRoomMerge(roomSID: roomSID, recordings: fetched.recordings, participants: fetched.participants,
                                       channels: assignments, participantOptions: participantOptions)
        for person in room.leftOut {
            Terminal.printError("warning: \(person) has audio but is on neither channel (--channel names everyone else); left out.")
        }
        var configuration = room.configuration(output: output)
        configuration.sampleRate = sampleRate
        configuration.overwrite = overwrite
        configuration.writeManifest = true
        configuration.toolVersion = toolVersion
        if let encoderThreads { configuration.encoderThreads = encoderThreads }
        return try Merger(configuration: configuration, reader: reader).run(cancellation: cancellation)
    }
}
