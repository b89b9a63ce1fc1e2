import Foundation

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

    /// Decodes the API's JSON.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: AnyKey.self)
        meta = try container.decode(PageMeta.self, forKey: AnyKey(stringValue: "meta"))
        let key = meta.key ?? container.allKeys.first { $0.stringValue != "meta" }?.stringValue
        guard let key else {
            throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "page has no records key"))
        }
        items = try container.decode([Item].self, forKey: AnyKey(stringValue: key))
    }
}

/// The records of a v2 list endpoint, fetched page by page as they are consumed. Each page is
/// requested at `meta.next_page_url` exactly as the server gave it, until that is null. A
/// failed page throws the full ``TwilioAPIError`` (code, message, status, request id).
public struct PagedSequence<Item: Decodable & Sendable>: AsyncSequence, Sendable {
    public typealias Element = Item
    let executor: RequestExecutor
    let firstURL: String
    /// Stop after this many records (nil: all).
    let limit: Int?

    /// Fetches pages lazily.
    public struct AsyncIterator: AsyncIteratorProtocol {
        let executor: RequestExecutor
        var nextURL: String?
        var buffer: [Item] = []
        var index = 0
        var remaining: Int?

        public mutating func next() async throws -> Item? {
            if let remaining, remaining <= 0 { return nil }
            while index >= buffer.count {
                guard let url = nextURL else { return nil }
                let page = try await executor.decode(Page<Item>.self, APIRequest(method: "GET", url: url))
                buffer = page.items
                index = 0
                nextURL = page.meta.nextPageURL.flatMap { $0.isEmpty ? nil : executor.configuration.applyingEdgeAndRegion(to: $0) }
            }
            defer { index += 1 }
            remaining = remaining.map { $0 - 1 }
            return buffer[index]
        }
    }

    /// Starts at the first page; nothing is fetched until `next()`.
    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(executor: executor, nextURL: firstURL, remaining: limit)
    }

    /// All records (or up to the limit) in one array.
    public func collect() async throws -> [Item] {
        var items: [Item] = []
        for try await item in self { items.append(item) }
        return items
    }
}

/// Builds `base + path + ?query` with only the set parameters, form-escaped.
func makeURL(_ base: String, _ path: String, _ query: [(String, String?)] = []) -> String {
    let pairs = query.compactMap { name, value in value.map { (name, $0) } }
    return base + path + (pairs.isEmpty ? "" : "?" + FormEncoding.encode(pairs))
}

/// `true`/`false` the way Twilio expects booleans.
func boolText(_ value: Bool?) -> String? { value.map { $0 ? "true" : "false" } }
