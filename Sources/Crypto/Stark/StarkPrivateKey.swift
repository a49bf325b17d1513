import CSodium

/// A Stark private key, for signing test requests (the CLI's test identities).
///
/// The service itself never holds one. `description` never prints the key. Signatures
/// are deterministic and equal starknet.js's and starknet-py's
/// `message_signature(msg_hash, priv_key, seed=None)`: the nonce is RFC 6979 with
/// HMAC-SHA256 and no extra entropy, as crypto-cpp-py derives it. (starknet-py's default,
/// seed 32, gives other valid signatures.)
public struct StarkPrivateKey: Sendable, CustomStringConvertible {
    private let secret: UInt256

    /// The key `value`, which must be in [1, n); throws `invalidPrivateKey` otherwise.
    public init(_ value: UInt256) throws(CryptoError) {
        guard !value.isZero, value < ScalarElement.order else {
            throw CryptoError(.invalidPrivateKey, "a Stark private key must be in [1, n)")
        }
        secret = value
    }

    /// The key written in hex (with or without `0x`, at most 64 digits).
    public init(hex text: some StringProtocol) throws(CryptoError) {
        guard let value = UInt256(hex: text) else {
            throw CryptoError(.invalidHex, "a Stark private key is at most 64 hex digits")
        }
        try self.init(value)
    }

    /// The secret number. Handle with care.
    public var rawValue: UInt256 { secret }

    /// The matching public key: the x coordinate of secret * G.
    public var publicKey: StarkPublicKey {
        var point = JacobianPoint.infinity
        GeneratorTable.shared.accumulate(secret, into: &point)
        // A scalar in [1, n) never gives infinity.
        return StarkPublicKey(point: point.affine!)
    }

    /// Signs `messageHash`, which must be in [1, 2^251) (crypto-cpp refuses others);
    /// throws `scalarOutOfRange` otherwise.
    public func sign(messageHash: Felt) throws(CryptoError) -> StarkSignature {
        let z = messageHash.value
        guard StarkSignature.isInRange(messageHash: messageHash) else {
            throw CryptoError(.scalarOutOfRange, "a StarkNet message hash to sign must be in [1, 2^251)")
        }
        // A nonce whose r or w is out of range (about 2^-55 likely) is retried as
        // cairo-lang's signer does: no extra entropy first, then seeds 1, 2, ...
        var seed: UInt8? = nil
        while true {
            let k = Self.nonce(messageHash: z, privateKey: secret, seed: seed)
            if let signature = signature(z: z, k: k) { return signature }
            seed = (seed ?? 0) &+ 1
        }
    }

    /// Never the key itself.
    public var description: String { "StarkPrivateKey(publicKey: \(publicKey.x))" }

    /// (r, s) for nonce k, or nil when r or w falls outside StarkWare's ranges.
    private func signature(z: UInt256, k: UInt256) -> StarkSignature? {
        var noncePoint = JacobianPoint.infinity
        GeneratorTable.shared.accumulate(k, into: &noncePoint)
        guard let r = noncePoint.affine?.x.value, !r.isZero, r < ScalarElement.order else { return nil }
        let kElement = ScalarElement(k)
        let sum = ScalarElement(z) + ScalarElement(r) * ScalarElement(secret)
        guard !sum.isZero else { return nil }
        let s = (sum * kElement.inverse).value
        return try? StarkSignature(r: r, s: s)
    }

    /// crypto-cpp-py's `cpp_generate_k_rfc6979(msg_hash, priv_key, seed)`: RFC 6979 with
    /// HMAC-SHA256 over n (qlen 252), the hash padded by one nibble when it is one to four
    /// bits short of a byte boundary (for elliptic.js), and the seed's byte, if any, as
    /// extra entropy.
    static func nonce(messageHash: UInt256, privateKey: UInt256, seed: UInt8?) -> UInt256 {
        Sodium.ensureInitialized()
        let bitLength = messageHash.bitWidth
        var hash = messageHash
        if (1...4).contains(bitLength % 8) && bitLength >= 248 {
            hash = hash.multipliedBy16
        }
        // bits2octets: the minimal big-endian bytes as a number, cut to 252 bits when they
        // are 32 bytes long, reduced once mod n, written in 32 bytes.
        if (hash.bitWidth + 7) / 8 == 32 { hash = hash.shiftedRightByFour }
        let (reduced, borrow) = hash.subtractingReportingBorrow(ScalarElement.order)
        if !borrow { hash = reduced }
        let material = privateKey.bigEndianBytes + hash.bigEndianBytes + (seed.map { [$0] } ?? [])

        var v = [UInt8](repeating: 0x01, count: 32)
        var k = [UInt8](repeating: 0x00, count: 32)
        k = hmacSHA256(key: k, v + [0x00] + material)
        v = hmacSHA256(key: k, v)
        k = hmacSHA256(key: k, v + [0x01] + material)
        v = hmacSHA256(key: k, v)
        while true {
            v = hmacSHA256(key: k, v)
            // bits2int: the top 252 of the 256 bits.
            let candidate = v.withUnsafeBytes { UInt256(bigEndianBytes: $0) }.shiftedRightByFour
            if !candidate.isZero && candidate < ScalarElement.order { return candidate }
            k = hmacSHA256(key: k, v + [0x00])
            v = hmacSHA256(key: k, v)
        }
    }

    /// HMAC-SHA256 of `message` under `key` (libsodium).
    private static func hmacSHA256(key: [UInt8], _ message: [UInt8]) -> [UInt8] {
        var state = crypto_auth_hmacsha256_state()
        var output = [UInt8](repeating: 0, count: 32)
        crypto_auth_hmacsha256_init(&state, key, key.count)
        crypto_auth_hmacsha256_update(&state, message, UInt64(message.count))
        crypto_auth_hmacsha256_final(&state, &output)
        return output
    }
}

extension UInt256 {
    /// self * 16, for values below 2^252.
    var multipliedBy16: UInt256 {
        UInt256(w0 << 4, w1 << 4 | w0 >> 60, w2 << 4 | w1 >> 60, w3 << 4 | w2 >> 60)
    }

    /// self / 16.
    var shiftedRightByFour: UInt256 {
        UInt256(w0 >> 4 | w1 << 60, w1 >> 4 | w2 << 60, w2 >> 4 | w3 << 60, w3 >> 4)
    }
}
