/// Text made safe to place in an XML 1.0 document (the JUnit report).
///
/// Markup characters become entity references. Characters XML 1.0 does not allow at all, even
/// as references (C0 controls other than tab, LF and CR; U+FFFE, U+FFFF), become U+FFFD, so any
/// file name or message yields a well-formed document.
enum XMLEscaping {
    /// For element content: `&`, `<`, `>` escaped; CR kept as `&#13;` (a parser would turn a
    /// literal CR into LF).
    static func text(_ value: String) -> String {
        escape(value, inAttribute: false)
    }

    /// For a double-quoted attribute value: as `text`, and `"`, `'`, tab, LF as references (a
    /// parser would turn literal whitespace in an attribute into spaces).
    static func attribute(_ value: String) -> String {
        escape(value, inAttribute: true)
    }

    private static func escape(_ value: String, inAttribute: Bool) -> String {
        var out = ""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\r": out += "&#13;"
            case "\"" where inAttribute: out += "&quot;"
            case "'" where inAttribute: out += "&apos;"
            case "\n" where inAttribute: out += "&#10;"
            case "\t" where inAttribute: out += "&#9;"
            case "\t", "\n": out.unicodeScalars.append(scalar)
            case _ where scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF:
                out += "\u{FFFD}"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
