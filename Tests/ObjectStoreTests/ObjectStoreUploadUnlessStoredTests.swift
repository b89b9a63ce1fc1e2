import Foundation
import Testing
@testable import ObjectStore

/// `uploadUnlessStored` sends a file only when the object does not already hold its bytes.
@Suite struct ObjectStoreUploadUnlessStoredTests {
    @Test func theSameBytesAreUploadedOnce() async throws {
        let folder = try TemporaryFolder()
        let source = try folder.file("call.flac", bytes: TemporaryFolder.bytes(count: 70_000))
        let store = InMemoryObjectStore(buckets: ["calls"])
        let location = try ObjectLocation(parsing: "s3://calls/2026/call.flac")

        let first = try await store.uploadUnlessStored(file: source.path, sizeBytes: 70_000, to: location, contentType: "audio/flac", sha256: source.sha256)
        #expect(first.uploaded)
        #expect(first.object.sha256 == source.sha256)
        #expect(store.uploadCount == 1)

        // Upper-case hex names the same hash.
        let again = try await store.uploadUnlessStored(file: source.path, sizeBytes: 70_000, to: location, contentType: "audio/flac", sha256: source.sha256.uppercased())
        #expect(!again.uploaded)
        #expect(again.object == first.object)
        #expect(store.uploadCount == 1)
    }

    @Test func otherBytesOrNoStoredHashAreReplaced() async throws {
        let folder = try TemporaryFolder()
        let source = try folder.file("a.wav", bytes: TemporaryFolder.bytes(count: 5_000, seed: 7))
        let store = InMemoryObjectStore(buckets: ["calls"])
        let location = try ObjectLocation(parsing: "s3://calls/a.wav")

        // The same bytes, put there by another tool without the SHA-256 metadata: uploaded.
        store.put(try Data(contentsOf: URL(fileURLWithPath: source.path)), at: location)
        let untagged = try await store.uploadUnlessStored(file: source.path, sizeBytes: 5_000, to: location, contentType: nil, sha256: source.sha256)
        #expect(untagged.uploaded)
        #expect(store.uploadCount == 1)

        // Another file's hash stored under the key: uploaded.
        store.put(Data([1, 2, 3]), at: location, sha256: TemporaryFolder.sha256Hex([1, 2, 3]))
        let replaced = try await store.uploadUnlessStored(file: source.path, sizeBytes: 5_000, to: location, contentType: nil, sha256: source.sha256)
        #expect(replaced.uploaded)
        #expect(store.uploadCount == 2)
        #expect(store.contents(of: location)?.count == 5_000)

        // A missing bucket is an error, not "absent".
        let elsewhere = try ObjectLocation(parsing: "s3://no-such-bucket/a.wav")
        let error = await #expect(throws: ObjectStoreError.self) {
            try await store.uploadUnlessStored(file: source.path, sizeBytes: 5_000, to: elsewhere, contentType: nil, sha256: source.sha256)
        }
        #expect(error?.code == .noSuchBucket)
    }
}
