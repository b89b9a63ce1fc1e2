#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The two channels of a merge, built from a Twilio Recordings list and the downloaded files:
/// each participant's audio recordings (found by the `RT…` SID in the file names) become one
/// `MergeTrack`, each file carrying its room clock offset.
public struct TwilioRoomTracks: Sendable {
    /// One participant's channel.
    public struct Channel: Sendable, Hashable {
        /// `PA…`
        public var participantSid: String
        public var track: MergeTrack
    }

    /// Channel 1, then channel 2.
    public var channels: [Channel]

    /// Groups `files` (or, when `files` is empty, the files in `folder` whose names contain a
    /// recording SID of `list`) by participant.
    ///
    /// Channel order: the participants named in `channelOrder` first, in that order; the others
    /// in the order the list first mentions them. Exactly two participants must be found. Every
    /// audio recording of a found participant must have a file, so no speech goes missing.
    public init(list: TwilioRecordingList, files: [String], folder: String?, channelOrder: [String] = []) throws(AudioPrepError) {
        var candidates = files
        if candidates.isEmpty, let folder {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
            candidates = names.sorted()
                .filter { name in !name.hasSuffix(".json") && list.recordings.contains { name.contains($0.sid) } }
                .map { folder == "." ? $0 : folder.hasSuffix("/") ? folder + $0 : folder + "/" + $0 }
            guard !candidates.isEmpty else {
                throw AudioPrepError(
                    .fileNotFound, path: folder,
                    "holds no file named after an audio recording SID (RT…) of the Recordings list. Download each recording's media (GET https://video.twilio.com/v1/Recordings/RT…/Media) into this folder as RT….mka, or pass the files.")
            }
        }
        var fileOf: [String: String] = [:]  // recording SID → path
        for path in candidates {
            let name = AtomicOutputFile.fileName(of: path)
            guard let recording = try list.recording(forFile: name) else {
                throw AudioPrepError(
                    .invalidArgument, path: path,
                    "its name contains no audio recording SID (RT…) of the Recordings list, so its participant is unknown. Keep the downloads named after their SID.")
            }
            if let other = fileOf[recording.sid] {
                throw AudioPrepError(.invalidArgument, path: path, "is recording \(recording.sid) again (already \(other)); give each recording once.")
            }
            guard recording.participantSid != nil else {
                throw AudioPrepError(.invalidArgument, path: path, "recording \(recording.sid) has no grouping_sids.participant_sid in the list.")
            }
            fileOf[recording.sid] = path
        }
        let groups = list.byParticipant.filter { group in group.recordings.contains { fileOf[$0.sid] != nil } }
        let found = groups.map { "\($0.participantSid) (\($0.recordings.count) recording\($0.recordings.count == 1 ? "" : "s"))" }
        guard groups.count == 2 else {
            throw AudioPrepError(
                .invalidArgument,
                "a merge needs exactly two participants, but the files belong to \(groups.count): \(found.isEmpty ? "none" : found.joined(separator: ", ")). Pass the recordings of two participants.")
        }
        for sid in channelOrder where !groups.contains(where: { $0.participantSid == sid }) {
            throw AudioPrepError(
                .invalidArgument, "participant \(sid) is not among the participants found: \(found.joined(separator: ", ")).")
        }
        let ordered = channelOrder.compactMap { sid in groups.first { $0.participantSid == sid } }
            + groups.filter { !channelOrder.contains($0.participantSid) }
        var channels: [Channel] = []
        for group in ordered {
            let missing = group.recordings.filter { fileOf[$0.sid] == nil }.map(\.sid)
            guard missing.isEmpty else {
                throw AudioPrepError(
                    .fileNotFound,
                    "participant \(group.participantSid) also has recording\(missing.count == 1 ? "" : "s") \(missing.joined(separator: ", ")) with no file; without it part of their speech would be missing. Download it (GET https://video.twilio.com/v1/Recordings/RT…/Media) and pass it too.")
            }
            let trackFiles = group.recordings.map {
                MergeTrack.File(path: fileOf[$0.sid]!, offsetNanoseconds: list.offsetNanoseconds(of: $0))
            }
            channels.append(Channel(participantSid: group.participantSid, track: MergeTrack(files: trackFiles)))
        }
        self.channels = channels
    }
}
