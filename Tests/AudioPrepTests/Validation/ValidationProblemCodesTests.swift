import AudioPrep
import Foundation
import Testing

/// `ValidationProblem.fileProblemCodes` is the list `validate --ignore` checks typed codes
/// against; these tests keep it equal to what the code emits and to Docs/Usage.md.
@Suite struct ValidationProblemCodesTests {
    static let catalogue = Dictionary(uniqueKeysWithValues: ValidationProblem.fileProblemCodes.map { ($0.code, $0.severity) })

    /// Codes of `AudioPrepError`s: what a file that cannot be read or decoded gets instead.
    static let failureCodes: Set<String> = [
        "file_not_found", "unreadable", "not_a_file", "empty_file", "unsupported_format", "corrupt_file",
        "decode_failed", "out_of_limits",
    ]

    @Test func everyCodeInTheSourcesIsListed() throws {
        let sources = TestFiles.root.appendingPathComponent("Sources/AudioPrep")
        let enumerator = try #require(FileManager.default.enumerator(atPath: sources.path))
        // Probe notes are `code: "…"`; validator rules are `(.error|.warning, "…"`.
        let patterns = [#"code: "([a-z0-9_]+)""#, #"\.(?:error|warning), "([a-z0-9_]+)""#].map { try! NSRegularExpression(pattern: $0) }
        var found: Set<String> = []
        for case let relative as String in enumerator where relative.hasSuffix(".swift") {
            let text = try String(contentsOf: sources.appendingPathComponent(relative), encoding: .utf8)
            for pattern in patterns {
                for match in pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                    found.insert(String(text[Range(match.range(at: 1), in: text)!]))
                }
            }
        }
        // The sources use at least the codes this suite was written against.
        #expect(found.isSuperset(of: ["mono", "too_short", "container_start_time", "data_size_mismatch", "length_mismatch"]))
        #expect(found.subtracting(Self.catalogue.keys).sorted() == [])
        #expect(ValidationProblem.fileProblemCodes.count == Self.catalogue.count, "a code is listed twice")
    }

    @Test func notesTakeTheirListedSeverity() throws {
        #expect(ValidationProblem.severity(ofCode: "truncated_stream") == .error)
        #expect(ValidationProblem.severity(ofCode: "container_start_time") == .warning)
        #expect(ValidationProblem.severity(ofCode: "file_not_found") == nil)
        // A FLAC cut short carries the truncated_stream note, which fails validation.
        let folder = try TestFiles.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let cut = folder.appendingPathComponent("cut.flac")
        try Data(try Data(contentsOf: URL(fileURLWithPath: TestFiles.audio("call/agent.flac"))).prefix(150_000)).write(to: cut)
        let report = MediaValidator(checkSignal: false).validate(path: cut.path)
        let problem = try #require(report.problems.first { $0.code == "truncated_stream" })
        #expect(problem.severity == .error)
        #expect(!report.accepted)
    }

    @Test func usageDocumentsEveryCodeWithItsSeverity() throws {
        let usage = try String(contentsOf: TestFiles.root.appendingPathComponent("Docs/Usage.md"), encoding: .utf8)
        for (code, severity) in ValidationProblem.fileProblemCodes {
            #expect(usage.contains("| `\(code)` | \(severity.rawValue) |"), "Docs/Usage.md has no row for \(code) (\(severity.rawValue))")
        }
    }

    @Test func everyProblemOfEveryTestFileIsListedOrAReadFailure() throws {
        let folder = TestFiles.root.appendingPathComponent("TestAudio")
        let enumerator = try #require(FileManager.default.enumerator(atPath: folder.path))
        var seen: Set<String> = []
        var files = 0
        for case let relative as String in enumerator {
            let path = folder.appendingPathComponent(relative).path
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), !isFolder.boolValue else { continue }
            files += 1
            let report = MediaValidator().validate(path: path)
            for problem in report.problems {
                seen.insert(problem.code)
                if let severity = Self.catalogue[problem.code] {
                    #expect(severity == problem.severity, "\(relative): \(problem.code)")
                } else {
                    #expect(problem.severity == .error && Self.failureCodes.contains(problem.code), "\(relative): \(problem.code) is not listed")
                }
            }
        }
        #expect(files >= 50)
        // The test audio exercises most of the list, failures included.
        #expect(seen.isSuperset(of: [
            "mono", "too_short", "wav_not_pcm", "identical_channels", "silent_channel", "misleading_extension",
            "header_length_mismatch", "container_start_time", "timestamp_gaps", "too_many_channels", "corrupt_file",
        ]))
    }
}
