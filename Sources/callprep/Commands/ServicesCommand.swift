import ArgumentParser
import CallPrepJSON
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import TwilioIntelligence

extension CallPrep {
    /// `callprep services …`: manage Intelligence Services.
    struct Services: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "services",
            abstract: "List, create, show, update and delete Intelligence Services.",
            subcommands: [List.self, Create.self, Get.self, Update.self, Delete.self])
    }
}

/// Service fields shared by create and update.
struct ServiceFieldOptions: ParsableArguments {
    @Option(name: .customLong("unique-name"), help: "Unique name (required to create).") var uniqueName: String?
    @Option(name: .customLong("friendly-name"), help: "Display name (≤ 64 characters).") var friendlyName: String?
    @Option(name: .customLong("language"), help: "Language code, e.g. en-US (immutable once set).") var languageCode: String?
    @Option(name: .customLong("auto-transcribe"), help: "true/false: transcribe new Twilio Recordings automatically.") var autoTranscribe: Bool?
    @Option(name: .customLong("data-logging"), help: "true/false.") var dataLogging: Bool?
    @Option(name: .customLong("auto-redaction"), help: "true/false: redact PII in text.") var autoRedaction: Bool?
    @Option(name: .customLong("media-redaction"), help: "true/false: redact PII in audio (needs --auto-redaction true).") var mediaRedaction: Bool?
    @Option(name: .customLong("webhook-url"), help: "Called when a transcript is available.") var webhookURL: String?
    @Option(name: .customLong("webhook-method"), help: "GET, POST or NULL.") var webhookMethod: String?
    @Option(name: .customLong("encryption-credential"), help: "Credential SID CR… for encrypted results.") var encryptionCredential: String?

    var settings: ServiceSettings {
        ServiceSettings(uniqueName: uniqueName, friendlyName: friendlyName, languageCode: languageCode, autoTranscribe: autoTranscribe,
                        dataLogging: dataLogging, autoRedaction: autoRedaction, mediaRedaction: mediaRedaction,
                        webhookURL: webhookURL, webhookHTTPMethod: webhookMethod, encryptionCredentialSID: encryptionCredential)
    }
}

enum ServiceText {
    static func print(_ service: Service) {
        Swift.print("\(service.sid)  \(service.uniqueName ?? "-")")
        Swift.print("  friendly name:   \(service.friendlyName ?? "-")")
        Swift.print("  language:        \(service.languageCode ?? "-")")
        Swift.print("  auto transcribe: \(service.autoTranscribe.map(String.init) ?? "-")")
        Swift.print("  redaction:       text \(service.autoRedaction.map(String.init) ?? "-"), media \(service.mediaRedaction.map(String.init) ?? "-")")
        Swift.print("  webhook:         \(service.webhookHTTPMethod ?? "-") \(service.webhookURL ?? "-")")
        Swift.print("  version:         \(service.version.map(String.init) ?? "-")")
    }
}

extension CallPrep.Services {
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List services.")
        @Option(help: "Stop after this many.") var limit: Int = 100
        @OptionGroup var credentials: CredentialOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            try await APISession.run(credentials, output) { client in
                let services = try await client.listServices(limit: limit).collect()
                if output.json { return try Console.printJSON(services) }
                Console.table(["SID", "UNIQUE NAME", "LANGUAGE", "VERSION"], services.map {
                    [$0.sid, $0.uniqueName ?? "-", $0.languageCode ?? "-", $0.version.map(String.init) ?? "-"]
                })
            }
        }
    }

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "create", abstract: "Create a service.")
        @OptionGroup var fields: ServiceFieldOptions
        @OptionGroup var credentials: CredentialOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            try await APISession.run(credentials, output) { client in
                let service = try await client.createService(fields.settings)
                if output.json { try Console.printJSON(service) } else { ServiceText.print(service) }
            }
        }
    }

    struct Get: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "get", abstract: "Show a service (by SID or unique name).")
        @Argument(help: "Service SID GA… or unique name.") var sid: String
        @OptionGroup var credentials: CredentialOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            try await APISession.run(credentials, output) { client in
                let service = try await client.service(sid)
                if output.json { try Console.printJSON(service) } else { ServiceText.print(service) }
            }
        }
    }

    struct Update: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "update", abstract: "Update a service; --if-match VERSION refuses if it changed meanwhile.")
        @Argument(help: "Service SID GA… or unique name.") var sid: String
        @Option(name: .customLong("if-match"), help: "Expected current version.") var ifMatch: Int?
        @OptionGroup var fields: ServiceFieldOptions
        @OptionGroup var credentials: CredentialOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            try await APISession.run(credentials, output) { client in
                let service = try await client.updateService(sid, fields.settings, ifMatch: ifMatch)
                if output.json { try Console.printJSON(service) } else { ServiceText.print(service) }
            }
        }
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "delete", abstract: "Delete a service.")
        @Argument(help: "Service SID GA… or unique name.") var sid: String
        @OptionGroup var credentials: CredentialOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            try await APISession.run(credentials, output) { client in
                try await client.deleteService(sid)
                if output.json { Console.printDocument(.object(["deleted": .string(sid)])) } else { print("deleted \(sid)") }
            }
        }
    }
}
