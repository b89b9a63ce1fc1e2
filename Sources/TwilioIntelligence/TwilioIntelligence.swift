/// The Conversational Intelligence client library. Its types live in Client/, Models/,
/// Transport/, Webhooks/ and Insights/.
public enum TwilioIntelligence {
    /// The version callprep reports in its User-Agent.
    public static let version = "0.1.0"
}
