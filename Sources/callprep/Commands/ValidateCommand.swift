import ArgumentParser
import AudioPrep

extension CallPrep {
    struct Validate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check audio files against Conversational Intelligence's media rules.",
            discussion: """
                Errors (the file will be rejected or not transcribed): not WAV-PCM/MP3/FLAC, over \
                3 GB, over 8 hours, under 2 seconds, under 8 kHz, more than 2 channels, damaged.
                Warnings (accepted, but the transcript will suffer): under 16 kHz, mono (no speaker \
                separation), two identical channels ("stereo, not dual-channel"), a silent channel \
                (likely a wrong channel map), a misleading file name, a header that disagrees with \
                the data.

                Use it as a CI gate: exit status 0 when every file is accepted, 1 when any file is \
                unreadable or rejected (with --strict: has any problem), 2 on a usage error.
                """
        )

        @Argument(help: ArgumentHelp("Audio files to validate.", valueName: "file"), completion: .file())
        var files: [String]

        @Flag(help: "Print one JSON array of {path, accepted, problems, probe} (see Docs/Usage.md).")
        var json = false

        @Flag(help: "Fail on warnings too.")
        var strict = false

        @Flag(help: "Skip the checks that decode the samples (identical or silent channels); format rules only.")
        var skipSignalChecks = false

        func run() async throws {
            let validator = MediaValidator(checkSignal: !skipSignalChecks)
            let reports = files.map { validator.validate(path: $0) }
            if json {
                print(JSONValue.array(reports.map(AudioJSON.validationObject)).serialized())
            } else {
                for report in reports {
                    print(TextTable.validationText(report))
                }
            }
            let failed = reports.contains { strict ? !$0.clean : !$0.accepted }
            if failed { throw ExitCode.failure }
        }
    }
}
