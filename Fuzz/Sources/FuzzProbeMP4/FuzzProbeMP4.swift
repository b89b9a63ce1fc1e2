// MP4/M4A: sniffer, MP4Reader (boxes, sample tables, fragments), decode.
import AudioPrep
import FuzzSupport

/// libFuzzer calls this with each input (`-sanitize=fuzzer` links libFuzzer's `main`).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    return ProbeFuzzing.run(fuzzInput(data, size), containers: [.mp4], extension: "m4a")
}
