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
            """,
        version: "0.1.0",
        subcommands: []
    )
}
