import AudioPrep
import Foundation
import Testing
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// `callprep upload` and `callprep presign` through the built binary, against moto's S3 server on
/// 127.0.0.1: the printed URL serves the uploaded bytes, a second upload of the same bytes sends
/// nothing, S3's errors reach the user as code and message, and the secret key never appears.
@Suite("upload and presign against moto", .serialized, .enabled(if: FileManager.default.isExecutableFile(atPath: CLI.binary.path), "callprep binary not built; run `swift build --build-tests` first"))
struct UploadCommandTests {
    /// GETs `url` without credentials and returns the body's SHA-256 and the status.
    static func fetchSHA256(_ url: String, scratch: ScratchFolder) async throws -> (sha256: String, status: Int, contentType: String?) {
        let (data, response) = try await URLSession.shared.data(from: try #require(URL(string: url)))
        let path = scratch.path + "/fetched-\(UUID().uuidString)"
        try data.write(to: URL(fileURLWithPath: path))
        let http = response as? HTTPURLResponse
        return (try FileDigest.sha256(path: path), http?.statusCode ?? 0, http?.value(forHTTPHeaderField: "Content-Type"))
    }

    static func expectNoSecret(_ result: CLI.Output, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(!result.stdout.contains(MotoServer.secretAccessKey), sourceLocation: sourceLocation)
        #expect(!result.stderr.contains(MotoServer.secretAccessKey), sourceLocation: sourceLocation)
    }

    @Test("upload to a prefix: the URL alone on stdout serves the same bytes as audio/flac; again sends no PUT")
    func uploadPrintsAWorkingURLAndIsIdempotent() async throws {
        let moto = try await MotoServer(buckets: ["calls"])
        let scratch = try ScratchFolder()
        let file = try scratch.copy("call/agent.flac", as: "agent call.flac")
        let environment = moto.environment(home: scratch.path)
        let first = try CLI.run(["upload", file, "s3://calls/2024/", "--allow-http", "--verbose"], environment: environment, timeout: CLI.uploadTimeout)
        #expect(first.status == 0, "\(first.stderr)")
        let url = first.stdout.trimmingCharacters(in: .newlines)
        #expect(first.stdout == url + "\n")
        #expect(url.hasPrefix(moto.endpoint + "/calls/2024/agent%20call.flac?"), "\(url)")
        #expect(url.contains("X-Amz-Expires=86400"))
        #expect(url.contains("X-Amz-Credential=\(MotoServer.accessKeyID)%2F"))
        let fetched = try await Self.fetchSHA256(url, scratch: scratch)
        #expect(fetched.status == 200)
        #expect(fetched.sha256 == (try FileDigest.sha256(path: file)))
        #expect(fetched.contentType == "audio/flac")
        #expect(try moto.requestLines().filter { $0.hasPrefix("PUT /calls/2024/") }.count == 1, "\((try? moto.requestLines()) ?? [])")
        Self.expectNoSecret(first)

        // The same bytes again: HEAD finds the stored SHA-256, nothing is uploaded.
        let again = try CLI.run(["upload", file, "s3://calls/2024/", "--allow-http", "--json", "--expires", "15m"], environment: environment, timeout: CLI.uploadTimeout)
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stderr.contains("not uploading again"))
        #expect(try moto.requestLines().filter { $0.hasPrefix("PUT /calls/2024/") }.count == 1, "\((try? moto.requestLines()) ?? [])")
        let json = try #require(try again.json() as? [String: Any])
        #expect(Set(json.keys) == ["url", "bucket", "key", "size_bytes", "sha256", "etag", "expires_at"])
        #expect(json["bucket"] as? String == "calls")
        #expect(json["key"] as? String == "2024/agent call.flac")
        #expect(json["size_bytes"] as? Int == Int(try FileDigest.size(path: file)))
        #expect(json["sha256"] as? String == (try FileDigest.sha256(path: file)))
        #expect((json["etag"] as? String)?.isEmpty == false)
        #expect((json["url"] as? String)?.contains("X-Amz-Expires=900") == true)
        let expiresText = try #require(json["expires_at"] as? String)
        let expiresAt = try #require(ISO8601DateFormatter().date(from: expiresText))
        #expect(abs(expiresAt.timeIntervalSinceNow - 900) < 60)

        // Changed bytes under the same key are uploaded again.
        let changed = try scratch.copy("call/customer.flac", as: "other/agent call.flac")
        let replaced = try CLI.run(["upload", changed, "s3://calls/2024/", "--allow-http"], environment: environment, timeout: CLI.uploadTimeout)
        #expect(replaced.status == 0, "\(replaced.stderr)")
        #expect(try moto.requestLines().filter { $0.hasPrefix("PUT /calls/2024/") }.count == 2)
        #expect(try await Self.fetchSHA256(replaced.stdout.trimmingCharacters(in: .newlines), scratch: scratch).sha256 == (try FileDigest.sha256(path: changed)))
    }

    @Test("the content type comes from the bytes (an MP3 named .wav is audio/mpeg) unless --content-type says")
    func contentTypeFromContent() async throws {
        let moto = try await MotoServer(buckets: ["calls"])
        let scratch = try ScratchFolder()
        let environment = moto.environment(home: scratch.path)
        let sniffed = try CLI.run(["upload", CLI.audio("edge/mp3-named.wav"), "s3://calls/x.wav", "--allow-http"], environment: environment, timeout: CLI.uploadTimeout)
        #expect(sniffed.status == 0, "\(sniffed.stderr)")
        #expect(try await Self.fetchSHA256(sniffed.stdout.trimmingCharacters(in: .newlines), scratch: scratch).contentType == "audio/mpeg")
        let given = try CLI.run(["upload", CLI.audio("call/agent.wav"), "s3://calls/y", "--allow-http", "--content-type", "audio/x-test"], environment: environment, timeout: CLI.uploadTimeout)
        #expect(given.status == 0, "\(given.stderr)")
        #expect(try await Self.fetchSHA256(given.stdout.trimmingCharacters(in: .newlines), scratch: scratch).contentType == "audio/x-test")
    }

    @Test("S3's errors reach the user as code and message, exit 1; local problems are refused before any request")
    func errors() async throws {
        let moto = try await MotoServer(buckets: ["calls"])
        let scratch = try ScratchFolder()
        let environment = moto.environment(home: scratch.path)
        let file = CLI.audio("call/agent.flac")

        let noBucket = try CLI.run(["upload", file, "s3://no-such-bucket/a.flac", "--allow-http", "--json"], environment: environment, timeout: CLI.uploadTimeout)
        #expect(noBucket.status == 1)
        let error = try #require((try noBucket.json() as? [String: Any])?["error"] as? [String: Any])
        #expect(error["code"] as? String == "NoSuchBucket")
        #expect(error["status"] as? Int == 404)
        #expect((error["message"] as? String)?.isEmpty == false)
        #expect(noBucket.stderr.hasPrefix("callprep: NoSuchBucket (HTTP 404): "), "\(noBucket.stderr)")
        Self.expectNoSecret(noBucket)

        let before = try moto.requestLines().count
        // http endpoint without --allow-http: refused, nothing sent.
        let http = try CLI.run(["upload", file, "s3://calls/a.flac"], environment: environment, timeout: CLI.uploadTimeout)
        #expect(http.status == 1)
        #expect(http.stderr.contains("InsecureEndpoint"), "\(http.stderr)")
        // A missing file, a folder, a bad location, no credentials.
        let missing = try CLI.run(["upload", "no/such.flac", "s3://calls/", "--allow-http"], environment: environment, timeout: CLI.uploadTimeout)
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("no/such.flac"))
        let folder = try CLI.run(["upload", scratch.path, "s3://calls/", "--allow-http"], environment: environment, timeout: CLI.uploadTimeout)
        #expect(folder.status == 1)
        #expect(folder.stderr.contains("is a folder"))
        let badLocation = try CLI.run(["upload", file, "https://calls/a.flac", "--allow-http", "--json"], environment: environment, timeout: CLI.uploadTimeout)
        #expect(badLocation.status == 1)
        #expect((try badLocation.json() as? [String: Any]).flatMap { $0["error"] as? [String: Any] }?["code"] as? String == "InvalidLocation")
        var noKeys = environment
        noKeys["AWS_ACCESS_KEY_ID"] = nil
        noKeys["AWS_SECRET_ACCESS_KEY"] = nil
        let anonymous = try CLI.run(["upload", file, "s3://calls/", "--allow-http"], environment: noKeys, timeout: CLI.uploadTimeout)
        #expect(anonymous.status == 1)
        #expect(anonymous.stderr.contains("MissingCredentials"))
        #expect(anonymous.stderr.contains("AWS_ACCESS_KEY_ID"))
        #expect(try moto.requestLines().count == before)
        for result in [http, missing, folder, badLocation, anonymous] { Self.expectNoSecret(result) }
    }

    @Test("presign signs offline: 7d is 604800 s, more is a usage error, a prefix is refused")
    func presign() throws {
        let scratch = try ScratchFolder()
        // Port 9 on loopback: nothing listens, and presign must not try.
        let environment = [
            "AWS_ACCESS_KEY_ID": MotoServer.accessKeyID, "AWS_SECRET_ACCESS_KEY": MotoServer.secretAccessKey,
            "AWS_REGION": "eu-west-1", "HOME": scratch.path, "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin",
        ]
        let week = try CLI.run(["presign", "s3://calls/2024/a b+c.flac", "--expires", "7d"], environment: environment, timeout: CLI.uploadTimeout)
        #expect(week.status == 0, "\(week.stderr)")
        let url = week.stdout.trimmingCharacters(in: .newlines)
        #expect(url.hasPrefix("https://calls.s3.eu-west-1.amazonaws.com/2024/a%20b%2Bc.flac?"), "\(url)")
        #expect(url.contains("X-Amz-Expires=604800"))
        #expect(url.contains("X-Amz-Signature="))
        #expect(week.stderr.isEmpty)
        Self.expectNoSecret(week)

        let local = try CLI.run(["presign", "s3://calls/a.flac", "--endpoint-url", "http://127.0.0.1:9", "--allow-http", "--json"], environment: environment, timeout: CLI.uploadTimeout)
        #expect(local.status == 0, "\(local.stderr)")
        let json = try #require(try local.json() as? [String: Any])
        #expect((json["url"] as? String)?.hasPrefix("http://127.0.0.1:9/calls/a.flac?") == true)
        #expect((json["url"] as? String)?.contains("X-Amz-Expires=86400") == true)

        for (value, seconds) in [("15m", 900), ("2h", 7200), ("90s", 90), ("604800", 604_800)] {
            let out = try CLI.run(["presign", "s3://calls/a.flac", "--expires", value], environment: environment, timeout: CLI.uploadTimeout)
            #expect(out.status == 0 && out.stdout.contains("X-Amz-Expires=\(seconds)&"), "\(value): \(out.stdout)\(out.stderr)")
        }
        for value in ["8d", "604801", "0m", "1.5h", "99999999999999999999d", "d", "7 d"] {
            let out = try CLI.run(["presign", "s3://calls/a.flac", "--expires", value], environment: environment, timeout: CLI.uploadTimeout)
            #expect(out.status == 2, "\(value): \(out.stderr)")
            #expect(out.stderr.contains("not a duration from 1s to 7d"), "\(value): \(out.stderr)")
            #expect(out.stdout.isEmpty)
        }
        let prefix = try CLI.run(["presign", "s3://calls/2024/"], environment: environment, timeout: CLI.uploadTimeout)
        #expect(prefix.status == 1)
        #expect(prefix.stderr.contains("names a prefix"), "\(prefix.stderr)")
    }
}
