import Foundation
import NIOCore

/// The test server's data and rules. All access goes through `lock`; route handlers run on
/// NIO event loops.
final class ServerState: @unchecked Sendable {
    private let lock = NSLock()
    let accountSID: String
    let authToken: String
    private(set) var baseURL = ""

    // Data (guarded by lock).
    var services: [[String: Any]] = []
    var transcripts: [[String: Any]] = []
    var transcriptCreatedAt: [String: Date] = [:]
    var transcriptPolls: [String: Int] = [:]
    var customOperators: [[String: Any]] = []
    var attachedOperators: [String: [String]] = [:]
    var recorded: [RecordedRequest] = []
    var faults: [FaultRule] = []
    var sidCounter = 0
    // Video and Voice data (guarded by lock).
    var videoRooms: [String: [String: Any]] = [:]
    var videoParticipants: [String: [[String: Any]]] = [:]
    var videoRecordings: [[String: Any]] = []
    var compositions: [String: [String: Any]] = [:]
    var voiceRecordings: [[String: Any]] = []
    /// Media bytes by key: `RT…`, `CJ…`, `RE….wav/2`.
    var mediaFiles: [String: [UInt8]] = [:]
    /// Signed URLs issued: token → media key and expiry.
    var signedURLs: [String: (key: String, expires: Date)] = [:]
    var mediaHostRequests: [RecordedRequest] = []
    /// Requests that reached the media host with an Authorization header (must stay empty).
    var credentialLeaks: [RecordedRequest] = []
    var mediaHostFaults: [MediaHostFault] = []
    /// `http://127.0.0.1:<port>` of the media host.
    private(set) var mediaHostURL = ""

    // Behaviour knobs (guarded by lock).
    /// Fetches of a transcript before it leaves `queued` / reaches its final status.
    var pollsToComplete = 2
    /// The status a transcript ends in.
    var finalStatus = "completed"
    /// Sentences each completed transcript has.
    var sentencesPerTranscript = 5
    /// The size `/media/…` says it has (HEAD's Content-Length, the ranged GET's Content-Range).
    var mediaSizeBytes = 1000
    /// How long a signed media URL stays valid.
    var signedURLLifetime: TimeInterval = 60
    /// Signed URLs still to be issued already expired.
    var expireNextSignedURLs = 0
    /// A buggy or hostile list endpoint: how `meta.next_page_url` is bent (nil: honest paging).
    var pagingFault: PagingFault?

    /// An API key of the account, accepted like the auth token.
    static let apiKeySID = "SK" + String(repeating: "c", count: 32)
    static let apiKeySecret = "test_api_secret_fedcba9876543210"

    init(accountSID: String, authToken: String) {
        self.accountSID = accountSID
        self.authToken = authToken
    }

    func withLock<T>(_ body: () throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }

    func setBaseURL(_ url: String) { withLock { baseURL = url } }
    func setMediaHostURL(_ url: String) { withLock { mediaHostURL = url } }

    // MARK: - Test controls

    func inject(_ fault: ServerFault, method: String, path: String, times: Int = 1, skip: Int = 0) {
        withLock { faults.append(FaultRule(method: method, path: path, fault: fault, remaining: times, skip: skip)) }
    }

    var requests: [RecordedRequest] { withLock { recorded } }
    var transcriptCount: Int { withLock { transcripts.count } }
    var allTranscripts: [[String: Any]] { withLock { transcripts } }

    func configure(_ body: (ServerState) -> Void) { withLock { body(self) } }

    func addService(sid: String, uniqueName: String) {
        withLock { services.append(serviceRecord(sid: sid, form: ["UniqueName": uniqueName])) }
    }

    func nextSID(_ prefix: String) -> String {
        sidCounter += 1
        return prefix + String(format: "%032x", sidCounter)
    }

    // MARK: - Dispatch

    func handle(_ request: RecordedRequest) -> ServerAction {
        withLock {
            recorded.append(request)
            if request.path.hasPrefix("/media/") { return .respond(publicMedia(request)) }
            guard authorized(request) else {
                return .respond(error(401, 20003, "Authenticate"))
            }
            var fault: ServerFault?
            if let index = faults.firstIndex(where: { $0.method == request.method && $0.path == request.path && $0.remaining > 0 }) {
                if faults[index].skip > 0 {
                    faults[index].skip -= 1
                } else {
                    faults[index].remaining -= 1
                    fault = faults[index].fault
                }
            }
            switch fault {
            case .tooManyRequests(let retryAfter)?:
                var response = error(429, 20429, "Too Many Requests")
                if let retryAfter { response.headers.append(("Retry-After", retryAfter)) }
                return .respond(response)
            case .errorBeforeActing(let status)?:
                return .respond(error(status, 20500, "Internal Server Error (before acting)"))
            case .dropBeforeActing?:
                return .close
            case .errorAfterActing(let status)?:
                _ = route(request)
                return .respond(error(status, 20500, "Internal Server Error (after acting)"))
            case .slowAfterActing(let delay)?:
                return .respondAfter(route(request), delay)
            case .dropAfterActing?:
                _ = route(request)
                return .close
            case nil:
                return .respond(route(request))
            }
        }
    }

    /// Public media for the CLI's reachability check: no auth; `/media/missing…` answers 404.
    private func publicMedia(_ request: RecordedRequest) -> ServerResponse {
        if request.path.hasPrefix("/media/missing") { return ServerResponse(status: 404) }
        // Like some object stores: HEAD refused, ranged GET allowed.
        if request.path.hasPrefix("/media/no-head"), request.method == "HEAD" { return ServerResponse(status: 405) }
        if request.method == "GET", request.header("Range") == "bytes=0-0" {
            return ServerResponse(status: 206, headers: [("Content-Range", "bytes 0-0/\(mediaSizeBytes)")], body: [0x66])
        }
        if request.method == "HEAD" {
            // A HEAD answer announces the length a GET would have, and has no body.
            return ServerResponse(status: 200, headers: [("Content-Type", "audio/flac"), ("Content-Length", String(mediaSizeBytes))], body: [])
        }
        return ServerResponse(status: 200, headers: [("Content-Type", "audio/flac")], body: [0x66])
    }

    private func authorized(_ request: RecordedRequest) -> Bool {
        guard let header = request.header("Authorization"), header.hasPrefix("Basic "),
              let decoded = Data(base64Encoded: String(header.dropFirst(6))) else { return false }
        let pair = String(decoding: decoded, as: UTF8.self)
        return pair == "\(accountSID):\(authToken)" || pair == "\(Self.apiKeySID):\(Self.apiKeySecret)"
    }

    /// Routes an authorized request (lock held).
    private func route(_ request: RecordedRequest) -> ServerResponse {
        let parts = request.path.split(separator: "/").map(String.init)
        guard let query = ServerForm.decode(request.query ?? "") else {
            return error(400, 20001, "Malformed query string")
        }
        var form: [(String, String)] = []
        if request.method == "POST", parts.first == "v2" {
            guard request.header("Content-Type") == "application/x-www-form-urlencoded" || request.body.isEmpty else {
                return error(400, 20001, "Content-Type must be application/x-www-form-urlencoded")
            }
            guard let decoded = ServerForm.decode(request.bodyText) else { return error(400, 20001, "Malformed form body") }
            form = decoded
        }
        let call = Call(method: request.method, parts: parts, query: query, form: form, request: request)
        switch (parts.first, parts.dropFirst().first) {
        case ("v2", "Transcripts"): return routeTranscripts(call)
        case ("v2", "Services"): return routeServices(call)
        case ("v2", "Operators"), ("v2", "OperatorTypes"): return routeOperators(call)
        case ("v3", _): return routeInsights(call)
        case ("v1", _): return routeVideo(call)
        case ("2010-04-01", _): return routeVoice(call)
        default: return error(404, 20404, "The requested resource \(request.path) was not found")
        }
    }

    /// A parsed request.
    struct Call {
        var method: String
        var parts: [String]
        var query: [(String, String)]
        var form: [(String, String)]
        var request: RecordedRequest

        func queryValue(_ name: String) -> String? { query.first { $0.0 == name }?.1 }
        func formValue(_ name: String) -> String? { form.first { $0.0 == name }?.1 }
    }

    // MARK: - Shared rules

    /// Refuses parameters outside `allowed` and duplicates.
    func checkNames(_ pairs: [(String, String)], allowed: Set<String>) -> ServerResponse? {
        var seen = Set<String>()
        for (name, _) in pairs {
            guard allowed.contains(name) else { return error(400, 20001, "Invalid parameter: \(name)") }
            guard seen.insert(name).inserted else { return error(400, 20001, "Duplicate parameter: \(name)") }
        }
        return nil
    }

    func checkBool(_ value: String?, _ name: String) -> ServerResponse? {
        guard let value else { return nil }
        return ["true", "false"].contains(value) ? nil : error(400, 20001, "\(name) must be true or false")
    }

    /// Paginates `records` per `PageSize`/`PageToken`, building Twilio's `meta`.
    func page(_ records: [[String: Any]], key: String, call: Call, maxPageSize: Int, filters: [(String, String)]) -> ServerResponse {
        let pageSizeText = call.queryValue("PageSize") ?? "50"
        guard let pageSize = Int(pageSizeText), (1...maxPageSize).contains(pageSize) else {
            return error(400, 20001, "PageSize must be between 1 and \(maxPageSize)")
        }
        var offset = 0
        if let token = call.queryValue("PageToken") {
            guard token.hasPrefix("PT"), let value = Int(token.dropFirst(2)), value >= 0 else { return error(400, 20001, "Invalid PageToken") }
            offset = value
        }
        let pageNumber = Int(call.queryValue("Page") ?? "0") ?? 0
        let slice = Array(records.dropFirst(offset).prefix(pageSize))
        let path = baseURL + "/" + call.parts.joined(separator: "/")
        func url(page: Int, token: Int?) -> String {
            var pairs = filters + [("PageSize", String(pageSize)), ("Page", String(page))]
            if let token { pairs.append(("PageToken", "PT\(token)")) }
            return path + "?" + ServerForm.encode(pairs)
        }
        let hasNext = offset + pageSize < records.count
        var nextURL: Any = hasNext ? url(page: pageNumber + 1, token: offset + pageSize) : NSNull()
        switch pagingFault {
        case nil: break
        case .nextPageURL(let replacement):
            nextURL = replacement
        case .endlessEmptyPages:
            // Past the last record the pages are empty, yet each names a new next page.
            nextURL = url(page: pageNumber + 1, token: offset + pageSize)
        case .sameNextPage:
            nextURL = url(page: pageNumber, token: offset == 0 ? nil : offset)
        }
        let meta: [String: Any] = [
            "key": key, "page": pageNumber, "page_size": pageSize,
            "first_page_url": url(page: 0, token: nil),
            "previous_page_url": pageNumber > 0 ? url(page: pageNumber - 1, token: max(0, offset - pageSize)) : NSNull(),
            "next_page_url": nextURL,
            "url": url(page: pageNumber, token: offset == 0 ? nil : offset),
        ]
        return json(200, [key: slice, "meta": meta])
    }

    func json(_ status: Int, _ object: Any) -> ServerResponse {
        let body = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
        return ServerResponse(status: status, headers: commonHeaders(), body: Array(body))
    }

    func error(_ status: Int, _ code: Int, _ message: String) -> ServerResponse {
        json(status, ["code": code, "message": message, "more_info": "https://www.twilio.com/docs/errors/\(code)", "status": status])
    }

    func commonHeaders() -> [(String, String)] {
        sidCounter += 1
        return [("Content-Type", "application/json"), ("Twilio-Request-Id", "RQ" + String(format: "%032x", sidCounter))]
    }
}
