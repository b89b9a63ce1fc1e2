import Foundation
import Testing
@testable import AudioPrep

/// Grouping downloaded recordings by participant with the Recordings list, then merging them.
@Suite struct TwilioRoomTracksTests {
    static let participantA = "PA0000000000000000000000000000000A"
    static let participantB = "PA0000000000000000000000000000000B"
    static let participantC = "PA0000000000000000000000000000000C"

    /// A saved list (fields as in twilio_video_v1.json's video.v1.room.room_recording): A has two
    /// audio recordings (the second in a room whose offset is 2.5 s later) and a video one, B one.
    static func listJSON(extraParticipant: Bool = false) -> Data {
        func item(_ n: Int, _ type: String, _ offset: Int, _ participant: String) -> String {
            """
            {"sid": "RT0000000000000000000000000000000\(n)", "type": "\(type)", "codec": "\(type == "audio" ? "opus" : "VP8")",
             "container_format": "\(type == "audio" ? "mka" : "mkv")", "offset": \(offset), "status": "completed",
             "track_name": "t\(n)", "room_sid": "RM00000000000000000000000000000001",
             "grouping_sids": {"room_sid": "RM00000000000000000000000000000001", "participant_sid": "\(participant)"}}
            """
        }
        var items = [item(1, "audio", 10000, participantA), item(2, "video", 10000, participantA),
                     item(3, "audio", 10000, participantB), item(4, "audio", 12500, participantA)]
        if extraParticipant { items.append(item(5, "audio", 10000, participantC)) }
        return Data("{\"recordings\": [\(items.joined(separator: ",\n"))], \"meta\": {\"page\": 0, \"page_size\": 50}}".utf8)
    }

    /// A folder with the list and the downloads named after their SIDs:
    /// RT…1 = room-alice (A, 1.564 s), RT…4 = room-bob (A, 4.2 s + 2.5 s offset), RT…3 = room-bob (B, 4.2 s).
    static func roomFolder(extraParticipant: Bool = false, omit: Int? = nil) throws -> URL {
        let dir = try TestFiles.temporaryDirectory()
        try listJSON(extraParticipant: extraParticipant).write(to: dir.appendingPathComponent("recordings.json"))
        var files = [1: "room-alice.mka", 3: "room-bob.mka", 4: "room-bob.mka"]
        if extraParticipant { files[5] = "room-bob.mka" }
        for (n, fixture) in files where n != omit {
            try FileManager.default.copyItem(
                atPath: VideoFixtures.path(fixture), toPath: dir.appendingPathComponent("RT0000000000000000000000000000000\(n).mka").path)
        }
        return dir
    }

    private func list(extraParticipant: Bool = false) throws -> TwilioRecordingList {
        try TwilioRecordingList(pages: [Self.listJSON(extraParticipant: extraParticipant)], path: "recordings.json")
    }

    @Test func filesBesideTheListAreGroupedWithOffsets() throws {
        let dir = try Self.roomFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let room = try TwilioRoomTracks(list: try list(), files: [], folder: dir.path)
        #expect(room.channels.map(\.participantSid) == [Self.participantA, Self.participantB])
        #expect(room.channels[0].track.files.map { ($0.path as NSString).lastPathComponent }
            == ["RT00000000000000000000000000000001.mka", "RT00000000000000000000000000000004.mka"])
        #expect(room.channels[0].track.files.map(\.offsetNanoseconds) == [0, 2_500_000_000])
        #expect(room.channels[1].track.files.map(\.offsetNanoseconds) == [0])
        // Naming B first puts B on channel 1.
        let swapped = try TwilioRoomTracks(list: try list(), files: [], folder: dir.path, channelOrder: [Self.participantB])
        #expect(swapped.channels.map(\.participantSid) == [Self.participantB, Self.participantA])
    }

    @Test func groupedRecordingsMergeAtRoomTimes() throws {
        let dir = try Self.roomFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let room = try TwilioRoomTracks(list: try list(), files: [], folder: dir.path)
        let manifest = try Merger(configuration: MergeConfiguration(
            tracks: room.channels.map(\.track), output: dir.appendingPathComponent("room.flac").path,
            sampleRate: .fixed(48000), encoderThreads: 2)).run()
        // A: 1.564 s … 4.564 s, then 6.7 s … 9.2 s → 7.636 s = 366 528 frames; B from 4.2 s.
        #expect(manifest.alignment == "timestamps")
        #expect(manifest.channels.map(\.contentFrames) == [366_528, 120_000])
        #expect(manifest.channels.map(\.leadFrames) == [0, 126_528])
        #expect(manifest.output.frames == 366_528)
        let left = try MergeTestAudio.read16(dir.appendingPathComponent("room.flac").path).channel(0)
        #expect(left[144_000..<246_528].allSatisfy { $0 == 0 })  // 4.564 … 6.7 s
        #expect(left[246_528..<(246_528 + 4800)].contains { abs(Int($0)) > 300 })
    }

    @Test func aMissingRecordingIsNamed() throws {
        let dir = try Self.roomFolder(omit: 4)
        defer { try? FileManager.default.removeItem(at: dir) }
        #expect {
            _ = try TwilioRoomTracks(list: try list(), files: [], folder: dir.path)
        } throws: { error in
            guard let error = error as? AudioPrepError else { return false }
            return error.code == .fileNotFound && error.message.contains("RT00000000000000000000000000000004")
                && error.message.contains(Self.participantA)
        }
    }

    @Test func threeParticipantsAreRefusedWithTheirList() throws {
        let dir = try Self.roomFolder(extraParticipant: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        #expect {
            _ = try TwilioRoomTracks(list: try list(extraParticipant: true), files: [], folder: dir.path)
        } throws: { error in
            guard let error = error as? AudioPrepError else { return false }
            return error.code == .invalidArgument && error.message.contains("belong to 3")
                && [Self.participantA, Self.participantB, Self.participantC].allSatisfy { error.message.contains($0) }
        }
        // Passing the files of two of them works.
        let files = ["1", "3", "4"].map { dir.appendingPathComponent("RT0000000000000000000000000000000\($0).mka").path }
        let room = try TwilioRoomTracks(list: try list(extraParticipant: true), files: files, folder: nil)
        #expect(room.channels.map(\.participantSid) == [Self.participantA, Self.participantB])
    }

    @Test func unknownFilesAndParticipantsAreErrors() throws {
        let dir = try Self.roomFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        #expect(throws: AudioPrepError.self) {
            _ = try TwilioRoomTracks(list: try list(), files: [VideoFixtures.path("room-alice.mka")], folder: nil)
        }
        #expect {
            _ = try TwilioRoomTracks(list: try list(), files: [], folder: dir.path, channelOrder: [Self.participantC])
        } throws: { error in
            (error as? AudioPrepError)?.message.contains("is not among the participants found") == true
        }
    }
}
