@testable import AudioPrep
import Testing

@Suite struct FLACChecksumsTests {
    private func bytes(_ count: Int, seed: UInt64) -> [UInt8] {
        var state = seed
        return (0..<count).map { _ in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return UInt8(truncatingIfNeeded: state >> 56)
        }
    }

    /// Known answer: CRC-16/UMTS (poly 0x8005, init 0, no reflection — FLAC's) of "123456789".
    @Test func crc16KnownAnswer() {
        let check = Array("123456789".utf8).withUnsafeBytes { FLACChecksums.crc16($0) }
        #expect(check == 0xFEE8)
        let check8 = Array("123456789".utf8).withUnsafeBytes { FLACChecksums.crc8($0) }
        #expect(check8 == 0xF4)  // CRC-8 poly 0x07, init 0
    }

    @Test(arguments: [0, 1, 2, 3, 7, 255, 256, 4096, 12345])
    func combiningEqualsCRCOfTheConcatenation(lengthB: Int) {
        let a = bytes(37, seed: UInt64(lengthB) + 1)
        let b = bytes(lengthB, seed: UInt64(lengthB) + 99)
        let whole = (a + b).withUnsafeBytes { FLACChecksums.crc16($0) }
        let crcA = a.withUnsafeBytes { FLACChecksums.crc16($0) }
        let crcB = b.withUnsafeBytes { FLACChecksums.crc16($0) }
        #expect(FLACChecksums.crc16Combine(crcA, crcB, lengthB: lengthB) == whole)
    }

    /// Real libFLAC frames renumbered across every change of the coded number's length
    /// (1 → 2 → 3 → 4 bytes): each output frame's CRC-16 equals a CRC-16 computed over its bytes.
    @Test(arguments: [0, 1, 127, 128, 2047, 2048, 65535, 65536, 2_097_151, 2_097_152, 1 << 30])
    func renumberedFramesCarryTheirTrueCRCs(number: Int) throws {
        let frames = 4096 * 3
        let left = MergeTestAudio.speechLike(frames: frames, rate: 16000, seed: 5)
        let right = MergeTestAudio.speechLike(frames: frames, rate: 16000, seed: 6)
        let left32 = left.map(Int32.init)
        let right32 = right.map(Int32.init)
        let settings = FLACStreamSettings(sampleRate: 16000, totalFrames: Int64(frames))
        let encoder = try FLACSegmentEncoder(settings: settings, frames: frames)
        try encoder.encode(left: left32, right: right32, frames: frames)
        let segment = try encoder.finish()
        #expect(segment.frameSizes.count == 3)
        var start = 0
        for (index, size) in segment.frameSizes.enumerated() {
            let renumbered = try segment.bytes.withUnsafeBytes { raw in
                try FLACFrameRenumbering.renumber(
                    UnsafeRawBufferPointer(rebasing: raw[start..<(start + size)]), to: UInt64(number + index))
            }
            let body = renumbered.withUnsafeBytes { FLACChecksums.crc16(UnsafeRawBufferPointer(rebasing: $0[0..<(renumbered.count - 2)])) }
            #expect(UInt16(renumbered[renumbered.count - 2]) << 8 | UInt16(renumbered[renumbered.count - 1]) == body)
            let coded = FLACFrameRenumbering.encode(UInt64(number + index))
            #expect(Array(renumbered[4..<(4 + coded.count)]) == coded)
            #expect(renumbered.count == size + coded.count - FLACFrameRenumbering.codedLength(firstByte: segment.bytes[start + 4]))
            start += size
        }
    }
}
