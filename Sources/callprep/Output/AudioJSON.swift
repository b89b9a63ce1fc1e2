import AudioPrep
import CallPrepJSON

/// The JSON shapes `probe --json` and `validate --json` print: a contract other tools parse.
/// Keys and their order are documented in Docs/Usage.md.
enum AudioJSON {
    static func probeObject(path: String, info: AudioInfo) -> JSONValue {
        .object([
            "path": .string(path),
            "container": .string(info.container.rawValue),
            "codec": .string(info.codec),
            "sample_rate": .int(Int64(info.sampleRate)),
            "channels": .int(Int64(info.channels)),
            "frames": .int(info.frames),
            "duration_seconds": .double(info.durationSeconds),
            "bits_per_sample": info.bitsPerSample.map { .int(Int64($0)) } ?? .null,
            "size_bytes": .int(info.sizeBytes),
            "length_source": .string(info.lengthSource.rawValue),
            "start_time_seconds": info.startTimeNanoseconds.map { .double(Double($0) / 1e9) } ?? .null,
            "notes": .array(info.notes.map { .object(["code": .string($0.code), "message": .string($0.message)]) }),
        ])
    }

    /// A file probe could not read: its path and the error object every `--json` failure uses.
    static func probeError(path: String, error: AudioPrepError) -> JSONValue {
        .object(["path": .string(path), "error": ErrorJSON.object(for: error)])
    }

    static func validationObject(_ report: ValidationReport) -> JSONValue {
        var members: [JSONValue.Member] = [
            .init("path", .string(report.path)),
            .init("accepted", .bool(report.accepted)),
            .init("problems", .array(report.problems.map {
                .object([
                    "severity": .string($0.severity.rawValue),
                    "code": .string($0.code),
                    "message": .string($0.message),
                ])
            })),
            .init("probe", report.info.map { probeObject(path: report.path, info: $0) } ?? .null),
        ]
        if let signal = report.signal {
            members.append(.init("signal", .object([
                "peak_dbfs": .array(signal.peak.map { decibels(Double($0)) }),
                "rms_dbfs": .array(signal.rms.map { decibels($0) }),
                "channel_difference_db": signal.channelDifferenceDB.map { .double(rounded($0)) } ?? .null,
            ])))
        }
        return .object(members)
    }

    private static func decibels(_ amplitude: Double) -> JSONValue {
        amplitude > 0 ? .double(rounded(20 * log10(amplitude))) : .null
    }

    private static func rounded(_ v: Double) -> Double { (v * 100).rounded() / 100 }
}

#if canImport(Glibc)
import Glibc
#endif
