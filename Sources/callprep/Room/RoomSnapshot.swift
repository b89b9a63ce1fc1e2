#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import TwilioIntelligence

/// A room as it is when its audio can be fetched: ended, every audio recording completed,
/// and its participants (connected and disconnected).
struct RoomSnapshot {
    var room: VideoRoom
    var audio: [VideoRecording]
    var participants: [VideoParticipant]

    /// Reads the room; while it is in progress or an audio recording is processing, fails
    /// saying so, or (with `wait`) polls until `timeout`: first after `interval`, the pause
    /// growing ×1.5 up to `maxInterval`.
    static func fetch(_ client: RecordingsClient, room sid: String, wait: Bool, timeout: Duration, interval initialInterval: Duration,
                      maxInterval: Duration? = nil, log: (String) -> Void) async throws -> RoomSnapshot {
        let clock = ContinuousClock()
        let start = clock.now
        var interval = initialInterval
        while true {
            let room = try await client.room(sid)
            let pending: String
            if !room.hasEnded {
                pending = "is still in progress (status \(room.status)); its recordings are not final until it ends"
            } else {
                // The participants are read while the recordings are listed (a round trip less);
                // left unawaited when the room is not ready, that read is cancelled.
                async let participants = client.allParticipants(ofRoom: sid)
                let audio = try await client.roomRecordings(sid).collect().filter { $0.type == "audio" }
                let processing = audio.filter { $0.status == "processing" }.map(\.sid)
                if processing.isEmpty {
                    for recording in audio where recording.status != "completed" {
                        throw MediaDownloadError(.notReady, subject: recording.sid, "is \(recording.status), so its media is gone or was never written; without it part of the call is missing.")
                    }
                    return RoomSnapshot(room: room, audio: audio, participants: try await participants)
                }
                pending = "has audio recordings still processing: \(processing.joined(separator: ", "))"
            }
            guard wait else {
                throw MediaDownloadError(.notReady, subject: sid, pending + ". Try again later, or pass --wait.")
            }
            guard clock.now - start + interval <= timeout else {
                throw MediaDownloadError(.notReady, subject: sid, pending + " after waiting \(clock.now - start); raise --timeout or try again later.")
            }
            log("\(sid) \(pending); checking again in \(interval)")
            try await Task.sleep(for: interval)
            interval = min(interval * 1.5, max(maxInterval ?? initialInterval, initialInterval))
        }
    }
}
