import CSodium

/// An ed25519 public key that libsodium accepts as a valid point: canonical encoding,
/// on the curve, in the prime-order subgroup, not of small order
/// (`crypto_core_ed25519_is_valid_point`).
public struct Ed25519PublicKey: Hashable, Sendable, CustomStringConvertible {
    private let bytes: Bytes32

    /// The key made of exactly 32 bytes, validated as a point.
    public init(rawRepresentation input: some Sequence<UInt8>) throws(CryptoError) {
        Sodium.ensureInitialized()
        bytes = try withContiguousBytes(input) { (buffer) throws(CryptoError) -> Bytes32 in
            guard buffer.count == 32 else {
                throw CryptoError(.invalidLength, "an ed25519 public key is 32 bytes, found \(buffer.count)")
            }
            guard crypto_core_ed25519_is_valid_point(buffer.baseAddress!.assumingMemoryBound(to: UInt8.self)) == 1 else {
                throw CryptoError(.invalidPublicKey, "not a valid ed25519 point")
            }
            return Bytes32(buffer)
        }
    }

    /// Parses 64 hex digits (with or without `0x`) and validates the point.
    public init(hex text: some StringProtocol) throws(CryptoError) {
        try self.init(rawRepresentation: Hex.decode(text, byteCount: 32))
    }

    /// A key that was validated when it was stored (a user's bound main or session key),
    /// without paying the point check again. Never use it for a key that arrives in a
    /// request and is not yet bound. Traps unless given exactly 32 bytes.
    public init(trustedRawRepresentation input: [UInt8]) {
        precondition(input.count == 32, "an ed25519 public key is 32 bytes")
        Sodium.ensureInitialized()
        bytes = input.withUnsafeBytes { Bytes32($0) }
    }

    fileprivate init(validated bytes: Bytes32) { self.bytes = bytes }

    /// The 32 bytes.
    public var rawRepresentation: [UInt8] { bytes.array }

    /// 64 lowercase hex digits.
    public var description: String { bytes.withUnsafeBytes { Hex.encode($0) } }

    /// True when `signature` is a valid ed25519 signature by this key over `message`
    /// (libsodium's `crypto_sign_verify_detached`, which rejects non-canonical `S` and
    /// small-order `R`).
    public func isValidSignature(_ signature: Ed25519Signature, for message: some Sequence<UInt8>) -> Bool {
        withContiguousBytes(message) { message in
            bytes.withUnsafeBytes { key in
                signature.withUnsafeBytes { signature in
                    crypto_sign_verify_detached(
                        signature.baseAddress!.assumingMemoryBound(to: UInt8.self),
                        message.baseAddress?.assumingMemoryBound(to: UInt8.self), UInt64(message.count),
                        key.baseAddress!.assumingMemoryBound(to: UInt8.self)) == 0
                }
            }
        }
    }
}

/// A 64-byte ed25519 signature (R || S).
public struct Ed25519Signature: Hashable, Sendable, CustomStringConvertible {
    private let rPoint: Bytes32
    private let sScalar: Bytes32

    /// The signature made of exactly 64 bytes. Validity is decided by verification.
    public init(rawRepresentation input: some Sequence<UInt8>) throws(CryptoError) {
        (rPoint, sScalar) = try withContiguousBytes(input) { (buffer) throws(CryptoError) -> (Bytes32, Bytes32) in
            guard buffer.count == 64 else {
                throw CryptoError(.invalidLength, "an ed25519 signature is 64 bytes, found \(buffer.count)")
            }
            return (
                Bytes32(UnsafeRawBufferPointer(rebasing: buffer[0..<32])),
                Bytes32(UnsafeRawBufferPointer(rebasing: buffer[32..<64]))
            )
        }
    }

    /// Decodes standard base64 of 64 bytes, as `login_signature` and
    /// `web3mq_user_signature` carry it.
    public init(base64 text: some StringProtocol) throws(CryptoError) {
        try self.init(rawRepresentation: Base64.decode(text))
    }

    /// Calls `body` with the 64 bytes.
    func withUnsafeBytes<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        try Swift.withUnsafeBytes(of: (rPoint, sScalar), body)
    }

    /// The 64 bytes.
    public var rawRepresentation: [UInt8] { rPoint.array + sScalar.array }

    /// Standard base64 of the 64 bytes.
    public var base64: String { Base64.encode(rawRepresentation) }

    /// The base64 form.
    public var description: String { base64 }
}

/// An ed25519 key pair from a 32-byte seed, for signing (test identities, the server's
/// audit-head key). `description` never prints the seed.
public struct Ed25519KeyPair: Sendable, CustomStringConvertible {
    /// libsodium's 64-byte secret key: seed || public key, contiguous.
    private let secretKey: (Bytes32, Bytes32)

    /// The public half.
    public let publicKey: Ed25519PublicKey

    /// The key pair derived from exactly 32 bytes of `seed` (RFC 8032 section 5.1.5).
    public init(seed input: some Sequence<UInt8>) throws(CryptoError) {
        Sodium.ensureInitialized()
        let seed = try withContiguousBytes(input) { (buffer) throws(CryptoError) -> Bytes32 in
            guard buffer.count == 32 else {
                throw CryptoError(.invalidLength, "an ed25519 seed is 32 bytes, found \(buffer.count)")
            }
            return Bytes32(buffer)
        }
        var secretKey = (Bytes32.zero, Bytes32.zero)
        var publicKey = Bytes32.zero
        let derived = seed.withUnsafeBytes { seed in
            Swift.withUnsafeMutableBytes(of: &secretKey) { secret in
                publicKey.withUnsafeMutableBytes { public_ in
                    crypto_sign_seed_keypair(
                        public_.baseAddress!.assumingMemoryBound(to: UInt8.self),
                        secret.baseAddress!.assumingMemoryBound(to: UInt8.self),
                        seed.baseAddress!.assumingMemoryBound(to: UInt8.self))
                }
            }
        }
        precondition(derived == 0, "crypto_sign_seed_keypair cannot fail on 32 bytes")
        self.secretKey = secretKey
        self.publicKey = Ed25519PublicKey(validated: publicKey)
    }

    /// A key pair from a fresh random seed.
    public static func generate() -> Ed25519KeyPair {
        var generator = SystemRandomNumberGenerator()
        let seed = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return try! Ed25519KeyPair(seed: seed)
    }

    /// The 32-byte seed. Handle with care.
    public var seed: [UInt8] { secretKey.0.array }

    /// The ed25519 signature of `message` by this key (deterministic, RFC 8032).
    public func signature(for message: some Sequence<UInt8>) -> Ed25519Signature {
        var output = (Bytes32.zero, Bytes32.zero)
        withContiguousBytes(message) { message in
            Swift.withUnsafeBytes(of: secretKey) { secret in
                Swift.withUnsafeMutableBytes(of: &output) { signature in
                    _ = crypto_sign_detached(
                        signature.baseAddress!.assumingMemoryBound(to: UInt8.self), nil,
                        message.baseAddress?.assumingMemoryBound(to: UInt8.self), UInt64(message.count),
                        secret.baseAddress!.assumingMemoryBound(to: UInt8.self))
                }
            }
        }
        return Swift.withUnsafeBytes(of: output) { try! Ed25519Signature(rawRepresentation: $0) }
    }

    /// Never the seed itself.
    public var description: String { "Ed25519KeyPair(publicKey: \(publicKey))" }
}

/// libsodium's one-time initialisation.
enum Sodium {
    private static let initialized: Bool = sodium_init() >= 0

    /// Calls `sodium_init` once per process; later calls cost one load.
    static func ensureInitialized() {
        precondition(initialized, "sodium_init failed")
    }
}
