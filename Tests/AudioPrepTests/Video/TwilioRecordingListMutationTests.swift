import Foundation
import Testing

@testable import AudioPrep

/// Seeded damage to a saved Recordings list, the counterpart of the `FuzzRecordings` libFuzzer
/// target: every mutant is read into offsets that are never negative and a channel grouping,
/// or refused with an error — never a trap.
@Suite struct TwilioRecordingListMutationTests {
    static let list = Data("""
        {"recordings": [
          {"sid": "RT00000000000000000000000000000001", "type": "audio", "codec": "opus", "container_format": "mka",
           "offset": 10000, "track_name": "mic", "room_sid": "RM1",
           "grouping_sids": {"room_sid": "RM1", "participant_sid": "PA0000000000000000000000000000000A"}},
          {"sid": "RT00000000000000000000000000000002", "type": "video", "offset": 10000,
           "grouping_sids": {"room_sid": "RM1", "participant_sid": "PA0000000000000000000000000000000A"}},
          {"sid": "RT00000000000000000000000000000003", "type": "audio", "codec": "PCMU", "offset": 0,
           "grouping_sids": {"room_sid": "RM1", "participant_sid": "PA0000000000000000000000000000000B"}}
        ], "meta": {"page": 0, "page_size": 50, "next_page_url": null}}
        """.utf8)

    @Test func randomDamageIsReadOrRefusedNeverFatal() throws {
        let iterations = SeededMutations.iterations(default: 400)
        var rng = SplitMix64(seed: 0x5EED_0150)
        var read = 0
        var refused = 0
        for _ in 0..<iterations {
            let bytes = SeededMutations.mutant(of: Array(Self.list), hotZone: Self.list.count, using: &rng)
            do {
                let list = try TwilioRecordingList(pages: [Data(bytes)], path: "recordings.json")
                for recording in list.recordings {
                    #expect(list.offsetNanoseconds(of: recording) >= 0)
                }
                if let located = try? TwilioRecordingFiles(list: list, files: list.recordings.map { "\($0.sid).mka" }, folder: ".") {
                    _ = try? TwilioRoomMerge(roomSID: nil, recordings: located.recordings, participants: [])
                }
                read += 1
            } catch {
                #expect(error.path == "recordings.json")
                refused += 1
            }
        }
        #expect(read + refused == iterations)
        #expect(read > 0, "damage inside a string value still reads")
        #expect(refused > iterations / 4, "damage to the JSON's structure is refused")
    }
}
