import CallPrepJSON
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// How the client authenticates: HTTP Basic with either the Account SID and Auth Token, or an
/// API Key SID and Secret (recommended for production) together with the Account SID.
///
/// The secret is never part of ``description`` or ``redactedAuthorization``; only the
/// username (an `AC…` or `SK…` SID) is ever shown.
public struct Credentials: Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The Basic-auth username: an Account SID (`AC…`) or API Key SID (`SK…`).
    public let username: String
    /// The Basic-auth password: Auth Token or API Key Secret. Never printed.
    let secret: String
    /// The account the requests act for.
    public let accountSID: String

    /// Account SID + Auth Token.
    public static func authToken(accountSID: String, authToken: String) throws(IntelligenceClientError) -> Credentials {
        try Self.check(accountSID, pattern: SIDPattern.account, field: "TWILIO_ACCOUNT_SID")
        try Self.checkSecret(authToken, field: "TWILIO_AUTH_TOKEN")
        return Credentials(username: accountSID, secret: authToken, accountSID: accountSID)
    }

    /// API Key SID + Secret, acting for `accountSID`.
    public static func apiKey(keySID: String, secret: String, accountSID: String) throws(IntelligenceClientError) -> Credentials {
        try Self.check(keySID, pattern: SIDPattern.apiKey, field: "TWILIO_API_KEY")
        try Self.checkSecret(secret, field: "TWILIO_API_SECRET")
        try Self.check(accountSID, pattern: SIDPattern.account, field: "TWILIO_ACCOUNT_SID")
        return Credentials(username: keySID, secret: secret, accountSID: accountSID)
    }

    /// Reads credentials from an environment dictionary: `TWILIO_API_KEY` + `TWILIO_API_SECRET`
    /// (+ `TWILIO_ACCOUNT_SID`) when a key is set, else `TWILIO_ACCOUNT_SID` + `TWILIO_AUTH_TOKEN`.
    public static func fromEnvironment(_ environment: [String: String]) throws(IntelligenceClientError) -> Credentials {
        func value(_ name: String) -> String? {
            guard let raw = environment[name]?.trimmingWhitespace(), !raw.isEmpty else { return nil }
            return raw
        }
        if let key = value("TWILIO_API_KEY") {
            guard let secret = value("TWILIO_API_SECRET") else {
                throw .invalidInput(field: "TWILIO_API_SECRET", message: "TWILIO_API_KEY is set but TWILIO_API_SECRET is not; export the API key's secret")
            }
            guard let account = value("TWILIO_ACCOUNT_SID") else {
                throw .invalidInput(field: "TWILIO_ACCOUNT_SID", message: "API key auth also needs the Account SID (AC…); export TWILIO_ACCOUNT_SID")
            }
            return try apiKey(keySID: key, secret: secret, accountSID: account)
        }
        guard let account = value("TWILIO_ACCOUNT_SID") else {
            throw .invalidInput(field: "TWILIO_ACCOUNT_SID", message: "no credentials: export TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN (or TWILIO_API_KEY, TWILIO_API_SECRET and TWILIO_ACCOUNT_SID)")
        }
        guard let token = value("TWILIO_AUTH_TOKEN") else {
            throw .invalidInput(field: "TWILIO_AUTH_TOKEN", message: "TWILIO_ACCOUNT_SID is set but TWILIO_AUTH_TOKEN is not; export the auth token (or use TWILIO_API_KEY + TWILIO_API_SECRET)")
        }
        return try authToken(accountSID: account, authToken: token)
    }

    private init(username: String, secret: String, accountSID: String) {
        self.username = username
        self.secret = secret
        self.accountSID = accountSID
    }

    /// The `Authorization` header value.
    var authorizationHeader: String {
        "Basic " + Data("\(username):\(secret)".utf8).base64EncodedString()
    }

    /// What may be shown to a person in place of the header: `Basic SK…:<redacted>`.
    public var redactedAuthorization: String { "Basic \(username):<redacted>" }

    /// A readable rendering of the value.
    public var description: String { "Credentials(\(username), secret redacted)" }

    /// Same as ``description``; never reveals a secret.
    public var debugDescription: String { description }

    /// Reflection (`dump`, debuggers) shows the username and account only, never the secret.
    public var customMirror: Mirror {
        Mirror(self, children: ["username": username, "accountSID": accountSID, "secret": "<redacted>"])
    }

    private static func check(_ value: String, pattern: SIDPattern, field: String) throws(IntelligenceClientError) {
        guard pattern.matches(value) else {
            throw .invalidInput(field: field, message: "\(field) must be \(pattern.prefix) followed by 32 hex digits; got \(value.count) characters starting \(String(value.prefix(2)).debugDescription)")
        }
    }

    private static func checkSecret(_ value: String, field: String) throws(IntelligenceClientError) {
        guard !value.isEmpty, !value.contains(where: { $0.isWhitespace || $0.isNewline }) else {
            throw .invalidInput(field: field, message: "\(field) is empty or contains whitespace; copy it again from the Console")
        }
    }
}
