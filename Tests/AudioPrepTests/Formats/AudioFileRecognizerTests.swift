import AudioPrep
import Foundation
import Testing

@Suite struct AudioFileRecognizerTests {
    @Test func extensionsOfEveryFormatCallprepReads() {
        let extensions = AudioFileRecognizer.audioExtensions
        #expect(extensions.isSuperset(of: ["wav", "flac", "mp3", "ogg", "opus", "aiff", "w64", "mka", "webm", "m4a", "mp4"]))
        #expect(extensions.isDisjoint(with: ["txt", "json", "md", "csv", "pdf", ""]))
        #expect(AudioFileRecognizer.hasAudioExtension("calls/Agent.FLAC"))
        #expect(AudioFileRecognizer.hasAudioExtension("a.b.mka"))
        #expect(!AudioFileRecognizer.hasAudioExtension("call.flac.json"))
        #expect(!AudioFileRecognizer.hasAudioExtension("calls.wav/notes"))
        #expect(!AudioFileRecognizer.hasAudioExtension(".flac"))
        #expect(!AudioFileRecognizer.hasAudioExtension("recording"))
    }

    @Test func contentDecidesWhatTheNameDoesNot() throws {
        // Every committed file that probes is recognised from its bytes alone.
        let folder = TestFiles.root.appendingPathComponent("TestAudio")
        let enumerator = try #require(FileManager.default.enumerator(atPath: folder.path))
        var probed = 0
        for case let relative as String in enumerator {
            let path = folder.appendingPathComponent(relative).path
            guard (try? AudioProbe.probe(path: path)) != nil else { continue }
            probed += 1
            #expect(AudioFileRecognizer.contentIsAudio(path: path), "\(relative)")
        }
        #expect(probed >= 45)
        // Text named .wav, an empty file, a folder and a missing file are not audio content.
        #expect(!AudioFileRecognizer.contentIsAudio(path: TestFiles.audio("edge/text.wav")))
        #expect(!AudioFileRecognizer.contentIsAudio(path: TestFiles.audio("edge/empty.wav")))
        #expect(!AudioFileRecognizer.contentIsAudio(path: TestFiles.audio("call")))
        #expect(!AudioFileRecognizer.contentIsAudio(path: TestFiles.audio("call/no-such-file.wav")))
        #expect(!AudioFileRecognizer.contentIsAudio(path: TestFiles.root.appendingPathComponent("README.md").path))
    }

    @Test("the media type comes from the bytes: an MP3 named .wav is audio/mpeg")
    func mediaTypeFromContent() {
        let expected: [(String, String)] = [
            ("call/agent.flac", "audio/flac"), ("call/agent.wav", "audio/wav"), ("call/agent.mp3", "audio/mpeg"),
            ("edge/mp3-named.wav", "audio/mpeg"), ("formats/mp3_id3v2.mp3", "audio/mpeg"),
            ("formats/rf64.wav", "audio/wav"), ("formats/w64.w64", "audio/wav"), ("formats/vorbis.ogg", "audio/ogg"),
            ("formats/aiff.aiff", "audio/aiff"), ("video/room-alice.mka", "audio/x-matroska"),
            ("video/aac-delayed.m4a", "audio/mp4"),
            ("edge/text.wav", "application/octet-stream"), ("edge/empty.wav", "application/octet-stream"),
            ("call/no-such-file.flac", "application/octet-stream"),
        ]
        for (file, type) in expected {
            #expect(AudioFileRecognizer.mediaType(path: TestFiles.audio(file)) == type, "\(file)")
        }
    }
}
