import ChannelMap
import Foundation
import Testing

@Suite("Manifest → channel map")
struct ChannelMapTests {
    private func withFile<T>(_ text: String, _ body: (String) throws -> T) throws -> T {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("channelmap-\(UUID().uuidString).json").path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        return try body(path)
    }

    static let sha = String(repeating: "ab", count: 32)

    @Test("reads participants (sorted by channel) and output.sha256, ignoring other keys")
    func readsManifest() throws {
        let map = try withFile("""
            {"tool": "callprep 0.1.0", "future_key": [1, 2],
             "output": {"path": "call.flac", "sha256": "\(Self.sha)"},
             "participants": [{"channel_participant": 2, "role": "Customer"},
                              {"channel_participant": 1, "full_name": "Smith, John", "email": "j@example.com", "role": "Agent"}]}
            """) { try ChannelMap(manifestAt: $0) }
        #expect(map.mediaSHA256 == Self.sha)
        #expect(map.participants == [
            ChannelParticipant(channelParticipant: 1, email: "j@example.com", fullName: "Smith, John", role: "Agent"),
            ChannelParticipant(channelParticipant: 2, role: "Customer"),
        ])
    }

    @Test("refuses what is not a usable manifest, naming the file", arguments: [
        ("not json", "is not a merge manifest"),
        (#"{"output": {}}"#, "has no \"participants\" key"),
        (#"{"participants": [{"channel_participant": 3}]}"#, "participants[0].channel_participant is 3"),
        (#"{"participants": [{"channel_participant": 1}, {"channel_participant": 1}]}"#, "channel 1 has two participants"),
        (#"{"participants": [{"channel_participant": 99999999999999999999}]}"#, "is not a merge manifest"),
        (#"{"participants": [], "output": {"sha256": "../../etc"}}"#, "output.sha256"),
    ])
    func refused(_ json: String, _ expected: String) throws {
        try withFile(json) { path in
            #expect {
                _ = try ChannelMap(manifestAt: path)
            } throws: { error in
                let error = error as! ChannelMapError
                return error.code == .invalidManifest && error.subject == path && error.message.contains(expected)
            }
        }
    }

    @Test("a missing file and an oversized one are refused before parsing")
    func unreadable() throws {
        #expect {
            _ = try ChannelMap(manifestAt: "/nonexistent/call.manifest.json")
        } throws: { error in
            let error = error as! ChannelMapError
            return error.code == .unreadableManifest && error.description.hasPrefix("/nonexistent/call.manifest.json: does not exist.")
        }
        let big = "{\"participants\": [], \"pad\": \"" + String(repeating: "x", count: ChannelMap.maximumManifestBytes) + "\"}"
        try withFile(big) { path in
            #expect {
                _ = try ChannelMap(manifestAt: path)
            } throws: { error in
                (error as! ChannelMapError).message.contains("larger than 4 MiB")
            }
        }
    }

    @Test("a map from known participants checks channel numbers")
    func fromParticipants() throws {
        let map = try ChannelMap(participants: [ChannelParticipant(channelParticipant: 2), ChannelParticipant(channelParticipant: 1)])
        #expect(map.participants.map(\.channelParticipant) == [1, 2])
        #expect(throws: ChannelMapError.self) { try ChannelMap(participants: [ChannelParticipant(channelParticipant: 0)]) }
    }

    @Test("ChannelParticipant encodes snake_case keys and leaves unset fields out")
    func encoding() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = try encoder.encode(ChannelParticipant(channelParticipant: 1, userID: "a-42", role: "Agent"))
        #expect(String(decoding: data, as: UTF8.self) == #"{"channel_participant":1,"role":"Agent","user_id":"a-42"}"#)
        #expect(ChannelParticipant.defaultRole(channel: 1) == "Agent")
        #expect(ChannelParticipant.defaultRole(channel: 2) == "Customer")
        #expect(ChannelParticipant(channelParticipant: 2, userID: "u", role: "Customer").displayName == "Customer")
    }
}
