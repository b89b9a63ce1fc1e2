import Foundation
import Testing

/// `callprep merge` on Twilio Video track recordings, through the built binary: container
/// timestamps, several files per participant, and a saved Recordings list.
@Suite struct MergeTimelineCommandTests {
    private let alice = CLI.audio("video/room-alice.mka")
    private let bob = CLI.audio("video/room-bob.mka")

    private func temporaryFolder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("callprep-timeline-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    private func channels(_ json: Any) -> [[String: Any]] {
        (json as! [String: Any])["channels"] as! [[String: Any]]
    }

    @Test func matroskaTracksAreAlignedByTimestampsByDefault() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let out = folder.appendingPathComponent("room.flac").path
        let result = try CLI.run(["merge", alice, bob, "-o", out, "--json"])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let json = try result.json() as! [String: Any]
        #expect(json["alignment"] as? String == "timestamps")
        #expect(json["timeline_origin_ns"] as? Int == 1_564_000_000)
        #expect(channels(json).map { $0["lead_frames"] as? Int } == [0, 42_176])
        #expect(channels(json).map { $0["start_time_ns"] as? Int } == [1_564_000_000, 4_200_000_000])
        #expect((json["output"] as! [String: Any])["frames"] as? Int == 82_176)
        let text = try CLI.run(["merge", alice, bob, "-o", folder.appendingPathComponent("t.flac").path])
        #expect(text.status == 0)
        #expect(text.stdout.contains("aligned by container timestamps: t = 0 is 1.564 s"))
        #expect(text.stdout.contains("lead 42176 frames (2.636 s)"))
        // --align start still puts both at 0.
        let start = try CLI.run(["merge", alice, bob, "-o", folder.appendingPathComponent("s.flac").path, "--json", "--align", "start"])
        #expect(start.status == 0)
        #expect(channels(try start.json()).map { $0["lead_frames"] as? Int } == [0, 0])
        // --timeline room: 0 is the room's creation.
        let room = try CLI.run(["merge", alice, bob, "-o", folder.appendingPathComponent("r.flac").path, "--json", "--timeline", "room"])
        #expect(room.status == 0, "stderr: \(room.stderr)")
        #expect(channels(try room.json()).map { $0["lead_frames"] as? Int } == [25_024, 67_200])
    }

    @Test func severalFilesPerChannelAndOverlaps() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        // Overlapping recordings on one channel are mixed (they used to be refused).
        let overlap = try CLI.run(["merge", "--track", "1=\(alice),\(bob)", "--track", "2=\(bob)", "-o", folder.appendingPathComponent("o.flac").path, "--json"])
        #expect(overlap.status == 0, "stderr: \(overlap.stderr)")
        let mixedChannel = channels(try overlap.json())[0]
        #expect(mixedChannel["mixed_streams"] as? Int == 2 && mixedChannel["clipped_samples"] as? Int == 0)
        #expect(mixedChannel["content_frames"] as? Int == 82_176)
        // Mixing the two forms, or a missing channel, is a usage error.
        let mixed = try CLI.run(["merge", alice, bob, "--track", "1=\(alice)", "-o", folder.appendingPathComponent("m.flac").path])
        #expect(mixed.status == 2)
        let half = try CLI.run(["merge", "--track", "1=\(alice)", "-o", folder.appendingPathComponent("h.flac").path])
        #expect(half.status == 2)
        let wav = try CLI.run(["merge", CLI.audio("call/agent.wav"), bob, "--align", "timestamps", "-o", folder.appendingPathComponent("w.flac").path])
        #expect(wav.status == 1)
        #expect(wav.stderr.contains("--align timestamps needs container timestamps"))
    }

    @Test func recordingsListGroupsFilesBesideIt() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let a = "PA0000000000000000000000000000000A", b = "PA0000000000000000000000000000000B"
        func item(_ n: Int, _ participant: String, _ offset: Int) -> String {
            """
            {"sid": "RT0000000000000000000000000000000\(n)", "type": "audio", "codec": "opus", "container_format": "mka",
             "offset": \(offset), "grouping_sids": {"room_sid": "RM1", "participant_sid": "\(participant)"}}
            """
        }
        let list = "{\"recordings\": [\(item(1, a, 10000)), \(item(3, b, 10000)), \(item(4, a, 12500))], \"meta\": {}}"
        try Data(list.utf8).write(to: folder.appendingPathComponent("recordings.json"))
        for (n, source) in [(1, alice), (3, bob), (4, bob)] {
            try FileManager.default.copyItem(atPath: source, toPath: folder.appendingPathComponent("RT0000000000000000000000000000000\(n).mka").path)
        }
        let out = folder.appendingPathComponent("room.flac").path
        let result = try CLI.run([
            "merge", "--recordings", folder.appendingPathComponent("recordings.json").path, "-o", out, "--json",
            "--participant", "\(b):role=Agent,full_name=Bob",
        ])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let json = try result.json() as! [String: Any]
        let participants = json["participants"] as! [[String: Any]]
        #expect(participants.map { $0["media_participant_id"] as? String } == [b, a])
        #expect(participants[0]["full_name"] as? String == "Bob")
        let inputs = json["inputs"] as! [[String: Any]]
        #expect(inputs.map { $0["channel"] as? Int } == [1, 2, 2])
        #expect(inputs.map { $0["offset_ns"] as? Int } == [nil, nil, 2_500_000_000])
        // B (channel 1) from 4.2 s, A (channel 2) from 1.564 s to 9.2 s: 7.636 s at 16 kHz.
        #expect(channels(json).map { $0["lead_frames"] as? Int } == [42_176, 0])
        #expect((json["output"] as! [String: Any])["frames"] as? Int == 122_176)
        // An unknown participant SID is refused, naming the ones found.
        let unknown = try CLI.run([
            "merge", "--recordings", folder.appendingPathComponent("recordings.json").path, "-o", folder.appendingPathComponent("u.flac").path,
            "--participant", "PA0000000000000000000000000000000C:role=Agent", "--json",
        ])
        #expect(unknown.status == 1)
        #expect(unknown.stderr.contains(a) && unknown.stderr.contains(b))
        let error = (try unknown.json() as? [String: Any])?["error"] as? [String: Any]
        #expect(error?["code"] as? String == "invalid_argument")
    }
}
