import Synchronization
import TwilioIntelligence

/// What `submit --wait` and `transcripts wait` show while they poll: on a terminal (stderr), a
/// line per status change with the time waited so far (`GT…: queued → in-progress after 6 s`);
/// nothing when stderr is not a terminal or with `--json`/`--quiet`, so scripts see only the
/// result. With `--verbose`, every poll is logged instead.
final class WaitProgress: Sendable {
    // Only `onPoll` touches the mutable state, and the client calls it from one task in
    // sequence; the mutex makes that explicit rather than assumed.
    private let enabled: Bool
    private let verbose: Bool
    private let start = ContinuousClock.now
    private let lastStatus = Mutex<TranscriptStatus?>(nil)

    init(output: OutputOptions) {
        enabled = Terminal.stderrIsTerminal && !output.json && !output.quiet
        verbose = output.verbose
    }

    /// Seconds since waiting began, rounded down.
    private var elapsedSeconds: Int64 { (ContinuousClock.now - start).components.seconds }

    func onPoll(_ transcript: Transcript) {
        lastStatus.withLock { lastStatus in
            if verbose {
                Console.error("· \(transcript.sid): \(transcript.status) (\(elapsedSeconds) s)")
            } else if enabled, transcript.status != lastStatus {
                let change = lastStatus.map { "\($0) → \(transcript.status)" } ?? "\(transcript.status)"
                Console.error("\(transcript.sid): \(change) after \(elapsedSeconds) s")
            }
            lastStatus = transcript.status
        }
    }
}
