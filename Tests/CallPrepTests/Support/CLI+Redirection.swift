import Foundation

extension CLI {
    /// Runs `callprep ARGS` with standard input read from `stdinFile` and standard output written
    /// to `stdoutFile` (when given; otherwise captured as text), as `callprep … < in > out` would.
    static func run(
        _ arguments: [String], stdinFile: String?, stdoutFile: String? = nil, environment: [String: String]? = nil
    ) throws -> Output {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.currentDirectoryURL = root
        if let environment { process.environment = environment }
        process.standardInput = try stdinFile.map { try FileHandle(forReadingFrom: URL(fileURLWithPath: $0)) } ?? FileHandle.nullDevice
        let out = Pipe(), err = Pipe()
        if let stdoutFile {
            FileManager.default.createFile(atPath: stdoutFile, contents: nil)
            process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: stdoutFile))
        } else {
            process.standardOutput = out
        }
        process.standardError = err
        try process.run()
        nonisolated(unsafe) var outData = Data()
        let group = DispatchGroup()
        if stdoutFile == nil {
            group.enter()
            DispatchQueue.global().async {
                outData = out.fileHandleForReading.readDataToEndOfFile()
                group.leave()
            }
        }
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return Output(
            status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errData, as: UTF8.self))
    }

    /// Runs `callprep ARGS` under `script(1)`, so its standard input and output are a terminal.
    /// `stdout` then holds everything the terminal showed (stdout and stderr).
    static func runOnTerminal(_ arguments: [String]) throws -> Output {
        let command = ([binary.path] + arguments).map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }.joined(separator: " ")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: scriptTool!)
        process.arguments = ["-qec", command, "/dev/null"]
        process.currentDirectoryURL = root
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Output(status: process.terminationStatus, stdout: String(decoding: data, as: UTF8.self), stderr: "")
    }

    /// util-linux `script`, which runs a command on a new pseudo-terminal.
    static let scriptTool: String? = ["/usr/bin/script", "/bin/script"].first { FileManager.default.isExecutableFile(atPath: $0) }
}
