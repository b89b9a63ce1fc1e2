/// A `DecodingError` in words: which field (as a dotted path such as `participants[0].role`)
/// and what was wrong with it, instead of Swift's `DecodingError.dataCorrupted(Context(…))`.
public enum DecodingErrorText {
    /// One sentence naming the field and the problem; for other errors, their own description.
    public static func describe(_ error: any Error) -> String {
        guard let error = error as? DecodingError else { return String(describing: error) }
        switch error {
        case .typeMismatch(let type, let context):
            return "\(field(context.codingPath)) is not \(article(type))"
        case .valueNotFound(let type, let context):
            return "\(field(context.codingPath)) is null where \(article(type)) is needed"
        case .keyNotFound(let key, let context):
            return "\(field(context.codingPath + [key])) is missing"
        case .dataCorrupted(let context):
            if context.codingPath.isEmpty {
                return "it is not valid JSON (\(plain(context)))"
            }
            return "\(field(context.codingPath)) is invalid (\(plain(context)))"
        @unknown default:
            return String(describing: error)
        }
    }

    /// `"participants[0].role"`, or `the document` at the top.
    static func field(_ path: [any CodingKey]) -> String {
        guard !path.isEmpty else { return "the document" }
        var text = ""
        for key in path {
            if let index = key.intValue {
                text += "[\(index)]"
            } else {
                text += (text.isEmpty ? "" : ".") + key.stringValue
            }
        }
        return "\"\(text)\""
    }

    private static func article(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: return "a string"
        case is Bool.Type: return "true or false"
        case is Int.Type, is Int64.Type, is Int32.Type, is UInt.Type, is UInt64.Type, is UInt32.Type: return "a whole number"
        case is Double.Type, is Float.Type: return "a number"
        default:
            let name = String(describing: type)
            if name.hasPrefix("Array") || name.hasPrefix("[") { return "an array" }
            if name.hasPrefix("Dictionary") { return "an object" }
            return "an object (\(name))"
        }
    }

    /// The decoder's own explanation, without the underlying `NSError` dump.
    private static func plain(_ context: DecodingError.Context) -> String {
        var text = context.debugDescription
        if text.hasSuffix(".") { text.removeLast() }
        return text.isEmpty ? "unreadable" : text
    }
}
