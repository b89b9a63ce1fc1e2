import TwilioIntelligence

/// A Twilio callback's `application/x-www-form-urlencoded` body as its name–value pairs, in
/// order (TwilioIntelligence's ``FormEncoding``). A body that does not decode (a broken `%XX`,
/// bytes that are not UTF-8) has no pairs: its signature cannot match, so it is refused.
enum FormBody {
    static func pairs(_ bytes: [UInt8]) -> [(String, String)] {
        FormEncoding.decode(String(decoding: bytes, as: UTF8.self)) ?? []
    }

    /// The first value of `name` in `pairs`.
    static func value(_ name: String, in pairs: [(String, String)]) -> String? {
        pairs.first { $0.0 == name }?.1
    }
}
