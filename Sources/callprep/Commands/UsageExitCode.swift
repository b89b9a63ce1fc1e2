import ArgumentParser
import Foundation

extension CallPrep {
    /// Runs the command tree with callprep's exit codes: 0 success, 1 the input or the API said
    /// no, 2 usage errors (argument-parser would use 64).
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            let code = exitCode(for: error)
            if code == .validationFailure {
                FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
                Foundation.exit(2)
            }
            exit(withError: error)
        }
    }
}
