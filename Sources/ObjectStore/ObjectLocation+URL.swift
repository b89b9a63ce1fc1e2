#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension ObjectLocation {
    /// The object an S3 object URL names, as services hand them out (Twilio's
    /// `media_external_location`, a console's "Object URL"), for the store configured with
    /// `endpoint` — or an error when the URL is not on that store, so that the store's
    /// credentials are never sent to another host.
    ///
    /// Accepted: `s3://BUCKET/KEY`; on the configured endpoint's host and port, path style
    /// (`http://127.0.0.1:9000/BUCKET/KEY`) or virtual-hosted (`https://BUCKET.HOST/KEY`); and,
    /// when the endpoint is AWS's (`*.amazonaws.com`), any AWS S3 host:
    /// `https://BUCKET.s3[.REGION|-REGION].amazonaws.com/KEY` or
    /// `https://s3[.REGION|-REGION].amazonaws.com/BUCKET/KEY`. The key's percent-escapes are
    /// decoded; a query (a presigned URL's signature) is ignored; https only unless the
    /// endpoint itself is http.
    public init(objectURL url: String, endpoint: S3Endpoint) throws(ObjectStoreError) {
        if url.lowercased().hasPrefix("s3://") {
            try self.init(parsing: url)
            return
        }
        func refuse(_ why: String) -> ObjectStoreError {
            ObjectStoreError(code: .invalidLocation, message: "\"\(Self.withoutQuery(url))\" \(why)")
        }
        guard let parsed = URLComponents(string: url), let scheme = parsed.scheme?.lowercased(), let rawHost = parsed.host?.lowercased(),
              !rawHost.isEmpty else {
            throw refuse("is not an object URL; expected https://BUCKET.s3.REGION.amazonaws.com/KEY or s3://BUCKET/KEY")
        }
        guard parsed.user == nil, parsed.password == nil else { throw refuse("carries user information; refused") }
        guard scheme == "https" || (scheme == "http" && endpoint.scheme == "http") else {
            throw refuse("is not https; an object URL over \(scheme) is accepted only when the configured S3 endpoint is http too")
        }
        let host = rawHost.hasPrefix("[") && rawHost.hasSuffix("]") ? String(rawHost.dropFirst().dropLast()) : rawHost
        let port = parsed.port ?? (scheme == "https" ? 443 : 80)
        // The path, percent-escapes decoded, without its leading "/".
        let path = String((URL(string: url)?.path(percentEncoded: false) ?? parsed.path).drop { $0 == "/" })
        func pathStyle() throws(ObjectStoreError) -> ObjectLocation {
            guard let slash = path.firstIndex(of: "/"), slash != path.startIndex else {
                throw refuse("names a bucket but no object key")
            }
            return try ObjectLocation(bucket: String(path[..<slash]), key: String(path[path.index(after: slash)...]))
        }
        let location: ObjectLocation
        if host == endpoint.host, port == endpoint.effectivePort {
            location = try pathStyle()
        } else if host.hasSuffix("." + endpoint.host), port == endpoint.effectivePort {
            location = try ObjectLocation(bucket: String(host.dropLast(endpoint.host.count + 1)), key: path)
        } else if endpoint.host.hasSuffix(".amazonaws.com"), host.hasSuffix(".amazonaws.com"), port == 443, let form = Self.awsForm(of: host) {
            switch form {
            case .pathStyle: location = try pathStyle()
            case .virtualHosted(let bucket): location = try ObjectLocation(bucket: bucket, key: path)
            }
        } else {
            throw refuse("is not on the configured S3 endpoint (\(endpoint)); set AWS_ENDPOINT_URL (or the profile's endpoint_url) to the store that holds it, so that its credentials go to that store only")
        }
        guard !location.isPrefix else { throw refuse("names a folder, not an object") }
        self = location
    }

    private enum AWSForm {
        case pathStyle
        case virtualHosted(bucket: String)
    }

    /// `s3.amazonaws.com`, `s3.REGION.amazonaws.com`, `s3-REGION.amazonaws.com` (path style), or
    /// one of them after `BUCKET.` (virtual-hosted); nil for other AWS hosts.
    private static func awsForm(of host: String) -> AWSForm? {
        let labels = host.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard labels.count >= 3 else { return nil }
        let serviceIndex = labels.lastIndex { $0 == "s3" || $0.hasPrefix("s3-") }
        guard let serviceIndex else { return nil }
        // After the s3 label: an optional region, then amazonaws.com.
        let tail = labels[(serviceIndex + 1)...]
        guard tail.suffix(2) == ["amazonaws", "com"], tail.count <= 3 else { return nil }
        if serviceIndex == 0 { return .pathStyle }
        return .virtualHosted(bucket: labels[..<serviceIndex].joined(separator: "."))
    }

    private static func withoutQuery(_ url: String) -> String {
        url.firstIndex(of: "?").map { String(url[..<$0]) } ?? url
    }
}
