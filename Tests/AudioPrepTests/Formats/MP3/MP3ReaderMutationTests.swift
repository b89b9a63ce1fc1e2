import Foundation
import Testing

@testable import AudioPrep

/// Seeded damage to MP3s (MPEG-1, MPEG-2, MPEG-2.5, behind an ID3v2 tag, with and without an
/// Info frame; Layer I, free-format Layer II), the counterpart of the `FuzzProbeMP3` libFuzzer target: each mutant decodes to
/// exactly the length probe reports — libmpg123 is the decoder, so the frame walk must agree
/// with it frame for frame — or is refused naming the file, never a trap.
@Suite struct MP3ReaderMutationTests {
    @Test func randomDamageDecodesToTheProbedLengthOrIsRefused() throws {
        let originals = try [
            "formats/mp3_mpeg1.mp3", "formats/mp3_mpeg2.mp3", "formats/mp3_mpeg25.mp3", "formats/mp3_id3v2.mp3",
            "call/customer-noxing.mp3",
        ].map { try SeededMutations.prefix($0, 16 * 1024) } + [
            // Layer I (MPEG-1 and MPEG-2.5) and free-format Layer II: silent frames built here.
            MP3FrameParserTests.silentFrames(0xFFFF_40C0, frameLength: 136, count: 60),
            MP3FrameParserTests.silentFrames(0xFFE7_18C0, frameLength: 192, count: 40),
            MP3FrameParserTests.silentFrames(0xFFFD_0400, frameLength: 500, count: 30),
        ]
        let iterations = SeededMutations.iterations(default: 240)
        let tally = try SeededMutations.run(originals, extension: "mp3", iterations: iterations, seed: 0x5EED_03B3)
        #expect(tally.decoded + tally.refused == iterations)
        #expect(tally.decoded > iterations / 2, "damage inside frames keeps the stream decodable")
    }

    /// libmpg123 takes the first frame as the Xing/Info frame only when every side-info byte
    /// before the tag is zero, apart from the first two after the header (where a CRC would
    /// sit). One non-zero byte there and it decodes the frame as audio: 1152 frames more.
    @Test func aSideInfoByteBeforeTheTagMakesTheInfoFrameAudio() throws {
        let original = try SeededMutations.prefix("formats/mp3_mpeg1.mp3", 1 << 20)
        let header = try #require(MP3FrameHeader(original[0..<4]))
        let sideInfo = header.sideInfoSize
        let honest = try probedAndDecoded(original)
        #expect(honest.probed == honest.decoded)
        for offset in [4, 5, 6, 4 + sideInfo - 1] {
            var bytes = original
            bytes[offset] = 0x40
            let damaged = try probedAndDecoded(bytes)
            #expect(damaged.probed == damaged.decoded, "side-info byte \(offset) set")
            // Bytes 4 and 5 are not looked at: the frame stays the Info frame.
            let expected = offset < 6 ? honest.decoded : nil
            if let expected { #expect(damaged.decoded == expected, "byte \(offset)") }
        }
    }

    /// With CRC protection the tag still sits right after the side information counted from the
    /// header's end (libmpg123 does not move it by the CRC's two bytes).
    @Test func aCRCProtectedInfoFrameIsFoundWhereLibmpg123LooksForIt() throws {
        var bytes = try SeededMutations.prefix("formats/mp3_mpeg1.mp3", 1 << 20)
        let honest = try probedAndDecoded(bytes)
        bytes[1] &= 0xFE  // protection bit 0: a CRC follows the header
        let protected = try probedAndDecoded(bytes)
        #expect(protected.probed == protected.decoded)
        #expect(protected.decoded == honest.decoded)
    }

    /// LAME with CRC protection (`lame -p`) writes the Info tag right after the side information
    /// counted from the header's end, with the CRC in the two bytes after the header: the frame
    /// is the Info frame, its gapless trim applies, and probe's length is what libmpg123 decodes.
    @Test func lameWithCRCProtectionProbesToTheDecodedLength() throws {
        let bytes = try ReferenceDecoding.lameSine(seconds: 2, rate: 44100, channels: 2, options: ["-p"])
        let header = try #require(MP3FrameHeader(bytes[0..<4]))
        #expect(header.hasCRC)
        let isInfoFrame = XingTag.marksInfoFrame(bytes[...], header: header)
        #expect(isInfoFrame)
        let measured = try probedAndDecoded(bytes)
        #expect(measured.probed == measured.decoded)
        #expect(measured.decoded == 88200)  // 2 s at 44.1 kHz: LAME's delay and padding trimmed
    }

    /// libmpg123 reads the LAME extension's delay and padding whenever its first byte is not
    /// zero, without checking the encoder string: a damaged "LAME" still trims, a zeroed one does
    /// not. Either way probe's length is what decodes.
    @Test func theLAMEExtensionCountsWheneverItsFirstByteIsNotZero() throws {
        let original = try SeededMutations.prefix("formats/mp3_mpeg2.mp3", 1 << 20)
        let lame = try #require(MP4MP3ChannelsTests.find(Array("LAME".utf8), in: original))
        let honest = try probedAndDecoded(original)
        #expect(honest.probed == honest.decoded)
        var damaged = original
        damaged[lame + 1] = 0x01  // "L\u{1}ME"
        let renamed = try probedAndDecoded(damaged)
        #expect(renamed.probed == renamed.decoded)
        #expect(renamed.decoded == honest.decoded, "the delay and padding still apply")
        damaged[lame] = 0
        let zeroed = try probedAndDecoded(damaged)
        #expect(zeroed.probed == zeroed.decoded)
        #expect(zeroed.decoded > honest.decoded, "without the extension only the Xing frame count trims")
    }

    /// A frame whose header has the reserved emphasis value is decoded by libmpg123 (it does not
    /// check that field), so the frame walk counts it.
    @Test func aFrameWithTheReservedEmphasisIsAudio() throws {
        var bytes = try SeededMutations.prefix("formats/mp3_mpeg25.mp3", 1 << 20)
        let header = try #require(MP3FrameHeader(bytes[0..<4]))
        let fifth = 5 * header.frameLength
        try #require(MP3FrameHeader(bytes[fifth..<fifth + 4]) != nil)
        bytes[fifth + 3] = bytes[fifth + 3] & 0xFC | 0x02
        let measured = try probedAndDecoded(bytes)
        #expect(measured.probed == measured.decoded)
        #expect(measured.decoded == Int64(bytes.count / header.frameLength * header.samplesPerFrame))
    }

    /// The reproducer `FuzzProbeMP3` found: mp3_mpeg2.mp3 with bytes 3547..<4385 erased. Where
    /// the cut leaves junk, libmpg123's resync takes the first valid header — a Layer II one at
    /// 11025 Hz inside the audio bytes, 159 bytes on — whatever its layer or rate, and that frame
    /// runs past the end of the file, so decoding ends there. Probe resynced only on a header
    /// like the first and counted one frame more (8687 frames where 8111 decode).
    @Test func resyncTakesTheFirstValidHeaderWhateverItsLayerOrRate() throws {
        let original = try SeededMutations.prefix("formats/mp3_mpeg2.mp3", 1 << 20)
        let bytes = Array(original[0..<3547] + original[4385...])
        #expect(bytes.count == 3967)
        let measured = try probedAndDecoded(bytes)
        #expect(measured.probed == measured.decoded)
        #expect(measured.decoded == 8111)
    }

    /// A frame whose header was damaged into another layer at the same rate (Layer III → I):
    /// libmpg123 decodes it as that layer (384 samples) and hops by its length.
    @Test func aFrameDamagedIntoAnotherLayerAtTheSameRateDecodesAsThatLayer() throws {
        var bytes = try SeededMutations.prefix("formats/mp3_mpeg25.mp3", 1 << 20)
        let header = try #require(MP3FrameHeader(bytes[0..<4]))
        let sixth = 6 * header.frameLength
        bytes[sixth + 1] = bytes[sixth + 1] | 0x06  // layer bits 11: Layer I
        let changed = try #require(MP3FrameHeader(bytes[sixth..<sixth + 4]))
        #expect(changed.layer == 1 && changed.sampleRate == header.sampleRate)
        let measured = try probedAndDecoded(bytes)
        #expect(measured.probed == measured.decoded)
    }

    /// The reserved version bits (01) in one frame's header: libmpg123 reads them as MPEG-2.5
    /// and decodes the frame.
    @Test func theReservedVersionReadsAsMPEG25() throws {
        var bytes = try SeededMutations.prefix("formats/mp3_mpeg25.mp3", 1 << 20)
        let header = try #require(MP3FrameHeader(bytes[0..<4]))
        let sixth = 6 * header.frameLength
        bytes[sixth + 1] = bytes[sixth + 1] & 0xE7 | 0x08
        let measured = try probedAndDecoded(bytes)
        #expect(measured.probed == measured.decoded)
        #expect(measured.decoded == Int64(bytes.count / header.frameLength * header.samplesPerFrame))
    }

    /// A first frame whose header says joint stereo before mono frames: libmpg123's read-ahead
    /// finds the next header's channel mode different and takes the first frame for junk, so
    /// decoding starts at the second frame, and so does the walk.
    @Test func aFirstFrameWhoseChannelModeDiffersFromTheNextIsJunk() throws {
        var bytes = try SeededMutations.prefix("formats/mp3_mpeg25.mp3", 1 << 20)
        let header = try #require(MP3FrameHeader(bytes[0..<4]))
        #expect(header.channels == 1)
        bytes[3] = bytes[3] & 0x3F | 0x40  // joint stereo
        let measured = try probedAndDecoded(bytes)
        #expect(measured.probed == measured.decoded)
        #expect(measured.decoded == Int64((bytes.count / header.frameLength - 1) * header.samplesPerFrame))
    }

    /// One byte of mp3_mpeg1.mp3 (the 17th frame's sync, at 6144) damaged: libmpg123 resyncs on
    /// a Layer I header inside that frame (384 samples, not 1152), and its gapless end trim still
    /// falls on the 22nd frame by number — it places frames by their number, not by the samples
    /// before them. The walk trims the same way (it counted 23471 frames before; 23232 decode).
    @Test func theGaplessTrimGoesByFrameNumberWhenAFrameDecodesShort() throws {
        var bytes = try SeededMutations.prefix("formats/mp3_mpeg1.mp3", 1 << 20)
        bytes[6144] = 0x64
        let measured = try probedAndDecoded(bytes)
        #expect(measured.probed == measured.decoded)
        #expect(measured.decoded == 23232)
    }

    private func probedAndDecoded(_ bytes: [UInt8]) throws -> (probed: Int64, decoded: Int64) {
        let folder = try TestFiles.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("case.mp3").path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let input = try AudioInput.open(path: path)
        let samples = try VideoFixtures.readAll(input.source, blockFrames: 4096, limitFrames: 2_000_000)
        return (input.info.frames, Int64(samples.count / input.source.format.channels))
    }
}
