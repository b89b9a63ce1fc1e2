import CallPrepJSON
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import TwilioIntelligence

/// Checks that a media URL is one Twilio can fetch: https (unless allowed), answering 200/206
/// to an unauthenticated HEAD or one-byte ranged GET. Given the size the merge recorded, it also
/// checks the size the URL serves (`Content-Length` of the HEAD, or the total of the GET's
/// `Content-Range`), so a URL that serves another or a truncated file is refused before a
/// transcript is created.
enum MediaURLCheck {
    static func check(_ url: String, allowHTTP: Bool, skipReachability: Bool, verbose: Bool, expectedSize: Int64? = nil) async throws {
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased() else {
            throw IntelligenceClientError.invalidInput(field: "--media-url", message: "not a URL: \(url.debugDescription)")
        }
        if scheme == "http", !allowHTTP {
            throw IntelligenceClientError.invalidInput(field: "--media-url", message: "is http; Twilio needs a public https URL (use --allow-http only for local emulators)")
        }
        guard !skipReachability else { return }
        let transport = AsyncHTTPClientTransport(connectTimeout: .seconds(10), maxResponseBytes: 1 << 16)
        let outcome = await probe(url, transport: transport, verbose: verbose)
        try? await transport.shutdown()
        switch outcome {
        case .answered(let servedSize):
            guard let expectedSize, let servedSize, servedSize != expectedSize else { return }
            throw IntelligenceClientError.invalidInput(field: "--media-url", message: "serves \(servedSize) bytes, but the manifest records \(expectedSize) for the merged file; upload the merged file again (or pass the URL of the right one)")
        case .refused(let statuses):
            throw IntelligenceClientError.invalidInput(field: "--media-url", message: "does not answer without credentials (\(statuses.joined(separator: "; "))); Twilio fetches it once, publicly — use a presigned or public URL")
        }
    }

    private enum Outcome {
        /// 200/206, with the whole file's size when the answer said it.
        case answered(size: Int64?)
        /// What each attempt got.
        case refused([String])
    }

    private static func probe(_ url: String, transport: AsyncHTTPClientTransport, verbose: Bool) async -> Outcome {
        var statuses: [String] = []
        for (method, headers) in [("HEAD", [(String, String)]()), ("GET", [("Range", "bytes=0-0")])] {
            do {
                let response = try await transport.send(TransportRequest(method: method, url: url, headers: headers, body: nil), timeout: .seconds(20))
                if verbose { Console.error("· media URL \(method) → HTTP \(response.status)") }
                switch response.status {
                case 200: return .answered(size: byteCount(response.headers["content-length"]))
                case 206: return .answered(size: response.headers["content-range"].flatMap(totalOfContentRange))
                default: statuses.append("\(method) → HTTP \(response.status)")
                }
            } catch {
                statuses.append("\(method) → \(error)")
            }
        }
        return .refused(statuses)
    }

    /// A header's byte count: decimal digits only, at most 2^53 (anything else is ignored).
    static func byteCount(_ text: String?) -> Int64? {
        guard let text = text?.trimmingWhitespace(), !text.isEmpty, text.utf8.count <= 16,
              text.utf8.allSatisfy({ (0x30...0x39).contains($0) }), let value = Int64(text), value <= 1 << 53
        else { return nil }
        return value
    }

    /// The complete length in `Content-Range: bytes 0-0/474567`; nil for `*` or anything malformed.
    static func totalOfContentRange(_ header: String) -> Int64? {
        guard let slash = header.lastIndex(of: "/") else { return nil }
        return byteCount(String(header[header.index(after: slash)...]))
    }
}
