import Testing
@testable import AudioPrep

@Suite("Merge warnings from the alignment plan")
struct MergeWarningTests {
    private func warnings(_ frames: [Int64], mode: AlignmentMode = .automatic, starts: [Int64?] = [nil, nil]) throws -> [MergeWarning] {
        let plan = try AlignmentPlan(contentFrames: frames, mode: mode, sampleRate: 16000, startNanoseconds: starts)
        return MergeWarning.checks(plan: plan, mode: mode, sampleRate: 16000, startNanoseconds: starts, names: ["a.wav", "b.wav"])
    }

    @Test("padding over half the output warns, exactly half does not")
    func padding() throws {
        #expect(try warnings([160_000, 160_000]).isEmpty)
        #expect(try warnings([80_000, 160_000]).isEmpty)  // 80 000 of 160 000 frames: not more than half
        let short = try warnings([79_999, 160_000])
        #expect(short.map(\.code) == [MergeWarning.mostlyPadding])
        #expect(short[0].message.hasPrefix("channel 1 (a.wav) is padding for 50% of the output (lead 0.000 s, tail 5.000 s, recording 5.000 s)"))
        // Lead counts too: an offset that pushes channel 2 far past channel 1's end.
        let late = try warnings([16_000, 16_000], mode: .offsets([0, 10]))
        #expect(late.map(\.code) == [MergeWarning.mostlyPadding, MergeWarning.mostlyPadding])
        #expect(late[1].message.contains("(lead 10.000 s, tail 0.000 s, recording 1.000 s)"))
    }

    @Test("timestamps on only some tracks warn under automatic alignment only")
    func timestamps() throws {
        let mixed = try warnings([160_000, 160_000], starts: [1_000_000_000, nil])
        #expect(mixed.map(\.code) == [MergeWarning.timestampsMissing])
        #expect(mixed[0].message.hasPrefix("track 1 (a.wav) carries container timestamps but track 2 (b.wav) has none"))
        #expect(try warnings([160_000, 160_000], mode: .start, starts: [1_000_000_000, nil]).isEmpty)
        #expect(try warnings([160_000, 160_000], starts: [1_000_000_000, 1_000_000_000]).isEmpty)
        #expect(try warnings([160_000, 160_000], starts: [nil, nil]).isEmpty)
    }
}
