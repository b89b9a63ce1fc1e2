import ArgumentParser
import AudioPrep
import Dispatch
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension CallPrep {
    struct Merge: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "merge",
            abstract: "Merge two per-participant tracks into one aligned dual-channel 16-bit FLAC.",
            discussion: """
                TRACK1 becomes channel 1 (left; Intelligence calls it "Agent" unless told \
                otherwise), TRACK2 channel 2 (right; "Customer"). Inputs: anything `probe` reads, \
                any rate, mono or stereo (averaged to mono). The output is FLAC, 2 channels, \
                16-bit, at --sample-rate, as long as the longer track: nobody is cut. Beside it, \
                OUT.manifest.json records the inputs (with SHA-256), each channel's lead and tail \
                padding in frames, the output facts and the channel map for `submit`.

                The output appears complete or not at all: it is written to a temporary file in \
                the same folder and renamed when done; on an error or Ctrl-C nothing is left.

                '-' is standard input as one track (copied to a temporary file in $TMPDIR first) \
                and standard output as -o - (the finished FLAC is copied there; the manifest is \
                then written only with --manifest PATH; the summary goes to standard error). \
                Likely mistakes are warnings on standard error and in the manifest: a channel \
                that is padding for more than half the output (a wrong pairing?), and timestamps \
                on only some inputs (aligned at their starts instead).

                Twilio Video recordings (Matroska/WebM) carry container timestamps: each track is \
                then laid at its own start on the room timeline (--align timestamps, the default \
                when every input has them), relative to the earliest track (or to the room's \
                creation with --timeline room). A participant with several recordings \
                (reconnects): --track 1=a1.mka,a2.mka --track 2=b.mka. With --recordings \
                recordings.json (the saved JSON of GET /v1/Rooms/RM…/Recordings, the API's pages \
                or twilio-cli's -o json; repeat it for several pages), files are grouped by \
                participant from the RT… SID in their names (pass them, or keep them beside the \
                JSON) and --participant may name a participant by its PA… SID; named participants \
                take channels 1, 2 in flag order. With more than two participants, --channel says \
                who goes where, by PA… SID or (with --participants participants.json) identity: \
                --channel 1=agent --channel 2=alice,bob. Several on one channel (or one \
                participant's overlapping recordings) are mixed: summed in float, clipped \
                samples counted in the manifest (clipped_samples), never wrapped.

                Exit status: 0 merged, 1 an input is unusable or writing failed, 2 usage error. \
                On SIGINT (Ctrl-C), SIGTERM or SIGHUP the merge removes its temporary output and \
                ends by that signal (a shell shows 130, 143 or 129). Temporary outputs left in the \
                output's folder by merges that were killed outright (SIGKILL, a crash) are removed \
                by the next merge there.
                """
        )

        @Argument(help: ArgumentHelp("The two tracks: channel 1, then channel 2; one may be '-', standard input (with --recordings: any number of recordings, or none to use those beside the JSON).", valueName: "track"), completion: .file())
        var tracks: [String] = []

        @Option(name: .customLong("track"), help: ArgumentHelp("A channel's recordings, laid at their own times: --track 1=a1.mka,a2.mka --track 2=b.mka (instead of the two TRACK arguments).", valueName: "channel=file[,file…]"), completion: .file())
        var trackSpecs: [String] = []

        @Option(help: ArgumentHelp("The saved JSON of Twilio Video's GET /v1/Rooms/RM…/Recordings (the API's page, or twilio-cli's -o json array; repeat it for each page): groups files by participant and applies each recording's offset.", valueName: "recordings.json"), completion: .file())
        var recordings: [String] = []

        @Option(name: .customLong("participants"), help: ArgumentHelp("With --recordings: the saved JSON of GET /v1/Rooms/RM…/Participants (repeat it for each page), so --channel can name participants by identity, channels follow join order and the manifest gets their identities.", valueName: "participants.json"), completion: .file())
        var participantLists: [String] = []

        @Option(help: ArgumentHelp("With --recordings: who goes on channel N, by identity or PA… SID; several on one channel are mixed: --channel 1=agent --channel 2=alice,bob. A channel not given gets everybody else with audio.", valueName: "n=who[,who…]"))
        var channel: [String] = []

        @Option(name: .shortAndLong, help: ArgumentHelp("The FLAC file to write; '-' writes it to standard output (then the manifest only with --manifest).", valueName: "out.flac"), completion: .file())
        var output: String

        @Option(help: ArgumentHelp("Write the manifest here instead of beside the output (OUT.manifest.json).", valueName: "path"), completion: .file())
        var manifest: String?

        @Option(help: ArgumentHelp("Output rate in Hz (16000, or 16k, 44.1k, …), or 'source' for the highest input rate.", valueName: "hz|source"))
        var sampleRate: String = "16000"

        @Option(help: ArgumentHelp("start: both begin at 0, the shorter is padded at the end. end: the shorter is delayed so both end together. timestamps: each at its container start time (default when every input has one, else start).", valueName: "start|end|timestamps"), completion: .list(["start", "end", "timestamps"]))
        var align: String?

        @Option(help: ArgumentHelp("With timestamps: where t = 0 is. earliest: the first track's start (default). room: the room's creation (0 on the recordings' clock).", valueName: "earliest|room"), completion: .list(["earliest", "room"]))
        var timeline: String?

        @Option(help: ArgumentHelp("Lead silence before a track, e.g. --offset 2=12.5 (overrides --align; give both or one, the other is 0).", valueName: "channel=seconds"))
        var offset: [String] = []

        @Option(help: ArgumentHelp("Who is on a channel, in Intelligence's participant fields: --participant '1:role=Agent,full_name=Alice Agent,user_id=a-42' (also email, media_participant_id, image_url). A comma in a value: full_name=Smith\\, John or full_name=\"Smith, John\".", valueName: "channel:key=value,…"))
        var participant: [String] = []

        @Flag(help: "Replace an existing output file and manifest.")
        var force = false

        @Flag(help: "Write the FLAC even when the output's name does not end in .flac.")
        var forceExtension = false

        @Option(help: ArgumentHelp("Vorbis comments in the FLAC. all: participant fields and source file names too. minimal: ENCODER and each channel's ROLE and LEAD_FRAMES only (no names, ids, e-mail, image URLs or file names). none: no comments.", valueName: "all|minimal|none"), completion: .list(["all", "minimal", "none"]))
        var tags: String = "all"

        @Flag(help: "Same as --tags none.")
        var noTags = false

        @Flag(help: "Print the manifest as JSON on standard output.")
        var json = false

        @Flag(name: .shortAndLong, help: "No progress bar and no summary.")
        var quiet = false

        @Flag(help: "Do not write OUT.manifest.json.")
        var noManifest = false

        @Option(help: ArgumentHelp("FLAC segments encoded at the same time (default: the number of cores).", valueName: "n"))
        var threads: Int?

        @Option(help: ArgumentHelp("libFLAC compression level 0–8.", valueName: "level"))
        var compressionLevel: Int = 5

        func validate() throws {
            if recordings.isEmpty, !channel.isEmpty || !participantLists.isEmpty {
                throw ValidationError("--channel and --participants place a room's participants, so they need --recordings recordings.json.")
            }
            do {
                _ = try ChannelAssignment.parseAll(channel)
            } catch {
                throw ValidationError(error.message)
            }
            if !recordings.isEmpty {
                guard trackSpecs.isEmpty else {
                    throw ValidationError("with --recordings, pass the files as plain arguments (or none to use those beside the JSON); channels come from the participants, not --track.")
                }
            } else if trackSpecs.isEmpty {
                guard tracks.count == 2 else {
                    throw ValidationError("merge takes exactly two tracks (channel 1 and channel 2); got \(tracks.count).")
                }
            } else if !tracks.isEmpty {
                throw ValidationError("give the tracks either as two arguments or as --track 1=… --track 2=…, not both.")
            }
            let specFiles = try parsedTrackSpecs()?.flatMap { $0.files.map(\.path) } ?? []
            try MergeStandardStreams.validate(inputs: tracks + specFiles, recordings: !recordings.isEmpty, output: output, json: json)
            _ = try parsedTags()
            if output != StandardOutputFLAC.name, !forceExtension, !output.lowercased().hasSuffix(".flac") {
                throw ValidationError("the output '\(output)' does not end in .flac, but merge writes FLAC; a wrong extension misleads the tools and people that get the file. Name it .flac, or pass --force-extension.")
            }
            if manifest != nil, noManifest {
                throw ValidationError("--manifest PATH and --no-manifest exclude each other.")
            }
            guard (0...8).contains(compressionLevel) else {
                throw ValidationError("--compression-level must be between 0 and 8.")
            }
            if let threads, threads < 1 { throw ValidationError("--threads must be at least 1.") }
            _ = try parsedRate()
            _ = try parsedAlignment()
            _ = try parsedParticipants()
        }

        func run() async throws {
            var channelTracks = try parsedTrackSpecs() ?? tracks.map { MergeTrack(path: $0) }
            let options = try parsedParticipants()
            var participants = options.map(\.participant)
            var roomSID: String?
            if !recordings.isEmpty {
                do {
                    let room = try roomMerge(files: tracks, options: options)
                    (channelTracks, participants, roomSID) = (room.channels.map(\.track), room.participants, room.roomSID)
                    for person in room.leftOut {
                        Terminal.printError("warning: \(person) has audio but is on neither channel (--channel names everyone else); left out.")
                    }
                } catch {
                    fail(error)
                    throw ExitCode(1)
                }
            }
            var configuration = MergeConfiguration(
                tracks: channelTracks, output: output, sampleRate: try parsedRate(), alignment: try parsedAlignment(),
                participants: participants, overwrite: force, writeManifest: !noManifest,
                compressionLevel: compressionLevel, toolVersion: "callprep \(CallPrep.configuration.version)")
            configuration.roomSID = roomSID
            if let threads { configuration.encoderThreads = threads }
            configuration.manifestPath = self.manifest
            configuration.tags = try parsedTags()
            let streams: MergeStandardStreams
            do {
                streams = try MergeStandardStreams(configuration: &configuration)
            } catch {
                fail(error)
                throw ExitCode(error.code == .invalidArgument ? 2 : 1)
            }

            let cancellation = MergeCancellation()
            let signals = TerminationSignals(cancelling: cancellation)

            let bar = ProgressBar(enabled: !quiet && Terminal.stderrIsTerminal)
            let manifest: MergeManifest
            do {
                manifest = try Merger(configuration: configuration).run(cancellation: cancellation) { bar.update($0) }
                bar.finish()
            } catch {
                bar.finish()
                fail(streams.relabel(error))
                // The temporary output is gone (with -o -, its folder goes now: no deinit runs
                // after the signal); end by the signal that stopped the merge.
                if signals.received != nil { streams.output?.remove() }
                signals.terminateIfReceived()
                throw ExitCode(1)
            }
            do {
                try streams.finish()
            } catch {
                fail(error)
                throw ExitCode(1)
            }
            for warning in manifest.warnings ?? [] {
                Terminal.printError("warning [\(warning.code)]: \(warning.message)")
            }
            let manifestPath = configuration.writeManifest ? configuration.manifestPath ?? MergeManifest.path(forOutput: output) : nil
            if json {
                Terminal.writeStdout(Array(manifest.jsonData()))
            } else if !quiet {
                let summary = MergeSummary.text(manifest, manifestPath: manifestPath)
                // With -o -, standard output carries the FLAC alone.
                if streams.output == nil { print(summary) } else { Terminal.writeStderr(summary + "\n") }
            }
            // A signal that came after the last check: the output is complete, but the process
            // still ends as the signal asked.
            signals.terminateIfReceived()
        }

        /// Reports a failure on standard error and, with --json, as a JSON error object on
        /// standard output (scripts parsing --json get an object on failure too).
        private func fail(_ error: AudioPrepError) {
            Terminal.printError(error.description)
            if json {
                print(ErrorJSON.document(for: error).serialized())
            }
        }

        private func parsedTags() throws -> MergeTags {
            guard let level = MergeTags(rawValue: tags) else {
                throw ValidationError("--tags must be 'all', 'minimal' or 'none'; got '\(tags)'.")
            }
            if noTags, level != .all, level != .none {
                throw ValidationError("--no-tags means --tags none; it cannot be combined with --tags \(tags).")
            }
            return noTags ? .none : level
        }

        private func parsedRate() throws -> OutputSampleRate {
            if sampleRate == "source" { return .highestInput }
            guard let rate = SampleRateText.hertz(sampleRate), rate >= 8000, rate <= 655_350 else {
                throw ValidationError("--sample-rate must be a rate from 8000 to 655350 Hz, in Hz (16000) or kHz with a k (16k, 44.1k; 16k recommended), or 'source'; got '\(sampleRate)'.")
            }
            return .fixed(rate)
        }

        private func parsedAlignment() throws -> AlignmentMode {
            if !offset.isEmpty {
                var seconds = [0.0, 0.0]
                for entry in offset {
                    let parts = entry.split(separator: "=", maxSplits: 1)
                    guard parts.count == 2, let channel = Int(parts[0]), (1...2).contains(channel),
                        let value = Double(parts[1]), value.isFinite, value >= 0
                    else {
                        throw ValidationError("--offset takes CHANNEL=SECONDS with channel 1 or 2 and seconds ≥ 0, e.g. --offset 2=12.5; got '\(entry)'.")
                    }
                    seconds[channel - 1] = value
                }
                return .offsets(seconds)
            }
            let origin: TimelineOrigin
            switch timeline {
            case nil, "earliest": origin = .earliestTrack
            case "room": origin = .containerZero
            default: throw ValidationError("--timeline must be 'earliest' or 'room'; got '\(timeline ?? "")'.")
            }
            if timeline != nil, let align, align != "timestamps" {
                throw ValidationError("--timeline applies to --align timestamps only, not --align \(align).")
            }
            switch align {
            case nil: return timeline == nil ? .automatic : .timestamps(origin)
            case "start": return .start
            case "end": return .end
            case "timestamps": return .timestamps(origin)
            default: throw ValidationError("--align must be 'start', 'end' or 'timestamps'; got '\(align ?? "")'.")
            }
        }

        /// `--track N=a,b` flags as channel tracks, or nil when none were given.
        private func parsedTrackSpecs() throws -> [MergeTrack]? {
            guard !trackSpecs.isEmpty else { return nil }
            var byChannel: [Int: MergeTrack] = [:]
            for spec in trackSpecs {
                let parts = spec.split(separator: "=", maxSplits: 1)
                guard parts.count == 2, let channel = Int(parts[0]), (1...2).contains(channel) else {
                    throw ValidationError("--track takes CHANNEL=FILE[,FILE…] with channel 1 or 2, e.g. --track 1=a1.mka,a2.mka; got '\(spec)'.")
                }
                let files = parts[1].split(separator: ",", omittingEmptySubsequences: true).map { MergeTrack.File(path: String($0)) }
                guard !files.isEmpty else { throw ValidationError("--track \(channel) names no file.") }
                byChannel[channel, default: MergeTrack(files: [])].files += files
            }
            guard byChannel.count == 2 else {
                throw ValidationError("give both channels: --track 1=… --track 2=… (missing channel \(byChannel[1] == nil ? 1 : 2)).")
            }
            return [byChannel[1]!, byChannel[2]!]
        }

        /// The room from the Recordings list pages (and Participants pages, when given): files
        /// matched to recordings by their RT… SID, channels by --channel (or, without it, by the
        /// PA… SIDs of --participant in flag order, else join order), the channel map from the
        /// participants with --participant on top.
        private func roomMerge(files: [String], options: [ParticipantOption]) throws(AudioPrepError) -> TwilioRoomMerge {
            let list = try TwilioRecordingList(files: recordings)
            // The first list's folder: the path up to its last slash ("/" for a file at the root).
            let first = recordings[0]
            let folder = first.lastIndex(of: "/").map { $0 == first.startIndex ? "/" : String(first[..<$0]) } ?? "."
            let located = try TwilioRecordingFiles(list: list, files: files, folder: folder)
            let people = participantLists.isEmpty ? [] : try TwilioParticipantList(files: participantLists).participants
            var assignments = try ChannelAssignment.parseAll(channel)
            let named = options.compactMap { option -> String? in
                if case .participantSID(let sid) = option.target { sid } else { nil }
            }
            if assignments.isEmpty, !named.isEmpty {
                let found = Set(located.recordings.map(\.participantSID))
                if let unknown = named.first(where: { !found.contains($0) }) {
                    throw AudioPrepError(
                        .invalidArgument,
                        "--participant \(unknown): that participant has no recording among those merged (\(found.sorted().joined(separator: ", "))).")
                }
                assignments = named.enumerated().map { ChannelAssignment(channel: $0.offset + 1, members: [$0.element]) }
            }
            let rooms = Set(list.recordings.compactMap(\.roomSid))
            return try TwilioRoomMerge(
                roomSID: rooms.count == 1 ? rooms.first : nil, recordings: located.recordings, participants: people,
                channels: assignments, participantOptions: options)
        }

        private func parsedParticipants() throws -> [ParticipantOption] {
            let options: [ParticipantOption]
            do {
                options = try ParticipantOption.parseAll(participant)
            } catch {
                throw ValidationError("\(error.subject) \(error.message)")
            }
            if recordings.isEmpty, let named = options.first(where: { if case .participantSID = $0.target { true } else { false } }) {
                throw ValidationError("--participant \(named.targetText):… names a participant by SID, which needs --recordings recordings.json to find their files.")
            }
            return options
        }
    }
}
