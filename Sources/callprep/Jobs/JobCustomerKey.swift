import CallPrepJSON
import CallPrepJobs
import Crypto

/// The CustomerKey of a job's transcript: `cpj-` and 40 hex digits of SHA-256 over the job id and
/// the merged file's SHA-256. The same job with the same audio always gives the same key, so a
/// submit repeated after a crash (the POST sent, the journal not yet written) finds the
/// transcript it made instead of creating a second; a job replaced with other audio gets a new one.
enum JobCustomerKey {
    static func key(for id: JobID, mediaSHA256: String) -> String {
        var hasher = SHA256()
        hasher.update(data: Array("callprep-job\n\(id.rawValue)\n\(mediaSHA256)".utf8))
        return "cpj-" + NumberText.hex(hasher.finalize()).prefix(40)
    }
}
