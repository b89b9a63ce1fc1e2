import Foundation

/// Independent form/query decoding for the server (deliberately not the client's code, so a
/// client encoding bug cannot hide behind a matching server decoding bug).
enum ServerForm {
    /// Decodes `a=b&c=d` (`+` = space, `%XX` bytes). `nil` when malformed.
    static func decode(_ text: String) -> [(String, String)]? {
        if text.isEmpty { return [] }
        var result: [(String, String)] = []
        for part in text.components(separatedBy: "&") {
            let pieces = part.components(separatedBy: "=")
            guard pieces.count == 2,
                  let name = pieces[0].replacingOccurrences(of: "+", with: " ").removingPercentEncoding,
                  let value = pieces[1].replacingOccurrences(of: "+", with: " ").removingPercentEncoding else { return nil }
            result.append((name, value))
        }
        return result
    }

    /// Encodes for URLs the server builds (next_page_url).
    static func encode(_ pairs: [(String, String)]) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return pairs.map { name, value in
            (name.addingPercentEncoding(withAllowedCharacters: allowed) ?? name) + "="
                + (value.addingPercentEncoding(withAllowedCharacters: allowed) ?? value)
        }.joined(separator: "&")
    }
}

/// Twilio's patterns, written out again for the server.
enum ServerPatterns {
    static func sid(_ value: String, prefix: String) -> Bool {
        value.range(of: "^\(prefix)[0-9a-fA-F]{32}$", options: .regularExpression) != nil
    }

    static func dateTime(_ value: String) -> Date? {
        guard value.range(of: #"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$"#, options: .regularExpression) != nil else { return nil }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = value.contains(".") ? [.withInternetDateTime, .withFractionalSeconds] : [.withInternetDateTime]
        return formatter.date(from: value)
    }

    static func format(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }
}
