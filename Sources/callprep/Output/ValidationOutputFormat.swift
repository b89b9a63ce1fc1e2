import ArgumentParser

/// How `validate` prints its verdicts (`--format`).
enum ValidationOutputFormat: String, CaseIterable, ExpressibleByArgument {
    /// Lines for people: one verdict per file, its problems indented under it.
    case text
    /// One JSON array, one object per file (keys documented in Docs/Usage.md).
    case json
    /// GitHub Actions workflow commands: one `::error`/`::warning` annotation per problem, then a
    /// summary line.
    case github
    /// JUnit XML: one `<testsuite>`, one `<testcase>` per file, a `<failure>` for each file that
    /// fails.
    case junit
}
