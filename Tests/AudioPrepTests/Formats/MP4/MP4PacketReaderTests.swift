import Testing
@testable import AudioPrep

@Suite struct MP4PacketReaderTests {
    @Test(.enabled(if: VideoFixtures.ffmpeg != nil, "ffmpeg is not installed; skipping the cross-check"))
    func packetsAreTheBytesFFmpegDemuxes() throws {
        let path = VideoFixtures.path("aac-edit.m4a")
        var reader = try MP4PacketReader(path: path)
        var ours: [[UInt8]] = []
        while let packet = try reader.next() { ours.append(packet.data) }
        // `-c copy -f adts` writes each demuxed packet behind a 7-byte ADTS header whose
        // 13-bit frame_length (bits 30…42) covers header and payload.
        let adts = Array(try VideoFixtures.ffmpegDecode(path, format: "adts", libopus: false, extra: ["-c", "copy"]))
        var reference: [[UInt8]] = []
        var position = 0
        while position + 7 <= adts.count {
            let length = (Int(adts[position + 3] & 0x03) << 11) | (Int(adts[position + 4]) << 3) | (Int(adts[position + 5]) >> 5)
            guard length >= 7, position + length <= adts.count else { break }
            reference.append(Array(adts[(position + 7)..<(position + length)]))
            position += length
        }
        #expect(ours.count == 95)
        #expect(reference.count == 95)
        #expect(ours == reference)
    }

    /// aac-fragmented.mp4 is aac-edit.m4a remuxed into 500 ms `moof` fragments: the same 95
    /// packets, at the same decode times, read from `trun` instead of the sample tables.
    @Test func fragmentedFilesYieldTheSamePackets() throws {
        var plain = try MP4PacketReader(path: VideoFixtures.path("aac-edit.m4a"))
        var fragmented = try MP4PacketReader(path: VideoFixtures.path("aac-fragmented.mp4"))
        var count = 0
        while let a = try plain.next() {
            let b = try #require(try fragmented.next())
            #expect(a.data == b.data)
            #expect(a.decodeTime == b.decodeTime)
            #expect(a.duration == b.duration)
            count += 1
        }
        #expect(try fragmented.next() == nil)
        #expect(count == 95)
    }
}
