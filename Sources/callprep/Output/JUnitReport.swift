import AudioPrep

/// `validate --format junit`: a JUnit XML report, which CI systems (GitLab, Jenkins, Azure
/// Pipelines, GitHub test-report actions) show as test results.
///
/// One `<testsuite>` whose `tests`/`failures` attributes count files; one `<testcase>` per file
/// (`name` is its path). A file that fails the gate has one `<failure>`: `type` and `message` are
/// its first failing problem's code and message, the body lists every failing problem. Warnings
/// that do not fail it (no `--strict`) are listed in `<system-out>`.
enum JUnitReport {
    static let suiteName = "callprep validate"
    static let className = "callprep.validate"

    static func xml(for reports: [ValidationReport], strict: Bool) -> String {
        let tally = ValidationTally(reports, strict: strict)
        var lines = [
            #"<?xml version="1.0" encoding="UTF-8"?>"#,
            #"<testsuite name="\#(suiteName)" tests="\#(tally.files)" failures="\#(tally.failed)" errors="0" skipped="0">"#,
        ]
        for report in reports {
            let failing = report.problems.filter { strict || $0.severity == .error }
            let passing = report.problems.filter { !(strict || $0.severity == .error) }
            let opening = #"  <testcase classname="\#(className)" name="\#(XMLEscaping.attribute(report.path))""#
            if failing.isEmpty && passing.isEmpty {
                lines.append(opening + "/>")
                continue
            }
            lines.append(opening + ">")
            if let first = failing.first {
                lines.append(
                    #"    <failure type="\#(XMLEscaping.attribute(first.code))" message="\#(XMLEscaping.attribute(first.message))">"#
                        + XMLEscaping.text(failing.map(TextTable.problemLine).joined(separator: "\n")) + "</failure>")
            }
            if !passing.isEmpty {
                lines.append("    <system-out>" + XMLEscaping.text(passing.map(TextTable.problemLine).joined(separator: "\n")) + "</system-out>")
            }
            lines.append("  </testcase>")
        }
        lines.append("</testsuite>")
        return lines.joined(separator: "\n")
    }
}
