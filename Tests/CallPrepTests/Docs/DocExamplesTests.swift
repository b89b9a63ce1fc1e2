import Foundation
import Testing

/// The examples in the docs that show a `$ callprep …` command and its output: each command is
/// run through the built binary and must print exactly what the doc shows.
@Suite struct DocExamplesTests {
    struct Example: CustomStringConvertible {
        var doc: String
        var arguments: [String]
        var output: String
        /// The file after `< ` at the end of the command line, fed to standard input.
        var standardInput: String?
        var description: String { "\(doc): callprep \(arguments.joined(separator: " "))" + (standardInput.map { " < \($0)" } ?? "") }
    }

    /// Fenced blocks (indented ones in list items too) whose first line is `$ callprep ARGS`
    /// (arguments without quotes, optionally ending in `< FILE`), with the output lines that
    /// follow in the block.
    static func examples(in doc: String) throws -> [Example] {
        let text = try String(contentsOf: CLI.root.appendingPathComponent(doc), encoding: .utf8)
        var examples: [Example] = []
        var block: [String]?
        var indent = 0
        for line in text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            let trimmed = line.drop { $0 == " " }
            if trimmed.hasPrefix("```") {
                if let lines = block {
                    if let first = lines.first, first.hasPrefix("$ callprep ") {
                        var arguments = first.dropFirst("$ callprep ".count).split(separator: " ").map(String.init)
                        var standardInput: String?
                        if arguments.count >= 2, arguments[arguments.count - 2] == "<" {
                            standardInput = arguments.removeLast()
                            arguments.removeLast()
                        }
                        examples.append(Example(
                            doc: doc, arguments: arguments, output: lines.dropFirst().map { $0 + "\n" }.joined(),
                            standardInput: standardInput))
                    }
                    block = nil
                } else {
                    block = []
                    indent = line.count - trimmed.count
                }
            } else if block != nil {
                block!.append(String(line.dropFirst(min(indent, line.prefix { $0 == " " }.count))))
            }
        }
        return examples
    }

    @Test(arguments: ["Docs/Usage.md", "Docs/TwilioVideo.md"])
    func examplesPrintWhatTheDocShows(doc: String) throws {
        let examples = try Self.examples(in: doc)
        #expect(examples.count >= (doc == "Docs/Usage.md" ? 6 : 2))
        for example in examples {
            let out = try example.standardInput.map {
                try CLI.run(example.arguments, stdinFile: CLI.root.appendingPathComponent($0).path)
            } ?? CLI.run(example.arguments)
            #expect(out.stdout == example.output, "\(example)")
        }
    }
}
