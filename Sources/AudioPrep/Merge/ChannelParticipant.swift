/// Who is on one output channel, in exactly the shape of an entry of Intelligence's
/// `Channel.participants` (Transcript resource): `channel_participant` (1 = left, 2 = right)
/// plus optional display and identity fields. Encoded with snake_case keys; absent fields are
/// omitted.
public struct ChannelParticipant: Sendable, Hashable, Codable {
    public var channelParticipant: Int
    public var userID: String?
    public var mediaParticipantID: String?
    public var email: String?
    public var fullName: String?
    public var imageURL: String?
    public var role: String?

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

    /// The role Intelligence gives a channel when none is sent: 1 "Agent", 2 "Customer".
    public static func defaultRole(channel: Int) -> String { channel == 1 ? "Agent" : "Customer" }

    enum CodingKeys: String, CodingKey {
        case channelParticipant = "channel_participant"
        case userID = "user_id"
        case mediaParticipantID = "media_participant_id"
        case email
        case fullName = "full_name"
        case imageURL = "image_url"
        case role
    }

    /// Parses `key=value,key=value` (keys as in the JSON: role, full_name, user_id, email,
    /// media_participant_id, image_url). A value may contain spaces but not commas.
    public static func parse(channel: Int, fields: String) throws(AudioPrepError) -> ChannelParticipant {
        var participant = ChannelParticipant(channelParticipant: channel)
        for pair in fields.split(separator: ",", omittingEmptySubsequences: true) {
            guard let equals = pair.firstIndex(of: "=") else {
                throw AudioPrepError(.invalidArgument, "participant field '\(pair)' has no '='. Write key=value, e.g. role=Agent.")
            }
            let key = pair[..<equals].trimmedOfSpaces()
            let value = pair[pair.index(after: equals)...].trimmedOfSpaces()
            switch key {
            case "role": participant.role = value
            case "full_name": participant.fullName = value
            case "user_id": participant.userID = value
            case "email": participant.email = value
            case "media_participant_id": participant.mediaParticipantID = value
            case "image_url": participant.imageURL = value
            default:
                throw AudioPrepError(
                    .invalidArgument,
                    "unknown participant field '\(key)'. Use role, full_name, user_id, email, media_participant_id or image_url.")
            }
        }
        return participant
    }
}

extension Substring {
    fileprivate func trimmedOfSpaces() -> String {
        var view = self[...]
        while view.first == " " { view = view.dropFirst() }
        while view.last == " " { view = view.dropLast() }
        return String(view)
    }
}
