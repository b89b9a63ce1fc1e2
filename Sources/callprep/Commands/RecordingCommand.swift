import ArgumentParser
import CallPrepJSON
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import TwilioIntelligence

extension CallPrep {
    /// `callprep recording SID -o FILE`: downloads one Twilio recording's media.
    struct Recording: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "recording",
            abstract: "Download one Twilio recording: a Video track (RT…), a composition (CJ…) or a Voice recording (RE…).",
            discussion: """
                RT… is a Video track recording (.mka audio, .mkv video), CJ… a Video composition \
                (.mp4 or .webm), RE… a Voice call recording: .wav or .mp3 after FILE's extension \
                (or --format), both channels of a dual-channel recording (RequestedChannels=2). \
                Twilio answers with a short-lived signed URL on its media host, which is fetched \
                without your credentials. The file is written beside FILE under a hidden name and \
                renamed when complete and as large as Twilio says; a broken or short transfer or \
                an expired URL is retried; on failure nothing is left.

                An existing FILE that already is the complete recording (Twilio's size) is kept; \
                any other existing file is refused unless --force. A recording still processing \
                or stored in the account's own bucket (media_external_location) is an error.

                Credentials: as for submit ($TWILIO_ACCOUNT_SID + $TWILIO_AUTH_TOKEN, or \
                $TWILIO_API_KEY + $TWILIO_API_SECRET). Exit status: 0 saved, 1 Twilio or the \
                download said no, 2 usage error.
                """)

        @Argument(help: ArgumentHelp("The recording's SID: RT…, CJ… or RE….", valueName: "sid"))
        var sid: String

        @Option(name: .shortAndLong, help: ArgumentHelp("Where to save the media.", valueName: "file"), completion: .file())
        var output: String

        @Option(help: ArgumentHelp("For RE…: wav or mp3 (default: FILE's extension).", valueName: "wav|mp3"), completion: .list(["wav", "mp3"]))
        var format: String?

        @Flag(help: "Replace an existing FILE.")
        var force = false

        @Flag(name: .customLong("allow-http"), help: "Accept media URLs over plain http (local test servers only).")
        var allowHTTP = false

        @OptionGroup var credentials: CredentialOptions
        @OptionGroup var outputOptions: OutputOptions

        func validate() throws {
            guard ["RT", "CJ", "RE"].contains(String(sid.prefix(2))) else {
                throw ValidationError("'\(sid)' is not a recording SID: give RT… (Video track), CJ… (composition) or RE… (Voice recording).")
            }
            if sid.hasPrefix("RE") {
                _ = try voiceFormat()
            } else if format != nil {
                throw ValidationError("--format applies to Voice recordings (RE…) only; Video media comes as Twilio stored it.")
            }
        }

        /// The Voice media format: --format, else the output's extension.
        private func voiceFormat() throws -> VoiceMediaFormat {
            let name = format ?? URL(fileURLWithPath: output).pathExtension.lowercased()
            guard let format = VoiceMediaFormat(rawValue: name) else {
                throw ValidationError("a Voice recording is served as wav or mp3: name the output .wav or .mp3, or pass --format wav|mp3.")
            }
            return format
        }

        func run() async throws {
            try await APISession.runRecordings(credentials, outputOptions) { client in
                let (media, size, facts) = try await resource(client)
                if !force, FileManager.default.fileExists(atPath: output) {
                    let existing = (try? FileManager.default.attributesOfItem(atPath: output)[.size] as? Int).map(Int64.init)
                    guard let size, existing == size else {
                        throw MediaDownloadError(.fileError, subject: output, "exists and is not this recording's complete media; pass --force to replace it, or choose another name.")
                    }
                }
                let saved = try await client.download(media, to: output, expectedBytes: size, allowHTTP: allowHTTP, reuseExisting: !force)
                if outputOptions.json {
                    Console.printDocument(.object(facts + [
                        .init("path", .string(saved.path)), .init("bytes", .int(saved.bytes)), .init("reused", .bool(saved.reused)),
                    ]))
                } else if !outputOptions.quiet {
                    print("\(saved.reused ? "kept" : "saved") \(sid) → \(saved.path) (\(saved.bytes) bytes)")
                }
            }
        }

        /// Fetches the resource, checks it is ready and on Twilio's storage, and returns where
        /// its media is, its size and the facts `--json` prints.
        private func resource(_ client: RecordingsClient) async throws -> (MediaLocation, Int64?, [JSONValue.Member]) {
            func text(_ value: String?) -> JSONValue { value.map(JSONValue.string) ?? .null }
            func int(_ value: Int?) -> JSONValue { value.map { .int(Int64($0)) } ?? .null }
            switch sid.prefix(2) {
            case "RT":
                let recording = try await client.trackRecording(sid)
                try Self.checkReady(sid, status: recording.status, ready: "completed", external: recording.mediaExternalLocation)
                return (.trackRecording(sid), recording.size, [
                    .init("sid", .string(sid)), .init("kind", .string("track_recording")), .init("status", .string(recording.status)),
                    .init("type", text(recording.type)), .init("codec", text(recording.codec)), .init("container_format", text(recording.containerFormat)),
                    .init("duration_seconds", int(recording.duration)), .init("room_sid", text(recording.groupingSIDs?.roomSID)),
                    .init("participant_sid", text(recording.participantSID)), .init("track_name", text(recording.trackName)),
                    .init("offset_ms", recording.offset.map(JSONValue.int) ?? .null),
                ])
            case "CJ":
                let composition = try await client.composition(sid)
                try Self.checkReady(sid, status: composition.status, ready: "completed", external: composition.mediaExternalLocation)
                return (.composition(sid), composition.size, [
                    .init("sid", .string(sid)), .init("kind", .string("composition")), .init("status", .string(composition.status)),
                    .init("format", text(composition.format)), .init("duration_seconds", int(composition.duration)),
                    .init("room_sid", text(composition.roomSID)),
                ])
            default:
                let recording = try await client.voiceRecording(sid)
                try Self.checkReady(sid, status: recording.status ?? "completed", ready: "completed", external: nil)
                let channels = recording.channels == 2 ? 2 : 1
                return (.voiceRecording(sid, format: try voiceFormat(), channels: channels), nil, [
                    .init("sid", .string(sid)), .init("kind", .string("voice_recording")), .init("status", text(recording.status)),
                    .init("format", .string(try voiceFormat().rawValue)), .init("channels", .int(Int64(channels))),
                    .init("duration_seconds", text(recording.duration)), .init("call_sid", text(recording.callSID)),
                    .init("source", text(recording.source)),
                ])
            }
        }

        static func checkReady(_ sid: String, status: String, ready: String, external: String?) throws(MediaDownloadError) {
            guard status == ready else {
                throw MediaDownloadError(.notReady, subject: sid, "is \(status), not \(ready); its media cannot be downloaded yet. Try again when Twilio has finished it.")
            }
            if external != nil {
                throw MediaDownloadError(.externalStorage, subject: sid, "is stored in the account's own storage (media_external_location), not on Twilio's media host; download it from that bucket with its own credentials.")
            }
        }
    }
}
