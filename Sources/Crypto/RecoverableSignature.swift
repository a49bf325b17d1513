import CSecp256k1
import Keccak

/// A secp256k1 ECDSA signature with its recovery id, as Ethereum wallets return it.
///
/// Parses the 65-byte `r || s || v` form (`v` 27/28 or 0/1) and the 64-byte EIP-2098
/// compact form (`r || yParityAndS`). Construction enforces docs/protocol.md section 6:
/// `r` and `s` in [1, n-1] and `s <= n/2`, so a value of this type is never malleable.
public struct RecoverableSignature: Hashable, Sendable, CustomStringConvertible {
    /// The `r` scalar, big-endian.
    let r: Bytes32
    /// The `s` scalar, big-endian, at most n/2.
    let s: Bytes32
    /// The parity of the nonce point's y coordinate: 0 or 1.
    public let recoveryID: UInt8

    /// Parses 65 bytes `r || s || v` or 64 bytes EIP-2098 `r || yParityAndS`.
    public init(rawRepresentation bytes: some Sequence<UInt8>) throws(CryptoError) {
        self = try withContiguousBytes(bytes) { (buffer) throws(CryptoError) in
            try RecoverableSignature(parsing: buffer)
        }
    }

    /// Parses hex (with or without `0x`) of the 65- or 64-byte form.
    public init(hex text: some StringProtocol) throws(CryptoError) {
        var digits = Substring(text).utf8[...]
        if digits.starts(with: "0x".utf8) { digits = digits.dropFirst(2) }
        guard digits.count == 130 || digits.count == 128 else {
            throw CryptoError(.invalidLength, "a signature is 130 or 128 hex digits, found \(digits.count)")
        }
        self = try withUnsafeTemporaryAllocation(byteCount: digits.count / 2, alignment: 8) {
            (buffer) throws(CryptoError) -> RecoverableSignature in
            guard Hex.decodeDigits(digits, into: buffer) else {
                throw CryptoError(.invalidHex, "a signature has a character that is not a hex digit")
            }
            return try RecoverableSignature(parsing: UnsafeRawBufferPointer(buffer))
        }
    }

    private init(parsing buffer: UnsafeRawBufferPointer) throws(CryptoError) {
        guard buffer.count == 65 || buffer.count == 64 else {
            throw CryptoError(.invalidLength, "a signature is 65 or 64 bytes, found \(buffer.count)")
        }
        let recoveryID: UInt8
        var s = Bytes32(UnsafeRawBufferPointer(rebasing: buffer[32..<64]))
        switch buffer.count {
        case 65:
            switch buffer[64] {
            case 27, 28: recoveryID = buffer[64] - 27
            case 0, 1: recoveryID = buffer[64]
            default: throw CryptoError(.invalidRecoveryID, "signature v must be 27, 28, 0 or 1")
            }
        case 64:
            // EIP-2098: the top bit of the second word is the y parity.
            recoveryID = buffer[32] >> 7
            s.withUnsafeMutableBytes { $0[0] &= 0x7F }
        default:
            preconditionFailure("length checked above")
        }
        let r = Bytes32(UnsafeRawBufferPointer(rebasing: buffer[0..<32]))
        guard !r.isZero, r.isLess(than: secp256k1Order) else {
            throw CryptoError(.scalarOutOfRange, "signature r must be in [1, n-1]")
        }
        guard !s.isZero, s.isLess(than: secp256k1Order) else {
            throw CryptoError(.scalarOutOfRange, "signature s must be in [1, n-1]")
        }
        guard !secp256k1HalfOrder.isLess(than: s) else {
            throw CryptoError(.highS, "signature s must be at most n/2 (low-s)")
        }
        self.init(r: r, s: s, recoveryID: recoveryID)
    }

    init(r: Bytes32, s: Bytes32, recoveryID: UInt8) {
        self.r = r
        self.s = s
        self.recoveryID = recoveryID
    }

    /// 65 bytes `r || s || v` with `v` 27 or 28, as `personal_sign` returns.
    public var rawRepresentation: [UInt8] { r.array + s.array + [recoveryID + 27] }

    /// 64 bytes EIP-2098 `r || yParityAndS`.
    public var compactRepresentation: [UInt8] {
        var yParityAndS = s.array
        yParityAndS[0] |= recoveryID << 7
        return r.array + yParityAndS
    }

    /// `0x` and the 130 hex digits of the 65-byte form.
    public var description: String { "0x" + Hex.encode(rawRepresentation) }

    /// The public key that made this signature over `messageHash`.
    ///
    /// Any valid signature recovers to some key: compare the result with the expected
    /// key or address. Throws `recoveryFailed` when no point has this `r`.
    public func recoverPublicKey(messageHash: Digest256) throws(CryptoError) -> Secp256k1PublicKey {
        let context = Secp256k1Context.shared.pointer
        var signature = secp256k1_ecdsa_recoverable_signature()
        var publicKey = secp256k1_pubkey()
        let recovered = withUnsafeTemporaryAllocation(byteCount: 64, alignment: 8) { compact -> Bool in
            r.withUnsafeBytes { compact[0..<32].copyBytes(from: $0) }
            s.withUnsafeBytes { compact[32..<64].copyBytes(from: $0) }
            let input = compact.baseAddress!.assumingMemoryBound(to: UInt8.self)
            guard
                secp256k1_ecdsa_recoverable_signature_parse_compact(
                    context, &signature, input, Int32(recoveryID)) == 1
            else { return false }
            return messageHash.withUnsafeBytes { hash in
                secp256k1_ecdsa_recover(
                    context, &publicKey, &signature, hash.baseAddress!.assumingMemoryBound(to: UInt8.self)) == 1
            }
        }
        guard recovered else {
            throw CryptoError(.recoveryFailed, "no public key recovers from this signature and hash")
        }
        return Secp256k1PublicKey(libsecp256k1: publicKey)
    }

    /// The address of the key that made this signature over `messageHash`.
    public func recoverAddress(messageHash: Digest256) throws(CryptoError) -> EthereumAddress {
        try recoverPublicKey(messageHash: messageHash).address
    }

    /// The address of the key that signed `message` with `personal_sign` (EIP-191).
    public func recoverAddress(personalMessage message: some Sequence<UInt8>) throws(CryptoError) -> EthereumAddress {
        try recoverAddress(messageHash: PersonalMessage.hash(message))
    }
}
