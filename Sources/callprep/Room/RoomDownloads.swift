import ObjectStore
import TwilioIntelligence

/// The room's audio recordings downloaded in parallel, each to `RT….mka` in the folder.
enum RoomDownloads {
    /// At most this many downloads at once.
    static let parallel = 4

    /// Downloads `recordings` of `room` into `folder` (a complete file already there is reused)
    /// and returns each download by `RT…` SID. On a failure or cancellation the others stop and
    /// no partial file is left.
    /// Recordings with a `media_external_location` (the account stores them in its own S3
    /// bucket) come from `bucket`, with the bucket's credentials, never Twilio's; an object URL
    /// that is not on the bucket's endpoint is refused before anything is downloaded.
    /// `flushToDisk` false: the folder is temporary (read once by the merge, then removed), so
    /// Twilio's downloads skip the `fsync` a kept file needs.
    /// `completed` is told each file's path (and SHA-256, when it was hashed as it downloaded)
    /// as soon as it is complete, while the others may still be downloading: `callprep room`
    /// starts opening it then.
    static func fetch(_ recordings: [VideoRecording], room: String, into folder: String, client: RecordingsClient,
                      allowHTTP: Bool, bucket: ExternalRecordingStore?, flushToDisk: Bool = true,
                      completed: (@Sendable (_ path: String, _ sha256: String?) -> Void)? = nil) async throws -> [String: MediaDownload] {
        var locations: [String: ObjectLocation] = [:]
        for recording in recordings {
            guard let external = recording.mediaExternalLocation else { continue }
            guard let bucket else {
                throw MediaDownloadError(.externalStorage, subject: recording.sid, "is stored in the account's own S3 bucket (media_external_location), but no store for that bucket was opened.")
            }
            do {
                locations[recording.sid] = try ObjectLocation(objectURL: external, endpoint: bucket.endpoint)
            } catch {
                throw MediaDownloadError(.externalStorage, subject: recording.sid, "media_external_location \(error.message).")
            }
        }
        return try await withThrowingTaskGroup(of: (String, MediaDownload).self) { group in
            var results: [String: MediaDownload] = [:]
            var pending = recordings[...]
            func startNext() {
                guard let recording = pending.popFirst() else { return }
                let path = path(of: recording, in: folder)
                let location = locations[recording.sid]
                group.addTask {
                    let download: MediaDownload
                    if let location, let bucket {
                        download = try await bucket.download(location, recording: recording, to: path)
                    } else {
                        download = try await client.download(.roomRecording(room: room, recording: recording.sid), to: path,
                                                             expectedBytes: recording.size, allowHTTP: allowHTTP,
                                                             flushToDisk: flushToDisk)
                    }
                    completed?(path, download.sha256)
                    return (recording.sid, download)
                }
            }
            for _ in 0..<parallel { startNext() }
            while let (sid, download) = try await group.next() {
                results[sid] = download
                startNext()
            }
            return results
        }
    }

    /// `folder/RT….mka` (the recording's container format as the extension).
    static func path(of recording: VideoRecording, in folder: String) -> String {
        let name = "\(recording.sid).\(recording.containerFormat ?? "mka")"
        return folder.hasSuffix("/") ? folder + name : folder + "/" + name
    }
}
