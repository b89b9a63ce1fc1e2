import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A throwaway PostgreSQL cluster for one test (shared by CallPrepJobsTests and CallPrepTests): Debian's postgresql-15 (scripts/install-deps.sh)
/// initialised in a temporary folder (`initdb`, trust authentication for one user) and started
/// with `pg_ctl` on a free port of 127.0.0.1, as the `postgres` system user when the tests run as
/// root (the server refuses to run as root). Every wait is bounded; `deinit` stops the server
/// (`pg_ctl stop -m immediate`) and removes the folder.
public final class PostgresServer: @unchecked Sendable {
    public static let binaries = "/usr/lib/postgresql/15/bin"
    public static let user = "callprep"

    public let folder: String
    public let port: Int
    private var running = false

    /// `postgres://callprep@127.0.0.1:PORT/DATABASE?sslmode=disable` (or the `sslmode` given).
    public func url(database: String = "postgres", sslmode: String = "disable") -> String {
        "postgres://\(Self.user)@127.0.0.1:\(port)/\(database)?sslmode=\(sslmode)"
    }

    /// With `tls`: the server's certificate (self-signed, for 127.0.0.1), a CA file for
    /// `sslrootcert`.
    public var certificatePath: String { folder + "/server.crt" }

    /// Starts a cluster. With `tls`, the server gets a self-signed certificate made by openssl
    /// for `127.0.0.1` (`ssl = on`), and `pg_hba.conf` admits TCP connections over TLS only
    /// (`hostssl … trust`, `hostnossl … reject`): a connection that works is encrypted. Tests
    /// run with `fsync = off` (a test's cluster need not survive a power cut); `durable` keeps the
    /// server's default (`fsync = on`, `synchronous_commit = on`), as benchmarks need.
    public init(tls: Bool = false, durable: Bool = false) throws {
        guard FileManager.default.isExecutableFile(atPath: Self.binaries + "/initdb") else {
            throw PostgresServerFailure(
                text: "PostgreSQL 15 is missing at \(Self.binaries): run scripts/install-deps.sh (it installs postgresql-15)")
        }
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("callprep-pg-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        port = try Self.freePort()
        if getuid() == 0 { try Self.run("/bin/chown", ["-R", "postgres:postgres", folder]) }
        try asServerUser(Self.binaries + "/initdb", ["-D", folder + "/data", "-U", Self.user, "--auth=trust", "-E", "UTF8", "--no-sync"])
        var options = "-p \(port) -k \(folder) -c listen_addresses=127.0.0.1 -c max_connections=100"
        if !durable { options += " -c fsync=off" }
        if tls {
            let key = folder + "/server.key"
            try Self.run("/usr/bin/openssl", [
                "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", certificatePath, "-days", "2",
                "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
            ])
            try "local all all trust\nhostssl all all 127.0.0.1/32 trust\nhostnossl all all 127.0.0.1/32 reject\n"
                .write(toFile: folder + "/data/pg_hba.conf", atomically: false, encoding: .utf8)
            // The server reads its key only when the server user owns it and nobody else can.
            if getuid() == 0 { try Self.run("/bin/chown", ["postgres:postgres", key, certificatePath, folder + "/data/pg_hba.conf"]) }
            try Self.run("/bin/chmod", ["600", key])
            options += " -c ssl=on -c ssl_cert_file=\(certificatePath) -c ssl_key_file=\(key)"
        }
        try asServerUser(Self.binaries + "/pg_ctl", [
            "-D", folder + "/data", "-l", folder + "/server.log", "-w", "-t", "60", "-o", options, "start",
        ])
        running = true
    }

    deinit {
        stop()
        try? FileManager.default.removeItem(atPath: folder)
    }

    public func stop() {
        guard running else { return }
        running = false
        try? asServerUser(Self.binaries + "/pg_ctl", ["-D", folder + "/data", "-m", "immediate", "-w", "-t", "30", "stop"])
    }

    /// Runs a server program, as `postgres` when we are root.
    private func asServerUser(_ program: String, _ arguments: [String]) throws {
        if getuid() == 0 {
            try Self.run("/usr/sbin/runuser", ["-u", "postgres", "--", program] + arguments)
        } else {
            try Self.run(program, arguments)
        }
    }

    /// Runs `program` to its end (at most 120 s); throws with its output when it fails. Spawned
    /// and reaped here (posix_spawn, waitpid), not with Foundation's Process: `pg_ctl start`
    /// leaves a daemon behind, and Process never noticed its parent `runuser` had ended.
    public static func run(_ program: String, _ arguments: [String]) throws {
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("pg-\(UUID().uuidString).log").path
        defer { try? FileManager.default.removeItem(atPath: log) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, log, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // Signals blocked in this (Swift worker) thread would stay blocked in the server.
        var none = sigset_t()
        sigemptyset(&none)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK))
        let argv = ([program] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, program, &actions, &attributes, argv, environ)
        guard spawned == 0 else { throw PostgresServerFailure(text: "\(program) could not be started (error \(spawned))") }
        var status: Int32 = 0
        let deadline = Date().addingTimeInterval(120)
        while waitpid(pid, &status, WNOHANG) == 0 {
            guard Date() < deadline else {
                kill(pid, SIGKILL)
                _ = waitpid(pid, &status, 0)
                throw PostgresServerFailure(text: "\(program) did not end within 120 s")
            }
            usleep(20_000)
        }
        // Exited normally with status 0: the low 7 bits are 0 and the exit code is 0.
        guard status == 0 else {
            let output = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            throw PostgresServerFailure(text: "\(program) \(arguments.joined(separator: " ")) failed (wait status \(status)): \(output)")
        }
    }

    /// A port nothing listens on right now.
    public static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw PostgresServerFailure(text: "socket() failed") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard bound else { throw PostgresServerFailure(text: "bind() failed") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

public struct PostgresServerFailure: Error, CustomStringConvertible {
    public var text: String
    public init(text: String) { self.text = text }
    public var description: String { text }
}
