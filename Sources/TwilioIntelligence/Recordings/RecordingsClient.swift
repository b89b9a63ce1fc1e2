#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Typed client for where call audio comes from: Video Rooms, their Participants and track
/// Recordings, Compositions (Video v1, `https://video.twilio.com`) and Voice Recordings
/// (`https://api.twilio.com/2010-04-01`), and the download of their media.
///
/// It shares ``IntelligenceClient``'s machinery: the same ``ClientConfiguration`` (credentials,
/// edge/region, timeouts), ``RetryPolicy``, ``HTTPTransport`` and ``PagedSequence`` (which
/// follows Video's `meta.next_page_url` and the 2010-04-01 API's `next_page_uri` on the first
/// page's host only).
public struct RecordingsClient: Sendable {
    /// The configuration in use.
    public let configuration: ClientConfiguration
    let executor: RequestExecutor

    /// Creates a client.
    /// - Parameters:
    ///   - transport: how requests travel (``AsyncHTTPClientTransport`` in production).
    ///   - observer: receives one line per request/response/retry (for `--verbose`); never
    ///     receives credentials or a signed URL's query.
    public init(configuration: ClientConfiguration, transport: any HTTPTransport, observer: (@Sendable (String) -> Void)? = nil) {
        executor = RequestExecutor(configuration: configuration, transport: transport, sleeper: { try await Task.sleep(for: $0) },
                                   random: { Double.random(in: 0..<1) }, observer: observer)
        self.configuration = configuration
    }

    /// `https://video…/v1`.
    var v1: String { configuration.resolvedVideoBase + "/v1" }

    /// `https://api…/2010-04-01/Accounts/{AccountSid}`.
    var account: String { configuration.resolvedAPIBase + "/2010-04-01/Accounts/" + configuration.credentials.accountSID }

    /// `GET /v1/Rooms/{Sid}`.
    public func room(_ sid: String) async throws -> VideoRoom {
        let sid = try IntelligenceClient.checkSID(sid, .room, "RoomSid")
        return try await executor.decode(VideoRoom.self, APIRequest(method: "GET", url: v1 + "/Rooms/" + sid))
    }

    /// `GET /v1/Rooms/{RoomSid}/Recordings`, every page (audio, video and data tracks alike).
    public func roomRecordings(_ roomSID: String, pageSize: Int = 100) throws(IntelligenceClientError) -> PagedSequence<VideoRecording> {
        let room = try IntelligenceClient.checkSID(roomSID, .room, "RoomSid")
        try IntelligenceClient.checkPageSize(pageSize, max: 1000)
        return PagedSequence(executor: executor, firstURL: makeURL(v1, "/Rooms/\(room)/Recordings", [("PageSize", String(pageSize))]), limit: nil)
    }

    /// `GET /v1/Rooms/{RoomSid}/Participants?Status=…`, every page. Twilio lists only
    /// `connected` participants unless asked; ``allParticipants(ofRoom:)`` asks for both.
    public func roomParticipants(_ roomSID: String, status: VideoParticipant.Status, pageSize: Int = 100) throws(IntelligenceClientError) -> PagedSequence<VideoParticipant> {
        let room = try IntelligenceClient.checkSID(roomSID, .room, "RoomSid")
        try IntelligenceClient.checkPageSize(pageSize, max: 1000)
        return PagedSequence(executor: executor, firstURL: makeURL(v1, "/Rooms/\(room)/Participants", [("Status", status.rawValue), ("PageSize", String(pageSize))]), limit: nil)
    }

    /// Everyone who was in the room: the `connected` and the `disconnected` participants,
    /// each once, in join order (`start_time`, then SID). The two lists are read at once (a
    /// round trip less); someone in both (who left between the two reads) counts once.
    public func allParticipants(ofRoom roomSID: String) async throws -> [VideoParticipant] {
        async let connected = roomParticipants(roomSID, status: .connected).collect()
        let disconnected = try await roomParticipants(roomSID, status: .disconnected).collect()
        var bySID: [String: VideoParticipant] = [:]
        for participant in try await connected + disconnected where bySID[participant.sid] == nil {
            bySID[participant.sid] = participant
        }
        return bySID.values.sorted { ($0.startTime ?? "", $0.sid) < ($1.startTime ?? "", $1.sid) }
    }

    /// `GET /v1/Recordings/{Sid}`: a track recording (`RT…`).
    public func trackRecording(_ sid: String) async throws -> VideoRecording {
        let sid = try IntelligenceClient.checkSID(sid, .trackRecording, "RecordingSid")
        return try await executor.decode(VideoRecording.self, APIRequest(method: "GET", url: v1 + "/Recordings/" + sid))
    }

    /// `GET /v1/Compositions/{Sid}` (`CJ…`).
    public func composition(_ sid: String) async throws -> VideoComposition {
        let sid = try IntelligenceClient.checkSID(sid, .composition, "CompositionSid")
        return try await executor.decode(VideoComposition.self, APIRequest(method: "GET", url: v1 + "/Compositions/" + sid))
    }

    /// `GET /2010-04-01/Accounts/{AccountSid}/Recordings/{Sid}.json` (`RE…`).
    public func voiceRecording(_ sid: String) async throws -> VoiceRecording {
        let sid = try IntelligenceClient.checkSID(sid, .recording, "RecordingSid")
        return try await executor.decode(VoiceRecording.self, APIRequest(method: "GET", url: account + "/Recordings/\(sid).json"))
    }

    /// `GET /2010-04-01/Accounts/{AccountSid}/Recordings.json`, every page (`next_page_uri`),
    /// optionally only one call's.
    public func voiceRecordings(callSID: String? = nil, pageSize: Int = 100) throws(IntelligenceClientError) -> PagedSequence<VoiceRecording> {
        try IntelligenceClient.checkPageSize(pageSize, max: 1000)
        if let callSID { try SIDPattern(prefix: "CA").validate(callSID, field: "CallSid") }
        return PagedSequence(executor: executor, firstURL: makeURL(account, "/Recordings.json", [("CallSid", callSID), ("PageSize", String(pageSize))]), limit: nil)
    }

    /// The URL of a media endpoint.
    public func url(of media: MediaLocation) throws(IntelligenceClientError) -> String {
        switch media {
        case .roomRecording(let room, let recording):
            return v1 + "/Rooms/\(try IntelligenceClient.checkSID(room, .room, "RoomSid"))/Recordings/\(try IntelligenceClient.checkSID(recording, .trackRecording, "RecordingSid"))/Media"
        case .trackRecording(let sid):
            return v1 + "/Recordings/\(try IntelligenceClient.checkSID(sid, .trackRecording, "RecordingSid"))/Media"
        case .composition(let sid):
            return v1 + "/Compositions/\(try IntelligenceClient.checkSID(sid, .composition, "CompositionSid"))/Media"
        case .voiceRecording(let sid, let format, let channels):
            let sid = try IntelligenceClient.checkSID(sid, .recording, "RecordingSid")
            guard (1...2).contains(channels) else { throw .invalidInput(field: "RequestedChannels", message: "must be 1 or 2; got \(channels)") }
            return makeURL(account, "/Recordings/\(sid).\(format.rawValue)", [("RequestedChannels", channels == 2 ? "2" : nil)])
        }
    }

    /// Downloads `media` to `path` (see ``MediaDownloader``): streamed into a partial file beside
    /// it, renamed when complete; the size checked against `expectedBytes` (the resource's
    /// `size`) when known; an existing file of exactly that size is kept unless `reuseExisting`
    /// is `false`. The signed URL Twilio redirects to is fetched without credentials, and only
    /// over https unless `allowHTTP`. The file is flushed to disk (`fsync`) before it is renamed
    /// into place; pass `flushToDisk: false` for a file read once and deleted (a temporary
    /// folder), where a power cut loses nothing worth keeping.
    public func download(_ media: MediaLocation, to path: String, expectedBytes: Int64?, allowHTTP: Bool = false,
                         reuseExisting: Bool = true, flushToDisk: Bool = true) async throws -> MediaDownload {
        try await MediaDownloader(executor: executor, flushToDisk: flushToDisk).download(
            from: try url(of: media), sid: media.sid, to: path, expectedBytes: expectedBytes, allowHTTP: allowHTTP, reuseExisting: reuseExisting)
    }
}
