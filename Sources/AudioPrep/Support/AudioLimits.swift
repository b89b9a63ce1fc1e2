/// The ranges callprep accepts for the numbers that describe audio: sample rate, channel count
/// and length in frames.
///
/// Every such number comes from an untrusted file (a header, a granule, a block count) or from a
/// caller's own `PCMSource`. Checking it once against these bounds, where a file is opened and
/// where a merge takes its inputs, makes the arithmetic after it safe by construction: a length
/// (< 2^40 frames) times a rate (≤ 2^20 Hz) is below 2^60, so products such as `frames × 1000`
/// or `frames × outputRate` cannot overflow `Int64`.
public enum AudioLimits {
    /// The highest sample rate accepted, 1,048,576 Hz (FLAC's own limit is 1,048,575 Hz).
    public static let maximumSampleRate = 1 << 20
    /// The most channels accepted (libsndfile's own limit).
    public static let maximumChannels = 1024
    /// The longest length accepted, 2^40 frames: 2.2 years at 16 kHz, 19 days at 655,350 Hz.
    public static let maximumFrames: Int64 = 1 << 40

    /// Throws `corruptFile`, naming the field and its value, when a rate, channel count or
    /// length is outside these bounds (a damaged header, or a reader that mis-counted).
    public static func check(sampleRate: Int, channels: Int, frames: Int64?, path: String?) throws(AudioPrepError) {
        guard (1...maximumSampleRate).contains(sampleRate) else {
            throw AudioPrepError(
                .corruptFile, path: path,
                "the sample rate is \(sampleRate) Hz, outside the 1…\(maximumSampleRate) Hz that audio has; the header is damaged. Re-export or re-download the file.")
        }
        guard (1...maximumChannels).contains(channels) else {
            throw AudioPrepError(
                .corruptFile, path: path,
                "the channel count is \(channels), outside 1…\(maximumChannels); the header is damaged. Re-export or re-download the file.")
        }
        if let frames, !(0...maximumFrames).contains(frames) {
            throw AudioPrepError(
                .corruptFile, path: path,
                "the length is \(frames) frames, outside 0…\(maximumFrames) (2^40); the header or the stream's positions are damaged. Re-export or re-download the file.")
        }
    }
}

/// Integer arithmetic on numbers that came from outside (files, JSON, callers): the result, or
/// the error the caller names when it does not fit in `Int64`. Never a trap.
enum CheckedArithmetic {
    static func sum(_ a: Int64, _ b: Int64, else error: @autoclosure () -> AudioPrepError) throws(AudioPrepError) -> Int64 {
        let (value, overflow) = a.addingReportingOverflow(b)
        if overflow { throw error() }
        return value
    }

    static func difference(_ a: Int64, _ b: Int64, else error: @autoclosure () -> AudioPrepError) throws(AudioPrepError) -> Int64 {
        let (value, overflow) = a.subtractingReportingOverflow(b)
        if overflow { throw error() }
        return value
    }

    /// `a × b`, saturated at `Int64.min`/`Int64.max` where the exact product does not fit: for
    /// limits and displays, where "more than any Int64" compares and prints correctly.
    static func saturatingProduct(_ a: Int64, _ b: Int64) -> Int64 {
        let (value, overflow) = a.multipliedReportingOverflow(by: b)
        guard overflow else { return value }
        return (a < 0) == (b < 0) ? .max : .min
    }
}
