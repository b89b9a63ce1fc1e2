import ArgumentParser
import AudioPrep
import Dispatch
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension CallPrep {
    struct Merge: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
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

                Exit status: 0 merged, 1 an input is unusable or writing failed, 2 usage error, \
                130 interrupted.
                """
        )

        @Argument(help: ArgumentHelp("The two tracks: channel 1, then channel 2.", valueName: "track"), completion: .file())
        var tracks: [String]

        @Option(name: .shortAndLong, help: ArgumentHelp("The FLAC file to write.", valueName: "out.flac"), completion: .file())
        var output: String

        @Option(help: ArgumentHelp("Output rate in Hz, or 'source' for the highest input rate.", valueName: "hz|source"))
        var sampleRate: String = "16000"

        @Option(help: ArgumentHelp("start: both begin at 0, the shorter is padded at the end. end: the shorter is delayed so both end together.", valueName: "start|end"))
        var align: String = "start"

        @Option(help: ArgumentHelp("Lead silence before a track, e.g. --offset 2=12.5 (overrides --align; give both or one, the other is 0).", valueName: "channel=seconds"))
        var offset: [String] = []

        @Option(help: ArgumentHelp("Who is on a channel, in Intelligence's participant fields: --participant '1:role=Agent,full_name=Alice Agent,user_id=a-42' (also email, media_participant_id, image_url).", valueName: "channel:key=value,…"))
        var participant: [String] = []

        @Flag(help: "Replace an existing output file and manifest.")
        var force = false

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
            guard tracks.count == 2 else {
                throw ValidationError("merge takes exactly two tracks (channel 1 and channel 2); got \(tracks.count).")
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
            var configuration = MergeConfiguration(
                inputs: tracks, output: output, sampleRate: try parsedRate(), alignment: try parsedAlignment(),
                participants: try parsedParticipants(), overwrite: force, writeManifest: !noManifest,
                compressionLevel: compressionLevel, toolVersion: "callprep \(CallPrep.configuration.version)")
            if let threads { configuration.encoderThreads = threads }

            let cancellation = MergeCancellation()
            signal(SIGINT, SIG_IGN)
            signal(SIGTERM, SIG_IGN)
            let interrupts = [SIGINT, SIGTERM].map { number in
                let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
                source.setEventHandler { cancellation.cancel() }
                source.resume()
                return source
            }
            defer { interrupts.forEach { $0.cancel() } }

            let bar = ProgressBar(enabled: !quiet && Terminal.stderrIsTerminal)
            let manifest: MergeManifest
            do {
                manifest = try Merger(configuration: configuration).run(cancellation: cancellation) { bar.update($0) }
                bar.finish()
            } catch {
                bar.finish()
                Terminal.printError(error.description)
                if json {
                    // Scripts parsing --json get a JSON object on failure too.
                    print(JSONValue.object([
                        ("error", .object([
                            ("code", .string(error.code.rawValue)),
                            ("path", error.path.map { .string($0) } ?? .null),
                            ("message", .string(error.message)),
                        ])),
                    ]).serialized())
                }
                throw ExitCode(error.code == .cancelled ? 130 : 1)
            }
            if json {
                let data = try manifest.jsonData()
                FileHandle.standardOutput.write(data)
            } else if !quiet {
                print(MergeSummary.text(manifest, manifestPath: noManifest ? nil : MergeManifest.path(forOutput: output)))
            }
        }

        private func parsedRate() throws -> OutputSampleRate {
            if sampleRate == "source" { return .highestInput }
            guard let rate = Int(sampleRate), rate >= 8000, rate <= 655_350 else {
                throw ValidationError("--sample-rate must be a rate in Hz from 8000 to 655350 (16000 recommended), or 'source'; got '\(sampleRate)'.")
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
            switch align {
            case "start": return .start
            case "end": return .end
            default: throw ValidationError("--align must be 'start' or 'end'; got '\(align)'.")
            }
        }

        private func parsedParticipants() throws -> [ChannelParticipant] {
            var result: [ChannelParticipant] = []
            for entry in participant {
                guard let colon = entry.firstIndex(of: ":"), let channel = Int(entry[..<colon]), (1...2).contains(channel) else {
                    throw ValidationError("--participant takes CHANNEL:key=value,… with channel 1 or 2, e.g. '1:role=Agent,full_name=Alice'; got '\(entry)'.")
                }
                guard !result.contains(where: { $0.channelParticipant == channel }) else {
                    throw ValidationError("--participant \(channel) is given twice; put all its fields in one flag.")
                }
                do {
                    result.append(try ChannelParticipant.parse(channel: channel, fields: String(entry[entry.index(after: colon)...])))
                } catch {
                    throw ValidationError(error.message)
                }
            }
            return result
        }
    }
}
