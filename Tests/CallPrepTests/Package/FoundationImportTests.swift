import Foundation
import Testing

/// The shipped modules import the full Foundation only where FoundationEssentials does not
/// exist: one use of swift-corelibs-foundation links all of it, ICU's 34 MB of data included,
/// into the static release binary (Docs/Benchmarks.md, "Binary size"). With every `import
/// Foundation` in the `#else` of `#if canImport(FoundationEssentials)`, a use of `NSLock`,
/// `String(format:)` and the like does not compile on Linux, so it cannot creep back.
@Suite struct FoundationImportTests {
    /// The modules linked into `callprep` that have been moved to FoundationEssentials
    /// (`CallPrepJobs`'s own files too, although GRDB under it imports the full Foundation:
    /// Docs/Jobs.md, "Foundation").
    static let modules = ["ChannelMap", "CallPrepJSON", "AudioPrep", "TwilioIntelligence", "ObjectStore", "callprep", "CallPrepJobs"]

    /// Each line of `text` that imports Foundation (or one of its non-essential parts) other than
    /// as `#if canImport(FoundationEssentials) / import FoundationEssentials / #else / import Foundation`.
    static func unguardedImports(in text: String) -> [String] {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map {
            $0.trimmingCharacters(in: .whitespaces)
        }
        var found: [String] = []
        for (index, line) in lines.enumerated() {
            guard !line.hasPrefix("//") else { continue }
            let words = line.split(separator: " ").map(String.init)
            guard let module = words.drop(while: { $0 != "import" }).dropFirst().first else { continue }
            switch module {
            case "FoundationNetworking", "FoundationXML", "FoundationInternationalization", "CoreFoundation":
                found.append(line)
            case "Foundation":
                let guarded = index >= 3 && lines[index - 1] == "#else"
                    && lines[index - 2].hasSuffix("import FoundationEssentials")
                    && lines[index - 3] == "#if canImport(FoundationEssentials)"
                if !guarded { found.append(line) }
            default: break
            }
        }
        return found
    }

    @Test func shippedModulesUseFoundationEssentials() throws {
        var checked = 0
        for module in Self.modules {
            let folder = CLI.root.appendingPathComponent("Sources").appendingPathComponent(module)
            let files = try #require(FileManager.default.enumerator(atPath: folder.path)).compactMap { $0 as? String }
            for file in files where file.hasSuffix(".swift") {
                let text = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
                #expect(Self.unguardedImports(in: text) == [], "Sources/\(module)/\(file)")
                checked += 1
            }
        }
        #expect(checked > 100)
    }

    @Test func recognizesEachForm() {
        #expect(Self.unguardedImports(in: "import Foundation\n") == ["import Foundation"])
        #expect(Self.unguardedImports(in: "@preconcurrency import Foundation\n") == ["@preconcurrency import Foundation"])
        #expect(Self.unguardedImports(in: "import FoundationNetworking\n") == ["import FoundationNetworking"])
        #expect(Self.unguardedImports(in: "#if canImport(Glibc)\nimport Glibc\n#else\nimport Foundation\n#endif\n") == ["import Foundation"])
        #expect(Self.unguardedImports(in: "#if canImport(FoundationEssentials)\nimport FoundationEssentials\n#else\nimport Foundation\n#endif\n") == [])
        #expect(Self.unguardedImports(in: "// import Foundation is not needed\nimport Dispatch\n") == [])
    }
}
