import Testing
@testable import ObjectStore

@Suite struct ObjectLocationTests {
    @Test func parsesBucketAndKey() throws {
        let location = try ObjectLocation(parsing: "s3://my-bucket/calls/2026/a b.flac")
        #expect(location.bucket == "my-bucket")
        #expect(location.key == "calls/2026/a b.flac")
        #expect(!location.isPrefix)
        #expect(location.description == "s3://my-bucket/calls/2026/a b.flac")
    }

    @Test func prefixesAreKeptForTheCallerToComplete() throws {
        for text in ["s3://bucket", "s3://bucket/", "s3://bucket/calls/"] {
            let location = try ObjectLocation(parsing: text)
            #expect(location.isPrefix, "\(text)")
        }
        let completed = try ObjectLocation(parsing: "s3://bucket/calls/").appendingFileName("out.flac")
        #expect(completed == (try ObjectLocation(bucket: "bucket", key: "calls/out.flac")))
        let unchanged = try ObjectLocation(parsing: "s3://bucket/a.flac").appendingFileName("out.flac")
        #expect(unchanged.key == "a.flac")
    }

    @Test(arguments: [
        "bucket/key", "https://bucket/key", "s3://ab/key", "s3://bad bucket/key", "s3://bucket//key",
        "s3://bucket/ctrl\u{01}char",
    ])
    func refusesWhatIsNotALocation(_ text: String) {
        let error = #expect(throws: ObjectStoreError.self) { try ObjectLocation(parsing: text) }
        #expect(error?.code == .invalidLocation)
    }

    @Test func refusesKeysLongerThan1024Bytes() throws {
        _ = try ObjectLocation(bucket: "bucket", key: String(repeating: "é", count: 512))
        #expect(throws: ObjectStoreError.self) {
            try ObjectLocation(bucket: "bucket", key: String(repeating: "é", count: 512) + "x")
        }
    }
}
