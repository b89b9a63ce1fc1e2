import ArgumentParser
import CallPrepJSON
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import TwilioIntelligence

extension CallPrep {
    /// `callprep operators …`: Language Operators and their attachment to services.
    struct Operators: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "operators",
            abstract: "List and manage Language Operators and attach them to services.",
            subcommands: [List.self, Get.self, Types.self, CreateCustom.self, UpdateCustom.self, DeleteCustom.self,
                          Attached.self, Attach.self, Detach.self])
    }
}

extension OperatorKind: ExpressibleByArgument {}

enum OperatorText {
    static func table(_ operators: [Operator]) {
        Console.table(["SID", "NAME", "TYPE", "AVAILABILITY", "VERSION"], operators.map {
            [$0.sid, $0.friendlyName ?? "-", $0.operatorType ?? "-", $0.availability ?? "-", $0.version.map(String.init) ?? "-"]
        })
    }

    static func config(_ text: String) throws -> JSONValue {
        guard let value = try? JSONDecoder().decode(JSONValue.self, from: Data(text.utf8)), case .object = value else {
            throw IntelligenceClientError.invalidInput(field: "--config", message: "must be a JSON object, e.g. '{\"prompt\": \"…\"}'")
        }
        return value
    }
}

extension CallPrep.Operators {
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List operators (all, prebuilt or custom).")
        @Option(help: "all, prebuilt or custom.") var kind: OperatorKind = .all
        @Option(help: "internal, beta, public, retired, general-availability, deprecated.") var availability: String?
        @Option(name: .customLong("language")) var languageCode: String?
        @Option(help: "Stop after this many.") var limit: Int = 200
        @OptionGroup var credentials: CredentialOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            try await APISession.run(credentials, output) { client in
                let operators = try await client.listOperators(kind, availability: availability, languageCode: languageCode, limit: limit).collect()
                if output.json { try Console.printJSON(operators) } else { OperatorText.table(operators) }
            }
        }
    }

    struct Get: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "get", abstract: "Show one operator.")
        @Argument(help: "Operator SID LY….") var sid: String
        @Option(help: "Collection to read from: all, prebuilt or custom.") var kind: OperatorKind = .all
        @OptionGroup var credentials: CredentialOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            try await APISession.run(credentials, output) { client in
                let op = try await client.operator(sid, kind: kind)
                if output.json { try Console.printJSON(op) } else { OperatorText.table([op]) }
            }
        }
    }

    struct Types: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "types", abstract: "List operator types, or show one.")
        @Argument(help: "Operator type SID EY… or name (optional).") var sid: String?
        @Option(name: .customLong("language")) var languageCode: String?
        @OptionGroup var credentials: CredentialOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            try await APISession.run(credentials, output) { client in
                let types: [OperatorType] = if let sid { [try await client.operatorType(sid)] } else {
                    try await client.listOperatorTypes(languageCode: languageCode).collect()
                }
                if output.json { return try Console.printJSON(types) }
                Console.table(["SID", "NAME", "OUTPUT", "AVAILABILITY"], types.map {
                    [$0.sid ?? "-", $0.name ?? "-", $0.outputType ?? "-", $0.availability ?? "-"]
                })
            }
        }
    }

    struct CreateCustom: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "create-custom", abstract: "Create a custom operator.")
        @Option(name: .customLong("friendly-name")) var friendlyName: String
        @Option(name: .customLong("type"), help: "Operator type name, e.g. text-generation.") var operatorType: String
        @Option(help: "Configuration as a JSON object.") var config: String
        @OptionGroup var credentials: CredentialOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            try await APISession.run(credentials, output) { client in
                let op = try await client.createCustomOperator(friendlyName: friendlyName, operatorType: operatorType, config: try OperatorText.config(config))
                if output.json { try Console.printJSON(op) } else { OperatorText.table([op]) }
            }
        }
    }

    struct UpdateCustom: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "update-custom", abstract: "Update a custom operator.")
        @Argument(help: "Operator SID LY….") var sid: String
        @Option(name: .customLong("friendly-name")) var friendlyName: String
        @Option(help: "Configuration as a JSON object.") var config: String
        @Option(name: .customLong("if-match"), help: "Expected current version.") var ifMatch: Int?
        @OptionGroup var credentials: CredentialOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            try await APISession.run(credentials, output) { client in
                let op = try await client.updateCustomOperator(sid, friendlyName: friendlyName, config: try OperatorText.config(config), ifMatch: ifMatch)
                if output.json { try Console.printJSON(op) } else { OperatorText.table([op]) }
            }
        }
    }

    struct DeleteCustom: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "delete-custom", abstract: "Delete a custom operator.")
        @Argument(help: "Operator SID LY….") var sid: String
        @OptionGroup var credentials: CredentialOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            try await APISession.run(credentials, output) { client in
                try await client.deleteCustomOperator(sid)
                if output.json { Console.printDocument(.object(["deleted": .string(sid)])) } else { print("deleted \(sid)") }
            }
        }
    }

    struct Attached: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "attached", abstract: "List the operators attached to a service.")
        @Option(name: .customLong("service"), help: "Service SID GA….") var serviceSID: String
        @OptionGroup var credentials: CredentialOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            try await APISession.run(credentials, output) { client in
                let attached = try await client.serviceOperators(serviceSID)
                if output.json { try Console.printJSON(attached) } else { attached.operatorSIDs.forEach { print($0) } }
            }
        }
    }

    struct Attach: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "attach", abstract: "Attach an operator to a service.")
        @Argument(help: "Operator SID LY….") var sid: String
        @Option(name: .customLong("service"), help: "Service SID GA….") var serviceSID: String
        @OptionGroup var credentials: CredentialOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            try await APISession.run(credentials, output) { client in
                try await client.attachOperator(sid, to: serviceSID)
                if output.json { Console.printDocument(.object(["attached": .string(sid), "service_sid": .string(serviceSID)])) } else { print("attached \(sid) to \(serviceSID)") }
            }
        }
    }

    struct Detach: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "detach", abstract: "Detach an operator from a service.")
        @Argument(help: "Operator SID LY….") var sid: String
        @Option(name: .customLong("service"), help: "Service SID GA….") var serviceSID: String
        @OptionGroup var credentials: CredentialOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            try await APISession.run(credentials, output) { client in
                try await client.detachOperator(sid, from: serviceSID)
                if output.json { Console.printDocument(.object(["detached": .string(sid), "service_sid": .string(serviceSID)])) } else { print("detached \(sid) from \(serviceSID)") }
            }
        }
    }
}
