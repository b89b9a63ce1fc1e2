import ArgumentParser
import AudioPrep
import CallPrepJobs
import ObjectStore
import TwilioIntelligence
#if canImport(Glibc)
import Glibc
#endif

/// The flags of the job workers, shared by `jobs run` and `serve` (which runs the same workers
/// in its process): how many, where their outputs go, leases, retries, the Intelligence
/// Service, Twilio's identity and the S3 settings.
struct JobWorkerOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Workers in this process (1–64; `serve` also takes 0: a front door only).", valueName: "n"))
    var workers: Int = 1

    @Option(help: ArgumentHelp("The folder of the jobs' output folders (OUT/ID/).", valueName: "dir"), completion: .directory)
    var out: String = "callprep-out"

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

    func validate() throws {
        // 0 is a front door only (serve); `jobs run` refuses it itself.
        guard (0...64).contains(workers) else { throw ValidationError("--workers must be 0 to 64 (1 to 64 for jobs run); got \(workers).") }
        guard (1...100).contains(maxAttempts) else { throw ValidationError("--max-attempts must be 1 to 100; got \(maxAttempts).") }
        guard lease >= .seconds(1), lease <= .seconds(3600) else { throw ValidationError("--lease must be 1s to 1h.") }
        if let maxInFlightSubmits, !(1...64).contains(maxInFlightSubmits) {
            throw ValidationError("--max-in-flight-submits must be 1 to 64; got \(maxInFlightSubmits).")
        }
    }

    /// The runner's settings from the flags (`follow`: keep polling for new jobs until stopped).
    func runnerSettings(follow: Bool) -> JobRunnerSettings {
        var settings = JobRunnerSettings(
            workers: workers, lease: lease, maxAttempts: maxAttempts, follow: follow,
            pollInterval: min(pollInterval, .seconds(5)), retryBaseDelay: retryDelay, retryMaxDelay: .seconds(60),
            workerPrefix: Self.workerPrefix())
        settings.retryMaxDelay = max(settings.retryMaxDelay, retryDelay)
        if let maxInFlightSubmits { settings.maxInFlight = [.submit: maxInFlightSubmits] }
        return settings
    }

    /// The steps' performer with its clients; missing credentials or S3 settings do not stop
    /// the workers (jobs fail at the step that needs them, saying what is missing). `wrap`
    /// may put something around the Twilio transport, and `observeS3` is told every request to
    /// either S3 bucket (`serve` counts both in /metrics).
    func openPipeline(wrap: (any HTTPTransport) -> any HTTPTransport = { $0 },
                      observeS3: S3BucketRole.Observer? = nil) -> JobWorkerClients {
        var transport: AsyncHTTPClientTransport?
        var objectStore: S3ObjectStore?
        let intelligence: Result<IntelligenceClient, JobStepFailure>
        let recordings: Result<RecordingsClient, JobStepFailure>
        do {
            let configuration = try clientConfiguration()
            let opened = AsyncHTTPClientTransport()
            transport = opened
            let used = wrap(opened)
            intelligence = .success(IntelligenceClient(configuration: configuration, transport: used))
            recordings = .success(RecordingsClient(configuration: configuration, transport: used))
        } catch {
            intelligence = .failure(.permanent("missing_credentials", ErrorText.describe(error)))
            recordings = .failure(.permanent("missing_credentials", ErrorText.describe(error)))
        }
        let storage: Result<any ObjectStore, JobStepFailure>
        do {
            let opened = try S3ObjectStore(configuration: try s3.configuration(allowHTTP: allowHTTP),
                                           observeRequest: Self.observer(observeS3, .upload))
            objectStore = opened
            storage = .success(opened)
        } catch {
            storage = .failure(JobStepErrors.failure(for: error))
        }
        let pipeline = JobPipeline(
            outputFolder: out, defaultService: service, intelligence: intelligence, recordings: recordings,
            bucket: { [s3, allowHTTP, recordingsObserver = Self.observer(observeS3, .recordings)] subject in
                try ExternalRecordingStore.open(for: subject, observeRequest: recordingsObserver) {
                    () throws(ObjectStoreError) in try s3.configuration(allowHTTP: allowHTTP)
                }
            },
            objectStore: storage,
            allowHTTP: allowHTTP, presignExpiry: expires, waitTimeout: waitTimeout, pollInterval: pollInterval,
            encoderThreads: max(1, MergeConfiguration.activeCores / max(workers, 1)))
        return JobWorkerClients(pipeline: pipeline, transport: transport, objectStore: objectStore)
    }

    /// `observe` told which bucket each request went to, as one S3 store's observer.
    private static func observer(_ observe: S3BucketRole.Observer?,
                                 _ role: S3BucketRole) -> S3ObjectStore.RequestObserver? {
        guard let observe else { return nil }
        return { method, status in observe(role, method, status) }
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

/// The workers' pipeline and the HTTP clients it holds, closed with ``shutdown()``.
struct JobWorkerClients: Sendable {
    let pipeline: JobPipeline
    let transport: AsyncHTTPClientTransport?
    let objectStore: S3ObjectStore?

    func shutdown() async {
        try? await transport?.shutdown()
        await objectStore?.shutdown()
    }
}
