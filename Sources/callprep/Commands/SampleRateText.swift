/// `--sample-rate` values: Hz (`16000`) or kHz with a `k` (`16k`, `8k`, `44.1k`, `22.05k`),
/// as sox and ffmpeg users write them. A kHz value must name a whole number of Hz.
enum SampleRateText {
    /// The rate in Hz, or nil when `text` is neither form (or longer than any real rate).
    static func hertz(_ text: String) -> Int? {
        guard !text.isEmpty, text.utf8.count <= 10 else { return nil }
        guard text.last == "k" || text.last == "K" else { return digits(Substring(text)) }
        let number = text.dropLast()
        let parts = number.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard let whole = digits(parts[0]) else { return nil }
        guard parts.count == 2 else { return whole * 1000 }
        let fraction = parts[1]
        guard !fraction.isEmpty, fraction.count <= 3, let value = digits(fraction) else { return nil }
        var scale = 1000
        for _ in 0..<fraction.count { scale /= 10 }
        return whole * 1000 + value * scale
    }

    /// A plain run of ASCII digits (at most 7) as a number.
    private static func digits(_ text: Substring) -> Int? {
        guard !text.isEmpty, text.count <= 7, text.utf8.allSatisfy({ (0x30...0x39).contains($0) }) else { return nil }
        return Int(text)
    }
}
