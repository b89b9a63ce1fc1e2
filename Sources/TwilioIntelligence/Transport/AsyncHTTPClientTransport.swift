import AsyncHTTPClient
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import NIOCore
import NIOHTTP1

/// ``HTTPTransport`` over AsyncHTTPClient: pooled keep-alive connections, TLS, redirects never
/// followed (so credentials are never forwarded to another host), bounded response size.
///
/// Owns its `HTTPClient`; call ``shutdown()`` when done.
public final class AsyncHTTPClientTransport: HTTPTransport {
    private let client: HTTPClient
    /// Largest response body accepted, in bytes.
    public let maxResponseBytes: Int

    /// Creates a transport with its own connection pool.
    /// - Parameters:
    ///   - connectTimeout: how long to wait for a TCP/TLS connection.
    ///   - maxResponseBytes: responses larger than this are refused (default 64 MiB).
    public init(connectTimeout: Duration = .seconds(10), maxResponseBytes: Int = 64 << 20) {
        var configuration = HTTPClient.Configuration()
        configuration.redirectConfiguration = .disallow
        configuration.timeout = .init(connect: .nanoseconds(connectTimeout.nanosecondsClamped))
        configuration.decompression = .enabled(limit: .ratio(50))
        client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        self.maxResponseBytes = maxResponseBytes
    }

    /// Closes pooled connections. Call once, after the last request.
    public func shutdown() async throws {
        try await client.shutdown()
    }

    /// Sends the request over the pooled connection and collects the whole response body.
    public func send(_ request: TransportRequest, timeout: Duration) async throws -> TransportResponse {
        // AsyncHTTPClient enforces the deadline too; the race below makes sure a response that
        // is late for any reason (a busy event loop, a slow body) still ends the wait on time.
        try await withThrowingTaskGroup(of: TransportResponse.self) { group in
            group.addTask { try await self.perform(request, timeout: timeout) }
            group.addTask {
                try await Task.sleep(for: timeout)
                throw TransportFailure.ambiguous("no complete answer within \(timeout)")
            }
            defer { group.cancelAll() }
            guard let first = try await group.next() else { throw TransportFailure.ambiguous("no response") }
            return first
        }
    }

    private func perform(_ request: TransportRequest, timeout: Duration) async throws -> TransportResponse {
        var httpRequest = HTTPClientRequest(url: request.url)
        httpRequest.method = HTTPMethod(rawValue: request.method)
        for (name, value) in request.headers {
            httpRequest.headers.add(name: name, value: value)
        }
        if let body = request.body {
            httpRequest.body = .bytes(ByteBuffer(bytes: body))
        }
        do {
            let response = try await client.execute(httpRequest, timeout: .nanoseconds(timeout.nanosecondsClamped))
            let buffer = try await response.body.collect(upTo: maxResponseBytes)
            var headers: [String: String] = [:]
            for (name, value) in response.headers {
                headers[name.lowercased()] = value
            }
            return TransportResponse(
                status: Int(response.status.code), headers: headers, body: Array(buffer.readableBytesView))
        } catch let failure as TransportFailure {
            throw failure
        } catch {
            throw Self.classify(error, url: request.url)
        }
    }

    /// Streams a 2xx body to `sink` chunk by chunk; a watchdog ends the exchange when nothing
    /// arrives for `idleTimeout` (so a long download is not cut by a fixed deadline, and a
    /// stalled one does not hang).
    public func receive(_ request: TransportRequest, idleTimeout: Duration,
                        body sink: @escaping @Sendable (UnsafeRawBufferPointer) throws -> Void) async throws -> TransportResponse {
        let activity = TransferActivity()
        return try await withThrowingTaskGroup(of: TransportResponse.self) { group in
            group.addTask { try await self.stream(request, activity: activity, sink: sink) }
            group.addTask {
                let tick = min(idleTimeout, .milliseconds(250))
                while true {
                    try await Task.sleep(for: tick)
                    if activity.idleFor > idleTimeout {
                        throw TransportFailure.ambiguous("no data for \(idleTimeout)")
                    }
                }
            }
            defer { group.cancelAll() }
            guard let first = try await group.next() else { throw TransportFailure.ambiguous("no response") }
            return first
        }
    }

    private func stream(_ request: TransportRequest, activity: TransferActivity,
                        sink: @Sendable (UnsafeRawBufferPointer) throws -> Void) async throws -> TransportResponse {
        var httpRequest = HTTPClientRequest(url: request.url)
        httpRequest.method = HTTPMethod(rawValue: request.method)
        for (name, value) in request.headers {
            httpRequest.headers.add(name: name, value: value)
        }
        do {
            let response = try await client.execute(httpRequest, deadline: .distantFuture)
            activity.touch()
            var headers: [String: String] = [:]
            for (name, value) in response.headers {
                headers[name.lowercased()] = value
            }
            let status = Int(response.status.code)
            var kept: [UInt8] = []
            for try await chunk in response.body {
                activity.touch()
                if (200..<300).contains(status) {
                    do { try chunk.withUnsafeReadableBytes { try sink($0) } } catch { throw BodySinkFailure(underlying: error) }
                } else if kept.count < Self.errorBodyLimit {
                    // An error or redirect body is small; more than the limit is dropped.
                    kept += chunk.readableBytesView.prefix(Self.errorBodyLimit - kept.count)
                }
            }
            return TransportResponse(status: status, headers: headers, body: kept)
        } catch let failure as TransportFailure {
            throw failure
        } catch is CancellationError {
            throw CancellationError()
        } catch let failure as BodySinkFailure {
            // The receiver's own failure (a full disk), not the network's.
            throw failure.underlying
        } catch {
            throw Self.classify(error, url: request.url)
        }
    }

    /// The most of a non-2xx body ``receive(_:idleTimeout:body:)`` keeps.
    static let errorBodyLimit = 64 << 10

    /// Sorts a failure into "never sent" or "may have been acted on", in plain words.
    static func classify(_ error: any Error, url: String) -> TransportFailure {
        TransportFailureReason.failure(for: error, url: url)
    }
}

extension Duration {
    /// The duration in whole nanoseconds, clamped to `Int64`.
    var nanosecondsClamped: Int64 {
        let (seconds, attoseconds) = components
        let (scaled, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        if overflow { return seconds < 0 ? .min : .max }
        return scaled + attoseconds / 1_000_000_000
    }
}
