/// One way a file falls short of what Conversational Intelligence accepts or handles well.
public struct ValidationProblem: Sendable, Hashable {
    public enum Severity: String, Sendable, Hashable {
        /// Intelligence will reject the file or not transcribe it.
        case error
        /// Intelligence accepts the file, but the result will likely disappoint.
        case warning
    }

    public var severity: Severity
    /// A stable identifier (`too_short`, `identical_channels`, …); see Docs/Usage.md for the list.
    public var code: String
    /// What is wrong and what to do about it.
    public var message: String

    public init(_ severity: Severity, _ code: String, _ message: String) {
        self.severity = severity
        self.code = code
        self.message = message
    }
}

/// The verdict on one file.
public struct ValidationReport: Sendable {
    public var path: String
    /// The probe facts, or nil when the file could not be probed.
    public var info: AudioInfo?
    /// What the signal checks measured, when they ran.
    public var signal: SignalStats?
    public var problems: [ValidationProblem]

    /// A verdict from its parts; `MediaValidator` makes these, and callers make their own for
    /// inputs that never reached it (a folder without audio files).
    public init(path: String, info: AudioInfo?, signal: SignalStats?, problems: [ValidationProblem]) {
        self.path = path
        self.info = info
        self.signal = signal
        self.problems = problems
    }

    /// True when no problem is an error.
    public var accepted: Bool { !problems.contains { $0.severity == .error } }
    /// True when there is no problem at all (what `--strict` requires).
    public var clean: Bool { problems.isEmpty }
}
