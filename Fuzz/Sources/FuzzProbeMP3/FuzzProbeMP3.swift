// MP3: sniffer (ID3v2 skipping), MP3Reader (Xing/frame scan), decode.
import AudioPrep
import FuzzSupport

/// libFuzzer calls this with each input (`-sanitize=fuzzer` links libFuzzer's `main`).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    return ProbeFuzzing.run(fuzzInput(data, size), containers: [.mp3], extension: "mp3")
}
