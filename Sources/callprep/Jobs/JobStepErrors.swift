import AudioPrep
import CallPrepJobs
import ObjectStore
import TwilioIntelligence

/// Turns what a step threw into a ``JobStepFailure``: the code and message of the one error
/// shape (``ErrorJSON``), and whether another attempt can help. Transient: the network, HTTP 429
/// and 5xx (Twilio or S3), a timed-out wait, a failed write (a full disk may clear). Everything
/// else — an unreadable input, a refused request, a missing bucket, a changed file — is
/// permanent: trying again gives the same answer.
enum JobStepErrors {
    static func failure(for error: any Error) -> JobStepFailure {
        if let failure = error as? JobStepFailure { return failure }
        let object = ErrorJSON.object(for: error)
        let code = object["code"]?.stringValue ?? "internal_error"
        var message = object["message"]?.stringValue ?? ErrorText.describe(error)
        if let path = object["path"]?.stringValue, !message.contains(path) { message = "\(path): \(message)" }
        switch error {
        case let error as AudioPrepError where error.code == .writeFailed || error.code == .internalError:
            return .transient(code, message)
        case let error as ObjectStoreError:
            let status = error.httpStatus ?? 0
            let transient = error.code == .transport || error.code == .invalidResponse || status == 429 || status >= 500
                || error.code == .requestTimeTooSkewed
            return JobStepFailure(code: code, message: message, isTransient: transient)
        case let error as TwilioAPIError:
            let transient = error.httpStatus == 429 || error.httpStatus >= 500
            return JobStepFailure(code: code, message: message, isTransient: transient,
                                  retryAfter: error.retryAfterSeconds.map { .milliseconds(Int64(min(max($0, 0), 3600) * 1000)) })
        case let error as JobStoreError:
            // The store answered during a step (a waiting step's wake check): busy or unreachable
            // for a moment. A lost lease stops the step anyway.
            return .transient(error.code.rawValue, error.message)
        case let error as MediaDownloadError:
            // A broken or short transfer, a refused signed URL, a write that failed may clear;
            // a recording that is gone or cannot be placed does not.
            let transient = [.sizeMismatch, .signedURLRefused, .fileError].contains(error.code)
            return JobStepFailure(code: code, message: message, isTransient: transient)
        case let error as IntelligenceClientError:
            switch error {
            case .transport, .timedOut: return .transient(code, message)
            case .invalidResponse(_, _, let status, _, _): return JobStepFailure(code: code, message: message, isTransient: status >= 500 || status == 429)
            case .invalidInput: return .permanent(code, message)
            }
        default:
            return .permanent(code, message)
        }
    }
}
