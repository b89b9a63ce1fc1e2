#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Time bounds for tests that check a reader ends promptly on hostile input (a hang is the bug
/// they catch). The bounds are set for the ordinary debug build (`make test`). Under
/// AddressSanitizer (`swift test --sanitize=address`, Docs/Development.md) every memory access
/// is checked and every allocation padded, and the same work takes measurably longer (2.5× for
/// `nestedUnknownSizeClustersTerminate`, 1.5× for the Matroska mutations); there the bounds are
/// multiplied by `factor`, so the sanitizer run still catches a hang without failing on the
/// sanitizer's own cost. An ordinary build keeps the bounds exactly as written.
enum SanitizerTiming {
    /// Whether AddressSanitizer's runtime is in this process (its `__asan_init` is linked in only
    /// by `-sanitize=address`).
    static let addressSanitized: Bool = {
        guard let process = dlopen(nil, RTLD_LAZY) else { return false }
        defer { dlclose(process) }
        return dlsym(process, "__asan_init") != nil
    }()

    /// How much longer a bound may be in this build: 4 under AddressSanitizer, else 1.
    static var factor: Int { addressSanitized ? 4 : 1 }

    /// `bound` for this build.
    static func bound(_ bound: Duration) -> Duration { bound * factor }
}
