import ArgumentParser
import AudioPrep
import CallPrepJSON
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The problem codes `validate --ignore` leaves out of every report, e.g. `mono` for
/// per-participant tracks that are mono by design, so they can pass `--strict`.
///
/// Only codes of problems in a file that could be read are accepted
/// (`ValidationProblem.fileProblemCodes`); a file that could not be read keeps its error whatever
/// is ignored, so `--ignore` can never make a missing or damaged file pass.
struct IgnoredProblemCodes {
    let codes: Set<String>

    /// Parses the `--ignore` values: codes separated by commas, the option repeatable. Throws a
    /// usage error that lists the known codes for a code that is not one of them.
    init(arguments: [String]) throws(ValidationError) {
        let known = ValidationProblem.fileProblemCodes.map(\.code)
        var codes: Set<String> = []
        for argument in arguments {
            let parts = argument.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingWhitespace().lowercased() }
            if parts.isEmpty || parts.contains("") {
                throw ValidationError("--ignore needs problem codes separated by commas, e.g. --ignore mono,sample_rate_below_recommended; got '\(argument)'.")
            }
            for code in parts {
                guard known.contains(code) else {
                    throw ValidationError(
                        "--ignore: '\(code)' is not the code of a problem validate can ignore. "
                            + "The codes are: \(known.joined(separator: ", ")). "
                            + "(Codes for a file that cannot be read at all, like file_not_found or decode_failed, cannot be ignored.)")
                }
                codes.insert(code)
            }
        }
        self.codes = codes
    }

    /// `report` without the ignored problems. A file that could not be probed is returned as it
    /// is: its error says it is unreadable, which no ignore list changes.
    func apply(to report: ValidationReport) -> ValidationReport {
        guard !codes.isEmpty, report.info != nil else { return report }
        var kept = report
        kept.problems.removeAll { codes.contains($0.code) }
        return kept
    }
}
