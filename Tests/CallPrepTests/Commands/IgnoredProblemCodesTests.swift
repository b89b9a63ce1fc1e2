import Foundation
import Testing

/// `validate --ignore`.
@Suite struct IgnoredProblemCodesTests {
    @Test func monoParticipantTracksPassStrictWhenMonoIsIgnored() throws {
        let tracks = ["TestAudio/call/agent.flac", "TestAudio/call/customer.flac"]
        #expect(try CLI.run(["validate", "--strict"] + tracks).status == 1)
        let out = try CLI.run(["validate", "--strict", "--ignore", "mono"] + tracks)
        #expect(out.status == 0)
        #expect(out.stdout == """
            TestAudio/call/agent.flac: OK — flac/flac, 16000 Hz, 1 ch, 00:00:16.735
            TestAudio/call/customer.flac: OK — flac/flac, 16000 Hz, 1 ch, 00:00:16.252

            """)
    }

    @Test func commaListsAndRepeatedOptionsBothWork() throws {
        for arguments in [["--ignore", "mono,too_short"], ["--ignore", "too_short", "--ignore", "MONO"], ["--ignore", "mono, too_short"]] {
            let out = try CLI.run(["validate", "--json", "--strict"] + arguments + ["TestAudio/edge/short-1s.wav"])
            #expect(out.status == 0, "\(arguments)")
            let array = try #require(try out.json() as? [[String: Any]])
            #expect((array.first?["problems"] as? [Any])?.isEmpty == true)
            #expect(array.first?["accepted"] as? Bool == true)
        }
    }

    @Test func onlyTheNamedCodesGo() throws {
        let out = try CLI.run(["validate", "--format", "github", "--ignore", "mono", "TestAudio/edge/short-1s.wav"])
        #expect(out.status == 1)
        #expect(out.stdout == """
            ::error file=TestAudio/edge/short-1s.wav,title=too_short::\(ProblemMessages.tooShortOneSecond)
            callprep validate: 1 file, 0 passed, 1 failed (1 error, 0 warnings)

            """)
    }

    @Test func anUnknownCodeIsAUsageErrorListingTheCodes() throws {
        let out = try CLI.run(["validate", "--ignore", "mono,nope", "TestAudio/call/agent.flac"])
        #expect(out.status == 2)
        #expect(out.stdout == "")
        #expect(out.stderr.contains("--ignore: 'nope' is not the code of a problem validate can ignore. The codes are: unsupported_format, wav_not_pcm, "))
        #expect(out.stderr.contains(", mono, identical_channels, silent_channel, "))
        #expect(try CLI.run(["validate", "--ignore", "file_not_found", "missing.wav"]).status == 2)
        #expect(try CLI.run(["validate", "--ignore", "mono,", "TestAudio/call/agent.flac"]).status == 2)
    }

    /// A file that cannot be read keeps its error whatever is ignored; a readable one that only
    /// breaks ignored rules passes.
    @Test func ignoringNeverMakesAnUnreadableFilePass() throws {
        let out = try CLI.run(["validate", "--json", "--ignore", "unsupported_format,mono,container_start_time", "TestAudio/edge/text.wav", "TestAudio/video/room-alice.mka"])
        #expect(out.status == 1)
        let array = try #require(try out.json() as? [[String: Any]])
        let codes = array.map { ($0["problems"] as? [[String: Any]])?.compactMap { $0["code"] as? String } }
        #expect(codes == [["unsupported_format"], []])
        #expect(array.map { $0["accepted"] as? Bool } == [false, true])
    }
}
