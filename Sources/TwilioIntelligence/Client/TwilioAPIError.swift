#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// An error response from Twilio: the body's `code`, `message`, `more_info` and `status`, plus
/// the `Twilio-Request-Id` header and the request it answered. Page fetches keep all of it
/// (the official helper libraries reduce a failed page to "Unable to fetch page").
public struct TwilioAPIError: Error, Sendable, Equatable, CustomStringConvertible {
    /// HTTP status of the response.
    public let httpStatus: Int
    /// Twilio error code (e.g. 20404), or `nil` when the body had none.
    public let code: Int?
    /// Twilio's message, or the raw body text when it was not JSON.
    public let message: String
    /// Link to the error's documentation page.
    public let moreInfo: String?
    /// `status` from the body (normally equals ``httpStatus``).
    public let status: Int?
    /// `Twilio-Request-Id` response header; quote it to Twilio support.
    public let requestID: String?
    /// The request method.
    public let method: String
    /// The request path (no host, no query).
    public let path: String
    /// `Retry-After` in seconds, when the server sent one.
    public let retryAfterSeconds: Double?

    /// Creates an error value.
    public init(httpStatus: Int, code: Int?, message: String, moreInfo: String?, status: Int?, requestID: String?,
                method: String, path: String, retryAfterSeconds: Double? = nil) {
        self.httpStatus = httpStatus
        self.code = code
        self.message = message
        self.moreInfo = moreInfo
        self.status = status
        self.requestID = requestID
        self.method = method
        self.path = path
        self.retryAfterSeconds = retryAfterSeconds
    }

    /// Builds the error from a non-success response, reading Twilio's JSON error body (classic
    /// `{code,message,more_info,status}`, RFC 9457 `{title,detail,…}` or Insights `{httpStatusCode,…}`).
    static func from(response: TransportResponse, method: String, path: String) -> TwilioAPIError {
        let body = (try? JSONDecoder().decode(TwilioErrorBody.self, from: Data(response.body))) ?? TwilioErrorBody()
        let message = body.message ?? body.detail ?? body.title ?? String(decoding: response.body.prefix(300), as: UTF8.self)
        return TwilioAPIError(
            httpStatus: response.status, code: body.code, message: message.isEmpty ? "(empty body)" : message,
            moreInfo: body.moreInfo, status: body.status ?? body.httpStatusCode,
            requestID: response.header("twilio-request-id"), method: method, path: path,
            retryAfterSeconds: RetryAfter.seconds(response.header("retry-after")))
    }

    /// What a person can do about it.
    public var advice: String {
        switch httpStatus {
        case 400: "check the parameter the message names"
        case 401: "check TWILIO_ACCOUNT_SID/TWILIO_AUTH_TOKEN or TWILIO_API_KEY/TWILIO_API_SECRET"
        case 403: "the credentials lack permission (restricted API keys may not read unredacted data)"
        case 404: "check the SID and that it belongs to this account and region"
        case 409, 412: "the resource changed meanwhile; fetch it again and retry with the new version"
        case 429: "too many requests; wait and retry (raise the retry budget if this persists)"
        case 500...599: "Twilio had a problem; retry later and quote the request id if it persists"
        default: "see the more-info link"
        }
    }

    /// A readable rendering of the value.
    public var description: String {
        var text = "Twilio error"
        if let code { text += " \(code)" }
        text += " (HTTP \(httpStatus)) on \(method) \(path): \(message)"
        if let moreInfo { text += " — \(moreInfo)" }
        if let requestID { text += " [request id \(requestID)]" }
        text += ". What to do: \(advice)."
        return text
    }
}
