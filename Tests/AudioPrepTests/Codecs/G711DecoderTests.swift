import Testing
@testable import AudioPrep

@Suite struct G711DecoderTests {
    /// Reference points from ITU-T G.711 (Tables 1a/2a) in 16-bit scaling.
    @Test func muLawKnownValues() {
        #expect(G711Decoder.muLawToLinear(0xFF) == 0)
        #expect(G711Decoder.muLawToLinear(0x7F) == 0)
        #expect(G711Decoder.muLawToLinear(0x80) == 32_124)
        #expect(G711Decoder.muLawToLinear(0x00) == -32_124)
        #expect(G711Decoder.muLawToLinear(0xFE) == 8)
        #expect(G711Decoder.muLawToLinear(0xEF) == 132 + 0)  // exponent 1, mantissa 0: (0x84 << 1) − 0x84
    }

    @Test func aLawKnownValues() {
        #expect(G711Decoder.aLawToLinear(0xD5) == 8)
        #expect(G711Decoder.aLawToLinear(0x55) == -8)
        #expect(G711Decoder.aLawToLinear(0xAA) == 32_256)
        #expect(G711Decoder.aLawToLinear(0x2A) == -32_256)
    }

    @Test func tablesAreOddSymmetricAndMonotonic() {
        // μ-law: codes 0x80…0xFF are positive, descending in magnitude; 0x00…0x7F mirror them.
        let positive = (0x80...0xFF).map { G711Decoder.muLawToLinear(UInt8($0)) }
        #expect(zip(positive, positive.dropFirst()).allSatisfy { $0 > $1 })
        #expect((0...0x7F).allSatisfy { G711Decoder.muLawToLinear(UInt8($0)) == -G711Decoder.muLawToLinear(UInt8($0 | 0x80)) })
        #expect((0...0xFF).allSatisfy { G711Decoder.aLawToLinear(UInt8($0)) == -G711Decoder.aLawToLinear(UInt8($0 ^ 0x80)) })
        #expect(Set((0...0xFF).map { G711Decoder.aLawToLinear(UInt8($0)) }).count == 256)
    }
}
