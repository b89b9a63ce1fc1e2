import CallPrepJSON

/// One sentence of a transcript. Times and confidence arrive as strings (e.g. `"0.5"`).
public struct Sentence: Sendable, Equatable, Codable {
    /// 1 or 2: which channel (and so which participant) spoke.
    public var mediaChannel: Int?
    /// The `sentence_index` field as the API sends it (`nil` when absent).
    public var sentenceIndex: Int?
    /// Offset from the transcript start in seconds, as sent (`"1.25"`).
    public var startTime: String?
    /// The `end_time` field as the API sends it (`nil` when absent).
    public var endTime: String?
    /// The text.
    public var transcript: String?
    /// The `sid` field as the API sends it (`nil` when absent).
    public var sid: String?
    /// The `confidence` field as the API sends it (`nil` when absent).
    public var confidence: String?
    /// Word timings when requested with `WordTimestamps=true`.
    public var words: [Word]?

    /// One timed word.
    public struct Word: Sendable, Equatable, Codable {
        /// The `word` field as the API sends it (`nil` when absent).
        public var word: String?
        /// The `start_time` field as the API sends it (`nil` when absent).
        public var startTime: JSONValue?
        /// The `end_time` field as the API sends it (`nil` when absent).
        public var endTime: JSONValue?

        enum CodingKeys: String, CodingKey {
            case word
            case startTime = "start_time"
            case endTime = "end_time"
        }
    }

    enum CodingKeys: String, CodingKey {
        case sid, transcript, confidence, words
        case mediaChannel = "media_channel"
        case sentenceIndex = "sentence_index"
        case startTime = "start_time"
        case endTime = "end_time"
    }

    /// Creates a sentence (mainly for formatting and tests).
    public init(mediaChannel: Int?, sentenceIndex: Int?, startTime: String?, endTime: String?, transcript: String?,
                sid: String? = nil, confidence: String? = nil, words: [Word]? = nil) {
        self.mediaChannel = mediaChannel
        self.sentenceIndex = sentenceIndex
        self.startTime = startTime
        self.endTime = endTime
        self.transcript = transcript
        self.sid = sid
        self.confidence = confidence
        self.words = words
    }

    /// Decodes the API's JSON leniently: times and confidence may arrive as strings (as
    /// documented) or numbers; words of an unexpected shape are dropped, not fatal.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        func text(_ key: CodingKeys) -> String? {
            if let value = try? container.decodeIfPresent(String.self, forKey: key) { return value }
            if let value = try? container.decodeIfPresent(Double.self, forKey: key) { return String(value) }
            return nil
        }
        mediaChannel = try? container.decodeIfPresent(Int.self, forKey: .mediaChannel)
        sentenceIndex = try? container.decodeIfPresent(Int.self, forKey: .sentenceIndex)
        startTime = text(.startTime)
        endTime = text(.endTime)
        transcript = try container.decodeIfPresent(String.self, forKey: .transcript)
        sid = try? container.decodeIfPresent(String.self, forKey: .sid)
        confidence = text(.confidence)
        words = try? container.decodeIfPresent([Word].self, forKey: .words)
    }

    /// Start offset in seconds (0 when absent or unparsable).
    public var startSeconds: Double { startTime.flatMap(Double.init) ?? 0 }
    /// End offset in seconds (start when absent or unparsable).
    public var endSeconds: Double { endTime.flatMap(Double.init) ?? startSeconds }
}
