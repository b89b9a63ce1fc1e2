/// When and how an upload is split into parts: files larger than ``threshold`` go up as an S3
/// multipart upload, in parts of ``minimumPartSize`` (grown up to ``maximumPartSize`` so a
/// file needs at most 10,000 parts, S3's limit), ``maxConcurrentParts`` at a time, each tried
/// up to ``maxAttempts`` times on transient failures.
public struct MultipartSettings: Sendable, Equatable {
    /// Files larger than this many bytes use a multipart upload (default 64 MiB).
    public var threshold: Int64
    /// The smallest part, in bytes (default 16 MiB; S3 refuses parts under 5 MiB but the last).
    public var minimumPartSize: Int64
    /// The largest part, in bytes (default 64 MiB).
    public var maximumPartSize: Int64
    /// Parts in flight at once (default 4).
    public var maxConcurrentParts: Int
    /// Attempts per request, the first included, on transient failures (default 4).
    public var maxAttempts: Int
    /// The wait before the first retry; each further retry waits twice as long, with jitter.
    public var initialBackoff: Duration

    /// S3's limit on the number of parts.
    public static let maximumPartCount: Int64 = 10_000

    /// The defaults described above, or other values (checked by ``validated()``).
    public init(
        threshold: Int64 = 64 << 20, minimumPartSize: Int64 = 16 << 20, maximumPartSize: Int64 = 64 << 20,
        maxConcurrentParts: Int = 4, maxAttempts: Int = 4, initialBackoff: Duration = .milliseconds(200)
    ) {
        self.threshold = threshold
        self.minimumPartSize = minimumPartSize
        self.maximumPartSize = maximumPartSize
        self.maxConcurrentParts = maxConcurrentParts
        self.maxAttempts = maxAttempts
        self.initialBackoff = initialBackoff
    }

    /// Throws unless every value is in range: sizes positive with minimum ≤ maximum ≤ 5 GiB,
    /// 1–16 parts in flight, 1–10 attempts, a backoff of 0–60 s.
    public func validated() throws(ObjectStoreError) -> MultipartSettings {
        let fiveGiB: Int64 = 5 << 30
        guard threshold >= 1, minimumPartSize >= 1, minimumPartSize <= maximumPartSize, maximumPartSize <= fiveGiB,
              (1...16).contains(maxConcurrentParts), (1...10).contains(maxAttempts),
              initialBackoff >= .zero, initialBackoff <= .seconds(60)
        else {
            throw ObjectStoreError(
                code: .invalidConfiguration,
                message: "multipart settings out of range: sizes must be positive with minimum ≤ maximum ≤ 5 GiB, 1–16 parts in flight, 1–10 attempts, a backoff of 0–60 s")
        }
        return self
    }

    /// The part size for a file of `size` bytes: the minimum, or larger when the file would
    /// otherwise need more than 10,000 parts. Throws when even the maximum part size is too small.
    public func partSize(forFileOfSize size: Int64) throws(ObjectStoreError) -> Int64 {
        let needed = size / Self.maximumPartCount + (size % Self.maximumPartCount == 0 ? 0 : 1)
        let partSize = max(minimumPartSize, needed)
        guard partSize <= maximumPartSize else {
            throw ObjectStoreError(
                code: .invalidArgument,
                message: "a file of \(size) bytes needs parts of \(partSize) bytes to stay within S3's 10,000 parts, above the maximum part size of \(maximumPartSize) bytes; raise maximumPartSize")
        }
        return partSize
    }
}
