import ArgumentParser
import AudioPrep
import CallPrepJSON

extension CallPrep {
    struct Probe: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "probe",
            abstract: "Print exact format facts for audio files.",
            discussion: """
                For each file: container, codec, sample rate, channels, exact frame count, duration, \
                bits per sample and size, then the file's notes on indented lines (where a timestamped \
                track starts, gaps in its timestamps, a header that disagrees with the data, a \
                misleading name). The format is read from the file's content, not its name. \
                MP3 lengths are exact (the gapless decoded length), from the Xing/LAME header or, \
                without one, by counting frame headers; nothing is decoded, so even hour-long files \
                probe in milliseconds.

                Exit status: 0 when every file was probed, 1 when any could not be, 2 on a usage error.
                """
        )

        @Argument(help: ArgumentHelp("Audio files to probe; '-' reads standard input.", valueName: "file"), completion: .file())
        var files: [String]

        @Flag(help: "Print one JSON array, one object per file in argument order (see Docs/Usage.md).")
        var json = false

        func validate() throws {
            try StandardInputArgument.checkAtMostOne(files)
        }

        func run() async throws {
            let standardInput = try StandardInputArgument.spoolIfNamed(in: files)
            var objects: [JSONValue] = []
            var rows: [[String]] = []
            var notes: [[String]] = []
            var failures: [AudioPrepError] = []
            for path in files {
                do throws(AudioPrepError) {
                    let readable = (path == StandardInputSpool.name ? standardInput?.path : nil) ?? path
                    let info: AudioInfo
                    do { info = try AudioProbe.probe(path: readable) } catch { throw standardInput?.relabel(error) ?? error }
                    objects.append(AudioJSON.probeObject(path: path, info: info))
                    rows.append(TextTable.probeRow(path: path, info: info))
                    notes.append(TextTable.noteLines(info))
                } catch {
                    failures.append(error)
                    objects.append(AudioJSON.probeError(path: path, error: error))
                    rows.append([path, "error: \(error.code.rawValue)"])
                    notes.append([])
                }
            }
            if json {
                print(JSONValue.array(objects).serialized())
            } else {
                print(TextTable.render(header: TextTable.probeHeader, rows: rows, details: notes))
            }
            // On stderr in both modes, as every command reports a failure.
            for failure in failures {
                Terminal.printError(failure.description)
            }
            if !failures.isEmpty { throw ExitCode.failure }
        }
    }
}
