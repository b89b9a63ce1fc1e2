/// Version information for the Conversational Intelligence client library.
public enum TwilioIntelligenceLibrary {
    /// The version callprep reports in its User-Agent.
    public static let version = "0.1.0"
}
