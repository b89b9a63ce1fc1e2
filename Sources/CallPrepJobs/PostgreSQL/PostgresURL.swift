#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A `postgres://USER:PASSWORD@HOST:PORT/DATABASE?sslmode=MODE` URL, taken apart and checked.
/// `sslmode` is `disable`, `prefer` (the default, as libpq's) or `require` (TLS or no connection;
/// `verify-ca`/`verify-full` are read as `require`, which verifies the certificate and host
/// name). The password is never part of ``redacted``.
public struct PostgresURL: Sendable, Hashable {
    public enum TLSMode: String, Sendable, Hashable { case disable, prefer, require }

    public var host: String
    public var port: Int
    public var user: String
    public var password: String?
    public var database: String?
    public var tls: TLSMode

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
        for item in components.queryItems ?? [] {
            switch (item.name, item.value ?? "") {
            case ("sslmode", "disable"): tls = .disable
            case ("sslmode", "allow"), ("sslmode", "prefer"): tls = .prefer
            case ("sslmode", "require"), ("sslmode", "verify-ca"), ("sslmode", "verify-full"): tls = .require
            case ("sslmode", let other):
                throw JobStoreError(code: .invalidArgument, message: "sslmode=\(other) is not one of disable, prefer, require")
            default:
                throw JobStoreError(code: .invalidArgument, message: "the PostgreSQL URL parameter \"\(item.name)\" is not supported (only sslmode)")
            }
        }
        let path = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        self.host = host
        self.port = port
        self.user = user
        self.password = components.password
        self.database = path.isEmpty ? nil : path
        self.tls = tls
    }

    /// `postgres://USER@HOST:PORT/DATABASE` without the password, for messages.
    public var redacted: String {
        "postgres://\(user)@\(host):\(port)/\(database ?? "")"
    }
}
