#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Transcript processing states. Unknown future values are kept as `.other`.
public enum TranscriptStatus: Sendable, Equatable, Codable, CustomStringConvertible {
    case queued, inProgress, completed, new, failed, canceled, error
    case other(String)

    /// Creates a status from the wire value.
    public init(rawValue: String) {
        switch rawValue {
        case "queued": self = .queued
        case "in-progress": self = .inProgress
        case "completed": self = .completed
        case "new": self = .new
        case "failed": self = .failed
        case "canceled": self = .canceled
        case "error": self = .error
        default: self = .other(rawValue)
        }
    }

    /// The wire value.
    public var rawValue: String {
        switch self {
        case .queued: "queued"
        case .inProgress: "in-progress"
        case .completed: "completed"
        case .new: "new"
        case .failed: "failed"
        case .canceled: "canceled"
        case .error: "error"
        case .other(let value): value
        }
    }

    /// Whether processing has ended (successfully or not).
    public var isTerminal: Bool { [.completed, .failed, .canceled, .error].contains(self) }

    /// Decodes the API's JSON.
    public init(from decoder: any Decoder) throws {
        self.init(rawValue: try decoder.singleValueContainer().decode(String.self))
    }

    /// Encodes the value as the API's JSON.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    /// A readable rendering of the value.
    public var description: String { rawValue }
}

/// A Transcript resource (`GT…`).
public struct Transcript: Sendable, Equatable, Codable {
    /// The `sid` field.
    public var sid: String
    /// The `account_sid` field as the API sends it (`nil` when absent).
    public var accountSID: String?
    /// The `service_sid` field as the API sends it (`nil` when absent).
    public var serviceSID: String?
    /// The `status` field.
    public var status: TranscriptStatus
    /// The channel object as sent (media + participants).
    public var channel: Channel?
    /// The `data_logging` field as the API sends it (`nil` when absent).
    public var dataLogging: Bool?
    /// The `language_code` field as the API sends it (`nil` when absent).
    public var languageCode: String?
    /// The `customer_key` field as the API sends it (`nil` when absent).
    public var customerKey: String?
    /// The `media_start_time` field as the API sends it (`nil` when absent).
    public var mediaStartTime: String?
    /// Source duration in seconds.
    public var duration: Int?
    /// The `url` field as the API sends it (`nil` when absent).
    public var url: String?
    /// The `redaction` field as the API sends it (`nil` when absent).
    public var redaction: Bool?
    /// The `encryption_credential_sid` field as the API sends it (`nil` when absent).
    public var encryptionCredentialSID: String?
    /// The `date_created` field as the API sends it (`nil` when absent).
    public var dateCreated: String?
    /// The `date_updated` field as the API sends it (`nil` when absent).
    public var dateUpdated: String?
    /// The `links` field as the API sends it (`nil` when absent).
    public var links: [String: String]?

    enum CodingKeys: String, CodingKey {
        case sid, status, channel, url, redaction, duration, links
        case accountSID = "account_sid"
        case serviceSID = "service_sid"
        case dataLogging = "data_logging"
        case languageCode = "language_code"
        case customerKey = "customer_key"
        case mediaStartTime = "media_start_time"
        case encryptionCredentialSID = "encryption_credential_sid"
        case dateCreated = "date_created"
        case dateUpdated = "date_updated"
    }

    /// Decodes the API's JSON.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        sid = try container.decode(String.self, forKey: .sid)
        accountSID = try container.decodeIfPresent(String.self, forKey: .accountSID)
        serviceSID = try container.decodeIfPresent(String.self, forKey: .serviceSID)
        status = try container.decodeIfPresent(TranscriptStatus.self, forKey: .status) ?? .other("unknown")
        // The channel echoes what was sent; tolerate shapes we do not model.
        channel = try? container.decodeIfPresent(Channel.self, forKey: .channel)
        dataLogging = try container.decodeIfPresent(Bool.self, forKey: .dataLogging)
        languageCode = try container.decodeIfPresent(String.self, forKey: .languageCode)
        customerKey = try container.decodeIfPresent(String.self, forKey: .customerKey)
        mediaStartTime = try container.decodeIfPresent(String.self, forKey: .mediaStartTime)
        duration = try container.decodeIfPresent(Int.self, forKey: .duration)
        url = try container.decodeIfPresent(String.self, forKey: .url)
        redaction = try container.decodeIfPresent(Bool.self, forKey: .redaction)
        encryptionCredentialSID = try container.decodeIfPresent(String.self, forKey: .encryptionCredentialSID)
        dateCreated = try container.decodeIfPresent(String.self, forKey: .dateCreated)
        dateUpdated = try container.decodeIfPresent(String.self, forKey: .dateUpdated)
        links = try container.decodeIfPresent([String: String].self, forKey: .links)
    }

    /// Speaker names by media channel, from the channel's participants.
    public var speakerNames: [Int: String] {
        var names: [Int: String] = [:]
        for participant in channel?.participants ?? [] {
            if let name = participant.displayName { names[participant.channelParticipant] = name }
        }
        return names
    }
}

/// `GET /v2/Transcripts/{Sid}/Media`: a temporary URL of the (optionally redacted) audio.
public struct TranscriptMedia: Sendable, Equatable, Codable {
    /// The `sid` field as the API sends it (`nil` when absent).
    public var sid: String?
    /// The `account_sid` field as the API sends it (`nil` when absent).
    public var accountSID: String?
    /// The `service_sid` field as the API sends it (`nil` when absent).
    public var serviceSID: String?
    /// Temporary download URL.
    public var mediaURL: String?
    /// The `url` field as the API sends it (`nil` when absent).
    public var url: String?

    enum CodingKeys: String, CodingKey {
        case sid, url
        case accountSID = "account_sid"
        case serviceSID = "service_sid"
        case mediaURL = "media_url"
    }
}

/// The `…/Encrypted` locations for sentences (`location`) or operator results (`locations`).
public struct EncryptedLocation: Sendable, Equatable, Codable {
    /// The `location` field as the API sends it (`nil` when absent).
    public var location: String?
    /// The `locations` field as the API sends it (`nil` when absent).
    public var locations: [String]?
    /// The `transcript_sid` field as the API sends it (`nil` when absent).
    public var transcriptSID: String?
    /// The `url` field as the API sends it (`nil` when absent).
    public var url: String?

    enum CodingKeys: String, CodingKey {
        case location, locations, url
        case transcriptSID = "transcript_sid"
    }
}
