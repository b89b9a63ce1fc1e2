import AudioPrep

/// Which files pass the `validate` gate, and the counts the CI formats print.
struct ValidationTally: Equatable {
    var files = 0
    var passed = 0
    var failed = 0
    var errors = 0
    var warnings = 0

    /// Whether `report` fails the gate: any error, or with `strict` any problem at all.
    static func fails(_ report: ValidationReport, strict: Bool) -> Bool {
        strict ? !report.clean : !report.accepted
    }

    init(_ reports: [ValidationReport], strict: Bool) {
        for report in reports {
            files += 1
            if Self.fails(report, strict: strict) { failed += 1 } else { passed += 1 }
            for problem in report.problems {
                if problem.severity == .error { errors += 1 } else { warnings += 1 }
            }
        }
    }

    /// "callprep validate: 3 files, 1 passed, 2 failed (2 errors, 1 warning)".
    var summary: String {
        "callprep validate: \(Self.count(files, "file")), \(passed) passed, \(failed) failed "
            + "(\(Self.count(errors, "error")), \(Self.count(warnings, "warning")))"
    }

    private static func count(_ n: Int, _ noun: String) -> String {
        "\(n) \(noun)\(n == 1 ? "" : "s")"
    }
}
