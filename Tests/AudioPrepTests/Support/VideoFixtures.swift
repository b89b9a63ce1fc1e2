import Foundation
@testable import AudioPrep

/// Paths of the committed Twilio-Video-like fixtures (TestAudio/video, built by
/// scripts/make-video-fixtures.sh) and helpers to decode them with ffmpeg as a reference.
enum VideoFixtures {
    /// The repository root, found from this file's location.
    static let root: URL = {
        var url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while url.path != "/" && !FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) {
            url = url.deletingLastPathComponent()
        }
        return url
    }()

    static func path(_ name: String) -> String {
        root.appendingPathComponent("TestAudio/video/\(name)").path
    }

    /// The ffmpeg executable, or nil when it is not installed (cross-checks then skip).
    static let ffmpeg: String? = {
        for dir in ["/usr/bin", "/usr/local/bin", "/opt/homebrew/bin"] {
            let candidate = dir + "/ffmpeg"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }()

    /// Decodes `input` with ffmpeg to raw interleaved samples (`f32le` or `s16le`), forcing the
    /// libopus decoder for Opus inputs, and returns the bytes.
    static func ffmpegDecode(_ input: String, format: String, libopus: Bool, extra: [String] = []) throws -> Data {
        guard let ffmpeg else { throw CocoaError(.fileNoSuchFile) }
        let output = FileManager.default.temporaryDirectory
            .appendingPathComponent("callprep-ref-\(UUID().uuidString).raw")
        defer { try? FileManager.default.removeItem(at: output) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: ffmpeg)
        var arguments = ["-hide_banner", "-loglevel", "error", "-y"]
        if libopus { arguments += ["-c:a", "libopus", "-request_sample_fmt", "flt"] }
        arguments += ["-i", input] + extra + ["-f", format, output.path]
        process.arguments = arguments
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw CocoaError(.fileReadCorruptFile) }
        return try Data(contentsOf: output)
    }

    static func floats(_ data: Data) -> [Float] {
        data.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
    }

    static func int16s(_ data: Data) -> [Int16] {
        data.withUnsafeBytes { Array($0.bindMemory(to: Int16.self)) }
    }

    /// Reads a whole source (test inputs are seconds long) in blocks of `blockFrames`.
    static func readAll(_ source: any PCMSource, blockFrames: Int = 1000, limitFrames: Int = 10_000_000) throws -> [Float] {
        var all: [Float] = []
        var buffer = [Float](repeating: 0, count: blockFrames * source.format.channels)
        while all.count / source.format.channels < limitFrames {
            let n = try buffer.withUnsafeMutableBufferPointer { try source.read(into: $0) }
            if n == 0 { break }
            all.append(contentsOf: buffer[0..<(n * source.format.channels)])
        }
        return all
    }
}
