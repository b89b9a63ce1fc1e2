import CallPrepJobs
import Hummingbird
import Logging
import NIOCore

/// `POST /twilio/video` and `POST /twilio/intelligence`: Twilio's callbacks, each checked
/// against its signature before anything changes.
struct TwilioRoutes: Sendable {
    let store: any JobStore
    let check: TwilioRequestCheck
    let metrics: ServeMetrics
    let logger: Logger
    /// The room jobs' Intelligence Service (nil: the workers' `--service`) and upload prefix.
    let service: String?
    let upload: String?
    /// The largest body read; a larger one gets 413 unread.
    let maximumBodyBytes: Int

    func add(to router: Router<BasicRequestContext>) {
        router.post("/twilio/video") { request, _ in await signed(request, endpoint: "video", then: video) }
        router.post("/twilio/intelligence") { request, _ in await signed(request, endpoint: "intelligence", then: intelligence) }
    }

    /// A Video Room status callback: `room-ended` adds the room's job (the room SID is its id,
    /// so a repeated or late callback adds nothing); the rest are acknowledged.
    func video(_ body: [UInt8], of request: Request) async -> Response {
        let callback: VideoCallback
        do {
            callback = try VideoCallback(parameters: FormBody.pairs(body))
        } catch {
            return unreadable("video", error)
        }
        switch callback {
        case .roomEnded(let room):
            do {
                let spec = JobSpec(id: try JobID(room), source: .room(room), service: service, upload: upload)
                let outcome = try await store.add(spec, replace: false)
                metrics.webhook("video", verdict: "accepted")
                logger.info("room ended: \(outcome == .added ? "job added" : "job exists")", metadata: [
                    "event": "room-ended", "job_id": .string(room), "outcome": .string(outcome.rawValue),
                ])
                return Self.text(.ok, outcome == .added ? "added \(room)\n" : "exists \(room)\n")
            } catch {
                metrics.webhook("video", verdict: "store_error")
                logger.error("room ended, but its job could not be added", metadata: [
                    "event": "room-ended", "job_id": .string(room), "error": .string("\(error)"),
                ])
                return Self.text(.serviceUnavailable, "the job store is unavailable; Twilio may retry\n")
            }
        case .recording(let event, let room, let recording):
            metrics.webhook("video", verdict: "acknowledged")
            var metadata: Logger.Metadata = ["event": .string(event), "job_id": .string(room)]
            if let recording { metadata["recording_sid"] = .string(recording) }
            logger.info("recording callback acknowledged (the room's job reads recording states when the room has ended)", metadata: metadata)
            return Self.text(.ok, "acknowledged\n")
        case .other(let event, let room):
            metrics.webhook("video", verdict: "ignored")
            var metadata: Logger.Metadata = ["event": .string(event)]
            if let room { metadata["job_id"] = .string(room) }
            logger.info("callback ignored", metadata: metadata)
            return Self.text(.ok, "ignored\n")
        }
    }

    /// The Intelligence Service's webhook: wakes the job waiting on the transcript.
    func intelligence(_ body: [UInt8], of request: Request) async -> Response {
        let callback: IntelligenceCallback
        do {
            callback = try IntelligenceCallback(body: body, isJSON: TwilioRequestCheck.isJSON(request.headers[.contentType]))
        } catch {
            return unreadable("intelligence", error)
        }
        let sid = callback.transcriptSID
        guard callback.isTranscriptAvailable else {
            metrics.webhook("intelligence", verdict: "ignored")
            logger.info("callback ignored", metadata: ["event": .string(callback.eventType ?? ""), "transcript_sid": .string(sid)])
            return Self.text(.ok, "ignored\n")
        }
        do {
            let woken = try await store.wake(waitingOn: sid)
            metrics.webhook("intelligence", verdict: "accepted")
            var metadata: Logger.Metadata = ["event": "transcript-available", "transcript_sid": .string(sid)]
            if let woken { metadata["job_id"] = .string(woken.rawValue) }
            logger.info(woken == nil ? "transcript available; no job waits on it" : "transcript available; job woken", metadata: metadata)
            return Self.text(.ok, woken.map { "woke \($0)\n" } ?? "no job waits on \(sid)\n")
        } catch {
            metrics.webhook("intelligence", verdict: "store_error")
            logger.error("transcript available, but the store could not be updated", metadata: [
                "transcript_sid": .string(sid), "error": .string("\(error)"),
            ])
            return Self.text(.serviceUnavailable, "the job store is unavailable; Twilio may retry\n")
        }
    }

    /// `handler`'s response to the body of a request whose signature checks; else the refusal
    /// (413 for a body over the limit, 403 for a missing or wrong signature), counted and logged.
    func signed(_ request: Request, endpoint: String, then handler: ([UInt8], Request) async -> Response) async -> Response {
        let pathAndQuery = request.uri.path + (request.uri.query.map { "?" + $0 } ?? "")
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: maximumBodyBytes)
        } catch {
            metrics.webhook(endpoint, verdict: "too_large")
            logger.warning("callback refused: body over \(maximumBodyBytes) bytes", metadata: ["verdict": "too_large", "path": .string(request.uri.path)])
            return Self.text(.contentTooLarge, "the body is over \(maximumBodyBytes) bytes\n")
        }
        let body = Array(buffer.readableBytesView)
        switch check.check(pathAndQuery: pathAndQuery, signature: Self.header("X-Twilio-Signature", of: request),
                           contentType: request.headers[.contentType], body: body) {
        case .success:
            return await handler(body, request)
        case .failure(let refusal):
            metrics.webhook(endpoint, verdict: refusal.rawValue)
            logger.warning("callback refused: \(refusal == .missingSignature ? "no X-Twilio-Signature" : "the signature does not match \(check.signedURL(pathAndQuery: request.uri.path)) and the body")", metadata: [
                "verdict": .string(refusal.rawValue), "path": .string(request.uri.path),
            ])
            return Self.text(.forbidden, "forbidden\n")
        }
    }

    private func unreadable(_ endpoint: String, _ error: UnreadableCallback) -> Response {
        metrics.webhook(endpoint, verdict: "unreadable")
        logger.warning("callback unreadable: \(error.message)", metadata: ["verdict": "unreadable"])
        return Self.text(.badRequest, error.message + "\n")
    }

    /// The first value of the header `name` (compared without case).
    static func header(_ name: String, of request: Request) -> String? {
        let wanted = name.lowercased()
        return request.headers.first { $0.name.canonicalName == wanted }?.value
    }

    /// A short plain-text response.
    static func text(_ status: HTTPResponse.Status, _ text: String) -> Response {
        Response(status: status, headers: [.contentType: "text/plain; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
