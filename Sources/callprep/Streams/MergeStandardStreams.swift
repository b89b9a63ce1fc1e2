import ArgumentParser
import AudioPrep

/// `-` in a merge: one track read from standard input, and `-o -`, the FLAC written to standard
/// output. Both go through temporary files (see `StandardInputSpool`, `StandardOutputFLAC`);
/// the manifest and messages name them `-`.
struct MergeStandardStreams {
    private(set) var input: StandardInputSpool?
    private(set) var output: StandardOutputFLAC?

    /// The usage rules: at most one `-` track, none with --recordings (its files are found by
    /// name), and `-o -` keeps standard output for the FLAC alone.
    static func validate(inputs: [String], recordings: Bool, output: String, json: Bool) throws {
        try StandardInputArgument.checkAtMostOne(inputs)
        if recordings, inputs.contains(StandardInputSpool.name) {
            throw ValidationError("with --recordings, files are matched to participants by the RT… SID in their names, so '-' (standard input) cannot be one of them.")
        }
        if output == StandardOutputFLAC.name, json {
            throw ValidationError("-o - writes the FLAC to standard output, so --json cannot print the manifest there too. Use --manifest PATH to get the manifest.")
        }
    }

    /// Prepares the streams `configuration` names with `-` and points it at the temporary files.
    /// A terminal on standard output is refused before standard input is read; the FLAC's
    /// temporary folder is made after the (interruptible) read, so Ctrl-C then leaves nothing.
    /// With `-o -` the manifest is written only to an explicit `manifestPath`.
    init(configuration: inout MergeConfiguration) throws(AudioPrepError) {
        let writesStandardOutput = configuration.output == StandardOutputFLAC.name
        if writesStandardOutput { try StandardOutputFLAC.checkNotTerminal() }
        let readsStandardInput = configuration.tracks.contains { $0.files.contains { $0.path == StandardInputSpool.name } }
        if readsStandardInput {
            let spool = try StandardInputSpool()
            input = spool
            for track in configuration.tracks.indices {
                for file in configuration.tracks[track].files.indices where configuration.tracks[track].files[file].path == StandardInputSpool.name {
                    configuration.tracks[track].files[file].path = spool.path
                    configuration.tracks[track].files[file].label = StandardInputSpool.name
                }
            }
        }
        if writesStandardOutput {
            let sink = try StandardOutputFLAC()
            output = sink
            configuration.output = sink.path
            configuration.outputLabel = StandardOutputFLAC.name
            if configuration.manifestPath == nil { configuration.writeManifest = false }
        }
    }

    /// `error` with the temporary paths named `-`.
    func relabel(_ error: AudioPrepError) -> AudioPrepError {
        var relabelled = input?.relabel(error) ?? error
        if let output, relabelled.path == output.path { relabelled.path = StandardOutputFLAC.name }
        return relabelled
    }

    /// After a successful merge: copies the FLAC to standard output (with `-o -`) and removes it.
    func finish() throws(AudioPrepError) {
        guard let output else { return }
        defer { output.remove() }
        try output.copyToStandardOutput()
    }
}
