import ArgumentParser
import Foundation
import TwilioIntelligence

/// Which participants of a room go on which channel: by default the two participants with
/// audio, in join order; with `--channel N=WHO` as given, WHO being an identity or a PA… SID.
struct RoomChannels {
    /// A participant with audio: the Participants resource (when Twilio listed them) and their
    /// audio recordings.
    struct Speaker {
        var participantSID: String
        var participant: VideoParticipant?
        var recordings: [VideoRecording]

        /// The identity, else the SID.
        var name: String { participant?.identity ?? participantSID }
    }

    /// Channel 1, then channel 2: the speakers on each.
    var channels: [[Speaker]]
    /// Speakers with audio that no channel takes (only with --channel).
    var leftOut: [Speaker]

    /// Parses `N=WHO[,WHO…]` values (validation only; WHO is resolved against the room later).
    static func parse(_ specs: [String]) throws -> [Int: [String]] {
        var result: [Int: [String]] = [:]
        for spec in specs {
            let parts = spec.split(separator: "=", maxSplits: 1)
            guard parts.count == 2, let channel = Int(parts[0]), (1...2).contains(channel) else {
                throw ValidationError("--channel takes N=WHO[,WHO…] with channel 1 or 2 and WHO a participant's identity or PA… SID, e.g. --channel 1=alice; got '\(spec)'.")
            }
            let names = parts[1].split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            guard !names.isEmpty else { throw ValidationError("--channel \(channel) names no participant.") }
            guard result[channel] == nil else { throw ValidationError("--channel \(channel) is given twice; list its participants once: --channel \(channel)=a,b.") }
            result[channel] = names
        }
        if !result.isEmpty, result.count != 2 {
            throw ValidationError("give both channels: --channel 1=WHO --channel 2=WHO (missing channel \(result[1] == nil ? 1 : 2)).")
        }
        return result
    }

    init(room: String, participants: [VideoParticipant], audio: [VideoRecording], specs: [Int: [String]]) throws(MediaDownloadError) {
        // Speakers in join order: participants as listed (sorted by start time), then any
        // participant that recorded audio but is missing from the list.
        var speakers: [Speaker] = []
        for participant in participants {
            let recordings = audio.filter { $0.participantSID == participant.sid }
            if !recordings.isEmpty { speakers.append(Speaker(participantSID: participant.sid, participant: participant, recordings: recordings)) }
        }
        for recording in audio {
            guard let sid = recording.participantSID else {
                throw MediaDownloadError(.invalidResponse, subject: recording.sid, "has no grouping_sids.participant_sid, so its speaker is unknown; report the room \(room) to Twilio support.")
            }
            if !speakers.contains(where: { $0.participantSID == sid }) {
                speakers.append(Speaker(participantSID: sid, participant: nil, recordings: audio.filter { $0.participantSID == sid }))
            }
        }
        let found = speakers.map { "\($0.name) (\($0.participantSID), \($0.recordings.count) recording\($0.recordings.count == 1 ? "" : "s"))" }
        if specs.isEmpty {
            guard speakers.count == 2 else {
                throw MediaDownloadError(.invalidResponse, subject: room, speakers.count < 2
                    ? "has audio from \(speakers.count) participant\(speakers.count == 1 ? "" : "s") (\(found.joined(separator: ", "))); a two-channel call needs two."
                    : "has audio from \(speakers.count) participants: \(found.joined(separator: ", ")). Say who goes where: --channel 1=WHO --channel 2=WHO (identity or PA… SID).")
            }
            channels = speakers.map { [$0] }
            leftOut = []
            return
        }
        var taken: Set<String> = []
        var channels: [[Speaker]] = []
        for channel in 1...2 {
            var members: [Speaker] = []
            for who in specs[channel] ?? [] {
                let matches = speakers.filter { $0.participantSID == who || $0.participant?.identity == who }
                guard !matches.isEmpty else {
                    throw MediaDownloadError(.invalidResponse, subject: room, "has no participant with audio called \(who.debugDescription); participants with audio: \(found.joined(separator: ", ")).")
                }
                for match in matches where taken.insert(match.participantSID).inserted { members.append(match) }
            }
            channels.append(members)
        }
        self.channels = channels
        leftOut = speakers.filter { !taken.contains($0.participantSID) }
    }
}
