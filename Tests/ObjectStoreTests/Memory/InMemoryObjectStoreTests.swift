import Foundation
import Testing
@testable import ObjectStore

@Suite struct InMemoryObjectStoreTests {
    @Test func uploadHeadDownloadRoundTrip() async throws {
        let folder = try TemporaryFolder()
        let content = TemporaryFolder.bytes(count: 300_000)
        let source = try folder.file("call.flac", bytes: content)
        let store = InMemoryObjectStore(buckets: ["calls"])
        let location = try ObjectLocation(parsing: "s3://calls/2026/call.flac")
        #expect(try await store.head(location) == nil)

        let reports = ProgressLog()
        let stored = try await store.upload(
            file: source.path, to: location, contentType: "audio/flac", sha256: source.sha256.uppercased(),
            progress: { reports.append($0) })
        #expect(stored.size == 300_000)
        #expect(stored.sha256 == source.sha256)
        #expect(stored.contentType == "audio/flac")
        #expect(stored.etag.count == 32)
        #expect(reports.values == [UploadProgress(bytesSent: 300_000, totalBytes: 300_000)])
        #expect(try await store.head(location) == stored)
        #expect(store.uploadCount == 1)

        let target = folder.path + "/back.flac"
        let downloaded = try await store.download(location, toFile: target)
        #expect(downloaded == stored)
        #expect(try Array(Data(contentsOf: URL(fileURLWithPath: target))) == content)
    }

    @Test func wrongChecksumIsRefusedAsBadDigest() async throws {
        let folder = try TemporaryFolder()
        let source = try folder.file("a.wav", bytes: [1, 2, 3])
        let store = InMemoryObjectStore(buckets: ["calls"])
        let location = try ObjectLocation(parsing: "s3://calls/a.wav")
        let other = TemporaryFolder.sha256Hex([1, 2, 4])
        let error = await #expect(throws: ObjectStoreError.self) {
            try await store.upload(file: source.path, to: location, contentType: nil, sha256: other)
        }
        #expect(error?.code == .badDigest)
        #expect(error?.httpStatus == 400)
        #expect(try await store.head(location) == nil)
        #expect(store.uploadCount == 0)

        let malformed = await #expect(throws: ObjectStoreError.self) {
            try await store.upload(file: source.path, to: location, contentType: nil, sha256: "abc")
        }
        #expect(malformed?.code == .invalidArgument)
    }

    @Test func missingBucketAndKeyAreS3Errors() async throws {
        let folder = try TemporaryFolder()
        let store = InMemoryObjectStore(buckets: ["calls"])
        let noBucket = await #expect(throws: ObjectStoreError.self) {
            try await store.head(try ObjectLocation(parsing: "s3://nothere/a"))
        }
        #expect(noBucket?.code == .noSuchBucket)
        #expect(noBucket?.httpStatus == 404)
        let noKey = await #expect(throws: ObjectStoreError.self) {
            try await store.download(try ObjectLocation(parsing: "s3://calls/missing"), toFile: folder.path + "/x")
        }
        #expect(noKey?.code == .noSuchKey)
        #expect(!FileManager.default.fileExists(atPath: folder.path + "/x"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
    }

    @Test func injectedFailureHappensOnce() async throws {
        let store = InMemoryObjectStore(buckets: ["calls"])
        let location = try ObjectLocation(parsing: "s3://calls/a")
        store.put(Data([9, 9]), at: location)
        store.failNext(.head, with: ObjectStoreError(code: .accessDenied, message: "denied", httpStatus: 403))
        let error = await #expect(throws: ObjectStoreError.self) { try await store.head(location) }
        #expect(error?.code == .accessDenied)
        let object = try await store.head(location)
        #expect(object?.size == 2)
        #expect(object?.sha256 == nil)
    }

    @Test func presignedURLNeedsAnObjectAndAnExpiryWithinSevenDays() throws {
        let store = InMemoryObjectStore(buckets: ["calls"])
        let location = try ObjectLocation(parsing: "s3://calls/a b+c.flac")
        let url = try store.presignedGetURL(for: location, expiresIn: 3600, now: Date(timeIntervalSince1970: 1_000_000))
        #expect(url == "https://objects.invalid/calls/a%20b%2Bc.flac?expires=1003600")
        #expect(throws: ObjectStoreError.self) { try store.presignedGetURL(for: location, expiresIn: 604_801) }
        #expect(throws: ObjectStoreError.self) { try store.presignedGetURL(for: location, expiresIn: 0) }
        #expect(throws: ObjectStoreError.self) {
            try store.presignedGetURL(for: try ObjectLocation(parsing: "s3://calls/folder/"), expiresIn: 60)
        }
    }
}

/// Progress reports collected from any thread.
final class ProgressLog: @unchecked Sendable {
    private let lock = NSLock()
    private var reports: [UploadProgress] = []
    func append(_ report: UploadProgress) { lock.withLock { reports.append(report) } }
    var values: [UploadProgress] { lock.withLock { reports } }
}
