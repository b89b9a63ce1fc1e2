import TwilioIntelligence

/// The room's audio recordings downloaded in parallel, each to `RT….mka` in the folder.
enum RoomDownloads {
    /// At most this many downloads at once.
    static let parallel = 4

    /// Downloads `recordings` of `room` into `folder` (a complete file already there is reused)
    /// and returns each download by `RT…` SID. On a failure or cancellation the others stop and
    /// no partial file is left.
    static func fetch(_ recordings: [VideoRecording], room: String, into folder: String, client: RecordingsClient,
                      allowHTTP: Bool) async throws -> [String: MediaDownload] {
        for recording in recordings where recording.mediaExternalLocation != nil {
            throw MediaDownloadError(.externalStorage, subject: recording.sid, "is stored in the account's own storage (media_external_location), not on Twilio's media host; download it from that bucket and use `callprep merge --recordings`.")
        }
        return try await withThrowingTaskGroup(of: (String, MediaDownload).self) { group in
            var results: [String: MediaDownload] = [:]
            var pending = recordings[...]
            func startNext() {
                guard let recording = pending.popFirst() else { return }
                let path = path(of: recording, in: folder)
                group.addTask {
                    let download = try await client.download(.roomRecording(room: room, recording: recording.sid), to: path,
                                                             expectedBytes: recording.size, allowHTTP: allowHTTP)
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
