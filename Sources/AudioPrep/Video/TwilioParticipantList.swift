#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The saved JSON of Twilio Video's `GET /v1/Rooms/{RoomSid}/Participants` (one page or
/// several; the API's `{"participants": [...]}` or twilio-cli's `-o json` array), reduced to
/// what a room merge needs: each participant's SID, identity and join time.
///
/// Save both `Status=connected` and `Status=disconnected`: the API lists connected ones only
/// by default, so an ended room's participants are otherwise missing.
public struct TwilioParticipantList: Sendable {
    public var participants: [TwilioRoomMerge.Participant]

    /// Reads and decodes the pages at `paths`, naming the file in any error. A participant
    /// listed twice (on two pages) is kept once.
    public init(files paths: [String]) throws(AudioPrepError) {
        participants = []
        for path in paths {
            let items: [TwilioJSONObject]
            do {
                items = try TwilioJSONObject.list(in: try Data(contentsOf: URL(fileURLWithPath: path)), key: "participants")
            } catch {
                throw AudioPrepError(
                    .invalidArgument, path: path,
                    "is not a readable Participants list (expected {\"participants\": [...]} as GET https://video.twilio.com/v1/Rooms/RM…/Participants returns it, or twilio-cli's -o json array).")
            }
            for item in items {
                guard let sid = item.string("sid") else {
                    throw AudioPrepError(.invalidArgument, path: path, "lists a participant without a sid; the JSON is damaged or not Twilio's. Save the Participants list again.")
                }
                guard !participants.contains(where: { $0.sid == sid }) else { continue }
                let joined = item.string("start_time").flatMap(Self.date)
                participants.append(TwilioRoomMerge.Participant(sid: sid, identity: item.string("identity"), joined: joined))
            }
        }
    }

    /// An ISO 8601 time as Twilio writes it (`2026-12-05T13:02:21Z`, fractional seconds allowed).
    static func date(_ text: String) -> Date? {
        if let date = try? Date.ISO8601FormatStyle().parse(text) { return date }
        return try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(text)
    }
}
