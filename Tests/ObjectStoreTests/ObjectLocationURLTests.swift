import Testing
@testable import ObjectStore

/// Object URLs (as Twilio's `media_external_location` gives them) to locations on the
/// configured store, and refused when they point anywhere else.
@Suite struct ObjectLocationURLTests {
    static let aws = S3Endpoint.aws(region: "us-east-1")

    @Test(arguments: [
        ("https://calls.s3.amazonaws.com/rooms/RT01.mka", "s3://calls/rooms/RT01.mka"),
        ("https://my.calls.s3.eu-west-1.amazonaws.com/rooms/RT01.mka", "s3://my.calls/rooms/RT01.mka"),
        ("https://calls.s3-eu-west-1.amazonaws.com/a%20b/RT01.mka", "s3://calls/a b/RT01.mka"),
        ("https://s3.us-east-1.amazonaws.com/calls/rooms/RT01.mka", "s3://calls/rooms/RT01.mka"),
        ("https://s3.amazonaws.com/calls/RT01.mka?X-Amz-Signature=abc", "s3://calls/RT01.mka"),
        ("s3://calls/rooms/RT01.mka", "s3://calls/rooms/RT01.mka"),
    ])
    func awsURLsOnAnAWSEndpoint(url: String, expected: String) throws {
        #expect(try ObjectLocation(objectURL: url, endpoint: Self.aws).description == expected)
    }

    @Test func pathAndVirtualHostedOnACustomEndpoint() throws {
        let local = try S3Endpoint(parsing: "http://127.0.0.1:9000")
        #expect(try ObjectLocation(objectURL: "http://127.0.0.1:9000/calls/rooms/RT01.mka", endpoint: local).description == "s3://calls/rooms/RT01.mka")
        let minio = try S3Endpoint(parsing: "https://store.example.com")
        #expect(try ObjectLocation(objectURL: "https://calls.store.example.com/RT01.mka", endpoint: minio).description == "s3://calls/RT01.mka")
        #expect(try ObjectLocation(objectURL: "https://store.example.com:443/calls/RT01.mka", endpoint: minio).description == "s3://calls/RT01.mka")
    }

    @Test(arguments: [
        ("https://evil.example.com/calls/RT01.mka", "is not on the configured S3 endpoint"),
        ("http://calls.s3.amazonaws.com/RT01.mka", "is not https"),
        ("https://127.0.0.1:9001/calls/RT01.mka", "is not on the configured S3 endpoint"),
        ("https://calls.s3.amazonaws.com.evil.example/RT01.mka", "is not on the configured S3 endpoint"),
        ("https://ec2.amazonaws.com/calls/RT01.mka", "is not on the configured S3 endpoint"),
        ("https://s3.amazonaws.com/calls", "names a bucket but no object key"),
        ("https://calls.s3.amazonaws.com/rooms/", "names a folder"),
        ("https://user:pw@calls.s3.amazonaws.com/RT01.mka", "user information"),
        ("not a url", "is not an object URL"),
    ])
    func otherURLsAreRefused(url: String, reason: String) {
        let endpoint = url.contains("127.0.0.1") ? (try? S3Endpoint(parsing: "http://127.0.0.1:9000")) ?? Self.aws : Self.aws
        #expect {
            _ = try ObjectLocation(objectURL: url, endpoint: endpoint)
        } throws: { error in
            guard let error = error as? ObjectStoreError else { return false }
            return error.code == .invalidLocation && error.message.contains(reason) && !error.message.contains("?")
        }
    }
}
