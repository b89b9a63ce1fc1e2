// The Matroska demuxer: the segment layout, then every block of each track (up to four), with
// lacing undone, as MatroskaAudioSource reads them — no decoding, so mutations reach the block
// and lacing parsers instead of stopping at a codec.
@testable import AudioPrep
import FuzzSupport

/// Tracks walked per input: each walk reads the whole segment.
let trackLimit = 4
/// Blocks per track: far above the seeds' hundreds, bounded so a run never stalls.
let blockLimit = 100_000

/// libFuzzer calls this with each input (`-sanitize=fuzzer` links libFuzzer's `main`).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    ScratchFile.with(fuzzInput(data, size), extension: "mka") { path in
        do {
            let file = try ContainerByteReader(path: path)
            let layout = try MatroskaLayoutParser(file: file).parse()
            for track in layout.tracks.prefix(trackLimit) {
                var blocks = MatroskaBlockReader(file: file, layout: layout, trackNumber: track.number)
                var count = 0
                while count < blockLimit, let block = try blocks.next() {
                    precondition(!block.frames.isEmpty, "fuzz: a block with no frames at byte \(block.offset)")
                    count += 1
                }
            }
        } catch {
            // A refusal naming the problem.
        }
    }
    return 0
}
