import CallPrepJSON
import Crypto
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Verifies `X-Twilio-Signature` on incoming webhooks (the Service's completion webhook).
///
/// Form bodies: HMAC-SHA1 (key = Auth Token) over the full URL followed by each parameter
/// name+value, names sorted; base64. JSON bodies: the URL carries `bodySHA256=<hex>` of the
/// raw body; the URL alone is signed. Both URL forms, with and without the default port, are
/// accepted, as Twilio's own validators do.
public struct WebhookSignatureValidator: Sendable {
    private let authToken: String

    /// Creates a validator with the account's Auth Token (the HMAC key).
    public init(authToken: String) {
        self.authToken = authToken
    }

    /// The signature Twilio would send for `url` and form `parameters`.
    public func signature(url: String, parameters: [(String, String)]) -> String {
        var text = url
        let sorted = parameters.sorted { $0.0 == $1.0 ? $0.1 < $1.1 : $0.0 < $1.0 }
        for (name, value) in sorted { text += name + value }
        let key = SymmetricKey(data: Data(authToken.utf8))
        let mac = HMAC<Insecure.SHA1>.authenticationCode(for: Data(text.utf8), using: key)
        return Data(mac).base64EncodedString()
    }

    /// Whether `signature` is valid for a form-encoded webhook.
    public func isValid(url: String, parameters: [(String, String)], signature: String) -> Bool {
        Self.urlVariants(url).contains { Self.constantTimeEqual(self.signature(url: $0, parameters: parameters), signature) }
    }

    /// Whether `signature` is valid for a JSON webhook whose URL carries `bodySHA256`.
    public func isValid(url: String, jsonBody: [UInt8], signature: String) -> Bool {
        guard let components = URLComponents(string: url),
              let expected = components.queryItems?.first(where: { $0.name == "bodySHA256" })?.value else { return false }
        let actual = NumberText.hex(SHA256.hash(data: jsonBody))
        guard Self.constantTimeEqual(actual, expected.lowercased()) else { return false }
        return isValid(url: url, parameters: [], signature: signature)
    }

    /// `url` as given, plus the variant with the default port added or removed.
    static func urlVariants(_ url: String) -> [String] {
        guard var components = URLComponents(string: url), let scheme = components.scheme?.lowercased() else { return [url] }
        let defaultPort = scheme == "https" ? 443 : 80
        if components.port == defaultPort {
            components.port = nil
        } else if components.port == nil {
            components.port = defaultPort
        } else {
            return [url]
        }
        return [url, components.string ?? url]
    }

    static func constantTimeEqual(_ lhs: String, _ rhs: String) -> Bool {
        let a = Array(lhs.utf8), b = Array(rhs.utf8)
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for index in a.indices { difference |= a[index] ^ b[index] }
        return difference == 0
    }
}
