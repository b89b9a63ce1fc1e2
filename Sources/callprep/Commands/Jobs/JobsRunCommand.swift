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

        @Option(help: ArgumentHelp("Workers in this process (1–64).", valueName: "n"))
        var workers: Int = 1

        @Option(help: ArgumentHelp("The folder of the jobs' output folders (OUT/ID/).", valueName: "dir"), completion: .directory)
        var out: String = "callprep-out"

        @Flag(help: "End when no job is queued or running (the default).")
        var untilDone = false

        @Flag(help: "Keep polling for new jobs until SIGINT or SIGTERM.")
        var follow = false

        @Option(help: ArgumentHelp("How long a claim lasts without a heartbeat, e.g. 60s (1s–1h).", valueName: "duration"), transform: DurationText.parse)
        var lease: Duration = .seconds(60)

        @Option(name: .customLong("max-attempts"), help: ArgumentHelp("Failed runs of one step before its job fails, counted across runs and workers (a run whose worker died counts) (1–100).", valueName: "n"))
        var maxAttempts: Int = 5

        @Option(name: .customLong("retry-delay"), help: ArgumentHelp("Wait before a step's second attempt; doubles per failure, at most 60 s.", valueName: "duration"), transform: DurationText.parse)
        var retryDelay: Duration = .seconds(1)

        @Option(name: .customLong("max-in-flight-submits"), help: ArgumentHelp("At most this many submit steps at once among this process's workers (default: no limit).", valueName: "n"))
        var maxInFlightSubmits: Int?

        @Option(name: .customLong("service"), help: ArgumentHelp("The Intelligence Service GA… for jobs that name none.", valueName: "sid"))
        var service: String?

        @Option(name: .customLong("wait-timeout"), help: ArgumentHelp("How long one wait step polls for the transcript (and one fetch step waits for a room), e.g. 30m.", valueName: "duration"), transform: DurationText.parse)
        var waitTimeout: Duration = .seconds(30 * 60)

        @Option(name: .customLong("poll-interval"), help: ArgumentHelp("First poll interval of the wait step (grows ×1.5 to 30 s); also how often idle workers look for jobs.", valueName: "duration"), transform: DurationText.parse)
        var pollInterval: Duration = .seconds(2)

        @Option(help: ArgumentHelp("How long the presigned URL given to Intelligence works: 15m, 2h, 7d.", valueName: "duration"), transform: PresignExpiry.parse)
        var expires: PresignExpiry = .standard

        @Flag(name: .customLong("allow-http"), help: "Accept http:// media URLs and S3 endpoints (local emulators only).")
        var allowHTTP = false

        @Option(name: .customLong("account-sid"), help: "Account SID AC… (default: $TWILIO_ACCOUNT_SID).")
        var accountSID: String?

        @Option(name: .customLong("api-key"), help: "API Key SID SK… (default: $TWILIO_API_KEY); its secret comes from $TWILIO_API_SECRET.")
        var apiKey: String?

        @Option(name: .customLong("base-url"), help: "Intelligence base URL (default: $CALLPREP_INTELLIGENCE_URL).")
        var baseURL: String?

        @OptionGroup(title: "S3 options (jobs with \"upload\")") var s3: SubmitS3Options
        @OptionGroup var database: JobsDatabaseOptions

        func validate() throws {
            guard (1...64).contains(workers) else { throw ValidationError("--workers must be 1 to 64; got \(workers).") }
            guard (1...100).contains(maxAttempts) else { throw ValidationError("--max-attempts must be 1 to 100; got \(maxAttempts).") }
            guard lease >= .seconds(1), lease <= .seconds(3600) else { throw ValidationError("--lease must be 1s to 1h.") }
            if untilDone, follow { throw ValidationError("--until-done and --follow exclude each other.") }
            if let maxInFlightSubmits, !(1...64).contains(maxInFlightSubmits) {
                throw ValidationError("--max-in-flight-submits must be 1 to 64; got \(maxInFlightSubmits).")
            }
        }

        func run() async throws {
            var settings = JobRunnerSettings(
                workers: workers, lease: lease, maxAttempts: maxAttempts, follow: follow,
                pollInterval: min(pollInterval, .seconds(5)), retryBaseDelay: retryDelay, retryMaxDelay: .seconds(60),
                workerPrefix: Self.workerPrefix())
            settings.retryMaxDelay = max(settings.retryMaxDelay, retryDelay)
            if let maxInFlightSubmits { settings.maxInFlight = [.submit: maxInFlightSubmits] }
            let json = database.json
            var transport: AsyncHTTPClientTransport?
            var objectStore: S3ObjectStore?
            var summary = JobRunSummary()
            var failedInStore = 0
            var received: Int32?
            do {
                let outcome: (JobRunSummary, Int32?, Int) = try await database.withStore(create: false) { store in
                    let intelligence: Result<IntelligenceClient, JobStepFailure>
                    let recordings: Result<RecordingsClient, JobStepFailure>
                    do {
                        let configuration = try clientConfiguration()
                        let opened = AsyncHTTPClientTransport()
                        transport = opened
                        intelligence = .success(IntelligenceClient(configuration: configuration, transport: opened))
                        recordings = .success(RecordingsClient(configuration: configuration, transport: opened))
                    } catch {
                        intelligence = .failure(.permanent("missing_credentials", ErrorText.describe(error)))
                        recordings = .failure(.permanent("missing_credentials", ErrorText.describe(error)))
                    }
                    let storage: Result<any ObjectStore, JobStepFailure>
                    do {
                        let opened = try S3ObjectStore(configuration: try s3.configuration(allowHTTP: allowHTTP))
                        objectStore = opened
                        storage = .success(opened)
                    } catch {
                        storage = .failure(JobStepErrors.failure(for: error))
                    }
                    let pipeline = JobPipeline(
                        outputFolder: out, defaultService: service, intelligence: intelligence, recordings: recordings,
                        bucket: { [s3, allowHTTP] subject in
                            try ExternalRecordingStore.open(for: subject) { () throws(ObjectStoreError) in try s3.configuration(allowHTTP: allowHTTP) }
                        },
                        objectStore: storage,
                        allowHTTP: allowHTTP, presignExpiry: expires, waitTimeout: waitTimeout, pollInterval: pollInterval,
                        encoderThreads: max(1, MergeConfiguration.activeCores / workers))
                    let runner = JobRunner(store: store, performer: pipeline, settings: settings) { event in
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
                try? await transport?.shutdown()
                await objectStore?.shutdown()
                if json { Console.printDocument(ErrorJSON.document(for: error)) }
                Terminal.printError(ErrorText.describe(error))
                throw ExitCode(1)
            }
            try? await transport?.shutdown()
            await objectStore?.shutdown()
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

        /// The Twilio client's configuration from the flags and the environment, as the API
        /// commands build it.
        private func clientConfiguration() throws -> ClientConfiguration {
            var options = try CredentialOptions.parse([])
            options.accountSID = accountSID
            options.apiKey = apiKey
            options.baseURL = baseURL
            guard let credentials = try options.credentialsIfAny() else {
                throw IntelligenceClientError.invalidInput(
                    field: "credentials", message: "export TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN (or TWILIO_API_KEY, TWILIO_API_SECRET and TWILIO_ACCOUNT_SID)")
            }
            return try options.configuration(credentials: credentials)
        }

        /// `HOST:PID`: worker ids name the machine and the process, for `jobs show`.
        static func workerPrefix() -> String {
            var name = [UInt8](repeating: 0, count: 256)
            let host = name.withUnsafeMutableBufferPointer { buffer in
                gethostname(UnsafeMutableRawPointer(buffer.baseAddress!).assumingMemoryBound(to: CChar.self), buffer.count - 1) == 0
                    ? String(decoding: buffer.prefix { $0 != 0 }, as: UTF8.self) : "host"
            }
            return "\(host.isEmpty ? "host" : host):\(getpid())"
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
