import Testing

/// `callprep --generate-completion-script bash`: options with a fixed set of values complete them.
@Suite struct CompletionScriptTests {
    @Test func bashScriptCompletesFixedValues() throws {
        let result = try CLI.run(["--generate-completion-script", "bash"])
        #expect(result.status == 0)
        // ArgumentParser lists the words one a line: 'start'$'\n''end'$'\n''timestamps'.
        for values in [["start", "end", "timestamps"], ["earliest", "room"], ["all", "minimal", "none"], ["conversation", "json", "srt", "vtt", "text"]] {
            let list = "-W " + values.map { "'\($0)'" }.joined(separator: "$'\\n'")
            #expect(result.stdout.contains(list), "\(list)")
        }
    }
}
