/// Every failure of an ``ObjectStore``: a stable ``code`` (S3's own code when S3 sent one, such
/// as `NoSuchBucket`, `AccessDenied`, `SignatureDoesNotMatch`, `RequestTimeTooSkewed`), a
/// message that says what went wrong and what to do, and the HTTP status when a server answered.
///
/// Never contains a secret access key, session token or presigned URL: messages that come from a
/// server are scrubbed of the credentials in use before they get here.
public struct ObjectStoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The stable, machine-readable reason.
    public let code: Code
    /// What went wrong and what to do, in words.
    public let message: String
    /// The HTTP status of the server's answer, or `nil` when no answer came (or nothing was sent).
    public let httpStatus: Int?
    /// S3's request id (`x-amz-request-id`), for the provider's support.
    public let requestID: String?

    /// Creates an error.
    public init(code: Code, message: String, httpStatus: Int? = nil, requestID: String? = nil) {
        self.code = code
        self.message = message
        self.httpStatus = httpStatus
        self.requestID = requestID
    }

    /// `NoSuchBucket (HTTP 404): The specified bucket does not exist. …`
    public var description: String {
        var text = code.rawValue
        if let httpStatus { text += " (HTTP \(httpStatus))" }
        text += ": " + message
        if let requestID { text += " [request id \(requestID)]" }
        return text
    }

    /// A stable error code: S3's `<Code>` for errors S3 reported, callprep's own for the rest.
    /// An open set, so codes a provider invents are still represented.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible, ExpressibleByStringLiteral {
        /// The code as text, e.g. `NoSuchBucket`.
        public let rawValue: String
        /// Wraps a code.
        public init(rawValue: String) { self.rawValue = rawValue }
        /// Wraps a code literal.
        public init(stringLiteral value: String) { self.rawValue = value }
        /// The code as text.
        public var description: String { rawValue }

        // MARK: S3's codes callers act on

        /// The bucket does not exist (or is in another account's namespace).
        public static let noSuchBucket: Code = "NoSuchBucket"
        /// The object does not exist.
        public static let noSuchKey: Code = "NoSuchKey"
        /// The credentials may not do this (or do not exist).
        public static let accessDenied: Code = "AccessDenied"
        /// The access key id is unknown to the server.
        public static let invalidAccessKeyId: Code = "InvalidAccessKeyId"
        /// The request's signature did not verify: usually a wrong secret key or region.
        public static let signatureDoesNotMatch: Code = "SignatureDoesNotMatch"
        /// This machine's clock differs from the server's by more than 15 minutes.
        public static let requestTimeTooSkewed: Code = "RequestTimeTooSkewed"
        /// The bytes received do not match the checksum sent with them.
        public static let badDigest: Code = "BadDigest"

        // MARK: callprep's own codes

        /// The `s3://BUCKET/KEY` text or its parts are not valid, or name a prefix.
        public static let invalidLocation: Code = "InvalidLocation"
        /// The configuration (environment, ~/.aws files, flags) is incomplete or contradictory.
        public static let invalidConfiguration: Code = "InvalidConfiguration"
        /// No access key was found in the environment, the profile or the flags.
        public static let missingCredentials: Code = "MissingCredentials"
        /// An argument is out of range (expiry, part size, checksum text); nothing was sent.
        public static let invalidArgument: Code = "InvalidArgument"
        /// The endpoint is `http://` and plain HTTP was not allowed.
        public static let insecureEndpoint: Code = "InsecureEndpoint"
        /// A local file could not be read or written.
        public static let fileError: Code = "FileError"
        /// The file's content is not what its SHA-256 says (it changed after it was hashed).
        public static let fileChanged: Code = "FileChanged"
        /// The object's size is not the size the caller expected (another or an unfinished
        /// object); nothing was downloaded.
        public static let sizeMismatch: Code = "SizeMismatch"
        /// No answer: connection refused, reset or timed out, after the allowed attempts.
        public static let transport: Code = "TransportError"
        /// The server answered with something that is neither the expected answer nor an S3 error.
        public static let invalidResponse: Code = "InvalidResponse"
    }
}

extension ObjectStoreError {
    /// The error of a download whose object does not have the size the caller expected.
    static func sizeMismatch(_ location: ObjectLocation, size: Int64, expected: Int64) -> ObjectStoreError {
        ObjectStoreError(
            code: .sizeMismatch,
            message: "\(location) holds \(size) bytes, not the \(expected) expected: it is another or an unfinished object; nothing was downloaded")
    }
}
