import Foundation
import Testing
@testable import AudioPrep

/// A saved Recordings list is untrusted JSON: an `offset` whose nanoseconds do not fit in Int64
/// is refused when the list is read, naming the recording, instead of trapping later.
@Suite struct TwilioRecordingListRobustnessTests {
    private func page(offsets: [String]) -> Data {
        let items = offsets.enumerated().map { index, offset in
            """
            {"sid": "RT0000000000000000000000000000000\(index + 1)", "type": "audio", "offset": \(offset),
             "grouping_sids": {"participant_sid": "PA000000000000000000000000000000\(index + 10)"}}
            """
        }
        return Data("{\"recordings\": [\(items.joined(separator: ","))], \"meta\": {}}".utf8)
    }

    @Test(arguments: ["9300000000000", "-1", "9223372036854775807", "-9223372036854775808", "9223372036855"])
    func anOffsetOutsideTheRangeIsRefusedNamingTheRecording(offset: String) {
        #expect {
            _ = try TwilioRecordingList(pages: [page(offsets: ["10000", offset])], path: "recordings.json")
        } throws: { error in
            guard let error = error as? AudioPrepError else { return false }
            return error.code == .invalidArgument && error.path == "recordings.json"
                && error.message.contains("recording RT00000000000000000000000000000002 has offset \(offset) ms")
        }
    }

    @Test func theLargestOffsetsInRangeGiveExactNanoseconds() throws {
        let largest = TwilioRecordingList.offsetRange.upperBound
        #expect(largest == 9_223_372_036_854)
        let list = try TwilioRecordingList(pages: [page(offsets: ["0", "\(largest)"])], path: "recordings.json")
        #expect(list.offsetNanoseconds(of: list.recordings[0]) == 0)
        #expect(list.offsetNanoseconds(of: list.recordings[1]) == largest * 1_000_000)
    }

    @Test func aListBuiltByHandIsClampedNotTrapped() throws {
        var list = try TwilioRecordingList(pages: [page(offsets: ["0", "5"])], path: "recordings.json")
        list.recordings[1].offsetMilliseconds = Int64.max
        list.recordings[0].offsetMilliseconds = Int64.min
        #expect(list.offsetNanoseconds(of: list.recordings[0]) == 0)
        #expect(list.offsetNanoseconds(of: list.recordings[1]) == TwilioRecordingList.offsetRange.upperBound * 1_000_000)
    }
}
