import Crypto
import Foundation
import Testing
@testable import ObjectStore

/// A file above the 64 MiB threshold goes up as a multipart upload in the shipped part size
/// (16 MiB, 4 in flight) against moto on 127.0.0.1, and comes back byte for byte. The file is
/// generated at test time (nothing committed).
@Suite(.serialized) struct S3LargeMultipartTests {
    @Test(.timeLimit(.minutes(1))) func seventyMiBInFiveSixteenMiBPartsComesBackExact() async throws {
        let moto = try await MotoServer.start()
        defer { moto.stop() }
        try await moto.createBucket("calls")
        // The defaults callprep ships (threshold 64 MiB, parts 16–64 MiB, 4 in flight), only the
        // backoff shortened.
        let settings = MultipartSettings(initialBackoff: .milliseconds(10))
        #expect(settings.threshold == 64 << 20 && settings.minimumPartSize == 16 << 20 && settings.maxConcurrentParts == 4)
        let store = try S3ObjectStore(configuration: try moto.configuration(multipart: settings))
        defer { Task { await store.shutdown() } }

        let folder = try TemporaryFolder()
        let size = (70 << 20) + 12_345
        // One MiB of test bytes, each copy stamped with its index so no two MiB (or parts) agree.
        let block = TemporaryFolder.bytes(count: 1 << 20, seed: 70)
        var content: [UInt8] = []
        content.reserveCapacity(size)
        var index: UInt64 = 0
        while content.count < size {
            var stamped = block
            withUnsafeBytes(of: index.bigEndian) { stamped.replaceSubrange(0..<8, with: $0) }
            content += stamped.prefix(size - content.count)
            index += 1
        }
        let source = try folder.file("long call.flac", bytes: content)
        #expect(try settings.partSize(forFileOfSize: Int64(size)) == 16 << 20)
        let location = try ObjectLocation(parsing: "s3://calls/2026/long call.flac")

        let stored = try await store.upload(file: source.path, to: location, contentType: "audio/flac", sha256: source.sha256)
        #expect(stored.size == Int64(size))
        #expect(stored.sha256 == source.sha256)
        // S3's ETag of a multipart object: the MD5 of the parts' MD5s, then "-" and the part count.
        var partDigests: [UInt8] = []
        for start in stride(from: 0, to: size, by: 16 << 20) {
            partDigests += Insecure.MD5.hash(data: content[start..<min(start + (16 << 20), size)])
        }
        #expect(stored.etag == TemporaryFolder.md5Hex(partDigests) + "-5")
        #expect(try await moto.unfinishedUploads(in: "calls").isEmpty)

        // Through the presigned URL, without credentials: the same bytes.
        let url = try store.presignedGetURL(for: location, expiresIn: 900)
        let fetched = try await MotoServer.plainRequest(.GET, url: url)
        #expect(fetched.status == 200)
        #expect(fetched.bytes.count == size)
        #expect(TemporaryFolder.sha256Hex(fetched.bytes) == source.sha256)

        // And through the streamed, checked download.
        let target = folder.path + "/back.flac"
        let downloaded = try await store.download(location, toFile: target)
        #expect(downloaded.size == Int64(size))
        let back = try Data(contentsOf: URL(fileURLWithPath: target))
        #expect(back.count == size)
        #expect(TemporaryFolder.sha256Hex(back) == source.sha256)
    }
}
