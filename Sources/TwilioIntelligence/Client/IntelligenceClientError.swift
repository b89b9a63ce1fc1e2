import CallPrepJSON
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Failures that are not a Twilio error response: input refused locally before any request,
/// transport failures after retries, and responses the client could not understand.
public enum IntelligenceClientError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A parameter was refused locally; nothing was sent.
    case invalidInput(field: String, message: String)
    /// The request could not be completed after the allowed attempts.
    case transport(method: String, path: String, attempts: Int, reason: String)
    /// The server answered with something that is neither the expected JSON nor a Twilio error.
    case invalidResponse(method: String, path: String, status: Int, requestID: String?, detail: String)
    /// Waiting for a transcript ran past its deadline; `after` is the time actually waited.
    case timedOut(what: String, after: Duration)

    /// A readable rendering of the value.
    public var description: String {
        switch self {
        case .invalidInput(let field, let message):
            return "invalid \(field): \(message)" + (message.hasSuffix(".") ? "" : ".") + " Nothing was sent."
        case .transport(let method, let path, let attempts, let reason):
            return "\(method) \(path) failed after \(attempts) attempt(s): \(reason). Check the network or base URL and try again."
        case .invalidResponse(let method, let path, let status, let requestID, let detail):
            return "\(method) \(path) returned HTTP \(status) with an unexpected body (\(detail))"
                + (requestID.map { ", request id \($0)" } ?? "")
                + ". If a proxy or emulator is in between, check it; otherwise report the request id to Twilio support."
        case .timedOut(let what, let after):
            let seconds = Double(after.components.seconds) + Double(after.components.attoseconds) / 1e18
            return "\(what) did not finish in \(NumberText.fixed(seconds, digits: 1)) s of waiting; try again later or with a longer --timeout."
        }
    }
}
