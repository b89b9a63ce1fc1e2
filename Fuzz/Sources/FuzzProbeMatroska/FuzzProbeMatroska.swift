// Matroska/WebM: sniffer, MatroskaReader (layout, block timeline), decode.
import AudioPrep
import FuzzSupport

/// libFuzzer calls this with each input (`-sanitize=fuzzer` links libFuzzer's `main`).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    return ProbeFuzzing.run(fuzzInput(data, size), containers: [.matroska, .webm], extension: "mka")
}
