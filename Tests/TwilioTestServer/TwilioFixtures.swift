import Foundation

/// The Video and Voice data the server serves in tests, made from the repository's TestAudio
/// when a test asks for it.
///
/// - ``twoPersonRoom``: Alice joins first and reconnects (two audio recordings:
///   `room-alice.mka`, and the same file remuxed by ffmpeg to start 6 s later on the room
///   timeline), Bob joins second (`room-bob.mka`); Alice also has a video recording, which
///   must never be downloaded.
/// - ``threePersonRoom``: Alice, Bob and Carol, a PSTN caller (`pcmu-gaps.mka`, PCMU).
/// - ``voiceRecording``: a dual-channel call recording (`edge/dual-channel.wav`; mono
///   `call/agent.wav` without `RequestedChannels=2`; `call/agent.mp3` as MP3).
/// - ``composition``: a WebM composition (`video/opus-gaps.webm`).
enum TwilioFixtures {
    static let twoPersonRoom = "RM" + String(repeating: "1", count: 32)
    static let threePersonRoom = "RM" + String(repeating: "3", count: 32)
    static let alice = "PA" + String(repeating: "a", count: 32)
    static let bob = "PA" + String(repeating: "b", count: 32)
    static let carol = "PA" + String(repeating: "c", count: 32)
    static let aliceFirst = "RT" + String(repeating: "a", count: 31) + "1"
    static let aliceReconnect = "RT" + String(repeating: "a", count: 31) + "2"
    static let aliceVideo = "RT" + String(repeating: "a", count: 31) + "9"
    static let bobRecording = "RT" + String(repeating: "b", count: 31) + "1"
    static let carolRecording = "RT" + String(repeating: "c", count: 31) + "1"
    /// The three-person room's recordings of Alice and Bob (the same media, other SIDs).
    static let aliceInThree = "RT" + String(repeating: "d", count: 31) + "1"
    static let bobInThree = "RT" + String(repeating: "d", count: 31) + "2"
    static let voiceRecording = "RE" + String(repeating: "e", count: 32)
    static let voiceCall = "CA" + String(repeating: "e", count: 32)
    static let composition = "CJ" + String(repeating: "f", count: 32)

    /// `TestAudio/` of the repository.
    static let testAudio = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("TestAudio")

    static func bytes(_ relative: String) throws -> [UInt8] {
        Array(try Data(contentsOf: testAudio.appendingPathComponent(relative)))
    }

    /// `room-alice.mka` remuxed (no re-encoding) so that it starts 6 s later: Alice's second
    /// recording after a reconnect. Needs ffmpeg (scripts/install-deps.sh).
    static func aliceReconnectMedia() throws -> [UInt8] {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("twilio-fixture-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let output = folder.appendingPathComponent("alice-reconnect.mka")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["ffmpeg", "-v", "error", "-nostdin", "-y", "-i", testAudio.appendingPathComponent("video/room-alice.mka").path,
                             "-c", "copy", "-output_ts_offset", "6", output.path]
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw CocoaError(.fileWriteUnknown) }
        return Array(try Data(contentsOf: output))
    }

    /// Fills `state` with every fixture.
    static func install(in state: ServerState) throws {
        let aliceMedia = try bytes("video/room-alice.mka"), bobMedia = try bytes("video/room-bob.mka")
        state.addVideoRoom(sid: twoPersonRoom, uniqueName: "support-call")
        // Listed in the API's order (newest first is Twilio's habit; join order comes from start_time).
        state.addVideoParticipant(room: twoPersonRoom, sid: bob, identity: "bob", startTime: "2026-12-01T10:00:04Z")
        state.addVideoParticipant(room: twoPersonRoom, sid: alice, identity: "alice", startTime: "2026-12-01T10:00:01Z")
        state.addVideoRecording(room: twoPersonRoom, participant: alice, sid: aliceFirst, media: aliceMedia)
        state.addVideoRecording(room: twoPersonRoom, participant: bob, sid: bobRecording, media: bobMedia)
        state.addVideoRecording(room: twoPersonRoom, participant: alice, sid: aliceVideo, type: "video", codec: "VP8", media: nil, size: 123_456)
        state.addVideoRecording(room: twoPersonRoom, participant: alice, sid: aliceReconnect, media: try aliceReconnectMedia())

        state.addVideoRoom(sid: threePersonRoom, uniqueName: "team-call")
        state.addVideoParticipant(room: threePersonRoom, sid: alice, identity: "alice", startTime: "2026-12-01T11:00:01Z")
        state.addVideoParticipant(room: threePersonRoom, sid: bob, identity: "bob", startTime: "2026-12-01T11:00:04Z")
        state.addVideoParticipant(room: threePersonRoom, sid: carol, identity: "carol", startTime: "2026-12-01T11:00:00Z")
        state.addVideoRecording(room: threePersonRoom, participant: alice, sid: aliceInThree, media: aliceMedia)
        state.addVideoRecording(room: threePersonRoom, participant: bob, sid: bobInThree, media: bobMedia)
        state.addVideoRecording(room: threePersonRoom, participant: carol, sid: carolRecording, codec: "PCMU", media: try bytes("video/pcmu-gaps.mka"))

        state.addVoiceRecording(sid: voiceRecording, callSID: voiceCall, channels: 2,
                                mono: ["wav": try bytes("call/agent.wav"), "mp3": try bytes("call/agent.mp3")],
                                dual: ["wav": try bytes("edge/dual-channel.wav"), "mp3": try bytes("call/customer.mp3")])
        state.addComposition(sid: composition, room: twoPersonRoom, format: "webm", media: try bytes("video/opus-gaps.webm"))
    }
}
