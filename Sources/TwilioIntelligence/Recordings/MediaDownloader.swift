#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Downloads one media file from a Twilio media endpoint into a file, the way Twilio serves
/// media: the endpoint (with credentials) answers with the media itself or with a redirect
/// (`Location`, and `redirect_to` in a JSON body) to a short-lived signed URL on another host,
/// which is fetched **without** credentials.
///
/// The body streams into a partial file beside the destination, which is renamed into place
/// only when its size matches the resource's `size` (and `Content-Length`); a failed or
/// short transfer, a refused (expired) signed URL, a 5xx or a reset starts over with a fresh
/// redirect, within the client's ``RetryPolicy``. The partial file never outlives the call.
///
/// The file is `fsync`'d before the rename, so a file found complete after a power cut is
/// complete; a caller that reads the download once and deletes it (a temporary folder) sets
/// `flushToDisk` to `false` and saves that wait.
struct MediaDownloader: Sendable {
    let executor: RequestExecutor
    var flushToDisk = true

    /// The largest size accepted from a server: 64 GiB, far above any Twilio recording.
    static let maxBytes: Int64 = 1 << 36

    /// The JSON body of Twilio's media redirect: `{"redirect_to": "https://…"}`.
    private struct RedirectBody: Decodable {
        var redirectTo: String?
        enum CodingKeys: String, CodingKey { case redirectTo = "redirect_to" }
    }

    /// HTTP statuses that mean "follow the redirect".
    static let redirectStatuses: Set<Int> = [301, 302, 303, 307, 308]

    /// What one attempt came to.
    private enum Attempt {
        case complete(Int64, sha256: String)
        case retry(any Error, retryAfter: Duration?)
    }

    func download(from url: String, sid: String, to path: String, expectedBytes: Int64?, allowHTTP: Bool, reuseExisting: Bool) async throws -> MediaDownload {
        if let expectedBytes, !(0...Self.maxBytes).contains(expectedBytes) {
            throw MediaDownloadError(.invalidResponse, subject: sid, "Twilio gives its size as \(expectedBytes) bytes, which no recording has; nothing was downloaded. Fetch the resource again, and report its request id if this persists.")
        }
        if reuseExisting, let expectedBytes, let existing = Self.fileSize(path), existing == expectedBytes {
            executor.observer?("\(path) is already complete (\(existing) bytes); reused")
            return MediaDownload(path: path, bytes: existing, reused: true, attempts: 0)
        }
        let partial = PartialDownloads.path(for: path)
        defer { unlink(partial) }
        let policy = executor.configuration.retryPolicy
        let clock = ContinuousClock()
        let start = clock.now
        var attempt = 0
        while true {
            try Task.checkCancellation()
            attempt += 1
            switch try await fetch(url, sid: sid, into: partial, expectedBytes: expectedBytes, allowHTTP: allowHTTP, attempt: attempt) {
            case .complete(let bytes, let sha256):
                guard rename(partial, path) == 0 else {
                    throw MediaDownloadError(.fileError, subject: path, "the download of \(sid) could not be moved into place (\(PartialFile.reason(errno))); check the folder's permissions and free space.")
                }
                return MediaDownload(path: path, bytes: bytes, reused: false, attempts: attempt, sha256: sha256)
            case .retry(let failure, let retryAfter):
                guard let wait = policy.delay(beforeRetry: attempt, retryAfter: retryAfter, elapsed: clock.now - start, unit: executor.random()) else {
                    if let failure = failure as? TransportFailure {
                        throw IntelligenceClientError.transport(method: "GET", path: APIRequest(method: "GET", url: url).path, attempts: attempt, reason: failure.description)
                    }
                    throw failure
                }
                executor.observer?("retrying the download of \(sid) in \(wait) after \(failure)")
                try await executor.sleeper(wait)
            }
        }
    }

    /// One try: Twilio's endpoint, then (after a redirect) the signed URL, into a fresh partial file.
    private func fetch(_ url: String, sid: String, into partial: String, expectedBytes: Int64?, allowHTTP: Bool, attempt: Int) async throws -> Attempt {
        let file = try PartialFile(path: partial, subject: sid)
        defer { file.close() }
        let timeout = executor.configuration.requestTimeout
        let request = APIRequest(method: "GET", url: url)
        executor.observer?("GET \(url) (attempt \(attempt))")
        let answer: TransportResponse
        do {
            answer = try await executor.transport.receive(executor.transportRequest(for: request), idleTimeout: timeout, body: file.append)
        } catch let failure as TransportFailure {
            return .retry(Self.brokenOff(failure, file: file, sid: sid, expectedBytes: expectedBytes), retryAfter: nil)
        }
        executor.observer?("← HTTP \(answer.status)" + (answer.header("twilio-request-id").map { " [\($0)]" } ?? ""))
        if (200..<300).contains(answer.status) {
            return try completion(answer, file: file, sid: sid, expectedBytes: expectedBytes)
        }
        guard Self.redirectStatuses.contains(answer.status) else {
            let error = TwilioAPIError.from(response: answer, method: request.method, path: request.path)
            guard RetryPolicy.retryableStatuses.contains(answer.status) else { throw error }
            return .retry(error, retryAfter: error.retryAfterSeconds.map(Duration.secondsDouble))
        }
        let signed = try Self.signedURL(in: answer, sid: sid, allowHTTP: allowHTTP)
        let place = URLComponents(string: signed).map { "\($0.scheme ?? "")://\($0.host ?? "")\($0.port.map { ":\($0)" } ?? "")\($0.path)" } ?? "the media host"
        // The signed URL carries its own authorization; Twilio's credentials never go there.
        executor.observer?("GET \(place) (signed URL, no credentials)")
        let media: TransportResponse
        do {
            media = try await executor.transport.receive(
                TransportRequest(method: "GET", url: signed, headers: [("User-Agent", executor.configuration.userAgent)], body: nil),
                idleTimeout: timeout, body: file.append)
        } catch let failure as TransportFailure {
            return .retry(Self.brokenOff(failure, file: file, sid: sid, expectedBytes: expectedBytes), retryAfter: nil)
        }
        executor.observer?("← HTTP \(media.status) from the media host")
        if (200..<300).contains(media.status) {
            return try completion(media, file: file, sid: sid, expectedBytes: expectedBytes)
        }
        // An expired or otherwise refused signed URL: the next attempt asks Twilio for a fresh one.
        return .retry(MediaDownloadError(
            .signedURLRefused, subject: sid,
            "the media host refused the signed URL (HTTP \(media.status)) each time, even freshly issued ones; check the machine's clock and try again later"), retryAfter: nil)
    }

    /// A transfer that broke off after some of the body arrived is a short file, said so;
    /// one that broke before any byte stays a transport failure.
    private static func brokenOff(_ failure: TransportFailure, file: PartialFile, sid: String, expectedBytes: Int64?) -> any Error {
        let received = file.bytesWritten
        guard received > 0 else { return failure }
        let total = expectedBytes.map { " of \($0)" } ?? ""
        return MediaDownloadError(.sizeMismatch, subject: sid, "the transfer ended after \(received)\(total) bytes (\(failure)); the download was retried and failed each time. Try again later.")
    }

    /// Checks the bytes received against `Content-Length` and the resource's size.
    private func completion(_ response: TransportResponse, file: PartialFile, sid: String, expectedBytes: Int64?) throws -> Attempt {
        try file.finish(flush: flushToDisk)
        let received = file.bytesWritten
        if let length = response.header("content-length").flatMap(Int64.init), length != received {
            return .retry(MediaDownloadError(.sizeMismatch, subject: sid, "the transfer ended after \(received) of \(length) bytes; the download was retried and failed each time. Try again later."), retryAfter: nil)
        }
        if let expectedBytes, expectedBytes != received {
            return .retry(MediaDownloadError(.sizeMismatch, subject: sid, "received \(received) bytes, but Twilio gives the recording's size as \(expectedBytes); the download was retried and failed each time. Try again later."), retryAfter: nil)
        }
        return .complete(received, sha256: file.sha256)
    }

    /// The signed URL of a redirect: `Location`, else the JSON body's `redirect_to`; absolute,
    /// https (http only when allowed), no user info.
    static func signedURL(in response: TransportResponse, sid: String, allowHTTP: Bool) throws(MediaDownloadError) -> String {
        let fromBody = (try? JSONDecoder().decode(RedirectBody.self, from: Data(response.body)))?.redirectTo
        guard let target = response.header("location") ?? fromBody, let components = URLComponents(string: target),
              let scheme = components.scheme?.lowercased(), components.host?.isEmpty == false,
              components.user == nil, components.password == nil else {
            throw MediaDownloadError(.unusableRedirect, subject: sid, "Twilio answered HTTP \(response.status) without a usable media URL (no absolute Location or redirect_to); report the request id \(response.header("twilio-request-id") ?? "(none)") to Twilio support.")
        }
        guard scheme == "https" || (scheme == "http" && allowHTTP) else {
            throw MediaDownloadError(.unusableRedirect, subject: sid, "the media URL uses \(scheme), not https; refused (allow plain http only for local tests, with --allow-http).")
        }
        return target
    }

    /// The size of the regular file at `path`, or nil (missing, a folder, unreadable).
    static func fileSize(_ path: String) -> Int64? {
        var info = stat()
        guard stat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { return nil }
        return Int64(info.st_size)
    }
}
