import ArgumentParser
import Foundation
import TwilioIntelligence

/// Runs one API command: builds the client, maps failures to exit codes (1 for API/input
/// errors), prints errors on stderr (as JSON on stdout with `--json`), shuts the transport down.
enum APISession {
    static func run(_ credentials: CredentialOptions, _ output: OutputOptions,
                    _ body: (IntelligenceClient) async throws -> Void) async throws {
        do {
            guard let creds = try credentials.credentialsIfAny() else {
                throw IntelligenceClientError.invalidInput(field: "credentials", message: "export TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN (or TWILIO_API_KEY, TWILIO_API_SECRET and TWILIO_ACCOUNT_SID)")
            }
            let configuration = try credentials.configuration(credentials: creds)
            let transport = AsyncHTTPClientTransport()
            let observer: (@Sendable (String) -> Void)? = output.verbose ? { @Sendable line in Console.error("· " + line) } : nil
            let client = IntelligenceClient(configuration: configuration, transport: transport, observer: observer)
            do {
                try await body(client)
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

    /// Prints `error` for a person (stderr) or a program (`--json`: `{"error": {…}}` on stdout).
    static func report(_ error: any Error, _ output: OutputOptions) {
        if output.json {
            var object: [String: Any] = ["message": String(describing: error)]
            if let apiError = error as? TwilioAPIError {
                object["http_status"] = apiError.httpStatus
                object["code"] = apiError.code ?? NSNull()
                object["twilio_message"] = apiError.message
                object["more_info"] = apiError.moreInfo ?? NSNull()
                object["status"] = apiError.status ?? NSNull()
                object["request_id"] = apiError.requestID ?? NSNull()
            } else if case .invalidInput(let field, _)? = error as? IntelligenceClientError {
                object["field"] = field
            }
            Console.printJSONObject(["error": object])
        }
        Terminal.printError("\(error)")
    }
}

/// Terminal output for the API commands, on top of the shared `Terminal` and `TextTable`.
enum Console {
    /// One diagnostic line on stderr (stdout stays parseable).
    static func error(_ line: String) {
        Terminal.writeStderr(line + "\n")
    }

    static func printJSON(_ value: some Encodable) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        print(String(decoding: try encoder.encode(value), as: UTF8.self))
    }

    static func printJSONObject(_ object: Any) {
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]) else { return }
        print(String(decoding: data, as: UTF8.self))
    }

    /// A left-aligned text table.
    static func table(_ header: [String], _ rows: [[String]]) {
        print(TextTable.render(header: header, rows: rows))
    }
}
