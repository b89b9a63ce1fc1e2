import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import TwilioIntelligence

/// Options every API command shares: where to connect and with which (non-secret) identity.
/// Secrets come only from the environment (`TWILIO_AUTH_TOKEN`, `TWILIO_API_SECRET`) so they
/// never land in shell history or process listings.
struct CredentialOptions: ParsableArguments {
    @Option(name: .customLong("account-sid"), help: "Account SID AC… (default: $TWILIO_ACCOUNT_SID).")
    var accountSID: String?

    @Option(name: .customLong("api-key"), help: "API Key SID SK… (default: $TWILIO_API_KEY); its secret comes from $TWILIO_API_SECRET.")
    var apiKey: String?

    @Option(help: "Twilio edge, e.g. sydney (default: $TWILIO_EDGE).")
    var edge: String?

    @Option(help: "Twilio region, e.g. au1 (default: $TWILIO_REGION).")
    var region: String?

    @Option(name: .customLong("base-url"), help: "Intelligence base URL, e.g. http://127.0.0.1:8080 (default: $CALLPREP_INTELLIGENCE_URL).")
    var baseURL: String?

    @Option(name: .customLong("insights-url"), help: "Insights base URL (default: $CALLPREP_INSIGHTS_URL).")
    var insightsURL: String?

    @Option(name: .customLong("video-url"), help: "Video base URL (default: $CALLPREP_VIDEO_URL, else https://video.twilio.com).")
    var videoURL: String?

    @Option(name: .customLong("api-url"), help: "Core API base URL for Voice recordings (default: $CALLPREP_API_URL, else https://api.twilio.com).")
    var apiURL: String?

    @Option(name: .customLong("request-timeout"), help: "Deadline per HTTP request, e.g. 30s.", transform: DurationText.parse)
    var requestTimeout: Duration = .seconds(30)

    @Option(name: .customLong("max-attempts"), help: "Tries per request for 429/5xx/connection failures.")
    var maxAttempts: Int = 5

    /// The environment with flag overrides applied.
    func environment() -> [String: String] {
        var environment = ProcessInfo.processInfo.environment
        if let accountSID { environment["TWILIO_ACCOUNT_SID"] = accountSID }
        if let apiKey { environment["TWILIO_API_KEY"] = apiKey }
        return environment
    }

    /// Credentials from flags and environment, or `nil` when none are configured at all.
    func credentialsIfAny() throws -> Credentials? {
        let environment = environment()
        let configured = ["TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "TWILIO_API_KEY", "TWILIO_API_SECRET"].contains { environment[$0]?.isEmpty == false }
        return configured ? try Credentials.fromEnvironment(environment) : nil
    }

    /// The client configuration; throws naming the missing variable.
    func configuration(credentials: Credentials) throws -> ClientConfiguration {
        let environment = environment()
        func nonEmpty(_ value: String?) -> String? { value.flatMap { $0.isEmpty ? nil : $0 } }
        let intelligence = try nonEmpty(baseURL ?? environment["CALLPREP_INTELLIGENCE_URL"]).map {
            try ClientConfiguration.checkedBaseURL($0, field: "CALLPREP_INTELLIGENCE_URL")
        }
        let insights = try nonEmpty(insightsURL ?? environment["CALLPREP_INSIGHTS_URL"]).map {
            try ClientConfiguration.checkedBaseURL($0, field: "CALLPREP_INSIGHTS_URL")
        }
        let video = try nonEmpty(videoURL ?? environment["CALLPREP_VIDEO_URL"]).map {
            try ClientConfiguration.checkedBaseURL($0, field: "CALLPREP_VIDEO_URL")
        }
        let api = try nonEmpty(apiURL ?? environment["CALLPREP_API_URL"]).map {
            try ClientConfiguration.checkedBaseURL($0, field: "CALLPREP_API_URL")
        }
        return ClientConfiguration(
            credentials: credentials, edge: nonEmpty(edge ?? environment["TWILIO_EDGE"]),
            region: nonEmpty(region ?? environment["TWILIO_REGION"]), intelligenceBaseURL: intelligence,
            insightsBaseURL: insights, videoBaseURL: video, apiBaseURL: api, requestTimeout: requestTimeout,
            retryPolicy: RetryPolicy(maxAttempts: maxAttempts), userAgentPrefix: "callprep/\(TwilioIntelligenceLibrary.version)")
    }

    func validate() throws {
        guard (1...20).contains(maxAttempts) else { throw ValidationError("--max-attempts must be 1 to 20") }
    }
}

/// `--json` and `--verbose`, shared by every API command.
struct OutputOptions: ParsableArguments {
    @Flag(help: "Print machine-readable JSON on stdout.")
    var json = false

    @Flag(help: "Log each request, response status, request id and retry on stderr (never credentials).")
    var verbose = false

    @Flag(name: .shortAndLong, help: "No progress lines on stderr while waiting (errors are still printed).")
    var quiet = false
}

/// Parses durations like `90s`, `30m`, `1h`, `500ms` or plain seconds.
enum DurationText {
    static func parse(_ text: String) throws -> Duration {
        let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600)]
        for (suffix, scale) in units where text.hasSuffix(suffix) {
            // At most a year: longer is a typo, and the nanosecond count must fit in 64 bits.
            if let value = Double(text.dropLast(suffix.count)), value > 0, value.isFinite, value * scale <= 366 * 86400 {
                return .nanoseconds(Int64(value * scale * 1e9))
            }
        }
        if let value = Double(text), value > 0, value.isFinite, value <= 366 * 86400 { return .nanoseconds(Int64(value * 1e9)) }
        throw ValidationError("not a duration up to a year: \(text.debugDescription); use e.g. 90s, 30m, 1h")
    }
}
