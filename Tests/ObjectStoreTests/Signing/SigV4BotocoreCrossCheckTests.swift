import Foundation
import Testing
@testable import ObjectStore

/// Our SigV4 signer against botocore's (the AWS SDK for Python, installed by
/// scripts/install-deps.sh into `CALLPREP_PYENV`): for a table of keys, times, regions,
/// addressing styles and session tokens, the same credentials, time and request give the same
/// encoded path, the same presigned query and the same `Authorization` header.
@Suite(.serialized) struct SigV4BotocoreCrossCheckTests {
    struct Case: Codable {
        var access: String
        var secret: String
        var token: String?
        var region: String
        /// Seconds since 1970, UTC.
        var time: Int
        var host: String
        /// The key, not encoded; the path is `/KEY` (virtual-hosted) or `/BUCKET/KEY` (path style).
        var pathPrefix: String
        var key: String
        var expires: Int
        var method: String
        var headers: [[String]]
        var body: String
    }

    struct Answer: Codable {
        var path: String
        var presignedURL: String
        var authorization: String
    }

    /// botocore's signer, with its clock fixed at each case's time. The key is encoded as
    /// botocore's REST serializer encodes S3 keys (`percent_encode(key, safe='/~')`).
    static let script = #"""
        import datetime, json, sys
        import botocore.auth
        from botocore.awsrequest import AWSRequest
        from botocore.credentials import Credentials
        from botocore.utils import percent_encode
        answers = []
        for case in json.load(open(sys.argv[1])):
            fixed = datetime.datetime.fromtimestamp(case["time"], datetime.timezone.utc).replace(tzinfo=None)
            botocore.auth.get_current_datetime = lambda *a, **k: fixed
            creds = Credentials(case["access"], case["secret"], case.get("token"))
            path = case["pathPrefix"] + "/" + percent_encode(case["key"], safe="/~")
            url = "https://" + case["host"] + path
            query = AWSRequest(method="GET", url=url)
            botocore.auth.S3SigV4QueryAuth(creds, "s3", case["region"], expires=case["expires"]).add_auth(query)
            signed = AWSRequest(method=case["method"], url=url, headers=dict(case["headers"]), data=case["body"].encode())
            botocore.auth.S3SigV4Auth(creds, "s3", case["region"]).add_auth(signed)
            answers.append({"path": path, "presignedURL": query.url, "authorization": signed.headers["Authorization"]})
        json.dump(answers, sys.stdout)
        """#

    static var python: String {
        let venv = ProcessInfo.processInfo.environment["CALLPREP_PYENV"].flatMap { $0.isEmpty ? nil : $0 }
            ?? NSHomeDirectory() + "/.cache/callprep-pyenv"
        return venv + "/bin/python"
    }

    static let keys = [
        "test.txt", "calls/2024/a b+c.flac", "ünïcödé/名前 — call.flac", "a~b_c-d.e/!$&'()*,;=:@[]{}.wav",
        "deep/er/ and/%41lready%20encoded", "emoji 📞.flac",
    ]
    static let times = [1_369_353_600, 1_796_500_800, 2_147_483_647, 951_782_400]  // 2013-05-24, 2026-12-06, 2038-01-19, 2000-02-29

    static func cases() -> [Case] {
        var cases: [Case] = []
        for (index, key) in keys.enumerated() {
            for (timeIndex, time) in times.enumerated() {
                let pathStyle = (index + timeIndex) % 2 == 1
                let region = ["us-east-1", "eu-west-1", "auto", "ap-southeast-2"][(index + timeIndex) % 4]
                cases.append(Case(
                    access: "AKIAIOSFODNN7EXAMPLE", secret: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
                    token: timeIndex == 2 ? "FwoGZXIvYXdzEXAMPLE+/token=" : nil, region: region, time: time,
                    host: pathStyle ? "127.0.0.1:9000" : "calls-bucket.s3.\(region).amazonaws.com",
                    pathPrefix: pathStyle ? "/calls-bucket" : "", key: key,
                    expires: [1, 900, 86_400, 604_800][timeIndex], method: timeIndex % 2 == 0 ? "PUT" : "GET",
                    headers: timeIndex % 2 == 0 ? [["Content-Type", "audio/flac"], ["x-amz-meta-sha256", String(repeating: "ab", count: 32)]] : [["Range", "bytes=0-9"]],
                    body: timeIndex % 2 == 0 ? "RIFF call bytes \(index)" : ""))
            }
        }
        return cases
    }

    /// botocore's answers for `cases`, by running its signer (at most 60 s).
    static func botocoreAnswers(_ cases: [Case]) throws -> [Answer] {
        try #require(FileManager.default.isExecutableFile(atPath: python), "no Python venv at \(python): run scripts/install-deps.sh")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sigv4-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = folder.appendingPathComponent("cases.json")
        let output = folder.appendingPathComponent("answers.json")
        try JSONEncoder().encode(cases).write(to: input)
        FileManager.default.createFile(atPath: output.path, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = ["-c", script, input.path]
        // Files, not pipes: nothing has to be drained for Python to finish.
        let handle = try FileHandle(forWritingTo: output)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        let deadline = Date().addingTimeInterval(60)
        while process.isRunning, Date() < deadline { usleep(50_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        try handle.close()
        let data = try Data(contentsOf: output)
        try #require(process.terminationStatus == 0, "botocore signer failed: \(String(decoding: data, as: UTF8.self))")
        return try JSONDecoder().decode([Answer].self, from: data)
    }

    /// The URL before `?`, then its query parameters sorted.
    static func sortedQuery(_ url: String) -> [String] {
        let parts = url.split(separator: "?", maxSplits: 1).map(String.init)
        return [parts[0]] + (parts.count > 1 ? parts[1].split(separator: "&").map(String.init).sorted() : [])
    }

    @Test func sameSignaturesAsBotocore() throws {
        let cases = Self.cases()
        let answers = try Self.botocoreAnswers(cases)
        try #require(answers.count == cases.count)
        for (item, answer) in zip(cases, answers) {
            let credentials = try S3Credentials(accessKeyID: item.access, secretAccessKey: item.secret, sessionToken: item.token)
            let signer = SigV4Signer(credentials: credentials, region: item.region)
            let date = Date(timeIntervalSince1970: TimeInterval(item.time))
            let path = SigV4Encoding.path(item.pathPrefix + "/" + item.key)
            #expect(path == answer.path, "\(item.key)")

            let query = signer.presignedQuery(method: "GET", host: item.host, path: path, expiresIn: item.expires, at: date)
            // The same URL; botocore puts X-Amz-Security-Token after X-Amz-SignedHeaders, we sort
            // the parameters: the order is not signed (the canonical query is sorted).
            let ourURL = "https://\(item.host)\(path)?\(query)"
            #expect(Self.sortedQuery(ourURL) == Self.sortedQuery(answer.presignedURL), "\(item.key) at \(item.time)")
            #expect(item.token != nil || ourURL == answer.presignedURL, "\(item.key) at \(item.time)")

            let request = SigV4Signer.Request(
                method: item.method, host: item.host, path: path,
                headers: item.headers.map { ($0[0], $0[1]) }, payloadHash: SHA256Text.hex(of: Array(item.body.utf8)))
            let ours = signer.signedHeaders(for: request, at: date).first { $0.name == "Authorization" }?.value ?? ""
            // botocore separates the three parts with ", ", we with ","; both are valid SigV4.
            #expect(ours == answer.authorization.replacingOccurrences(of: ", ", with: ","), "\(item.method) \(item.key) at \(item.time)")
        }
        #expect(cases.count == Self.keys.count * Self.times.count)
    }
}
