import Foundation

/// Video v1 as the server plays it: Rooms, their Participants (with Twilio's Status filter,
/// `connected` by default), Recordings (paged), Compositions, and `…/Media` endpoints that
/// answer 302 with `Location` and a JSON `redirect_to` naming a signed URL on the media host.
extension ServerState {
    /// `/v1/…` routes (lock held).
    func routeVideo(_ call: Call) -> ServerResponse {
        let parts = call.parts
        guard call.method == "GET" else { return error(405, 20004, "Method not allowed") }
        switch (parts.count, parts.dropFirst().first) {
        case (3, "Rooms"):
            guard let room = videoRooms[parts[2]] else { return notFound(call) }
            return json(200, room)
        case (4, "Rooms") where parts[3] == "Recordings":
            guard videoRooms[parts[2]] != nil else { return notFound(call) }
            if let refusal = checkNames(call.query, allowed: ["Status", "SourceSid", "MediaType", "DateCreatedAfter", "DateCreatedBefore", "PageSize", "Page", "PageToken"]) { return refusal }
            let records = videoRecordings.filter { ($0["grouping_sids"] as? [String: Any])?["room_sid"] as? String == parts[2] }
            return page(records, key: "recordings", call: call, maxPageSize: 1000, filters: [])
        case (4, "Rooms") where parts[3] == "Participants":
            guard videoRooms[parts[2]] != nil else { return notFound(call) }
            if let refusal = checkNames(call.query, allowed: ["Status", "Identity", "DateCreatedAfter", "DateCreatedBefore", "PageSize", "Page", "PageToken"]) { return refusal }
            // Twilio's default filter: connected participants only.
            let status = call.queryValue("Status") ?? "connected"
            guard ["connected", "disconnected", "reconnecting"].contains(status) else {
                return error(400, 20001, "Invalid Status: \(status)")
            }
            let records = (videoParticipants[parts[2]] ?? []).filter { $0["status"] as? String == status }
            return page(records, key: "participants", call: call, maxPageSize: 1000, filters: [("Status", status)])
        case (5, "Rooms") where parts[3] == "Recordings":
            guard let record = videoRecordings.first(where: { $0["sid"] as? String == parts[4] }) else { return notFound(call) }
            return json(200, record)
        case (6, "Rooms") where parts[3] == "Recordings" && parts[5] == "Media":
            guard videoRecordings.contains(where: { $0["sid"] as? String == parts[4] && ($0["grouping_sids"] as? [String: Any])?["room_sid"] as? String == parts[2] }) else {
                return notFound(call)
            }
            return mediaRedirect(key: parts[4], call: call)
        case (3, "Recordings"):
            guard let record = videoRecordings.first(where: { $0["sid"] as? String == parts[2] }) else { return notFound(call) }
            return json(200, record)
        case (4, "Recordings") where parts[3] == "Media":
            guard videoRecordings.contains(where: { $0["sid"] as? String == parts[2] }) else { return notFound(call) }
            return mediaRedirect(key: parts[2], call: call)
        case (3, "Compositions"):
            guard let record = compositions[parts[2]] else { return notFound(call) }
            return json(200, record)
        case (4, "Compositions") where parts[3] == "Media":
            guard compositions[parts[2]] != nil else { return notFound(call) }
            return mediaRedirect(key: parts[2], call: call)
        default:
            return notFound(call)
        }
    }

    func notFound(_ call: Call) -> ServerResponse {
        error(404, 20404, "The requested resource \(call.request.path) was not found")
    }

    /// Twilio's Media answer: 302, `Location` and `{"redirect_to": …}` naming a signed URL on
    /// the media host that expires after `signedURLLifetime` (or at once, when the test asked).
    func mediaRedirect(key: String, call: Call) -> ServerResponse {
        if let refusal = checkNames(call.query, allowed: ["Ttl", "RequestedChannels"]) { return refusal }
        guard mediaFiles[key] != nil else {
            return error(404, 20404, "The media of \(key) is not available (still processing?)")
        }
        let url = signedURL(for: key)
        var response = json(302, ["redirect_to": url])
        response.headers.append(("Location", url))
        return response
    }

    /// A new signed URL for the media stored under `key`.
    func signedURL(for key: String) -> String {
        sidCounter += 1
        let token = String(format: "%016x", sidCounter)
        var expires = Date().addingTimeInterval(signedURLLifetime)
        if expireNextSignedURLs > 0 {
            expireNextSignedURLs -= 1
            expires = Date().addingTimeInterval(-1)
        }
        signedURLs[token] = (key: key, expires: expires)
        let expiresText = String(Int64(expires.timeIntervalSince1970))
        let name = key.split(separator: "/").first.map(String.init) ?? key
        return mediaHostURL + "/signed/\(token)/\(name)?Expires=\(expiresText)&Signature=sig\(token)"
    }

    // MARK: - Fixture setup

    /// Adds a room; `status` is `in-progress` or `completed`.
    func addVideoRoom(sid: String, uniqueName: String, status: String = "completed") {
        withLock {
            videoRooms[sid] = [
                "sid": sid, "account_sid": accountSID, "unique_name": uniqueName, "status": status, "type": "group",
                "date_created": "2026-12-01T10:00:00Z", "end_time": status == "completed" ? "2026-12-01T10:30:00Z" : NSNull(),
                "duration": status == "completed" ? 1800 : NSNull(), "url": baseURL + "/v1/Rooms/" + sid,
            ]
        }
    }

    /// Adds a participant of `room`; `status` `connected` or `disconnected`.
    func addVideoParticipant(room: String, sid: String, identity: String, startTime: String, status: String = "disconnected") {
        withLock {
            videoParticipants[room, default: []].append([
                "sid": sid, "room_sid": room, "account_sid": accountSID, "identity": identity, "status": status,
                "start_time": startTime, "end_time": status == "disconnected" ? "2026-12-01T10:30:00Z" : NSNull(),
                "duration": status == "disconnected" ? 1700 : NSNull(), "url": baseURL + "/v1/Rooms/\(room)/Participants/\(sid)",
            ])
        }
    }

    /// Adds a track recording of `participant` in `room` whose media is `media` (nil: no
    /// media yet). `size` defaults to the media's byte count.
    func addVideoRecording(room: String, participant: String, sid: String, type: String = "audio", codec: String = "OPUS",
                           media: [UInt8]?, status: String = "completed", offset: Int64 = 3_600_000, size: Int64? = nil,
                           externalLocation: String? = nil) {
        withLock {
            let sizeValue: Any = size ?? media.map { Int64($0.count) } ?? NSNull()
            let external: Any = externalLocation ?? NSNull()
            let grouping: [String: Any] = ["room_sid": room, "participant_sid": participant]
            let links: [String: Any] = ["media": baseURL + "/v1/Recordings/\(sid)/Media"]
            var record: [String: Any] = ["sid": sid, "account_sid": accountSID, "status": status, "type": type, "codec": codec]
            record["container_format"] = type == "audio" ? "mka" : "mkv"
            record["size"] = sizeValue
            record["duration"] = 3
            record["offset"] = offset
            record["track_name"] = "\(type)-\(participant.suffix(4))"
            record["source_sid"] = "MT" + String(sid.dropFirst(2))
            record["grouping_sids"] = grouping
            record["room_sid"] = room
            record["media_external_location"] = external
            record["date_created"] = "2026-12-01T10:00:05Z"
            record["url"] = baseURL + "/v1/Recordings/" + sid
            record["links"] = links
            videoRecordings.append(record)
            if let media { mediaFiles[sid] = media }
        }
    }

    /// Adds a composition with its media.
    func addComposition(sid: String, room: String, format: String, media: [UInt8], status: String = "completed") {
        withLock {
            compositions[sid] = [
                "sid": sid, "account_sid": accountSID, "status": status, "room_sid": room, "format": format,
                "size": media.count, "duration": 3, "audio_sources": ["*"], "trim": false, "media_external_location": NSNull(),
                "url": baseURL + "/v1/Compositions/" + sid,
            ]
            mediaFiles[sid] = media
        }
    }
}
