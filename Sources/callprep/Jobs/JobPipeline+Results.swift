import AudioPrep
import CallPrepJSON
import CallPrepJobs
import TwilioIntelligence

extension JobPipeline {
    /// The most sentences a results step reads (about 280 hours of talk at one sentence a second).
    static let maximumSentences = 1_000_000

    /// Writes `OUT/ID/transcript.json` (the job id, the transcript, the speakers by channel and
    /// every sentence with its speaker's name), `transcript.srt` and `transcript.txt` (one
    /// `[hh:mm:ss] Name: text` line per sentence), each atomically. Speaker names come from the
    /// transcript's participants, as `callprep transcripts sentences` prints them.
    func results(_ job: JobRecord, submitted: JSONValue) async throws -> JSONValue {
        let client = try intelligence.get()
        let sid = try Self.text(submitted, "transcript_sid")
        let transcript = try await client.transcript(sid)
        let sentences = try await client.sentences(of: sid, pageSize: 5000, limit: Self.maximumSentences).collect()
        let names = transcript.speakerNames
        let formatter = SentenceFormatter(speakerNames: names)
        let encoder = JSONValueEncoder(keyOrder: .sorted)
        var sentenceJSON: [JSONValue] = []
        sentenceJSON.reserveCapacity(sentences.count)
        for sentence in sentences {
            guard case .object(var members) = try encoder.encode(sentence) else { continue }
            members.insert(.init("speaker", .string(formatter.speaker(sentence.mediaChannel))), at: 0)
            sentenceJSON.append(.object(members))
        }
        let speakers = names.keys.sorted().map { channel in
            JSONValue.object(["channel": .int(Int64(channel)), "name": .string(names[channel] ?? "")])
        }
        let transcriptJSON = try encoder.encode(transcript)
        let document = JSONValue.object([
            "job_id": .string(job.id.rawValue), "transcript": transcriptJSON,
            "speakers": .array(speakers), "sentences": .array(sentenceJSON),
        ])
        let folder = folder(of: job)
        let files: [(String, String)] = [
            (folder + "/transcript.json", document.serialized() + "\n"),
            (folder + "/transcript.srt", formatter.render(sentences, as: .srt)),
            (folder + "/transcript.txt", formatter.render(sentences, as: .conversation)),
        ]
        let written: [JSONValue] = try await BlockingWork.run { () throws -> [JSONValue] in
            try files.map { (path: String, text: String) throws -> JSONValue in
                let file = try AtomicOutputFile(destination: path, overwrite: true)
                try file.write(Array(text.utf8))
                try file.commit()
                return try Self.fileJSON(path)
            }
        }
        return .object(["transcript_sid": .string(sid), "sentences": .int(Int64(sentences.count)), "files": .array(written)])
    }
}
