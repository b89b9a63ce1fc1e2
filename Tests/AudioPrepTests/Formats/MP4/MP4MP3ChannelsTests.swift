import Foundation
import Testing

@testable import AudioPrep

/// MP3 inside MP4 (`ffmpeg -i IN -c:a libmp3lame OUT.mp4`): the sample entry carries no codec
/// configuration and ffmpeg writes its channel field as 2 even for mono, so probe takes the
/// channels and rate from the first packet's MPEG frame header — what a decoder delivers, and
/// what ffprobe reports from the decoded frames.
@Suite struct MP4MP3ChannelsTests {
    @Test(arguments: [1, 2])
    func channelsAreTheFramesNotTheSampleEntry(channels: Int) throws {
        let folder = try TestFiles.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = try Self.make(channels: channels, rate: 44100, in: folder)
        let info = try AudioProbe.probe(path: path)
        #expect(info.codec == "mp3")
        #expect(info.channels == channels)
        #expect(info.sampleRate == 44100)
        #expect(info.channels == (try Self.ffprobeDecodedChannels(path)))
    }

    /// A sample entry whose channel field says 1 over stereo frames, 6 over mono frames: the
    /// frames win, as they do for ffmpeg's decoder.
    @Test(arguments: [(2, 1), (1, 6), (1, 2)])
    func aSampleEntryThatDisagreesWithTheFramesIsOverruled(frames: Int, entry: Int) throws {
        let folder = try TestFiles.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = try Self.make(channels: frames, rate: 22050, in: folder)
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        let mp4a = try #require(Self.find(Array("mp4a".utf8), in: bytes))
        // SampleEntry: 6 reserved bytes and a data reference index; AudioSampleEntry: 8 reserved
        // bytes, then the channel count.
        bytes[mp4a + 20] = UInt8(entry >> 8)
        bytes[mp4a + 21] = UInt8(entry & 0xFF)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let info = try AudioProbe.probe(path: path)
        #expect(info.channels == frames)
        #expect(info.sampleRate == 22050)
        #expect(info.channels == (try Self.ffprobeDecodedChannels(path)))
    }

    static func make(channels: Int, rate: Int, in folder: URL) throws -> String {
        let path = folder.appendingPathComponent("mp3-\(channels).mp4").path
        try ReferenceDecoding.tool("ffmpeg", [
            "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=\(rate):duration=2",
            "-ac", "\(channels)", "-c:a", "libmp3lame", path,
        ])
        return path
    }

    /// The channel count of the frames ffprobe decodes (all of them: the first packet may decode
    /// to nothing); fails unless every decoded frame has the same.
    static func ffprobeDecodedChannels(_ path: String) throws -> Int {
        let output = try ReferenceDecoding.tool("ffprobe", [
            "-v", "error", "-select_streams", "a:0", "-show_entries", "frame=channels", "-of", "csv=p=0", path,
        ])
        let counts = Set(String(decoding: output, as: UTF8.self).split(separator: "\n").map { Int($0.trimmingCharacters(in: .whitespaces)) })
        try #require(counts.count == 1, "ffprobe's decoded frames have channel counts \(counts)")
        return try #require(counts.first ?? nil)
    }

    static func find(_ needle: [UInt8], in bytes: [UInt8]) -> Int? {
        guard bytes.count >= needle.count else { return nil }
        return (0...(bytes.count - needle.count)).first { bytes[$0..<$0 + needle.count].elementsEqual(needle) }
    }
}
