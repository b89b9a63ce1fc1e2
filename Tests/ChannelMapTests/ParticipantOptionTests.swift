import ChannelMap
import Testing

@Suite("--participant parsing (one parser for merge and submit)")
struct ParticipantOptionTests {
    @Test("channel and fields, spaces around values trimmed, a colon inside a value kept")
    func plainFields() throws {
        let option = try ParticipantOption(parsing: "1:role=Agent, full_name = Alice Agent ,image_url=https://example.com/a.png")
        #expect(option.target == .channel(1))
        #expect(option.participant == ChannelParticipant(
            channelParticipant: 1, fullName: "Alice Agent", imageURL: "https://example.com/a.png", role: "Agent"))
    }

    @Test("a comma inside a value: escaped with a backslash or the value in double quotes")
    func commasInValues() throws {
        let escaped = try ParticipantOption(parsing: #"2:full_name=Smith\, John,role=Customer"#)
        let quoted = try ParticipantOption(parsing: #"2:full_name="Smith, John", role=Customer"#)
        #expect(escaped.participant.fullName == "Smith, John")
        #expect(escaped.participant.role == "Customer")
        #expect(quoted.participant == escaped.participant)
        let inner = try ParticipantOption(parsing: #"1:full_name="Dwayne \"The Rock\", Johnson",user_id=a\\b"#)
        #expect(inner.participant.fullName == #"Dwayne "The Rock", Johnson"#)
        #expect(inner.participant.userID == #"a\b"#)
        // A quote that does not open the value is an ordinary character.
        let apostrophe = try ParticipantOption(parsing: #"1:full_name=Ann "Nan" O'Neil"#)
        #expect(apostrophe.participant.fullName == #"Ann "Nan" O'Neil"#)
        // Quoted spaces are kept, an escaped trailing space too.
        #expect(try ParticipantOption(parsing: #"1:role=" Lead ""#).participant.role == " Lead ")
        #expect(try ParticipantOption(parsing: #"1:role=Lead\ "#).participant.role == "Lead ")
    }

    @Test("a channel alone, empty pieces and a participant SID")
    func targets() throws {
        #expect(try ParticipantOption(parsing: "2").participant == ChannelParticipant(channelParticipant: 2))
        #expect(try ParticipantOption(parsing: "1:role=Agent,,").participant.role == "Agent")
        let sid = "PA" + String(repeating: "0f", count: 16)
        let named = try ParticipantOption(parsing: "\(sid):full_name=Bob")
        #expect(named.target == .participantSID(sid))
        #expect(named.participant.channelParticipant == 0)
        #expect(named.targetText == sid)
    }

    @Test("malformed values are refused with a message naming what to write", arguments: [
        ("3:role=Agent", "channel 1 or 2"),
        ("x:role=Agent", "channel 1 or 2"),
        ("PA123:role=Agent", "channel 1 or 2"),
        ("1:role", "has no '='"),
        ("1:nickname=Al", "unknown field 'nickname'"),
        ("1:role=A,role=B", "given twice"),
        (#"1:full_name="Smith, John"#, "no closing"),
        (#"1:full_name="Smith" John"#, "after the closing quote"),
        (#"1:full_name=Smith\"#, "lone '\\'"),
        ("1:role=", "empty value"),
        (#"1:role="""#, "empty value"),
    ])
    func refused(_ text: String, _ expected: String) {
        #expect {
            _ = try ParticipantOption(parsing: text)
        } throws: { error in
            let error = error as! ChannelMapError
            return error.code == .invalidParticipant && error.subject == "--participant" && error.message.contains(expected)
        }
    }

    @Test("a list: each channel once, at most two, and SIDs refused where channels are needed")
    func lists() throws {
        let map = try ParticipantOption.channelParticipants(["2:role=Customer", "1:role=Agent"])
        #expect(map.map(\.channelParticipant) == [2, 1])
        #expect(throws: ChannelMapError.self) { try ParticipantOption.parseAll(["1:role=A", "1:full_name=B"]) }
        let sid = "PA" + String(repeating: "a", count: 32)
        #expect(throws: ChannelMapError.self) { try ParticipantOption.parseAll(["1", "2", "\(sid):role=A"]) }
        #expect(throws: ChannelMapError.self) { try ParticipantOption.channelParticipants(["\(sid):role=Agent"]) }
        #expect(try ParticipantOption.parseAll(["\(sid):role=Agent", "2"]).count == 2)
    }
}
