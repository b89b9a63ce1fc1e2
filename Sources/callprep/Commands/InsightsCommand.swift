import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import TwilioIntelligence

extension CallPrep {
    /// `callprep insights …`: Insights v3 Conversations domain.
    struct Insights: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "insights",
            abstract: "Query Conversation Insights (v3): metadata and semantic queries.",
            subcommands: [Metadata.self, Query.self])
    }
}

extension CallPrep.Insights {
    struct Metadata: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "metadata", abstract: "Show cubes, measures and dimensions.")
        @OptionGroup var credentials: CredentialOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            try await APISession.run(credentials, output) { client in
                let metadata = try await client.insightsMetadata()
                if output.json { return try Console.printJSON(metadata) }
                print("domain: \(metadata.domain ?? "-")")
                for cube in metadata.cubes ?? [] { print("  \(cube)") }
            }
        }
    }

    struct Query: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "query",
            abstract: "Run a query and follow its pages.",
            discussion: "Filters are FIELD OP VALUE[,VALUE…] with OP one of EQ NE GT LT IN, joined by AND, e.g. --filter 'Channels IN voice,chat'.")
        @Option(name: .customLong("measure")) var measures: [String] = []
        @Option(name: .customLong("dimension")) var dimensions: [String] = []
        @Option(name: .customLong("filter"), help: "FIELD OP VALUES, repeatable (AND).") var filters: [String] = []
        @Option(name: .customLong("order"), help: "FIELD:ASC or FIELD:DESC, repeatable.") var orders: [String] = []
        @Option(name: .customLong("page-size")) var pageSize: Int?
        @Option(help: "Stop after this many rows.") var limit: Int = 1000
        @OptionGroup var credentials: CredentialOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            try await APISession.run(credentials, output) { client in
                let expressions = try filters.map { text -> InsightsQuery.Expression in
                    let parts = text.split(separator: " ", maxSplits: 2).map(String.init)
                    guard parts.count == 3 else {
                        throw IntelligenceClientError.invalidInput(field: "--filter", message: "expected FIELD OP VALUES; got \(text.debugDescription)")
                    }
                    return .init(op: parts[1].uppercased(), field: parts[0], values: parts[2].split(separator: ",").map(String.init))
                }
                let order = try orders.map { text -> InsightsQuery.Order in
                    let parts = text.split(separator: ":").map(String.init)
                    guard parts.count == 2 else { throw IntelligenceClientError.invalidInput(field: "--order", message: "expected FIELD:ASC|DESC") }
                    return .init(field: parts[0], direction: parts[1].uppercased())
                }
                let query = InsightsQuery(measures: measures, dimensions: dimensions,
                                          filters: expressions.isEmpty ? nil : [.init(op: "AND", expressions: expressions)],
                                          orderBy: order.isEmpty ? nil : order)
                let rows = try await client.insightsQueryAll(query, pageSize: pageSize, limit: limit)
                if output.json { return try Console.printJSON(rows) }
                rows.forEach { print($0) }
            }
        }
    }
}
