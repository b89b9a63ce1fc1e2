/// Where a request for a bucket and key goes: the `Host` header and the encoded path, in the
/// configured addressing style (virtual-hosted `BUCKET.HOST/KEY` or path-style `HOST/BUCKET/KEY`).
struct S3Addressing: Sendable {
    let endpoint: S3Endpoint
    let style: S3Configuration.AddressingStyle

    /// The host header and path for `key` in `bucket` (an empty key addresses the bucket itself).
    func target(bucket: String, key: String) -> (host: String, path: String) {
        let encodedKey = SigV4Encoding.path(key)
        if style == .virtualHosted, Self.isVirtualHostable(bucket, scheme: endpoint.scheme) {
            return (endpoint.hostHeader(for: "\(bucket).\(endpoint.host)"), "/" + encodedKey)
        }
        let bucketPath = "/" + SigV4Encoding.component(bucket)
        return (endpoint.hostHeader(for: endpoint.host), key.isEmpty ? bucketPath : bucketPath + "/" + encodedKey)
    }

    /// The full URL for a target and an already canonical query.
    func url(host: String, path: String, query: String) -> String {
        "\(endpoint.scheme)://\(host)\(path)" + (query.isEmpty ? "" : "?" + query)
    }

    /// Whether a bucket name can be a DNS label in front of the endpoint's host: 3–63 lower-case
    /// letters, digits, `-` and `.`, starting and ending with a letter or digit, and without `.`
    /// over https (the endpoint's wildcard certificate covers one label only).
    static func isVirtualHostable(_ bucket: String, scheme: String) -> Bool {
        guard (3...63).contains(bucket.count), let first = bucket.first, let last = bucket.last,
              first.isASCII, last.isASCII, first.isLetter || first.isNumber, last.isLetter || last.isNumber
        else { return false }
        if scheme == "https", bucket.contains(".") { return false }
        return bucket.allSatisfy { ($0.isASCII && ($0.isLowercase || $0.isNumber)) || $0 == "-" || $0 == "." } && !bucket.contains("..")
    }
}
