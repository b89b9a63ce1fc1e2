import Foundation

/// A structured query for the Insights v3 Conversations domain.
public struct InsightsQuery: Sendable, Equatable, Codable {
    public var measures: [String]
    public var dimensions: [String]
    public var filters: [Filter]?
    public var orderBy: [Order]?

    /// A group of expressions joined by `op` (`AND`/`OR`).
    public struct Filter: Sendable, Equatable, Codable {
        public var op: String
        public var expressions: [Expression]
        public init(op: String, expressions: [Expression]) { self.op = op; self.expressions = expressions }
    }

    /// `field op values` with `op` one of `EQ NE GT LT IN`.
    public struct Expression: Sendable, Equatable, Codable {
        public var op: String
        public var field: String
        public var values: [String]
        public init(op: String, field: String, values: [String]) { self.op = op; self.field = field; self.values = values }
    }

    /// Sort by `field`, `direction` `ASC` or `DESC`.
    public struct Order: Sendable, Equatable, Codable {
        public var field: String
        public var direction: String
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
    public var domain: String?
    public var items: [JSONValue]
    public var meta: Meta?

    /// Token paging metadata.
    public struct Meta: Sendable, Equatable, Codable {
        public var key: String?
        public var pageSize: Int?
        public var nextToken: String?
        public var previousToken: String?
    }
}

/// Cubes, measures and dimensions of the Conversations domain.
public struct InsightsMetadata: Sendable, Equatable, Codable {
    public var domain: String?
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
