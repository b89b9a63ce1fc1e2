/// One `--participant` value, as `merge` and `submit` both take it:
/// `CHANNEL:key=value,key=value`, e.g. `1:role=Agent,full_name=Alice Agent,user_id=a-42`.
///
/// - CHANNEL is 1 or 2, or (for `merge --recordings`) a Twilio Video participant SID `PA…`.
/// - Keys are the JSON keys of `Channel.participants`: role, full_name, user_id, email,
///   media_participant_id, image_url; each at most once.
/// - A value runs to the next comma, spaces around it trimmed. A comma (or backslash) inside a
///   value is written `\,` (`\\`), or the whole value is put in double quotes:
///   `full_name=Smith\, John` and `full_name="Smith, John"` are the same; inside quotes `\"`
///   is a quote. A `"` that does not open the value is an ordinary character.
public struct ParticipantOption: Sendable, Hashable {
    /// Which channel the fields are for.
    public enum Target: Sendable, Hashable {
        /// Channel 1 or 2.
        case channel(Int)
        /// A Twilio Video participant (`PA` + 32 hex digits), placed on a channel later.
        case participantSID(String)
    }

    public var target: Target
    /// The fields given. `channelParticipant` is the channel for `.channel`, 0 for
    /// `.participantSID` until the caller knows the channel.
    public var participant: ChannelParticipant

    /// Fields for a target given as values (a job's participants, already checked).
    public init(target: Target, participant: ChannelParticipant) {
        self.target = target
        self.participant = participant
    }

    /// Parses one `--participant` value.
    public init(parsing text: String) throws(ChannelMapError) {
        let colon = text.firstIndex(of: ":") ?? text.endIndex
        let head = text[..<colon].trimmingSpaces()
        if let channel = Int(head), channel == 1 || channel == 2 {
            target = .channel(channel)
        } else if Self.isParticipantSID(head) {
            target = .participantSID(head)
        } else {
            throw ChannelMapError(
                .invalidParticipant, subject: "--participant",
                "expected CHANNEL:key=value,… with channel 1 or 2, e.g. '1:role=Agent,full_name=Alice'; got '\(text)'.")
        }
        if case .channel(let channel) = target {
            participant = ChannelParticipant(channelParticipant: channel)
        } else {
            participant = ChannelParticipant(channelParticipant: 0)
        }
        if colon < text.endIndex {
            try Self.parseFields(Array(text[text.index(after: colon)...]), into: &participant)
        }
    }

    /// Parses every `--participant` value, refusing a channel or participant given twice and
    /// more than two participants.
    public static func parseAll(_ values: [String]) throws(ChannelMapError) -> [ParticipantOption] {
        var options: [ParticipantOption] = []
        for value in values {
            let option = try ParticipantOption(parsing: value)
            if options.contains(where: { $0.target == option.target }) {
                throw ChannelMapError(
                    .invalidParticipant, subject: "--participant",
                    "\(option.targetText) is given twice; put all its fields in one --participant.")
            }
            options.append(option)
        }
        if options.count > 2 {
            throw ChannelMapError(
                .invalidParticipant, subject: "--participant",
                "\(options.count) participants given; a dual-channel call has two (channel 1 and channel 2).")
        }
        return options
    }

    /// Parses `--participant` values that must name channels (not participant SIDs): the
    /// channel map as given.
    public static func channelParticipants(_ values: [String]) throws(ChannelMapError) -> [ChannelParticipant] {
        var result: [ChannelParticipant] = []
        for option in try parseAll(values) {
            guard case .channel = option.target else {
                throw ChannelMapError(
                    .invalidParticipant, subject: "--participant",
                    "\(option.targetText) is a participant SID; only `merge --recordings` places participants by SID. Use the channel number 1 or 2.")
            }
            result.append(option.participant)
        }
        return result
    }

    /// The target as written: `1`, `2` or the `PA…` SID.
    public var targetText: String {
        switch target {
        case .channel(let channel): String(channel)
        case .participantSID(let sid): sid
        }
    }

    static func isParticipantSID(_ text: String) -> Bool {
        text.hasPrefix("PA") && text.utf8.count == 34 && text.utf8.dropFirst(2).allSatisfy { byte in
            (0x30...0x39).contains(byte) || (0x41...0x46).contains(byte) || (0x61...0x66).contains(byte)
        }
    }

    private static func parseFields(_ chars: [Character], into participant: inout ChannelParticipant) throws(ChannelMapError) {
        func failure(_ message: String) -> ChannelMapError {
            ChannelMapError(.invalidParticipant, subject: "--participant", message)
        }
        var seen: Set<String> = []
        var index = 0
        while index < chars.count {
            var key = ""
            while index < chars.count, chars[index] != "=", chars[index] != "," {
                key.append(chars[index])
                index += 1
            }
            key = key.trimmingSpaces()
            if index == chars.count || chars[index] == "," {
                guard key.isEmpty else { throw failure("field '\(key)' has no '='. Write key=value, e.g. role=Agent.") }
                index += 1  // an empty piece, e.g. a trailing comma
                continue
            }
            guard ChannelParticipant.fieldKeys.contains(key) else {
                throw failure("unknown field '\(key)'. Use \(ChannelParticipant.fieldKeys.joined(separator: ", ")).")
            }
            guard seen.insert(key).inserted else { throw failure("field '\(key)' is given twice.") }
            index += 1  // the '='
            while index < chars.count, chars[index] == " " { index += 1 }
            var value = ""
            if index < chars.count, chars[index] == "\"" {
                index += 1
                var closed = false
                while index < chars.count {
                    let char = chars[index]
                    if char == "\\", index + 1 < chars.count {
                        value.append(chars[index + 1])
                        index += 2
                    } else if char == "\"" {
                        closed = true
                        index += 1
                        break
                    } else {
                        value.append(char)
                        index += 1
                    }
                }
                guard closed else { throw failure("the quoted value of '\(key)' has no closing '\"'.") }
                while index < chars.count, chars[index] == " " { index += 1 }
                guard index == chars.count || chars[index] == "," else {
                    throw failure("text after the closing quote of '\(key)'; put the whole value in the quotes.")
                }
            } else {
                var trailingSpaces = 0
                while index < chars.count, chars[index] != "," {
                    if chars[index] == "\\" {
                        guard index + 1 < chars.count else {
                            throw failure("the value of '\(key)' ends in a lone '\\'; write '\\\\' for a backslash.")
                        }
                        value.append(chars[index + 1])
                        trailingSpaces = 0
                        index += 2
                    } else {
                        value.append(chars[index])
                        trailingSpaces = chars[index] == " " ? trailingSpaces + 1 : 0
                        index += 1
                    }
                }
                value.removeLast(trailingSpaces)
            }
            index += 1  // the ','
            guard !value.isEmpty else { throw failure("field '\(key)' has an empty value; leave the field out instead.") }
            _ = participant.setField(key, to: value)
        }
    }
}

extension StringProtocol {
    /// The text without leading and trailing spaces.
    fileprivate func trimmingSpaces() -> String {
        var view = self[...]
        while view.first == " " { view = view.dropFirst() }
        while view.last == " " { view = view.dropLast() }
        return String(view)
    }
}
