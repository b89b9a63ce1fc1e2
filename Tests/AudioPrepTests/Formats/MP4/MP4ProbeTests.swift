import Foundation
import Testing
@testable import AudioPrep

@Suite struct MP4ProbeTests {
    @Test func aacWithEditListExcludesPriming() throws {
        let report = try MP4Probe.inspect(path: VideoFixtures.path("aac-edit.m4a"))
        #expect(report.info.container == .mp4)
        #expect(report.info.codec == "aac")
        #expect(report.info.sampleRate == 48_000)
        #expect(report.info.channels == 1)
        // 95 packets of 1024 (the table says 768 for the last); the edit list starts at media
        // time 1024 (priming) and presents 2000 ms, which ends inside the last packet. Every
        // packet decodes to 1024 frames, so 95 × 1024 − 1024 = 96 256 decode (ffmpeg too).
        #expect(report.info.frames == 96_256)
        #expect(report.info.lengthSource == .timestamps)
        #expect(report.timeline.preSkipFrames == 1024)
        #expect(report.timeline.startTimeNanoseconds == 0)
        #expect(report.timeline.blocks == 95)
        #expect(report.track.sampleEntry?.audioSpecificConfig?.profileName == "LC")
        #expect(report.track.sampleEntry?.audioSpecificConfig?.framesPerPacket == 1024)
        #expect(report.track.sampleEntry?.objectTypeIndication == 0x40)
        #expect(report.track.edits == [MP4Edit(segmentDuration: 2000, mediaTime: 1024)])
        #expect(report.majorBrand == "M4A ")
        #expect(!report.isFragmented)
    }

    @Test func emptyEditDelaysTheTrack() throws {
        let report = try MP4Probe.inspect(path: VideoFixtures.path("aac-delayed.m4a"))
        // ffmpeg wrote an empty edit of 1478 ms, then media from time 0 for 2022 ms, which
        // every packet starts within: 95 whole packets of 1024 frames.
        #expect(report.timeline.startTimeNanoseconds == 1_478_000_000)
        #expect(report.timeline.preSkipFrames == 0)
        #expect(report.info.frames == 97_280)
    }

    @Test func fragmentedMP4IsSummedFromItsFragments() throws {
        let report = try MP4Probe.inspect(path: VideoFixtures.path("aac-fragmented.mp4"))
        #expect(report.isFragmented)
        #expect(report.info.codec == "aac")
        #expect(report.timeline.blocks == 95)
        #expect(report.info.frames == 97_280)  // no edit list: 95 whole packets, priming kept
        #expect(report.timeline.gaps == 0)
    }

    @Test(.enabled(if: VideoFixtures.ffmpeg != nil, "ffmpeg/ffprobe is not installed; skipping the cross-check"))
    func sampleTableMatchesFFprobePackets() throws {
        let path = VideoFixtures.path("aac-edit.m4a")
        let report = try MP4Probe.inspect(path: path)
        let ours = Array(IteratorSequence(report.track.sampleTable.makeIterator()))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: VideoFixtures.ffmpeg!.replacingOccurrences(of: "ffmpeg", with: "ffprobe"))
        process.arguments = ["-v", "error", "-show_entries", "packet=pos,size,duration", "-of", "csv=p=0", path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        // csv fields in ffprobe's order: duration,size,pos
        let reference = output.split(separator: "\n").map { $0.split(separator: ",").compactMap { Int64($0) } }
        #expect(ours.count == 95)
        #expect(reference.count == 95)
        for (sample, fields) in zip(ours, reference) where fields.count == 3 {
            #expect(sample.duration == fields[0])
            #expect(Int64(sample.size) == fields[1])
            #expect(sample.offset == fields[2])
        }
        let lastDecodeTime: Int64 = ours.last?.decodeTime ?? -1
        #expect(lastDecodeTime == 96_256)  // 94 packets of 1024 before the last
    }

    @Test func aacDecodingErrorExplainsTheLicence() {
        let error = MP4Probe.aacDecodingUnavailable(path: "/x.m4a")
        #expect(error.code == .unsupportedFormat)
        #expect(error.message.contains("GPL"))
        #expect(error.message.contains("ffmpeg -i IN"))
    }

    @Test func sniffing() {
        #expect(MP4Probe.matches(prefix: [0, 0, 0, 0x1C] + Array("ftypM4A ".utf8)))
        #expect(!MP4Probe.matches(prefix: Array("RIFF....WAVE".utf8)))
        #expect(!MP4Probe.matches(prefix: MatroskaProbe.magic + [0, 0, 0, 0]))
    }

    @Test func audioSpecificConfigVariants() throws {
        // AAC-LC 44.1 kHz stereo: 00010 0100 0010 0 …
        let lc = try #require(AudioSpecificConfig([0x12, 0x10]))
        #expect(lc.audioObjectType == 2 && lc.sampleRate == 44_100 && lc.channels == 2)
        // HE-AAC (SBR): AOT 5, core 24 kHz (index 6), stereo, extension 48 kHz (index 3), AOT 2.
        let he = try #require(AudioSpecificConfig([0x2B, 0x11, 0x88, 0x00]))
        #expect(he.profileName == "HE-AAC")
        #expect(he.sampleRate == 24_000 && he.extensionSampleRate == 48_000)
        // A reserved rate index (13) is rejected, and so are truncated bytes.
        #expect(AudioSpecificConfig([0x16, 0x80]) == nil)
        #expect(AudioSpecificConfig([0x12]) == nil)
    }
}
