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

    /// Runs a tool, failing the test when it is missing; its standard output.
    @discardableResult
    static func tool(_ name: String, _ arguments: [String]) throws -> Data {
        guard let path = TestFiles.which(name) else { throw ToolMissing(name: name) }
        return try TestFiles.run(path, arguments)
    }

    struct ToolMissing: Error { var name: String }
}
