internal import CSoxr

/// Converts a mono stream to another sample rate with libsoxr, streaming and deterministic.
///
/// Wraps `soxr_create` (HQ recipe, linear phase, Float32 in and out, one thread) and
/// `soxr_process`; at the end of the input it flushes with a NULL input until soxr returns
/// nothing. Float output means soxr applies no dither, so two runs give the same samples
/// (its INT16 output would be dithered from `time(0)`). soxr's contract gives exactly
/// `round(inputFrames × outputRate / inputRate)` output frames; `expectedOutputFrames(...)`
/// computes that number in integer arithmetic.
public final class SoxrResampler: MonoStream {
    private let upstream: any MonoStream
    private let handle: soxr_t
    public let sampleRate: Int
    private let inputRate: Int
    private var input: UnsafeMutableBufferPointer<Float>
    private var inputStart = 0
    private var inputEnd = 0
    private var upstreamEnded = false
    private var flushed = false

    /// The exact number of frames soxr produces for `inputFrames` at these rates:
    /// `round(inputFrames × outputRate / inputRate)`, halves rounded up.
    ///
    /// Inside `AudioLimits` (frames < 2^40, rates ≤ 2^20) the arithmetic cannot overflow; outside
    /// them it never traps (a rate outside 1…`maximumSampleRate` gives 0, a result beyond Int64
    /// saturates).
    public static func expectedOutputFrames(inputFrames: Int64, inputRate: Int, outputRate: Int) -> Int64 {
        if inputRate == outputRate { return inputFrames }
        let rates = 1...AudioLimits.maximumSampleRate
        guard rates.contains(inputRate), rates.contains(outputRate) else { return 0 }
        // frames × out / in = whole × out + rest × out / in, with rest < in: only the first
        // product can exceed Int64 (and then saturates); the rounding is unchanged.
        let whole = inputFrames / Int64(inputRate)
        let rest = inputFrames % Int64(inputRate)
        let rounded = (2 * rest * Int64(outputRate) + Int64(inputRate)) / (2 * Int64(inputRate))
        let (sum, overflow) = CheckedArithmetic.saturatingProduct(whole, Int64(outputRate)).addingReportingOverflow(rounded)
        return overflow ? .max : sum
    }

    /// Creates a resampler pulling from `upstream` and delivering `outputRate` samples.
    public init(upstream: any MonoStream, outputRate: Int) throws(AudioPrepError) {
        self.upstream = upstream
        self.inputRate = upstream.sampleRate
        self.sampleRate = outputRate
        var ioSpec = soxr_io_spec(SOXR_FLOAT32_I, SOXR_FLOAT32_I)
        ioSpec.flags = csoxr_NO_DITHER
        var quality = soxr_quality_spec(csoxr_HQ, csoxr_LINEAR_PHASE)
        var runtime = soxr_runtime_spec(1)
        var error: soxr_error_t? = nil
        let created = soxr_create(Double(inputRate), Double(outputRate), 1, &error, &ioSpec, &quality, &runtime)
        guard let created, error == nil else {
            let text = error.map { String(cString: $0) } ?? "unknown error"
            throw AudioPrepError(.internalError, "libsoxr could not create a \(inputRate) → \(outputRate) Hz resampler: \(text).")
        }
        handle = created
        input = .allocate(capacity: 8192)
    }

    deinit {
        soxr_delete(handle)
        input.deallocate()
    }

    public func read(into buffer: UnsafeMutableBufferPointer<Float>) throws(AudioPrepError) -> Int {
        guard buffer.count > 0 else { return 0 }
        while true {
            if inputStart == inputEnd, !upstreamEnded {
                let got = try upstream.read(into: input)
                inputStart = 0
                inputEnd = got
                if got == 0 { upstreamEnded = true }
            }
            var consumed = 0
            var produced = 0
            let error: soxr_error_t?
            if upstreamEnded {
                if flushed { return 0 }
                error = soxr_process(handle, nil, 0, nil, buffer.baseAddress, buffer.count, &produced)
                if error == nil, produced == 0 { flushed = true; return 0 }
            } else {
                error = soxr_process(
                    handle, input.baseAddress! + inputStart, inputEnd - inputStart, &consumed,
                    buffer.baseAddress, buffer.count, &produced)
                inputStart += consumed
            }
            if let error {
                throw AudioPrepError(.internalError, "libsoxr failed while resampling: \(String(cString: error)).")
            }
            if produced > 0 { return produced }
        }
    }
}
