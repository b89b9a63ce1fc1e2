import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import ObjectStore

/// The S3 settings of `upload` and `presign`, named as the AWS CLI names them. Each flag given
/// overrides the environment (`AWS_*`) and the `~/.aws` files; credentials come only from those
/// (never a flag), so a secret stays out of shell history and process listings.
struct S3Options: ParsableArguments, S3Settings {
    @Option(name: .customLong("endpoint-url"), help: "S3-compatible endpoint, e.g. https://ACCOUNT.r2.cloudflarestorage.com (default: $AWS_ENDPOINT_URL_S3, $AWS_ENDPOINT_URL, the profile's endpoint_url, AWS).")
    var endpointURL: String?

    @Option(name: .customLong("region"), help: "Signing region, e.g. eu-west-1 (default: $AWS_REGION, $AWS_DEFAULT_REGION, the profile's region, us-east-1).")
    var region: String?

    @Option(name: .customLong("profile"), help: "Profile in ~/.aws/credentials and ~/.aws/config (default: $AWS_PROFILE, then default).")
    var profile: String?

    @Flag(name: .customLong("path-style"), help: "Path-style URLs (https://HOST/BUCKET/KEY), as MinIO needs; automatic for localhost and IP endpoints.")
    var pathStyle = false
}

/// The same settings for `submit --upload`, prefixed `--s3-` because `submit` already has a
/// `--region` (Twilio's).
struct SubmitS3Options: ParsableArguments, S3Settings {
    @Option(name: .customLong("s3-endpoint-url"), help: "With --upload: the S3-compatible endpoint (as --endpoint-url of `callprep upload`).")
    var endpointURL: String?

    @Option(name: .customLong("s3-region"), help: "With --upload: the S3 signing region (as --region of `callprep upload`).")
    var region: String?

    @Option(name: .customLong("s3-profile"), help: "With --upload: the AWS profile (as --profile of `callprep upload`).")
    var profile: String?

    @Flag(name: .customLong("s3-path-style"), help: "With --upload: path-style URLs (as --path-style of `callprep upload`).")
    var pathStyle = false
}

/// The same settings for `room`, whose recordings may be in the account's own bucket
/// (`media_external_location`); prefixed `--s3-` as for `submit`, since `room` has Twilio's
/// `--region` too.
struct RoomS3Options: ParsableArguments, S3Settings {
    @Option(name: .customLong("s3-endpoint-url"), help: "For recordings in the account's own bucket: the S3-compatible endpoint (as --endpoint-url of `callprep upload`).")
    var endpointURL: String?

    @Option(name: .customLong("s3-region"), help: "For recordings in the account's own bucket: the S3 signing region (as --region of `callprep upload`).")
    var region: String?

    @Option(name: .customLong("s3-profile"), help: "For recordings in the account's own bucket: the AWS profile (as --profile of `callprep upload`).")
    var profile: String?

    @Flag(name: .customLong("s3-path-style"), help: "For recordings in the account's own bucket: path-style URLs (as --path-style of `callprep upload`).")
    var pathStyle = false
}

/// What the option groups give: the S3 flags, and the configuration resolved from them.
protocol S3Settings {
    var endpointURL: String? { get }
    var region: String? { get }
    var profile: String? { get }
    var pathStyle: Bool { get }
}

extension S3Settings {
    /// The settings as given on the command line.
    func flags(allowHTTP: Bool) -> S3ConfigurationFlags {
        S3ConfigurationFlags(endpointURL: endpointURL, region: region, profile: profile, pathStyle: pathStyle, allowHTTP: allowHTTP)
    }

    /// The configuration from flags, environment and `~/.aws`, in the AWS CLI's order.
    func configuration(allowHTTP: Bool) throws(ObjectStoreError) -> S3Configuration {
        try S3Configuration.resolve(
            environment: ProcessInfo.processInfo.environment, flags: flags(allowHTTP: allowHTTP),
            homeDirectory: HomeDirectory.path)
    }

    /// The configuration for signing offline when there may be no credentials at all (a dry
    /// run): with none configured, a placeholder key signs, so the URL shows the shape of the
    /// real one but grants nothing. `placeholder` tells which happened.
    func offlineConfiguration(allowHTTP: Bool) throws(ObjectStoreError) -> (configuration: S3Configuration, placeholder: Bool) {
        do {
            return (try configuration(allowHTTP: allowHTTP), false)
        } catch where error.code == .missingCredentials {
            var environment = ProcessInfo.processInfo.environment
            environment["AWS_ACCESS_KEY_ID"] = S3Placeholder.keyID
            environment["AWS_SECRET_ACCESS_KEY"] = S3Placeholder.secret
            environment["AWS_SESSION_TOKEN"] = nil
            var flags = flags(allowHTTP: allowHTTP)
            flags.profile = nil
            let configuration = try S3Configuration.resolve(environment: environment, flags: flags, homeDirectory: HomeDirectory.path)
            return (configuration, true)
        }
    }
}

/// The key a dry run signs with when no S3 credentials are configured.
enum S3Placeholder {
    /// The access key id a placeholder signature names.
    static let keyID = "AKIDPLACEHOLDER000000"
    /// Its "secret": public, signs nothing anyone accepts.
    static let secret = "placeholder-secret-not-a-credential"
}

/// `$HOME`, else the account's home folder: where `.aws/` is looked for.
enum HomeDirectory {
    static var path: String {
        if let home = ProcessInfo.processInfo.environment["HOME"], !home.isEmpty { return home }
        return FileManager.default.homeDirectoryForCurrentUser.path
    }
}
