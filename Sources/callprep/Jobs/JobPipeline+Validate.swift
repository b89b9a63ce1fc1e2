import AudioPrep
import CallPrepJSON
import CallPrepJobs

extension JobPipeline {
    /// Checks what the job needs before any work: a Service, a place for the media (upload or
    /// media_url), and two tracks that are audio a merge can read (probed, not decoded whole).
    /// Outputs each track's facts; all failures here are permanent. A room or recording job has
    /// no tracks yet (its fetch step downloads them): its checks are the Service and the place
    /// for the media, and its outputs name the source.
    func validate(_ job: JobRecord) async throws -> JSONValue {
        let spec = job.spec
        guard spec.service ?? defaultService != nil else {
            throw JobStepFailure.permanent(
                "no_service", "job \"\(spec.id)\" names no Intelligence Service; add \"service\": \"GA…\" to the job, or run with --service GA…")
        }
        guard spec.upload != nil || spec.mediaURL != nil else {
            throw JobStepFailure.permanent(
                "no_media_location", "job \"\(spec.id)\" has neither \"upload\" nor \"media_url\": Intelligence needs a URL to fetch the merged file from")
        }
        let paths: [String]
        switch spec.source {
        case .tracks(let files): paths = files
        case .room(let sid): return .object(["source": .string("room"), "room_sid": .string(sid)])
        case .recording(let sid): return .object(["source": .string("recording"), "recording_sid": .string(sid)])
        }
        let tracks: [JSONValue] = try await BlockingWork.run {
            try paths.enumerated().map { (index: Int, path: String) throws -> JSONValue in
                let info = try AudioProbe.probe(path: path)
                guard info.sampleRate >= MediaValidator.minSampleRate else {
                    throw AudioPrepError(
                        .outOfLimits, path: path,
                        "is sampled at \(info.sampleRate) Hz; Intelligence needs at least \(MediaValidator.minSampleRate) Hz")
                }
                return .object([
                    "channel": .int(Int64(index + 1)), "path": .string(path), "size_bytes": .int(info.sizeBytes),
                    "container": .string(info.container.rawValue), "codec": .string(info.codec),
                    "sample_rate": .int(Int64(info.sampleRate)), "channels": .int(Int64(info.channels)),
                    "frames": .int(info.frames),
                ])
            }
        }
        return .object(["tracks": .array(tracks)])
    }

    /// The tracks still have the sizes they had when validated.
    func verifyTracks(_ outputs: JSONValue) throws -> Bool {
        guard case .array(let tracks)? = outputs["tracks"], !tracks.isEmpty else { return false }
        for track in tracks {
            guard (try? FileDigest.size(path: try Self.text(track, "path"))) == (try Self.integer(track, "size_bytes")) else { return false }
        }
        return true
    }
}
