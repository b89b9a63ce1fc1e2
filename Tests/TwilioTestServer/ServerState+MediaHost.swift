import Foundation

/// A fault of the media host, applied to the next signed-URL requests in order.
enum MediaHostFault: Sendable {
    /// Close the connection without answering (a reset).
    case reset
    /// Answer this status (S3-style XML error).
    case status(Int)
    /// Announce the whole file in `Content-Length`, send only `keepBytes` of it, close.
    case truncate(keepBytes: Int)
    /// Announce the whole file, send `keepBytes` of it, then nothing more, connection open.
    case stall(keepBytes: Int)
}

/// The signed-URL host, as S3 behaves for Twilio's media: no Twilio credentials accepted (a
/// request carrying `Authorization` is refused and recorded as a leak), each URL valid until
/// its `Expires`, unknown or altered URLs refused.
extension ServerState {
    func handleMedia(_ request: RecordedRequest) -> ServerAction {
        withLock {
            mediaHostRequests.append(request)
            if request.header("Authorization") != nil {
                credentialLeaks.append(request)
                return .respond(s3Error(400, "InvalidArgument", "Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter or the Authorization header should be specified"))
            }
            if !mediaHostFaults.isEmpty {
                switch mediaHostFaults.removeFirst() {
                case .reset: return .close
                case .status(let status): return .respond(s3Error(status, "InternalError", "We encountered an internal error. Please try again."))
                case .truncate(let keep):
                    guard let response = signedMedia(request), response.status == 200 else { return .close }
                    return .respondTruncated(response, keepBytes: keep)
                case .stall(let keep):
                    guard let response = signedMedia(request), response.status == 200 else { return .close }
                    return .respondStalled(response, keepBytes: keep)
                }
            }
            return .respond(signedMedia(request) ?? s3Error(403, "AccessDenied", "Access Denied"))
        }
    }

    /// The media a signed URL names, or an S3 error (lock held).
    private func signedMedia(_ request: RecordedRequest) -> ServerResponse? {
        let parts = request.path.split(separator: "/").map(String.init)
        guard request.method == "GET", parts.count == 3, parts[0] == "signed", let entry = signedURLs[parts[1]], entry.key.hasPrefix(parts[2]) else {
            return nil
        }
        let query = ServerForm.decode(request.query ?? "") ?? []
        guard query.first(where: { $0.0 == "Expires" })?.1 == String(Int64(entry.expires.timeIntervalSince1970)),
              query.first(where: { $0.0 == "Signature" })?.1 == "sig" + parts[1] else {
            return s3Error(403, "SignatureDoesNotMatch", "The request signature we calculated does not match the signature you provided.")
        }
        guard Date() < entry.expires else { return s3Error(403, "AccessDenied", "Request has expired") }
        guard let bytes = mediaFiles[entry.key] else { return s3Error(404, "NoSuchKey", "The specified key does not exist.") }
        let type = entry.key.contains(".wav") ? "audio/x-wav" : entry.key.contains(".mp3") ? "audio/mpeg"
            : entry.key.hasPrefix("CJ") ? "video/webm" : "audio/x-matroska"
        return ServerResponse(status: 200, headers: [("Content-Type", type)], body: bytes)
    }

    func s3Error(_ status: Int, _ code: String, _ message: String) -> ServerResponse {
        let body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>\(code)</Code><Message>\(message)</Message></Error>"
        return ServerResponse(status: status, headers: [("Content-Type", "application/xml")], body: Array(body.utf8))
    }
}
