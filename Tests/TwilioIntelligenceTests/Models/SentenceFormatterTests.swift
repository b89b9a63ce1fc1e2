import Foundation
import Testing
@testable import TwilioIntelligence

@Suite("Sentences as conversation, SRT, VTT, text")
struct SentenceFormatterTests {
    let sentences = [
        Sentence(mediaChannel: 1, sentenceIndex: 0, startTime: "62.25", endTime: "64.5", transcript: "Hello, this is Alice."),
        Sentence(mediaChannel: 2, sentenceIndex: 1, startTime: "3661.001", endTime: "3662", transcript: "Hi Alice."),
        Sentence(mediaChannel: 3, sentenceIndex: 2, startTime: nil, endTime: nil, transcript: "?"),
    ]
    let formatter = SentenceFormatter(speakerNames: [1: "Alice Agent", 2: "Bob Customer"])

    @Test("conversation lines carry clock time and speaker names")
    func conversation() {
        #expect(formatter.render(sentences, as: .conversation) == """
            [00:01:02] Alice Agent: Hello, this is Alice.
            [01:01:01] Bob Customer: Hi Alice.
            [00:00:00] Channel 3: ?

            """)
    }

    @Test("SRT numbering and comma milliseconds")
    func srt() {
        #expect(formatter.render(Array(sentences.prefix(2)), as: .srt) == """
            1
            00:01:02,250 --> 00:01:04,500
            Alice Agent: Hello, this is Alice.

            2
            01:01:01,001 --> 01:01:02,000
            Bob Customer: Hi Alice.


            """)
    }

    @Test("VTT header and voice tags")
    func vtt() {
        #expect(formatter.render(Array(sentences.prefix(1)), as: .vtt) == "WEBVTT\n\n00:01:02.250 --> 00:01:04.500\n<v Alice Agent>Hello, this is Alice.\n\n")
        #expect(formatter.render(Array(sentences.prefix(2)), as: .text) == "Hello, this is Alice.\nHi Alice.\n")
    }

    @Test("sentences decode leniently: numeric times and confidence, odd words")
    func lenientDecoding() throws {
        let json = #"{"media_channel": 2, "sentence_index": 4, "start_time": 1.5, "end_time": "2.25", "confidence": 0.8, "transcript": "Yes.", "words": "n/a"}"#
        let sentence = try JSONDecoder().decode(Sentence.self, from: Data(json.utf8))
        #expect(sentence.startSeconds == 1.5)
        #expect(sentence.endSeconds == 2.25)
        #expect(sentence.confidence == "0.8")
        #expect(sentence.words == nil)
        #expect(sentence.mediaChannel == 2)
    }
}
