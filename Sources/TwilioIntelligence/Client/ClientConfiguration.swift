#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Where and how the client talks to Twilio: credentials, hosts (edge/region or an explicit
/// base URL), per-request timeout, retry policy and User-Agent.
public struct ClientConfiguration: Sendable {
    /// Who is calling.
    public var credentials: Credentials
    /// Twilio edge location (e.g. `sydney`), or `nil`.
    public var edge: String?
    /// Twilio region (e.g. `au1`), or `nil`. With only an edge, region defaults to `us1`.
    public var region: String?
    /// Overrides the Intelligence base URL (`scheme://host[:port]`), for proxies, emulators and tests.
    public var intelligenceBaseURL: String?
    /// Overrides the Insights base URL.
    public var insightsBaseURL: String?
    /// Overrides the Video base URL (`https://video.twilio.com`): Rooms, Recordings, Compositions.
    public var videoBaseURL: String?
    /// Overrides the core API base URL (`https://api.twilio.com`): Voice recordings (2010-04-01).
    public var apiBaseURL: String?
    /// Deadline for one request/response exchange.
    public var requestTimeout: Duration
    /// Retry rules for 429/5xx/connection failures.
    public var retryPolicy: RetryPolicy
    /// Extra product token appended to the User-Agent, e.g. `callprep/0.1.0`.
    public var userAgentPrefix: String

    /// Creates a configuration.
    public init(credentials: Credentials, edge: String? = nil, region: String? = nil, intelligenceBaseURL: String? = nil,
                insightsBaseURL: String? = nil, videoBaseURL: String? = nil, apiBaseURL: String? = nil, requestTimeout: Duration = .seconds(30), retryPolicy: RetryPolicy = RetryPolicy(),
                userAgentPrefix: String = "callprep/\(TwilioIntelligenceLibrary.version)") {
        self.credentials = credentials
        self.edge = edge
        self.region = region
        self.intelligenceBaseURL = intelligenceBaseURL
        self.insightsBaseURL = insightsBaseURL
        self.videoBaseURL = videoBaseURL
        self.apiBaseURL = apiBaseURL
        self.requestTimeout = requestTimeout
        self.retryPolicy = retryPolicy
        self.userAgentPrefix = userAgentPrefix
    }

    /// Host for a Twilio product, with edge/region applied the way the helper libraries do:
    /// `product[.edge][.region].twilio.com`, region `us1` when only an edge is set.
    public static func host(product: String, edge: String?, region: String?) -> String {
        let edge = edge.flatMap { $0.isEmpty ? nil : $0 }
        let region = region.flatMap { $0.isEmpty ? nil : $0 } ?? (edge != nil ? "us1" : nil)
        return ([product, edge, region].compactMap { $0 } + ["twilio.com"]).joined(separator: ".")
    }

    /// Validates and normalises a base-URL override (drops a trailing slash).
    public static func checkedBaseURL(_ text: String, field: String) throws(IntelligenceClientError) -> String {
        guard let url = URLComponents(string: text), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme),
              url.host?.isEmpty == false, url.query == nil, url.user == nil, url.password == nil else {
            throw .invalidInput(field: field, message: "must be http(s)://host[:port] without credentials or query; got \(text.debugDescription)")
        }
        return text.hasSuffix("/") ? String(text.dropLast()) : text
    }

    /// Applies the configured edge/region to an absolute `*.twilio.com` URL the server returned
    /// (e.g. `meta.next_page_url`), as the helper libraries do; other URLs, and all URLs when a
    /// base-URL override is set or no edge/region is configured, are returned unchanged.
    public func applyingEdgeAndRegion(to url: String) -> String {
        guard intelligenceBaseURL == nil, edge != nil || region != nil,
              var components = URLComponents(string: url), let host = components.host?.lowercased(),
              host.hasSuffix(".twilio.com") else { return url }
        let labels = host.split(separator: ".").map(String.init)
        guard let product = labels.first, (3...5).contains(labels.count) else { return url }
        let parsedEdge = labels.count == 5 ? labels[1] : nil
        let parsedRegion = labels.count >= 4 ? labels[labels.count - 3] : nil
        components.host = Self.host(product: product, edge: edge ?? parsedEdge, region: region ?? parsedRegion)
        return components.string ?? url
    }

    /// The Intelligence v2 base, e.g. `https://intelligence.twilio.com`.
    public var resolvedIntelligenceBase: String {
        intelligenceBaseURL ?? "https://" + Self.host(product: "intelligence", edge: edge, region: region)
    }

    /// The Insights v3 base, e.g. `https://insights.twilio.com`.
    public var resolvedInsightsBase: String {
        insightsBaseURL ?? "https://" + Self.host(product: "insights", edge: edge, region: region)
    }

    /// The Video v1 base, e.g. `https://video.twilio.com`.
    public var resolvedVideoBase: String {
        videoBaseURL ?? "https://" + Self.host(product: "video", edge: edge, region: region)
    }

    /// The core API base (Voice recordings, 2010-04-01), e.g. `https://api.twilio.com`.
    public var resolvedAPIBase: String {
        apiBaseURL ?? "https://" + Self.host(product: "api", edge: edge, region: region)
    }

    /// The User-Agent header value.
    public var userAgent: String {
        #if os(Linux)
        let system = "Linux"
        #elseif os(macOS)
        let system = "macOS"
        #else
        let system = "unknown-os"
        #endif
        #if arch(x86_64)
        let machine = "x86_64"
        #elseif arch(arm64)
        let machine = "arm64"
        #else
        let machine = "unknown-arch"
        #endif
        return "\(userAgentPrefix) (\(system) \(machine)) TwilioIntelligence-swift/\(TwilioIntelligenceLibrary.version)"
    }
}
