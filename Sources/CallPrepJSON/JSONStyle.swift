/// How ``JSONValue/serialized(_:)`` lays out a document.
public enum JSONStyle: Sendable {
    /// The layout of `jq .`: two spaces per level, `"key": value`, one member or element per
    /// line, `[]` and `{}` for empty containers, non-ASCII text as UTF-8. What callprep prints
    /// and writes for people and scripts.
    case pretty
    /// One line with `", "` between members and `": "` after keys, text as UTF-8: a value
    /// inside a sentence or a table cell.
    case compact
    /// One line with the separators and escapes of Python's `json.dumps(obj)`: `", "` between
    /// members, `": "` after keys, everything outside printable ASCII as `\uXXXX` (surrogate
    /// pairs above U+FFFF). Twilio's helper libraries send form fields such as `Channel` in this
    /// form, so requests built with it carry the same bytes.
    case pythonCompact
}
