/// The little XML S3 speaks, read and written without a general XML parser: S3's answers here
/// are flat (`<Error><Code>…</Code>…`, `<InitiateMultipartUploadResult>…<UploadId>…`), so the
/// text of a named element is all a caller needs. Entities are decoded; CDATA is not used by S3.
enum S3XML {
    /// The text of every `<name>…</name>` element, in document order (`<name/>` gives "").
    static func values(of name: String, in xml: String) -> [String] {
        var results: [String] = []
        let open = "<\(name)>"
        let close = "</\(name)>"
        var searchStart = xml.startIndex
        while searchStart < xml.endIndex {
            let emptyTag = xml[searchStart...].firstRange(of: "<\(name)/>")
            guard let openRange = xml[searchStart...].firstRange(of: open) else {
                if emptyTag != nil { results.append("") }
                break
            }
            if let emptyTag, emptyTag.lowerBound < openRange.lowerBound {
                results.append("")
                searchStart = emptyTag.upperBound
                continue
            }
            guard let closeRange = xml[openRange.upperBound...].firstRange(of: close) else { break }
            results.append(decodeEntities(String(xml[openRange.upperBound..<closeRange.lowerBound])))
            searchStart = closeRange.upperBound
        }
        return results
    }

    /// The text of the first `<name>…</name>` element, or `nil`.
    static func value(of name: String, in xml: String) -> String? {
        values(of: name, in: xml).first
    }

    /// Text made safe inside an element.
    static func escape(_ text: String) -> String {
        var result = ""
        for character in text {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&apos;"
            default: result.append(character)
            }
        }
        return result
    }

    private static func decodeEntities(_ text: String) -> String {
        guard text.contains("&") else { return text }
        var result = ""
        var index = text.startIndex
        while index < text.endIndex {
            if text[index] == "&", let semicolon = text[index...].prefix(12).firstIndex(of: ";") {
                let entity = text[text.index(after: index)..<semicolon]
                if let decoded = decode(entity) {
                    result.append(decoded)
                    index = text.index(after: semicolon)
                    continue
                }
            }
            result.append(text[index])
            index = text.index(after: index)
        }
        return result
    }

    private static func decode(_ entity: Substring) -> Character? {
        switch entity {
        case "amp": return "&"
        case "lt": return "<"
        case "gt": return ">"
        case "quot": return "\""
        case "apos": return "'"
        default:
            let number: UInt32?
            if entity.hasPrefix("#x") || entity.hasPrefix("#X") {
                number = UInt32(entity.dropFirst(2), radix: 16)
            } else if entity.hasPrefix("#") {
                number = UInt32(entity.dropFirst())
            } else {
                number = nil
            }
            return number.flatMap(Unicode.Scalar.init).map(Character.init)
        }
    }
}
