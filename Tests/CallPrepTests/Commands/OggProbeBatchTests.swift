import Foundation
import Testing

/// One damaged Ogg file in a `probe --json` batch: its own error entry, the other files their
/// results, exit 1 — and a granule no length can have is counted, not a crash.
@Suite struct OggProbeBatchTests {
    /// `TestAudio/formats/opus.opus` with `edit` applied, written to `folder` as `name`.
    func damagedOpus(in folder: ScratchFolder, as name: String, _ edit: (inout [UInt8], _ pages: [Int]) -> Void) throws -> String {
        var bytes = Array(try Data(contentsOf: URL(fileURLWithPath: CLI.audio("formats/opus.opus"))))
        var pages: [Int] = []
        var position = 0
        while position + 27 <= bytes.count, bytes[position..<(position + 4)].elementsEqual("OggS".utf8) {
            pages.append(position)
            let segments = Int(bytes[position + 26])
            position += 27 + segments + bytes[(position + 27)..<(position + 27 + segments)].reduce(0) { $0 + Int($1) }
        }
        edit(&bytes, pages)
        let path = folder.path + "/" + name
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    func entries(_ output: CLI.Output) throws -> [[String: Any]] {
        try #require(try output.json() as? [[String: Any]])
    }

    @Test func aDamagedOpusHeaderGivesOneErrorEntryAndTheRestTheirResults() throws {
        let folder = try ScratchFolder()
        let bad = try damagedOpus(in: folder, as: "bad.opus") { bytes, pages in bytes[pages[0] + 40] ^= 0xFF }
        let output = try CLI.run(["probe", "--json", "TestAudio/call/agent.wav", bad, "TestAudio/call/customer.wav"])
        #expect(output.status == 1)
        let list = try entries(output)
        #expect(list.count == 3)
        #expect(list[0]["frames"] as? Int == 267_763)
        #expect((list[1]["error"] as? [String: Any])?["code"] as? String == "corrupt_file")
        #expect(list[1]["path"] as? String == bad)
        #expect(list[2]["frames"] != nil && list[2]["error"] == nil)
    }

    @Test func anImpossibleGranuleIsCountedNotACrash() throws {
        let folder = try ScratchFolder()
        // The last page's granule made negative, with its CRC-32 recomputed so the page is
        // intact: the length comes from decoding, and a note says the granule was wrong.
        let negative = try damagedOpus(in: folder, as: "negative.opus") { bytes, pages in
            let page = pages.last!
            for i in 0..<8 { bytes[page + 6 + i] = i == 0 ? 0xFB : 0xFF }
            for i in 22..<26 { bytes[page + i] = 0 }
            var crc: UInt32 = 0
            for byte in bytes[page...] {
                crc ^= UInt32(byte) << 24
                for _ in 0..<8 { crc = crc & 0x8000_0000 != 0 ? (crc << 1) ^ 0x04C1_1DB7 : crc << 1 }
            }
            for i in 0..<4 { bytes[page + 22 + i] = UInt8(truncatingIfNeeded: crc >> (8 * i)) }
        }
        let output = try CLI.run(["probe", "--json", "TestAudio/call/agent.wav", negative, "TestAudio/call/customer.wav"])
        #expect(output.status == 0)
        let list = try entries(output)
        #expect(list.count == 3)
        #expect(list.allSatisfy { $0["frames"] != nil })
        #expect(list[1]["length_source"] as? String == "decode")
        #expect((list[1]["frames"] as? Int ?? 0) >= 24_000)
        let notes = (list[1]["notes"] as? [[String: Any]]) ?? []
        #expect(notes.compactMap { $0["code"] as? String } == ["header_length_mismatch"])
        #expect((notes.first?["message"] as? String)?.contains("(-5)") == true)
    }
}
