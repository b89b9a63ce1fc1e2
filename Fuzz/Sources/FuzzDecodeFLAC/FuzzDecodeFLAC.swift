// The native FLAC frame decoder: STREAMINFO and the first frame's offset from libFLAC's
// metadata pass (as FLACReader gets them), then every frame to the end of the file — no
// stop at the probe's extent, so damaged and cut frames after it are decoded too.
@testable import AudioPrep
import FuzzSupport

/// Frames (per channel) decoded per input; a 65,535-sample block at most 16 times.
let frameLimit = 1 << 20

/// libFuzzer calls this with each input (`-sanitize=fuzzer` links libFuzzer's `main`).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    ScratchFile.with(fuzzInput(data, size), extension: "flac") { path in
        do {
            let metadata = try FLACStreamDecoder(path: path)
            let info = metadata.info
            // The native decoder's range; FLACReader hands wider streams to libFLAC.
            guard let offset = metadata.firstFrameOffset, (1...8).contains(info.channels),
                  (4...24).contains(info.bitsPerSample) else { return }
            let file = try BinaryFileReader(path: path)
            let decoder = NativeFLACDecoder(path: path, file: file, info: info, frameOffset: offset)
            let chunk = 4096
            let buffer = UnsafeMutablePointer<Float>.allocate(capacity: chunk * info.channels)
            defer { buffer.deallocate() }
            var total = 0
            while total < frameLimit {
                let n = try decoder.decode(into: buffer, frames: chunk)
                precondition(n >= 0 && n <= chunk, "fuzz: decode returned \(n) frames for \(chunk)")
                if n == 0 { break }
                for i in 0..<(n * info.channels) {
                    precondition(buffer[i] >= -1 && buffer[i] <= 1, "fuzz: sample \(buffer[i]) outside [-1, 1]")
                }
                total += n
            }
        } catch {
            // A refusal naming the problem.
        }
    }
    return 0
}
