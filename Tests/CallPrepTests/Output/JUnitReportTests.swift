import Foundation
import Testing

#if canImport(FoundationXML)
import FoundationXML
#endif

@Suite struct JUnitReportTests {
    /// The report parsed back by libxml2 (Foundation's XMLDocument): well-formed, or the test fails.
    private func parse(_ xml: String) throws -> XMLElement {
        let document = try XMLDocument(data: Data(xml.utf8), options: [])
        return try #require(document.rootElement())
    }

    private func testcases(_ suite: XMLElement) -> [XMLElement] { suite.elements(forName: "testcase") }

    @Test func oneTestcasePerFileWithCountsFailuresAndWarnings() throws {
        let out = try CLI.run([
            "validate", "--format", "junit",
            "TestAudio/call/agent.flac", "TestAudio/edge/short-1s.wav", "TestAudio/edge/dual-channel.wav", "TestAudio/edge/text.wav",
        ])
        #expect(out.status == 1)
        #expect(out.stdout == """
            <?xml version="1.0" encoding="UTF-8"?>
            <testsuite name="callprep validate" tests="4" failures="2" errors="0" skipped="0">
              <testcase classname="callprep.validate" name="TestAudio/call/agent.flac">
                <system-out>warning [mono]: \(ProblemMessages.mono)</system-out>
              </testcase>
              <testcase classname="callprep.validate" name="TestAudio/edge/short-1s.wav">
                <failure type="too_short" message="\(ProblemMessages.tooShortOneSecond)">error [too_short]: \(ProblemMessages.tooShortOneSecond)</failure>
                <system-out>warning [mono]: \(ProblemMessages.mono)</system-out>
              </testcase>
              <testcase classname="callprep.validate" name="TestAudio/edge/dual-channel.wav"/>
              <testcase classname="callprep.validate" name="TestAudio/edge/text.wav">
                <failure type="unsupported_format" message="\(ProblemMessages.notAudio)">error [unsupported_format]: \(ProblemMessages.notAudio)</failure>
              </testcase>
            </testsuite>

            """)

        let suite = try parse(out.stdout)
        #expect(suite.name == "testsuite")
        #expect(suite.attribute(forName: "tests")?.stringValue == "4")
        #expect(suite.attribute(forName: "failures")?.stringValue == "2")
        let cases = testcases(suite)
        #expect(cases.map { $0.attribute(forName: "name")?.stringValue } == [
            "TestAudio/call/agent.flac", "TestAudio/edge/short-1s.wav", "TestAudio/edge/dual-channel.wav", "TestAudio/edge/text.wav",
        ])
        #expect(cases.map { $0.elements(forName: "failure").count } == [0, 1, 0, 1])
        let failure = try #require(cases[1].elements(forName: "failure").first)
        #expect(failure.attribute(forName: "type")?.stringValue == "too_short")
        #expect(failure.stringValue == "error [too_short]: \(ProblemMessages.tooShortOneSecond)")
        #expect(cases[0].elements(forName: "system-out").first?.stringValue == "warning [mono]: \(ProblemMessages.mono)")
    }

    @Test func strictTurnsWarningsIntoFailures() throws {
        let out = try CLI.run(["validate", "--format", "junit", "--strict", "TestAudio/edge/short-1s.wav", "TestAudio/call/customer.wav"])
        #expect(out.status == 1)
        let suite = try parse(out.stdout)
        #expect(suite.attribute(forName: "tests")?.stringValue == "2")
        #expect(suite.attribute(forName: "failures")?.stringValue == "2")
        let cases = testcases(suite)
        #expect(cases.allSatisfy { $0.elements(forName: "system-out").isEmpty })
        let failures = cases.compactMap { $0.elements(forName: "failure").first }
        #expect(failures.map { $0.attribute(forName: "type")?.stringValue } == ["too_short", "mono"])
        #expect(failures[0].stringValue == "error [too_short]: \(ProblemMessages.tooShortOneSecond)\nwarning [mono]: \(ProblemMessages.mono)")
        #expect(failures[1].attribute(forName: "message")?.stringValue == ProblemMessages.mono)
    }

    /// Markup characters, quotes, line breaks and characters XML cannot hold at all, in file names
    /// and in a message: the document still parses, and gives back the names (U+FFFD for the
    /// characters XML cannot carry).
    @Test func namesAndMessagesAreEscaped() throws {
        let folder = try ScratchFolder()
        let markup = try folder.copy("call/agent.flac", as: #"a&b<c>"d'e.flac"#)
        let control = try folder.copy("call/agent.flac", as: "bell\u{7}tab\tcr\r.flac")
        let odd = try folder.copy("edge/mp3-named.wav", as: "x.w&\n<\"v")
        let out = try CLI.run(["validate", "--format", "junit", markup, control, odd])
        #expect(out.status == 1)
        let suite = try parse(out.stdout)
        let cases = testcases(suite)
        #expect(cases.map { $0.attribute(forName: "name")?.stringValue } == [
            markup, folder.path + "/bell\u{FFFD}tab\tcr\r.flac", odd,
        ])
        let note = try #require(cases[2].elements(forName: "system-out").first?.stringValue)
        #expect(note == "warning [misleading_extension]: the file is named .w&\n<\"v but holds MP3 audio; rename it to .mp3 so other tools and Intelligence treat it correctly.")
        #expect(suite.attribute(forName: "failures")?.stringValue == "1")
    }
}
