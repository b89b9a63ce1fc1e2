import CallPrepJSON
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The Intelligence Service's webhook (`POST /twilio/intelligence`): which transcript is ready.
/// Twilio sends JSON (`transcript_sid`, `event_type`); a form body with `transcript_sid` or
/// `TranscriptSid` is read too.
struct IntelligenceCallback: Sendable, Hashable {
    /// The event the Service sends when a transcript is final.
    static let transcriptAvailable = "voice_intelligence_transcript_available"

    /// The transcript's `GT…` SID.
    let transcriptSID: String
    /// `event_type` as sent (nil when absent: then the transcript is taken as available).
    let eventType: String?

    /// Whether the callback says the transcript is ready to read.
    var isTranscriptAvailable: Bool { eventType == nil || eventType == Self.transcriptAvailable }

    /// Reads the body; ``VideoCallback/Unreadable`` when it names no `GT…` transcript.
    init(body: [UInt8], isJSON: Bool) throws(UnreadableCallback) {
        var sid: String?
        var event: String?
        if isJSON {
            struct Payload: Decodable {
                var transcript_sid: String?
                var event_type: String?
            }
            guard let payload = try? JSONDecoder().decode(Payload.self, from: Data(body)) else {
                throw UnreadableCallback(message: "the body is not a JSON object with transcript_sid")
            }
            sid = payload.transcript_sid
            event = payload.event_type
        } else {
            let pairs = FormBody.pairs(body)
            sid = FormBody.value("transcript_sid", in: pairs) ?? FormBody.value("TranscriptSid", in: pairs)
            event = FormBody.value("event_type", in: pairs) ?? FormBody.value("EventType", in: pairs)
        }
        guard let sid, VideoCallback.isSID(sid, prefix: "GT") else {
            throw UnreadableCallback(message: "the callback names no transcript (transcript_sid GT followed by 32 hex digits)")
        }
        transcriptSID = sid
        // Kept for logs only when it is a short name of safe characters.
        eventType = event.map { text in
            text.utf8.count <= 64 && text.utf8.allSatisfy { $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: ".") || (0x61...0x7A).contains($0) }
                ? text : "unrecognised"
        }
    }
}
