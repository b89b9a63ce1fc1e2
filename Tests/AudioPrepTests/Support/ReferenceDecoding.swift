@testable import AudioPrep
import Foundation

/// Counting and reading what decoders deliver: callprep's own source and ffmpeg, the reference.
enum ReferenceDecoding {
    /// Whether the reference tools these tests generate fixtures with and compare against exist.
    static let toolsAvailable = ["ffmpeg", "sox", "lame"].allSatisfy { TestFiles.which($0) != nil }

    /// Every interleaved sample `source` delivers, read in 4096-frame blocks.
    static func samples(_ source: any PCMSource) throws -> [Float] {
        var buffer = [Float](repeating: 0, count: 4096 * source.format.channels)
        var all: [Float] = []
        while case let n = try buffer.withUnsafeMutableBufferPointer({ try source.read(into: $0) }), n > 0 {
            all += buffer[0..<n * source.format.channels]
        }
        return all
    }

    /// The frames callprep's decoder delivers for `path`.
    static func decodedFrames(_ path: String) throws -> Int64 {
        let source = try AudioDecoder.open(path: path)
        return Int64(try samples(source).count / source.format.channels)
    }

    /// ffmpeg's decode of `path` as 16-bit samples (`ffmpeg -i F -f s16le -`), interleaved.
    static func ffmpegSamples16(_ path: String) throws -> [Int16] {
        let data = try TestFiles.run(TestFiles.which("ffmpeg")!, ["-v", "error", "-i", path, "-f", "s16le", "-"])
        return data.withUnsafeBytes { Array($0.bindMemory(to: Int16.self)) }.map { Int16(littleEndian: $0) }
    }

    /// The frames ffmpeg decodes from `path` (16-bit bytes / 2 / channels).
    static func ffmpegFrames(_ path: String, channels: Int) throws -> Int64 {
        Int64(try ffmpegSamples16(path).count / channels)
    }

    /// The bytes of an MP3 that lame encodes with `options` from `seconds` of a 440 Hz sine that
    /// ffmpeg generates at `rate` Hz with `channels`.
    static func lameSine(seconds: Int, rate: Int, channels: Int, options: [String]) throws -> [UInt8] {
        let folder = try TestFiles.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let wav = folder.appendingPathComponent("tone.wav").path
        let mp3 = folder.appendingPathComponent("tone.mp3").path
        try tool("ffmpeg", [
            "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i",
            "sine=frequency=440:sample_rate=\(rate):duration=\(seconds)", "-ac", "\(channels)", wav,
        ])
        try tool("lame", ["--quiet"] + options + [wav, mp3])
        return [UInt8](try Data(contentsOf: URL(fileURLWithPath: mp3)))
    }

    /// Runs a tool, failing the test when it is missing; its standard output.
    @discardableResult
    static func tool(_ name: String, _ arguments: [String]) throws -> Data {
        guard let path = TestFiles.which(name) else { throw ToolMissing(name: name) }
        return try TestFiles.run(path, arguments)
    }

    struct ToolMissing: Error { var name: String }
}
