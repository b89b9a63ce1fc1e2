extension AudioInfo {
    /// The duration in whole milliseconds, `frames × 1000 / sampleRate` rounded down, exact in
    /// integer arithmetic for any `frames` and `sampleRate` (no floating point, no overflow):
    /// what `probe` and `validate` print as `00:01:02.345`. A length beyond `Int64.max`
    /// milliseconds (only an `AudioInfo` built by hand can claim one) reads as `Int64.max`.
    public var durationMilliseconds: Int64 {
        let frames = max(self.frames, 0)
        let rate = Int64(max(sampleRate, 1))
        let whole = CheckedArithmetic.saturatingProduct(frames / rate, 1000)
        let part = Int64(rate.dividingFullWidth((frames % rate).multipliedFullWidth(by: 1000)).quotient)
        let (sum, overflow) = whole.addingReportingOverflow(part)
        return overflow ? .max : sum
    }
}
