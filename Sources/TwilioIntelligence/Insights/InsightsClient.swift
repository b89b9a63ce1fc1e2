import CallPrepJSON
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A structured query for the Insights v3 Conversations domain.
public struct InsightsQuery: Sendable, Equatable, Codable {
    /// The `measures` field.
    public var measures: [String]
    /// The `dimensions` field.
    public var dimensions: [String]
    /// The `filters` field (`nil` when absent).
    public var filters: [Filter]?
    /// The `orderBy` field (`nil` when absent).
    public var orderBy: [Order]?

    /// A group of expressions joined by `op` (`AND`/`OR`).
    public struct Filter: Sendable, Equatable, Codable {
        /// The `op` field.
        public var op: String
        /// The `expressions` field.
        public var expressions: [Expression]
        /// Creates the value.
        public init(op: String, expressions: [Expression]) { self.op = op; self.expressions = expressions }
    }

    /// `field op values` with `op` one of `EQ NE GT LT IN`.
    public struct Expression: Sendable, Equatable, Codable {
        /// The `op` field.
        public var op: String
        /// The `field` field.
        public var field: String
        /// The `values` field.
        public var values: [String]
        /// Creates the value.
        public init(op: String, field: String, values: [String]) { self.op = op; self.field = field; self.values = values }
    }

    /// Sort by `field`, `direction` `ASC` or `DESC`.
    public struct Order: Sendable, Equatable, Codable {
        /// The `field` field.
        public var field: String
        /// The `direction` field.
        public var direction: String
        /// Creates the value.
        public init(field: String, direction: String) { self.field = field; self.direction = direction }
    }

    /// Creates a query.
    public init(measures: [String], dimensions: [String], filters: [Filter]? = nil, orderBy: [Order]? = nil) {
        self.measures = measures
        self.dimensions = dimensions
        self.filters = filters
        self.orderBy = orderBy
    }

    /// Checks operators and directions locally.
    public func validate() throws(IntelligenceClientError) {
        guard !measures.isEmpty || !dimensions.isEmpty else {
            throw .invalidInput(field: "query", message: "give at least one measure or dimension")
        }
        for filter in filters ?? [] {
            guard ["AND", "OR"].contains(filter.op) else { throw .invalidInput(field: "query.filters.op", message: "must be AND or OR; got \(filter.op)") }
            for expression in filter.expressions where !["EQ", "NE", "GT", "LT", "IN"].contains(expression.op) {
                throw .invalidInput(field: "query.filters.expressions.op", message: "must be EQ, NE, GT, LT or IN; got \(expression.op)")
            }
        }
        for order in orderBy ?? [] where !["ASC", "DESC"].contains(order.direction) {
            throw .invalidInput(field: "query.orderBy.direction", message: "must be ASC or DESC; got \(order.direction)")
        }
    }
}

/// One page of query results (token pagination).
public struct InsightsQueryPage: Sendable, Equatable, Codable {
    /// The `domain` field (`nil` when absent).
    public var domain: String?
    /// The `items` field.
    public var items: [JSONValue]
    /// The `meta` field (`nil` when absent).
    public var meta: Meta?

    /// Token paging metadata.
    public struct Meta: Sendable, Equatable, Codable {
        /// The `key` field (`nil` when absent).
        public var key: String?
        /// The `pageSize` field (`nil` when absent).
        public var pageSize: Int?
        /// The `nextToken` field (`nil` when absent).
        public var nextToken: String?
        /// The `previousToken` field (`nil` when absent).
        public var previousToken: String?
    }
}

/// Cubes, measures and dimensions of the Conversations domain.
public struct InsightsMetadata: Sendable, Equatable, Codable {
    /// The `domain` field (`nil` when absent).
    public var domain: String?
    /// The `cubes` field (`nil` when absent).
    public var cubes: [JSONValue]?
}

extension IntelligenceClient {
    /// `GET /v3/InsightsDomains/Conversations/Metadata`.
    public func insightsMetadata() async throws -> InsightsMetadata {
        try await executor.decode(InsightsMetadata.self, APIRequest(
            method: "GET", url: configuration.resolvedInsightsBase + "/v3/InsightsDomains/Conversations/Metadata"))
    }

    /// `POST /v3/InsightsDomains/Conversations/Query` (first page).
    public func insightsQuery(_ query: InsightsQuery, pageSize: Int? = nil) async throws -> InsightsQueryPage {
        try query.validate()
        struct Body: Encodable { var query: InsightsQuery }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let body = try encoder.encode(Body(query: query))
        let url = makeURL(configuration.resolvedInsightsBase, "/v3/InsightsDomains/Conversations/Query", [("pageSize", pageSize.map(String.init))])
        // A query only reads; retrying it is safe.
        return try await executor.decode(InsightsQueryPage.self, APIRequest(method: "POST", url: url, jsonBody: Array(body)))
    }

    /// `GET /v3/InsightsDomains/Conversations/Query?pageToken=…` (following pages).
    public func insightsQueryPage(token: String) async throws -> InsightsQueryPage {
        guard !token.isEmpty else { throw IntelligenceClientError.invalidInput(field: "pageToken", message: "required") }
        let url = makeURL(configuration.resolvedInsightsBase, "/v3/InsightsDomains/Conversations/Query", [("pageToken", token)])
        return try await executor.decode(InsightsQueryPage.self, APIRequest(method: "GET", url: url))
    }

    /// Runs `query` and follows `nextToken` until the last page or `limit` rows.
    public func insightsQueryAll(_ query: InsightsQuery, pageSize: Int? = nil, limit: Int? = nil) async throws -> [JSONValue] {
        var page = try await insightsQuery(query, pageSize: pageSize)
        var rows = page.items
        while let token = page.meta?.nextToken, !token.isEmpty, rows.count < (limit ?? .max) {
            page = try await insightsQueryPage(token: token)
            rows += page.items
        }
        return limit.map { Array(rows.prefix($0)) } ?? rows
    }
}
