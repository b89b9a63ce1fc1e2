import Testing

@testable import AudioPrep

/// Seeded damage to libsndfile's formats (WAV in several codings, RF64, W64, AIFF), the
/// counterpart of the `FuzzProbeWAV` libFuzzer target: each mutant decodes to exactly the length
/// probe reports, or is refused naming the file — never a trap.
@Suite struct SndFileReaderMutationTests {
    @Test func randomDamageDecodesToTheProbedLengthOrIsRefused() throws {
        let originals = try [
            "formats/pcm_s16le.wav", "formats/pcm_u8.wav", "formats/pcm_alaw.wav", "formats/adpcm_ima.wav",
            "formats/extensible.wav", "formats/rf64.wav", "formats/w64.w64", "formats/aiff.aiff",
        ].map { try SeededMutations.prefix($0, 4096) }
        let iterations = SeededMutations.iterations(default: 240)
        let tally = try SeededMutations.run(originals, extension: "wav", iterations: iterations, seed: 0x5EED_0A1F)
        #expect(tally.decoded + tally.refused == iterations)
        #expect(tally.decoded > iterations / 4, "damage to samples alone still decodes")
        #expect(tally.refused > 0, "damage to a header is refused")
    }
}
