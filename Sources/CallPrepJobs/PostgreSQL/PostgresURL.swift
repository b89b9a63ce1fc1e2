#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A `postgres://USER:PASSWORD@HOST:PORT/DATABASE?sslmode=MODE[&sslrootcert=PATH]` URL, taken
/// apart and checked. `sslmode` means what it means to libpq: `disable` (never TLS), `prefer`
/// (the default: TLS when the server offers it), `require` (TLS or no connection; the server's
/// certificate is not checked, so it protects against listening, not against a server posing as
/// yours), `verify-ca` (TLS with a certificate signed by a trusted CA) and `verify-full` (that,
/// and the certificate names the host). The CA is `sslrootcert`'s PEM file, else the system's
/// trust roots. The password is never part of ``redacted``.
public struct PostgresURL: Sendable, Hashable {
    public enum TLSMode: String, Sendable, Hashable {
        case disable, prefer, require
        case verifyCA = "verify-ca"
        case verifyFull = "verify-full"
    }

    public var host: String
    public var port: Int
    public var user: String
    public var password: String?
    public var database: String?
    public var tls: TLSMode
    /// `sslrootcert`: a PEM file of the CA certificates that `verify-ca`/`verify-full` trust.
    public var rootCertificatePath: String?

    /// Parses `text`; throws `invalid_argument` naming what is wrong (never the password).
    public init(_ text: String) throws(JobStoreError) {
        let lower = text.lowercased()
        guard lower.hasPrefix("postgres://") || lower.hasPrefix("postgresql://"),
              let components = URLComponents(string: text), let host = components.host, !host.isEmpty
        else {
            throw JobStoreError(code: .invalidArgument, message: "not a PostgreSQL URL; write postgres://USER:PASSWORD@HOST:5432/DATABASE")
        }
        guard let user = components.user, !user.isEmpty else {
            throw JobStoreError(code: .invalidArgument, message: "the PostgreSQL URL names no user; write postgres://USER@\(host)/DATABASE")
        }
        let port = components.port ?? 5432
        guard (1...65535).contains(port) else {
            throw JobStoreError(code: .invalidArgument, message: "the PostgreSQL port must be 1 to 65535")
        }
        var tls = TLSMode.prefer
        var rootCertificate: String?
        for item in components.queryItems ?? [] {
            switch (item.name, item.value ?? "") {
            case ("sslmode", "allow"): tls = .prefer
            case ("sslmode", let mode):
                guard let known = TLSMode(rawValue: mode) else {
                    throw JobStoreError(code: .invalidArgument, message: "sslmode=\(mode) is not one of disable, prefer, require, verify-ca, verify-full")
                }
                tls = known
            case ("sslrootcert", let path) where !path.isEmpty:
                rootCertificate = path
            default:
                throw JobStoreError(code: .invalidArgument, message: "the PostgreSQL URL parameter \"\(item.name)\" is not supported (only sslmode and sslrootcert)")
            }
        }
        if rootCertificate != nil, tls != .verifyCA, tls != .verifyFull {
            throw JobStoreError(code: .invalidArgument, message: "sslrootcert is used by sslmode=verify-ca or verify-full only; add one of them")
        }
        let path = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        self.host = host
        self.port = port
        self.user = user
        self.password = components.password
        self.database = path.isEmpty ? nil : path
        self.tls = tls
        self.rootCertificatePath = rootCertificate
    }

    /// `postgres://USER@HOST:PORT/DATABASE` without the password, for messages.
    public var redacted: String {
        "postgres://\(user)@\(host):\(port)/\(database ?? "")"
    }
}
