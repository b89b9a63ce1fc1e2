#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Paging metadata of a v2 list response.
public struct PageMeta: Sendable, Equatable, Codable {
    /// The `key` field of `meta` (`nil` when absent).
    public var key: String?
    /// The `page` field of `meta` (`nil` when absent).
    public var page: Int?
    /// The `page_size` field of `meta` (`nil` when absent).
    public var pageSize: Int?
    /// The `first_page_url` field of `meta` (`nil` when absent).
    public var firstPageURL: String?
    /// The `previous_page_url` field of `meta` (`nil` when absent).
    public var previousPageURL: String?
    /// Absolute URL of the next page, followed verbatim; `nil` on the last page.
    public var nextPageURL: String?
    /// The `url` field of `meta` (`nil` when absent).
    public var url: String?

    /// Creates metadata (the 2010-04-01 API's pages carry only a next page and the list's name).
    public init(key: String? = nil, page: Int? = nil, pageSize: Int? = nil, firstPageURL: String? = nil,
                previousPageURL: String? = nil, nextPageURL: String? = nil, url: String? = nil) {
        self.key = key
        self.page = page
        self.pageSize = pageSize
        self.firstPageURL = firstPageURL
        self.previousPageURL = previousPageURL
        self.nextPageURL = nextPageURL
        self.url = url
    }

    enum CodingKeys: String, CodingKey {
        case key, page, url
        case pageSize = "page_size"
        case firstPageURL = "first_page_url"
        case previousPageURL = "previous_page_url"
        case nextPageURL = "next_page_url"
    }
}

/// One page of a v2 list: the records under `meta.key` (or the single non-meta key).
public struct Page<Item: Decodable & Sendable>: Sendable, Decodable {
    /// The `items` field.
    public var items: [Item]
    /// The `meta` field.
    public var meta: PageMeta

    private struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    /// The top-level members of a 2010-04-01 list page besides its records.
    private static var legacyMembers: Set<String> { [
        "first_page_uri", "end", "previous_page_uri", "uri", "page_size", "start", "next_page_uri", "page",
    ] }

    /// Decodes the API's JSON: a v1/v2 page (`meta` with `next_page_url`), or a 2010-04-01 page
    /// (top-level `next_page_uri`, relative to the API's host, and the records under the one
    /// other member).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: AnyKey.self)
        guard container.contains(AnyKey(stringValue: "meta")) else {
            let next = try container.decodeIfPresent(String.self, forKey: AnyKey(stringValue: "next_page_uri"))
            let keys = container.allKeys.map(\.stringValue).filter { !Self.legacyMembers.contains($0) }
            guard keys.count == 1, let key = keys.first else {
                throw DecodingError.keyNotFound(AnyKey(stringValue: "meta"), .init(codingPath: [], debugDescription: "a list page has meta (v1/v2) or exactly one list besides next_page_uri (2010-04-01); found \(keys.sorted())"))
            }
            meta = PageMeta(key: key, nextPageURL: next)
            items = try container.decode([Item].self, forKey: AnyKey(stringValue: key))
            return
        }
        meta = try container.decode(PageMeta.self, forKey: AnyKey(stringValue: "meta"))
        let key = meta.key ?? container.allKeys.first { $0.stringValue != "meta" }?.stringValue
        guard let key else {
            throw DecodingError.keyNotFound(AnyKey(stringValue: "meta.key"), .init(codingPath: [], debugDescription: "a list page names its records in meta.key"))
        }
        items = try container.decode([Item].self, forKey: AnyKey(stringValue: key))
    }
}

/// The records of a v2 list endpoint, fetched page by page as they are consumed, at
/// `meta.next_page_url` as the server gave it (edge/region applied), until that is null.
///
/// A server cannot lead it astray or keep it busy: a next URL on another scheme, host or port
/// than the first page's is refused before anything is sent (the request would carry the
/// credentials there); an empty page ends the list; a next URL already fetched and more than
/// ``maxPages`` pages are errors. A failed page throws the full ``TwilioAPIError``.
public struct PagedSequence<Item: Decodable & Sendable>: AsyncSequence, Sendable {
    public typealias Element = Item
    let executor: RequestExecutor
    let firstURL: String
    /// Stop after this many records (nil: all).
    let limit: Int?
    /// The most pages one listing fetches.
    public let maxPages: Int

    /// The default ``maxPages``: 1000 pages is 50,000 records at the default page size.
    public static var defaultMaxPages: Int { 1000 }

    init(executor: RequestExecutor, firstURL: String, limit: Int?, maxPages: Int = Self.defaultMaxPages) {
        self.executor = executor
        self.firstURL = firstURL
        self.limit = limit
        self.maxPages = maxPages
    }

    /// Fetches pages lazily.
    public struct AsyncIterator: AsyncIteratorProtocol {
        let executor: RequestExecutor
        let origin: PageOrigin?
        let maxPages: Int
        var nextURL: String?
        var fetched: Set<String> = []
        var buffer: [Item] = []
        var index = 0
        var remaining: Int?

        public mutating func next() async throws -> Item? {
            if let remaining, remaining <= 0 { return nil }
            while index >= buffer.count {
                guard let url = nextURL else { return nil }
                let request = APIRequest(method: "GET", url: url)
                guard fetched.count < maxPages else {
                    throw Self.refusal(request, "the list has more than \(maxPages) pages; stopped there (narrow it with filters or --limit)")
                }
                fetched.insert(url)
                let page = try await executor.decode(Page<Item>.self, request)
                buffer = page.items
                index = 0
                nextURL = nil
                // An empty page ends the list, whatever its next URL says.
                guard !page.items.isEmpty else { return nil }
                if let next = page.meta.nextPageURL, !next.isEmpty {
                    // 2010-04-01's next_page_uri is a path on the host that answered.
                    let absolute = next.hasPrefix("/") ? (origin?.description ?? "") + next : next
                    let resolved = executor.configuration.applyingEdgeAndRegion(to: absolute)
                    guard let origin, PageOrigin(resolved) == origin else {
                        throw Self.refusal(request, "meta.next_page_url \(next.debugDescription) is not on \(origin?.description ?? "the first page's host"); not followed, so no credentials were sent there")
                    }
                    guard !fetched.contains(resolved) else {
                        throw Self.refusal(request, "meta.next_page_url \(next.debugDescription) names a page already fetched; stopped to avoid a loop")
                    }
                    nextURL = resolved
                }
            }
            defer { index += 1 }
            remaining = remaining.map { $0 - 1 }
            return buffer[index]
        }

        private static func refusal(_ request: APIRequest, _ detail: String) -> IntelligenceClientError {
            .invalidResponse(method: request.method, path: request.path, status: 200, requestID: nil, detail: detail)
        }
    }

    /// Starts at the first page; nothing is fetched until `next()`.
    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(executor: executor, origin: PageOrigin(firstURL), maxPages: maxPages, nextURL: firstURL, remaining: limit)
    }

    /// All records (or up to the limit) in one array.
    public func collect() async throws -> [Item] {
        var items: [Item] = []
        for try await item in self { items.append(item) }
        return items
    }
}

/// The scheme, host and port of a URL: where a request, and so its credentials, would go.
struct PageOrigin: Equatable, Sendable, CustomStringConvertible {
    let scheme: String
    let host: String
    let port: Int

    init?(_ url: String) {
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased(),
              let host = components.host?.lowercased(), !host.isEmpty else { return nil }
        self.scheme = scheme
        self.host = host
        self.port = components.port ?? (scheme == "https" ? 443 : scheme == "http" ? 80 : -1)
    }

    var description: String { "\(scheme)://\(host):\(port)" }
}

/// Builds `base + path + ?query` with only the set parameters, form-escaped.
func makeURL(_ base: String, _ path: String, _ query: [(String, String?)] = []) -> String {
    let pairs = query.compactMap { name, value in value.map { (name, $0) } }
    return base + path + (pairs.isEmpty ? "" : "?" + FormEncoding.encode(pairs))
}

/// `true`/`false` the way Twilio expects booleans.
func boolText(_ value: Bool?) -> String? { value.map { $0 ? "true" : "false" } }
