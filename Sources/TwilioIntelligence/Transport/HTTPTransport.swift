#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// One HTTP request as the client hands it to a transport: absolute URL, headers and an
/// optional body. Kept free of any HTTP library type so transports can be swapped.
public struct TransportRequest: Sendable, Equatable {
    /// HTTP method, e.g. `GET`, `POST`, `DELETE`.
    public var method: String
    /// Absolute URL, scheme and host included.
    public var url: String
    /// Header fields in sending order.
    public var headers: [(String, String)]
    /// The body bytes, or `nil` for none.
    public var body: [UInt8]?

    /// Creates a request.
    public init(method: String, url: String, headers: [(String, String)], body: [UInt8]?) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
    }

    /// Equal when the serialized forms are equal.
    public static func == (lhs: TransportRequest, rhs: TransportRequest) -> Bool {
        lhs.method == rhs.method && lhs.url == rhs.url && lhs.body == rhs.body
            && lhs.headers.map { "\($0.0): \($0.1)" } == rhs.headers.map { "\($0.0): \($0.1)" }
    }
}

/// The response a transport returns: status, headers (names lower-cased) and the whole body.
public struct TransportResponse: Sendable {
    /// HTTP status code.
    public var status: Int
    /// Header fields with lower-cased names.
    public var headers: [String: String]
    /// The body bytes.
    public var body: [UInt8]

    /// Creates a response.
    public init(status: Int, headers: [String: String], body: [UInt8]) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// The value of header `name` (case-insensitive).
    public func header(_ name: String) -> String? { headers[name.lowercased()] }
}

/// Why a request failed below HTTP. The distinction decides whether a non-idempotent request
/// (creating a transcript) may be re-sent blindly.
public enum TransportFailure: Error, Sendable, CustomStringConvertible {
    /// The request never reached the server (connection refused, DNS, connect timeout): the
    /// server cannot have acted on it.
    case notSent(String)
    /// The request was (or may have been) written but no complete response came back (timeout,
    /// reset, connection closed): the server may have acted on it.
    case ambiguous(String)

    /// A readable rendering of the value.
    public var description: String {
        switch self {
        case .notSent(let reason): "the request could not be sent (\(reason))"
        case .ambiguous(let reason): "no complete response arrived (\(reason)); the server may or may not have acted"
        }
    }
}

/// Sends requests over HTTP. The production implementation is ``AsyncHTTPClientTransport``;
/// the protocol exists so proxies, recorders or alternative stacks can be plugged in.
public protocol HTTPTransport: Sendable {
    /// Sends `request` and returns the complete response, or throws ``TransportFailure``.
    /// - Parameter timeout: the deadline for the whole exchange.
    func send(_ request: TransportRequest, timeout: Duration) async throws -> TransportResponse

    /// Sends `request` and hands a successful (2xx) response's body to `body` piece by piece as
    /// it arrives (each piece valid only during the call: no copy is made), so a large media
    /// file never sits in memory; the returned response then has
    /// an empty `body`. Any other status comes back with its (bounded) body collected, as from
    /// ``send(_:timeout:)``. Throws ``TransportFailure`` when no data arrives for `idleTimeout`
    /// or the connection breaks.
    func receive(_ request: TransportRequest, idleTimeout: Duration,
                 body: @escaping @Sendable (UnsafeRawBufferPointer) throws -> Void) async throws -> TransportResponse
}

extension HTTPTransport {
    /// The default: ``send(_:timeout:)`` (the whole body in memory, `idleTimeout` as the
    /// deadline), then the body in one piece. ``AsyncHTTPClientTransport`` streams instead.
    public func receive(_ request: TransportRequest, idleTimeout: Duration,
                        body: @escaping @Sendable (UnsafeRawBufferPointer) throws -> Void) async throws -> TransportResponse {
        var response = try await send(request, timeout: idleTimeout)
        guard (200..<300).contains(response.status) else { return response }
        try response.body.withUnsafeBytes { try body($0) }
        response.body = []
        return response
    }
}
