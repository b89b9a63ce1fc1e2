import Foundation

extension ServerState {
    /// `/v2/Transcripts…` routes (lock held).
    func routeTranscripts(_ call: Call) -> ServerResponse {
        let parts = call.parts
        switch (call.method, parts.count) {
        case ("POST", 2): return createTranscript(call)
        case ("GET", 2): return listTranscripts(call)
        case (_, 3...):
            guard ServerPatterns.sid(parts[2], prefix: "GT") else { return error(400, 20001, "Invalid Sid: \(parts[2])") }
            guard let index = transcripts.firstIndex(where: { $0["sid"] as? String == parts[2] }) else {
                return error(404, 20404, "The requested resource /v2/Transcripts/\(parts[2]) was not found")
            }
            return transcriptSubresource(call, index: index)
        default:
            return error(405, 20004, "Method not allowed")
        }
    }

    private func createTranscript(_ call: Call) -> ServerResponse {
        if let refusal = checkNames(call.form, allowed: ["ServiceSid", "Channel", "CustomerKey", "MediaStartTime"]) { return refusal }
        guard let serviceSID = call.formValue("ServiceSid") else { return error(400, 20001, "Missing required parameter ServiceSid in the post body") }
        guard ServerPatterns.sid(serviceSID, prefix: "GA") else { return error(400, 20001, "Invalid ServiceSid") }
        guard services.contains(where: { $0["sid"] as? String == serviceSID }) else {
            return error(404, 20404, "The requested resource /v2/Services/\(serviceSID) was not found")
        }
        guard let channelText = call.formValue("Channel") else { return error(400, 20001, "Missing required parameter Channel in the post body") }
        let channel: [String: Any]
        switch Self.checkChannel(channelText) {
        case .success(let value): channel = value
        case .failure(let message): return error(400, 20001, "Invalid Channel: \(message.text)")
        }
        let customerKey = call.formValue("CustomerKey")
        if let customerKey, customerKey.count > 64 { return error(400, 20001, "CustomerKey must be at most 64 characters") }
        var mediaStart: Any = NSNull()
        if let start = call.formValue("MediaStartTime") {
            guard let date = ServerPatterns.dateTime(start) else { return error(400, 20001, "MediaStartTime must be an ISO 8601 date-time") }
            mediaStart = ServerPatterns.format(date)
        }
        let sid = nextSID("GT")
        let now = Date()
        let url = baseURL + "/v2/Transcripts/" + sid
        let record: [String: Any] = [
            "sid": sid, "account_sid": accountSID, "service_sid": serviceSID, "status": "queued",
            "channel": channel, "data_logging": false, "language_code": "en-US",
            "customer_key": customerKey ?? NSNull(), "media_start_time": mediaStart, "duration": 0,
            "url": url, "redaction": true, "encryption_credential_sid": NSNull(),
            "date_created": ServerPatterns.format(now), "date_updated": ServerPatterns.format(now),
            "links": ["sentences": url + "/Sentences", "media": url + "/Media", "operator_results": url + "/OperatorResults",
                      "encrypted_sentences": url + "/Sentences/Encrypted", "encrypted_operator_results": url + "/OperatorResults/Encrypted"],
        ]
        transcripts.append(record)
        transcriptCreatedAt[sid] = now
        return json(202, record)
    }

    struct ChannelError: Error { var text: String }

    /// The API's Channel rules: an object with `media_properties` holding exactly one of
    /// `media_url` (http/https) or `source_sid` (`RE…`); optional `participants`: at most 2
    /// objects with known keys, `channel_participant` 1 or 2, unique.
    static func checkChannel(_ text: String) -> Result<[String: Any], ChannelError> {
        guard let object = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] else {
            return .failure(ChannelError(text: "not a JSON object"))
        }
        if let extra = Set(object.keys).subtracting(["media_properties", "participants"]).first {
            return .failure(ChannelError(text: "unknown key \(extra)"))
        }
        guard let media = object["media_properties"] as? [String: Any] else { return .failure(ChannelError(text: "media_properties is required")) }
        if let extra = Set(media.keys).subtracting(["media_url", "source_sid"]).first {
            return .failure(ChannelError(text: "unknown media_properties key \(extra)"))
        }
        switch (media["media_url"], media["source_sid"]) {
        case (let url as String, nil):
            guard let components = URLComponents(string: url), ["http", "https"].contains(components.scheme ?? ""), components.host != nil else {
                return .failure(ChannelError(text: "media_url must be an http(s) URL"))
            }
        case (nil, let sid as String):
            guard ServerPatterns.sid(sid, prefix: "RE") else { return .failure(ChannelError(text: "source_sid must match ^RE[0-9a-fA-F]{32}$")) }
        default:
            return .failure(ChannelError(text: "media_properties needs exactly one of media_url or source_sid (strings)"))
        }
        if let participants = object["participants"] {
            guard let list = participants as? [[String: Any]] else { return .failure(ChannelError(text: "participants must be an array of objects")) }
            guard list.count <= 2 else { return .failure(ChannelError(text: "at most 2 participants")) }
            let allowed: Set<String> = ["channel_participant", "user_id", "media_participant_id", "email", "full_name", "image_url", "role"]
            for participant in list {
                if let extra = Set(participant.keys).subtracting(allowed).first { return .failure(ChannelError(text: "unknown participant key \(extra)")) }
            }
            struct Typed: Decodable {
                var channel_participant: Int
                var user_id, media_participant_id, email, full_name, image_url, role: String?
            }
            let raw = (try? JSONSerialization.data(withJSONObject: list)) ?? Data()
            guard let typed = try? JSONDecoder().decode([Typed].self, from: raw) else {
                return .failure(ChannelError(text: "channel_participant must be the integer 1 or 2 and other participant fields strings"))
            }
            var seen = Set<Int>()
            for participant in typed {
                guard [1, 2].contains(participant.channel_participant) else {
                    return .failure(ChannelError(text: "channel_participant must be 1 or 2"))
                }
                guard seen.insert(participant.channel_participant).inserted else {
                    return .failure(ChannelError(text: "channel_participant \(participant.channel_participant) repeated"))
                }
            }
        }
        return .success(object)
    }

    private func listTranscripts(_ call: Call) -> ServerResponse {
        let filterNames = ["ServiceSid", "BeforeStartTime", "AfterStartTime", "BeforeDateCreated", "AfterDateCreated", "Status", "LanguageCode", "SourceSid"]
        if let refusal = checkNames(call.query, allowed: Set(filterNames + ["PageSize", "Page", "PageToken"])) { return refusal }
        if let service = call.queryValue("ServiceSid"), !ServerPatterns.sid(service, prefix: "GA") { return error(400, 20001, "Invalid ServiceSid") }
        var dates: [String: Date] = [:]
        for name in ["BeforeStartTime", "AfterStartTime", "BeforeDateCreated", "AfterDateCreated"] {
            if let text = call.queryValue(name) {
                guard let date = ServerPatterns.dateTime(text) else { return error(400, 20001, "\(name) must be an ISO 8601 date-time") }
                dates[name] = date
            }
        }
        let matching = transcripts.reversed().filter { record in
            let sid = record["sid"] as? String ?? ""
            let created = transcriptCreatedAt[sid] ?? .distantPast
            if let service = call.queryValue("ServiceSid"), record["service_sid"] as? String != service { return false }
            if let status = call.queryValue("Status"), record["status"] as? String != status { return false }
            if let after = dates["AfterDateCreated"], created < after { return false }
            if let before = dates["BeforeDateCreated"], created > before { return false }
            if let source = call.queryValue("SourceSid") {
                let media = (record["channel"] as? [String: Any])?["media_properties"] as? [String: Any]
                if media?["source_sid"] as? String != source { return false }
            }
            if let language = call.queryValue("LanguageCode"), record["language_code"] as? String != language { return false }
            return true
        }
        let filters = call.query.filter { filterNames.contains($0.0) }
        return page(Array(matching), key: "transcripts", call: call, maxPageSize: 1000, filters: filters)
    }

    private func transcriptSubresource(_ call: Call, index: Int) -> ServerResponse {
        let parts = call.parts
        let sid = parts[2]
        switch (call.method, parts.count > 3 ? parts[3] : nil, parts.count) {
        case ("GET", nil, 3):
            if let refusal = checkNames(call.query, allowed: []) { return refusal }
            advance(index: index)
            return json(200, transcripts[index])
        case ("DELETE", nil, 3):
            transcripts.remove(at: index)
            return ServerResponse(status: 204, headers: commonHeaders())
        case ("GET", "Sentences", 4):
            if let refusal = checkNames(call.query, allowed: ["Redacted", "WordTimestamps", "PageSize", "Page", "PageToken"]) { return refusal }
            if let refusal = checkBool(call.queryValue("Redacted"), "Redacted") ?? checkBool(call.queryValue("WordTimestamps"), "WordTimestamps") { return refusal }
            let words = call.queryValue("WordTimestamps") == "true"
            let filters = call.query.filter { ["Redacted", "WordTimestamps"].contains($0.0) }
            return page(sentences(for: index, words: words), key: "sentences", call: call, maxPageSize: 5000, filters: filters)
        case ("GET", "Sentences", 5) where parts[4] == "Encrypted":
            if let refusal = checkNames(call.query, allowed: ["Redacted"]) { return refusal }
            return json(200, ["location": "https://storage.example/\(sid)/sentences.enc", "transcript_sid": sid, "url": baseURL + call.request.path])
        case ("GET", "Media", 4):
            if let refusal = checkNames(call.query, allowed: ["Redacted"]) ?? checkBool(call.queryValue("Redacted"), "Redacted") { return refusal }
            return json(200, ["media_url": "https://media.example/\(sid).flac?sig=temporary", "service_sid": transcripts[index]["service_sid"] ?? NSNull(),
                              "sid": sid, "account_sid": accountSID, "url": baseURL + call.request.path])
        case ("GET", "OperatorResults", 4):
            if let refusal = checkNames(call.query, allowed: ["Redacted", "PageSize", "Page", "PageToken"]) { return refusal }
            return page(operatorResults(sid), key: "operator_results", call: call, maxPageSize: 1000,
                        filters: call.query.filter { $0.0 == "Redacted" })
        case ("GET", "OperatorResults", 5) where parts[4] == "Encrypted":
            return json(200, ["locations": ["https://storage.example/\(sid)/results.enc"], "transcript_sid": sid, "url": baseURL + call.request.path])
        case ("GET", "OperatorResults", 5):
            guard ServerPatterns.sid(parts[4], prefix: "LY") else { return error(400, 20001, "Invalid OperatorSid") }
            guard let result = operatorResults(sid).first(where: { $0["operator_sid"] as? String == parts[4] }) else {
                return error(404, 20404, "No result for operator \(parts[4])")
            }
            return json(200, result)
        default:
            return error(404, 20404, "The requested resource \(call.request.path) was not found")
        }
    }

    /// Moves a transcript along queued → in-progress → final on each fetch.
    private func advance(index: Int) {
        let sid = transcripts[index]["sid"] as? String ?? ""
        let polls = (transcriptPolls[sid] ?? 0) + 1
        transcriptPolls[sid] = polls
        let status = polls >= pollsToComplete ? finalStatus : (polls >= 1 ? "in-progress" : "queued")
        transcripts[index]["status"] = status
        if status == "completed" { transcripts[index]["duration"] = sentencesPerTranscript * 3 }
    }

    private func sentences(for index: Int, words: Bool) -> [[String: Any]] {
        guard transcripts[index]["status"] as? String == "completed" else { return [] }
        return (0..<sentencesPerTranscript).map { number in
            let channel = number % 2 + 1
            let start = Double(number) * 2.5 + 0.5
            var sentence: [String: Any] = [
                "media_channel": channel, "sentence_index": number, "start_time": String(start), "end_time": String(start + 2),
                "transcript": "Sentence \(number) on channel \(channel).", "sid": "GX" + String(format: "%032x", number + 1), "confidence": "0.93",
            ]
            if words {
                sentence["words"] = [["word": "Sentence", "start_time": String(start), "end_time": String(start + 0.5)]]
            }
            return sentence
        }
    }

    private func operatorResults(_ sid: String) -> [[String: Any]] {
        [[
            "operator_type": "conversation-classify", "name": "Sentiment", "operator_sid": Self.prebuiltOperatorSIDs[0],
            "predicted_label": "positive", "predicted_probability": 0.91, "label_probabilities": ["positive": 0.91, "negative": 0.09],
            "transcript_sid": sid, "url": baseURL + "/v2/Transcripts/\(sid)/OperatorResults/\(Self.prebuiltOperatorSIDs[0])",
        ]]
    }
}
