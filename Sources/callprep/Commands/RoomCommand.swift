import ArgumentParser
import AudioPrep
import CallPrepJSON
import ChannelMap
import Foundation
import TwilioIntelligence

extension CallPrep {
    /// `callprep room RM… -o OUT.flac`: a finished Twilio Video room in, the merged call out.
    struct Room: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Fetch a Twilio Video room's audio recordings and merge them into one dual-channel FLAC.",
            discussion: """
                Reads the room (GET /v1/Rooms/RM…), every page of its recordings (the audio ones) \
                and its participants (connected and disconnected: Twilio lists only connected ones \
                unless asked), downloads each audio recording's media in parallel (the signed URL \
                Twilio redirects to is fetched without your credentials) and merges them: each \
                participant's recordings, reconnects included, laid at their times on the room \
                timeline, one participant per channel.

                Channels: by default the two participants with audio, in join order (channel 1 \
                joined first). With more, say who goes where: --channel 1=alice --channel 2=PA… \
                (identity or participant SID). OUT.manifest.json names each channel's participant \
                (full_name and user_id = identity, media_participant_id = PA… SID, unless \
                --participant says otherwise) and, under twilio_room, the room and every \
                recording used: RT… SID, participant, offset and download size — ready for \
                `callprep submit --manifest`.

                Downloads go to --download-dir (kept) or a temporary folder removed afterwards \
                (unless --keep-downloads); a complete file already there is reused. A room still \
                in progress, or with recordings still processing, is exit 1 unless --wait.

                Exit status: 0 merged, 1 Twilio, a download or the merge said no, 2 usage error.
                """)

        @Argument(help: ArgumentHelp("The room's SID, RM….", valueName: "room-sid"))
        var roomSID: String

        @Option(name: .shortAndLong, help: ArgumentHelp("The FLAC file to write.", valueName: "out.flac"), completion: .file())
        var output: String

        @Option(name: .customLong("channel"), help: ArgumentHelp("Who is on a channel: --channel 1=alice --channel 2=PA… (identity or participant SID).", valueName: "n=who"))
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

        @Flag(name: .customLong("allow-http"), help: "Accept media URLs over plain http (local test servers only).")
        var allowHTTP = false

        @OptionGroup var credentials: CredentialOptions
        @OptionGroup var outputOptions: OutputOptions

        func validate() throws {
            guard SIDPattern.room.matches(roomSID) else {
                throw ValidationError("'\(roomSID)' is not a room SID: RM followed by 32 hex digits.")
            }
            if !output.lowercased().hasSuffix(".flac") {
                throw ValidationError("the output '\(output)' does not end in .flac, but room writes FLAC; name it .flac.")
            }
            let specs = try RoomChannels.parse(channelSpecs)
            if let shared = specs.first(where: { $0.value.count > 1 }) {
                throw ValidationError("--channel \(shared.key) names \(shared.value.count) participants; mixing several participants on one channel is not available yet: give one per channel.")
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
            let specs = try RoomChannels.parse(channelSpecs)
            let options = try ParticipantOption.parseAll(participant)
            let rate = try parsedRate()
            try await APISession.runRecordings(credentials, outputOptions) { client in
                let snapshot = try await RoomSnapshot.fetch(
                    client, room: roomSID, wait: wait, timeout: timeout, interval: pollInterval,
                    log: { line in if !outputOptions.quiet { Console.error(line) } })
                let plan = try RoomChannels(room: roomSID, participants: snapshot.participants, audio: snapshot.audio, specs: specs)
                for speaker in plan.leftOut {
                    Terminal.printError("warning: \(speaker.name) (\(speaker.participantSID)) has audio but no --channel names them; left out.")
                }
                let folder = try downloadDir.map { dir -> String in
                    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
                    return dir
                } ?? TemporaryFolder.create(purpose: "room")
                let removeFolder = downloadDir == nil && !keepDownloads
                defer { if removeFolder { try? FileManager.default.removeItem(atPath: folder) } }
                let recordings = plan.channels.flatMap { $0.flatMap(\.recordings) }
                let downloads = try await RoomDownloads.fetch(recordings, room: roomSID, into: folder, client: client, allowHTTP: allowHTTP)
                if keepDownloads, !outputOptions.quiet { Console.error("downloads kept in \(folder)") }
                let manifest = try merge(plan: plan, recordings: recordings, downloads: downloads, options: options, rate: rate)
                try RoomManifest.write(manifest: manifest, room: snapshot.room, plan: plan, downloads: downloads, output: output, json: outputOptions.json)
                if !outputOptions.json, !outputOptions.quiet {
                    print(MergeSummary.text(manifest, manifestPath: MergeManifest.path(forOutput: output)))
                }
            }
        }

        /// The merge of the downloaded files, grouped by participant as the Recordings list
        /// says, with the Participants resource's names.
        private func merge(plan: RoomChannels, recordings: [VideoRecording], downloads: [String: MediaDownload],
                           options: [ParticipantOption], rate: OutputSampleRate) throws -> MergeManifest {
            let listJSON = try JSONEncoder().encode(["recordings": recordings])
            let list = try TwilioRecordingList(pages: [listJSON], path: "the Recordings of \(roomSID)")
            let order = plan.channels.map { $0[0].participantSID }
            let tracks = try TwilioRoomTracks(list: list, files: recordings.compactMap { downloads[$0.sid]?.path }, folder: nil, channelOrder: order)
            var participants: [ChannelParticipant] = []
            for (index, channel) in plan.channels.enumerated() {
                let speaker = channel[0]
                let given = options.first { $0.target == .participantSID(speaker.participantSID) || $0.target == .channel(index + 1) }
                var participant = given?.participant ?? ChannelParticipant(channelParticipant: index + 1)
                participant.channelParticipant = index + 1
                if participant.fullName == nil { participant.fullName = speaker.participant?.identity }
                if participant.userID == nil { participant.userID = speaker.participant?.identity }
                if participant.mediaParticipantID == nil { participant.mediaParticipantID = speaker.participantSID }
                participants.append(participant)
            }
            let configuration = MergeConfiguration(
                tracks: tracks.channels.map(\.track), output: output, sampleRate: rate, alignment: .automatic,
                participants: participants, overwrite: force, writeManifest: false,
                toolVersion: "callprep \(CallPrep.configuration.version)")
            let cancellation = MergeCancellation()
            let signals = TerminationSignals(cancelling: cancellation)
            do {
                let manifest = try Merger(configuration: configuration).run(cancellation: cancellation)
                signals.terminateIfReceived()
                return manifest
            } catch {
                signals.terminateIfReceived()
                throw error
            }
        }
    }
}
