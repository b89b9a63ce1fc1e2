import AudioPrep

/// Human-readable output for probe and validate.
enum TextTable {
    static let probeHeader = ["file", "container", "codec", "rate", "ch", "frames", "duration", "bits", "size"]

    static func probeRow(path: String, info: AudioInfo) -> [String] {
        [
            path, info.container.rawValue, info.codec, "\(info.sampleRate)", "\(info.channels)",
            "\(info.frames)\(info.lengthSource == .frameScan ? "*" : "")", clock(info), info.bitsPerSample.map(String.init) ?? "-",
            "\(info.sizeBytes)",
        ]
    }

    /// "00:01:02.345" from an exact frame count (`AudioInfo.durationMilliseconds`: integer
    /// arithmetic that cannot overflow, whatever a header claims).
    static func clock(_ info: AudioInfo) -> String {
        let millis = info.durationMilliseconds
        func two(_ v: Int64) -> String { v < 10 ? "0\(v)" : "\(v)" }
        let ms = millis % 1000
        return "\(two(millis / 3_600_000)):\(two(millis / 60_000 % 60)):\(two(millis / 1000 % 60)).\(ms < 10 ? "00" : (ms < 100 ? "0" : ""))\(ms)"
    }

    /// A table with aligned columns. `details[i]`, when given, are lines printed indented under
    /// row `i` (a file's notes); they take no part in the column widths.
    static func render(header: [String], rows: [[String]], details: [[String]] = []) -> String {
        let all = [header] + rows
        let columns = all.map(\.count).max() ?? 0
        var widths = [Int](repeating: 0, count: columns)
        // A row's last cell is never padded, so it does not widen its column: a short row
        // ("file  error: file_not_found") leaves the others as they are.
        for row in all { for (i, cell) in row.enumerated() where i < row.count - 1 { widths[i] = max(widths[i], cell.count) } }
        var lines: [String] = []
        for (index, row) in all.enumerated() {
            lines.append(row.enumerated().map { i, cell in
                i == row.count - 1 ? cell : cell + String(repeating: " ", count: widths[i] - cell.count)
            }.joined(separator: "  "))
            if index > 0, index - 1 < details.count {
                lines += details[index - 1].map { "  " + $0 }
            }
        }
        return lines.joined(separator: "\n")
    }

    /// "note [container_start_time]: the audio starts at 1.564 s …": the lines `probe` prints
    /// under a file's row, one per note.
    static func noteLines(_ info: AudioInfo) -> [String] {
        info.notes.map { "note [\($0.code)]: \($0.message)" }
    }

    static func validationText(_ report: ValidationReport) -> String {
        var lines: [String] = []
        let verdict = report.accepted ? (report.clean ? "OK" : "OK with warnings") : "REJECTED"
        var summary = "\(report.path): \(verdict)"
        if let info = report.info {
            summary += " — \(info.container.rawValue)/\(info.codec), \(info.sampleRate) Hz, \(info.channels) ch, \(clock(info))"
        }
        lines.append(summary)
        for problem in report.problems {
            lines.append("  " + problemLine(problem))
        }
        return lines.joined(separator: "\n")
    }

    /// "warning [mono]: the file is mono: …": one problem as every text-based format shows it.
    static func problemLine(_ problem: ValidationProblem) -> String {
        "\(problem.severity.rawValue) [\(problem.code)]: \(problem.message)"
    }
}
