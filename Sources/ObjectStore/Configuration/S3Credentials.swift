#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// An S3 access key: the key id, its secret, and the session token of temporary credentials.
///
/// The secret and the token are never part of ``description`` (nor of any error or log line):
/// only the key id is ever shown.
public struct S3Credentials: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The access key id (`AKIA…`, `ASIA…`, or a provider's own form). Not a secret.
    public let accessKeyID: String
    /// The secret access key. Never printed.
    let secretAccessKey: String
    /// The session token of temporary credentials (STS), or `nil`. Never printed.
    let sessionToken: String?

    /// Credentials from their parts; empty strings are refused.
    public init(accessKeyID: String, secretAccessKey: String, sessionToken: String? = nil) throws(ObjectStoreError) {
        guard !accessKeyID.isEmpty, !secretAccessKey.isEmpty else {
            throw ObjectStoreError(
                code: .missingCredentials,
                message: "an S3 access key needs both its id and its secret; set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY")
        }
        self.accessKeyID = accessKeyID
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken.flatMap { $0.isEmpty ? nil : $0 }
    }

    /// Whether these are temporary credentials (with a session token).
    public var isTemporary: Bool { sessionToken != nil }

    /// `access key AKIA… (secret hidden)`.
    public var description: String {
        "access key \(accessKeyID) (secret hidden\(sessionToken == nil ? "" : ", session token hidden"))"
    }

    /// Same as ``description``: the secret stays hidden in debug output too.
    public var debugDescription: String { description }

    /// Mirrors only the key id, so `dump` and debuggers never show the secret.
    public var customMirror: Mirror { Mirror(self, children: ["accessKeyID": accessKeyID]) }

    /// Removes the secret and the token from text that came from elsewhere (a server's error
    /// message), in case it echoes them.
    func redacting(_ text: String) -> String {
        var result = text
        for secret in [secretAccessKey, sessionToken].compactMap({ $0 }) where secret.count >= 4 {
            result = result.replacing(secret, with: "[redacted]")
        }
        return result
    }
}
