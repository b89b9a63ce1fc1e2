/// An Intelligence Service (`GA…`): language, redaction, webhook and attached operators.
public struct Service: Sendable, Equatable, Codable {
    public var sid: String
    public var uniqueName: String?
    public var friendlyName: String?
    public var accountSID: String?
    public var languageCode: String?
    public var autoTranscribe: Bool?
    public var autoRedaction: Bool?
    public var mediaRedaction: Bool?
    public var dataLogging: Bool?
    public var webhookURL: String?
    public var webhookHTTPMethod: String?
    public var encryptionCredentialSID: String?
    public var readOnlyAttachedOperatorSIDs: [String]?
    /// Optimistic-concurrency version; send it as `If-Match` when updating.
    public var version: Int?
    public var dateCreated: String?
    public var dateUpdated: String?
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
    public var uniqueName: String?
    public var friendlyName: String?
    public var languageCode: String?
    public var autoTranscribe: Bool?
    public var dataLogging: Bool?
    public var autoRedaction: Bool?
    public var mediaRedaction: Bool?
    public var webhookURL: String?
    /// `GET`, `POST` or `NULL`.
    public var webhookHTTPMethod: String?
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
