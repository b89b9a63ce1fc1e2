/// Who is on one output channel, in exactly the shape of an entry of Intelligence's
/// `Channel.participants` (Transcript resource): `channel_participant` (1 = left, 2 = right)
/// plus optional identity and display fields.
///
/// The merge decides it (`MergeManifest.participants`), the manifest carries it, and the submit
/// step sends it; this one type is shared by `AudioPrep`, `TwilioIntelligence` and the
/// command line, so the map is never re-derived or converted on the way. Encoded with
/// snake_case keys; absent fields are omitted.
public struct ChannelParticipant: Sendable, Hashable, Codable {
    /// 1 (left channel) or 2 (right channel).
    public var channelParticipant: Int
    /// Your id for the person.
    public var userID: String?
    /// Channel-specific id, e.g. the phone number for Voice or a Twilio Video participant SID.
    public var mediaParticipantID: String?
    /// E-mail address.
    public var email: String?
    /// Display name, used when printing the conversation.
    public var fullName: String?
    /// Avatar URL.
    public var imageURL: String?
    /// Role label overriding the default (channel 1 Agent, channel 2 Customer).
    public var role: String?

    /// Creates a participant for `channelParticipant` (1 or 2).
    public init(
        channelParticipant: Int, userID: String? = nil, mediaParticipantID: String? = nil, email: String? = nil,
        fullName: String? = nil, imageURL: String? = nil, role: String? = nil
    ) {
        self.channelParticipant = channelParticipant
        self.userID = userID
        self.mediaParticipantID = mediaParticipantID
        self.email = email
        self.fullName = fullName
        self.imageURL = imageURL
        self.role = role
    }

    enum CodingKeys: String, CodingKey {
        case channelParticipant = "channel_participant"
        case userID = "user_id"
        case mediaParticipantID = "media_participant_id"
        case email
        case fullName = "full_name"
        case imageURL = "image_url"
        case role
    }

    /// The role Intelligence gives a channel when none is sent: 1 "Agent", 2 "Customer".
    public static func defaultRole(channel: Int) -> String { channel == 1 ? "Agent" : "Customer" }

    /// The name to show for this speaker: full name, else role, else user id.
    public var displayName: String? { fullName ?? role ?? userID }

    /// The optional fields in the documented key order (`user_id`, `media_participant_id`,
    /// `email`, `full_name`, `image_url`, `role`), each with its JSON key, unset ones as nil.
    public var fields: [(key: String, value: String?)] {
        [
            ("user_id", userID), ("media_participant_id", mediaParticipantID), ("email", email),
            ("full_name", fullName), ("image_url", imageURL), ("role", role),
        ]
    }

    /// The JSON keys `--participant` and the manifest accept besides `channel_participant`.
    public static let fieldKeys = ["role", "full_name", "user_id", "email", "media_participant_id", "image_url"]

    /// Sets the field named by its JSON key; false when `key` is not one of `fieldKeys`.
    mutating func setField(_ key: String, to value: String) -> Bool {
        switch key {
        case "role": role = value
        case "full_name": fullName = value
        case "user_id": userID = value
        case "email": email = value
        case "media_participant_id": mediaParticipantID = value
        case "image_url": imageURL = value
        default: return false
        }
        return true
    }
}
