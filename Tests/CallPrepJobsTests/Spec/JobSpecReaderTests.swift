import CallPrepJSON
import ChannelMap
import Testing
@testable import CallPrepJobs

@Suite struct JobSpecReaderTests {
    static let service = "GA" + String(repeating: "0123456789abcdef", count: 2)
    static let fullLine = """
        {"id": "call-2026-12-05-0001", "tracks": ["agent.wav", "customer.mp3"], \
        "participants": [{"channel": 1, "role": "Agent", "full_name": "Alex"}, {"channel": 2, "full_name": "Sam Smith", "user_id": "c-7"}], \
        "merge": {"sample_rate": 16000, "align": "end"}, "service": "\(service)", "upload": "s3://bucket/calls/", \
        "media_start_time": "2026-12-05T09:30:00Z"}
        """

    @Test func readsEveryField() throws {
        let spec = try JobSpecReader.parse(Self.fullLine)
        #expect(spec.id.rawValue == "call-2026-12-05-0001")
        #expect(spec.source == .tracks(["agent.wav", "customer.mp3"]))
        #expect(spec.participants == [
            ChannelParticipant(channelParticipant: 1, fullName: "Alex", role: "Agent"),
            ChannelParticipant(channelParticipant: 2, userID: "c-7", fullName: "Sam Smith"),
        ])
        #expect(spec.merge == JobMergeSettings(sampleRate: .hertz(16000), align: .end))
        #expect(spec.service == Self.service)
        #expect(spec.upload == "s3://bucket/calls/")
        #expect(spec.mediaURL == nil)
        #expect(spec.mediaStartTime == "2026-12-05T09:30:00Z")
    }

    @Test func writesTheLineItReads() throws {
        let spec = try JobSpecReader.parse(Self.fullLine)
        let text = spec.json.serialized(.compact)
        #expect(text.hasPrefix(#"{"id": "call-2026-12-05-0001", "tracks": ["agent.wav", "customer.mp3"], "participants": [{"channel": 1, "full_name": "Alex", "role": "Agent"}"#))
        #expect(try JobSpecReader.parse(text) == spec)
        let minimal = try JobSpecReader.parse(#"{"id": "a", "tracks": ["1.wav", "2.wav"], "media_url": "https://example.com/a.flac", "merge": {"sample_rate": "source"}}"#)
        #expect(minimal.json.serialized(.compact) == #"{"id": "a", "tracks": ["1.wav", "2.wav"], "merge": {"sample_rate": "source"}, "media_url": "https://example.com/a.flac"}"#)
        #expect(try JobSpecReader.parse(minimal.json.serialized(.compact)) == minimal)
    }

    @Test func unknownKeysNameTheLineAndTheKey() throws {
        let text = """
            {"id": "ok-1", "tracks": ["a.wav", "b.wav"]}

            {"id": "typo", "tracks": ["a.wav", "b.wav"], "servise": "GA00"}
            {"id": "nested", "tracks": ["a.wav", "b.wav"], "merge": {"sample_rate": 16000, "colour": "red"}}
            {"id": "person", "tracks": ["a.wav", "b.wav"], "participants": [{"channel": 1}, {"channel": 2, "nickname": "S"}]}
            """
        let lines = JobSpecReader.lines(of: text)
        #expect(lines.map(\.number) == [1, 3, 4, 5])
        #expect(try lines[0].result.get().id.rawValue == "ok-1")
        let errors = lines.dropFirst().compactMap { line -> JobSpecError? in
            if case .failure(let error) = line.result { error } else { nil }
        }
        #expect(errors.map(\.code) == [.unknownKey, .unknownKey, .unknownKey])
        #expect(errors.map(\.line) == [3, 4, 5])
        #expect(errors.map(\.key) == ["servise", "merge.colour", "participants[1].nickname"])
        #expect(errors[0].description.hasPrefix("line 3: unknown_key \"servise\": there is no \"servise\" here; the keys are id, tracks,"))
    }

    @Test func valuesAreCheckedAndRangeChecked() {
        let cases: [(String, JobSpecError.Code, String?)] = [
            (#"{"tracks": ["a", "b"]}"#, .missingKey, "id"),
            (#"{"id": "x"}"#, .missingKey, "tracks"),
            (#"{"id": "x y", "tracks": ["a", "b"]}"#, .invalidValue, "id"),
            (#"{"id": 7, "tracks": ["a", "b"]}"#, .invalidValue, "id"),
            (#"{"id": "x", "tracks": ["a"]}"#, .invalidValue, "tracks"),
            (#"{"id": "x", "tracks": ["a", ""]}"#, .invalidValue, "tracks[1]"),
            (#"{"id": "x", "tracks": ["a", 2]}"#, .invalidValue, "tracks[1]"),
            (#"{"id": "x", "tracks": ["a", "b"], "room": "RM00000000000000000000000000000000"}"#, .invalidValue, "room"),
            (#"{"id": "x", "tracks": ["a", "b"], "merge": {"sample_rate": 7999}}"#, .invalidValue, "merge.sample_rate"),
            (#"{"id": "x", "tracks": ["a", "b"], "merge": {"sample_rate": 655351}}"#, .invalidValue, "merge.sample_rate"),
            (#"{"id": "x", "tracks": ["a", "b"], "merge": {"sample_rate": 1e300}}"#, .invalidValue, "merge.sample_rate"),
            (#"{"id": "x", "tracks": ["a", "b"], "merge": {"sample_rate": -16000}}"#, .invalidValue, "merge.sample_rate"),
            (#"{"id": "x", "tracks": ["a", "b"], "merge": {"sample_rate": 99999999999999999999999}}"#, .invalidValue, "merge.sample_rate"),
            (#"{"id": "x", "tracks": ["a", "b"], "merge": {"align": "middle"}}"#, .invalidValue, "merge.align"),
            (#"{"id": "x", "tracks": ["a", "b"], "participants": [{"channel": 3}]}"#, .invalidValue, "participants[0].channel"),
            (#"{"id": "x", "tracks": ["a", "b"], "participants": [{"channel": 1.5}]}"#, .invalidValue, "participants[0].channel"),
            (#"{"id": "x", "tracks": ["a", "b"], "participants": [{"channel": 1}, {"channel": 1}]}"#, .invalidValue, "participants[1].channel"),
            (#"{"id": "x", "tracks": ["a", "b"], "participants": [{"role": "Agent"}]}"#, .missingKey, "participants[0].channel"),
            (#"{"id": "x", "tracks": ["a", "b"], "participants": [{}, {}, {}]}"#, .invalidValue, "participants"),
            (#"{"id": "x", "tracks": ["a", "b"], "service": "GA123"}"#, .invalidValue, "service"),
            (#"{"id": "x", "tracks": ["a", "b"], "upload": "https://bucket/"}"#, .invalidValue, "upload"),
            (#"{"id": "x", "tracks": ["a", "b"], "upload": "s3:///calls/"}"#, .invalidValue, "upload"),
            (#"{"id": "x", "tracks": ["a", "b"], "media_url": "ftp://host/a.flac"}"#, .invalidValue, "media_url"),
            (#"{"id": "x", "tracks": ["a", "b"], "upload": "s3://b/", "media_url": "https://h/a.flac"}"#, .invalidValue, "media_url"),
            (#"{"id": "x", "tracks": ["a", "b"], "media_start_time": "yesterday"}"#, .invalidValue, "media_start_time"),
            (#"{"id": "x", "tracks": ["a\u0007", "b"]}"#, .invalidValue, "tracks[0]"),
            (#"["x"]"#, .invalidJSON, nil),
            (#"{"id": "x", "tracks": ["a", "b"]"#, .invalidJSON, nil),
        ]
        for (line, code, key) in cases {
            do {
                let spec = try JobSpecReader.parse(line)
                Issue.record("accepted \(line) as \(spec)")
            } catch {
                #expect(error.code == code, "\(line): \(error)")
                #expect(error.key == key, "\(line): \(error)")
            }
        }
    }

    @Test func overlongLinesAndValuesAreRefusedBeforeParsing() {
        let long = #"{"id": "x", "tracks": [""# + String(repeating: "a", count: 70_000) + #"", "b"]}"#
        #expect(throws: JobSpecError(code: .invalidJSON, message: "the line has 70032 bytes, more than the 65536 a job line may have")) {
            try JobSpecReader.parse(long)
        }
        let longValue = #"{"id": "x", "tracks": [""# + String(repeating: "a", count: 5000) + #"", "b"]}"#
        #expect(throws: JobSpecError(code: .invalidValue, key: "tracks[0]", message: "has 5000 bytes; at most 4096 are allowed")) {
            try JobSpecReader.parse(longValue)
        }
    }

    @Test func roomsAndRecordingsAreJobsWithChannelsForRooms() throws {
        let room = #"{"id": "r1", "room": "RM0123456789abcdef0123456789abcdef", "participants": [{"channel": 1, "full_name": "Alex"}], "channels": {"2": ["alice", "PA0123456789abcdef0123456789abcdef"], "1": ["agent"]}}"#
        let spec = try JobSpecReader.parse(room)
        #expect(spec.source == .room("RM0123456789abcdef0123456789abcdef"))
        #expect(spec.channels == [1: ["agent"], 2: ["alice", "PA0123456789abcdef0123456789abcdef"]])
        // The stored form reads back the same, channels in order.
        let text = spec.json.serialized(.compact)
        #expect(text.contains(#""channels": {"1": ["agent"], "2": ["alice", "PA0123456789abcdef0123456789abcdef"]}"#), "\(text)")
        #expect(try JobSpecReader.parse(text) == spec)
        let recording = try JobSpecReader.parse(#"{"id": "r2", "recording": "RE0123456789abcdef0123456789abcdef"}"#)
        #expect(recording.source == .recording("RE0123456789abcdef0123456789abcdef"))

        func refusal(_ line: String) -> JobSpecError? {
            do { _ = try JobSpecReader.parse(line); return nil } catch { return error }
        }
        let base = #"{"id": "r3", "room": "RM0123456789abcdef0123456789abcdef", "#
        #expect(refusal(#"{"id": "r3", "room": "RM12"}"#)?.key == "room")
        #expect(refusal(base + #""channels": {"3": ["x"]}}"#)?.code == .unknownKey)
        #expect(refusal(base + #""channels": {"1": []}}"#)?.key == "channels.1")
        #expect(refusal(base + #""channels": {"1": ["a"], "2": ["b", "a"]}}"#)?.message == "\"a\" is on both channels")
        #expect(refusal(base + #""merge": {"align": "end"}}"#)?.key == "merge.align")
        #expect(refusal(#"{"id": "t", "tracks": ["a.wav", "b.wav"], "channels": {"1": ["a"]}}"#)?.key == "channels")
        #expect(refusal(#"{"id": "v", "recording": "RE0123456789abcdef0123456789abcdef", "merge": {"sample_rate": 16000}}"#)?.key == "merge")
    }
}
