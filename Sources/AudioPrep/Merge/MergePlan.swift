import CallPrepJSON
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Everything a merge decides before it decodes a sample: the inputs opened and measured, the
/// output rate, where each track sits (`AlignmentPlan`), the channel map and the FLAC header.
///
/// Building it checks the configuration and Intelligence's limits (2 s to 8 h, inputs of 8 kHz
/// or more), so a merge that cannot succeed fails here, before any output exists.
struct MergePlan {
    let configuration: MergeConfiguration
    /// The two channels' inputs, in channel order.
    let tracks: [OpenedTrack]
    let outputRate: Int
    /// Where each channel sits (lead, content, tail; a mixed channel's content runs from its
    /// first stream's start to its last stream's end).
    let alignment: AlignmentPlan
    /// Per channel, where each of its streams sits on the output timeline.
    let streamPlacements: [[AlignmentPlan.Placement]]
    let durationSeconds: Double
    /// One per channel, in channel order, with default roles filled in.
    let participants: [ChannelParticipant]

    init(configuration: MergeConfiguration, reader: MergeInputReader) throws(AudioPrepError) {
        let config = configuration
        guard config.tracks.count == 2 else {
            throw AudioPrepError(.invalidArgument, "merge takes exactly two tracks (channel 1 and channel 2), not \(config.tracks.count).")
        }
        if let empty = config.tracks.firstIndex(where: { $0.files.isEmpty }) {
            throw AudioPrepError(.invalidArgument, "track \(empty + 1) has no files; give at least one recording per channel.")
        }
        try config.checkOutputPaths()

        var tracks: [OpenedTrack] = []
        for (index, track) in config.tracks.enumerated() {
            tracks.append(try OpenedTrack.open(track, channel: index + 1, reader: reader, minimumInputRate: config.minimumInputRate))
        }
        let outputRate: Int
        switch config.sampleRate {
        case .fixed(let rate): outputRate = rate
        case .highestInput: outputRate = tracks.flatMap { $0.streams.map(\.source.format.sampleRate) }.max()!
        }
        guard outputRate >= config.minimumInputRate, outputRate <= 655_350 else {
            throw AudioPrepError(
                .invalidArgument,
                "an output rate of \(outputRate) Hz is outside what Intelligence and FLAC accept. Use --sample-rate 16000 (recommended) or 8000…655350.")
        }
        let layout = try ChannelMixLayout(tracks: tracks, mode: config.alignment, outputRate: outputRate)
        let alignment = try AlignmentPlan(
            contentFrames: layout.contentFrames, mode: config.alignment, sampleRate: outputRate,
            startNanoseconds: tracks.map(\.startNanoseconds))
        let duration = Double(alignment.totalFrames) / Double(outputRate)
        if duration > config.maximumDuration {
            throw AudioPrepError(
                .outOfLimits, path: config.output,
                "the merged call would last \(Self.clock(duration)), more than Intelligence's limit of \(Self.clock(config.maximumDuration)). Split the call or check the offsets.")
        }
        if duration < config.minimumDuration {
            throw AudioPrepError(
                .outOfLimits, path: config.output,
                "the merged call would last \(NumberText.fixed(duration, digits: 3)) s; Intelligence does not transcribe recordings shorter than \(Int(config.minimumDuration)) s. Check the inputs.")
        }
        self.configuration = config
        self.tracks = tracks
        self.outputRate = outputRate
        self.alignment = alignment
        self.streamPlacements = layout.placements(in: alignment)
        self.durationSeconds = duration
        self.participants = (1...2).map { channel in
            var participant = config.participants.first { $0.channelParticipant == channel }
                ?? ChannelParticipant(channelParticipant: channel)
            if participant.role == nil { participant.role = ChannelParticipant.defaultRole(channel: channel) }
            return participant
        }
    }

    /// Every input file's path, in channel order (what the manifest hashes).
    var inputPaths: [String] {
        configuration.tracks.flatMap { $0.files.map(\.path) }
    }

    /// The output FLAC's STREAMINFO, encoder settings and Vorbis comments.
    var flacSettings: FLACStreamSettings {
        FLACStreamSettings(
            sampleRate: outputRate, totalFrames: alignment.totalFrames, compressionLevel: configuration.compressionLevel,
            threads: configuration.encoderThreads, comments: vorbisComments, vendor: configuration.toolVersion)
    }

    /// `ENCODER` and, per channel, the participant's fields, `SOURCE` and `LEAD_FRAMES`, as far
    /// as `configuration.tags` allows.
    private var vorbisComments: [VorbisComment] {
        let tags = configuration.tags
        guard tags != .none else { return [] }
        var comments = [VorbisComment("ENCODER", configuration.toolVersion)]
        for participant in participants {
            let channel = participant.channelParticipant
            let fields: [(String, String?)] = [
                ("ROLE", participant.role), ("FULL_NAME", participant.fullName), ("USER_ID", participant.userID),
                ("EMAIL", participant.email), ("MEDIA_PARTICIPANT_ID", participant.mediaParticipantID),
                ("IMAGE_URL", participant.imageURL),
            ]
            for (name, value) in fields where tags.includesChannelTag(name) {
                if let value { comments.append(VorbisComment("CHANNEL\(channel)_\(name)", value)) }
            }
            if tags.includesChannelTag("SOURCE") {
                comments.append(VorbisComment(
                    "CHANNEL\(channel)_SOURCE", tracks[channel - 1].files.map { PathIdentity.fileName($0.path) }.joined(separator: ",")))
            }
            comments.append(VorbisComment("CHANNEL\(channel)_LEAD_FRAMES", String(alignment.placements[channel - 1].lead)))
        }
        return comments
    }

    /// "1:02:03" for a duration in seconds (an alignment's total, or a configured limit, which
    /// a caller may set to anything: clamped to 0…10^15 s before the conversion to Int).
    private static func clock(_ seconds: Double) -> String {
        let total = Int((seconds.isNaN ? 0 : min(max(seconds, 0), 1e15)).rounded())
        return "\(total / 3600):\(NumberText.zeroPadded(Int64(total / 60 % 60), width: 2)):\(NumberText.zeroPadded(Int64(total % 60), width: 2))"
    }
}
