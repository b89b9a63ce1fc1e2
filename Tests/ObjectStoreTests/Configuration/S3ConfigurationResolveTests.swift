import Foundation
import Testing
@testable import ObjectStore

/// Configuration resolution in the AWS tools' order, with a temporary HOME holding `.aws/`.
@Suite struct S3ConfigurationResolveTests {
    /// A temporary home with the given `~/.aws/credentials` and `~/.aws/config` text.
    static func home(credentials: String? = nil, config: String? = nil) throws -> TemporaryFolder {
        let home = try TemporaryFolder()
        try FileManager.default.createDirectory(atPath: home.path + "/.aws", withIntermediateDirectories: true)
        if let credentials { _ = try home.file(".aws/credentials", bytes: Array(credentials.utf8)) }
        if let config { _ = try home.file(".aws/config", bytes: Array(config.utf8)) }
        return home
    }

    static let files = (
        credentials: """
            [default]
            aws_access_key_id = AKIADEFAULT
            aws_secret_access_key = default-secret

            # a comment
            [minio]
            aws_access_key_id=minioadmin
            aws_secret_access_key=minio-secret
            """,
        config: """
            [default]
            region = eu-west-1

            [profile minio]
            region = us-east-1
            endpoint_url = http://127.0.0.1:9000
            s3 =
              addressing_style = virtual

            [profile r2]
            aws_access_key_id = R2KEY
            aws_secret_access_key = r2-secret
            aws_session_token = r2-token
            region = auto
            s3 =
              endpoint_url = https://ACCOUNT.r2.cloudflarestorage.com
              addressing_style = path
            """)

    @Test func environmentKeysWinOverTheDefaultProfile() throws {
        let home = try Self.home(credentials: Self.files.credentials, config: Self.files.config)
        let configuration = try S3Configuration.resolve(
            environment: ["AWS_ACCESS_KEY_ID": "AKIAENV", "AWS_SECRET_ACCESS_KEY": "env-secret", "AWS_SESSION_TOKEN": "env-token"],
            flags: S3ConfigurationFlags(), homeDirectory: home.path)
        #expect(configuration.credentials.accessKeyID == "AKIAENV")
        #expect(configuration.credentials.secretAccessKey == "env-secret")
        #expect(configuration.credentials.sessionToken == "env-token")
        // Region still comes from the default profile's config.
        #expect(configuration.region == "eu-west-1")
        #expect(configuration.endpoint.description == "https://s3.eu-west-1.amazonaws.com")
        #expect(configuration.addressingStyle == .virtualHosted)
    }

    @Test func defaultProfileFromTheFiles() throws {
        let home = try Self.home(credentials: Self.files.credentials, config: Self.files.config)
        let configuration = try S3Configuration.resolve(environment: [:], flags: S3ConfigurationFlags(), homeDirectory: home.path)
        #expect(configuration.credentials.accessKeyID == "AKIADEFAULT")
        #expect(configuration.region == "eu-west-1")
    }

    @Test func awsProfileSelectsCredentialsEndpointAndNestedAddressingStyle() throws {
        let home = try Self.home(credentials: Self.files.credentials, config: Self.files.config)
        let configuration = try S3Configuration.resolve(
            environment: ["AWS_PROFILE": "minio"], flags: S3ConfigurationFlags(), homeDirectory: home.path)
        #expect(configuration.credentials.accessKeyID == "minioadmin")
        #expect(configuration.endpoint.description == "http://127.0.0.1:9000")
        // The nested `s3 = addressing_style = virtual` is honoured even on an IP endpoint.
        #expect(configuration.addressingStyle == .virtualHosted)
        #expect(!configuration.allowHTTP)
    }

    @Test func configOnlyProfileWithSessionTokenAndNestedEndpoint() throws {
        let home = try Self.home(config: Self.files.config)
        let configuration = try S3Configuration.resolve(
            environment: [:], flags: S3ConfigurationFlags(profile: "r2"), homeDirectory: home.path)
        #expect(configuration.credentials.accessKeyID == "R2KEY")
        #expect(configuration.credentials.sessionToken == "r2-token")
        #expect(configuration.region == "auto")
        #expect(configuration.endpoint.description == "https://account.r2.cloudflarestorage.com")
        #expect(configuration.addressingStyle == .path)
    }

    @Test func profileFlagBeatsEnvironmentKeysAndFlagsBeatEverything() throws {
        let home = try Self.home(credentials: Self.files.credentials, config: Self.files.config)
        let configuration = try S3Configuration.resolve(
            environment: [
                "AWS_ACCESS_KEY_ID": "AKIAENV", "AWS_SECRET_ACCESS_KEY": "env-secret", "AWS_REGION": "ap-south-1",
                "AWS_ENDPOINT_URL_S3": "https://s3.example.net", "AWS_ENDPOINT_URL": "https://ignored.example.net",
            ],
            flags: S3ConfigurationFlags(endpointURL: "https://storage.googleapis.com", region: "auto", profile: "minio", pathStyle: true),
            homeDirectory: home.path)
        #expect(configuration.credentials.accessKeyID == "minioadmin")
        #expect(configuration.region == "auto")
        #expect(configuration.endpoint.description == "https://storage.googleapis.com")
        #expect(configuration.addressingStyle == .path)
    }

    @Test func environmentOrderForRegionAndEndpoint() throws {
        let home = try Self.home()
        let keys = ["AWS_ACCESS_KEY_ID": "AKIAENV", "AWS_SECRET_ACCESS_KEY": "env-secret"]
        let both = try S3Configuration.resolve(
            environment: keys.merging([
                "AWS_REGION": "eu-central-1", "AWS_DEFAULT_REGION": "us-west-2",
                "AWS_ENDPOINT_URL_S3": "https://s3.example.net", "AWS_ENDPOINT_URL": "https://other.example.net",
            ]) { $1 }, flags: S3ConfigurationFlags(), homeDirectory: home.path)
        #expect(both.region == "eu-central-1")
        #expect(both.endpoint.description == "https://s3.example.net")
        let fallback = try S3Configuration.resolve(
            environment: keys.merging(["AWS_DEFAULT_REGION": "us-west-2", "AWS_ENDPOINT_URL": "http://localhost:9000/", "AWS_REGION": ""]) { $1 },
            flags: S3ConfigurationFlags(allowHTTP: true), homeDirectory: home.path)
        #expect(fallback.region == "us-west-2")
        #expect(fallback.endpoint.description == "http://localhost:9000")
        #expect(fallback.addressingStyle == .path, "localhost has no DNS name for the bucket")
        #expect(fallback.allowHTTP)
        let nothing = try S3Configuration.resolve(environment: keys, flags: S3ConfigurationFlags(), homeDirectory: home.path)
        #expect(nothing.region == "us-east-1")
        #expect(nothing.endpoint.description == "https://s3.us-east-1.amazonaws.com")
    }

    @Test func sharedFileLocationsFromTheEnvironment() throws {
        let elsewhere = try TemporaryFolder()
        let credentials = try elsewhere.file("creds", bytes: Array("[ci]\naws_access_key_id = AKIACI\naws_secret_access_key = ci-secret\n".utf8))
        let config = try elsewhere.file("conf", bytes: Array("[profile ci]\nregion = sa-east-1\n".utf8))
        let configuration = try S3Configuration.resolve(
            environment: ["AWS_SHARED_CREDENTIALS_FILE": credentials.path, "AWS_CONFIG_FILE": config.path, "AWS_PROFILE": "ci"],
            flags: S3ConfigurationFlags(), homeDirectory: "/nonexistent")
        #expect(configuration.credentials.accessKeyID == "AKIACI")
        #expect(configuration.region == "sa-east-1")
    }

    @Test func whatIsMissingIsSaidWithoutTheSecret() throws {
        let home = try Self.home(credentials: Self.files.credentials)
        let none = #expect(throws: ObjectStoreError.self) {
            try S3Configuration.resolve(environment: [:], flags: S3ConfigurationFlags(), homeDirectory: try Self.home().path)
        }
        #expect(none?.code == .missingCredentials)
        #expect(none?.message.contains("AWS_ACCESS_KEY_ID") == true)

        let halfKey = #expect(throws: ObjectStoreError.self) {
            try S3Configuration.resolve(environment: ["AWS_ACCESS_KEY_ID": "AKIAENV"], flags: S3ConfigurationFlags(), homeDirectory: home.path)
        }
        #expect(halfKey?.code == .missingCredentials)

        let unknownProfile = #expect(throws: ObjectStoreError.self) {
            try S3Configuration.resolve(environment: ["AWS_PROFILE": "nope"], flags: S3ConfigurationFlags(), homeDirectory: home.path)
        }
        #expect(unknownProfile?.code == .invalidConfiguration)
        #expect(unknownProfile?.message.contains("\"nope\"") == true)

        let badEndpoint = #expect(throws: ObjectStoreError.self) {
            try S3Configuration.resolve(
                environment: [:], flags: S3ConfigurationFlags(endpointURL: "ftp://x", profile: "minio"), homeDirectory: home.path)
        }
        #expect(badEndpoint?.code == .invalidConfiguration)
        for error in [none, halfKey, unknownProfile, badEndpoint].compactMap({ $0 }) {
            #expect(!["default-secret", "minio-secret"].contains { error.description.contains($0) }, "\(error)")
        }
        let credentials = try S3Configuration.resolve(environment: [:], flags: S3ConfigurationFlags(), homeDirectory: home.path).credentials
        #expect(credentials.description == "access key AKIADEFAULT (secret hidden)")
        #expect(!String(describing: credentials).contains("default-secret"))
        #expect(!String(reflecting: credentials).contains("default-secret"))
        var dumped = ""
        dump(credentials, to: &dumped)
        #expect(!dumped.contains("default-secret"))
    }
}

@Suite struct S3EndpointTests {
    @Test(arguments: [
        ("https://s3.eu-west-1.amazonaws.com", "https://s3.eu-west-1.amazonaws.com", false),
        ("http://127.0.0.1:9000/", "http://127.0.0.1:9000", true),
        ("https://LOCALHOST:443", "https://localhost", true),
        ("http://[::1]:9000", "http://[::1]:9000", true),
        ("https://s3.us-west-004.backblazeb2.com", "https://s3.us-west-004.backblazeb2.com", false),
    ])
    func parses(_ text: String, _ described: String, _ local: Bool) throws {
        let endpoint = try S3Endpoint(parsing: text)
        #expect(endpoint.description == described)
        #expect(endpoint.isLocalOrIPAddress == local)
    }

    @Test(arguments: ["s3.amazonaws.com", "ftp://host", "https://host/path", "https://user:pw@host", "https://host:0", "https://host:99999", "https://"])
    func refuses(_ text: String) {
        let error = #expect(throws: ObjectStoreError.self) { try S3Endpoint(parsing: text) }
        #expect(error?.code == .invalidConfiguration)
    }
}
