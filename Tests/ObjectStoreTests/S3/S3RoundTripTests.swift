import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import Synchronization
import Testing
@testable import ObjectStore

/// Round trips through the S3 client against moto's S3 server on 127.0.0.1.
@Suite(.serialized) struct S3RoundTripTests {
    static let location = try! ObjectLocation(parsing: "s3://calls/2026/12/call one+two é.flac")

    @Test func smallFileUploadHeadPresignedGetAndDownload() async throws {
        let moto = try await MotoServer.start()
        defer { moto.stop() }
        try await moto.createBucket("calls")
        // Every exchange on the wire, as the observer is told of it (what `serve` counts).
        let exchanges = Mutex<[String]>([])
        let store = try S3ObjectStore(configuration: try moto.configuration()) { method, status in
            exchanges.withLock { $0.append("\(method) \(status.map(String.init) ?? "error")") }
        }
        defer { Task { await store.shutdown() } }
        let folder = try TemporaryFolder()
        let content = TemporaryFolder.bytes(count: 200_000)
        let source = try folder.file("call.flac", bytes: content)

        #expect(try await store.head(Self.location) == nil)
        let stored = try await store.upload(file: source.path, to: Self.location, contentType: "audio/flac", sha256: source.sha256)
        #expect(stored.size == 200_000)
        #expect(stored.etag == TemporaryFolder.md5Hex(content))
        #expect(stored.sha256 == source.sha256)

        let head = try #require(try await store.head(Self.location))
        #expect(head.size == 200_000)
        #expect(head.sha256 == source.sha256)
        #expect(head.contentType == "audio/flac")
        #expect(head.etag == stored.etag)

        let url = try store.presignedGetURL(for: Self.location, expiresIn: 900)
        #expect(url.hasPrefix(moto.endpointURL + "/calls/2026/12/call%20one%2Btwo%20%C3%A9.flac?X-Amz-Algorithm=AWS4-HMAC-SHA256&"))
        let fetched = try await MotoServer.plainRequest(.GET, url: url)
        #expect(fetched.status == 200)
        #expect(fetched.bytes == content)

        let target = folder.path + "/downloaded.flac"
        let downloaded = try await store.download(Self.location, toFile: target)
        #expect(downloaded.size == 200_000)
        #expect(try Array(Data(contentsOf: URL(fileURLWithPath: target))) == content)
        // The first HEAD's 404 is followed by a HEAD of the bucket (a missing key, not a
        // missing bucket); the presigned GET went around the store, so it is not among them.
        #expect(exchanges.withLock { $0 } == ["HEAD 404", "HEAD 200", "PUT 200", "HEAD 200", "GET 200"])
    }

    @Test func emptyFileRoundTrip() async throws {
        let moto = try await MotoServer.start()
        defer { moto.stop() }
        try await moto.createBucket("calls")
        let store = try S3ObjectStore(configuration: try moto.configuration())
        defer { Task { await store.shutdown() } }
        let folder = try TemporaryFolder()
        let source = try folder.file("empty.wav", bytes: [])
        let location = try ObjectLocation(parsing: "s3://calls/empty.wav")
        let stored = try await store.upload(file: source.path, to: location, contentType: nil, sha256: source.sha256)
        #expect(stored.size == 0)
        #expect(stored.contentType == "application/octet-stream")
        #expect(try await store.head(location)?.size == 0)
        try await store.download(location, toFile: folder.path + "/back.wav")
        #expect(try Data(contentsOf: URL(fileURLWithPath: folder.path + "/back.wav")).isEmpty)
    }

    @Test func multipartUploadInSmallParts() async throws {
        let moto = try await MotoServer.start()
        defer { moto.stop() }
        try await moto.createBucket("calls")
        let settings = MultipartSettings(
            threshold: 100_000, minimumPartSize: 70_000, maximumPartSize: 1 << 20, maxConcurrentParts: 3,
            initialBackoff: .milliseconds(10))
        let store = try S3ObjectStore(configuration: try moto.configuration(multipart: settings))
        defer { Task { await store.shutdown() } }
        let folder = try TemporaryFolder()
        // 10 parts of 70,000 bytes and a last one of 12,345.
        let content = TemporaryFolder.bytes(count: 712_345, seed: 7)
        let source = try folder.file("long.flac", bytes: content)
        let reports = ProgressLog()
        let stored = try await store.upload(
            file: source.path, to: Self.location, contentType: "audio/flac", sha256: source.sha256,
            progress: { reports.append($0) })
        #expect(stored.etag.hasSuffix("-11"))
        #expect(stored.size == 712_345)
        #expect(reports.values.count == 11)
        #expect(reports.values.last == UploadProgress(bytesSent: 712_345, totalBytes: 712_345))
        #expect(reports.values.map(\.bytesSent) == reports.values.map(\.bytesSent).sorted())

        let head = try #require(try await store.head(Self.location))
        #expect(head.sha256 == source.sha256)
        #expect(head.size == 712_345)
        let fetched = try await MotoServer.plainRequest(.GET, url: try store.presignedGetURL(for: Self.location, expiresIn: 60))
        #expect(fetched.bytes == content)
        #expect(try await moto.unfinishedUploads(in: "calls").isEmpty)
    }

    @Test func failedMultipartIsAbortedAndLeavesNoUpload() async throws {
        let moto = try await MotoServer.start()
        defer { moto.stop() }
        try await moto.createBucket("calls")
        // Parts of 1,000 bytes are below moto's minimum, so completing the upload fails (as S3
        // refuses parts under 5 MiB): the upload must be aborted, not left behind.
        let settings = MultipartSettings(
            threshold: 2_000, minimumPartSize: 1_000, maximumPartSize: 1_000_000, maxConcurrentParts: 2,
            initialBackoff: .milliseconds(10))
        let store = try S3ObjectStore(configuration: try moto.configuration(multipart: settings))
        defer { Task { await store.shutdown() } }
        let folder = try TemporaryFolder()
        let source = try folder.file("small-parts.flac", bytes: TemporaryFolder.bytes(count: 5_500))
        let error = await #expect(throws: ObjectStoreError.self) {
            try await store.upload(file: source.path, to: Self.location, contentType: nil, sha256: source.sha256)
        }
        #expect(error?.code == "EntityTooSmall")
        #expect(error?.httpStatus == 400)
        #expect(try await moto.unfinishedUploads(in: "calls").isEmpty)
        #expect(try await store.head(Self.location) == nil)
    }

    @Test func fileThatDoesNotMatchItsChecksumIsNotStored() async throws {
        let moto = try await MotoServer.start()
        defer { moto.stop() }
        try await moto.createBucket("calls")
        let settings = MultipartSettings(threshold: 100_000, minimumPartSize: 70_000, initialBackoff: .milliseconds(10))
        let store = try S3ObjectStore(configuration: try moto.configuration(multipart: settings))
        defer { Task { await store.shutdown() } }
        let folder = try TemporaryFolder()
        for size in [5_000, 300_000] {
            let source = try folder.file("changed-\(size).flac", bytes: TemporaryFolder.bytes(count: size))
            let stale = TemporaryFolder.sha256Hex(TemporaryFolder.bytes(count: size, seed: 99))
            let error = await #expect(throws: ObjectStoreError.self) {
                try await store.upload(file: source.path, to: Self.location, contentType: nil, sha256: stale)
            }
            #expect(error?.code == .fileChanged, "\(size) bytes")
            #expect(try await store.head(Self.location) == nil)
        }
        #expect(try await moto.unfinishedUploads(in: "calls").isEmpty)
    }

    @Test func fileChangedWhileItIsSentIsNotStored() async throws {
        let moto = try await MotoServer.start()
        defer { moto.stop() }
        try await moto.createBucket("calls")
        // One part in flight: the file is changed once part 1 is confirmed and before part 2 is
        // read, so the bytes sent differ from the bytes the caller hashed.
        let settings = MultipartSettings(threshold: 100_000, minimumPartSize: 70_000, maxConcurrentParts: 1, initialBackoff: .milliseconds(10))
        let store = try S3ObjectStore(configuration: try moto.configuration(multipart: settings))
        defer { Task { await store.shutdown() } }
        let folder = try TemporaryFolder()
        for change in ["overwrite", "truncate"] {
            let source = try folder.file("changing-\(change).flac", bytes: TemporaryFolder.bytes(count: 300_000, seed: 3))
            let reports = ProgressLog()
            let path = source.path
            let error = await #expect(throws: ObjectStoreError.self) {
                try await store.upload(file: path, to: Self.location, contentType: nil, sha256: source.sha256, progress: { report in
                    reports.append(report)
                    guard reports.values.count == 1, let handle = FileHandle(forWritingAtPath: path) else { return }
                    if change == "overwrite" {
                        handle.seek(toFileOffset: 250_000)
                        handle.write(Data(repeating: 0xA5, count: 10))
                    } else {
                        handle.truncateFile(atOffset: 200_000)
                    }
                    handle.closeFile()
                })
            }
            #expect(error?.code == .fileChanged, "\(change): \(String(describing: error))")
            #expect(reports.values.first == UploadProgress(bytesSent: 70_000, totalBytes: 300_000), "\(change)")
            #expect(try await store.head(Self.location) == nil, "\(change)")
        }
        #expect(try await moto.unfinishedUploads(in: "calls").isEmpty)
    }

    @Test func downloadRefusesAnObjectOfAnotherSizeBeforeWriting() async throws {
        let moto = try await MotoServer.start()
        defer { moto.stop() }
        try await moto.createBucket("calls")
        let store = try S3ObjectStore(configuration: try moto.configuration())
        defer { Task { await store.shutdown() } }
        let folder = try TemporaryFolder()
        let source = try folder.file("call.flac", bytes: TemporaryFolder.bytes(count: 54_321))
        _ = try await store.upload(file: source.path, to: Self.location, contentType: nil, sha256: source.sha256)
        let target = folder.path + "/back.flac"
        let error = await #expect(throws: ObjectStoreError.self) {
            try await store.download(Self.location, toFile: target, expectedSize: 54_320)
        }
        #expect(error?.code == .sizeMismatch)
        #expect(error?.message.contains("holds 54321 bytes, not the 54320 expected") == true)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["call.flac"])
        let stored = try await store.download(Self.location, toFile: target, expectedSize: 54_321)
        #expect(stored.size == 54_321)
        #expect(try Array(Data(contentsOf: URL(fileURLWithPath: target))) == TemporaryFolder.bytes(count: 54_321))
    }

    @Test func missingBucketAndMissingKey() async throws {
        let moto = try await MotoServer.start()
        defer { moto.stop() }
        try await moto.createBucket("calls")
        let store = try S3ObjectStore(configuration: try moto.configuration())
        defer { Task { await store.shutdown() } }
        let folder = try TemporaryFolder()
        let source = try folder.file("a.flac", bytes: [1, 2, 3])
        let nowhere = try ObjectLocation(parsing: "s3://no-such-bucket/a.flac")

        let uploadError = await #expect(throws: ObjectStoreError.self) {
            try await store.upload(file: source.path, to: nowhere, contentType: nil, sha256: source.sha256)
        }
        #expect(uploadError?.code == .noSuchBucket)
        #expect(uploadError?.httpStatus == 404)
        #expect(uploadError?.message.contains("check its name, the region and the endpoint URL") == true)
        let headError = await #expect(throws: ObjectStoreError.self) { try await store.head(nowhere) }
        #expect(headError?.code == .noSuchBucket)

        let missingKey = try ObjectLocation(parsing: "s3://calls/not-there.flac")
        let target = folder.path + "/not-there.flac"
        let downloadError = await #expect(throws: ObjectStoreError.self) { try await store.download(missingKey, toFile: target) }
        #expect(downloadError?.code == .noSuchKey)
        #expect(downloadError?.httpStatus == 404)
        #expect(!FileManager.default.fileExists(atPath: target))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["a.flac"])
    }

    @Test func plainHTTPNeedsToBeAllowed() async throws {
        var configuration = try S3Configuration(
            credentials: S3Credentials(accessKeyID: "AKIAEXAMPLE", secretAccessKey: "secret-value"),
            region: "us-east-1", endpoint: S3Endpoint(parsing: "http://127.0.0.1:9"))
        let error = #expect(throws: ObjectStoreError.self) { try S3ObjectStore(configuration: configuration) }
        #expect(error?.code == .insecureEndpoint)
        configuration.allowHTTP = true
        let store = try S3ObjectStore(configuration: configuration)
        await store.shutdown()
    }

    @Test func noServerIsATransportErrorAfterRetries() async throws {
        let configuration = try S3Configuration(
            credentials: S3Credentials(accessKeyID: "AKIAEXAMPLE", secretAccessKey: "secret-value"),
            region: "us-east-1", endpoint: S3Endpoint(parsing: "http://127.0.0.1:9"), allowHTTP: true,
            multipart: MultipartSettings(maxAttempts: 2, initialBackoff: .milliseconds(1)), connectTimeout: .seconds(1))
        let store = try S3ObjectStore(configuration: configuration)
        defer { Task { await store.shutdown() } }
        let started = ContinuousClock.now
        let error = await #expect(throws: ObjectStoreError.self) { try await store.head(Self.location) }
        #expect(ContinuousClock.now - started < .seconds(10))
        #expect(error?.code == .transport)
        #expect(error?.httpStatus == nil)
        #expect(error.map { !$0.description.contains("secret-value") } == true)
    }
}
