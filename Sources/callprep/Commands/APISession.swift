import ArgumentParser
import CallPrepJSON
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import TwilioIntelligence

/// Runs one API command: builds the client, maps failures to exit codes (1 for API/input
/// errors), prints errors on stderr (as JSON on stdout with `--json`), shuts the transport down.
enum APISession {
    static func run(_ credentials: CredentialOptions, _ output: OutputOptions,
                    _ body: (IntelligenceClient) async throws -> Void) async throws {
        try await withTransport(credentials, output) { configuration, transport, observer in
            try await body(IntelligenceClient(configuration: configuration, transport: transport, observer: observer))
        }
    }

    /// Like ``run(_:_:_:)`` for the commands that fetch recordings (Video, Voice): the same
    /// credentials, transport and failure handling, a ``RecordingsClient``.
    static func runRecordings(_ credentials: CredentialOptions, _ output: OutputOptions,
                              _ body: (RecordingsClient) async throws -> Void) async throws {
        try await withTransport(credentials, output) { configuration, transport, observer in
            try await body(RecordingsClient(configuration: configuration, transport: transport, observer: observer))
        }
    }

    private static func withTransport(
        _ credentials: CredentialOptions, _ output: OutputOptions,
        _ body: (ClientConfiguration, AsyncHTTPClientTransport, (@Sendable (String) -> Void)?) async throws -> Void
    ) async throws {
        do {
            guard let creds = try credentials.credentialsIfAny() else {
                throw IntelligenceClientError.invalidInput(field: "credentials", message: "export TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN (or TWILIO_API_KEY, TWILIO_API_SECRET and TWILIO_ACCOUNT_SID)")
            }
            let configuration = try credentials.configuration(credentials: creds)
            let transport = AsyncHTTPClientTransport()
            let observer: (@Sendable (String) -> Void)? = output.verbose ? { @Sendable line in Console.error("· " + line) } : nil
            do {
                try await body(configuration, transport, observer)
            } catch {
                try? await transport.shutdown()
                throw error
            }
            try await transport.shutdown()
        } catch let exit as ExitCode {
            throw exit
        } catch let error as ValidationError {
            throw error
        } catch {
            report(error, output)
            throw ExitCode(1)
        }
    }

    /// Prints `error` for a person (stderr) and, with `--json`, as the `{"error": {…}}` object
    /// every command uses (``ErrorJSON``) on stdout.
    static func report(_ error: any Error, _ output: OutputOptions) {
        if output.json {
            print(ErrorJSON.document(for: error).serialized())
        }
        Terminal.printError(ErrorText.describe(error))
    }
}

/// Terminal output for the API commands, on top of the shared `Terminal` and `TextTable`.
enum Console {
    /// One diagnostic line on stderr (stdout stays parseable).
    static func error(_ line: String) {
        Terminal.writeStderr(line + "\n")
    }

    /// Prints an API value (a model or an array of them) as JSON, keys sorted.
    static func printJSON(_ value: some Encodable) throws {
        print(try JSONValueEncoder(keyOrder: .sorted).encode(value).serialized())
    }

    /// Prints a document built by hand, members in the order given.
    static func printDocument(_ document: JSONValue) {
        print(document.serialized())
    }

    /// A left-aligned text table.
    static func table(_ header: [String], _ rows: [[String]]) {
        print(TextTable.render(header: header, rows: rows))
    }
}
