import CallPrepJSON
import Crypto
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Everything `POST /v2/Transcripts` takes. Build one, then pass it to
/// ``IntelligenceClient/createTranscript(_:)``; ``formFields()`` shows the exact body.
public struct TranscriptCreateRequest: Sendable, Equatable {
    /// The Service `GA…` the transcript belongs to.
    public var serviceSID: String
    /// Media and channel map.
    public var channel: Channel
    /// Your key (≤ 64 characters), echoed in the webhook; also how a retried create finds the
    /// transcript it may already have made. Defaults to ``derivedCustomerKey(seed:)``.
    public var customerKey: String
    /// When the media started; sent converted to UTC.
    public var mediaStartTime: Date?

    /// Creates a request. Without `customerKey`, one is derived from the media and channel map.
    public init(serviceSID: String, channel: Channel, customerKey: String? = nil, mediaStartTime: Date? = nil) {
        self.serviceSID = serviceSID
        self.channel = channel
        self.customerKey = customerKey ?? Self.derivedCustomerKey(channel: channel)
        self.mediaStartTime = mediaStartTime
    }

    /// A deterministic key `cp-<40 hex>`: SHA-256 of `seed` (the media file's own SHA-256 when
    /// known) and the channel JSON. The same media and map always give the same key.
    public static func derivedCustomerKey(channel: Channel, seed: String? = nil) -> String {
        var hasher = SHA256()
        hasher.update(data: Data((seed ?? "").utf8))
        hasher.update(data: Data([0x0A]))
        hasher.update(data: Data(channel.jsonText.utf8))
        let hex = NumberText.hex(hasher.finalize())
        return "cp-" + hex.prefix(40)
    }

    /// Twilio's date-time format for `MediaStartTime`: UTC, seconds precision, literal `Z`.
    public static func formatUTC(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle())
    }

    /// Checks every field locally; throws naming the field. Nothing is sent on failure.
    public func validate() throws(IntelligenceClientError) {
        try SIDPattern.service.validate(serviceSID, field: "ServiceSid")
        try channel.validate()
        guard !customerKey.isEmpty, customerKey.count <= 64 else {
            throw .invalidInput(field: "CustomerKey", message: "must be 1 to 64 characters; got \(customerKey.count)")
        }
        guard !customerKey.contains(where: { $0.isNewline }) else {
            throw .invalidInput(field: "CustomerKey", message: "must not contain line breaks")
        }
    }

    /// The form fields in the order the helper libraries send them.
    public func formFields() -> [(String, String)] {
        var fields = [("ServiceSid", serviceSID), ("Channel", channel.jsonText), ("CustomerKey", customerKey)]
        if let mediaStartTime {
            fields.append(("MediaStartTime", Self.formatUTC(mediaStartTime)))
        }
        return fields
    }

    /// The exact `application/x-www-form-urlencoded` body.
    public var formBody: String { FormEncoding.encode(formFields()) }

    /// Equal when the serialized forms are equal.
    public static func == (lhs: TranscriptCreateRequest, rhs: TranscriptCreateRequest) -> Bool {
        lhs.formBody == rhs.formBody
    }
}
