import ArgumentParser
import AudioPrep
import CallPrepJSON
import CallPrepJobs
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import ObjectStore
import Synchronization
import TwilioIntelligence
#if canImport(Glibc)
import Glibc
#endif

extension CallPrep.Jobs {
    /// `callprep jobs run`: the workers.
    struct Run: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "run",
            abstract: "Run the jobs: validate, merge, upload, submit, wait, results — each step journaled.",
            discussion: """
                Workers (--workers, tasks in this process; several processes may share one store) \
                claim jobs under a lease that a heartbeat renews while a step runs. A job resumes \
                at its first step without a finished, verified run: a finished merge or upload \
                is checked (SHA-256 from the journal), not redone; a repeated submit finds the \
                transcript by its CustomerKey (derived from the job id and the merged file) \
                instead of creating a second. Transient failures (network, 429, 5xx) are \
                retried with backoff up to --max-attempts failed runs of the step (counted \
                across claims: a run whose worker was killed counts, so a job that keeps \
                killing its worker fails); permanent ones fail the job with its step, code and \
                message.

                Room jobs ("room": "RM…") wait for the room to end and its audio recordings to \
                be completed (at most --wait-timeout per attempt), download them to \
                OUT/ID/recordings/ and merge them as `callprep room` does; recording jobs \
                ("recording": "RE…") download the dual-channel Voice recording to OUT/ID/ID.wav \
                and send it as it is.

                Each job writes OUT/ID/ID.flac, ID.manifest.json, transcript.json (speaker \
                names), transcript.srt and transcript.txt. Track paths are taken relative to \
                the working folder. Twilio credentials and S3 settings as for `callprep submit \
                --upload` (environment; --s3-… flags).

                --until-done (the default) ends when no job is queued or running (a job whose \
                worker died is taken over once its lease runs out): exit status 0 when no job \
                in the store is failed, 1 when any is. --follow keeps polling for new jobs until \
                SIGINT or SIGTERM, then stops its steps, gives their jobs back and exits 0. A \
                signal during --until-done does the same and ends by that signal.
                """)

        @OptionGroup var worker: JobWorkerOptions

        @Flag(help: "End when no job is queued or running (the default).")
        var untilDone = false

        @Flag(help: "Keep polling for new jobs until SIGINT or SIGTERM.")
        var follow = false

        @OptionGroup var database: JobsDatabaseOptions

        func validate() throws {
            guard worker.workers >= 1 else { throw ValidationError("--workers must be 1 to 64; got \(worker.workers).") }
            if untilDone, follow { throw ValidationError("--until-done and --follow exclude each other.") }
        }

        func run() async throws {
            let settings = worker.runnerSettings(follow: follow)
            let json = database.json
            var clients: JobWorkerClients?
            var summary = JobRunSummary()
            var failedInStore = 0
            var received: Int32?
            do {
                let outcome: (JobRunSummary, Int32?, Int) = try await database.withStore(create: false) { store in
                    let opened = worker.openPipeline()
                    clients = opened
                    let runner = JobRunner(store: store, performer: opened.pipeline, settings: settings) { event in
                        JobsRunProgress.print(event)
                    }
                    let running = RunningTask()
                    let signals = TerminationSignals(cancelling: MergeCancellation()) { running.cancel() }
                    let task = Task<JobRunSummary, any Error> { try await runner.run() }
                    running.set(task)
                    summary = try await task.value
                    received = signals.received
                    failedInStore = try await store.status().counts[.failed] ?? 0
                    withExtendedLifetime(signals) {}
                    return (summary, received, failedInStore)
                }
                (summary, received, failedInStore) = outcome
            } catch {
                await clients?.shutdown()
                if json { Console.printDocument(ErrorJSON.document(for: error)) }
                Terminal.printError(ErrorText.describe(error))
                throw ExitCode(1)
            }
            await clients?.shutdown()
            if json {
                Console.printDocument(.object([
                    "done": .int(Int64(summary.done)), "failed": .int(Int64(summary.failed)),
                    "released": .int(Int64(summary.released)), "leases_lost": .int(Int64(summary.leasesLost)),
                    "failed_in_store": .int(Int64(failedInStore)), "interrupted": .bool(summary.interrupted),
                ]))
            } else {
                print("done \(summary.done), failed \(summary.failed), released \(summary.released), leases lost \(summary.leasesLost)"
                      + (failedInStore > summary.failed ? " (\(failedInStore) failed jobs in the store)" : ""))
            }
            if follow { return }
            if let received { ProcessExit.terminate(bySignal: received) }
            if failedInStore > 0 { throw ExitCode(1) }
        }
    }
}

/// The task running the workers, cancelled by a signal handler (which may fire before the task
/// is known: it is then cancelled as soon as it is set).
final class RunningTask: Sendable {
    private let state = Mutex<(task: Task<JobRunSummary, any Error>?, cancelled: Bool)>((nil, false))

    func set(_ task: Task<JobRunSummary, any Error>) {
        let cancelled = state.withLock { state in
            state.task = task
            return state.cancelled
        }
        if cancelled { task.cancel() }
    }

    func cancel() {
        let task = state.withLock { state in
            state.cancelled = true
            return state.task
        }
        task?.cancel()
    }
}

/// One line on standard error per thing a worker does.
enum JobsRunProgress {
    static func print(_ event: JobRunEvent) {
        let line: String
        switch event {
        case .claimed(let id, let worker, let claim): line = "\(id)  claimed by \(worker) (claim \(claim))"
        case .stepVerified(let id, let step): line = "\(id)  \(step.rawValue): done before, verified"
        case .stepStarted(let id, let step, let attempt): line = "\(id)  \(step.rawValue): started (attempt \(attempt))"
        case .stepFinished(let id, let step, _): line = "\(id)  \(step.rawValue): finished"
        case .stepFailed(let id, let step, let attempt, let failure, let willRetry, let delay):
            let next = willRetry ? "; retrying in \(delay.map(Self.seconds) ?? "0 s")" : ""
            line = "\(id)  \(step.rawValue): attempt \(attempt) failed: \(failure.code): \(failure.message)\(next)"
        case .stepHeldBack(let id, let step, let wait): line = "\(id)  \(step.rawValue): held back \(Self.seconds(wait)) (a server's Retry-After)"
        case .jobDone(let id): line = "\(id)  done"
        case .jobFailed(let id, let failure): line = "\(id)  failed at \(failure.step.rawValue): \(failure.code): \(failure.message)"
        case .leaseLost(let id, let reason): line = "\(id)  stopped working on it: \(reason)"
        case .released(let id): line = "\(id)  given back (queued)"
        case .storeProblem(let text): line = "job store: \(text)"
        }
        Terminal.writeStderr(line + "\n")
    }

    static func seconds(_ duration: Duration) -> String {
        let milliseconds = duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000
        return "\(Double(milliseconds) / 1000) s"
    }
}
