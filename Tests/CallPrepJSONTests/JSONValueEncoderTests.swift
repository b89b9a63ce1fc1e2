import CallPrepJSON
import Foundation
import Testing

/// Codable values through `JSONValueEncoder`, printed by the one writer.
@Suite struct JSONValueEncoderTests {
    struct Track: Codable {
        var path: String
        var frames: Int64
        var seconds: Double
        var bits: Int?
        var downmixed: Bool
        var tags: [String]
        var nested: Nested?

        struct Nested: Codable { var zeta: Int; var alpha: [Double] }

        enum CodingKeys: String, CodingKey {
            case path, frames, bits, downmixed, tags, nested
            case seconds = "duration_seconds"
        }
    }

    let track = Track(path: "a.wav", frames: 48000, seconds: 1, bits: nil, downmixed: false, tags: [],
                      nested: .init(zeta: 2, alpha: [-0.0, 0.25]))

    @Test func sortedKeysLeaveOutAbsentOptionals() throws {
        let value = try JSONValueEncoder(keyOrder: .sorted).encode(track)
        #expect(value.serialized() == """
            {
              "downmixed": false,
              "duration_seconds": 1.0,
              "frames": 48000,
              "nested": {
                "alpha": [
                  0.0,
                  0.25
                ],
                "zeta": 2
              },
              "path": "a.wav",
              "tags": []
            }
            """)
    }

    @Test func encodedOrderFollowsTheCodingKeys() throws {
        let value = try JSONValueEncoder(keyOrder: .encoded).encode(track)
        guard case .object(let members) = value else { Issue.record("not an object"); return }
        #expect(members.map(\.key) == ["path", "frames", "downmixed", "tags", "nested", "duration_seconds"])
    }

    @Test func topLevelArraysAndScalars() throws {
        #expect(try JSONValueEncoder().encode([1, 2]).serialized() == "[\n  1,\n  2\n]")
        #expect(try JSONValueEncoder().encode([String]()).serialized() == "[]")
        #expect(try JSONValueEncoder().encode("x").serialized() == "\"x\"")
        #expect(try JSONValueEncoder().encode(UInt64.max).serialized() == "1.8446744073709552e+19")
        #expect(try JSONValueEncoder().encode(["b": 1, "a": 2]).serialized() == "{\n  \"a\": 2,\n  \"b\": 1\n}")
    }

    @Test func decodedValuesRoundTrip() throws {
        let text = #"{"z": [1, 2.5, null, true, "s"], "a": {"n": -3}}"#
        let value = try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
        #expect(value == .object(["a": .object(["n": .int(-3)]), "z": .array([.int(1), .double(2.5), .null, .bool(true), .string("s")])]))
        #expect(try JSONValueEncoder().encode(value) == value)
        let reencoded = try JSONDecoder().decode(JSONValue.self, from: JSONEncoder().encode(value))
        #expect(reencoded == value)
    }
}
