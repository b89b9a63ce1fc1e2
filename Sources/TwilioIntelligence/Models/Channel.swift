import CallPrepJSON
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
// `Channel.participants` is the channel map a merge decided; the type is ChannelMap's, shared
// with AudioPrep. Re-exported so `import TwilioIntelligence` alone is enough to submit.
@_exported import ChannelMap

/// Where Twilio gets the audio: a public URL it fetches once, or a Twilio Recording SID.
public enum MediaSource: Sendable, Equatable, Codable {
    /// `media_properties.media_url`: a publicly reachable URL (presigned is fine, no Basic auth).
    case mediaURL(String)
    /// `media_properties.source_sid`: a Twilio Recording `RE…`.
    case sourceSID(String)

    private enum CodingKeys: String, CodingKey {
        case mediaURL = "media_url"
        case sourceSID = "source_sid"
    }

    /// Decodes the API's JSON.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        if let url = try container.decodeIfPresent(String.self, forKey: .mediaURL) {
            self = .mediaURL(url)
        } else {
            self = .sourceSID(try container.decode(String.self, forKey: .sourceSID))
        }
    }

    /// Encodes the value as the API's JSON.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .mediaURL(let url): try container.encode(url, forKey: .mediaURL)
        case .sourceSID(let sid): try container.encode(sid, forKey: .sourceSID)
        }
    }
}

extension ChannelParticipant {
    /// The JSON object in the documented key order, optional keys left out when unset.
    var orderedJSON: JSONValue {
        var members: [JSONValue.Member] = [.init("channel_participant", .int(Int64(channelParticipant)))]
        for (key, value) in fields {
            if let value { members.append(.init(key, .string(value))) }
        }
        return .object(members)
    }
}

/// The `Channel` form field of a transcript create: media source plus the channel map.
public struct Channel: Sendable, Equatable, Codable {
    /// Where the audio comes from.
    public var media: MediaSource
    /// Who is on which channel (at most two, channel 1 and/or 2).
    public var participants: [ChannelParticipant]

    /// Creates a channel description.
    public init(media: MediaSource, participants: [ChannelParticipant] = []) {
        self.media = media
        self.participants = participants
    }

    enum CodingKeys: String, CodingKey {
        case media = "media_properties"
        case participants
    }

    /// Decodes the API's JSON.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        media = try container.decode(MediaSource.self, forKey: .media)
        participants = try container.decodeIfPresent([ChannelParticipant].self, forKey: .participants) ?? []
    }

    /// The JSON text sent in the `Channel` field — Python `json.dumps` layout, keys in the
    /// documented order, `participants` omitted when empty.
    public var jsonText: String {
        let media: JSONValue = switch self.media {
        case .mediaURL(let url): .object(["media_url": .string(url)])
        case .sourceSID(let sid): .object(["source_sid": .string(sid)])
        }
        var members: [JSONValue.Member] = [.init("media_properties", media)]
        if !participants.isEmpty {
            members.append(.init("participants", .array(participants.map(\.orderedJSON))))
        }
        return JSONValue.object(members).serialized(.pythonCompact)
    }

    /// Checks the rules Twilio enforces, naming the offending field.
    public func validate() throws(IntelligenceClientError) {
        switch media {
        case .mediaURL(let text):
            guard let url = URLComponents(string: text), let scheme = url.scheme?.lowercased(),
                  scheme == "https" || scheme == "http", let host = url.host, !host.isEmpty else {
                throw .invalidInput(field: "Channel.media_properties.media_url", message: "must be an absolute http(s) URL Twilio can fetch; got \(text.debugDescription)")
            }
        case .sourceSID(let sid):
            try SIDPattern.recording.validate(sid, field: "Channel.media_properties.source_sid")
        }
        guard participants.count <= 2 else {
            throw .invalidInput(field: "Channel.participants", message: "at most 2 participants (one per channel); got \(participants.count)")
        }
        var seen = Set<Int>()
        for (index, participant) in participants.enumerated() {
            let field = "Channel.participants[\(index)]"
            guard participant.channelParticipant == 1 || participant.channelParticipant == 2 else {
                throw .invalidInput(field: "\(field).channel_participant", message: "must be 1 or 2; got \(participant.channelParticipant)")
            }
            guard seen.insert(participant.channelParticipant).inserted else {
                throw .invalidInput(field: "\(field).channel_participant", message: "channel \(participant.channelParticipant) is given twice; each channel may have one participant")
            }
            if let email = participant.email, !Self.looksLikeEmail(email) {
                throw .invalidInput(field: "\(field).email", message: "not an e-mail address: \(email.debugDescription)")
            }
            if let image = participant.imageURL {
                guard let url = URLComponents(string: image), url.scheme != nil, url.host?.isEmpty == false else {
                    throw .invalidInput(field: "\(field).image_url", message: "must be an absolute URL; got \(image.debugDescription)")
                }
            }
        }
    }

    private static func looksLikeEmail(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        return parts.count == 2 && !parts[0].isEmpty && parts[1].contains(".") && !text.contains(where: \.isWhitespace)
    }
}
