import CallPrepJSON
import TwilioIntelligence

/// Whether a request came from Twilio: its `X-Twilio-Signature` checked against the URL Twilio
/// was given — `--public-url` followed by the request's path and query, since a proxy in front
/// (TLS, another host name) changes what the server itself sees — with the Auth Token as key.
/// Form bodies sign the sorted parameters; JSON bodies carry `bodySHA256` in the query.
struct TwilioRequestCheck: Sendable {
    /// Why a request was refused; its raw value is the `verdict` label of the metrics and logs.
    enum Refusal: String, Sendable, Error {
        case missingSignature = "missing_signature"
        case invalidSignature = "invalid_signature"
    }

    let validator: WebhookSignatureValidator
    /// The public base URL without a trailing `/`, e.g. `https://prep.example.com`.
    let publicURL: String

    init(authToken: String, publicURL: String) {
        validator = WebhookSignatureValidator(authToken: authToken)
        var base = publicURL
        while base.hasSuffix("/") { base.removeLast() }
        self.publicURL = base
    }

    /// The URL Twilio signed for a request to `pathAndQuery` (`/twilio/video?x=1`).
    func signedURL(pathAndQuery: String) -> String { publicURL + pathAndQuery }

    /// Checks a request; its body is JSON when the content type says so (then its SHA-256 must
    /// match the query's `bodySHA256`), else form parameters.
    func check(pathAndQuery: String, signature: String?, contentType: String?, body: [UInt8]) -> Result<Void, Refusal> {
        guard let signature, !signature.isEmpty else { return .failure(.missingSignature) }
        let url = signedURL(pathAndQuery: pathAndQuery)
        let valid = Self.isJSON(contentType)
            ? validator.isValid(url: url, jsonBody: body, signature: signature)
            : validator.isValid(url: url, parameters: FormBody.pairs(body), signature: signature)
        return valid ? .success(()) : .failure(.invalidSignature)
    }

    static func isJSON(_ contentType: String?) -> Bool {
        guard let contentType else { return false }
        return contentType.lowercased().split(separator: ";").first.map { String($0).trimmingWhitespace() } == "application/json"
    }
}
