import ArgumentParser
import CallPrepJSON
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import ObjectStore
import TwilioIntelligence

extension CallPrep {
    /// `callprep submit`: create a transcript with the channel map.
    struct Submit: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "submit",
            abstract: "Create a Conversational Intelligence transcript with the channel map.",
            discussion: """
                Participants come from the merge manifest (--manifest) unless given with --participant. \
                A CustomerKey is derived from the media and channel map unless given; a retried create \
                uses it to find a transcript it may already have made, so no duplicate is created, and \
                a transcript with the same key from the last 24 h is reused unless --force. \
                With --media-url the URL is checked first (HEAD, then a one-byte GET) without credentials: \
                Twilio fetches it once, publicly; with --manifest, the size it serves must be the merged \
                file's. With --upload s3://BUCKET/PREFIX/ the manifest's merged file is checked against its \
                SHA-256, uploaded (unless the object already holds it) and submitted by a presigned URL \
                (valid --expires, default 24 h); S3 settings as for `callprep upload`. --dry-run prints \
                the exact request and sends nothing.
                """)

        @Option(name: .customLong("service"), help: "Intelligence Service SID GA….")
        var serviceSID: String

        @Option(name: .customLong("media-url"), help: "Public https URL of the audio (presigned is fine).")
        var mediaURL: String?

        @Option(name: .customLong("source-sid"), help: "Twilio Recording SID RE… instead of a media URL.")
        var sourceSID: String?

        @Option(help: "Upload the manifest's merged file to s3://BUCKET/PREFIX/ (or s3://BUCKET/KEY) and submit its presigned URL.")
        var upload: String?

        @Option(help: "With --upload: how long the presigned URL works: 15m, 2h, 7d (at most 7d).", transform: PresignExpiry.parse)
        var expires: PresignExpiry = .standard

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

        @Flag(name: .customLong("allow-http"), help: "Accept an http:// media URL and S3 endpoint (Twilio may refuse it; meant for local emulators).")
        var allowHTTP = false

        @Flag(name: .customLong("skip-url-check"), help: "Do not check that the media URL answers before creating.")
        var skipURLCheck = false

        @Flag(help: "Create even if the service already has a transcript with this CustomerKey from the last 24 h.")
        var force = false

        @OptionGroup var credentials: CredentialOptions
        @OptionGroup(title: "S3 options (with --upload)") var s3: SubmitS3Options
        @OptionGroup var output: OutputOptions

        func validate() throws {
            guard [mediaURL, sourceSID, upload].compactMap({ $0 }).count == 1 else {
                throw ValidationError("give exactly one of --media-url, --source-sid or --upload")
            }
            if upload != nil, manifest == nil {
                throw ValidationError("--upload needs --manifest: it uploads the merged file the manifest describes, after checking its SHA-256")
            }
            if wait && dryRun { throw ValidationError("--wait and --dry-run exclude each other") }
        }

        func run() async throws {
            var request: TranscriptCreateRequest
            let plannedUpload: ManifestUpload?
            do {
                // The merged file is checked against the manifest before anything is sent.
                plannedUpload = try upload.map { try ManifestUpload(manifestAt: manifest ?? "", destination: $0) }
                request = try buildRequest(uploadingTo: plannedUpload?.location)
                try request.validate()
            } catch {
                APISession.report(error, output)
                throw ExitCode(1)
            }
            if dryRun {
                do {
                    // The same URL rules as the real run (an http URL is refused), without contacting it.
                    if let mediaURL {
                        try await MediaURLCheck.check(mediaURL, allowHTTP: allowHTTP, skipReachability: true, verbose: false)
                    }
                } catch {
                    APISession.report(error, output)
                    throw ExitCode(1)
                }
                if let plannedUpload {
                    request.channel.media = .mediaURL(try await presignOffline(plannedUpload))
                }
                try printDryRun(request)
                return
            }
            if let plannedUpload {
                try await StorageSession.run(s3, allowHTTP: allowHTTP, output) { store in
                    let uploaded = try await MediaUpload(store: store, verbose: output.verbose)
                        .run(plannedUpload.file, to: plannedUpload.location, expires: expires,
                             progress: UploadProgressLine(fileName: UploadDestination.fileName(plannedUpload.file.path), output: output))
                    request.channel.media = .mediaURL(uploaded.url)
                }
            }
            if case .mediaURL(let url) = request.channel.media {
                do {
                    // With a manifest, the URL must serve the merged file's size.
                    let expectedSize = plannedUpload?.media.sizeBytes ?? manifest.flatMap { try? MergedMedia(manifestAt: $0) }?.sizeBytes
                    try await MediaURLCheck.check(url, allowHTTP: allowHTTP, skipReachability: skipURLCheck, verbose: output.verbose, expectedSize: expectedSize)
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

        /// The request as far as it is known before an upload. With `--upload` the media URL is
        /// a stand-in until the presigned URL replaces it, and the derived CustomerKey names the
        /// object (`s3://BUCKET/KEY`) instead of the URL, which changes with every signature: so
        /// running the same command again finds the transcript it made.
        func buildRequest(uploadingTo location: ObjectLocation? = nil) throws -> TranscriptCreateRequest {
            let media: MediaSource = if let location {
                .mediaURL("https://upload.invalid/merged-file")
            } else if let mediaURL {
                .mediaURL(mediaURL)
            } else {
                .sourceSID(sourceSID ?? "")
            }
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
            let keyChannel = location.map { Channel(media: .mediaURL($0.description), participants: channel.participants) } ?? channel
            let key = customerKey ?? TranscriptCreateRequest.derivedCustomerKey(channel: keyChannel, seed: map?.mediaSHA256)
            return TranscriptCreateRequest(serviceSID: serviceSID, channel: channel, customerKey: key, mediaStartTime: startTime)
        }

        /// The presigned URL the real run would submit, signed here without any request (with a
        /// placeholder key when no S3 credentials are configured), and what would be uploaded.
        func presignOffline(_ plan: ManifestUpload) async throws -> String {
            var placeholder = false
            var url = ""
            try await StorageSession.run(configuration: { () throws(ObjectStoreError) in
                let offline = try s3.offlineConfiguration(allowHTTP: allowHTTP)
                placeholder = offline.placeholder
                return offline.configuration
            }, output) { store in
                url = try store.presignedGetURL(for: plan.location, expiresIn: expires.seconds)
            }
            Console.error("dry run: would upload \(plan.file.path) (\(plan.file.sizeBytes) bytes, \(plan.file.contentType), sha256 \(plan.file.sha256)) to \(plan.location) unless it holds these bytes already, and submit a URL presigned for \(expires)")
            if placeholder {
                Console.error("dry run: no S3 credentials configured; the URL below is signed with a placeholder key and grants nothing")
            }
            return url
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
