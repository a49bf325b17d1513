/// The one error type of the Crypto module.
///
/// `code` is stable and is what callers (and tests) match on; `reason` says in words
/// which check failed. Two errors are equal when their codes are, as in
/// swift-certificates, so `#expect(throws: CryptoError.highS)` reads naturally.
public struct CryptoError: Error, Hashable, Sendable, CustomStringConvertible {
    /// A stable identifier for the failed check.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// The identifier, stable across releases.
        public let rawValue: String

        private init(_ rawValue: String) { self.rawValue = rawValue }

        /// Text that is not hex: a bad character, an odd number of digits, a bad prefix.
        public static let invalidHex = Code("invalidHex")
        /// Text that is not canonical standard base64.
        public static let invalidBase64 = Code("invalidBase64")
        /// Bytes or digits of the wrong count for the value.
        public static let invalidLength = Code("invalidLength")
        /// A mixed-case Ethereum address whose EIP-55 checksum does not match.
        public static let invalidChecksum = Code("invalidChecksum")
        /// A signature `v` that is not 27, 28, 0 or 1.
        public static let invalidRecoveryID = Code("invalidRecoveryID")
        /// A signature `r` or `s` outside [1, n-1]; for StarkNet, also `r` or `w = s^-1`
        /// at or above 2^251, or a message hash to sign outside [1, 2^251).
        public static let scalarOutOfRange = Code("scalarOutOfRange")
        /// A number at or above the Stark field prime p = 2^251 + 17 * 2^192 + 1.
        public static let feltOutOfRange = Code("feltOutOfRange")
        /// A signature `s` above n/2 (the low-s rule).
        public static let highS = Code("highS")
        /// Bytes that are not a valid public key (secp256k1 point or ed25519 point).
        public static let invalidPublicKey = Code("invalidPublicKey")
        /// Bytes that are not a valid private key or seed.
        public static let invalidPrivateKey = Code("invalidPrivateKey")
        /// No public key can be recovered from the signature and the hash.
        public static let recoveryFailed = Code("recoveryFailed")

        /// The identifier.
        public var description: String { rawValue }
    }

    /// What failed, stable across releases.
    public let code: Code
    /// The failed check in words, naming the value; never contains secret material.
    public let reason: String
    /// Where the error was thrown, for logs.
    public let file: String
    /// Where the error was thrown, for logs.
    public let line: UInt

    /// An error with a code, a reason, and the throw site.
    public init(_ code: Code, _ reason: String, file: String = #fileID, line: UInt = #line) {
        self.code = code
        self.reason = reason
        self.file = file
        self.line = line
    }

    /// Equal when the codes are equal.
    public static func == (lhs: CryptoError, rhs: CryptoError) -> Bool { lhs.code == rhs.code }

    /// Hashes the code only, consistent with `==`.
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }

    /// The code and the reason.
    public var description: String { "\(code): \(reason)" }

    /// Any error with code `invalidHex`, for matching.
    public static let invalidHex = CryptoError(.invalidHex, "")
    /// Any error with code `invalidBase64`, for matching.
    public static let invalidBase64 = CryptoError(.invalidBase64, "")
    /// Any error with code `invalidLength`, for matching.
    public static let invalidLength = CryptoError(.invalidLength, "")
    /// Any error with code `invalidChecksum`, for matching.
    public static let invalidChecksum = CryptoError(.invalidChecksum, "")
    /// Any error with code `invalidRecoveryID`, for matching.
    public static let invalidRecoveryID = CryptoError(.invalidRecoveryID, "")
    /// Any error with code `scalarOutOfRange`, for matching.
    public static let scalarOutOfRange = CryptoError(.scalarOutOfRange, "")
    /// Any error with code `feltOutOfRange`, for matching.
    public static let feltOutOfRange = CryptoError(.feltOutOfRange, "")
    /// Any error with code `highS`, for matching.
    public static let highS = CryptoError(.highS, "")
    /// Any error with code `invalidPublicKey`, for matching.
    public static let invalidPublicKey = CryptoError(.invalidPublicKey, "")
    /// Any error with code `invalidPrivateKey`, for matching.
    public static let invalidPrivateKey = CryptoError(.invalidPrivateKey, "")
    /// Any error with code `recoveryFailed`, for matching.
    public static let recoveryFailed = CryptoError(.recoveryFailed, "")
}
