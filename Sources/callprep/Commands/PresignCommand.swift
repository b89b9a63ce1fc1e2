import ArgumentParser
import CallPrepJSON
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import ObjectStore

extension CallPrep {
    /// `callprep presign`: a presigned GET URL for an object, computed locally.
    struct Presign: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "presign",
            abstract: "Print a presigned GET URL for an S3 object (no network request).",
            discussion: """
                The URL is signed on this machine with your S3 credentials and lets whoever holds it \
                fetch the object until it expires, without credentials. Nothing is sent, so the object \
                is not checked to exist. Same configuration as `callprep upload` (Docs/Upload.md).
                """)

        @Argument(help: "The object: s3://BUCKET/KEY.")
        var location: String

        @Option(help: "How long the URL works: 15m, 2h, 7d (at most 7d).", transform: PresignExpiry.parse)
        var expires: PresignExpiry = .standard

        @Flag(name: .customLong("allow-http"), help: "Accept an http:// endpoint (local test servers only).")
        var allowHTTP = false

        @OptionGroup var s3: S3Options
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let object: ObjectLocation
            do {
                object = try ObjectLocation(parsing: location)
            } catch {
                APISession.report(error, output)
                throw ExitCode(1)
            }
            try await StorageSession.run(s3, allowHTTP: allowHTTP, output) { store in
                let now = Date()
                let url = try store.presignedGetURL(for: object, expiresIn: expires.seconds, now: now)
                if output.json {
                    Console.printDocument(.object([
                        "url": .string(url), "bucket": .string(object.bucket), "key": .string(object.key),
                        "expires_at": .string(MediaUpload.Result.utcText(now.addingTimeInterval(TimeInterval(expires.seconds)))),
                    ]))
                } else {
                    print(url)
                }
            }
        }
    }
}
