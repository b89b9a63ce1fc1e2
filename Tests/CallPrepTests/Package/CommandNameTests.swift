import Foundation
import Testing

/// Every command names itself (`CommandConfiguration(commandName:)`). Without the name,
/// ArgumentParser derives it from the type with `String(describing:)` while it builds the command
/// tree at every start, and each such call makes the Swift runtime scan all protocol conformance
/// records of the static binary (GRDB, NIO and Foundation included): 11 ms of CPU before any work,
/// more than `probe` itself needs for a WAV (Docs/Benchmarks.md, "Start-up").
@Suite struct CommandNameTests {
    /// The argument list of each `CommandConfiguration(` call in `text` that lacks `commandName:`.
    static func unnamedConfigurations(in text: String) -> [String] {
        var found: [String] = []
        var rest = text[...]
        while let start = rest.range(of: "CommandConfiguration(") {
            var depth = 1
            var index = start.upperBound
            while index < rest.endIndex, depth > 0 {
                switch rest[index] {
                case "(": depth += 1
                case ")": depth -= 1
                default: break
                }
                index = rest.index(after: index)
            }
            let arguments = rest[start.upperBound..<index]
            if !arguments.contains("commandName:") { found.append(String(arguments.prefix(60))) }
            rest = rest[index...]
        }
        return found
    }

    @Test func everyCommandNamesItself() throws {
        let folder = CLI.root.appendingPathComponent("Sources/callprep")
        let files = try #require(FileManager.default.enumerator(atPath: folder.path)).compactMap { $0 as? String }
        var configurations = 0
        for file in files where file.hasSuffix(".swift") {
            let text = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
            configurations += text.components(separatedBy: "CommandConfiguration(").count - 1
            #expect(Self.unnamedConfigurations(in: text) == [], "Sources/callprep/\(file)")
        }
        #expect(configurations >= 40)
    }

    @Test func findsAnUnnamedConfiguration() {
        #expect(Self.unnamedConfigurations(in: #"CommandConfiguration(abstract: "List (all).")"#) == [#"abstract: "List (all).")"#])
        #expect(Self.unnamedConfigurations(in: #"CommandConfiguration(commandName: "list", abstract: "x")"#) == [])
        #expect(Self.unnamedConfigurations(in: "CommandConfiguration(\n    commandName: \"run\",\n    abstract: \"x\")") == [])
    }
}
