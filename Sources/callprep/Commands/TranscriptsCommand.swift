import ArgumentParser
import CallPrepJSON
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import TwilioIntelligence

extension CallPrep {
    /// `callprep transcripts …`: read, wait for and delete transcripts.
    struct Transcripts: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "transcripts",
            abstract: "List, read, wait for and delete transcripts.",
            subcommands: [List.self, Get.self, Delete.self, Wait.self, Sentences.self, Media.self, Results.self])
    }
}

extension CallPrep.Transcripts {
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List transcripts with any of the API's filters.")
        @Option(name: .customLong("service"), help: "Only this Service GA….") var serviceSID: String?
        @Option(help: "Only this status (queued, in-progress, completed, failed, canceled, error).") var status: String?
        @Option(name: .customLong("source-sid"), help: "Only transcripts of this Recording RE….") var sourceSID: String?
        @Option(name: .customLong("language"), help: "Only this language code.") var languageCode: String?
        @Option(name: .customLong("created-after"), help: "ISO 8601.") var createdAfter: String?
        @Option(name: .customLong("created-before"), help: "ISO 8601.") var createdBefore: String?
        @Option(name: .customLong("started-after"), help: "Media start, ISO 8601.") var startedAfter: String?
        @Option(name: .customLong("started-before"), help: "Media start, ISO 8601.") var startedBefore: String?
        @Option(name: .customLong("page-size"), help: "Records per request (1–1000).") var pageSize: Int?
        @Option(help: "Stop after this many.") var limit: Int = 50
        @OptionGroup var credentials: CredentialOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            try await APISession.run(credentials, output) { client in
                let filter = TranscriptFilter(
                    serviceSID: serviceSID, beforeStartTime: startedBefore, afterStartTime: startedAfter,
                    beforeDateCreated: createdBefore, afterDateCreated: createdAfter, status: status,
                    languageCode: languageCode, sourceSID: sourceSID)
                let transcripts = try await client.listTranscripts(filter, pageSize: pageSize, limit: limit).collect()
                if output.json { return try Console.printJSON(transcripts) }
                Console.table(["SID", "STATUS", "CREATED", "CUSTOMER KEY"], transcripts.map {
                    [$0.sid, $0.status.rawValue, $0.dateCreated ?? "-", $0.customerKey ?? "-"]
                })
            }
        }
    }

    struct Get: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "get", abstract: "Show one transcript.")
        @Argument(help: "Transcript SID GT….") var sid: String
        @OptionGroup var credentials: CredentialOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            try await APISession.run(credentials, output) { client in
                let transcript = try await client.transcript(sid)
                if output.json { try Console.printJSON(transcript) } else { TranscriptText.print(transcript) }
            }
        }
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "delete", abstract: "Delete a transcript (needed before re-transcribing a Recording).")
        @Argument(help: "Transcript SID GT….") var sid: String
        @OptionGroup var credentials: CredentialOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            try await APISession.run(credentials, output) { client in
                try await client.deleteTranscript(sid)
                if output.json { Console.printDocument(.object(["deleted": .string(sid)])) } else { print("deleted \(sid)") }
            }
        }
    }

    struct Wait: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "wait", abstract: "Poll until the transcript is completed; exit 1 if it failed, errored or was canceled.")
        @Argument(help: "Transcript SID GT….") var sid: String
        @Option(help: "Give up after, e.g. 90s, 30m.", transform: DurationText.parse) var timeout: Duration = .seconds(30 * 60)
        @Option(name: .customLong("poll-interval"), help: "First poll interval (grows ×1.5 to 30 s).", transform: DurationText.parse)
        var pollInterval: Duration = .seconds(2)
        @OptionGroup var credentials: CredentialOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            try await APISession.run(credentials, output) { client in
                let progress = WaitProgress(output: output)
                let transcript = try await client.waitForTranscript(sid, timeout: timeout, initialInterval: pollInterval, onPoll: progress.onPoll)
                if output.json { try Console.printJSON(transcript) } else { TranscriptText.print(transcript) }
                if transcript.status != .completed {
                    Terminal.printError("transcript \(sid) ended with status \(transcript.status)")
                    throw ExitCode(1)
                }
            }
        }
    }

    struct Sentences: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "sentences", abstract: "Print the conversation with speaker names, or as json, srt, vtt or text.")
        enum Format: String, ExpressibleByArgument, CaseIterable { case conversation, json, srt, vtt, text }
        @Argument(help: "Transcript SID GT….") var sid: String
        @Option(help: "conversation (default), json, srt, vtt or text.") var format: Format = .conversation
        @Flag(help: "Ask for unredacted text (needs permission).") var unredacted = false
        @Flag(name: .customLong("word-timestamps"), help: "Include word timings (json).") var wordTimestamps = false
        @Option(name: .customLong("page-size"), help: "Sentences per request (1–5000).") var pageSize: Int = 5000
        @OptionGroup var credentials: CredentialOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            try await APISession.run(credentials, output) { client in
                let transcript = try await client.transcript(sid)
                let sentences = try await client.sentences(
                    of: sid, redacted: unredacted ? false : nil, wordTimestamps: wordTimestamps ? true : nil, pageSize: pageSize).collect()
                if output.json || format == .json { return try Console.printJSON(sentences) }
                let rendering: SentenceFormatter.Format = switch format {
                case .conversation, .json: .conversation
                case .srt: .srt
                case .vtt: .vtt
                case .text: .text
                }
                print(SentenceFormatter(speakerNames: transcript.speakerNames).render(sentences, as: rendering), terminator: "")
            }
        }
    }

    struct Media: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "media", abstract: "Print a temporary URL of the transcript's audio.")
        @Argument(help: "Transcript SID GT….") var sid: String
        @Flag(help: "Ask for the unredacted audio (needs permission).") var unredacted = false
        @OptionGroup var credentials: CredentialOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            try await APISession.run(credentials, output) { client in
                let media = try await client.media(of: sid, redacted: unredacted ? false : nil)
                if output.json { try Console.printJSON(media) } else { print(media.mediaURL ?? "-") }
            }
        }
    }

    struct Results: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "results", abstract: "Print Language Operator results of a transcript.")
        @Argument(help: "Transcript SID GT….") var sid: String
        @Option(name: .customLong("operator"), help: "Only this operator LY….") var operatorSID: String?
        @Flag(help: "Ask for unredacted results (needs permission).") var unredacted = false
        @OptionGroup var credentials: CredentialOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            try await APISession.run(credentials, output) { client in
                let redacted: Bool? = unredacted ? false : nil
                let results: [OperatorResult] = if let operatorSID {
                    [try await client.operatorResult(of: sid, operatorSID: operatorSID, redacted: redacted)]
                } else {
                    try await client.operatorResults(of: sid, redacted: redacted).collect()
                }
                if output.json { return try Console.printJSON(results) }
                Console.table(["OPERATOR", "NAME", "TYPE", "RESULT"], results.map {
                    [$0.operatorSID ?? "-", $0.name ?? "-", $0.operatorType ?? "-", $0.summary]
                })
            }
        }
    }
}
