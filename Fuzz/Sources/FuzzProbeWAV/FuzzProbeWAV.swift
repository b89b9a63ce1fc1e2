// libsndfile's formats (WAV, RF64, W64, AIFF, CAF, AU): sniffer, SndFileReader, decode.
import AudioPrep
import FuzzSupport

/// libFuzzer calls this with each input (`-sanitize=fuzzer` links libFuzzer's `main`).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    return ProbeFuzzing.run(fuzzInput(data, size), containers: [.wav, .rf64, .w64, .aiff, .caf, .au], extension: "wav")
}
