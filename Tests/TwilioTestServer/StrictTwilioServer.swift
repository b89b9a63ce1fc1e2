import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

/// A strict local stand-in for Twilio: Conversational Intelligence v2, Insights v3, Video v1
/// (Rooms, Participants, Recordings, Compositions, Media) and Voice Recordings (2010-04-01),
/// bound to 127.0.0.1 on an ephemeral port. It enforces what the real API enforces (Basic auth,
/// form encoding, exact parameter names and patterns, Channel JSON rules, paging meta, Twilio
/// error bodies) and injects faults on demand. See ``ServerState`` for the behaviour.
///
/// Media endpoints redirect to a second listener, the media host (another port, so another
/// origin), which serves signed URLs that expire and refuses, and records, any request that
/// carries an `Authorization` header.
final class StrictTwilioServer: Sendable {
    let state: ServerState
    private let channel: any Channel
    private let mediaChannel: any Channel
    /// `http://127.0.0.1:<port>`.
    let baseURL: String
    /// `http://127.0.0.1:<other port>`: where signed media URLs point.
    let mediaHostURL: String

    static let accountSID = "ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
    static let authToken = "test_auth_token_0123456789abcdef"
    static let serviceSID = "GAbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"

    private init(state: ServerState, channel: any Channel, baseURL: String, mediaChannel: any Channel, mediaHostURL: String) {
        self.state = state
        self.channel = channel
        self.baseURL = baseURL
        self.mediaChannel = mediaChannel
        self.mediaHostURL = mediaHostURL
    }

    /// Starts a server with one account (`accountSID`/`authToken`) and one service (`serviceSID`).
    static func start() async throws -> StrictTwilioServer {
        let state = ServerState(accountSID: accountSID, authToken: authToken)
        state.addService(sid: serviceSID, uniqueName: "call-notes")
        let (channel, baseURL) = try await listen { state.handle($0) }
        let (mediaChannel, mediaHostURL) = try await listen { state.handleMedia($0) }
        state.setBaseURL(baseURL)
        state.setMediaHostURL(mediaHostURL)
        return StrictTwilioServer(state: state, channel: channel, baseURL: baseURL, mediaChannel: mediaChannel, mediaHostURL: mediaHostURL)
    }

    /// A listener on 127.0.0.1, an ephemeral port, answering with `route`.
    private static func listen(_ route: @escaping @Sendable (RecordedRequest) -> ServerAction) async throws -> (any Channel, String) {
        let bootstrap = ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                    try channel.pipeline.syncOperations.addHandler(ServerHTTPHandler(route: route))
                }
            }
        let channel = try await bootstrap.bind(host: "127.0.0.1", port: 0).get()
        guard let port = channel.localAddress?.port else { throw ChannelError.inputClosed }
        return (channel, "http://127.0.0.1:\(port)")
    }

    /// Stops listening.
    func stop() async throws {
        try await channel.close()
        try await mediaChannel.close()
    }
}
