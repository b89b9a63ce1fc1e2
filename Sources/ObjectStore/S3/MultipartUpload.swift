import Crypto
import NIOCore
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// One file going up as an S3 multipart upload: CreateMultipartUpload, the parts (up to
/// ``MultipartSettings/maxConcurrentParts`` in flight, each request retried on transient
/// failures), then CompleteMultipartUpload. Any failure, cancellation included, aborts the
/// upload so no unfinished parts stay stored (and billed).
///
/// Each byte is read from the disk once: one reader takes the parts in order, hashes each chunk
/// as it arrives into the part's SHA-256 (its `x-amz-checksum-sha256` and signed payload hash)
/// and into the running SHA-256 of the whole file, and the part is sent (and re-sent on a retry)
/// from that buffer. So what the service receives is exactly what was hashed, and once the last
/// part is read the whole file's SHA-256 is compared with the caller's — the one stored as
/// `x-amz-meta-sha256` — before the upload is completed: a file that changed after the caller
/// hashed it, or while it was being sent, is never stored. Memory: the parts in flight, at most
/// ``MultipartSettings/maxConcurrentParts`` × the part size (64 MiB with the defaults), whatever
/// the file's size.
struct MultipartUpload: Sendable {
    let transport: S3Transport
    let file: LocalFile
    let location: ObjectLocation
    let contentType: String
    /// The whole file's SHA-256, lowercase hex.
    let sha256: String
    let settings: MultipartSettings

    /// A part the service has stored.
    struct CompletedPart: Sendable {
        let number: Int
        let etag: String
        let checksumBase64: String
        let length: Int64
    }

    /// Uploads the file; on any failure aborts the multipart upload before throwing.
    func run(progress: (@Sendable (UploadProgress) -> Void)?) async throws(ObjectStoreError) -> StoredObject {
        let partSize = try settings.partSize(forFileOfSize: file.size)
        let uploadID = try await create()
        do {
            let parts = try await uploadParts(uploadID: uploadID, partSize: partSize, progress: progress)
            let etag = try await complete(uploadID: uploadID, parts: parts)
            return StoredObject(size: file.size, etag: etag, sha256: sha256, contentType: contentType)
        } catch {
            throw await abort(uploadID: uploadID, after: error)
        }
    }

    private func create() async throws(ObjectStoreError) -> String {
        let answer = try await transport.send(
            .POST, location, operation: "CreateMultipartUpload", query: [("uploads", "")],
            headers: [
                ("Content-Type", contentType),
                ("x-amz-meta-sha256", sha256),
                ("x-amz-checksum-algorithm", "SHA256"),
            ])
        guard let uploadID = S3XML.value(of: "UploadId", in: answer.body), (1...1024).contains(uploadID.utf8.count) else {
            throw ObjectStoreError(
                code: .invalidResponse,
                message: "CreateMultipartUpload \(location) answered without an UploadId; check the endpoint supports multipart uploads",
                httpStatus: answer.status)
        }
        return uploadID
    }

    private func uploadParts(
        uploadID: String, partSize: Int64, progress: (@Sendable (UploadProgress) -> Void)?
    ) async throws(ObjectStoreError) -> [CompletedPart] {
        let partCount = Int((file.size + partSize - 1) / partSize)
        var wholeFile = SHA256()
        var completed: [CompletedPart] = []
        completed.reserveCapacity(partCount)
        var bytesConfirmed: Int64 = 0
        func record(_ part: CompletedPart) {
            completed.append(part)
            bytesConfirmed += part.length
            progress?(UploadProgress(bytesSent: bytesConfirmed, totalBytes: file.size))
        }
        do {
            try await withThrowingTaskGroup(of: CompletedPart.self) { group in
                var inFlight = 0
                for number in 1...partCount {
                    if inFlight == settings.maxConcurrentParts, let part = try await group.next() {
                        record(part)
                        inFlight -= 1
                    }
                    let offset = Int64(number - 1) * partSize
                    var partHasher = SHA256()
                    let bytes = try file.read(offset: offset, length: Int(min(partSize, file.size - offset))) { chunk in
                        partHasher.update(bufferPointer: chunk)
                        wholeFile.update(bufferPointer: chunk)
                    }
                    let partSHA256 = SHA256Text.hex(partHasher.finalize())
                    group.addTask {
                        try await uploadPart(number: number, uploadID: uploadID, bytes: bytes, sha256: partSHA256)
                    }
                    inFlight += 1
                }
                while let part = try await group.next() { record(part) }
            }
        } catch let error as ObjectStoreError {
            throw error
        } catch {
            throw S3Transport.transportError(error, operation: "UploadPart", location: location)
        }
        guard SHA256Text.hex(wholeFile.finalize()) == sha256 else {
            throw ObjectStoreError(
                code: .fileChanged,
                message: "\(file.path) does not have the SHA-256 it was uploaded with (it changed after it was hashed, or while it was sent); nothing was stored; upload it again once it is complete")
        }
        return completed.sorted { $0.number < $1.number }
    }

    private func uploadPart(number: Int, uploadID: String, bytes: ByteBuffer, sha256: String) async throws(ObjectStoreError) -> CompletedPart {
        let checksum = SHA256Text.base64(fromHex: sha256)
        let answer = try await transport.send(
            .PUT, location, operation: "UploadPart \(number)",
            query: [("partNumber", String(number)), ("uploadId", uploadID)],
            headers: [("x-amz-checksum-sha256", checksum)],
            body: .hashedBytes(bytes, sha256: sha256))
        guard let etag = answer.headers["etag"].map(S3ObjectStore.unquoted), !etag.isEmpty else {
            throw ObjectStoreError(
                code: .invalidResponse, message: "UploadPart \(number) of \(location) answered without an ETag", httpStatus: answer.status)
        }
        return CompletedPart(number: number, etag: etag, checksumBase64: checksum, length: Int64(bytes.readableBytes))
    }

    private func complete(uploadID: String, parts: [CompletedPart]) async throws(ObjectStoreError) -> String {
        var xml = "<CompleteMultipartUpload xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
        for part in parts {
            xml += "<Part><ChecksumSHA256>\(part.checksumBase64)</ChecksumSHA256>"
                + "<ETag>\(S3XML.escape("\"" + part.etag + "\""))</ETag><PartNumber>\(part.number)</PartNumber></Part>"
        }
        xml += "</CompleteMultipartUpload>"
        let answer = try await transport.send(
            .POST, location, operation: "CompleteMultipartUpload", query: [("uploadId", uploadID)],
            headers: [("Content-Type", "application/xml")], body: .bytes(Array(xml.utf8)))
        // S3 may answer 200 and still report an error in the body.
        if S3XML.value(of: "Error", in: answer.body) != nil {
            throw S3ErrorResponse(status: answer.status, headers: answer.headers, body: answer.body)
                .error(operation: "CompleteMultipartUpload", location: location, credentials: transport.configuration.credentials)
        }
        guard let etag = S3XML.value(of: "ETag", in: answer.body).map(S3ObjectStore.unquoted), !etag.isEmpty else {
            throw ObjectStoreError(
                code: .invalidResponse, message: "CompleteMultipartUpload \(location) answered without an ETag", httpStatus: answer.status)
        }
        return etag
    }

    /// Aborts the upload (in a task of its own, so it runs even when the upload was cancelled)
    /// and returns `error`, extended with what to do if the abort failed too.
    private func abort(uploadID: String, after error: ObjectStoreError) async -> ObjectStoreError {
        let transport = transport
        let location = location
        let aborted = await Task {
            do {
                _ = try await transport.send(.DELETE, location, operation: "AbortMultipartUpload", query: [("uploadId", uploadID)])
                return true
            } catch {
                return false
            }
        }.value
        guard !aborted else { return error }
        return ObjectStoreError(
            code: error.code,
            message: error.message + " The unfinished multipart upload could not be aborted: remove it with `aws s3api abort-multipart-upload --bucket \(location.bucket) --key '\(location.key)' --upload-id \(uploadID)` (or a lifecycle rule) so its parts are not billed.",
            httpStatus: error.httpStatus, requestID: error.requestID)
    }
}
