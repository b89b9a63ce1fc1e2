#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The downloaded files of a saved Recordings list, matched by the `RT…` SID in their names,
/// as `TwilioRoomMerge` takes them (what `merge --recordings` does before merging).
///
/// - **Files given:** each must name exactly one audio recording of the list; the recordings
///   merged are those of the participants the files belong to (so passing two participants'
///   files of a larger room merges those two), and each of their recordings must be among
///   the files.
/// - **No files given:** every audio recording of the list is merged, each found in `folder`
///   (a file whose name contains its SID), or looked for there as `RT….mka`: a recording
///   without its file is an error naming the SID and that path.
public struct TwilioRecordingFiles: Sendable {
    /// The recordings to merge, each with its file (or the path where it was looked for).
    public var recordings: [TwilioRoomMerge.Recording]

    public init(list: TwilioRecordingList, files: [String], folder: String) throws(AudioPrepError) {
        var fileOf: [String: String] = [:]  // recording SID → path
        var chosen: [TwilioRecordingList.Recording]
        if files.isEmpty {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
            for name in names.sorted() where !name.hasSuffix(".json") {
                guard let recording = try? list.recording(forFile: name), fileOf[recording.sid] == nil else { continue }
                fileOf[recording.sid] = Self.join(folder, name)
            }
            chosen = list.recordings.filter { $0.participantSid != nil }
        } else {
            var participants: Set<String> = []
            for path in files {
                guard let recording = try list.recording(forFile: AtomicOutputFile.fileName(of: path)) else {
                    throw AudioPrepError(
                        .invalidArgument, path: path,
                        "its name contains no audio recording SID (RT…) of the Recordings list, so its participant is unknown. Keep the downloads named after their SID.")
                }
                if let other = fileOf[recording.sid] {
                    throw AudioPrepError(.invalidArgument, path: path, "is recording \(recording.sid) again (already \(other)); give each recording once.")
                }
                guard let participant = recording.participantSid else {
                    throw AudioPrepError(.invalidArgument, path: path, "recording \(recording.sid) has no grouping_sids.participant_sid in the list.")
                }
                fileOf[recording.sid] = path
                participants.insert(participant)
            }
            chosen = list.recordings.filter { $0.participantSid.map(participants.contains) ?? false }
        }
        recordings = chosen.map { recording in
            TwilioRoomMerge.Recording(
                sid: recording.sid, participantSID: recording.participantSid ?? "",
                offsetMilliseconds: recording.offsetMilliseconds,
                path: fileOf[recording.sid] ?? Self.join(folder, recording.fileName), sizeBytes: recording.sizeBytes)
        }
    }

    private static func join(_ folder: String, _ name: String) -> String {
        folder == "." || folder.isEmpty ? name : folder.hasSuffix("/") ? folder + name : folder + "/" + name
    }
}
