import Foundation
import Testing

@testable import AudioPrep

/// Seeded damage for the mutation tests `make test` runs — the short, repeatable counterpart of
/// the libFuzzer targets in `Fuzz/` (`scripts/fuzz.sh`): the same entry point (`AudioInput.open`,
/// what probe and merge use) and the same checks, on a fixed sequence of mutants.
enum SeededMutations {
    /// How many mutants a test tries: `default`, or `CALLPREP_MUTATION_ITERATIONS` for a longer
    /// local run.
    static func iterations(default count: Int) -> Int {
        ProcessInfo.processInfo.environment["CALLPREP_MUTATION_ITERATIONS"].flatMap(Int.init) ?? count
    }

    /// One mutant of `original`: 1–4 overwritten bytes, 1–8 flipped bits, or a truncation. Half
    /// of the byte damage lands in the first `hotZone` bytes, where the headers are.
    static func mutant(of original: [UInt8], hotZone: Int = 1024, using rng: inout SplitMix64) -> [UInt8] {
        var bytes = original
        guard !bytes.isEmpty else { return bytes }
        let zone = Bool.random(using: &rng) ? min(hotZone, bytes.count) : bytes.count
        switch Int.random(in: 0..<3, using: &rng) {
        case 0:
            for _ in 0..<Int.random(in: 1...4, using: &rng) {
                bytes[Int.random(in: 0..<zone, using: &rng)] = UInt8.random(in: 0...255, using: &rng)
            }
        case 1:
            for _ in 0..<Int.random(in: 1...8, using: &rng) {
                bytes[Int.random(in: 0..<zone, using: &rng)] ^= 1 << UInt8.random(in: 0..<8, using: &rng)
            }
        default:
            bytes = Array(bytes[0..<Int.random(in: 0..<bytes.count, using: &rng)])
        }
        return bytes
    }

    /// How a batch of mutants fared.
    struct Tally {
        var decoded = 0
        var refused = 0
    }

    /// Writes each mutant to `folder/mutant.EXT`, opens it as a merge does and reads its audio.
    /// Every mutant must either decode — with the probe's `frames` equal to the frames the
    /// source delivers, and the source's `frameCount` (when stated) equal to them too — or be
    /// refused with an `AudioPrepError` that names the file.
    static func run(
        _ originals: [[UInt8]], extension ext: String, iterations: Int, seed: UInt64,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> Tally {
        let folder = try TestFiles.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("mutant.\(ext)").path
        var rng = SplitMix64(seed: seed)
        var tally = Tally()
        for index in 0..<iterations {
            let bytes = mutant(of: originals[index % originals.count], using: &rng)
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            do {
                let input = try AudioInput.open(path: path)
                let samples = try VideoFixtures.readAll(input.source, blockFrames: 4096, limitFrames: 2_000_000)
                let delivered = Int64(samples.count / input.source.format.channels)
                let stated = input.source.frameCount ?? delivered
                if delivered < 2_000_000, input.info.frames != delivered || stated != delivered {
                    let kept = keep(bytes, name: "mutant-\(String(seed, radix: 16))-\(index).\(ext)")
                    Issue.record(
                        "mutant \(index) (kept as \(kept)): probe reports \(input.info.frames) frames, frameCount \(stated), the source delivered \(delivered)",
                        sourceLocation: sourceLocation)
                }
                tally.decoded += 1
            } catch let error as AudioPrepError {
                #expect(error.path == path, "mutant \(index): \(error.message)", sourceLocation: sourceLocation)
                tally.refused += 1
            }
        }
        return tally
    }

    /// Saves a mutant that broke a rule in the temporary folder, to reproduce it; returns its path.
    static func keep(_ bytes: [UInt8], name: String) -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent(name).path
        try? Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// The first `limit` bytes of a committed test file.
    static func prefix(_ relative: String, _ limit: Int = 16 * 1024) throws -> [UInt8] {
        Array(try Data(contentsOf: URL(fileURLWithPath: TestFiles.audio(relative))).prefix(limit))
    }
}
