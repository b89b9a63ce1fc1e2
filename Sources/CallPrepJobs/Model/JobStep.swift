/// The steps of a job, in the order a worker runs them. Each run of a step is one row of the
/// job's journal (``StepRecord``), so a restarted job resumes at its first unfinished step.
public enum JobStep: String, Sendable, Hashable, CaseIterable, Codable, Comparable {
    /// The inputs exist and are audio a merge can use.
    case validate
    /// A room or recording job's audio fetched from Twilio: the room waited for until it ended and
    /// every audio recording is completed, then each recording downloaded to `OUT/ID/`.
    case fetch
    /// The two tracks merged into `OUT/ID/` with their manifest.
    case merge
    /// The merged file uploaded (when the job names an upload location).
    case upload
    /// The transcript created at Intelligence (its CustomerKey derived from the job id).
    case submit
    /// Waiting for the transcript to be completed.
    case wait
    /// The transcript, sentences and subtitles written to `OUT/ID/`.
    case results

    /// The step named by `text`, else nil.
    public init?(name text: String) { self.init(rawValue: text) }

    /// Steps compare in the order they run.
    public static func < (lhs: JobStep, rhs: JobStep) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}
