import Foundation

/// Voice Recordings of the 2010-04-01 API: `Recordings/{RE}.json`, a paged
/// `Recordings.json` (`next_page_uri`, relative), and the media as `.wav`/`.mp3`, two
/// channels only with `RequestedChannels=2` (a dual-channel recording is otherwise mixed to
/// one, as Twilio does), served by a 302 to the media host.
extension ServerState {
    /// `/2010-04-01/Accounts/{AC}/…` routes (lock held).
    func routeVoice(_ call: Call) -> ServerResponse {
        let parts = call.parts
        guard call.method == "GET", parts.count >= 4, parts[1] == "Accounts", parts[3] == "Recordings" || parts[3] == "Recordings.json" else {
            return notFound(call)
        }
        guard parts[2] == accountSID else {
            return error(404, 20404, "The requested resource \(call.request.path) was not found")
        }
        if parts.count == 4, parts[3] == "Recordings.json" {
            if let refusal = checkNames(call.query, allowed: ["CallSid", "ConferenceSid", "DateCreated", "PageSize", "Page", "PageToken"]) { return refusal }
            let records = voiceRecordings.filter { call.queryValue("CallSid") == nil || $0["call_sid"] as? String == call.queryValue("CallSid") }
            return legacyPage(records, call: call)
        }
        guard parts.count == 5 else { return notFound(call) }
        let name = parts[4]
        let dot = name.lastIndex(of: ".") ?? name.endIndex
        let sid = String(name[..<dot]), suffix = String(name[dot...])
        guard let record = voiceRecordings.first(where: { $0["sid"] as? String == sid }) else { return notFound(call) }
        switch suffix {
        case ".json", "":
            return json(200, record)
        case ".wav", ".mp3":
            if let refusal = checkNames(call.query, allowed: ["RequestedChannels"]) { return refusal }
            let requested = call.queryValue("RequestedChannels") ?? "1"
            guard ["1", "2"].contains(requested) else { return error(400, 20001, "RequestedChannels must be 1 or 2") }
            let channels = min(Int(requested) ?? 1, record["channels"] as? Int ?? 1)
            let key = "\(sid)\(suffix)/\(channels)"
            guard mediaFiles[key] != nil else { return notFound(call) }
            let url = signedURL(for: key)
            var response = ServerResponse(status: 302, headers: commonHeaders().filter { $0.0 != "Content-Type" })
            response.headers.append(("Location", url))
            return response
        default:
            return notFound(call)
        }
    }

    /// A 2010-04-01 page: records under `recordings`, `next_page_uri` relative to the host.
    func legacyPage(_ records: [[String: Any]], call: Call) -> ServerResponse {
        guard let pageSize = Int(call.queryValue("PageSize") ?? "50"), (1...1000).contains(pageSize) else {
            return error(400, 20001, "PageSize must be between 1 and 1000")
        }
        let pageNumber = Int(call.queryValue("Page") ?? "0") ?? 0
        guard pageNumber >= 0, pageNumber < 10_000 else { return error(400, 20001, "Invalid Page") }
        let slice = Array(records.dropFirst(pageNumber * pageSize).prefix(pageSize))
        let path = "/" + call.parts.joined(separator: "/")
        func uri(_ page: Int) -> String { path + "?" + ServerForm.encode([("PageSize", String(pageSize)), ("Page", String(page))]) }
        let hasNext = (pageNumber + 1) * pageSize < records.count
        return json(200, [
            "recordings": slice, "page": pageNumber, "page_size": pageSize, "start": pageNumber * pageSize,
            "end": pageNumber * pageSize + max(slice.count - 1, 0), "uri": uri(pageNumber), "first_page_uri": uri(0),
            "previous_page_uri": pageNumber > 0 ? uri(pageNumber - 1) : NSNull(),
            "next_page_uri": hasNext ? uri(pageNumber + 1) : NSNull(),
        ])
    }

    /// Adds a Voice recording. `mono` and `dual` are the media per format (`wav`/`mp3`): what
    /// is served without and with `RequestedChannels=2`.
    func addVoiceRecording(sid: String, callSID: String, channels: Int, mono: [String: [UInt8]], dual: [String: [UInt8]]) {
        withLock {
            voiceRecordings.append([
                "sid": sid, "account_sid": accountSID, "call_sid": callSID, "conference_sid": NSNull(), "channels": channels,
                "duration": "4", "status": "completed", "source": "DialVerb", "start_time": "Tue, 01 Dec 2026 10:00:00 +0000",
                "price": NSNull(), "uri": "/2010-04-01/Accounts/\(accountSID)/Recordings/\(sid).json",
            ])
            for (format, bytes) in mono { mediaFiles["\(sid).\(format)/1"] = bytes }
            for (format, bytes) in dual { mediaFiles["\(sid).\(format)/2"] = bytes }
        }
    }
}
