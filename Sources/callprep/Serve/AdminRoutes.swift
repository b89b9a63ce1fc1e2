import CallPrepJobs
import Hummingbird
import Logging
import NIOCore

/// The read-only admin surface (`--admin-listen`): `/healthz` (the process answers),
/// `/readyz` (the store answers and its schema is current, within a bound) and `/metrics`.
struct AdminRoutes: Sendable {
    let store: any JobStore
    let metrics: ServeMetrics
    let readiness: ReadinessCheck
    let logger: Logger

    func add(to router: Router<BasicRequestContext>) {
        router.get("/healthz") { _, _ in TwilioRoutes.text(.ok, "ok\n") }
        router.get("/readyz") { _, _ in await ready() }
        router.get("/metrics") { _, _ in await scrape() }
    }

    func ready() async -> Response {
        switch await readiness.check() {
        case .ready:
            return TwilioRoutes.text(.ok, "ready\n")
        case .notReady(let reason):
            logger.warning("not ready: \(reason)", metadata: ["verdict": "not_ready"])
            return TwilioRoutes.text(.serviceUnavailable, "not ready: \(reason)\n")
        }
    }

    /// The metrics, the jobs-by-state gauges read from the store first (kept as they were when
    /// the store does not answer within the readiness bound).
    func scrape() async -> Response {
        let store = store
        let summary = await ReadinessCheck.first(within: readiness.timeout, otherwise: JobStatusSummary?.none) { try? await store.status() }
        if let summary { metrics.jobs(summary) }
        return Response(
            status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: metrics.text())))
    }
}
