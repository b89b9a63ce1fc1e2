import Foundation
import Testing
@testable import AudioPrep

/// A room's recordings, participants and channel assignment turned into a merge
/// (`TwilioRoomMerge`), and downloads matched to a saved list (`TwilioRecordingFiles`).
@Suite struct TwilioRoomMergeTests {
    static let agent = "PA0000000000000000000000000000000A"
    static let alice = "PA0000000000000000000000000000000B"
    static let bob = "PA0000000000000000000000000000000C"
    static func rt(_ n: Int) -> String { "RT0000000000000000000000000000000\(n)" }

    /// A folder with the room's downloads: RT1 = room-alice (agent, 1.564 s), RT2 = room-bob
    /// (alice, 4.2 s), RT3 = opus-gaps (bob, 1.564 s), RT4 = room-bob again (agent reconnecting,
    /// 2.5 s later by offset).
    static func downloads(omit: Int? = nil) throws -> (URL, [Int: String]) {
        let dir = try TestFiles.temporaryDirectory()
        var paths: [Int: String] = [:]
        for (n, fixture) in [1: "room-alice.mka", 2: "room-bob.mka", 3: "opus-gaps.mka", 4: "room-bob.mka"] {
            let path = dir.appendingPathComponent("\(rt(n)).mka").path
            paths[n] = path
            if n != omit { try FileManager.default.copyItem(atPath: VideoFixtures.path(fixture), toPath: path) }
        }
        return (dir, paths)
    }

    static func recordings(_ paths: [Int: String], numbers: [Int] = [1, 2, 3]) -> [TwilioRoomMerge.Recording] {
        let owner = [1: agent, 2: alice, 3: bob, 4: agent]
        return numbers.map { n in
            TwilioRoomMerge.Recording(sid: rt(n), participantSID: owner[n]!, offsetMilliseconds: n == 4 ? 12_500 : 10_000, path: paths[n]!)
        }
    }

    static let people = [
        TwilioRoomMerge.Participant(sid: bob, identity: "bob", joined: Date(timeIntervalSince1970: 30)),
        TwilioRoomMerge.Participant(sid: agent, identity: "agent", joined: Date(timeIntervalSince1970: 10)),
        TwilioRoomMerge.Participant(sid: alice, identity: "alice", joined: Date(timeIntervalSince1970: 20)),
    ]

    private func message(_ body: () throws -> Void) -> AudioPrepError? {
        do { try body() } catch let error as AudioPrepError { return error } catch { return nil }
        return nil
    }

    @Test func twoParticipantsTakeChannelsInJoinOrderWithTheirIdentities() throws {
        let (dir, paths) = try Self.downloads()
        defer { try? FileManager.default.removeItem(at: dir) }
        let room = try TwilioRoomMerge(
            roomSID: "RM00000000000000000000000000000001", recordings: Self.recordings(paths, numbers: [2, 1, 4]), participants: Self.people)
        #expect(room.channels.map { $0.members.map(\.sid) } == [[Self.agent], [Self.alice]])
        #expect(room.channels[0].track.files.map(\.path) == [paths[1]!, paths[4]!])
        #expect(room.channels[0].track.files.map(\.offsetNanoseconds) == [0, 2_500_000_000])
        #expect(room.participants == [
            ChannelParticipant(channelParticipant: 1, userID: "agent", mediaParticipantID: Self.agent, fullName: "agent"),
            ChannelParticipant(channelParticipant: 2, userID: "alice", mediaParticipantID: Self.alice, fullName: "alice"),
        ])
        let configuration = room.configuration(output: dir.appendingPathComponent("room.flac").path)
        #expect(configuration.roomSID == "RM00000000000000000000000000000001")
        #expect(configuration.tracks[0].files[1].recording == MergeTrack.Recording(sid: Self.rt(4), participantSID: Self.agent, identity: "agent", offsetMilliseconds: 12_500))
    }

    @Test func moreThanTwoWithoutAnAssignmentListsThemAndTheSyntax() throws {
        let (dir, paths) = try Self.downloads()
        defer { try? FileManager.default.removeItem(at: dir) }
        let error = message { _ = try TwilioRoomMerge(roomSID: nil, recordings: Self.recordings(paths), participants: Self.people) }
        #expect(error?.code == .invalidArgument)
        #expect(error?.message.contains("the room has 3 participants with audio: agent (\(Self.agent), 1 recording); alice (\(Self.alice), 1 recording); bob (\(Self.bob), 1 recording)") == true)
        #expect(error?.message.contains("--channel 1=agent --channel 2=alice,bob") == true)
        let one = message { _ = try TwilioRoomMerge(roomSID: nil, recordings: Self.recordings(paths, numbers: [1]), participants: Self.people) }
        #expect(one?.message.contains("needs two participants with audio, but the room has 1") == true)
    }

    @Test func anAssignmentMixesByIdentityOrSID() throws {
        let (dir, paths) = try Self.downloads()
        defer { try? FileManager.default.removeItem(at: dir) }
        let room = try TwilioRoomMerge(
            roomSID: nil, recordings: Self.recordings(paths), participants: Self.people,
            channels: [try ChannelAssignment(parsing: "1=agent"), try ChannelAssignment(parsing: "2=bob, \(Self.alice)")],
            participantOptions: [try ParticipantOption(parsing: "2:role=Customers"), try ParticipantOption(parsing: "\(Self.agent):full_name=Ann Agent")])
        // Channel 2 in join order: alice (20 s) before bob (30 s).
        #expect(room.channels.map { $0.members.map(\.identity) } == [["agent"], ["alice", "bob"]])
        #expect(room.participants[0] == ChannelParticipant(channelParticipant: 1, userID: "agent", mediaParticipantID: Self.agent, fullName: "Ann Agent"))
        #expect(room.participants[1] == ChannelParticipant(channelParticipant: 2, fullName: "alice, bob", role: "Customers"))
        // A channel left out gets everybody else with audio.
        let rest = try TwilioRoomMerge(roomSID: nil, recordings: Self.recordings(paths), participants: Self.people, channels: [try ChannelAssignment(parsing: "1=bob")])
        #expect(rest.channels.map { $0.members.map(\.identity) } == [["bob"], ["agent", "alice"]])
    }

    @Test func assignmentsThatCannotBeMetAreClearErrors() throws {
        let (dir, paths) = try Self.downloads()
        defer { try? FileManager.default.removeItem(at: dir) }
        func refusal(_ values: [String], participants: [TwilioRoomMerge.Participant] = Self.people) -> String? {
            message {
                _ = try TwilioRoomMerge(roomSID: nil, recordings: Self.recordings(paths), participants: participants, channels: try ChannelAssignment.parseAll(values))
            }?.message
        }
        #expect(refusal(["1=carol"])?.contains("--channel 1=carol: no participant of the room has that identity or PA… SID") == true)
        #expect(refusal(["1=agent", "2=agent"])?.contains("agent is named on both channel 1 and channel 2") == true)
        #expect(refusal(["1=agent,alice,bob"])?.contains("channel 2 has nobody") == true)
        #expect(refusal(["1=agent", "1=bob"])?.contains("--channel 1 is given twice") == true)
        #expect(refusal(["3=agent"])?.contains("--channel takes N=WHO") == true)
        let silent = Self.people + [TwilioRoomMerge.Participant(sid: "PA0000000000000000000000000000000D", identity: "dave")]
        #expect(refusal(["1=agent", "2=dave"], participants: silent)?.contains("has no audio recording") == true)
    }

    @Test func aPersonWhoRejoinedUnderOneIdentityIsOneParticipant() throws {
        let (dir, paths) = try Self.downloads()
        defer { try? FileManager.default.removeItem(at: dir) }
        var recordings = Self.recordings(paths, numbers: [1, 2])
        recordings.append(TwilioRoomMerge.Recording(sid: Self.rt(4), participantSID: "PA0000000000000000000000000000000E", offsetMilliseconds: 12_500, path: paths[4]!))
        let people = Self.people + [TwilioRoomMerge.Participant(sid: "PA0000000000000000000000000000000E", identity: "agent", joined: Date(timeIntervalSince1970: 40))]
        let room = try TwilioRoomMerge(roomSID: nil, recordings: recordings, participants: people)
        #expect(room.channels[0].members.map(\.sid) == [Self.agent, "PA0000000000000000000000000000000E"])
        #expect(room.participants[0].mediaParticipantID == "\(Self.agent),PA0000000000000000000000000000000E")
    }

    @Test func aMissingOrShortDownloadNamesTheRecordingAndThePath() throws {
        let (dir, paths) = try Self.downloads(omit: 2)
        defer { try? FileManager.default.removeItem(at: dir) }
        let missing = message { _ = try TwilioRoomMerge(roomSID: nil, recordings: Self.recordings(paths, numbers: [1, 2]), participants: Self.people) }
        #expect(missing?.code == .fileNotFound && missing?.path == paths[2]!)
        #expect(missing?.message.contains("recording \(Self.rt(2)) of alice (\(Self.alice)) has no file here") == true)
        var short = Self.recordings(paths, numbers: [1, 3])
        short[1].sizeBytes = 1_000_000
        let size = try FileDigest.size(path: paths[3]!)
        let wrong = message { _ = try TwilioRoomMerge(roomSID: nil, recordings: short, participants: Self.people) }
        #expect(wrong?.code == .corruptFile && wrong?.message.contains("is 1000000 bytes according to Twilio, but the file has \(size)") == true)
        var absurd = Self.recordings(paths, numbers: [1, 3])
        absurd[0].offsetMilliseconds = -5
        #expect(message { _ = try TwilioRoomMerge(roomSID: nil, recordings: absurd, participants: []) }?.message.contains("has offset -5 ms") == true)
        absurd[0].offsetMilliseconds = 0
        absurd[0].sizeBytes = Int64.max
        #expect(message { _ = try TwilioRoomMerge(roomSID: nil, recordings: absurd, participants: []) }?.message.contains("has size \(Int64.max) bytes") == true)
    }

    @Test func aMixedRoomMergesWithTheRoomFactsInTheManifest() throws {
        let (dir, paths) = try Self.downloads()
        defer { try? FileManager.default.removeItem(at: dir) }
        let room = try TwilioRoomMerge(
            roomSID: "RM00000000000000000000000000000001", recordings: Self.recordings(paths), participants: Self.people,
            channels: [try ChannelAssignment(parsing: "1=agent"), try ChannelAssignment(parsing: "2=alice,bob")])
        var configuration = room.configuration(output: dir.appendingPathComponent("room.flac").path)
        configuration.sampleRate = .fixed(48000)
        configuration.encoderThreads = 2
        let manifest = try Merger(configuration: configuration).run()
        #expect(manifest.roomSID == "RM00000000000000000000000000000001")
        #expect(manifest.inputs.map { $0.recording?.sid } == [Self.rt(1), Self.rt(2), Self.rt(3)])
        #expect(manifest.inputs.map { $0.recording?.identity } == ["agent", "alice", "bob"])
        #expect(manifest.inputs.map(\.channel) == [1, 2, 2])
        #expect(manifest.inputs.map(\.sizeBytes) == [try FileDigest.size(path: paths[1]!), try FileDigest.size(path: paths[2]!), try FileDigest.size(path: paths[3]!)])
        #expect(manifest.channels[1].mixedStreams == 2)
        #expect(manifest.participants.map(\.fullName) == ["agent", "alice, bob"])
        // Channel 2 is alice (room-bob at 4.2 s) + bob (opus-gaps at 1.564 s), summed.
        let total = 126_528 + 120_000
        let right = MixReference.sum([(try MixReference.decoded(paths[2]!), 126_528), (try MixReference.decoded(paths[3]!), 0)], frames: total)
        let left = MixReference.sum([(try MixReference.decoded(paths[1]!), 0)], frames: total)
        #expect(try MergeTestAudio.read16(configuration.output).channel(1) == MixReference.quantized(left: left, right: right).right)
    }

    @Test func downloadsAreFoundBySIDOrLookedForBesideTheList() throws {
        let (dir, paths) = try Self.downloads(omit: 3)
        defer { try? FileManager.default.removeItem(at: dir) }
        let list = try TwilioRecordingList(pages: [Data("""
            [{"sid": "\(Self.rt(1))", "type": "audio", "offset": 10000, "size": 9656, "groupingSids": {"participant_sid": "\(Self.agent)"}},
             {"sid": "\(Self.rt(2))", "type": "audio", "offset": 10000, "participantSid": "\(Self.alice)"},
             {"sid": "\(Self.rt(3))", "type": "audio", "offset": 10000, "containerFormat": "mka", "participantSid": "\(Self.bob)"},
             {"sid": "\(Self.rt(5))", "type": "video", "offset": 10000, "participantSid": "\(Self.bob)"}]
            """.utf8)], path: "recordings.json")
        let all = try TwilioRecordingFiles(list: list, files: [], folder: dir.path)
        #expect(all.recordings.map(\.sid) == [Self.rt(1), Self.rt(2), Self.rt(3)])
        #expect(all.recordings.map(\.path) == [paths[1]!, paths[2]!, paths[3]!])  // RT3's where it was looked for
        #expect(all.recordings.map(\.sizeBytes) == [9656, nil, nil])
        // Files given: only their participants' recordings.
        let two = try TwilioRecordingFiles(list: list, files: [paths[2]!, paths[1]!], folder: "elsewhere")
        #expect(two.recordings.map(\.sid) == [Self.rt(1), Self.rt(2)])
        #expect(message { _ = try TwilioRecordingFiles(list: list, files: [VideoFixtures.path("room-alice.mka")], folder: ".") }?
            .message.contains("contains no audio recording SID") == true)
    }
}
