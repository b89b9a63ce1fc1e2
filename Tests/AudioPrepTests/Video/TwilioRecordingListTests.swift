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

    @Test func twilioCLIArraysAndSeveralPagesAreReadWithTheirNumbers() throws {
        let dir = try TestFiles.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let first = dir.appendingPathComponent("page-1.json"), second = dir.appendingPathComponent("page-2.json")
        try Data("""
            [{"sid": "RT00000000000000000000000000000001", "type": "audio", "offset": 10000, "size": 9656, "duration": 3,
              "containerFormat": "mka", "codec": "opus", "status": "completed", "trackName": "mic",
              "groupingSids": {"room_sid": "RM00000000000000000000000000000001", "participant_sid": "PA0000000000000000000000000000000A"}}]
            """.utf8).write(to: first)
        // The second page in the API's shape, repeating the first page's recording.
        try Data("""
            {"recordings": [{"sid": "RT00000000000000000000000000000001", "type": "audio", "offset": 10000,
                             "grouping_sids": {"participant_sid": "PA0000000000000000000000000000000A"}},
                            {"sid": "RT00000000000000000000000000000002", "type": "audio", "offset": "12500", "size": null,
                             "participantSid": "PA0000000000000000000000000000000B", "roomSid": "RM00000000000000000000000000000001"}],
             "meta": {"next_page_url": null}}
            """.utf8).write(to: second)
        let list = try TwilioRecordingList(files: [first.path, second.path])
        #expect(list.recordings.map(\.sid) == ["RT00000000000000000000000000000001", "RT00000000000000000000000000000002"])
        #expect(list.recordings[0] == TwilioRecordingList.Recording(
            sid: "RT00000000000000000000000000000001", participantSid: "PA0000000000000000000000000000000A",
            roomSid: "RM00000000000000000000000000000001", trackName: "mic", offsetMilliseconds: 10000, codec: "opus",
            containerFormat: "mka", sizeBytes: 9656, durationSeconds: 3, status: "completed"))
        #expect(list.recordings[1].participantSid == "PA0000000000000000000000000000000B")
        #expect(list.recordings[1].offsetMilliseconds == 12500 && list.recordings[1].sizeBytes == nil)
        #expect(list.recordings[1].fileName == "RT00000000000000000000000000000002.mka")
        #expect {
            _ = try TwilioRecordingList(files: [dir.appendingPathComponent("missing.json").path])
        } throws: { error in
            (error as? AudioPrepError)?.code == .fileNotFound && (error as? AudioPrepError)?.path?.hasSuffix("missing.json") == true
        }
    }

    @Test(arguments: [("offset", "1500.5", "ms"), ("size", "true", "bytes"), ("duration", "-3", "s"), ("size", "\"big\"", "bytes")])
    func numbersOutsideTheirRangeAreRefusedNamingTheField(field: String, value: String, unit: String) {
        let page = Data("""
            [{"sid": "RT00000000000000000000000000000001", "type": "audio", "\(field)": \(value), "participantSid": "PA0000000000000000000000000000000A"}]
            """.utf8)
        #expect {
            _ = try TwilioRecordingList(pages: [page], path: "cli.json")
        } throws: { error in
            guard let error = error as? AudioPrepError else { return false }
            return error.code == .invalidArgument && error.path == "cli.json"
                && error.message.contains("recording RT00000000000000000000000000000001 has \(field) ") && error.message.contains(" \(unit), outside ")
        }
    }
}
