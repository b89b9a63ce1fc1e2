import ArgumentParser
import AudioPrep

/// `-` among file arguments: standard input, as in ffmpeg and sox. At most one per command
/// (standard input can be read once); it is spooled to a temporary file before the work starts.
enum StandardInputArgument {
    /// The usage check for `validate()`: `-` given at most once.
    static func checkAtMostOne(_ paths: [String]) throws {
        if paths.filter({ $0 == StandardInputSpool.name }).count > 1 {
            throw ValidationError("'-' (standard input) is given more than once; standard input can be read only once. Pass the other files by name.")
        }
    }

    /// Spools standard input when `paths` holds `-`; nil otherwise. On failure prints the error
    /// and exits: 2 when standard input is a terminal (a usage mistake), else 1.
    static func spoolIfNamed(in paths: [String]) throws -> StandardInputSpool? {
        guard paths.contains(StandardInputSpool.name) else { return nil }
        do {
            return try StandardInputSpool()
        } catch {
            Terminal.printError(error.description)
            throw ExitCode(error.code == .invalidArgument ? 2 : 1)
        }
    }
}
