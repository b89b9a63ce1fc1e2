// The MP4 demuxer: moov's sample tables, then moof fragments, packet by packet, as
// MP4AudioSource reads them — no decoding (AAC needs the GPL trait), so every mutation reaches
// the box, sample-table and fragment parsers.
@testable import AudioPrep
import FuzzSupport

/// Packets per input: far above the seeds' hundreds, bounded so a run never stalls.
let packetLimit = 1_000_000

/// libFuzzer calls this with each input (`-sanitize=fuzzer` links libFuzzer's `main`).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    ScratchFile.with(fuzzInput(data, size), extension: "m4a") { path in
        do {
            var packets = try MP4PacketReader(path: path)
            var count = 0
            while count < packetLimit, let packet = try packets.next() {
                precondition(packet.data.count <= MP4PacketReader.packetLimit, "fuzz: packet of \(packet.data.count) bytes")
                count += 1
            }
        } catch {
            // A refusal naming the problem.
        }
    }
    return 0
}
