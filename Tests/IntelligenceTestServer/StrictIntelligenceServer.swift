import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
@testable import IntelligenceTestServer

/// A strict local stand-in for Twilio Conversational Intelligence v2 and Insights v3, bound
/// to 127.0.0.1 on an ephemeral port. It enforces what the real API enforces (Basic auth,
/// form encoding, exact parameter names and patterns, Channel JSON rules, paging meta, Twilio
/// error bodies) and injects faults on demand. See ``ServerState`` for the behaviour.
final class StrictIntelligenceServer: Sendable {
    let state: ServerState
    private let channel: any Channel
    /// `http://127.0.0.1:<port>`.
    let baseURL: String

    static let accountSID = "ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
    static let authToken = "test_auth_token_0123456789abcdef"
    static let serviceSID = "GAbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"

    private init(state: ServerState, channel: any Channel, baseURL: String) {
        self.state = state
        self.channel = channel
        self.baseURL = baseURL
    }

    /// Starts a server with one account (`accountSID`/`authToken`) and one service (`serviceSID`).
    static func start() async throws -> StrictIntelligenceServer {
        let state = ServerState(accountSID: accountSID, authToken: authToken)
        state.addService(sid: serviceSID, uniqueName: "call-notes")
        let bootstrap = ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                    try channel.pipeline.syncOperations.addHandler(ServerHTTPHandler(route: { state.handle($0) }))
                }
            }
        let channel = try await bootstrap.bind(host: "127.0.0.1", port: 0).get()
        guard let port = channel.localAddress?.port else { throw ChannelError.inputClosed }
        let baseURL = "http://127.0.0.1:\(port)"
        state.setBaseURL(baseURL)
        return StrictIntelligenceServer(state: state, channel: channel, baseURL: baseURL)
    }

    /// Stops listening.
    func stop() async throws {
        try await channel.close()
    }
}
