/// A response code of docs/protocol.md section 1: 0 for success, otherwise five digits
/// whose first three are the HTTP status of the response.
public struct ErrorCode: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The number sent as `code`.
    public let rawValue: Int

    /// The code with this number, if the protocol defines it.
    public init?(rawValue: Int) {
        guard let known = Self.all.first(where: { $0.rawValue == rawValue }) else { return nil }
        self = known
    }

    private init(_ rawValue: Int, _ meaning: String) {
        self.rawValue = rawValue
        self.meaning = meaning
    }

    /// When the protocol answers this code, in the words of its table.
    public let meaning: String

    /// The HTTP status that carries this code: `code / 100`, and 200 for success.
    public var httpStatus: Int { rawValue == 0 ? 200 : rawValue / 100 }

    /// The number.
    public var description: String { String(rawValue) }

    /// Success.
    public static let ok = ErrorCode(0, "success")
    /// Body is not valid JSON, or not a JSON object.
    public static let invalidJSON = ErrorCode(40001, "body is not valid JSON, or not a JSON object")
    /// A required field is missing.
    public static let missingField = ErrorCode(40002, "a required field is missing")
    /// A field has the wrong type, length or format.
    public static let invalidField = ErrorCode(40003, "a field has the wrong type, length or format")
    /// A required header is missing or malformed.
    public static let invalidHeader = ErrorCode(40004, "a required header is missing or malformed")
    /// Unsupported `did_type`.
    public static let unsupportedDidType = ErrorCode(40005, "unsupported did_type")
    /// Unsupported `action`.
    public static let unsupportedAction = ErrorCode(40006, "unsupported action")
    /// Cannot follow yourself.
    public static let followSelf = ErrorCode(40007, "cannot follow yourself")
    /// `sign_content` does not match the request.
    public static let signContentMismatch = ErrorCode(40101, "sign_content does not match the request")
    /// The `Nonce:` line is not sha3_224 of the request fields.
    public static let nonceMismatch = ErrorCode(40102, "the Nonce line is not sha3_224 of the request fields")
    /// A signature is malformed (length, `v`, high `s`, bad base64).
    public static let malformedSignature = ErrorCode(40103, "a signature is malformed")
    /// `did_signature` does not recover to the did address.
    public static let didSignatureMismatch = ErrorCode(40104, "did_signature does not recover to the did address")
    /// An ed25519 signature does not verify.
    public static let ed25519SignatureInvalid = ErrorCode(40105, "an ed25519 signature does not verify")
    /// `timestamp` is outside the accepted window.
    public static let timestampOutOfWindow = ErrorCode(40106, "timestamp is outside the accepted window")
    /// A request, main or session key is not a valid ed25519 public key.
    public static let invalidPublicKey = ErrorCode(40301, "not a valid ed25519 public key")
    /// The request key is not bound to this user, or its session expired.
    public static let keyNotBound = ErrorCode(40302, "the request key is not bound to this user, or its session expired")
    /// The did does not own this `userid`.
    public static let didNotOwner = ErrorCode(40303, "the did does not own this userid")
    /// Admin token missing or wrong.
    public static let adminTokenInvalid = ErrorCode(40304, "admin token missing or wrong")
    /// `userid` is not registered.
    public static let userNotRegistered = ErrorCode(40401, "userid is not registered")
    /// `target_userid` is not registered.
    public static let targetNotRegistered = ErrorCode(40402, "target_userid is not registered")
    /// A newer follow/cancel for this pair was already applied.
    public static let stale = ErrorCode(40901, "a newer follow or cancel for this pair was already applied")
    /// `userid` or did already registered to another.
    public static let alreadyRegistered = ErrorCode(40902, "userid or did is already registered to another")
    /// Body larger than the limit.
    public static let bodyTooLarge = ErrorCode(41301, "body larger than the limit")
    /// Rate limit for this user exceeded.
    public static let rateLimited = ErrorCode(42901, "rate limit for this user exceeded")
    /// Following limit for this user reached.
    public static let followingLimit = ErrorCode(42902, "following limit for this user reached")
    /// Internal error (details in the server log only).
    public static let internalError = ErrorCode(50001, "internal error")
    /// Shutting down or storage unavailable.
    public static let unavailable = ErrorCode(50301, "shutting down or storage unavailable")

    /// Every code of the table, success first, in the table's order.
    public static let all: [ErrorCode] = [
        .ok, .invalidJSON, .missingField, .invalidField, .invalidHeader, .unsupportedDidType, .unsupportedAction,
        .followSelf, .signContentMismatch, .nonceMismatch, .malformedSignature, .didSignatureMismatch,
        .ed25519SignatureInvalid, .timestampOutOfWindow, .invalidPublicKey, .keyNotBound, .didNotOwner,
        .adminTokenInvalid, .userNotRegistered, .targetNotRegistered, .stale, .alreadyRegistered, .bodyTooLarge,
        .rateLimited, .followingLimit, .internalError, .unavailable,
    ]

    /// Equal when the numbers are.
    public static func == (lhs: ErrorCode, rhs: ErrorCode) -> Bool { lhs.rawValue == rhs.rawValue }

    /// Hashes the number.
    public func hash(into hasher: inout Hasher) { hasher.combine(rawValue) }
}
