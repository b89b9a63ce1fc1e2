import ArgumentParser
import AudioPrep
import CallPrepJSON
import CallPrepJobs
import ChannelMap

extension CallPrep.Jobs {
    /// `callprep jobs add (--file F | -)`: reads job lines and adds the good ones; or
    /// `jobs add --id ID TRACK1 TRACK2 [flags]`: one job from flags.
    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add",
            abstract: "Add jobs from a JSONL file (one JSON object a line) or standard input, or one job with --id.",
            discussion: """
                jobs add --id ID TRACK1 TRACK2 [--participant 1:role=Agent,full_name=Alex] \
                [--sample-rate HZ|source] [--align start|end|timestamps] [--service GA…] \
                [--upload s3://BUCKET/PREFIX/ | --media-url URL] [--media-start-time ISO] adds \
                one job, checked by the same rules as a job line. Instead of the two tracks, \
                --room RM… [--channel 1=agent --channel 2=alice,bob] takes a Twilio Video \
                room's audio (as `callprep room`), --recording RE… a dual-channel Voice recording.

                Each line is checked on its own: a line with an unknown key or a missing or bad \
                value is reported with its line number and key, and the other lines are still \
                added. A job whose id is already \
                in the store is left as it is and reported as 'exists' (re-adding a file is \
                harmless), unless --replace, which resets it to queued with an empty journal \
                (refused while a worker holds it).

                Prints one line per job: ID and added, exists or replaced (--json: an array of \
                {"line", "id", "outcome"} and {"line", "error"} objects). Exit status 1 when any \
                line was refused.
                """)

        @Option(name: .customLong("file"), help: ArgumentHelp("The jobs file; '-' is standard input.", valueName: "jobs.jsonl"), completion: .file())
        var file: String?

        @Argument(help: ArgumentHelp("'-' to read the jobs from standard input (same as --file -); with --id, the two tracks (channel 1, channel 2).", valueName: "- | track1 track2"))
        var positional: [String] = []

        @Flag(help: "Replace jobs whose id exists (back to queued, journal cleared).")
        var replace = false

        @Option(help: ArgumentHelp("Add one job with this id from the tracks and flags (instead of a jobs file).", valueName: "id"))
        var id: String?

        @Option(help: ArgumentHelp("With --id: the job's audio is this Twilio Video room (instead of two tracks).", valueName: "RM…"))
        var room: String?

        @Option(help: ArgumentHelp("With --id: the job's audio is this dual-channel Voice recording (instead of two tracks).", valueName: "RE…"))
        var recording: String?

        @Option(name: .customLong("channel"), help: ArgumentHelp("With --room: who goes on channel N, by identity or PA… SID, as for `callprep room`: --channel 1=agent --channel 2=alice,bob.", valueName: "n=who[,who…]"))
        var channelSpecs: [String] = []

        @Option(name: .customLong("participant"), help: ArgumentHelp("With --id: who is on a channel, as for `callprep merge`: '1:role=Agent,full_name=Alex'.", valueName: "channel:key=value,…"))
        var participants: [String] = []

        @Option(help: ArgumentHelp("With --id: the merge's output rate in Hz (16000, 16k) or 'source'.", valueName: "hz|source"))
        var sampleRate: String?

        @Option(help: ArgumentHelp("With --id: start, end or timestamps (as `callprep merge --align`).", valueName: "start|end|timestamps"))
        var align: String?

        @Option(help: ArgumentHelp("With --id: the Intelligence Service GA….", valueName: "sid"))
        var service: String?

        @Option(help: ArgumentHelp("With --id: upload the merged file to s3://BUCKET/PREFIX/.", valueName: "s3-url"))
        var upload: String?

        @Option(name: .customLong("media-url"), help: ArgumentHelp("With --id: a URL that already serves the merged file (instead of --upload).", valueName: "url"))
        var mediaURL: String?

        @Option(name: .customLong("media-start-time"), help: ArgumentHelp("With --id: when the call started, ISO 8601 with offset.", valueName: "time"))
        var mediaStartTime: String?

        @OptionGroup var database: JobsDatabaseOptions

        /// True when a flag that describes one job was given.
        private var hasJobFlags: Bool {
            !participants.isEmpty || !channelSpecs.isEmpty
                || [sampleRate, align, service, upload, mediaURL, mediaStartTime, room, recording].contains { $0 != nil }
        }

        func validate() throws {
            if let id {
                if let problem = JobID.problem(with: id) { throw ValidationError(problem + ".") }
                guard file == nil else { throw ValidationError("give --id with two tracks, or --file; not both.") }
                if room != nil || recording != nil {
                    guard positional.isEmpty, room == nil || recording == nil else {
                        throw ValidationError("jobs add --id ID takes its audio from two tracks, --room or --recording: one of them.")
                    }
                } else {
                    guard positional.count == 2, !positional.contains("-") else {
                        throw ValidationError("jobs add --id ID needs exactly two tracks (channel 1, then channel 2), or --room RM… or --recording RE…; got \(positional.count) tracks.")
                    }
                }
                if !channelSpecs.isEmpty {
                    guard room != nil else { throw ValidationError("--channel places a room's participants; use it with --room.") }
                    do {
                        _ = try ChannelAssignment.parseAll(channelSpecs)
                    } catch {
                        throw ValidationError(error.message)
                    }
                }
                do {
                    _ = try ParticipantOption.channelParticipants(participants)
                } catch {
                    throw ValidationError("--participant: \(error.message)")
                }
                if let sampleRate, sampleRate != "source", SampleRateText.hertz(sampleRate) == nil {
                    throw ValidationError("--sample-rate must be a rate in Hz (16000, 16k) or 'source'; got '\(sampleRate)'.")
                }
                return
            }
            if hasJobFlags { throw ValidationError("--room, --recording, --channel, --participant, --sample-rate, --align, --service, --upload, --media-url and --media-start-time describe one job: use them with --id ID.") }
            if positional.count > 1 || positional.first.map({ $0 != "-" }) == true {
                throw ValidationError("jobs add reads --file PATH or '-' (standard input), or adds one job with --id ID TRACK1 TRACK2; got '\(positional.joined(separator: " "))'.")
            }
            let standardInput = positional.first
            if file != nil, standardInput != nil {
                throw ValidationError("give --file PATH or '-', not both.")
            }
            if file == nil, standardInput == nil {
                throw ValidationError("jobs add needs the jobs: --file jobs.jsonl, or '-' to read standard input (or one job: --id ID TRACK1 TRACK2).")
            }
        }

        /// The job of `--id` and its flags, as a job line, checked by ``JobSpecReader`` like any other.
        func flagJob(id: String) throws -> JobSpec {
            var members: [JSONValue.Member] = [.init("id", .string(id))]
            if let room {
                members.append(.init("room", .string(room)))
                let assignments = try ChannelAssignment.parseAll(channelSpecs)
                if !assignments.isEmpty {
                    members.append(.init("channels", .object(assignments.map { JSONValue.Member(String($0.channel), .array($0.members.map(JSONValue.string))) })))
                }
            } else if let recording {
                members.append(.init("recording", .string(recording)))
            } else {
                members.append(.init("tracks", .array(positional.map(JSONValue.string))))
            }
            let people = try ParticipantOption.channelParticipants(participants)
            if !people.isEmpty {
                members.append(.init("participants", .array(people.map { person in
                    var fields = [JSONValue.Member("channel", .int(Int64(person.channelParticipant)))]
                    for (key, value) in person.fields { if let value { fields.append(.init(key, .string(value))) } }
                    return .object(fields)
                })))
            }
            var merge: [JSONValue.Member] = []
            if let sampleRate {
                merge.append(.init("sample_rate", sampleRate == "source" ? .string("source") : .int(Int64(SampleRateText.hertz(sampleRate) ?? 0))))
            }
            if let align { merge.append(.init("align", .string(align))) }
            if !merge.isEmpty { members.append(.init("merge", .object(merge))) }
            for (key, value) in [("service", service), ("upload", upload), ("media_url", mediaURL), ("media_start_time", mediaStartTime)] {
                if let value { members.append(.init(key, .string(value))) }
            }
            return try JobSpecReader.parse(JSONValue.object(members).serialized(.compact))
        }

        func run() async throws {
            if let id { return try await addOne(id: id) }
            var reported: [JSONValue] = []
            var refused = 0
            do {
                // The jobs file is opened first: a missing file creates no store.
                var lines = try JobsFileLines(path: file ?? positional.first ?? "-", limit: JobSpecReader.maximumLineBytes)
                defer { lines.closeFile() }
                try await database.withStore(create: true) { store in
                    while let line = try lines.next() {
                        let result = Self.parse(line)
                        guard let result else { continue }
                        switch result {
                        case .failure(let error):
                            refused += 1
                            Terminal.printError(error.description)
                            reported.append(.object(["line": .int(Int64(line.number)), "error": ErrorJSON.object(for: error)]))
                        case .success(let spec):
                            let outcome = try await store.add(spec, replace: replace)
                            if !database.json { print("\(spec.id)  \(outcome.rawValue)") }
                            reported.append(.object([
                                "line": .int(Int64(line.number)), "id": .string(spec.id.rawValue), "outcome": .string(outcome.rawValue),
                            ]))
                        }
                    }
                }
            } catch {
                if database.json { Console.printDocument(ErrorJSON.document(for: error)) }
                Terminal.printError(ErrorText.describe(error))
                throw ExitCode(1)
            }
            if database.json { Console.printDocument(.array(reported)) }
            if refused > 0 {
                Terminal.printError("\(refused) of \(reported.count) job lines refused; fix them and add the file again (jobs already added are reported as exists)")
                throw ExitCode(1)
            }
        }

        /// `--id`: adds the one job; prints `ID  added|exists|replaced` (or the JSON object).
        func addOne(id: String) async throws {
            try await JobsSession.run(database) {
                let spec = try flagJob(id: id)
                let outcome = try await database.withStore(create: true) { try await $0.add(spec, replace: replace) }
                if database.json {
                    Console.printDocument(.object(["id": .string(spec.id.rawValue), "outcome": .string(outcome.rawValue)]))
                } else {
                    print("\(spec.id)  \(outcome.rawValue)")
                }
            }
        }

        /// The job on `line`, its error, or nil for a blank line.
        static func parse(_ line: JobsFileLines.Line) -> Result<JobSpec, JobSpecError>? {
            guard let text = line.text else {
                return .failure(JobSpecError(
                    code: .invalidJSON, line: line.number,
                    message: "the line has \(line.byteCount) bytes, more than the \(JobSpecReader.maximumLineBytes) a job line may have"))
            }
            let trimmed = text.trimmingWhitespace()
            if trimmed.isEmpty { return nil }
            do throws(JobSpecError) {
                return .success(try JobSpecReader.parse(trimmed))
            } catch {
                return .failure(error.at(line: line.number))
            }
        }
    }
}
