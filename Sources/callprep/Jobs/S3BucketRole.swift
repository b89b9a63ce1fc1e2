/// Which S3 bucket a job's request went to: what `serve`'s `callprep_s3_requests_total` counts
/// by (its `bucket` label).
enum S3BucketRole: String, Sendable {
    /// The bucket of `--upload`, where merged files are put for Intelligence to fetch.
    case upload
    /// The account's own bucket, where Twilio stores room recordings when external storage is
    /// on (`media_external_location`).
    case recordings

    /// Told of each S3 request of the workers: which bucket, the method and the status (nil:
    /// no response).
    typealias Observer = @Sendable (S3BucketRole, _ method: String, _ status: Int?) -> Void
}
