import AudioPrep
import CallPrepJSON
import CallPrepJobs
import ChannelMap
import ObjectStore
import TwilioIntelligence

/// The one shape of a failure in `--json` output, for every command:
///
///     {"error": {"code": "…", "message": "…", "path": "…"?, "sid": "…"?, "field": "…"?,
///                "status": N?, "twilio_code": N?, "more_info": "…"?, "request_id": "…"?}}
///
/// `code` is always a string a script can match (`file_not_found`, `not_found`, `network_error`,
/// …); `message` is the sentence a person reads on stderr, remedy included. The optional members
/// appear only when they apply: `path` for a file, `sid` for the Twilio resource a download
/// was for, `field` for a refused option, `status` for the HTTP status of an API or S3 answer,
/// `twilio_code` for Twilio's numeric error code, `request_id` for S3's request id, and `line`
/// for the line of a jobs file. S3's errors keep S3's own code (`NoSuchBucket`, `AccessDenied`,
/// `SignatureDoesNotMatch`, …).
enum ErrorJSON {
    /// `{"error": {…}}` for `error`.
    static func document(for error: any Error) -> JSONValue {
        .object(["error": object(for: error)])
    }

    /// The inner `{…}` for `error`.
    static func object(for error: any Error) -> JSONValue {
        var members: [JSONValue.Member] = []
        func add(_ key: String, _ value: JSONValue?) {
            if let value { members.append(.init(key, value)) }
        }
        switch error {
        case let error as AudioPrepError:
            add("code", .string(error.code.rawValue))
            add("message", .string(error.message))
            add("path", error.path.map(JSONValue.string))
        case let error as ChannelMapError:
            add("code", .string(error.code.rawValue))
            add("message", .string(error.message))
            add(error.subject.hasPrefix("--") ? "field" : "path", .string(error.subject))
        case let error as JobStoreError:
            add("code", .string(error.code.rawValue))
            add("message", .string(error.message))
        case let error as JobSpecError:
            add("code", .string(error.code.rawValue))
            add("message", .string(error.message))
            add("line", error.line.map { .int(Int64($0)) })
            add("field", error.key.map(JSONValue.string))
        case let error as JobsFileError:
            add("code", .string(error.code))
            add("message", .string(error.description))
            add("path", .string(error.path))
        case let error as ObjectStoreError:
            add("code", .string(error.code.rawValue))
            add("message", .string(error.message))
            add("status", error.httpStatus.map { .int(Int64($0)) })
            add("request_id", error.requestID.map(JSONValue.string))
        case let error as UploadError:
            add("code", .string(error.code))
            add("message", .string(error.message))
            add("path", .string(error.path))
        case let error as TwilioAPIError:
            add("code", .string(code(forHTTPStatus: error.httpStatus)))
            add("message", .string(error.description))
            add("status", .int(Int64(error.httpStatus)))
            add("twilio_code", error.code.map { .int(Int64($0)) })
            add("more_info", error.moreInfo.map(JSONValue.string))
            add("request_id", error.requestID.map(JSONValue.string))
        case let error as MediaDownloadError:
            add("code", .string(error.code.rawValue))
            add("message", .string(error.description))
            add(error.code == .fileError ? "path" : "sid", .string(error.subject))
        case let error as IntelligenceClientError:
            switch error {
            case .invalidInput(let field, _):
                add("code", .string("invalid_input"))
                add("message", .string(error.description))
                add("field", .string(field))
            case .transport:
                add("code", .string("network_error"))
                add("message", .string(error.description))
            case .invalidResponse(_, _, let status, let requestID, _):
                add("code", .string("invalid_response"))
                add("message", .string(error.description))
                add("status", .int(Int64(status)))
                add("request_id", requestID.map(JSONValue.string))
            case .timedOut:
                add("code", .string("timed_out"))
                add("message", .string(error.description))
            }
        default:
            add("code", .string("internal_error"))
            add("message", .string(ErrorText.describe(error)))
        }
        return .object(members)
    }

    /// A string code for an HTTP error status, so `code` is a string for API failures too
    /// (Twilio's own number is in `twilio_code`).
    static func code(forHTTPStatus status: Int) -> String {
        switch status {
        case 400: "bad_request"
        case 401: "unauthorized"
        case 403: "forbidden"
        case 404: "not_found"
        case 409, 412: "conflict"
        case 429: "rate_limited"
        case 500...599: "server_error"
        default: "api_error"
        }
    }
}
