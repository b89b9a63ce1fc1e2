import Foundation
import Testing

/// `merge --recordings` on a three-person room: twilio-cli's JSON in two pages, identities from
/// a Participants list, `--channel` mixing two people on one channel, and the errors for a room
/// that cannot be merged as asked.
@Suite struct MergeRoomCommandTests {
    static let agent = "PA0000000000000000000000000000000A"
    static let alice = "PA0000000000000000000000000000000B"
    static let bob = "PA0000000000000000000000000000000C"
    static let room = "RM00000000000000000000000000000001"
    static func rt(_ n: Int) -> String { "RT0000000000000000000000000000000\(n)" }

    /// RT1 = agent (room-alice, 1.564 s), RT2 = alice (room-bob, 4.2 s), RT3 = bob (opus-gaps,
    /// 1.564 s), each downloaded as RTn.mka; the list as twilio-cli prints it, split over two
    /// files; the Participants list as the API returns it.
    static func roomFolder(size: String? = nil, duration: String = "3") throws -> ScratchFolder {
        let folder = try ScratchFolder()
        for (n, fixture) in [(1, "room-alice.mka"), (2, "room-bob.mka"), (3, "opus-gaps.mka")] {
            _ = try folder.copy("video/\(fixture)", as: "\(rt(n)).mka")
        }
        func item(_ n: Int, _ participant: String) -> String {
            let bytes = size ?? String(try! FileManager.default.attributesOfItem(atPath: folder.path + "/\(rt(n)).mka")[.size] as! Int)
            return """
                {"accountSid": "AC00000000000000000000000000000000", "status": "completed", "dateCreated": "2026-12-05T10:05:00Z",
                 "sid": "\(rt(n))", "sourceSid": "MT0000000000000000000000000000000\(n)", "size": \(bytes), "type": "audio",
                 "duration": \(duration), "containerFormat": "mka", "codec": "opus", "trackName": "mic",
                 "groupingSids": {"room_sid": "\(room)", "participant_sid": "\(participant)"}, "offset": 10000,
                 "mediaExternalLocation": null, "roomSid": "\(room)"}
                """
        }
        _ = try folder.write("[\(item(1, agent)), \(item(2, alice))]", as: "recordings-1.json")
        _ = try folder.write("[\(item(3, bob))]", as: "recordings-2.json")
        _ = try folder.write("""
            {"participants": [
              {"sid": "\(agent)", "identity": "agent", "status": "disconnected", "start_time": "2026-12-05T10:00:01Z"},
              {"sid": "\(bob)", "identity": "bob", "status": "disconnected", "start_time": "2026-12-05T10:00:03.250Z"},
              {"sid": "\(alice)", "identity": "alice", "status": "disconnected", "start_time": "2026-12-05T10:00:02Z"}
            ], "meta": {"page": 0}}
            """, as: "participants.json")
        return folder
    }

    static func lists(_ folder: ScratchFolder) -> [String] {
        ["--recordings", folder.path + "/recordings-1.json", "--recordings", folder.path + "/recordings-2.json",
         "--participants", folder.path + "/participants.json"]
    }

    @Test func threeParticipantsNeedChannelsAndTheErrorShowsThem() throws {
        let folder = try Self.roomFolder()
        let result = try CLI.run(["merge"] + Self.lists(folder) + ["-o", folder.path + "/call.flac"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("the room has 3 participants with audio: agent (\(Self.agent), 1 recording); alice (\(Self.alice), 1 recording); bob (\(Self.bob), 1 recording)"))
        #expect(result.stderr.contains("--channel 1=agent --channel 2=alice,bob"))
        #expect(!FileManager.default.fileExists(atPath: folder.path + "/call.flac"))
    }

    @Test func channelMixesTwoParticipantsAndTheManifestRecordsTheRoom() throws {
        let folder = try Self.roomFolder()
        let result = try CLI.run(
            ["merge"] + Self.lists(folder) + ["--channel", "1=agent", "--channel", "2=alice,bob", "-o", folder.path + "/call.flac", "--json"])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let json = try result.json() as! [String: Any]
        #expect(json["room_sid"] as? String == Self.room)
        let participants = json["participants"] as! [[String: Any]]
        #expect(participants.map { $0["full_name"] as? String } == ["agent", "alice, bob"])
        #expect(participants.map { $0["user_id"] as? String } == ["agent", nil])
        #expect(participants.map { $0["media_participant_id"] as? String } == [Self.agent, nil])
        let inputs = json["inputs"] as! [[String: Any]]
        let recordings = inputs.map { $0["recording"] as! [String: Any] }
        #expect(recordings.map { $0["sid"] as? String } == [Self.rt(1), Self.rt(2), Self.rt(3)])
        #expect(recordings.map { $0["participant_sid"] as? String } == [Self.agent, Self.alice, Self.bob])
        #expect(recordings.map { $0["offset_ms"] as? Int } == [10000, 10000, 10000])
        #expect(inputs.map { $0["size_bytes"] as? Int } == [1, 2, 3].map { n in
            try? FileManager.default.attributesOfItem(atPath: folder.path + "/\(Self.rt(n)).mka")[.size] as? Int })
        let channels = json["channels"] as! [[String: Any]]
        #expect(channels.map { $0["mixed_streams"] as? Int } == [nil, 2])
        #expect(channels.map { $0["clipped_samples"] as? Int } == [nil, 0])
        // The same samples as mixing the two files on channel 2 by hand.
        let byHand = try CLI.run([
            "merge", "--track", "1=\(folder.path)/\(Self.rt(1)).mka", "--track", "2=\(folder.path)/\(Self.rt(2)).mka,\(folder.path)/\(Self.rt(3)).mka",
            "-o", folder.path + "/hand.flac", "--json",
        ])
        #expect(byHand.status == 0, "stderr: \(byHand.stderr)")
        let handOutput = (try byHand.json() as! [String: Any])["output"] as! [String: Any]
        let output = json["output"] as! [String: Any]
        #expect(output["stream_md5"] as? String == handOutput["stream_md5"] as? String)
        #expect(output["frames"] as? Int == 82_176)
        // The summary says what was mixed.
        let text = try CLI.run(["merge"] + Self.lists(folder) + ["--channel", "1=agent", "--channel", "2=\(Self.alice),bob", "-o", folder.path + "/t.flac"])
        #expect(text.status == 0)
        #expect(text.stdout.contains("channel 2 (Customer, alice, bob) ← \(folder.path)/\(Self.rt(2)).mka + \(folder.path)/\(Self.rt(3)).mka"))
        #expect(text.stdout.contains("2 streams mixed, 0 samples clipped"))
    }

    @Test func aMissingDownloadNamesTheRecordingAndTheFileLookedFor() throws {
        let folder = try Self.roomFolder()
        try FileManager.default.removeItem(atPath: folder.path + "/\(Self.rt(2)).mka")
        let result = try CLI.run(["merge"] + Self.lists(folder) + ["--channel", "1=agent", "--channel", "2=alice,bob", "-o", folder.path + "/call.flac"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("\(folder.path)/\(Self.rt(2)).mka: recording \(Self.rt(2)) of alice (\(Self.alice)) has no file here"))
        #expect(!FileManager.default.fileExists(atPath: folder.path + "/call.flac"))
    }

    @Test(arguments: [("1e30", "3", "has size 1e+30 bytes"), ("-1", "3", "has size -1 bytes"), (nil, "99999999999", "has duration 99999999999 s"), (nil, "2.5", "has duration 2.5 s")])
    func absurdNumbersInTheListAreNamed(size: String?, duration: String, expected: String) throws {
        let folder = try Self.roomFolder(size: size, duration: duration)
        let result = try CLI.run(["merge"] + Self.lists(folder) + ["--channel", "1=agent", "--channel", "2=alice,bob", "-o", folder.path + "/call.flac"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("recording \(Self.rt(1)) \(expected)"), "stderr: \(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: folder.path + "/call.flac"))
    }

    @Test func channelIsAUsageErrorWithoutRecordingsOrWithBadSyntax() throws {
        let folder = try Self.roomFolder()
        let alone = try CLI.run(["merge", CLI.audio("call/agent.wav"), CLI.audio("call/customer.wav"), "--channel", "1=agent", "-o", folder.path + "/a.flac"])
        #expect(alone.status == 2)
        #expect(alone.stderr.contains("need --recordings"))
        let bad = try CLI.run(["merge"] + Self.lists(folder) + ["--channel", "3=agent", "-o", folder.path + "/b.flac"])
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("--channel takes N=WHO[,WHO…]"))
    }
}
