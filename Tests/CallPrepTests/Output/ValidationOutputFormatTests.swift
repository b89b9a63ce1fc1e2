import Foundation
import Testing

/// `validate --format` and its short form `--json`.
@Suite struct ValidationOutputFormatTests {
    @Test func jsonFlagIsShortForFormatJSON() throws {
        let files = ["TestAudio/call/agent.flac", "TestAudio/edge/short-1s.wav"]
        let long = try CLI.run(["validate", "--format", "json"] + files)
        let short = try CLI.run(["validate", "--json"] + files)
        let both = try CLI.run(["validate", "--json", "--format", "json"] + files)
        #expect(long.status == 1)
        #expect(long.stdout.hasPrefix("[\n  {\n    \"path\": \"TestAudio/call/agent.flac\","))
        #expect(short.stdout == long.stdout)
        #expect(both.stdout == long.stdout)
    }

    @Test func textIsTheDefault() throws {
        let plain = try CLI.run(["validate", "TestAudio/call/agent.flac"])
        let text = try CLI.run(["validate", "--format", "text", "TestAudio/call/agent.flac"])
        #expect(plain.status == 0)
        #expect(plain.stdout == """
            TestAudio/call/agent.flac: OK with warnings — flac/flac, 16000 Hz, 1 ch, 00:00:16.735
              warning [mono]: \(ProblemMessages.mono)

            """)
        #expect(text.stdout == plain.stdout)
    }

    @Test func conflictingOrUnknownFormatsAreUsageErrors() throws {
        let conflict = try CLI.run(["validate", "--json", "--format", "github", "TestAudio/call/agent.flac"])
        #expect(conflict.status == 2)
        #expect(conflict.stdout == "")
        #expect(conflict.stderr.contains("--json means --format json; it cannot be combined with --format github."))
        let unknown = try CLI.run(["validate", "--format", "xml", "TestAudio/call/agent.flac"])
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("text"))
        #expect(unknown.stderr.contains("junit"))
    }

    @Test func helpNamesEveryFormat() throws {
        let out = try CLI.run(["validate", "--help"])
        #expect(out.status == 0)
        for word in ["--format", "github", "junit", "--ignore", "--recursive", "exit status"] where !out.stdout.contains(word) {
            Issue.record("validate --help does not mention \(word)")
        }
    }

    /// Shell completion offers the formats for --format and the codes for --ignore.
    @Test func completionOffersFormatsAndCodes() throws {
        let out = try CLI.run(["--generate-completion-script", "bash"])
        #expect(out.status == 0)
        #expect(out.stdout.contains("'text'$'\\n''json'$'\\n''github'$'\\n''junit'"))
        #expect(out.stdout.contains("'mono'$'\\n''identical_channels'"))
    }
}
