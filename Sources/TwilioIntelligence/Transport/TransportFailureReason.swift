import AsyncHTTPClient
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import NIOCore
import NIOPosix

/// Turns what the HTTP stack threw into a ``TransportFailure`` whose text says, in plain words,
/// what happened and where (`connection refused by 127.0.0.1:9`, `cannot resolve host
/// example.invalid`) instead of NIO's `connection reset (error set): Connection refused
/// (errno: 111))`, and whether the request can have reached the server.
enum TransportFailureReason {
    static func failure(for error: any Error, url: String) -> TransportFailure {
        let components = URLComponents(string: url)
        let scheme = components?.scheme?.lowercased() ?? "https"
        let host = components?.host ?? "the server"
        let place = "\(host):\(components?.port ?? (scheme == "http" ? 80 : 443))"
        return failure(for: error, host: host, place: place, tls: scheme == "https")
    }

    private static func failure(for error: any Error, host: String, place: String, tls: Bool) -> TransportFailure {
        if let connection = error as? NIOConnectionError {
            if let first = connection.connectionErrors.first {
                return failure(for: first.error, host: host, place: place, tls: tls)
            }
            if connection.dnsAError != nil || connection.dnsAAAAError != nil {
                return .notSent("cannot resolve host \(host); check the name in the URL and the network's DNS")
            }
            return .notSent("cannot connect to \(place)")
        }
        if let address = error as? SocketAddressError, case .unknown = address {
            return .notSent("cannot resolve host \(host); check the name in the URL and the network's DNS")
        }
        if let io = error as? IOError {
            switch io.errnoCode {
            case ECONNREFUSED: return .notSent("connection refused by \(place): nothing listens there; check the URL's host and port")
            case ENETUNREACH, EHOSTUNREACH: return .notSent("\(place) is unreachable from this machine; check the network")
            case ETIMEDOUT: return .notSent("no connection to \(place) in time; check the network")
            case ECONNRESET, EPIPE: return .ambiguous("\(place) closed the connection while the request was under way")
            default: return .ambiguous("the connection to \(place) failed: \(String(cString: strerror(io.errnoCode)).lowercased())")
            }
        }
        if let client = error as? HTTPClientError {
            switch client {
            case .connectTimeout: return .notSent("no connection to \(place) within the connect timeout; check the network")
            case .getConnectionFromPoolTimeout: return .notSent("no free connection to \(place) in time")
            case .tlsHandshakeTimeout: return .notSent("the TLS handshake with \(place) did not finish in time")
            case .invalidURL, .emptyHost, .emptyScheme: return .notSent("the URL is not usable (\(client))")
            case .alreadyShutdown: return .notSent("the HTTP client was already shut down")
            case .readTimeout, .deadlineExceeded: return .ambiguous("no answer from \(place) within the request timeout")
            case .remoteConnectionClosed: return .ambiguous("\(place) closed the connection without answering")
            default: break
            }
        }
        let text = String(describing: error)
        if text.contains("SSL") || text.contains("TLS") || text.contains("handshake") || text.contains("certificate") {
            return tls
                ? .notSent("the TLS connection to \(place) failed (\(text)); check that it serves https with a valid certificate")
                : .notSent("the connection to \(place) failed (\(text))")
        }
        if text.contains("Connection refused") || text.contains("connectionRefused") {
            return .notSent("connection refused by \(place): nothing listens there; check the URL's host and port")
        }
        if text.contains("UnknownHost") || text.contains("DNS") {
            return .notSent("cannot resolve host \(host); check the name in the URL and the network's DNS")
        }
        return .ambiguous("the exchange with \(place) failed (\(text))")
    }
}
