import Foundation
import Testing
@testable import AudioPrep

@Suite struct TwilioRecordingListTests {
    /// A saved list response in the shape of twilio_video_v1.json's ListRoomRecordingResponse.
    static let page = Data("""
    {"recordings": [
      {"sid": "RT00000000000000000000000000000001", "type": "audio", "codec": "opus", "container_format": "mka",
       "offset": 10000, "track_name": "mic", "room_sid": "RM1",
       "grouping_sids": {"room_sid": "RM1", "participant_sid": "PA0000000000000000000000000000000A"}},
      {"sid": "RT00000000000000000000000000000002", "type": "video", "codec": "VP8", "container_format": "mkv",
       "offset": 10000, "grouping_sids": {"room_sid": "RM1", "participant_sid": "PA0000000000000000000000000000000A"}},
      {"sid": "RT00000000000000000000000000000003", "type": "audio", "codec": "PCMU", "container_format": "mka",
       "offset": 10000, "grouping_sids": {"room_sid": "RM1", "participant_sid": "PA0000000000000000000000000000000B"}},
      {"sid": "RT00000000000000000000000000000004", "type": "audio", "codec": "opus", "container_format": "mka",
       "offset": 12500, "grouping_sids": {"room_sid": "RM2", "participant_sid": "PA0000000000000000000000000000000A"}}
    ], "meta": {"page": 0, "page_size": 50, "next_page_url": null}}
    """.utf8)

    @Test func groupsAudioRecordingsByParticipant() throws {
        let list = try TwilioRecordingList(pages: [Self.page], path: "recordings.json")
        #expect(list.recordings.count == 3)
        let groups = list.byParticipant
        #expect(groups.map(\.participantSid) == ["PA0000000000000000000000000000000A", "PA0000000000000000000000000000000B"])
        #expect(groups[0].recordings.map(\.sid) == ["RT00000000000000000000000000000001", "RT00000000000000000000000000000004"])
        #expect(groups[1].recordings.first?.codec == "PCMU")
    }

    @Test func offsetsAreRelativeToTheEarliestRoom() throws {
        let list = try TwilioRecordingList(pages: [Self.page], path: "recordings.json")
        #expect(list.offsetNanoseconds(of: list.recordings[0]) == 0)
        #expect(list.offsetNanoseconds(of: list.recordings[2]) == 2_500_000_000)
    }

    @Test func filesAreMatchedBySid() throws {
        let list = try TwilioRecordingList(pages: [Self.page], path: "recordings.json")
        #expect(try list.recording(forFile: "downloads/RT00000000000000000000000000000003.mka")?.participantSid == "PA0000000000000000000000000000000B")
        #expect(try list.recording(forFile: "alice.mka") == nil)
    }

    @Test func otherJSONIsRefusedWithARemedy() {
        #expect {
            _ = try TwilioRecordingList(pages: [Data("{\"rooms\": []}".utf8)], path: "x.json")
        } throws: { error in
            (error as? AudioPrepError)?.code == .invalidArgument && (error as? AudioPrepError)?.message.contains("/Recordings") == true
        }
    }
}
