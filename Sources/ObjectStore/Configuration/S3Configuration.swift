/// Everything an ``S3ObjectStore`` needs: credentials, region, endpoint, addressing style, whether
/// plain HTTP is allowed, and the multipart settings.
///
/// Usually built by ``resolve(environment:flags:homeDirectory:)`` from the places the AWS tools
/// read, in their order, so a machine set up for `aws s3 cp` works unchanged.
public struct S3Configuration: Sendable, Equatable {
    /// How a bucket appears in a request's URL.
    public enum AddressingStyle: String, Sendable, Equatable {
        /// `https://BUCKET.HOST/KEY` (AWS's default).
        case virtualHosted = "virtual"
        /// `https://HOST/BUCKET/KEY` (MinIO, IP addresses, localhost).
        case path
    }

    /// The access key that signs requests.
    public var credentials: S3Credentials
    /// The signing region (`us-east-1`, `auto` for Cloudflare R2, …).
    public var region: String
    /// Where the service answers.
    public var endpoint: S3Endpoint
    /// Virtual-hosted or path-style URLs. A bucket name that is not a valid DNS label (upper
    /// case, `_`, or `.` over https) always uses path style.
    public var addressingStyle: AddressingStyle
    /// Whether an `http://` endpoint may be used. Off by default: over plain HTTP the signed
    /// requests and the uploaded audio travel unencrypted.
    public var allowHTTP: Bool
    /// When and how large files are split.
    public var multipart: MultipartSettings
    /// The longest a single request may take before it counts as failed (default 15 minutes:
    /// a 64 MiB part over a slow uplink).
    public var requestTimeout: Duration
    /// How long to keep trying to open a connection before the attempt counts as failed
    /// (default 10 s).
    public var connectTimeout: Duration

    /// A configuration from its parts.
    public init(
        credentials: S3Credentials, region: String, endpoint: S3Endpoint? = nil, addressingStyle: AddressingStyle? = nil,
        allowHTTP: Bool = false, multipart: MultipartSettings = MultipartSettings(), requestTimeout: Duration = .seconds(900),
        connectTimeout: Duration = .seconds(10)
    ) {
        self.credentials = credentials
        self.region = region
        let endpoint = endpoint ?? .aws(region: region)
        self.endpoint = endpoint
        self.addressingStyle = addressingStyle ?? (endpoint.isLocalOrIPAddress ? .path : .virtualHosted)
        self.allowHTTP = allowHTTP
        self.multipart = multipart
        self.requestTimeout = requestTimeout
        self.connectTimeout = connectTimeout
    }

    /// The region used when none is configured anywhere.
    public static let defaultRegion = "us-east-1"
}

/// The S3 settings given on the command line; each one set overrides the environment and the
/// `~/.aws` files.
public struct S3ConfigurationFlags: Sendable, Equatable {
    /// `--endpoint-url`.
    public var endpointURL: String?
    /// `--region`.
    public var region: String?
    /// `--profile`: also takes the credentials from that profile even when `AWS_ACCESS_KEY_ID` is set.
    public var profile: String?
    /// `--path-style`: path-style URLs whatever the files say.
    public var pathStyle: Bool
    /// Allows an `http://` endpoint (local test servers).
    public var allowHTTP: Bool

    /// Flags as given; all unset by default.
    public init(endpointURL: String? = nil, region: String? = nil, profile: String? = nil, pathStyle: Bool = false, allowHTTP: Bool = false) {
        self.endpointURL = endpointURL
        self.region = region
        self.profile = profile
        self.pathStyle = pathStyle
        self.allowHTTP = allowHTTP
    }
}
