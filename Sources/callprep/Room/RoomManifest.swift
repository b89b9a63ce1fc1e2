import AudioPrep
import CallPrepJSON
import Foundation
import TwilioIntelligence

/// The merge manifest of a room, with a `twilio_room` member: the room SID and every
/// recording merged (RT… SID, participant, identity, channel, offset, download size).
/// Written atomically beside the output (or printed with `--json`).
enum RoomManifest {
    static func document(manifest: MergeManifest, room: VideoRoom, plan: RoomChannels, downloads: [String: MediaDownload]) -> JSONValue {
        var recordings: [JSONValue] = []
        for (index, channel) in plan.channels.enumerated() {
            for speaker in channel {
                for recording in speaker.recordings {
                    recordings.append(.object([
                        "sid": .string(recording.sid), "channel": .int(Int64(index + 1)),
                        "participant_sid": .string(speaker.participantSID),
                        "identity": speaker.participant?.identity.map(JSONValue.string) ?? .null,
                        "offset_ms": recording.offset.map(JSONValue.int) ?? .null,
                        "codec": recording.codec.map(JSONValue.string) ?? .null,
                        "download_bytes": downloads[recording.sid].map { .int($0.bytes) } ?? .null,
                    ]))
                }
            }
        }
        let twilio = JSONValue.object([
            "room_sid": .string(room.sid), "unique_name": room.uniqueName.map(JSONValue.string) ?? .null,
            "recordings": .array(recordings),
        ])
        guard case .object(var members) = manifest.json else { return manifest.json }
        // Members are sorted; keep them so.
        let position = members.firstIndex { $0.key > "twilio_room" } ?? members.endIndex
        members.insert(.init("twilio_room", twilio), at: position)
        return .object(members)
    }

    static func write(manifest: MergeManifest, room: VideoRoom, plan: RoomChannels, downloads: [String: MediaDownload],
                      output: String, json: Bool) throws {
        let text = document(manifest: manifest, room: room, plan: plan, downloads: downloads).serialized() + "\n"
        let path = MergeManifest.path(forOutput: output)
        let temporary = path + ".partial-\(ProcessInfo.processInfo.processIdentifier)"
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: temporary))
            if FileManager.default.fileExists(atPath: path) { try FileManager.default.removeItem(atPath: path) }
            try FileManager.default.moveItem(atPath: temporary, toPath: path)
        } catch {
            try? FileManager.default.removeItem(atPath: temporary)
            throw MediaDownloadError(.fileError, subject: path, "the manifest could not be written (\(error.localizedDescription)); the FLAC \(output) is complete.")
        }
        if json { FileHandle.standardOutput.write(Data(text.utf8)) }
    }
}
