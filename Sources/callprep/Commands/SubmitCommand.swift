import ArgumentParser
import CallPrepJSON
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import TwilioIntelligence

extension CallPrep {
    /// `callprep submit`: create a transcript with the channel map.
    struct Submit: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a Conversational Intelligence transcript with the channel map.",
            discussion: """
                Participants come from the merge manifest (--manifest) unless given with --participant. \
                A CustomerKey is derived from the media and channel map unless given; a retried create \
                uses it to find a transcript it may already have made, so no duplicate is created, and \
                a transcript with the same key from the last 24 h is reused unless --force. \
                With --media-url the URL is checked first (HEAD, then a one-byte GET) without credentials: \
                Twilio fetches it once, publicly; with --manifest, the size it serves must be the merged \
                file's. --dry-run prints the exact request and sends nothing.
                """)

        @Option(name: .customLong("service"), help: "Intelligence Service SID GA….")
        var serviceSID: String

        @Option(name: .customLong("media-url"), help: "Public https URL of the audio (presigned is fine).")
        var mediaURL: String?

        @Option(name: .customLong("source-sid"), help: "Twilio Recording SID RE… instead of a media URL.")
        var sourceSID: String?

        @Option(help: "Merge manifest (OUT.manifest.json) whose participants array is the channel map.")
        var manifest: String?

        @Option(name: .customLong("participant"), help: "CHANNEL:key=value,… (keys: user_id, media_participant_id, email, full_name, image_url, role; a comma in a value: full_name=Smith\\, John or full_name=\"Smith, John\"). Repeat for channel 2. Overrides the manifest.")
        var participants: [String] = []

        @Option(name: .customLong("customer-key"), help: "Your key for the transcript (≤ 64 characters).")
        var customerKey: String?

        @Option(name: .customLong("media-start-time"), help: "When the media started, ISO 8601 with offset; sent in UTC.")
        var mediaStartTime: String?

        @Flag(help: "Poll until the transcript is completed (exit 1 if it fails).")
        var wait = false

        @Option(help: "How long --wait may take, e.g. 90s, 30m.", transform: DurationText.parse)
        var timeout: Duration = .seconds(30 * 60)

        @Flag(name: .customLong("dry-run"), help: "Print the exact request (secret redacted) and send nothing.")
        var dryRun = false

        @Flag(name: .customLong("allow-http"), help: "Accept an http:// media URL (Twilio may refuse it; meant for local emulators).")
        var allowHTTP = false

        @Flag(name: .customLong("skip-url-check"), help: "Do not check that the media URL answers before creating.")
        var skipURLCheck = false

        @Flag(help: "Create even if the service already has a transcript with this CustomerKey from the last 24 h.")
        var force = false

        @OptionGroup var credentials: CredentialOptions
        @OptionGroup var output: OutputOptions

        func validate() throws {
            guard (mediaURL == nil) != (sourceSID == nil) else {
                throw ValidationError("give exactly one of --media-url or --source-sid")
            }
            if wait && dryRun { throw ValidationError("--wait and --dry-run exclude each other") }
        }

        func run() async throws {
            let request: TranscriptCreateRequest
            do {
                request = try buildRequest()
                try request.validate()
            } catch {
                APISession.report(error, output)
                throw ExitCode(1)
            }
            if dryRun {
                // The same URL rules as the real run (an http URL is refused), without contacting it.
                if let mediaURL {
                    do {
                        try await MediaURLCheck.check(mediaURL, allowHTTP: allowHTTP, skipReachability: true, verbose: false)
                    } catch {
                        APISession.report(error, output)
                        throw ExitCode(1)
                    }
                }
                try printDryRun(request)
                return
            }
            if let mediaURL {
                do {
                    // With a manifest, the URL must serve the merged file's size.
                    let expectedSize = manifest.flatMap { try? MergedMedia(manifestAt: $0) }?.sizeBytes
                    try await MediaURLCheck.check(mediaURL, allowHTTP: allowHTTP, skipReachability: skipURLCheck, verbose: output.verbose, expectedSize: expectedSize)
                } catch {
                    APISession.report(error, output)
                    throw ExitCode(1)
                }
            }
            try await APISession.run(credentials, output) { client in
                var transcript: Transcript
                let dayAgo = Date().addingTimeInterval(-24 * 3600)
                if !force, let existing = try await client.findTranscript(serviceSID: request.serviceSID, customerKey: request.customerKey, createdAfter: dayAgo) {
                    transcript = existing
                    Console.error("already submitted: \(existing.sid) has CustomerKey \(request.customerKey) (status \(existing.status)); not creating another (use --force or another --customer-key)")
                } else {
                    transcript = try await client.createTranscript(request)
                    Console.error("created \(transcript.sid) (status \(transcript.status), CustomerKey \(request.customerKey))")
                }
                if wait {
                    let progress = WaitProgress(output: output)
                    transcript = try await client.waitForTranscript(transcript.sid, timeout: timeout, onPoll: progress.onPoll)
                }
                if output.json {
                    try Console.printJSON(transcript)
                } else {
                    TranscriptText.print(transcript)
                }
                if wait, transcript.status != .completed {
                    Terminal.printError("transcript \(transcript.sid) ended with status \(transcript.status); check the media URL is public and the file is WAV/MP3/FLAC, 2 s–8 h, ≥ 8 kHz")
                    throw ExitCode(1)
                }
            }
        }

        func buildRequest() throws -> TranscriptCreateRequest {
            let media: MediaSource = if let mediaURL { .mediaURL(mediaURL) } else { .sourceSID(sourceSID ?? "") }
            var map: ChannelMap?
            let explicit: [ChannelParticipant]
            do {
                if let manifest { map = try ChannelMap(manifestAt: manifest) }
                explicit = try ParticipantOption.channelParticipants(participants)
            } catch {
                let field = error.code == .invalidParticipant ? "--participant" : "--manifest"
                throw IntelligenceClientError.invalidInput(field: field, message: error.code == .invalidParticipant ? error.message : error.description)
            }
            let channel = Channel(media: media, participants: explicit.isEmpty ? (map?.participants ?? []) : explicit)
            var startTime: Date?
            if let mediaStartTime {
                guard let date = ISO8601Text.parse(mediaStartTime) else {
                    throw IntelligenceClientError.invalidInput(field: "--media-start-time", message: "not ISO 8601 with a time zone, e.g. 2024-05-01T15:45:30+02:00; got \(mediaStartTime.debugDescription)")
                }
                startTime = date
            }
            let key = customerKey ?? TranscriptCreateRequest.derivedCustomerKey(channel: channel, seed: map?.mediaSHA256)
            return TranscriptCreateRequest(serviceSID: serviceSID, channel: channel, customerKey: key, mediaStartTime: startTime)
        }

        /// Name–value pairs as a JSON object in sending order; a repeated name keeps its first value.
        static func uniqueMembers(_ pairs: [(String, String)]) -> JSONValue {
            var seen = Set<String>()
            return .object(pairs.filter { seen.insert($0.0).inserted }.map { JSONValue.Member($0.0, .string($0.1)) })
        }

        func printDryRun(_ request: TranscriptCreateRequest) throws {
            let creds = try? credentials.credentialsIfAny()
            let placeholder = try Credentials.authToken(accountSID: "AC" + String(repeating: "0", count: 32), authToken: "placeholder")
            let configuration = try credentials.configuration(credentials: creds ?? placeholder)
            let client = IntelligenceClient(configuration: configuration, transport: NoTransport())
            let preview = client.preview(request)
            let headers = preview.headers.map { name, value in
                name == "Authorization" ? (name, creds?.redactedAuthorization ?? "(no credentials configured)") : (name, value)
            }
            if output.json {
                Console.printDocument(.object([
                    "method": .string("POST"),
                    "url": .string(preview.url),
                    "headers": Self.uniqueMembers(headers),
                    "body": .string(preview.body),
                    "fields": Self.uniqueMembers(request.formFields()),
                ]))
            } else {
                print("POST \(preview.url)")
                for (name, value) in headers { print("\(name): \(value)") }
                print("")
                print(preview.body)
            }
        }
    }
}

/// A transport that refuses to send: used by `--dry-run` so nothing can leave the machine.
struct NoTransport: HTTPTransport {
    func send(_ request: TransportRequest, timeout: Duration) async throws -> TransportResponse {
        throw TransportFailure.notSent("dry run")
    }
}

/// ISO 8601 date-times with offset, optionally with fractional seconds.
enum ISO8601Text {
    static func parse(_ text: String) -> Date? {
        try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(text)
    }
}

/// Readable transcript summaries.
enum TranscriptText {
    static func print(_ transcript: Transcript) {
        Swift.print("\(transcript.sid)  \(transcript.status)")
        if let service = transcript.serviceSID { Swift.print("  service:      \(service)") }
        if let key = transcript.customerKey { Swift.print("  customer key: \(key)") }
        if let created = transcript.dateCreated { Swift.print("  created:      \(created)") }
        if let duration = transcript.duration, duration > 0 { Swift.print("  duration:     \(duration) s") }
        if let language = transcript.languageCode { Swift.print("  language:     \(language)") }
        switch transcript.channel?.media {
        case .mediaURL(let url)?: Swift.print("  media:        \(url)")
        case .sourceSID(let sid)?: Swift.print("  recording:    \(sid)")
        case nil: break
        }
        for participant in transcript.channel?.participants ?? [] {
            Swift.print("  channel \(participant.channelParticipant):    \(participant.displayName ?? "-")" + (participant.role.map { " (\($0))" } ?? ""))
        }
    }
}
