import CallPrepJSON
import Foundation
import Testing

/// Decoding failures name the field as a path and say what was wrong, in words.
@Suite struct DecodingErrorTextTests {
    struct Manifest: Decodable {
        struct Participant: Decodable {
            var channel: Int
            var name: String
            enum CodingKeys: String, CodingKey {
                case channel = "channel_participant"
                case name = "full_name"
            }
        }
        var participants: [Participant]
    }

    static func message(_ json: String) -> String {
        do {
            _ = try JSONDecoder().decode(Manifest.self, from: Data(json.utf8))
            return "decoded"
        } catch {
            return DecodingErrorText.describe(error)
        }
    }

    @Test func namesTheFieldAndTheProblem() {
        #expect(Self.message(#"{"participants": [{"channel_participant": "one", "full_name": "A"}]}"#)
            == #""participants[0].channel_participant" is not a whole number"#)
        #expect(Self.message(#"{"participants": [{"channel_participant": 1, "full_name": "A"}, {"channel_participant": 2}]}"#)
            == #""participants[1].full_name" is missing"#)
        #expect(Self.message(#"{"participants": [{"channel_participant": 1, "full_name": null}]}"#)
            == #""participants[0].full_name" is null where a string is needed"#)
        #expect(Self.message(#"{"participants": {}}"#) == #""participants" is not an array"#)
        #expect(Self.message(#"{}"#) == #""participants" is missing"#)
        #expect(Self.message(#"{"participants": ["#) == "it is not valid JSON (The given data was not valid JSON)")
    }

    @Test func otherErrorsKeepTheirOwnWords() {
        struct Plain: Error, CustomStringConvertible { var description: String { "plain words" } }
        #expect(DecodingErrorText.describe(Plain()) == "plain words")
    }
}
