import Foundation
import NIOCore
import NIOHTTP1

/// One request as the test server received it, kept for assertions.
struct RecordedRequest: Sendable {
    var method: String
    /// Path and query exactly as sent.
    var uri: String
    /// Header fields in arrival order.
    var headers: [(String, String)]
    var body: [UInt8]

    var path: String { String(uri.split(separator: "?", maxSplits: 1).first ?? "") }
    var query: String? { uri.contains("?") ? String(uri.split(separator: "?", maxSplits: 1)[1]) : nil }
    var bodyText: String { String(decoding: body, as: UTF8.self) }

    func header(_ name: String) -> String? {
        headers.first { $0.0.lowercased() == name.lowercased() }?.1
    }
}

/// A response the server will write.
struct ServerResponse: Sendable {
    var status: Int
    var headers: [(String, String)] = []
    var body: [UInt8] = []
}

/// What the handler does with a request.
enum ServerAction: Sendable {
    case respond(ServerResponse)
    case respondAfter(ServerResponse, TimeAmount)
    case close
    /// Announces the whole body in `Content-Length`, sends `keepBytes` of it, then closes.
    case respondTruncated(ServerResponse, keepBytes: Int)
    /// Announces the whole body, sends `keepBytes` of it, then sends nothing more and keeps the
    /// connection open (a stalled transfer, until the client gives up or the server stops).
    case respondStalled(ServerResponse, keepBytes: Int)
}

/// NIO handler: collects one HTTP/1.1 request, asks the router, writes the answer (now, later,
/// or not at all: closing the connection).
final class ServerHTTPHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let route: @Sendable (RecordedRequest) -> ServerAction
    private var head: HTTPRequestHead?
    private var body: [UInt8] = []

    init(route: @escaping @Sendable (RecordedRequest) -> ServerAction) {
        self.route = route
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
            body = []
        case .body(var buffer):
            body += buffer.readBytes(length: buffer.readableBytes) ?? []
        case .end:
            guard let head else { return }
            let request = RecordedRequest(
                method: head.method.rawValue, uri: head.uri, headers: head.headers.map { ($0.name, $0.value) }, body: body)
            self.head = nil
            switch route(request) {
            case .respond(let response):
                write(response, version: head.version, context: context)
            case .respondAfter(let response, let delay):
                let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
                context.eventLoop.scheduleTask(in: delay) {
                    let (handler, context) = bound.value
                    handler.write(response, version: head.version, context: context)
                }
            case .close:
                context.close(promise: nil)
            case .respondTruncated(let response, let keep):
                write(response, version: head.version, context: context, sendBytes: keep)
            case .respondStalled(let response, let keep):
                write(response, version: head.version, context: context, sendBytes: keep, thenClose: false)
            }
        }
    }

    private func write(_ response: ServerResponse, version: HTTPVersion, context: ChannelHandlerContext, sendBytes: Int? = nil,
                       thenClose: Bool = true) {
        guard context.channel.isActive else { return }
        var headers = HTTPHeaders(response.headers)
        // A HEAD answer keeps the Content-Length it states (that of the GET); others get the body's.
        if !(response.body.isEmpty && headers.contains(name: "Content-Length")) {
            headers.replaceOrAdd(name: "Content-Length", value: String(response.body.count))
        }
        let head = HTTPResponseHead(version: version, status: HTTPResponseStatus(statusCode: response.status), headers: headers)
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        if let sendBytes {
            // A truncated answer: the body stops short and the connection closes (or, stalled,
            // stays open), no end.
            let bound = NIOLoopBound(context, eventLoop: context.eventLoop)
            context.writeAndFlush(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(bytes: response.body.prefix(sendBytes)))))).whenComplete { _ in
                if thenClose { bound.value.close(promise: nil) }
            }
            return
        }
        if !response.body.isEmpty {
            context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(bytes: response.body)))), promise: nil)
        }
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}
