import CallPrepJSON
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif

/// One of the AWS CLI's shared files, `~/.aws/credentials` or `~/.aws/config`, read as the AWS
/// tools read them: `[section]` headers, `key = value` lines, `#`/`;` comment lines, and nested
/// settings (a key with an empty value followed by indented `key = value` lines, as in
/// `s3 =\n  addressing_style = path`), which are stored as `s3.addressing_style`.
struct AWSSharedConfigFile: Sendable {
    /// Settings by section name (as written between the brackets, trimmed), keys lower-cased.
    let sections: [String: [String: String]]

    /// Reads the file at `path`; a missing file is an empty one.
    init(path: String) throws(ObjectStoreError) {
        let file: OpenFile
        do {
            file = try OpenFile.reading(path)
        } catch where access(path, F_OK) != 0 {
            self.init(text: "")
            return
        }
        // Bounded: these files are a few kilobytes; anything huge is not an AWS config file.
        let limit = 1 << 20
        guard let bytes = try? file.read(upTo: limit + 1, at: 0), bytes.count <= limit,
              let text = String(validating: bytes, as: UTF8.self)
        else {
            throw ObjectStoreError(
                code: .invalidConfiguration, message: "cannot read \(path) as an AWS configuration file (UTF-8 text, at most 1 MiB)")
        }
        self.init(text: text)
    }

    /// Parses the text of a shared file.
    init(text: String) {
        var sections: [String: [String: String]] = [:]
        var current: String?
        var nestedParent: String?
        for rawLine in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            let line = rawLine.trimmingWhitespace()
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") { continue }
            if line.hasPrefix("["), line.hasSuffix("]") {
                current = line.dropFirst().dropLast().trimmingWhitespace()
                nestedParent = nil
                if let current, sections[current] == nil { sections[current] = [:] }
                continue
            }
            guard let section = current, let equals = line.firstIndex(of: "=") else { continue }
            let key = line[..<equals].trimmingWhitespace().lowercased()
            let value = line[line.index(after: equals)...].trimmingWhitespace()
            let indented = rawLine.first == " " || rawLine.first == "\t"
            if indented, let parent = nestedParent {
                sections[section]?["\(parent).\(key)"] = value
            } else if value.isEmpty {
                nestedParent = key
            } else {
                nestedParent = nil
                sections[section]?[key] = value
            }
        }
        self.sections = sections
    }

    /// The settings of a profile: in the credentials file the section is the profile's name; in
    /// the config file it is `profile NAME` (and `default` for the default profile).
    func profile(_ name: String, configStyle: Bool) -> [String: String]? {
        if configStyle {
            if let section = sections["profile \(name)"] { return section }
            return name == "default" ? sections["default"] : nil
        }
        return sections[name]
    }
}
