/// A signed callback whose body `serve` cannot read (no event, a malformed SID): answered 400,
/// nothing changed. The message names what is missing, never a value from the body.
struct UnreadableCallback: Error, Sendable {
    let message: String
}
