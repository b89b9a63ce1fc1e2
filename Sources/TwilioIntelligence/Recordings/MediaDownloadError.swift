#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Why a media download did not produce a complete file. The partial file is always removed
/// first; nothing half-written is left at the destination.
public struct MediaDownloadError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What kind of failure, as a string a script can match.
    public enum Code: String, Sendable {
        /// The file arrived shorter or longer than the resource's `size` (or `Content-Length`).
        case sizeMismatch = "size_mismatch"
        /// The media is in the account's own storage (`media_external_location`), not on Twilio's.
        case externalStorage = "external_storage"
        /// The resource is not finished yet (`processing`, a room in progress).
        case notReady = "not_ready"
        /// The redirect named no usable URL, or one over plain http without `allowHTTP`.
        case unusableRedirect = "unusable_redirect"
        /// The signed media URL was refused every time, even fresh ones.
        case signedURLRefused = "signed_url_refused"
        /// The destination could not be written.
        case fileError = "file_error"
        /// A number from the server was outside what any media has.
        case invalidResponse = "invalid_response"
    }

    /// The kind of failure.
    public let code: Code
    /// The resource or file concerned: an `RT…`/`CJ…`/`RE…` SID or a path.
    public let subject: String
    /// What went wrong and what to do, as one sentence.
    public let message: String

    /// Creates an error.
    public init(_ code: Code, subject: String, _ message: String) {
        self.code = code
        self.subject = subject
        self.message = message
    }

    /// A readable rendering of the value.
    public var description: String { "\(subject): \(message)" }
}
