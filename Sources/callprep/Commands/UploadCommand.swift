import ArgumentParser
import AudioPrep
import CallPrepJSON
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import ObjectStore

extension CallPrep {
    /// `callprep upload`: put a file into S3-compatible storage and print a presigned GET URL.
    struct Upload: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "upload",
            abstract: "Upload a file to S3-compatible storage and print a presigned URL for it.",
            discussion: """
                Prints the presigned GET URL alone on standard output (with --json: url, bucket, key, \
                size_bytes, sha256, etag, expires_at). A KEY ending in / gets the file's name appended. \
                The SHA-256 is stored with the object: when the object already holds the same bytes, \
                nothing is uploaded again. The URL is a bearer secret: whoever has it can fetch the file \
                until it expires. Credentials, region and endpoint come from the usual AWS places \
                (AWS_ACCESS_KEY_ID…, AWS_PROFILE, ~/.aws/credentials and ~/.aws/config); see Docs/Upload.md.
                """)

        @Argument(help: "The file to upload.", completion: .file())
        var file: String

        @Argument(help: "Where to: s3://BUCKET/KEY, or s3://BUCKET/PREFIX/ to keep the file's name.")
        var destination: String

        @Option(help: "How long the URL works: 15m, 2h, 7d (at most 7d).", transform: PresignExpiry.parse)
        var expires: PresignExpiry = .standard

        @Option(name: .customLong("content-type"), help: "Content-Type to store (default: from the file's bytes: audio/flac, audio/wav, audio/mpeg, …).")
        var contentType: String?

        @Flag(name: .customLong("allow-http"), help: "Accept an http:// endpoint (local test servers only: the audio and the signed requests travel unencrypted).")
        var allowHTTP = false

        @OptionGroup var s3: S3Options
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let local: MediaUpload.LocalFile
            let location: ObjectLocation
            do {
                location = try UploadDestination.location(destination, forFile: file)
                local = try Self.measure(file, contentType: contentType)
            } catch {
                APISession.report(error, output)
                throw ExitCode(1)
            }
            try await StorageSession.run(s3, allowHTTP: allowHTTP, output) { store in
                let result = try await MediaUpload(store: store, verbose: output.verbose).run(local, to: location, expires: expires, progress: UploadProgressLine(fileName: UploadDestination.fileName(file), output: output))
                if output.json {
                    Console.printDocument(result.json)
                } else {
                    print(result.url)
                }
            }
        }

        /// Size, SHA-256 and content type of the file, read before anything is sent.
        static func measure(_ path: String, contentType: String?) throws -> MediaUpload.LocalFile {
            var isFolder = false
            if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder {
                throw AudioPrepError(.notAFile, path: path, "is a folder; upload one file at a time.")
            }
            let size = try FileDigest.size(path: path)
            let sha256 = try FileDigest.sha256(path: path)
            return MediaUpload.LocalFile(path: path, sizeBytes: size, sha256: sha256,
                                         contentType: contentType ?? AudioFileRecognizer.mediaType(path: path))
        }
    }
}
