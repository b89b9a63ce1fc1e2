import Foundation
import Testing
@testable import ObjectStore

/// The examples of AWS's "Signature Version 4 for S3" documentation (header-based and query
/// string authentication): the example key pair, bucket `examplebucket`, region us-east-1,
/// signed at 20130524T000000Z. Only the numbers are taken from the documentation.
@Suite struct SigV4DocumentationVectorTests {
    static let credentials = try! S3Credentials(
        accessKeyID: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
    static let signer = SigV4Signer(credentials: credentials, region: "us-east-1")
    static let host = "examplebucket.s3.amazonaws.com"
    /// 2013-05-24T00:00:00Z.
    static let may24 = Date(timeIntervalSince1970: 1_369_353_600)

    static func authorization(_ request: SigV4Signer.Request) -> String {
        signer.signedHeaders(for: request, at: may24).first { $0.name == "Authorization" }?.value ?? ""
    }

    @Test func presignedGetOfTestTxt() {
        let query = Self.signer.presignedQuery(method: "GET", host: Self.host, path: "/test.txt", expiresIn: 86400, at: Self.may24)
        #expect(query == "X-Amz-Algorithm=AWS4-HMAC-SHA256"
            + "&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request"
            + "&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host"
            + "&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404")
    }

    @Test func getObjectWithRange() {
        let request = SigV4Signer.Request(
            method: "GET", host: Self.host, path: "/test.txt", headers: [("Range", "bytes=0-9")])
        #expect(Self.authorization(request) == "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,"
            + "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,"
            + "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41")
    }

    @Test func putObjectWithStorageClassAndSignedPayload() {
        let body = "Welcome to Amazon S3."
        let payloadHash = SHA256Text.hex(of: Array(body.utf8))
        #expect(payloadHash == "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072")
        let request = SigV4Signer.Request(
            method: "PUT", host: Self.host, path: SigV4Encoding.path("/test$file.text"),
            headers: [("Date", "Fri, 24 May 2013 00:00:00 GMT"), ("x-amz-storage-class", "REDUCED_REDUNDANCY")],
            payloadHash: payloadHash)
        #expect(request.path == "/test%24file.text")
        let authorization = Self.authorization(request)
        #expect(authorization.contains("SignedHeaders=date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class,"))
        #expect(authorization.hasSuffix("Signature=98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd"))
    }

    @Test func getBucketLifecycleWithAValuelessParameter() {
        let request = SigV4Signer.Request(method: "GET", host: Self.host, path: "/", query: [("lifecycle", "")])
        #expect(Self.authorization(request).hasSuffix("Signature=fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543"))
    }

    @Test func listObjectsSortsTheQuery() {
        let request = SigV4Signer.Request(
            method: "GET", host: Self.host, path: "/", query: [("prefix", "J"), ("max-keys", "2")])
        #expect(Self.authorization(request).hasSuffix("Signature=34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7"))
    }

    @Test func sessionTokenIsSignedAndSent() throws {
        let temporary = try S3Credentials(
            accessKeyID: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", sessionToken: "token/with+chars")
        let signer = SigV4Signer(credentials: temporary, region: "us-east-1")
        let headers = signer.signedHeaders(for: .init(method: "GET", host: Self.host, path: "/test.txt"), at: Self.may24)
        #expect(headers.contains { $0.name == "x-amz-security-token" && $0.value == "token/with+chars" })
        #expect(headers.first { $0.name == "Authorization" }?.value.contains("x-amz-date;x-amz-security-token,") == true)
        let query = signer.presignedQuery(method: "GET", host: Self.host, path: "/test.txt", expiresIn: 60, at: Self.may24)
        #expect(query.contains("&X-Amz-Security-Token=token%2Fwith%2Bchars&"))
        // Different from the token-less signature of the same URL.
        #expect(!query.hasSuffix("aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404"))
    }
}
