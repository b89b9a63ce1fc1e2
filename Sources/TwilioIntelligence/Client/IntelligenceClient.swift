#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Typed client for Conversational Intelligence v2 (and, through ``insights``, Insights v3).
///
/// Every call authenticates with HTTP Basic, retries per ``RetryPolicy``, and throws
/// ``TwilioAPIError`` for Twilio error responses or ``IntelligenceClientError`` for local
/// refusals and transport failures. Lists are ``PagedSequence``s.
public struct IntelligenceClient: Sendable {
    /// The configuration in use.
    public let configuration: ClientConfiguration
    let executor: RequestExecutor

    /// Creates a client.
    /// - Parameters:
    ///   - transport: how requests travel (``AsyncHTTPClientTransport`` in production).
    ///   - observer: receives one line per request/response/retry (for `--verbose`); never
    ///     receives credentials.
    public init(configuration: ClientConfiguration, transport: any HTTPTransport, observer: (@Sendable (String) -> Void)? = nil) {
        self.init(configuration: configuration, transport: transport, observer: observer,
                  sleeper: { try await Task.sleep(for: $0) }, random: { Double.random(in: 0..<1) })
    }

    /// Creates a client with an injected sleep and random source (tests).
    init(configuration: ClientConfiguration, transport: any HTTPTransport, observer: (@Sendable (String) -> Void)?,
         sleeper: @escaping @Sendable (Duration) async throws -> Void, random: @escaping @Sendable () -> Double) {
        self.configuration = configuration
        executor = RequestExecutor(configuration: configuration, transport: transport, sleeper: sleeper, random: random, observer: observer)
    }

    /// `https://intelligence…/v2`.
    var v2: String { configuration.resolvedIntelligenceBase + "/v2" }

    /// The exact request a create would send, for `--dry-run`: URL, headers with the
    /// Authorization value redacted, and the body.
    public func preview(_ request: TranscriptCreateRequest) -> (url: String, headers: [(String, String)], body: String) {
        let outgoing = executor.transportRequest(for: APIRequest(method: "POST", url: v2 + "/Transcripts", form: request.formFields()))
        let headers = outgoing.headers.map { name, value in
            name == "Authorization" ? (name, configuration.credentials.redactedAuthorization) : (name, value)
        }
        return (outgoing.url, headers, request.formBody)
    }

    static func checkSID(_ value: String, _ pattern: SIDPattern, _ field: String) throws(IntelligenceClientError) -> String {
        try pattern.validate(value, field: field)
        return value
    }

    static func pathComponent(_ value: String, field: String) throws(IntelligenceClientError) -> String {
        guard !value.isEmpty, value.allSatisfy({ $0.isLetter || $0.isNumber || "-_.".contains($0) }) else {
            throw .invalidInput(field: field, message: "must be a SID or unique name of letters, digits, - _ .; got \(value.debugDescription)")
        }
        return value
    }
}
