extension StringProtocol {
    /// The text without the whitespace (spaces, tabs, line breaks, any Unicode space) at its
    /// start and end, as Foundation's `trimmingCharacters(in: .whitespacesAndNewlines)` gives it
    /// without the full Foundation (see `NumberText`).
    package func trimmingWhitespace() -> String {
        var view = self[...]
        while view.first?.isWhitespace == true { view = view.dropFirst() }
        while view.last?.isWhitespace == true { view = view.dropLast() }
        return String(view)
    }
}
