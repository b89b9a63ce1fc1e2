extension JSONValue: CustomStringConvertible {
    /// A string's own text; any other value as one line of JSON (``JSONStyle/compact``).
    public var description: String {
        if case .string(let text) = self { return text }
        return serialized(.compact)
    }

    /// The document as JSON text in `style`, without a trailing newline.
    public func serialized(_ style: JSONStyle = .pretty) -> String {
        var writer = JSONWriter(style: style)
        writer.write(self, level: 0)
        return writer.text
    }
}

/// Writes a ``JSONValue`` as text. Strings are escaped as `jq` does (`\"`, `\\`, `\n`, `\r`,
/// `\t`, `\b`, `\f`, other control characters and DEL as `\u00XX`), `/` is left alone.
struct JSONWriter {
    let style: JSONStyle
    private(set) var text = ""

    init(style: JSONStyle) {
        self.style = style
    }

    mutating func write(_ value: JSONValue, level: Int) {
        switch value {
        case .null: text += "null"
        case .bool(let flag): text += flag ? "true" : "false"
        case .int(let number): text += String(number)
        case .double(let number): text += Self.numberText(number)
        case .string(let string): writeString(string)
        case .array(let items):
            writeContainer(open: "[", close: "]", count: items.count, level: level) { writer, index in
                writer.write(items[index], level: level + 1)
            }
        case .object(let members):
            writeContainer(open: "{", close: "}", count: members.count, level: level) { writer, index in
                writer.writeString(members[index].key)
                writer.text += ": "
                writer.write(members[index].value, level: level + 1)
            }
        }
    }

    private mutating func writeContainer(
        open: String, close: String, count: Int, level: Int, element: (inout JSONWriter, Int) -> Void
    ) {
        text += open
        guard count > 0 else {
            text += close
            return
        }
        switch style {
        case .pretty:
            let indent = String(repeating: "  ", count: level + 1)
            for index in 0..<count {
                text += (index == 0 ? "\n" : ",\n") + indent
                element(&self, index)
            }
            text += "\n" + String(repeating: "  ", count: level) + close
        case .compact, .pythonCompact:
            for index in 0..<count {
                if index > 0 { text += ", " }
                element(&self, index)
            }
            text += close
        }
    }

    /// A double as JSON: always with a fraction or exponent (`3.0`, `1e-05`), so it reads back
    /// as a double; `-0.0` as `0.0`; NaN and infinities (which JSON cannot carry) as `null`.
    static func numberText(_ number: Double) -> String {
        guard number.isFinite else { return "null" }
        return number == 0 ? "0.0" : String(number)
    }

    private mutating func writeString(_ string: String) {
        text += "\""
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": text += "\\\""
            case "\\": text += "\\\\"
            case "\n": text += "\\n"
            case "\r": text += "\\r"
            case "\t": text += "\\t"
            case "\u{08}": text += "\\b"
            case "\u{0C}": text += "\\f"
            case " "..."~": text.unicodeScalars.append(scalar)
            default:
                if style != .pythonCompact, scalar.value > 0x7F {
                    text.unicodeScalars.append(scalar)
                } else {
                    for unit in String(scalar).utf16 { appendEscaped(unit) }
                }
            }
        }
        text += "\""
    }

    private mutating func appendEscaped(_ unit: UInt16) {
        let hex = String(unit, radix: 16)
        text += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
    }
}
