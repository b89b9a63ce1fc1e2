/// One edit of an MP4 edit list (`elst`): a stretch of the presentation timeline.
public struct MP4Edit: Sendable, Hashable {
    /// The stretch's length in movie timescale units (0: to the end of the media).
    public var segmentDuration: Int64
    /// Where in the media it starts, in media timescale units; -1 for an empty edit (a delay).
    public var mediaTime: Int64
}

/// The audio sample description of an MP4 track (`stsd` entry).
public struct MP4AudioSampleEntry: Sendable, Hashable {
    /// The sample entry type: `mp4a`, `Opus`, `ulaw`, `alaw`, `fLaC`, `ac-3`, …
    public var format: String
    /// The channel count the sample entry declares (AAC: the AudioSpecificConfig is authoritative).
    public var channels: Int
    /// The sample rate the sample entry declares, in Hz.
    public var sampleRate: Int
    /// The MPEG-4 object type indication from `esds` (0x40 MPEG-4 audio, 0x67 MPEG-2 AAC LC, …).
    public var objectTypeIndication: Int?
    /// The AudioSpecificConfig for AAC tracks.
    public var audioSpecificConfig: AudioSpecificConfig?
    /// The Opus configuration (`dOps`) for Opus tracks.
    var opus: MP4OpusConfig?
    /// The Vorbis identification header (inside `esds`) for Vorbis tracks.
    var vorbis: MP4VorbisConfig?

    /// The output channel count: the codec's own configuration (AudioSpecificConfig, `dOps`,
    /// Vorbis identification header) where it has one, which decoders follow; else the sample
    /// entry's field (which ffmpeg, for one, always writes as 2 for `mp4a`).
    public var outputChannels: Int {
        audioSpecificConfig?.channels ?? opus?.channels ?? vorbis?.channels ?? channels
    }

    /// The output rate in Hz: the SBR rate for HE-AAC, 48 000 for Opus (always decoded at its
    /// native rate), the Vorbis identification header's rate, else the sample entry's.
    public var outputSampleRate: Int {
        if let config = audioSpecificConfig { return config.extensionSampleRate ?? config.sampleRate }
        if opus != nil { return 48_000 }
        return vorbis?.sampleRate ?? sampleRate
    }

    /// The codec in ffmpeg's naming (`aac`, `mp3`, `opus`, `pcm_mulaw`, …).
    public var codecName: String {
        switch format {
        case "mp4a":
            switch objectTypeIndication {
            case 0x69, 0x6B: return "mp3"
            case 0x40, 0x66, 0x67, 0x68, nil: return "aac"
            case 0xDD: return "vorbis"
            default: return "mp4a"
            }
        case "Opus": return "opus"
        case "ulaw": return "pcm_mulaw"
        case "alaw": return "pcm_alaw"
        case "fLaC": return "flac"
        case "ac-3": return "ac3"
        case "ec-3": return "eac3"
        default: return format
        }
    }
}

/// One track of an MP4 movie, as far as audio demuxing needs it.
public struct MP4Track: Sendable {
    /// The `tkhd` track ID (fragments refer to it).
    public var trackID: UInt32 = 0
    /// The `hdlr` handler type: `soun` for audio, `vide` for video.
    public var handler: String = ""
    /// Media timescale (`mdhd`): units per second of the sample tables.
    public var mediaTimescale: Int64 = 0
    /// The edit list (`edts/elst`), empty when the track has none.
    public var edits: [MP4Edit] = []
    /// The first audio sample description of `stsd`, nil for non-audio tracks.
    public var sampleEntry: MP4AudioSampleEntry?
    /// The sample tables in `moov` (empty or nearly so in fragmented files, whose samples are
    /// in `moof` fragments).
    var sampleTable = MP4SampleTable()

    /// True for a sound track (`hdlr` type `soun`).
    public var isAudio: Bool { handler == "soun" }
}

/// The parsed `moov` box and, for fragmented files, the fragments' sample durations.
struct MP4Movie: Sendable {
    /// Movie timescale (`mvhd`): units of edit-list segment durations.
    var movieTimescale: Int64 = 1000
    var tracks: [MP4Track] = []
    /// True when `moov` has `mvex` (the samples live in `moof` fragments).
    var isFragmented = false
    /// `trex` default sample durations by track ID.
    var defaultDurations: [UInt32: UInt32] = [:]
    /// `trex` default sample sizes by track ID (for fragments whose `trun` lists no sizes).
    var defaultSizes: [UInt32: UInt32] = [:]
    /// The major brand from `ftyp`.
    var majorBrand: String?
    /// The last top-level box, when the end of the file cuts it short (a download or recording
    /// cut inside `mdat`).
    var cutBox: MP4BoxHeader?
}
