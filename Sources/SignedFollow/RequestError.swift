/// The one error type of the SignedFollow layer: a response code of docs/protocol.md section 1
/// and a constant message that names the failed check and the field, never internals.
///
/// Two errors are equal when their codes are, so tests match on the code.
public struct RequestError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The response code (and so the HTTP status).
    public let code: ErrorCode
    /// What failed, in words, naming the field or header.
    public let message: String
    /// For a 42901 or 50301: the seconds after which the request may succeed, sent as
    /// `Retry-After`.
    public let retryAfterSeconds: Int?

    /// An error with a code and a message, and for a refusal that passes with time, the
    /// seconds to wait.
    public init(_ code: ErrorCode, _ message: String, retryAfterSeconds: Int? = nil) {
        self.code = code
        self.message = message
        self.retryAfterSeconds = retryAfterSeconds
    }

    /// 40002 for the field `name`.
    public static func missingField(_ name: String) -> RequestError {
        RequestError(.missingField, "missing field \(name)")
    }

    /// Equal when the codes are.
    public static func == (lhs: RequestError, rhs: RequestError) -> Bool { lhs.code == rhs.code }

    /// Hashes the code only, consistent with `==`.
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }

    /// The code and the message.
    public var description: String { "\(code.rawValue) \(message)" }
}
