import CallPrepJSON
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension S3Configuration {
    /// Resolves the configuration the way the AWS CLI does, first match winning:
    ///
    /// - credentials: the `--profile` flag's profile; else `AWS_ACCESS_KEY_ID` +
    ///   `AWS_SECRET_ACCESS_KEY` (+ `AWS_SESSION_TOKEN`); else the profile named by `AWS_PROFILE`
    ///   (or `default`) in `~/.aws/credentials`, then in `~/.aws/config`;
    /// - region: `--region`, `AWS_REGION`, `AWS_DEFAULT_REGION`, the profile's `region`, `us-east-1`;
    /// - endpoint: `--endpoint-url`, `AWS_ENDPOINT_URL_S3`, `AWS_ENDPOINT_URL`, the profile's
    ///   `s3 = endpoint_url`, its `endpoint_url`, AWS's regional endpoint;
    /// - addressing: `--path-style`, the profile's `s3 = addressing_style`, path style for
    ///   localhost and IP endpoints, virtual-hosted otherwise.
    ///
    /// `AWS_SHARED_CREDENTIALS_FILE` and `AWS_CONFIG_FILE` move the two files. Empty variables
    /// count as unset. A profile named explicitly (flag or `AWS_PROFILE`) must exist.
    /// - Parameters:
    ///   - environment: the process environment (`ProcessInfo.processInfo.environment`).
    ///   - homeDirectory: where `.aws/` is looked for.
    public static func resolve(
        environment: [String: String], flags: S3ConfigurationFlags, homeDirectory: String
    ) throws(ObjectStoreError) -> S3Configuration {
        func variable(_ name: String) -> String? {
            guard let value = environment[name]?.trimmingWhitespace(), !value.isEmpty else { return nil }
            return value
        }
        let credentialsPath = variable("AWS_SHARED_CREDENTIALS_FILE") ?? homeDirectory + "/.aws/credentials"
        let configPath = variable("AWS_CONFIG_FILE") ?? homeDirectory + "/.aws/config"
        let environmentProfile = variable("AWS_PROFILE") ?? variable("AWS_DEFAULT_PROFILE")
        let profileName = flags.profile ?? environmentProfile ?? "default"
        let credentialsFile = try AWSSharedConfigFile(path: credentialsPath)
        let configFile = try AWSSharedConfigFile(path: configPath)
        let fromCredentialsFile = credentialsFile.profile(profileName, configStyle: false)
        let fromConfigFile = configFile.profile(profileName, configStyle: true)
        if (flags.profile != nil || environmentProfile != nil), fromCredentialsFile == nil, fromConfigFile == nil {
            throw ObjectStoreError(
                code: .invalidConfiguration,
                message: "the AWS profile \"\(profileName)\" is in neither \(credentialsPath) nor \(configPath); check its name or add it (aws configure --profile \(profileName))")
        }
        func profileValue(_ key: String) -> String? {
            for section in [fromCredentialsFile, fromConfigFile] {
                if let value = section?[key], !value.isEmpty { return value }
            }
            return nil
        }

        let credentials: S3Credentials
        if flags.profile == nil, let keyID = variable("AWS_ACCESS_KEY_ID") {
            guard let secret = variable("AWS_SECRET_ACCESS_KEY") else {
                throw ObjectStoreError(
                    code: .missingCredentials,
                    message: "AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not; export the key's secret too")
            }
            credentials = try S3Credentials(accessKeyID: keyID, secretAccessKey: secret, sessionToken: variable("AWS_SESSION_TOKEN"))
        } else if let keyID = profileValue("aws_access_key_id") {
            guard let secret = profileValue("aws_secret_access_key") else {
                throw ObjectStoreError(
                    code: .missingCredentials,
                    message: "the AWS profile \"\(profileName)\" has aws_access_key_id but no aws_secret_access_key; add it to \(credentialsPath)")
            }
            credentials = try S3Credentials(accessKeyID: keyID, secretAccessKey: secret, sessionToken: profileValue("aws_session_token"))
        } else {
            throw ObjectStoreError(
                code: .missingCredentials,
                message: "no S3 credentials: export AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or set up a profile in \(credentialsPath) (aws configure) and choose it with AWS_PROFILE or --profile")
        }

        let region = flags.region ?? variable("AWS_REGION") ?? variable("AWS_DEFAULT_REGION") ?? profileValue("region") ?? defaultRegion
        guard !region.isEmpty, region.count <= 64, region.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }) else {
            throw ObjectStoreError(
                code: .invalidConfiguration, message: "region \"\(region)\" is not a region name (letters, digits and '-', like eu-west-1)")
        }

        let endpointURL = flags.endpointURL ?? variable("AWS_ENDPOINT_URL_S3") ?? variable("AWS_ENDPOINT_URL")
            ?? profileValue("s3.endpoint_url") ?? profileValue("endpoint_url")
        let endpoint = try endpointURL.map { url throws(ObjectStoreError) in try S3Endpoint(parsing: url) } ?? .aws(region: region)

        let addressingStyle: AddressingStyle
        if flags.pathStyle {
            addressingStyle = .path
        } else {
            switch profileValue("s3.addressing_style")?.lowercased() {
            case "path": addressingStyle = .path
            case "virtual": addressingStyle = .virtualHosted
            case nil, "auto": addressingStyle = endpoint.isLocalOrIPAddress ? .path : .virtualHosted
            case let other?:
                throw ObjectStoreError(
                    code: .invalidConfiguration,
                    message: "s3 addressing_style \"\(other)\" in the profile \"\(profileName)\" is not one of path, virtual, auto")
            }
        }
        return S3Configuration(
            credentials: credentials, region: region, endpoint: endpoint, addressingStyle: addressingStyle,
            allowHTTP: flags.allowHTTP)
    }
}
