import Foundation
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

    /// The script installed as Docs/Usage.md says, loaded into a real bash and asked to complete
    /// the line the way bash does at a Tab: the words it offers.
    @Test func bashCompletesCommandsAndValuesAsInstalled() throws {
        let script = try CLI.run(["--generate-completion-script", "bash"])
        #expect(script.status == 0)
        let folder = try ScratchFolder()
        let scriptPath = try folder.write(script.stdout, as: "callprep.bash")
        let offers = try Self.bashCompletions(script: scriptPath, lines: [
            "callprep me", "callprep merge --align ", "callprep merge --tags m", "callprep transcripts sentences --format s",
        ])
        #expect(offers == [["merge"], ["start", "end", "timestamps"], ["minimal"], ["srt"]])
    }

    /// Sources `script` in `bash` and, for each line, sets `COMP_LINE`/`COMP_WORDS`/`COMP_CWORD`
    /// as bash does for a Tab at the end of the line and calls the `complete -F` function the
    /// script registered for `callprep`; returns `COMPREPLY` per line.
    static func bashCompletions(script: String, lines: [String]) throws -> [[String]] {
        let program = """
            shopt -s extglob
            source "$1"; shift
            function=$(complete -p callprep | sed -n 's/.* -F \\([^ ]*\\) .*/\\1/p')
            for line in "$@"; do
              COMP_LINE=$line; COMP_POINT=${#line}
              read -ra COMP_WORDS <<< "$line"
              [[ $line == *" " ]] && COMP_WORDS+=("")
              COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 )); COMPREPLY=()
              "$function" callprep "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
              (IFS=,; echo "${COMPREPLY[*]}")
            done
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = ["-c", program, "bash", script] + lines
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        return String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
            .dropLast().map { $0.split(separator: ",").map(String.init) }
    }
}
