import Foundation
import Testing

@Suite struct GitHubWorkflowCommandsTests {
    @Test func oneAnnotationPerProblemThenASummary() throws {
        let out = try CLI.run([
            "validate", "--format", "github",
            "TestAudio/call/agent.flac", "TestAudio/edge/short-1s.wav", "TestAudio/edge/dual-channel.wav", "TestAudio/edge/text.wav",
        ])
        #expect(out.status == 1)
        #expect(out.stderr == "")
        #expect(out.stdout.split(separator: "\n", omittingEmptySubsequences: false) == [
            "::warning file=TestAudio/call/agent.flac,title=mono::\(ProblemMessages.mono)",
            "::error file=TestAudio/edge/short-1s.wav,title=too_short::\(ProblemMessages.tooShortOneSecond)",
            "::warning file=TestAudio/edge/short-1s.wav,title=mono::\(ProblemMessages.mono)",
            "::error file=TestAudio/edge/text.wav,title=unsupported_format::\(ProblemMessages.notAudio)",
            "callprep validate: 4 files, 2 passed, 2 failed (2 errors, 2 warnings)",
            "",
        ])
    }

    @Test func strictMakesEveryProblemAnError() throws {
        let out = try CLI.run(["validate", "--format", "github", "--strict", "TestAudio/call/agent.flac"])
        #expect(out.status == 1)
        #expect(out.stdout == """
            ::error file=TestAudio/call/agent.flac,title=mono::\(ProblemMessages.mono)
            callprep validate: 1 file, 0 passed, 1 failed (0 errors, 1 warning)

            """)
    }

    @Test func aCleanFileGivesOnlyTheSummary() throws {
        let out = try CLI.run(["validate", "--format", "github", "TestAudio/edge/dual-channel.wav"])
        #expect(out.status == 0)
        #expect(out.stdout == "callprep validate: 1 file, 1 passed, 0 failed (0 errors, 0 warnings)\n")
    }

    /// `%`, CR and LF are escaped everywhere, `:` and `,` in properties too, so a file name
    /// cannot end a command early or start a new one.
    @Test func namesAndMessagesAreEscaped() throws {
        let folder = try ScratchFolder()
        // MP3 content under a name whose "extension" holds % CR LF: the misleading_extension
        // message repeats it, so the message escapes are exercised too.
        let path = try folder.copy("edge/mp3-named.wav", as: "odd,name:1.w%\r\n::error::v")
        let out = try CLI.run(["validate", "--format", "github", path])
        #expect(out.status == 1)
        let file = folder.path + "/odd%2Cname%3A1.w%25%0D%0A%3A%3Aerror%3A%3Av"
        #expect(out.stdout.split(separator: "\n").map(String.init) == [
            "::error file=\(file),title=too_short::\(ProblemMessages.tooShortHalfSecond)",
            "::warning file=\(file),title=misleading_extension::the file is named .w%25%0D%0A::error::v but holds MP3 audio; rename it to .mp3 so other tools and Intelligence treat it correctly.",
            "callprep validate: 1 file, 0 passed, 1 failed (1 error, 1 warning)",
        ])
    }
}
