import CallPrepJSON
import ChannelMap

extension JobSpec {
    /// The job as its jobs-file line: the keys ``JobSpecReader`` reads, in the documented order,
    /// unset ones left out. `JobSpecReader.parse(json.serialized(.compact))` gives this job back;
    /// the store keeps jobs in this form.
    public var json: JSONValue {
        var members: [JSONValue.Member] = [JSONValue.Member("id", .string(id.rawValue))]
        switch source {
        case .tracks(let paths): members.append(.init("tracks", .array(paths.map(JSONValue.string))))
        case .room(let sid): members.append(.init("room", .string(sid)))
        case .recording(let sid): members.append(.init("recording", .string(sid)))
        }
        if !participants.isEmpty {
            members.append(.init("participants", .array(participants.map(Self.participantJSON))))
        }
        if !channels.isEmpty {
            members.append(.init("channels", .object(channels.keys.sorted().map { channel in
                JSONValue.Member(String(channel), .array((channels[channel] ?? []).map(JSONValue.string)))
            })))
        }
        var merge: [JSONValue.Member] = []
        switch self.merge.sampleRate {
        case .hertz(let hertz): merge.append(.init("sample_rate", .int(Int64(hertz))))
        case .source: merge.append(.init("sample_rate", .string("source")))
        case nil: break
        }
        if let align = self.merge.align { merge.append(.init("align", .string(align.rawValue))) }
        if !merge.isEmpty { members.append(.init("merge", .object(merge))) }
        if let service { members.append(.init("service", .string(service))) }
        if let upload { members.append(.init("upload", .string(upload))) }
        if let mediaURL { members.append(.init("media_url", .string(mediaURL))) }
        if let mediaStartTime { members.append(.init("media_start_time", .string(mediaStartTime))) }
        return .object(members)
    }

    private static func participantJSON(_ participant: ChannelParticipant) -> JSONValue {
        var members = [JSONValue.Member("channel", .int(Int64(participant.channelParticipant)))]
        for (key, value) in participant.fields {
            if let value { members.append(.init(key, .string(value))) }
        }
        return .object(members)
    }
}
