import CallPrepJSON
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// When and how long to wait before trying a request again: exponential backoff with full
/// jitter, `Retry-After` honoured, bounded in attempts and in total time.
///
/// Retried: HTTP 429, 502, 503, 504 and connection failures. A transcript create is handled
/// more carefully by ``IntelligenceClient/createTranscript(_:)``.
public struct RetryPolicy: Sendable, Equatable {
    /// Total tries including the first (≥ 1).
    public var maxAttempts: Int
    /// Backoff cap for the first retry; doubles on each further retry.
    public var baseDelay: Duration
    /// Upper bound of one backoff wait (before `Retry-After` is considered).
    public var maxDelay: Duration
    /// Total time budget for all attempts and waits; no wait runs past it.
    public var maxTotalTime: Duration
    /// A `Retry-After` above this is not waited for: the error is returned instead.
    public var maxRetryAfter: Duration

    /// Defaults: 5 attempts, 0.5 s base, 20 s max wait, 120 s total, Retry-After up to 60 s.
    public init(maxAttempts: Int = 5, baseDelay: Duration = .milliseconds(500), maxDelay: Duration = .seconds(20),
                maxTotalTime: Duration = .seconds(120), maxRetryAfter: Duration = .seconds(60)) {
        self.maxAttempts = max(1, maxAttempts)
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.maxTotalTime = maxTotalTime
        self.maxRetryAfter = maxRetryAfter
    }

    /// No retries at all.
    public static let none = RetryPolicy(maxAttempts: 1)

    /// HTTP statuses worth retrying.
    public static let retryableStatuses: Set<Int> = [429, 502, 503, 504]

    /// The wait before retry number `retry` (1 = first retry), or `nil` when the policy says stop.
    /// - Parameters:
    ///   - retry: 1-based retry number; `retry + 1` is the attempt about to be made.
    ///   - retryAfter: the server's `Retry-After`, if any.
    ///   - elapsed: time spent so far.
    ///   - unit: a random number in `0..<1` (full jitter); injectable for tests.
    public func delay(beforeRetry retry: Int, retryAfter: Duration?, elapsed: Duration, unit: Double) -> Duration? {
        guard retry >= 1, retry < maxAttempts else { return nil }
        if let retryAfter, retryAfter > maxRetryAfter { return nil }
        let exponent = min(retry - 1, 30)
        let ceiling = min(maxDelay, baseDelay * (1 << exponent))
        let jittered = ceiling * min(max(unit, 0), 0.999_999)
        let wait = max(jittered, retryAfter ?? .zero)
        guard elapsed + wait <= maxTotalTime else { return nil }
        return wait
    }
}

/// Parses `Retry-After`: delta-seconds or an HTTP date.
enum RetryAfter {
    static func seconds(_ header: String?, now: Date = Date()) -> Double? {
        guard let header = header?.trimmingWhitespace(), !header.isEmpty else { return nil }
        if let value = Double(header), value >= 0, value.isFinite { return value }
        guard let date = HTTPDate.parse(header) else { return nil }
        return max(0, date.timeIntervalSince(now))
    }
}

extension Duration {
    /// Seconds as a Double.
    var secondsDouble: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }

    /// A duration from fractional seconds. A server's `Retry-After` can say anything, so values
    /// beyond a billion seconds (or NaN) become a billion seconds: far past any policy's
    /// `maxRetryAfter`, which then declines to wait, instead of trapping in the conversion.
    static func secondsDouble(_ value: Double) -> Duration {
        guard value.isFinite, abs(value) < 1e9 else { return .seconds(value < 0 ? -1_000_000_000 : 1_000_000_000) }
        return .nanoseconds(Int64((value * 1e9).rounded()))
    }
}
