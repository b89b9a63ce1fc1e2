/// The output sample rate a merge asks for.
public enum OutputSampleRate: Sendable, Hashable {
    /// A fixed rate in Hz (Intelligence recommends 16000).
    case fixed(Int)
    /// The highest rate among the inputs, so nothing is downsampled.
    case highestInput
}

/// Everything one merge needs: two tracks, where they go, and how.
public struct MergeConfiguration: Sendable {
    /// The tracks, in channel order: the first becomes channel 1 (left, "Agent" by default),
    /// the second channel 2 (right, "Customer"). Each may hold several recordings.
    public var tracks: [MergeTrack]
    /// The first file of each track; setting it makes one single-file track per path.
    public var inputs: [String] {
        get { tracks.map { $0.files.first?.path ?? "" } }
        set { tracks = newValue.map { MergeTrack(path: $0) } }
    }
    /// The FLAC file to write.
    public var output: String
    public var sampleRate: OutputSampleRate
    public var alignment: AlignmentMode
    /// Per-channel participant facts; channels without an entry get `channel_participant` and
    /// the default role only.
    public var participants: [ChannelParticipant]
    /// Whether an existing output (and its manifest) may be replaced.
    public var overwrite: Bool
    /// Whether to write the manifest.
    public var writeManifest: Bool
    /// Where the manifest goes; nil: beside the output, `OUT.manifest.json`.
    public var manifestPath: String?
    /// Which Vorbis comments the FLAC carries (`.all` by default; `.minimal` keeps personal data
    /// out of a file that is going to a URL).
    public var tags: MergeTags = .all
    /// How the output is named in the manifest, when not by `output`: e.g. `-` when the CLI
    /// copies the FLAC to standard output from a temporary file.
    public var outputLabel: String?
    /// Whether to run the validate format rules on the written file and record the verdict.
    public var validateOutput: Bool
    /// Segments encoded at the same time (defaults to the number of active cores).
    public var encoderThreads: Int
    /// libFLAC compression preset 0…8.
    public var compressionLevel: Int
    /// The Twilio Video room the recordings came from (`RM…`), recorded in the manifest.
    public var roomSID: String?
    /// The name and version recorded in the FLAC and the manifest.
    public var toolVersion: String
    /// The shortest and longest output Intelligence accepts, in seconds.
    public var minimumDuration: Double
    public var maximumDuration: Double
    /// The lowest input rate accepted, in Hz (Intelligence's minimum).
    public var minimumInputRate: Int

    /// A merge of single-file tracks (`inputs` in channel order).
    public init(
        inputs: [String], output: String, sampleRate: OutputSampleRate = .fixed(16000),
        alignment: AlignmentMode = .automatic, participants: [ChannelParticipant] = [], overwrite: Bool = false,
        writeManifest: Bool = true, encoderThreads: Int = MergeConfiguration.activeCores,
        compressionLevel: Int = 5, toolVersion: String = "callprep"
    ) {
        self.init(
            tracks: inputs.map { MergeTrack(path: $0) }, output: output, sampleRate: sampleRate, alignment: alignment,
            participants: participants, overwrite: overwrite, writeManifest: writeManifest,
            encoderThreads: encoderThreads, compressionLevel: compressionLevel, toolVersion: toolVersion)
    }

    /// A merge of `tracks` (channel order), each of one or more recordings.
    public init(
        tracks: [MergeTrack], output: String, sampleRate: OutputSampleRate = .fixed(16000),
        alignment: AlignmentMode = .automatic, participants: [ChannelParticipant] = [], overwrite: Bool = false,
        writeManifest: Bool = true, encoderThreads: Int = MergeConfiguration.activeCores,
        compressionLevel: Int = 5, toolVersion: String = "callprep"
    ) {
        self.tracks = tracks
        self.output = output
        self.sampleRate = sampleRate
        self.alignment = alignment
        self.participants = participants
        self.overwrite = overwrite
        self.writeManifest = writeManifest
        self.validateOutput = true
        self.encoderThreads = encoderThreads
        self.compressionLevel = compressionLevel
        self.toolVersion = toolVersion
        self.minimumDuration = 2
        self.maximumDuration = 8 * 3600
        self.minimumInputRate = 8000
    }

    /// The number of cores available to this process.
    public static var activeCores: Int {
        max(1, sysconf(Int32(_SC_NPROCESSORS_ONLN)))
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
