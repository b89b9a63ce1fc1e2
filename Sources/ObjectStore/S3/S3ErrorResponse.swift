#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Turns an S3 error answer into an ``ObjectStoreError``: S3's `<Code>` and `<Message>` (scrubbed
/// of the credentials in use), the HTTP status, the request id, and a sentence on what to do for
/// the codes people meet (a missing bucket, denied access, a wrong secret, a wrong clock).
struct S3ErrorResponse {
    let status: Int
    let headers: [String: String]
    let body: String

    /// The error for an answer that was not a success of `operation` on `location`.
    func error(operation: String, location: ObjectLocation, credentials: S3Credentials) -> ObjectStoreError {
        let requestID = headers["x-amz-request-id"] ?? S3XML.value(of: "RequestId", in: body)
        let code = S3XML.value(of: "Code", in: body).map(ObjectStoreError.Code.init(rawValue:)) ?? Self.code(forBodylessStatus: status)
        guard let code else {
            let excerpt = String(credentials.redacting(body).prefix(200)).replacing("\n", with: " ")
            return ObjectStoreError(
                code: .invalidResponse,
                message: "\(operation) \(location) got HTTP \(status) without an S3 error body"
                    + (excerpt.isEmpty ? "" : " (\(excerpt))") + "; check the endpoint URL points at an S3-compatible service",
                httpStatus: status, requestID: requestID)
        }
        let serverMessage = S3XML.value(of: "Message", in: body).map(credentials.redacting)
        var message = "\(operation) \(location) failed"
        if let serverMessage, !serverMessage.isEmpty { message += ": " + serverMessage }
        message += ". " + hint(for: code, location: location, credentials: credentials)
        return ObjectStoreError(code: code, message: message, httpStatus: status, requestID: requestID)
    }

    /// HEAD answers carry no body: the status is all there is.
    private static func code(forBodylessStatus status: Int) -> ObjectStoreError.Code? {
        switch status {
        case 403: .accessDenied
        case 404: .noSuchKey
        case 301, 307: "PermanentRedirect"
        case 400: "BadRequest"
        default: nil
        }
    }

    private func hint(for code: ObjectStoreError.Code, location: ObjectLocation, credentials: S3Credentials) -> String {
        switch code {
        case .noSuchBucket:
            return "The bucket \(location.bucket) does not exist at this endpoint: check its name, the region and the endpoint URL."
        case .noSuchKey:
            return "There is no object with the key \(location.key): check the key."
        case .accessDenied:
            return "The \(credentials.description) may not do this: check the bucket policy or the key's permissions."
        case .invalidAccessKeyId:
            return "The endpoint does not know the access key \(credentials.accessKeyID): check AWS_ACCESS_KEY_ID or the profile, and the endpoint URL."
        case .signatureDoesNotMatch:
            return "The secret key does not belong to the access key \(credentials.accessKeyID), or the region is wrong: check AWS_SECRET_ACCESS_KEY (or the profile's aws_secret_access_key) and the region."
        case .requestTimeTooSkewed:
            let server = S3XML.value(of: "ServerTime", in: body) ?? headers["date"] ?? "unknown"
            let local = Date().formatted(Date.ISO8601FormatStyle())
            return "This machine's clock differs from the server's by more than 15 minutes (server time \(server), this machine \(local)): set the clock, e.g. enable NTP with `timedatectl set-ntp true`."
        case "PermanentRedirect", "AuthorizationHeaderMalformed", "IllegalLocationConstraintException":
            let region = headers["x-amz-bucket-region"].map { " (the bucket is in \($0))" } ?? ""
            return "The bucket is in another region\(region): set --region or AWS_REGION to the bucket's region."
        case .badDigest, "XAmzContentSHA256Mismatch", "InvalidDigest":
            return "The bytes sent do not match their checksum: the file changed while being uploaded; upload it again once it is complete."
        default:
            return "Check the request against the provider's documentation for \(code.rawValue)."
        }
    }
}
