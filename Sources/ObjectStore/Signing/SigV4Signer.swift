import Crypto
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// AWS Signature Version 4 for S3, in one place: header signing for requests and query signing
/// for presigned URLs, on swift-crypto's HMAC-SHA256.
///
/// The steps (AWS's "Signature Version 4 signing process" for S3): a canonical request (method,
/// encoded path, sorted encoded query, lower-cased sorted headers, the signed header names, the
/// payload's SHA-256) is hashed into a string to sign with the time and scope
/// (`DATE/REGION/s3/aws4_request`), and signed with a key derived from the secret by four HMACs
/// (date, region, service, `aws4_request`). The tests hold it to AWS's documented examples and
/// to botocore's signer.
struct SigV4Signer: Sendable {
    static let algorithm = "AWS4-HMAC-SHA256"
    /// The SHA-256 of no bytes, the payload hash of a request without a body.
    static let emptyPayloadHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    /// The payload hash a presigned URL signs: the body is not part of the signature.
    static let unsignedPayload = "UNSIGNED-PAYLOAD"

    let credentials: S3Credentials
    let region: String
    let service: String

    init(credentials: S3Credentials, region: String, service: String = "s3") {
        self.credentials = credentials
        self.region = region
        self.service = service
    }

    /// A request as it will be sent, before signing.
    struct Request {
        /// `GET`, `PUT`, …
        var method: String
        /// The `Host` header: the host name, with `:port` when the port is not the scheme's default.
        var host: String
        /// The path as sent, already encoded with ``SigV4Encoding/path(_:)`` (e.g. `/bucket/a%20b`).
        var path: String
        /// Query parameters, not encoded (the signer encodes them).
        var query: [(name: String, value: String)] = []
        /// Headers to send and sign besides `host`, `x-amz-date`, `x-amz-content-sha256` and
        /// `x-amz-security-token`, which the signer adds.
        var headers: [(name: String, value: String)] = []
        /// Lowercase hex SHA-256 of the body (``emptyPayloadHash`` for none).
        var payloadHash: String = SigV4Signer.emptyPayloadHash
    }

    /// The headers to send with `request` signed at `date`: the request's own headers plus
    /// `x-amz-date`, `x-amz-content-sha256`, `x-amz-security-token` (with temporary credentials)
    /// and `Authorization`. `host` is not included: the HTTP client sends it.
    func signedHeaders(for request: Request, at date: Date) -> [(name: String, value: String)] {
        let time = SigningTime(date)
        var headers = request.headers
        headers.append(("x-amz-date", time.timestamp))
        headers.append(("x-amz-content-sha256", request.payloadHash))
        if let token = credentials.sessionToken {
            headers.append(("x-amz-security-token", token))
        }
        let canonicalHeaders = Self.canonicalHeaders(headers + [("host", request.host)])
        let signedNames = canonicalHeaders.map(\.name).joined(separator: ";")
        let canonical = Self.canonicalRequest(
            method: request.method, path: request.path, query: request.query,
            headers: canonicalHeaders, signedNames: signedNames, payloadHash: request.payloadHash)
        let signature = sign(canonicalRequest: canonical, at: time)
        let authorization = "\(Self.algorithm) Credential=\(credentials.accessKeyID)/\(scope(time)),SignedHeaders=\(signedNames),Signature=\(signature)"
        return headers + [("Authorization", authorization)]
    }

    /// The query string of a presigned URL for `method` on `path` (everything after `?`, the
    /// signature last), valid for `expiresIn` seconds from `date`. Only `host` is signed, and the
    /// payload is unsigned, so any client can use the URL as is.
    func presignedQuery(
        method: String, host: String, path: String, query: [(name: String, value: String)] = [],
        expiresIn seconds: Int, at date: Date
    ) -> String {
        let time = SigningTime(date)
        var parameters = query
        parameters.append(("X-Amz-Algorithm", Self.algorithm))
        parameters.append(("X-Amz-Credential", "\(credentials.accessKeyID)/\(scope(time))"))
        parameters.append(("X-Amz-Date", time.timestamp))
        parameters.append(("X-Amz-Expires", String(seconds)))
        parameters.append(("X-Amz-SignedHeaders", "host"))
        if let token = credentials.sessionToken {
            parameters.append(("X-Amz-Security-Token", token))
        }
        let canonical = Self.canonicalRequest(
            method: method, path: path, query: parameters, headers: [("host", host)],
            signedNames: "host", payloadHash: Self.unsignedPayload)
        let signature = sign(canonicalRequest: canonical, at: time)
        return Self.canonicalQuery(parameters) + "&X-Amz-Signature=" + signature
    }

    // MARK: - The steps

    /// Step 1: the canonical request, one field per line.
    static func canonicalRequest(
        method: String, path: String, query: [(name: String, value: String)],
        headers: [(name: String, value: String)], signedNames: String, payloadHash: String
    ) -> String {
        let headerLines = headers.map { "\($0.name):\($0.value)\n" }.joined()
        return [method, path, canonicalQuery(query), headerLines, signedNames, payloadHash].joined(separator: "\n")
    }

    /// The query as SigV4 wants it: each name and value encoded, sorted by name then value,
    /// joined with `&` (a parameter without a value keeps its `=`).
    static func canonicalQuery(_ query: [(name: String, value: String)]) -> String {
        let encoded: [(name: String, value: String)] = query.map { parameter in
            (SigV4Encoding.component(parameter.name), SigV4Encoding.component(parameter.value))
        }
        let sorted = encoded.sorted { left, right in
            left.name == right.name ? left.value < right.value : left.name < right.name
        }
        return sorted.map { parameter in parameter.name + "=" + parameter.value }.joined(separator: "&")
    }

    /// Header names lower-cased, values trimmed with inner runs of spaces collapsed, sorted by name.
    static func canonicalHeaders(_ headers: [(name: String, value: String)]) -> [(name: String, value: String)] {
        headers.map { header in
            let words = header.value.split(whereSeparator: { $0 == " " || $0 == "\t" })
            return (header.name.lowercased(), words.joined(separator: " "))
        }
        .sorted { $0.name < $1.name }
    }

    /// Steps 2 and 3: the string to sign, and its HMAC with the derived signing key, in hex.
    private func sign(canonicalRequest: String, at time: SigningTime) -> String {
        let stringToSign = [
            Self.algorithm, time.timestamp, scope(time), SHA256Text.hex(of: Array(canonicalRequest.utf8)),
        ].joined(separator: "\n")
        let signature = HMAC<SHA256>.authenticationCode(for: Array(stringToSign.utf8), using: signingKey(time))
        return signature.map { byte in byte < 16 ? "0" + String(byte, radix: 16) : String(byte, radix: 16) }.joined()
    }

    /// `DATE/REGION/SERVICE/aws4_request`.
    private func scope(_ time: SigningTime) -> String {
        "\(time.date)/\(region)/\(service)/aws4_request"
    }

    /// The key for one day, region and service: HMAC chained from `AWS4` + the secret.
    private func signingKey(_ time: SigningTime) -> SymmetricKey {
        var key = SymmetricKey(data: Array(("AWS4" + credentials.secretAccessKey).utf8))
        for part in [time.date, region, service, "aws4_request"] {
            key = SymmetricKey(data: HMAC<SHA256>.authenticationCode(for: Array(part.utf8), using: key))
        }
        return key
    }
}

/// A signing time in SigV4's two spellings: `20130524T000000Z` and `20130524`, in UTC.
struct SigningTime {
    let timestamp: String
    let date: String

    init(_ instant: Date) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: instant)
        func pad(_ value: Int?, _ width: Int) -> String {
            let text = String(value ?? 0)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        date = pad(parts.year, 4) + pad(parts.month, 2) + pad(parts.day, 2)
        timestamp = date + "T" + pad(parts.hour, 2) + pad(parts.minute, 2) + pad(parts.second, 2) + "Z"
    }
}
