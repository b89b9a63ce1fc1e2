import Foundation
import TwilioIntelligence

/// Reads the channel map from a merge manifest (`OUT.manifest.json`): only its `participants`
/// key (exactly the Transcript Channel participants array) and, if present, `output.sha256`
/// to seed the default CustomerKey. Other keys are ignored, so the manifest can grow.
struct ManifestChannelMap {
    var participants: [ChannelParticipant]
    var mediaSHA256: String?

    static func read(_ path: String) throws -> ManifestChannelMap {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw IntelligenceClientError.invalidInput(field: "--manifest", message: "cannot read \(path): \(error.localizedDescription)")
        }
        struct Shape: Decodable {
            struct Output: Decodable { var sha256: String? }
            var participants: [ChannelParticipant]?
            var output: Output?
        }
        let shape: Shape
        do {
            shape = try JSONDecoder().decode(Shape.self, from: data)
        } catch {
            throw IntelligenceClientError.invalidInput(field: "--manifest", message: "\(path) is not a merge manifest with a participants array (\(error)); run `callprep merge` again or pass --participant")
        }
        guard let participants = shape.participants else {
            throw IntelligenceClientError.invalidInput(field: "--manifest", message: "\(path) has no \"participants\" key; pass --participant 1:role=… instead")
        }
        return ManifestChannelMap(participants: participants, mediaSHA256: shape.output?.sha256)
    }
}

/// Parses `--participant 1:role=Agent,full_name=Alice Agent,email=a@example.com`.
enum ParticipantOption {
    static let keys = ["user_id", "media_participant_id", "email", "full_name", "image_url", "role"]

    static func parse(_ text: String) throws -> ChannelParticipant {
        let pieces = text.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        guard let channel = Int(pieces[0]) else {
            throw IntelligenceClientError.invalidInput(field: "--participant", message: "expected CHANNEL:key=value,…, e.g. 1:role=Agent,full_name=Alice; got \(text.debugDescription)")
        }
        var participant = ChannelParticipant(channelParticipant: channel)
        guard pieces.count == 2, !pieces[1].isEmpty else { return participant }
        for pair in pieces[1].split(separator: ",") {
            let keyValue = pair.split(separator: "=", maxSplits: 1)
            guard keyValue.count == 2 else {
                throw IntelligenceClientError.invalidInput(field: "--participant", message: "\(String(pair).debugDescription) is not key=value")
            }
            let value = String(keyValue[1])
            switch String(keyValue[0]) {
            case "user_id": participant.userID = value
            case "media_participant_id": participant.mediaParticipantID = value
            case "email": participant.email = value
            case "full_name": participant.fullName = value
            case "image_url": participant.imageURL = value
            case "role": participant.role = value
            case let key:
                throw IntelligenceClientError.invalidInput(field: "--participant", message: "unknown key \(key.debugDescription); use one of \(keys.joined(separator: ", "))")
            }
        }
        return participant
    }
}
