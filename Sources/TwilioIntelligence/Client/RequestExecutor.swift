import CallPrepJSON
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// One API call before it is sent: method, absolute URL, optional form body and extra headers.
struct APIRequest: Sendable {
    var method: String
    var url: String
    var form: [(String, String)]?
    var jsonBody: [UInt8]?
    var extraHeaders: [(String, String)] = []

    /// The path part of `url`, for error messages.
    var path: String { URLComponents(string: url)?.path ?? url }
}

/// What ended the retry loop without a response the caller can use.
enum AttemptOutcome: Error {
    /// The server may have acted: timeout, reset, or 5xx after the request was written.
    case ambiguous(reason: String, attempts: Int, lastError: (any Error)?)
}

/// Sends requests with auth, standard headers and the retry policy.
struct RequestExecutor: Sendable {
    let configuration: ClientConfiguration
    let transport: any HTTPTransport
    let sleeper: @Sendable (Duration) async throws -> Void
    let random: @Sendable () -> Double
    let observer: (@Sendable (String) -> Void)?

    /// The transport request, headers included.
    func transportRequest(for request: APIRequest) -> TransportRequest {
        var headers: [(String, String)] = [
            ("User-Agent", configuration.userAgent),
            ("Accept", "application/json"),
            ("Accept-Charset", "utf-8"),
            ("Authorization", configuration.credentials.authorizationHeader),
        ]
        var body: [UInt8]?
        if let form = request.form {
            headers.append(("Content-Type", "application/x-www-form-urlencoded"))
            body = Array(FormEncoding.encode(form).utf8)
        } else if let json = request.jsonBody {
            headers.append(("Content-Type", "application/json"))
            body = json
        } else if request.method == "POST" {
            body = []
        }
        headers += request.extraHeaders
        return TransportRequest(method: request.method, url: request.url, headers: headers, body: body)
    }

    /// Sends `request`, retrying per policy, and returns the 2xx response.
    /// - Parameter idempotent: `false` for a create: then a 5xx or an ambiguous transport
    ///   failure is not retried but surfaces as ``AttemptOutcome/ambiguous(reason:attempts:lastError:)``.
    func execute(_ request: APIRequest, idempotent: Bool = true) async throws -> TransportResponse {
        let policy = configuration.retryPolicy
        let clock = ContinuousClock()
        let start = clock.now
        let outgoing = transportRequest(for: request)
        var attempt = 0
        while true {
            attempt += 1
            observer?("\(request.method) \(request.url) (attempt \(attempt))")
            var retryAfter: Duration?
            var failure: any Error
            do {
                let response = try await transport.send(outgoing, timeout: configuration.requestTimeout)
                observer?("← HTTP \(response.status)" + (response.header("twilio-request-id").map { " [\($0)]" } ?? ""))
                if (200..<300).contains(response.status) { return response }
                let apiError = TwilioAPIError.from(response: response, method: request.method, path: request.path)
                if !idempotent && response.status >= 500 {
                    // The server may have acted before failing: the caller must look before re-sending.
                    throw AttemptOutcome.ambiguous(reason: "HTTP \(response.status)", attempts: attempt, lastError: apiError)
                }
                guard RetryPolicy.retryableStatuses.contains(response.status) else { throw apiError }
                retryAfter = apiError.retryAfterSeconds.map(Duration.secondsDouble)
                failure = apiError
            } catch let transportFailure as TransportFailure {
                if case .ambiguous(let reason) = transportFailure, !idempotent {
                    throw AttemptOutcome.ambiguous(reason: reason, attempts: attempt, lastError: transportFailure)
                }
                failure = transportFailure
            }
            guard let wait = policy.delay(beforeRetry: attempt, retryAfter: retryAfter, elapsed: clock.now - start, unit: random()) else {
                if let apiError = failure as? TwilioAPIError { throw apiError }
                throw IntelligenceClientError.transport(method: request.method, path: request.path, attempts: attempt, reason: String(describing: failure))
            }
            observer?("retrying in \(wait) after \(failure)")
            try await sleeper(wait)
        }
    }

    /// Sends and decodes a JSON response body.
    func decode<T: Decodable>(_ type: T.Type, _ request: APIRequest) async throws -> T {
        let response = try await execute(request)
        return try decodeBody(type, response, request)
    }

    func decodeBody<T: Decodable>(_ type: T.Type, _ response: TransportResponse, _ request: APIRequest) throws -> T {
        do {
            return try JSONDecoder().decode(type, from: Data(response.body))
        } catch {
            throw IntelligenceClientError.invalidResponse(
                method: request.method, path: request.path, status: response.status,
                requestID: response.header("twilio-request-id"), detail: "its JSON does not fit a \(T.self): \(DecodingErrorText.describe(error))")
        }
    }
}
