/// A Video Room status callback (`StatusCallbackEvent` and the room's SID, form-encoded), as
/// `POST /twilio/video` acts on it.
enum VideoCallback: Sendable, Hashable {
    /// The room ended: its job is added (the room SID is the job id).
    case roomEnded(room: String)
    /// A recording of the room completed or failed: acknowledged; the room's job reads every
    /// recording's status itself once the room has ended.
    case recording(event: String, room: String, recording: String?)
    /// Any other event (`room-created`, `participant-connected`, …), or one this version does
    /// not know: acknowledged and logged.
    case other(event: String, room: String?)

    /// Reads the callback's form parameters.
    init(parameters: [(String, String)]) throws(UnreadableCallback) {
        guard let event = FormBody.value("StatusCallbackEvent", in: parameters), !event.isEmpty else {
            throw UnreadableCallback(message: "the callback has no StatusCallbackEvent")
        }
        let room = FormBody.value("RoomSid", in: parameters)
        if let room, !Self.isSID(room, prefix: "RM") {
            throw UnreadableCallback(message: "RoomSid is not RM followed by 32 hex digits")
        }
        switch event {
        case "room-ended":
            guard let room else { throw UnreadableCallback(message: "a room-ended callback without RoomSid") }
            self = .roomEnded(room: room)
        case "recording-completed", "recording-failed":
            guard let room else { throw UnreadableCallback(message: "a \(event) callback without RoomSid") }
            let recording = FormBody.value("RecordingSid", in: parameters).flatMap { Self.isSID($0, prefix: "RT") ? $0 : nil }
            self = .recording(event: event, room: room, recording: recording)
        default:
            // Logged as it came, so only a short name of safe characters.
            let shown = event.utf8.count <= 40 && event.utf8.allSatisfy { $0 == UInt8(ascii: "-") || (0x61...0x7A).contains($0) }
                ? event : "unrecognised"
            self = .other(event: shown, room: room)
        }
    }

    /// The callback's event name, for logs and metrics.
    var event: String {
        switch self {
        case .roomEnded: "room-ended"
        case .recording(let event, _, _): event
        case .other(let event, _): event
        }
    }

    /// `prefix` followed by 32 lower-case or upper-case hex digits.
    static func isSID(_ text: String, prefix: String) -> Bool {
        guard text.utf8.count == 34, text.hasPrefix(prefix) else { return false }
        return text.utf8.dropFirst(2).allSatisfy { byte in
            (0x30...0x39).contains(byte) || (0x61...0x66).contains(byte) || (0x41...0x46).contains(byte)
        }
    }
}
