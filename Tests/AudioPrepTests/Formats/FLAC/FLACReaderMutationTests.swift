import Testing

@testable import AudioPrep

/// Seeded damage to native FLAC (metadata, frames, the tail the reader scans), the counterpart
/// of the `FuzzProbeFLAC` and `FuzzDecodeFLAC` libFuzzer targets: each mutant decodes to exactly
/// the length probe reports, or is refused naming the file — never a trap.
@Suite struct FLACReaderMutationTests {
    @Test func randomDamageDecodesToTheProbedLengthOrIsRefused() throws {
        let originals = try ["formats/flac_s16.flac", "formats/flac_s24.flac"].map { try SeededMutations.prefix($0, 1 << 20) }
        let iterations = SeededMutations.iterations(default: 160)
        let tally = try SeededMutations.run(originals, extension: "flac", iterations: iterations, seed: 0x5EED_F1AC)
        #expect(tally.decoded + tally.refused == iterations)
        #expect(tally.decoded > iterations / 4, "damage to one frame keeps the frames before it")
        #expect(tally.refused > 0, "damage to STREAMINFO is refused")
    }
}
