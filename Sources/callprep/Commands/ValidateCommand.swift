import ArgumentParser
import AudioPrep
import CallPrepJSON

extension CallPrep {
    struct Validate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "validate",
            abstract: "Check audio files against Conversational Intelligence's media rules.",
            discussion: """
                Errors (the file will be rejected or not transcribed): not WAV-PCM/MP3/FLAC, over \
                3 GB, over 8 hours, under 2 seconds, under 8 kHz, more than 2 channels, damaged.
                Warnings (accepted, but the transcript will suffer): under 16 kHz, mono (no speaker \
                separation), two identical channels ("stereo, not dual-channel"), a silent channel \
                (likely a wrong channel map), a misleading file name, a header that disagrees with \
                the data.

                A folder stands for the audio files in it (by extension or content; hidden files \
                skipped), sorted by path; --recursive searches its subfolders too. A folder with \
                no audio is an error.

                Use it as a CI gate: exit status 0 when every file is accepted, 1 when any file is \
                unreadable or rejected (with --strict: has any problem), 2 on a usage error. \
                --format github annotates the files in a GitHub Actions job; --format junit \
                writes a JUnit XML report.
                """
        )

        @Argument(
            help: ArgumentHelp("Audio files, or folders to check the audio files in; '-' reads standard input.", valueName: "file-or-folder"),
            completion: .file())
        var files: [String]

        @Option(help: ArgumentHelp(
            "text (for people), json (one array, see Docs/Usage.md), github (GitHub Actions annotations) or junit (JUnit XML).",
            valueName: "format"))
        var format: ValidationOutputFormat?

        @Flag(help: "Short for --format json.")
        var json = false

        @Flag(help: "Fail on warnings too.")
        var strict = false

        @Option(help: ArgumentHelp(
            "Leave out problems with these codes (comma-separated; repeatable), e.g. --ignore mono for per-participant tracks.",
            valueName: "code,…"),
            completion: .list(ValidationProblem.fileProblemCodes.map(\.code)))
        var ignore: [String] = []

        @Flag(help: "Search the subfolders of folder arguments too.")
        var recursive = false

        @Flag(help: "Skip the checks that decode the samples (identical or silent channels); format rules only.")
        var skipSignalChecks = false

        func validate() throws {
            _ = try outputFormat()
            _ = try IgnoredProblemCodes(arguments: ignore)
            try StandardInputArgument.checkAtMostOne(files)
        }

        func run() async throws {
            let format = try outputFormat()
            let ignored = try IgnoredProblemCodes(arguments: ignore)
            let standardInput = try StandardInputArgument.spoolIfNamed(in: files)
            let validator = MediaValidator(checkSignal: !skipSignalChecks)
            let reports = AudioFileFinder.targets(for: files, recursive: recursive).map { target in
                switch target {
                case .file(let path):
                    if path == StandardInputSpool.name, let standardInput {
                        ignored.apply(to: standardInput.relabel(validator.validate(path: standardInput.path)))
                    } else {
                        ignored.apply(to: validator.validate(path: path))
                    }
                case .folderWithoutAudio(let path):
                    ValidationReport(path: path, info: nil, signal: nil, problems: [noAudioProblem])
                case .unreadableFolder(let path, let reason):
                    ValidationReport(
                        path: path, info: nil, signal: nil,
                        problems: [ValidationProblem(.error, AudioPrepError.Code.unreadable.rawValue, "the folder cannot be listed: \(reason). Check its permissions.")])
                }
            }
            switch format {
            case .text:
                for report in reports { print(TextTable.validationText(report)) }
            case .json:
                print(JSONValue.array(reports.map(AudioJSON.validationObject)).serialized())
            case .github:
                for line in GitHubWorkflowCommands.lines(for: reports, strict: strict) { print(line) }
            case .junit:
                print(JUnitReport.xml(for: reports, strict: strict))
            }
            if reports.contains(where: { ValidationTally.fails($0, strict: strict) }) { throw ExitCode.failure }
        }

        /// `--format`, or json for `--json`; both together only when they agree.
        private func outputFormat() throws(ValidationError) -> ValidationOutputFormat {
            switch (format, json) {
            case (nil, false): return .text
            case (nil, true), (.json, true): return .json
            case (let format?, false): return format
            case (let format?, true):
                throw ValidationError("--json means --format json; it cannot be combined with --format \(format.rawValue).")
            }
        }

        private var noAudioProblem: ValidationProblem {
            ValidationProblem(
                .error, "no_audio_files",
                recursive
                    ? "the folder and its subfolders hold no audio files (none named .wav, .flac, .mp3, … and none whose content is audio); pass the folder that holds the recordings."
                    : "the folder holds no audio files (none named .wav, .flac, .mp3, … and none whose content is audio); pass the folder that holds the recordings, or add --recursive to search its subfolders.")
        }
    }
}
