#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension MergeConfiguration {
    /// Where the manifest goes: `manifestPath`, else `OUT.manifest.json` beside the output.
    var resolvedManifestPath: String {
        manifestPath ?? MergeManifest.path(forOutput: output)
    }

    /// Refuses, before any work, an output or manifest path that names a device, a FIFO or a
    /// folder, an input that does not exist or is the output itself, and an existing output
    /// without overwrite.
    func checkOutputPaths() throws(AudioPrepError) {
        let manifestPath = resolvedManifestPath
        let outputs = [output] + (writeManifest ? [manifestPath] : [])
        for path in outputs {
            try AtomicOutputFile.checkReplaceable(path)
        }
        for (index, track) in tracks.enumerated() {
            for input in track.files.map(\.path) {
                guard access(input, F_OK) == 0 else {
                    throw AudioPrepError(.fileNotFound, path: input, "track \(index + 1) does not exist. Check the path.")
                }
                if PathIdentity.sameFile(input, output) || PathIdentity.sameFile(input, manifestPath) {
                    throw AudioPrepError(
                        .outputIsInput, path: output,
                        "the output path is track \(index + 1) itself; merging would overwrite an input. Choose a different -o path.")
                }
            }
        }
        if !overwrite {
            // lstat, not access: a dangling symbolic link exists too (link(2) at commit fails on it).
            for path in outputs { try AtomicOutputFile.checkAbsent(path) }
        }
    }
}
