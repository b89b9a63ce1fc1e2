import NIOCore

/// A fault the test server injects into the next matching request(s).
enum ServerFault: Sendable {
    /// 429 with `Retry-After` (seconds) and Twilio code 20429, before acting.
    case tooManyRequests(retryAfter: String?)
    /// An error status before acting on the request.
    case errorBeforeActing(status: Int)
    /// Acts on the request (e.g. creates the transcript), then answers an error status.
    case errorAfterActing(status: Int)
    /// Acts, then answers only after `delay` (so the client times out first).
    case slowAfterActing(delay: TimeAmount)
    /// Closes the connection without acting.
    case dropBeforeActing
    /// Acts, then closes the connection without answering.
    case dropAfterActing
}

/// Which requests a fault applies to, and how many more times.
struct FaultRule: Sendable {
    var method: String
    var path: String
    var fault: ServerFault
    var remaining: Int
    /// Matching requests to let through untouched before the fault applies.
    var skip: Int = 0
}

/// How a list endpoint bends `meta.next_page_url`, to test that the client cannot be led
/// astray or kept paging forever.
enum PagingFault: Sendable {
    /// Every page names this URL as the next one (e.g. another host, or plain http).
    case nextPageURL(String)
    /// Pages after the records run out are empty but always name a new next page.
    case endlessEmptyPages
    /// Every page names itself as the next one.
    case sameNextPage
}
