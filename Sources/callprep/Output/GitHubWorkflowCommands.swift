import AudioPrep

/// `validate --format github`: GitHub Actions workflow commands, which the runner shows as
/// annotations on the files and in the job summary.
///
/// One line per problem, `::error file=PATH,title=CODE::MESSAGE` or `::warning …` (with
/// `--strict` every problem is an `::error`, since every one fails the job), then a summary line.
/// A workflow command is one line whose properties end at `,` and `::`, so the values are
/// percent-escaped as the runner expects: `%`, CR and LF everywhere, and `:` and `,` too inside
/// properties. A file name can therefore never end a command early or start another one.
enum GitHubWorkflowCommands {
    static func lines(for reports: [ValidationReport], strict: Bool) -> [String] {
        var lines: [String] = []
        for report in reports {
            for problem in report.problems {
                let command = problem.severity == .error || strict ? "error" : "warning"
                lines.append(
                    "::\(command) file=\(escapeProperty(report.path)),title=\(escapeProperty(problem.code))::"
                        + escapeData(problem.message))
            }
        }
        lines.append(ValidationTally(reports, strict: strict).summary)
        return lines
    }

    /// A command's message: `%` → `%25`, CR → `%0D`, LF → `%0A`.
    static func escapeData(_ text: String) -> String {
        escape(text, isProperty: false)
    }

    /// A property value (`file=`, `title=`): as `escapeData`, and `:` → `%3A`, `,` → `%2C`.
    static func escapeProperty(_ text: String) -> String {
        escape(text, isProperty: true)
    }

    private static func escape(_ text: String, isProperty: Bool) -> String {
        var out = ""
        out.unicodeScalars.reserveCapacity(text.unicodeScalars.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "%": out += "%25"
            case "\r": out += "%0D"
            case "\n": out += "%0A"
            case ":" where isProperty: out += "%3A"
            case "," where isProperty: out += "%2C"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
