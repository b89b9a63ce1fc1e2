import ArgumentParser
import AudioPrep
import CallPrepJSON
import ChannelMap
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import ObjectStore
import TwilioIntelligence

extension CallPrep {
    /// `callprep room RM… -o OUT.flac`: a finished Twilio Video room in, the merged call out.
    struct Room: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "room",
            abstract: "Fetch a Twilio Video room's audio recordings and merge them into one dual-channel FLAC.",
            discussion: """
                Reads the room (GET /v1/Rooms/RM…), every page of its recordings (the audio ones) \
                and its participants (connected and disconnected: Twilio lists only connected ones \
                unless asked), downloads each audio recording's media in parallel (the signed URL \
                Twilio redirects to is fetched without your credentials) and merges them: each \
                participant's recordings, reconnects included, laid at their times on the room \
                timeline. A participant who reconnects (a new PA… SID under the same identity) \
                is one person on one channel.

                Channels: by default the two participants with audio, in join order (channel 1 \
                joined first). With more, say who goes where, by identity or PA… SID: \
                --channel 1=agent --channel 2=alice,bob. Several on one channel are mixed: summed \
                in float, clipped samples counted in the manifest (clipped_samples), never \
                wrapped. OUT.manifest.json names each channel's participant (full_name and \
                user_id = identity, media_participant_id = PA… SID, unless --participant says \
                otherwise), the room (room_sid) and, for every input, its recording: RT… SID, \
                participant, offset, with the download's size_bytes — ready for \
                `callprep submit --manifest`. It is the manifest merge --recordings writes for \
                the same files.

                Downloads go to --download-dir (kept) or a temporary folder removed afterwards \
                (unless --keep-downloads); a complete file already there is reused. Partial \
                downloads (.RT….mka.PID-….partial) never outlive a run: on failure, Ctrl-C, \
                SIGTERM or SIGHUP they are removed, and those of an earlier run that was killed \
                are swept from --download-dir at the start. A room still \
                in progress, or with recordings still processing, is exit 1 unless --wait.

                Recordings Twilio wrote to the account's own S3 bucket (media_external_location) \
                are downloaded from that bucket with its own credentials, never Twilio's: \
                AWS_ACCESS_KEY_ID…, AWS_PROFILE, ~/.aws and the --s3-* flags, resolved as for \
                `callprep upload` (Docs/Upload.md). An object URL on another host than the \
                configured endpoint is refused, and so is an object whose size is not the \
                recording's.

                Exit status: 0 merged, 1 Twilio, a download or the merge said no, 2 usage error.
                """)

        @Argument(help: ArgumentHelp("The room's SID, RM….", valueName: "room-sid"))
        var roomSID: String

        @Option(name: .shortAndLong, help: ArgumentHelp("The FLAC file to write.", valueName: "out.flac"), completion: .file())
        var output: String

        @Option(name: .customLong("channel"), help: ArgumentHelp("Who goes on channel N, by identity or PA… SID; several on one channel are mixed: --channel 1=agent --channel 2=alice,bob. A channel not given gets everybody else with audio.", valueName: "n=who[,who…]"))
        var channelSpecs: [String] = []

        @Option(help: ArgumentHelp("Channel participant fields, as for merge: --participant '1:role=Agent' or 'PA…:full_name=Alice Example'.", valueName: "channel:key=value,…"))
        var participant: [String] = []

        @Option(help: ArgumentHelp("Output rate in Hz (16000, 16k, …), or 'source'.", valueName: "hz|source"))
        var sampleRate: String = "16000"

        @Option(help: ArgumentHelp("Keep the downloads in this folder (created if missing); complete files already there are reused.", valueName: "dir"), completion: .directory)
        var downloadDir: String?

        @Flag(help: "Keep the temporary download folder (its path is printed).")
        var keepDownloads = false

        @Flag(help: "Wait for a room in progress to end and its recordings to be completed.")
        var wait = false

        @Option(help: ArgumentHelp("With --wait: give up after this long, e.g. 30m.", valueName: "duration"), transform: DurationText.parse)
        var timeout: Duration = .seconds(1800)

        @Option(help: .hidden, transform: DurationText.parse)
        var pollInterval: Duration = .seconds(10)

        @Flag(help: "Replace an existing output file and manifest.")
        var force = false

        @Flag(name: .customLong("allow-http"), help: "Accept media URLs and an S3 endpoint over plain http (local test servers only).")
        var allowHTTP = false

        @OptionGroup var credentials: CredentialOptions
        @OptionGroup(title: "S3 options (recordings in the account's own bucket)") var s3: RoomS3Options
        @OptionGroup var outputOptions: OutputOptions

        func validate() throws {
            guard SIDPattern.room.matches(roomSID) else {
                throw ValidationError("'\(roomSID)' is not a room SID: RM followed by 32 hex digits.")
            }
            if !output.lowercased().hasSuffix(".flac") {
                throw ValidationError("the output '\(output)' does not end in .flac, but room writes FLAC; name it .flac.")
            }
            do {
                _ = try ChannelAssignment.parseAll(channelSpecs)
            } catch {
                throw ValidationError(error.message)
            }
            if downloadDir != nil, keepDownloads {
                throw ValidationError("--download-dir is always kept; --keep-downloads applies to the temporary folder only.")
            }
            _ = try parsedRate()
            _ = try ParticipantOption.parseAll(participant)
        }

        private func parsedRate() throws -> OutputSampleRate {
            if sampleRate == "source" { return .highestInput }
            guard let rate = SampleRateText.hertz(sampleRate), rate >= 8000, rate <= 655_350 else {
                throw ValidationError("--sample-rate must be a rate from 8000 to 655350 Hz (16000, 16k) or 'source'; got '\(sampleRate)'.")
            }
            return .fixed(rate)
        }

        func run() async throws {
            let log: (@Sendable (String) -> Void)? = outputOptions.quiet ? nil : { @Sendable line in Console.error(line) }
            let assignments: [ChannelAssignment]
            do {
                assignments = try ChannelAssignment.parseAll(channelSpecs)
            } catch {
                throw ValidationError(error.message)
            }
            var fetch = RoomFetch(
                roomSID: roomSID, output: output, assignments: assignments,
                participantOptions: try ParticipantOption.parseAll(participant), sampleRate: try parsedRate(),
                wait: wait, timeout: timeout, pollInterval: pollInterval, overwrite: force, allowHTTP: allowHTTP,
                toolVersion: "callprep \(CallPrep.configuration.version)",
                bucket: { [flags = s3.flags(allowHTTP: allowHTTP)] subject in
                    try ExternalRecordingStore.open(for: subject) { () throws(ObjectStoreError) in
                        try S3Configuration.resolve(
                            environment: ProcessInfo.processInfo.environment, flags: flags, homeDirectory: HomeDirectory.path)
                    }
                },
                log: log)
            // Files in the temporary folder are read once by the merge and removed: no fsync.
            fetch.flushDownloads = downloadDir != nil || keepDownloads
            try await APISession.runRecordings(credentials, outputOptions) { [fetch] client in
                try await fetchAndMerge(fetch, client: client)
            }
        }

        /// The download folder prepared, the fetch run under signal handling, the folder
        /// cleaned, the result printed.
        private func fetchAndMerge(_ fetch: RoomFetch, client: RecordingsClient) async throws {
            let folder: String
            if let downloadDir {
                try FileManager.default.createDirectory(atPath: downloadDir, withIntermediateDirectories: true)
                folder = downloadDir
                // Partial files of an earlier run that ended without cleaning up (kill -9, a crash).
                PartialDownloads.sweep(folder: folder)
            } else {
                folder = try TemporaryFolder.create(purpose: "room")
            }
            let cancellation = MergeCancellation()
            let work = Task<MergeManifest, any Error> {
                try await fetch.run(client: client, folder: folder, cancellation: cancellation)
            }
            // Ctrl-C, SIGTERM or SIGHUP stop the downloads (their partial files are removed) or the merge.
            let signals = TerminationSignals(cancelling: cancellation, also: { work.cancel() })
            let result = await work.result
            PartialDownloads.sweep(folder: folder, includingOwn: true)
            if downloadDir == nil {
                if keepDownloads, signals.received == nil {
                    if !outputOptions.quiet { Console.error("downloads kept in \(folder)") }
                } else {
                    try? FileManager.default.removeItem(atPath: folder)
                }
            }
            if signals.received != nil, case .failure(let error) = result {
                APISession.report(error, outputOptions)
            }
            signals.terminateIfReceived()
            let manifest = try result.get()
            for warning in manifest.warnings ?? [] {
                Terminal.printError("warning [\(warning.code)]: \(warning.message)")
            }
            if outputOptions.json {
                Terminal.writeStdout(Array(manifest.jsonData()))
            } else if !outputOptions.quiet {
                print(MergeSummary.text(manifest, manifestPath: MergeManifest.path(forOutput: output)))
            }
        }
    }
}
