#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The fields of a Twilio error body that `TwilioAPIError` reads, from any of its shapes: classic
/// `{code, message, more_info, status}`, RFC 9457 `{title, detail, …}`, Insights
/// `{httpStatusCode, …}`. The server is not trusted to send the right types: a field that is
/// missing, null or of another type is nil, and the others are still read.
struct TwilioErrorBody: Decodable {
    var code: Int?
    var message: String?
    var detail: String?
    var title: String?
    var moreInfo: String?
    var status: Int?
    var httpStatusCode: Int?

    init() {}

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Key.self)
        code = Self.whole(container, .code)
        message = try? container.decodeIfPresent(String.self, forKey: .message)
        detail = try? container.decodeIfPresent(String.self, forKey: .detail)
        title = try? container.decodeIfPresent(String.self, forKey: .title)
        moreInfo = try? container.decodeIfPresent(String.self, forKey: .moreInfo)
        status = Self.whole(container, .status)
        httpStatusCode = Self.whole(container, .httpStatusCode)
    }

    /// A JSON number that is a whole number in `Int`'s range (`20404`, `20404.0`); nil otherwise.
    private static func whole(_ container: KeyedDecodingContainer<Key>, _ key: Key) -> Int? {
        guard let number = try? container.decodeIfPresent(Double.self, forKey: key),
              number.rounded(.towardZero) == number, abs(number) < 9.0e15
        else { return nil }
        return Int(number)
    }

    private enum Key: String, CodingKey {
        case code, message, detail, title, status, httpStatusCode
        case moreInfo = "more_info"
    }
}
