import ArgumentParser

/// `HOST:PORT` of `--listen` and `--admin-listen`: an IPv4 address or a name, and a port
/// 0–65535 (0: any free port, which the log's `listening` line names).
struct ListenAddress: Sendable, Hashable, CustomStringConvertible {
    var host: String
    var port: Int

    init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// Parses `HOST:PORT` (`[::1]:8080` for IPv6); a usage error naming the flag otherwise.
    init(parsing text: String, flag: String) throws {
        guard let colon = text.lastIndex(of: ":") else {
            throw ValidationError("\(flag) must be HOST:PORT, e.g. 0.0.0.0:8080; got \(text.debugDescription).")
        }
        var host = String(text[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty, let port = Int(text[text.index(after: colon)...]), (0...65535).contains(port) else {
            throw ValidationError("\(flag) must be HOST:PORT with a port 0–65535, e.g. 127.0.0.1:9090; got \(text.debugDescription).")
        }
        self.host = host
        self.port = port
    }

    var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}
