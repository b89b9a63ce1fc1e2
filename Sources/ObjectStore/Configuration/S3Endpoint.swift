/// Where an S3-compatible service answers: scheme, host and port, from a URL such as
/// `https://s3.eu-west-1.amazonaws.com` or `http://127.0.0.1:9000`.
public struct S3Endpoint: Sendable, Equatable, CustomStringConvertible {
    /// `https` or `http`.
    public let scheme: String
    /// The host name or IP address (IPv6 without brackets).
    public let host: String
    /// The port, or `nil` for the scheme's default.
    public let port: Int?

    /// Parses an endpoint URL: `http` or `https`, a host, an optional port, no path, query or
    /// user information.
    public init(parsing url: String) throws(ObjectStoreError) {
        func refuse(_ why: String) -> ObjectStoreError {
            ObjectStoreError(code: .invalidConfiguration, message: "endpoint URL \"\(url)\" \(why); write it as https://HOST[:PORT]")
        }
        let lower = url.lowercased()
        let scheme: String
        if lower.hasPrefix("https://") { scheme = "https" } else if lower.hasPrefix("http://") { scheme = "http" } else {
            throw refuse("does not start with https:// or http://")
        }
        var rest = Substring(url.dropFirst(scheme.count + 3))
        if rest.hasSuffix("/") { rest = rest.dropLast() }
        guard !rest.contains("/"), !rest.contains("?"), !rest.contains("#") else { throw refuse("has a path, query or fragment") }
        guard !rest.contains("@") else { throw refuse("contains user information (credentials belong in AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY)") }
        var host: Substring
        var portText: Substring?
        if rest.hasPrefix("[") {
            guard let close = rest.firstIndex(of: "]") else { throw refuse("has an unclosed IPv6 bracket") }
            host = rest[rest.index(after: rest.startIndex)..<close]
            let after = rest[rest.index(after: close)...]
            if after.hasPrefix(":") { portText = after.dropFirst() } else if !after.isEmpty { throw refuse("has text after the IPv6 address") }
        } else if let colon = rest.lastIndex(of: ":") {
            host = rest[..<colon]
            portText = rest[rest.index(after: colon)...]
        } else {
            host = rest
        }
        guard !host.isEmpty, host.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "." || $0 == "-" || $0 == ":" || $0 == "_" }) else {
            throw refuse("has no valid host")
        }
        var port: Int?
        if let portText {
            guard let value = Int(portText), (1...65535).contains(value) else { throw refuse("has a port outside 1–65535") }
            port = value
        }
        self.scheme = scheme
        self.host = host.lowercased()
        self.port = port
    }

    /// AWS S3's own endpoint for a region: `https://s3.REGION.amazonaws.com`.
    public static func aws(region: String) -> S3Endpoint {
        // A region from configuration is checked before it gets here, so the URL always parses.
        (try? S3Endpoint(parsing: "https://s3.\(region).amazonaws.com")) ?? S3Endpoint(scheme: "https", host: "s3.amazonaws.com", port: nil)
    }

    private init(scheme: String, host: String, port: Int?) {
        self.scheme = scheme
        self.host = host
        self.port = port
    }

    /// Whether the host is `localhost` or an IP address, where only path-style addressing works
    /// (there is no DNS name to put the bucket in).
    public var isLocalOrIPAddress: Bool {
        if host == "localhost" || host.hasSuffix(".localhost") || host.contains(":") { return true }
        let parts = host.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts.allSatisfy { part in Int(part).map { (0...255).contains($0) } ?? false }
    }

    /// The port to connect to: the given one, or 443/80.
    public var effectivePort: Int { port ?? (scheme == "https" ? 443 : 80) }

    /// The `Host` header for a host name on this endpoint: with `:port` only when it is not the
    /// scheme's default, IPv6 in brackets.
    func hostHeader(for hostName: String) -> String {
        let name = hostName.contains(":") ? "[\(hostName)]" : hostName
        guard let port, port != (scheme == "https" ? 443 : 80) else { return name }
        return "\(name):\(port)"
    }

    /// `https://host[:port]`.
    public var description: String { "\(scheme)://\(hostHeader(for: host))" }
}
