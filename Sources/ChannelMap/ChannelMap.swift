#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CallPrepJSON
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Who is on which channel of a merged file: the step from a merge manifest to the
/// `Channel.participants` of a transcript create.
///
/// Read it from the manifest a merge wrote (`ChannelMap(manifestAt:)`), or take it from a
/// `MergeManifest` in memory (`manifest.channelMap` in AudioPrep). `participants` goes into
/// `Channel(media:participants:)`; `mediaSHA256` seeds
/// `TranscriptCreateRequest.derivedCustomerKey(channel:seed:)`, so re-submitting the same
/// file with the same map gives the same CustomerKey.
public struct ChannelMap: Sendable, Hashable {
    /// At most one participant per channel, channels 1 and/or 2, in channel order.
    public var participants: [ChannelParticipant]
    /// The SHA-256 (hex) of the merged file, when the manifest records it.
    public var mediaSHA256: String?

    /// The largest manifest read: a merge manifest is a few kilobytes.
    public static let maximumManifestBytes = 4 << 20

    /// A map from participants already known; checks channel numbers (1 or 2, each once).
    public init(participants: [ChannelParticipant], mediaSHA256: String? = nil) throws(ChannelMapError) {
        try Self.check(participants, subject: "participants")
        self.participants = participants.sorted { $0.channelParticipant < $1.channelParticipant }
        self.mediaSHA256 = mediaSHA256
    }

    /// Reads the map from a merge manifest (`OUT.manifest.json`): only its `participants` key
    /// (exactly the Transcript Channel participants array) and, if present, `output.sha256`.
    /// Other keys are ignored, so the manifest can grow.
    public init(manifestAt path: String) throws(ChannelMapError) {
        try self.init(manifestJSON: try Self.readSmallFile(path), source: path)
    }

    /// Parses manifest JSON; `source` names it in errors (a path, or e.g. "standard input").
    public init(manifestJSON data: Data, source: String) throws(ChannelMapError) {
        struct Shape: Decodable {
            struct Output: Decodable { var sha256: String? }
            var participants: [ChannelParticipant]?
            var output: Output?
        }
        let shape: Shape
        do {
            shape = try JSONDecoder().decode(Shape.self, from: data)
        } catch {
            throw ChannelMapError(
                .invalidManifest, subject: source,
                "is not a merge manifest (JSON with a \"participants\" array of {\"channel_participant\": 1|2, …}): "
                    + DecodingErrorText.describe(error) + ". Run `callprep merge` again, or pass --participant.")
        }
        guard let participants = shape.participants else {
            throw ChannelMapError(
                .invalidManifest, subject: source, "has no \"participants\" key. Pass --participant 1:role=… instead.")
        }
        if let sha = shape.output?.sha256, !NumberText.isSHA256Hex(sha) {
            throw ChannelMapError(
                .invalidManifest, subject: source, "output.sha256 is not 64 lowercase hex digits. Run `callprep merge` again.")
        }
        try Self.check(participants, subject: source)
        self.participants = participants.sorted { $0.channelParticipant < $1.channelParticipant }
        self.mediaSHA256 = shape.output?.sha256
    }

    private static func check(_ participants: [ChannelParticipant], subject: String) throws(ChannelMapError) {
        var seen: Set<Int> = []
        for (index, participant) in participants.enumerated() {
            let channel = participant.channelParticipant
            guard channel == 1 || channel == 2 else {
                throw ChannelMapError(
                    .invalidManifest, subject: subject,
                    "participants[\(index)].channel_participant is \(channel); a dual-channel call has channels 1 and 2.")
            }
            guard seen.insert(channel).inserted else {
                throw ChannelMapError(
                    .invalidManifest, subject: subject,
                    "channel \(channel) has two participants; give each channel one.")
            }
        }
    }

    private static func readSmallFile(_ path: String) throws(ChannelMapError) -> Data {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            let reason = errno == ENOENT ? "does not exist" : "cannot be opened (\(String(cString: strerror(errno))))"
            throw ChannelMapError(
                .unreadableManifest, subject: path,
                "\(reason). Pass the OUT.manifest.json that `callprep merge` wrote beside the FLAC.")
        }
        defer { close(descriptor) }
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw ChannelMapError(
                    .unreadableManifest, subject: path,
                    "cannot be read (\(String(cString: strerror(errno)))). Check that it is a file you may read.")
            }
            if count == 0 { return data }
            data.append(contentsOf: buffer[0..<count])
            guard data.count <= maximumManifestBytes else {
                throw ChannelMapError(
                    .invalidManifest, subject: path,
                    "is larger than \(maximumManifestBytes >> 20) MiB, so it is not a merge manifest. Pass the OUT.manifest.json that `callprep merge` wrote.")
            }
        }
    }
}
