#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Filters for listing transcripts; unset ones are not sent.
public struct TranscriptFilter: Sendable, Equatable {
    /// Query parameter `ServiceSid` (ISO 8601 for times), sent only when set.
    public var serviceSID: String?
    /// Query parameter `BeforeStartTime` (ISO 8601 for times), sent only when set.
    public var beforeStartTime: String?
    /// Query parameter `AfterStartTime` (ISO 8601 for times), sent only when set.
    public var afterStartTime: String?
    /// Query parameter `BeforeDateCreated` (ISO 8601 for times), sent only when set.
    public var beforeDateCreated: String?
    /// Query parameter `AfterDateCreated` (ISO 8601 for times), sent only when set.
    public var afterDateCreated: String?
    /// Query parameter `Status` (ISO 8601 for times), sent only when set.
    public var status: String?
    /// Query parameter `LanguageCode` (ISO 8601 for times), sent only when set.
    public var languageCode: String?
    /// Query parameter `SourceSid` (ISO 8601 for times), sent only when set.
    public var sourceSID: String?

    /// Creates a filter.
    public init(serviceSID: String? = nil, beforeStartTime: String? = nil, afterStartTime: String? = nil,
                beforeDateCreated: String? = nil, afterDateCreated: String? = nil, status: String? = nil,
                languageCode: String? = nil, sourceSID: String? = nil) {
        self.serviceSID = serviceSID
        self.beforeStartTime = beforeStartTime
        self.afterStartTime = afterStartTime
        self.beforeDateCreated = beforeDateCreated
        self.afterDateCreated = afterDateCreated
        self.status = status
        self.languageCode = languageCode
        self.sourceSID = sourceSID
    }
}

extension IntelligenceClient {
    /// `POST /v2/Transcripts` — creates a transcript, never twice.
    ///
    /// The request is validated locally first. It is re-sent directly only when the server
    /// cannot have acted (429, or the connection failed before sending). After an ambiguous
    /// failure (timeout, reset, 5xx) the client lists the service's recent transcripts and
    /// returns the one carrying this request's CustomerKey; only if none exists is it re-sent.
    public func createTranscript(_ request: TranscriptCreateRequest) async throws -> Transcript {
        try request.validate()
        let apiRequest = APIRequest(method: "POST", url: v2 + "/Transcripts", form: request.formFields())
        let searchFrom = Date().addingTimeInterval(-15 * 60)
        let policy = configuration.retryPolicy
        let clock = ContinuousClock()
        let start = clock.now
        var round = 0
        while true {
            round += 1
            do {
                let response = try await executor.execute(apiRequest, idempotent: false)
                return try executor.decodeBody(Transcript.self, response, apiRequest)
            } catch AttemptOutcome.ambiguous(let reason, let attempts, let lastError) {
                // Wait first, then look: a server still working on the request gets the time to
                // finish, which narrows the window in which a late create could race a re-send.
                let wait = policy.delay(beforeRetry: round, retryAfter: nil, elapsed: clock.now - start, unit: executor.random())
                executor.observer?("create outcome unknown (\(reason)); looking for CustomerKey \(request.customerKey)")
                if let wait { try await executor.sleeper(wait) }
                if let existing = try await findTranscript(serviceSID: request.serviceSID, customerKey: request.customerKey, createdAfter: searchFrom) {
                    executor.observer?("found \(existing.sid); not re-sending")
                    return existing
                }
                guard wait != nil else {
                    if let apiError = lastError as? TwilioAPIError { throw apiError }
                    throw IntelligenceClientError.transport(method: "POST", path: apiRequest.path, attempts: round * attempts, reason: reason)
                }
                executor.observer?("no transcript with that key exists; re-sending")
            }
        }
    }

    /// Finds a transcript of `serviceSID` with `customerKey`, created after `createdAfter`.
    public func findTranscript(serviceSID: String, customerKey: String, createdAfter: Date) async throws -> Transcript? {
        let filter = TranscriptFilter(serviceSID: serviceSID, afterDateCreated: TranscriptCreateRequest.formatUTC(createdAfter))
        for try await transcript in try listTranscripts(filter, pageSize: 100, limit: 2000) where transcript.customerKey == customerKey {
            return transcript
        }
        return nil
    }

    /// `GET /v2/Transcripts/{GT}`.
    public func transcript(_ sid: String) async throws -> Transcript {
        let sid = try Self.checkSID(sid, .transcript, "TranscriptSid")
        return try await executor.decode(Transcript.self, APIRequest(method: "GET", url: v2 + "/Transcripts/" + sid))
    }

    /// `GET /v2/Transcripts` with every filter the API has.
    public func listTranscripts(_ filter: TranscriptFilter = TranscriptFilter(), pageSize: Int? = nil, limit: Int? = nil) throws(IntelligenceClientError) -> PagedSequence<Transcript> {
        if let service = filter.serviceSID { try SIDPattern.service.validate(service, field: "ServiceSid") }
        try Self.checkPageSize(pageSize, max: 1000)
        let url = makeURL(v2, "/Transcripts", [
            ("ServiceSid", filter.serviceSID), ("BeforeStartTime", filter.beforeStartTime),
            ("AfterStartTime", filter.afterStartTime), ("BeforeDateCreated", filter.beforeDateCreated),
            ("AfterDateCreated", filter.afterDateCreated), ("Status", filter.status),
            ("LanguageCode", filter.languageCode), ("SourceSid", filter.sourceSID),
            ("PageSize", pageSize.map(String.init)),
        ])
        return PagedSequence(executor: executor, firstURL: url, limit: limit)
    }

    /// `DELETE /v2/Transcripts/{GT}`.
    public func deleteTranscript(_ sid: String) async throws {
        let sid = try Self.checkSID(sid, .transcript, "TranscriptSid")
        _ = try await executor.execute(APIRequest(method: "DELETE", url: v2 + "/Transcripts/" + sid))
    }

    /// Polls the transcript until it reaches a terminal status or `timeout` passes; the poll
    /// interval grows ×1.5 from `initialInterval` up to `maxInterval`, and the last poll is at
    /// the deadline. A timeout throws ``IntelligenceClientError/timedOut(what:after:)`` with
    /// the time actually waited. `pause` waits between polls (by default the interval is slept
    /// through); it may return early — a job woken by the webhook polls at once.
    public func waitForTranscript(_ sid: String, timeout: Duration, initialInterval: Duration = .seconds(2),
                                  maxInterval: Duration = .seconds(30),
                                  pause: (@Sendable (Duration) async throws -> Void)? = nil,
                                  onPoll: (@Sendable (Transcript) -> Void)? = nil) async throws -> Transcript {
        let clock = ContinuousClock()
        let start = clock.now
        let deadline = start + timeout
        var interval = initialInterval
        while true {
            let current = try await transcript(sid)
            onPoll?(current)
            if current.status.isTerminal { return current }
            let now = clock.now
            guard now < deadline else {
                throw IntelligenceClientError.timedOut(what: "transcript \(sid) (status \(current.status))", after: now - start)
            }
            // The last sleep is cut short so the final poll happens at the deadline: the whole
            // timeout is waited, not only the intervals that fit in it.
            if let pause {
                try await pause(min(interval, deadline - now))
            } else {
                try await executor.sleeper(min(interval, deadline - now))
            }
            interval = min(maxInterval, interval * 1.5)
        }
    }

    /// `GET /v2/Transcripts/{GT}/Sentences` (`PageSize` up to 5000).
    public func sentences(of transcriptSID: String, redacted: Bool? = nil, wordTimestamps: Bool? = nil,
                          pageSize: Int? = nil, limit: Int? = nil) throws(IntelligenceClientError) -> PagedSequence<Sentence> {
        let sid = try Self.checkSID(transcriptSID, .transcript, "TranscriptSid")
        try Self.checkPageSize(pageSize, max: 5000)
        let url = makeURL(v2, "/Transcripts/\(sid)/Sentences", [
            ("Redacted", boolText(redacted)), ("WordTimestamps", boolText(wordTimestamps)), ("PageSize", pageSize.map(String.init)),
        ])
        return PagedSequence(executor: executor, firstURL: url, limit: limit)
    }

    /// `GET /v2/Transcripts/{GT}/Sentences/Encrypted`.
    public func encryptedSentences(of transcriptSID: String, redacted: Bool? = nil) async throws -> EncryptedLocation {
        let sid = try Self.checkSID(transcriptSID, .transcript, "TranscriptSid")
        return try await executor.decode(EncryptedLocation.self, APIRequest(
            method: "GET", url: makeURL(v2, "/Transcripts/\(sid)/Sentences/Encrypted", [("Redacted", boolText(redacted))])))
    }

    /// `GET /v2/Transcripts/{GT}/Media`: a temporary URL of the audio.
    public func media(of transcriptSID: String, redacted: Bool? = nil) async throws -> TranscriptMedia {
        let sid = try Self.checkSID(transcriptSID, .transcript, "TranscriptSid")
        return try await executor.decode(TranscriptMedia.self, APIRequest(
            method: "GET", url: makeURL(v2, "/Transcripts/\(sid)/Media", [("Redacted", boolText(redacted))])))
    }

    /// `GET /v2/Transcripts/{GT}/OperatorResults`.
    public func operatorResults(of transcriptSID: String, redacted: Bool? = nil, pageSize: Int? = nil,
                                limit: Int? = nil) throws(IntelligenceClientError) -> PagedSequence<OperatorResult> {
        let sid = try Self.checkSID(transcriptSID, .transcript, "TranscriptSid")
        try Self.checkPageSize(pageSize, max: 1000)
        let url = makeURL(v2, "/Transcripts/\(sid)/OperatorResults", [("Redacted", boolText(redacted)), ("PageSize", pageSize.map(String.init))])
        return PagedSequence(executor: executor, firstURL: url, limit: limit)
    }

    /// `GET /v2/Transcripts/{GT}/OperatorResults/{LY}`.
    public func operatorResult(of transcriptSID: String, operatorSID: String, redacted: Bool? = nil) async throws -> OperatorResult {
        let sid = try Self.checkSID(transcriptSID, .transcript, "TranscriptSid")
        let operatorSID = try Self.checkSID(operatorSID, .operator, "OperatorSid")
        return try await executor.decode(OperatorResult.self, APIRequest(
            method: "GET", url: makeURL(v2, "/Transcripts/\(sid)/OperatorResults/\(operatorSID)", [("Redacted", boolText(redacted))])))
    }

    /// `GET /v2/Transcripts/{GT}/OperatorResults/Encrypted`.
    public func encryptedOperatorResults(of transcriptSID: String, redacted: Bool? = nil) async throws -> EncryptedLocation {
        let sid = try Self.checkSID(transcriptSID, .transcript, "TranscriptSid")
        return try await executor.decode(EncryptedLocation.self, APIRequest(
            method: "GET", url: makeURL(v2, "/Transcripts/\(sid)/OperatorResults/Encrypted", [("Redacted", boolText(redacted))])))
    }

    static func checkPageSize(_ pageSize: Int?, max: Int) throws(IntelligenceClientError) {
        if let pageSize, !(1...max).contains(pageSize) {
            throw .invalidInput(field: "PageSize", message: "must be 1 to \(max); got \(pageSize)")
        }
    }
}
