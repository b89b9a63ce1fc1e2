import ArgumentParser
import AudioPrep
import CallPrepJobs
import Hummingbird
import Logging
import ServiceLifecycle
#if canImport(Glibc)
import Glibc
#endif

extension CallPrep {
    /// `callprep serve`: Twilio's callbacks start and finish jobs; health and metrics beside.
    struct Serve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "serve",
            abstract: "Take Twilio's status callbacks: a room that ended becomes a job; a transcript ready wakes its job.",
            discussion: """
                POST /twilio/video takes a Video Room's StatusCallback: room-ended adds one room \
                job whose id is the room SID (a repeated or late callback adds nothing); \
                recording-completed and recording-failed are acknowledged (the job reads every \
                recording's state once the room has ended); other events are acknowledged and \
                logged. POST /twilio/intelligence takes the Intelligence Service's webhook and \
                wakes the job waiting on that transcript (polling stays the fallback).

                Every callback must carry a valid X-Twilio-Signature for --public-url followed by \
                the request's path and query (the URL Twilio was given, before any proxy), \
                signed with $TWILIO_AUTH_TOKEN; otherwise 403 and nothing changes. Bodies over \
                --max-body are refused with 413.

                --admin-listen serves GET /healthz, /readyz (the store answers and its schema \
                is current, within --ready-timeout) and /metrics (Prometheus text format). \
                --workers N runs N job workers in this process, as `jobs run --follow` does \
                (0: a front door only, with workers elsewhere on the same store).

                SIGTERM or SIGINT: the listeners stop accepting, running steps are stopped and \
                their jobs given back, and the process ends by that signal (status 143 for \
                SIGTERM) within --grace.
                """)

        @Option(help: ArgumentHelp("Where Twilio's callbacks are taken: HOST:PORT (port 0: any free port, named in the log).", valueName: "host:port"))
        var listen: String = "0.0.0.0:8080"

        @Option(name: .customLong("admin-listen"), help: ArgumentHelp("Where /healthz, /readyz and /metrics are served: HOST:PORT.", valueName: "host:port"))
        var adminListen: String = "127.0.0.1:9090"

        @Option(name: .customLong("public-url"), help: ArgumentHelp("The URL Twilio calls, without the path: https://prep.example.com (the signatures are over it).", valueName: "url"))
        var publicURL: String

        @Option(help: ArgumentHelp("Upload room jobs' merged files to s3://BUCKET/PREFIX/ (Intelligence fetches them from there).", valueName: "s3-url"))
        var upload: String?

        @Option(help: ArgumentHelp("How long a shutdown may take before the process ends anyway, e.g. 30s.", valueName: "duration"), transform: DurationText.parse)
        var grace: Duration = .seconds(30)

        @Option(name: .customLong("ready-timeout"), help: ArgumentHelp("How long /readyz waits for the store before answering 503, e.g. 2s.", valueName: "duration"), transform: DurationText.parse)
        var readyTimeout: Duration = .seconds(2)

        @Option(name: .customLong("max-body"), help: ArgumentHelp("The largest callback body taken, in bytes (1024–1048576).", valueName: "bytes"))
        var maxBody: Int = 64 * 1024

        @Option(name: .customLong("log-format"), help: ArgumentHelp("Log lines on stderr: text or json (one object per line).", valueName: "format"))
        var logFormat: String = "text"

        @OptionGroup var worker: JobWorkerOptions
        @OptionGroup var database: JobsDatabaseOptions

        func validate() throws {
            _ = try ListenAddress(parsing: listen, flag: "--listen")
            _ = try ListenAddress(parsing: adminListen, flag: "--admin-listen")
            let lower = publicURL.lowercased()
            guard lower.hasPrefix("https://") || lower.hasPrefix("http://"), !publicURL.contains("?"), !publicURL.contains("#") else {
                throw ValidationError("--public-url must be the https:// URL Twilio calls, without a query: e.g. https://prep.example.com; got \(publicURL.debugDescription).")
            }
            if let upload, !(upload.hasPrefix("s3://") && upload.dropFirst(5).contains { $0 != "/" }) {
                throw ValidationError("--upload must be s3://BUCKET/PREFIX/; got \(upload.debugDescription).")
            }
            guard (1024...1_048_576).contains(maxBody) else { throw ValidationError("--max-body must be 1024 to 1048576 bytes; got \(maxBody).") }
            guard ServeLogFormat(rawValue: logFormat) != nil else { throw ValidationError("--log-format must be text or json; got \(logFormat.debugDescription).") }
            guard readyTimeout <= .seconds(60) else { throw ValidationError("--ready-timeout must be at most 60s.") }
            guard Self.authToken() != nil else {
                throw ValidationError("serve needs $TWILIO_AUTH_TOKEN: Twilio signs its callbacks with the account's Auth Token, and only signed callbacks are taken.")
            }
        }

        /// `$TWILIO_AUTH_TOKEN`, the key of the callbacks' signatures.
        static func authToken() -> String? {
            guard let value = getenv("TWILIO_AUTH_TOKEN"), let text = String(validatingCString: value), !text.isEmpty else { return nil }
            return text
        }

        func run() async throws {
            let format = ServeLogFormat(rawValue: logFormat) ?? .text
            LoggingSystem.bootstrap { _ in ServeLogHandler(format: format) }
            let logger = Logger(label: "callprep.serve")
            let shutdown = ServeShutdown(grace: grace)
            try await JobsSession.run(database) {
                try await database.withStore(create: true) { store in
                    try await serve(store: store, logger: logger, shutdown: shutdown)
                }
            }
            if let signal = shutdown.signal { ProcessExit.terminate(bySignal: signal) }
        }

        private func serve(store: any JobStore, logger: Logger, shutdown: ServeShutdown) async throws {
            let metrics = ServeMetrics()
            let check = TwilioRequestCheck(authToken: Self.authToken() ?? "", publicURL: publicURL)
            var quiet = logger
            quiet.logLevel = .warning

            let router = Router()
            TwilioRoutes(store: store, check: check, metrics: metrics, logger: logger, service: worker.service, upload: upload,
                         maximumBodyBytes: maxBody).add(to: router)
            let adminRouter = Router()
            AdminRoutes(store: store, metrics: metrics, readiness: ReadinessCheck(store: store, timeout: readyTimeout), logger: logger)
                .add(to: adminRouter)

            var services: [any Service] = [
                application(router, at: try ListenAddress(parsing: listen, flag: "--listen"), name: "callbacks", logger: logger, quiet: quiet),
                application(adminRouter, at: try ListenAddress(parsing: adminListen, flag: "--admin-listen"), name: "admin", logger: logger, quiet: quiet),
            ]
            var clients: JobWorkerClients?
            if worker.workers > 0 {
                let opened = worker.openPipeline(
                    wrap: { transport in
                        CountingTransport(base: transport) { method, status in metrics.twilioRequest(method: method, status: status) }
                    },
                    observeS3: { bucket, method, status in metrics.s3Request(bucket: bucket, method: method, status: status) })
                clients = opened
                let runner = JobRunner(store: store, performer: opened.pipeline, settings: worker.runnerSettings(follow: true)) { event in
                    JobEventLog.record(event, logger: logger, metrics: metrics)
                }
                services.append(ServeWorkers(runner: runner, logger: logger))
            }
            let group = ServiceGroup(configuration: .init(services: services, logger: quiet))
            shutdown.attach(group)
            let signals = TerminationSignals(cancelling: MergeCancellation()) { number in
                logger.info("shutting down", metadata: ["signal": .stringConvertible(number)])
                shutdown.begin(signal: number)
            }
            logger.info("serving", metadata: [
                "store": .string(store.location), "workers": .stringConvertible(worker.workers), "public_url": .string(check.publicURL),
            ])
            do {
                try await group.run()
            } catch {
                await clients?.shutdown()
                throw error
            }
            await clients?.shutdown()
            withExtendedLifetime(signals) {}
        }

        /// One listener: its router at `address`, logging the address it is bound to.
        private func application(_ router: Router<BasicRequestContext>, at address: ListenAddress, name: String, logger: Logger, quiet: Logger) -> any Service {
            Application(
                router: router,
                configuration: .init(address: .hostname(address.host, port: address.port), serverName: nil),
                onServerRunning: { channel in
                    let port = channel.localAddress?.port ?? address.port
                    logger.info("listening", metadata: ["listener": .string(name), "address": .string(ListenAddress(host: address.host, port: port).description)])
                },
                logger: quiet)
        }
    }
}
