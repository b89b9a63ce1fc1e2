import Foundation
@testable import AudioPrep

/// Ogg files made by ffmpeg for the Ogg reader's tests (once per test run), ffmpeg's decode of
/// them as the reference, and byte surgery on pages (cutting, flipping, re-checksumming).
enum OggFixtures {
    static let ffmpeg = TestFiles.which("ffmpeg")

    /// The fixture folder, made on first use and removed when the test process exits.
    private static let directory: URL? = {
        guard let folder = try? TestFiles.temporaryDirectory() else { return nil }
        atexit { OggFixtures.removeDirectory() }
        return folder
    }()

    private static func removeDirectory() {
        if let directory { try? FileManager.default.removeItem(at: directory) }
    }

    /// `name` in the fixture folder, made by `ffmpeg -v error -y ARGUMENTS name` if not there yet.
    static func make(_ name: String, _ arguments: [String]) throws -> String {
        guard let ffmpeg, let directory else { throw FixtureError.noFFmpeg }
        let path = directory.appendingPathComponent(name).path
        if !FileManager.default.fileExists(atPath: path) {
            _ = try TestFiles.run(ffmpeg, ["-v", "error", "-y"] + arguments + [path])
        }
        guard FileManager.default.fileExists(atPath: path) else { throw FixtureError.notMade(name) }
        return path
    }

    /// 3 s of a 440 Hz tone, stereo Opus at 48 kHz.
    static func opus() throws -> String {
        try make("tone.opus", ["-f", "lavfi", "-i", "sine=frequency=440:duration=3:sample_rate=48000", "-ac", "2", "-c:a", "libopus", "-b:a", "48k"])
    }

    /// 3 s of a 440 Hz tone, stereo Vorbis at 44.1 kHz.
    static func vorbis() throws -> String {
        try make("tone.ogg", ["-f", "lavfi", "-i", "sine=frequency=440:duration=3:sample_rate=44100", "-ac", "2", "-c:a", "libvorbis"])
    }

    /// 3 s of a 440 Hz tone, mono 16-bit FLAC in Ogg at 44.1 kHz.
    static func flac() throws -> String {
        try make("tone.oga", ["-f", "lavfi", "-i", "sine=frequency=440:duration=3:sample_rate=44100", "-c:a", "flac"])
    }

    /// 2 s of Theora video (test pattern) with 2 s of Vorbis audio at 22.05 kHz.
    static func theoraWithVorbis() throws -> String {
        try make("video.ogg", [
            "-f", "lavfi", "-i", "testsrc=size=64x48:rate=10:duration=2",
            "-f", "lavfi", "-i", "sine=frequency=440:duration=2:sample_rate=22050",
            "-c:v", "libtheora", "-c:a", "libvorbis",
        ])
    }

    /// Writes `bytes` as a new file in the fixture folder.
    static func write(_ bytes: [UInt8], as name: String) throws -> String {
        guard let directory else { throw FixtureError.noFFmpeg }
        let path = directory.appendingPathComponent(name).path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    static func bytes(_ path: String) throws -> [UInt8] {
        Array(try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    /// ffmpeg's decode of `path` as interleaved float samples.
    static func ffmpegSamples(_ path: String) throws -> [Float] {
        guard let ffmpeg else { throw FixtureError.noFFmpeg }
        let data = try TestFiles.run(ffmpeg, ["-v", "error", "-i", path, "-f", "f32le", "-"])
        return data.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
    }

    /// The offsets of the pages in an Ogg file, found by walking header to header (the page
    /// length from its own segment table), independently of the reader under test.
    static func pageOffsets(_ bytes: [UInt8]) -> [Int] {
        var offsets: [Int] = []
        var position = 0
        while position + 27 <= bytes.count, Array(bytes[position..<(position + 4)]) == Array("OggS".utf8) {
            let segments = Int(bytes[position + 26])
            guard position + 27 + segments <= bytes.count else { break }
            let body = bytes[(position + 27)..<(position + 27 + segments)].reduce(0) { $0 + Int($1) }
            offsets.append(position)
            position += 27 + segments + body
        }
        return offsets
    }

    /// The granule position stored in the page at `offset`.
    static func granule(_ bytes: [UInt8], page offset: Int) -> Int64 {
        Int64(bitPattern: (0..<8).reversed().reduce(UInt64(0)) { $0 << 8 | UInt64(bytes[offset + 6 + $1]) })
    }

    /// Recomputes the CRC of the page at `offset` (after editing it) with a bitwise CRC-32
    /// (polynomial 0x04C11DB7, MSB first), written here independently of `OggCRC`'s table.
    static func rechecksum(_ bytes: inout [UInt8], page offset: Int) {
        let segments = Int(bytes[offset + 26])
        let length = 27 + segments + bytes[(offset + 27)..<(offset + 27 + segments)].reduce(0) { $0 + Int($1) }
        for i in 22..<26 { bytes[offset + i] = 0 }
        var crc: UInt32 = 0
        for byte in bytes[offset..<(offset + length)] {
            crc ^= UInt32(byte) << 24
            for _ in 0..<8 { crc = crc & 0x8000_0000 != 0 ? (crc << 1) ^ 0x04C1_1DB7 : crc << 1 }
        }
        for i in 0..<4 { bytes[offset + 22 + i] = UInt8(truncatingIfNeeded: crc >> (8 * i)) }
    }

    enum FixtureError: Error {
        case noFFmpeg
        case notMade(String)
    }
}
