import Testing
@testable import AudioPrep

/// The bounds every rate, channel count and length from a file or a caller must meet, and the
/// checked arithmetic used on such numbers.
@Suite struct AudioLimitsTests {
    @Test func numbersInsideTheLimitsPass() throws {
        try AudioLimits.check(sampleRate: 1, channels: 1, frames: 0, path: "a.wav")
        try AudioLimits.check(sampleRate: 1 << 20, channels: 1024, frames: 1 << 40, path: "a.wav")
        try AudioLimits.check(sampleRate: 16000, channels: 2, frames: nil, path: nil)
    }

    @Test(arguments: [
        (rate: 0, channels: 1, frames: Int64(0), field: "the sample rate is 0 Hz"),
        (rate: -8000, channels: 1, frames: Int64(0), field: "the sample rate is -8000 Hz"),
        (rate: (1 << 20) + 1, channels: 1, frames: Int64(0), field: "the sample rate is 1048577 Hz"),
        (rate: 16000, channels: 0, frames: Int64(0), field: "the channel count is 0"),
        (rate: 16000, channels: 1025, frames: Int64(0), field: "the channel count is 1025"),
        (rate: 16000, channels: 1, frames: Int64(-1), field: "the length is -1 frames"),
        (rate: 16000, channels: 1, frames: (Int64(1) << 40) + 1, field: "the length is 1099511627777 frames"),
        (rate: 16000, channels: 1, frames: Int64.max, field: "the length is 9223372036854775807 frames"),
    ])
    func numbersOutsideTheLimitsAreRefusedNamingTheField(rate: Int, channels: Int, frames: Int64, field: String) {
        #expect {
            try AudioLimits.check(sampleRate: rate, channels: channels, frames: frames, path: "bad.wav")
        } throws: { error in
            guard let error = error as? AudioPrepError else { return false }
            return error.code == .corruptFile && error.path == "bad.wav" && error.message.contains(field)
        }
    }

    @Test func checkedSumsAndDifferencesThrowTheCallersErrorInsteadOfTrapping() throws {
        let overflow = AudioPrepError(.corruptFile, "overflow")
        #expect(try CheckedArithmetic.sum(Int64.max - 1, 1, else: overflow) == Int64.max)
        #expect(throws: overflow) { try CheckedArithmetic.sum(Int64.max, 1, else: overflow) }
        #expect(throws: overflow) { try CheckedArithmetic.sum(Int64.min, -1, else: overflow) }
        #expect(try CheckedArithmetic.difference(0, Int64.max, else: overflow) == -Int64.max)
        #expect(throws: overflow) { try CheckedArithmetic.difference(Int64.max, -1, else: overflow) }
        #expect(throws: overflow) { try CheckedArithmetic.difference(Int64.min, 1, else: overflow) }
    }

    @Test func saturatingProductsKeepTheirSign() {
        #expect(CheckedArithmetic.saturatingProduct(28_800, 16_000) == 460_800_000)
        #expect(CheckedArithmetic.saturatingProduct(28_800, Int64.max) == Int64.max)
        #expect(CheckedArithmetic.saturatingProduct(-28_800, Int64.max) == Int64.min)
        #expect(CheckedArithmetic.saturatingProduct(Int64.min, -1) == Int64.max)
        #expect(CheckedArithmetic.saturatingProduct(Int64.min, 1) == Int64.min)
    }
}
