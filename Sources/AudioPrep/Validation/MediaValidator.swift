/// Checks files against Conversational Intelligence's media rules (transcript-resource docs):
/// WAV with linear PCM, MP3 or FLAC; at most 3 GB and 8 hours; at least 2 seconds; at least
/// 8 kHz (16 kHz recommended); mono or stereo, with one participant per channel for speaker
/// separation.
public struct MediaValidator: Sendable {
    /// Limits, named after the documented rules.
    public static let maxSizeBytes: Int64 = 3_000_000_000
    public static let maxDurationSeconds: Int64 = 8 * 3600
    public static let minDurationSeconds: Int64 = 2
    public static let minSampleRate = 8000
    public static let recommendedSampleRate = 16000
    /// A channel whose peak stays below this level (−60 dBFS) is treated as silent.
    public static let silentPeak: Float = 0.001
    /// Stereo channels whose difference is this far below the louder channel (−40 dB) are
    /// treated as the same signal.
    public static let identicalChannelsDB = -40.0

    /// Whether to decode the samples for the signal checks (identical channels, silent channel).
    public var checkSignal: Bool

    public init(checkSignal: Bool = true) {
        self.checkSignal = checkSignal
    }

    /// Probes and validates one file. Never throws: an unreadable file is a report with an error.
    public func validate(path: String) -> ValidationReport {
        validate(path: path, measuredSignal: nil)
    }

    /// Validates a file whose samples the caller has already measured (a writer that streamed
    /// them, like the merge): the signal rules use `measuredSignal` instead of decoding again.
    public func validate(path: String, measuredSignal: SignalStats?) -> ValidationReport {
        let info: AudioInfo
        do {
            info = try AudioProbe.probe(path: path)
        } catch {
            return ValidationReport(
                path: path, info: nil, signal: nil,
                problems: [ValidationProblem(.error, error.code.rawValue, error.message)])
        }
        var problems = Self.formatProblems(info)
        var signal: SignalStats?
        if let measuredSignal {
            signal = measuredSignal
            problems += Self.signalProblems(measuredSignal, info: info)
        } else if checkSignal, info.channels <= 2, info.frames > 0 {
            do {
                let source = try AudioDecoder.open(path: path)
                let stats = try SignalStats.measure(source)
                signal = stats
                problems += Self.signalProblems(stats, info: info)
            } catch {
                problems.append(ValidationProblem(.error, error.code.rawValue, error.message))
            }
        }
        return ValidationReport(path: path, info: info, signal: signal, problems: problems)
    }

    /// The rules that need only the probe facts.
    public static func formatProblems(_ info: AudioInfo) -> [ValidationProblem] {
        var problems: [ValidationProblem] = []
        let mergeHint = "convert it with `callprep merge` (FLAC, 16-bit, 16 kHz)"

        switch info.container {
        case .wav:
            if !linearPCMCodecs.contains(info.codec) {
                problems.append(.init(
                    .error, "wav_not_pcm",
                    "the WAV holds \(info.codec) audio, but Intelligence accepts WAV only with linear PCM; \(mergeHint)."))
            }
        case .flac:
            break
        case .mp3:
            if info.codec != "mp3" {
                problems.append(.init(
                    .error, "unsupported_codec",
                    "the file is MPEG audio layer \(info.codec == "mp2" ? "II" : "I"), not MP3; \(mergeHint)."))
            }
        default:
            problems.append(.init(
                .error, "unsupported_format",
                "Intelligence accepts WAV (PCM), MP3 and FLAC, not \(info.container.rawValue.uppercased()) (\(info.codec)); \(mergeHint)."))
        }
        if info.sizeBytes > maxSizeBytes {
            problems.append(.init(
                .error, "file_too_large",
                "the file is \(formatBytes(info.sizeBytes)), over Intelligence's 3 GB limit; \(mergeHint) — FLAC at 16 kHz is far smaller — or split the recording."))
        }
        if info.sampleRate < minSampleRate {
            problems.append(.init(
                .error, "sample_rate_too_low",
                "the sample rate is \(info.sampleRate) Hz, below Intelligence's minimum of 8000 Hz; re-record or export at 8 kHz or more (resampling up does not restore lost speech)."))
        } else if info.sampleRate < recommendedSampleRate {
            problems.append(.init(
                .warning, "sample_rate_below_recommended",
                "the sample rate is \(info.sampleRate) Hz; Intelligence accepts it but recommends 16000 Hz for best accuracy. Use a 16 kHz source if you have one."))
        }
        // Durations compare in frames: exact, no floating point. A limit beyond Int64 saturates
        // (no header can claim more frames than that), so no product can trap.
        let rate = Int64(max(info.sampleRate, 1))
        if info.frames > CheckedArithmetic.saturatingProduct(maxDurationSeconds, rate) {
            problems.append(.init(
                .error, "too_long",
                "the audio lasts \(formatDuration(info)), over Intelligence's 8-hour limit; split the recording into parts of at most 8 hours."))
        }
        if info.frames < CheckedArithmetic.saturatingProduct(minDurationSeconds, rate) {
            problems.append(.init(
                .error, "too_short",
                "the audio lasts \(formatDuration(info)); Intelligence does not transcribe media shorter than 2 seconds."))
        }
        if info.channels > 2 {
            problems.append(.init(
                .error, "too_many_channels",
                "the file has \(info.channels) channels; Intelligence takes mono or two channels (one participant each). Export one track per participant and combine them with `callprep merge`."))
        } else if info.channels == 1 {
            problems.append(.init(
                .warning, "mono",
                "the file is mono: Intelligence separates speakers only by channel, so every sentence gets the same speaker. Put each participant on their own channel with `callprep merge`."))
        }
        for note in info.notes {
            // A note's severity is the one `fileProblemCodes` (and Docs/Usage.md) gives its code.
            problems.append(.init(ValidationProblem.severity(ofCode: note.code) ?? .warning, note.code, note.message))
        }
        return problems
    }

    /// The rules that need the decoded samples.
    public static func signalProblems(_ stats: SignalStats, info: AudioInfo) -> [ValidationProblem] {
        var problems: [ValidationProblem] = []
        if info.channels == 2, let difference = stats.channelDifferenceDB, difference < identicalChannelsDB,
            stats.peak.allSatisfy({ $0 >= silentPeak })
        {
            problems.append(.init(
                .warning, "identical_channels",
                "the two channels carry the same audio (\(difference < -150 ? "sample for sample" : "their difference is \(formatDB(-difference)) below the louder channel")): this is stereo, not dual-channel, so Intelligence cannot tell the speakers apart. Record each participant on their own channel, or merge per-participant tracks with `callprep merge`."))
        }
        for (index, peak) in stats.peak.enumerated() where peak < silentPeak {
            let which = info.channels == 1 ? "the audio" : "channel \(index + 1) (\(index == 0 ? "left" : "right"))"
            problems.append(.init(
                .warning, "silent_channel",
                "\(which) is silent throughout (peak \(formatDB(dBFS(Double(peak))))FS); check that the right track is on each channel — a silent participant usually means a wrong channel map or a muted recording."))
        }
        if stats.frames != info.frames {
            problems.append(.init(
                .warning, "length_mismatch",
                "the header says \(info.frames) frames but \(stats.frames) decode; the file is damaged or was written incompletely."))
        }
        return problems
    }

    static let linearPCMCodecs: Set<String> = [
        "pcm_u8", "pcm_s8", "pcm_s16le", "pcm_s16be", "pcm_s24le", "pcm_s24be", "pcm_s32le", "pcm_s32be",
    ]
}

func formatBytes(_ bytes: Int64) -> String {
    if bytes >= 1_000_000_000 { return String(format1: Double(bytes) / 1e9) + " GB" }
    if bytes >= 1_000_000 { return String(format1: Double(bytes) / 1e6) + " MB" }
    return "\(bytes) bytes"
}

func formatDuration(_ info: AudioInfo) -> String {
    let totalMillis = info.durationMilliseconds
    let h = totalMillis / 3_600_000, m = totalMillis / 60_000 % 60, s = totalMillis / 1000 % 60, ms = totalMillis % 1000
    let clock = h > 0 ? "\(h) h \(m) min \(s) s" : (m > 0 ? "\(m) min \(s) s" : "\(s).\(String(ms).leftPadded(3)) s")
    return clock
}

func formatDB(_ value: Double) -> String {
    value.isFinite ? String(format1: value) + " dB" : "-inf dB"
}

extension String {
    /// One decimal place, without Foundation.
    init(format1 value: Double) {
        let tenths = (value * 10).rounded()
        // Only finite values whose tenths fit an Int64 take the integer path (no trap on NaN,
        // infinity or 1e300); others print as Swift does.
        guard tenths.isFinite, abs(tenths) < 9.0e18 else {
            self = "\(value)"
            return
        }
        let negative = tenths < 0
        let magnitude = Int64(abs(tenths))
        self = (negative ? "-" : "") + "\(magnitude / 10).\(magnitude % 10)"
    }

    func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
