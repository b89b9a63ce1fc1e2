import CallPrepJSON
import Testing

/// The writer's text, byte for byte. Layout and escapes are what `jq .` prints for the same
/// document (the compact style: what Python's `json.dumps` prints); numbers differ from jq on
/// purpose: a double keeps its fraction (`3.0`, where jq prints `3`) and `-0.0` prints `0.0`.
@Suite struct JSONWriterTests {
    @Test func prettyPrintsLikeJq() {
        let document: JSONValue = .object([
            "path": .string("calls/a b.wav"),
            "frames": .int(48000),
            "duration_seconds": .double(3.0),
            "bits_per_sample": .null,
            "accepted": .bool(true),
            "notes": .array([]),
            "signal": .object([:]),
            "channels": .array([.int(1), .object(["code": .string("mono"), "level": .double(-0.5)])]),
        ])
        #expect(document.serialized() == """
            {
              "path": "calls/a b.wav",
              "frames": 48000,
              "duration_seconds": 3.0,
              "bits_per_sample": null,
              "accepted": true,
              "notes": [],
              "signal": {},
              "channels": [
                1,
                {
                  "code": "mono",
                  "level": -0.5
                }
              ]
            }
            """)
    }

    @Test func emptyContainersAtTheTopAndNested() {
        #expect(JSONValue.array([]).serialized() == "[]")
        #expect(JSONValue.object([:]).serialized() == "{}")
        #expect(JSONValue.array([.array([]), .object([:])]).serialized() == "[\n  [],\n  {}\n]")
    }

    @Test func negativeZeroPrintsAsZero() {
        #expect(JSONValue.double(-0.0).serialized() == "0.0")
        #expect(JSONValue.double(0.0).serialized() == "0.0")
        #expect(JSONValue.object(["channel_difference_db": .double(-0.0)]).serialized() == "{\n  \"channel_difference_db\": 0.0\n}")
    }

    @Test func integersAndDoublesStayApart() {
        #expect(JSONValue.int(0).serialized() == "0")
        #expect(JSONValue.int(-7).serialized() == "-7")
        #expect(JSONValue.int(.max).serialized() == "9223372036854775807")
        #expect(JSONValue.double(1).serialized() == "1.0")
        #expect(JSONValue.double(0.1).serialized() == "0.1")
        #expect(JSONValue.double(-96.33).serialized() == "-96.33")
        #expect(JSONValue.double(1e-5).serialized() == "1e-05")
        #expect(JSONValue.double(1e20).serialized() == "1e+20")
        #expect(JSONValue.double(.nan).serialized() == "null")
        #expect(JSONValue.double(-.infinity).serialized() == "null")
    }

    @Test func escapesLikeJq() {
        let text = "quote \" backslash \\ slash / tab \t newline \n return \r bell \u{07} del \u{7F} back \u{08} feed \u{0C}"
        #expect(JSONValue.string(text).serialized()
            == #""quote \" backslash \\ slash / tab \t newline \n return \r bell \u0007 del \u007f back \b feed \f""#)
    }

    @Test func unicodeStaysUTF8WhenPretty() {
        #expect(JSONValue.string("Zoë → 通话 🎧").serialized() == "\"Zoë → 通话 🎧\"")
        #expect(JSONValue.object(["名前": .string("é")]).serialized() == "{\n  \"名前\": \"é\"\n}")
    }

    @Test func pythonCompactMatchesJsonDumps() {
        let document: JSONValue = .object([
            "media_properties": .object(["media_url": .string("https://example.com/a.flac?x=1&y=/2")]),
            "participants": .array([
                .object(["channel_participant": .int(1), "full_name": .string("Zoë \"Z\" 🎧")]),
            ]),
            "empty": .array([]),
            "none": .object([:]),
            "flag": .bool(false),
            "nothing": .null,
        ])
        // python3 -c 'import json; print(json.dumps({...}))' with the same members in the same order.
        #expect(document.serialized(.pythonCompact)
            == #"{"media_properties": {"media_url": "https://example.com/a.flac?x=1&y=/2"}, "participants": [{"channel_participant": 1, "full_name": "Zo\u00eb \"Z\" \ud83c\udfa7"}], "empty": [], "none": {}, "flag": false, "nothing": null}"#)
    }

    @Test func subscriptFindsMembers() {
        let document: JSONValue = .object(["error": .object(["code": .string("file_not_found")])])
        #expect(document["error"]?["code"]?.stringValue == "file_not_found")
        #expect(document["missing"] == nil)
        #expect(JSONValue.array([]).stringValue == nil)
    }
}
