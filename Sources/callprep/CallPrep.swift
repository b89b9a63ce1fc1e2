import ArgumentParser

/// The `callprep` command: probe, validate, merge and submit call audio for Twilio
/// Conversational Intelligence.
@main
struct CallPrep: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "callprep",
        abstract: "Prepare call and meeting audio for Twilio Conversational Intelligence.",
        discussion: """
            Intelligence separates speakers only by channel: give it a dual-channel file with one \
            participant per channel, in WAV (PCM), MP3 or FLAC, 8 kHz or more, 2 s to 8 h, at most \
            3 GB. callprep checks files against those rules, merges per-participant tracks into \
            such a file, and creates transcripts with the matching channel map.

            Exit status: 0 success, 1 an input or the API said no, 2 usage error.
            """,
        version: "0.1.0",
        subcommands: [
            Probe.self,
            Validate.self,
            Merge.self,
            Submit.self,
            Recording.self,
            Room.self,
            Upload.self,
            Presign.self,
            Transcripts.self,
            Services.self,
            Operators.self,
            Insights.self,
            Jobs.self,
            Serve.self,
        ]
    )

    /// Runs the command line, mapping argument errors to exit status 2 (ArgumentParser's own
    /// default is 64) so scripts can tell "you called it wrong" from "the file is bad".
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
                Terminal.writeStderr(fullMessage(for: error) + "\n")
                Terminal.writeStderr("Run 'callprep help' for usage.\n")
                ProcessExit.exit(status: 2)
            }
            exit(withError: error)
        }
    }
}
