/// An Intelligence Service (`GA…`): language, redaction, webhook and attached operators.
public struct Service: Sendable, Equatable, Codable {
    /// The `sid` field.
    public var sid: String
    /// The `unique_name` field as the API sends it (`nil` when absent).
    public var uniqueName: String?
    /// The `friendly_name` field as the API sends it (`nil` when absent).
    public var friendlyName: String?
    /// The `account_sid` field as the API sends it (`nil` when absent).
    public var accountSID: String?
    /// The `language_code` field as the API sends it (`nil` when absent).
    public var languageCode: String?
    /// The `auto_transcribe` field as the API sends it (`nil` when absent).
    public var autoTranscribe: Bool?
    /// The `auto_redaction` field as the API sends it (`nil` when absent).
    public var autoRedaction: Bool?
    /// The `media_redaction` field as the API sends it (`nil` when absent).
    public var mediaRedaction: Bool?
    /// The `data_logging` field as the API sends it (`nil` when absent).
    public var dataLogging: Bool?
    /// The `webhook_url` field as the API sends it (`nil` when absent).
    public var webhookURL: String?
    /// The `webhook_http_method` field as the API sends it (`nil` when absent).
    public var webhookHTTPMethod: String?
    /// The `encryption_credential_sid` field as the API sends it (`nil` when absent).
    public var encryptionCredentialSID: String?
    /// The `read_only_attached_operator_sids` field as the API sends it (`nil` when absent).
    public var readOnlyAttachedOperatorSIDs: [String]?
    /// Optimistic-concurrency version; send it as `If-Match` when updating.
    public var version: Int?
    /// The `date_created` field as the API sends it (`nil` when absent).
    public var dateCreated: String?
    /// The `date_updated` field as the API sends it (`nil` when absent).
    public var dateUpdated: String?
    /// The `url` field as the API sends it (`nil` when absent).
    public var url: String?

    enum CodingKeys: String, CodingKey {
        case sid, version, url
        case uniqueName = "unique_name"
        case friendlyName = "friendly_name"
        case accountSID = "account_sid"
        case languageCode = "language_code"
        case autoTranscribe = "auto_transcribe"
        case autoRedaction = "auto_redaction"
        case mediaRedaction = "media_redaction"
        case dataLogging = "data_logging"
        case webhookURL = "webhook_url"
        case webhookHTTPMethod = "webhook_http_method"
        case encryptionCredentialSID = "encryption_credential_sid"
        case readOnlyAttachedOperatorSIDs = "read_only_attached_operator_sids"
        case dateCreated = "date_created"
        case dateUpdated = "date_updated"
    }
}

/// Settings for creating or updating a Service. Unset fields are not sent.
public struct ServiceSettings: Sendable, Equatable {
    /// Sent as `UniqueName` when set.
    public var uniqueName: String?
    /// Sent as `FriendlyName` when set.
    public var friendlyName: String?
    /// Sent as `LanguageCode` when set.
    public var languageCode: String?
    /// Sent as `AutoTranscribe` when set.
    public var autoTranscribe: Bool?
    /// Sent as `DataLogging` when set.
    public var dataLogging: Bool?
    /// Sent as `AutoRedaction` when set.
    public var autoRedaction: Bool?
    /// Sent as `MediaRedaction` when set.
    public var mediaRedaction: Bool?
    /// Sent as `WebhookUrl` when set.
    public var webhookURL: String?
    /// `GET`, `POST` or `NULL`.
    public var webhookHTTPMethod: String?
    /// Sent as `EncryptionCredentialSid` when set.
    public var encryptionCredentialSID: String?

    /// Creates settings; every field optional.
    public init(uniqueName: String? = nil, friendlyName: String? = nil, languageCode: String? = nil,
                autoTranscribe: Bool? = nil, dataLogging: Bool? = nil, autoRedaction: Bool? = nil,
                mediaRedaction: Bool? = nil, webhookURL: String? = nil, webhookHTTPMethod: String? = nil,
                encryptionCredentialSID: String? = nil) {
        self.uniqueName = uniqueName
        self.friendlyName = friendlyName
        self.languageCode = languageCode
        self.autoTranscribe = autoTranscribe
        self.dataLogging = dataLogging
        self.autoRedaction = autoRedaction
        self.mediaRedaction = mediaRedaction
        self.webhookURL = webhookURL
        self.webhookHTTPMethod = webhookHTTPMethod
        self.encryptionCredentialSID = encryptionCredentialSID
    }

    /// Local checks mirroring the API's; throws naming the field.
    public func validate(creating: Bool) throws(IntelligenceClientError) {
        if creating, uniqueName?.isEmpty ?? true {
            throw .invalidInput(field: "UniqueName", message: "required when creating a service")
        }
        if let friendlyName, friendlyName.count > 64 {
            throw .invalidInput(field: "FriendlyName", message: "at most 64 characters; got \(friendlyName.count)")
        }
        if let method = webhookHTTPMethod, !["GET", "POST", "NULL"].contains(method) {
            throw .invalidInput(field: "WebhookHttpMethod", message: "must be GET, POST or NULL; got \(method.debugDescription)")
        }
        if mediaRedaction == true, autoRedaction != true, creating {
            throw .invalidInput(field: "MediaRedaction", message: "requires AutoRedaction=true")
        }
        if let credential = encryptionCredentialSID {
            try SIDPattern.credential.validate(credential, field: "EncryptionCredentialSid")
        }
    }

    /// Form fields in the helper libraries' order (see API-NOTES §11 d).
    public func formFields() -> [(String, String)] {
        var fields: [(String, String)] = []
        func add(_ name: String, _ value: String?) { if let value { fields.append((name, value)) } }
        func add(_ name: String, _ value: Bool?) { if let value { fields.append((name, value ? "true" : "false")) } }
        add("UniqueName", uniqueName)
        add("AutoTranscribe", autoTranscribe)
        add("DataLogging", dataLogging)
        add("FriendlyName", friendlyName)
        add("LanguageCode", languageCode)
        add("AutoRedaction", autoRedaction)
        add("MediaRedaction", mediaRedaction)
        add("WebhookUrl", webhookURL)
        add("WebhookHttpMethod", webhookHTTPMethod)
        add("EncryptionCredentialSid", encryptionCredentialSID)
        return fields
    }
}
