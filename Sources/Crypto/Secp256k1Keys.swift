import CSecp256k1
import Keccak

/// A secp256k1 public key: a point on the curve, held as its 64 coordinate bytes.
public struct Secp256k1PublicKey: Hashable, Sendable {
    /// x then y, big-endian: the uncompressed form without its 0x04 tag.
    private let x: Bytes32
    private let y: Bytes32

    /// Parses the 65-byte uncompressed (0x04 || x || y) or 33-byte compressed form,
    /// checking that the point is on the curve.
    public init(rawRepresentation bytes: some Sequence<UInt8>) throws(CryptoError) {
        var publicKey = secp256k1_pubkey()
        let parsed = try withContiguousBytes(bytes) { (buffer) throws(CryptoError) -> Bool in
            guard buffer.count == 65 || buffer.count == 33 else {
                throw CryptoError(.invalidLength, "a secp256k1 public key is 65 or 33 bytes, found \(buffer.count)")
            }
            return secp256k1_ec_pubkey_parse(
                Secp256k1Context.shared.pointer, &publicKey,
                buffer.baseAddress!.assumingMemoryBound(to: UInt8.self), buffer.count) == 1
        }
        guard parsed else { throw CryptoError(.invalidPublicKey, "not a point on secp256k1") }
        self.init(libsecp256k1: publicKey)
    }

    /// The key libsecp256k1 holds in its opaque form.
    init(libsecp256k1 publicKey: secp256k1_pubkey) {
        var publicKey = publicKey
        (x, y) = withUnsafeTemporaryAllocation(byteCount: 65, alignment: 8) { buffer in
            var length = 65
            let written = secp256k1_ec_pubkey_serialize(
                Secp256k1Context.shared.pointer, buffer.baseAddress!.assumingMemoryBound(to: UInt8.self),
                &length, &publicKey, csecp256k1_ec_uncompressed())
            precondition(written == 1 && length == 65, "libsecp256k1 serialises a valid key in 65 bytes")
            return (
                Bytes32(UnsafeRawBufferPointer(rebasing: buffer[1..<33])),
                Bytes32(UnsafeRawBufferPointer(rebasing: buffer[33..<65]))
            )
        }
    }

    /// 65 bytes: 0x04 || x || y.
    public var uncompressedRepresentation: [UInt8] { [0x04] + x.array + y.array }

    /// The Ethereum address: the last 20 bytes of keccak256(x || y).
    public var address: EthereumAddress {
        var hasher = Keccak256()
        x.withUnsafeBytes { hasher.update($0) }
        y.withUnsafeBytes { hasher.update($0) }
        return hasher.finalize().withUnsafeBytes { EthereumAddress(copying: UnsafeRawBufferPointer(rebasing: $0[12..<32])) }
    }
}

/// A secp256k1 private key, for signing test requests (the CLI's test identities).
///
/// The service itself never holds one. `description` never prints the key.
public struct Secp256k1PrivateKey: Sendable, CustomStringConvertible {
    private let secret: Bytes32

    /// The key made of exactly 32 bytes, a scalar in [1, n-1].
    public init(rawRepresentation bytes: some Sequence<UInt8>) throws(CryptoError) {
        let secret = try withContiguousBytes(bytes) { (buffer) throws(CryptoError) -> Bytes32 in
            guard buffer.count == 32 else {
                throw CryptoError(.invalidLength, "a secp256k1 private key is 32 bytes, found \(buffer.count)")
            }
            return Bytes32(buffer)
        }
        let valid = secret.withUnsafeBytes {
            secp256k1_ec_seckey_verify(Secp256k1Context.shared.pointer, $0.baseAddress!.assumingMemoryBound(to: UInt8.self))
        }
        guard valid == 1 else { throw CryptoError(.invalidPrivateKey, "a private key must be in [1, n-1]") }
        self.secret = secret
    }

    /// The 32 secret bytes. Handle with care.
    public var rawRepresentation: [UInt8] { secret.array }

    /// The matching public key.
    public var publicKey: Secp256k1PublicKey {
        var publicKey = secp256k1_pubkey()
        let created = secret.withUnsafeBytes {
            secp256k1_ec_pubkey_create(
                Secp256k1Context.shared.pointer, &publicKey, $0.baseAddress!.assumingMemoryBound(to: UInt8.self))
        }
        precondition(created == 1, "a validated private key always has a public key")
        return Secp256k1PublicKey(libsecp256k1: publicKey)
    }

    /// The Ethereum address of this key.
    public var address: EthereumAddress { publicKey.address }

    /// Signs a 32-byte hash with an RFC 6979 deterministic nonce; the result is low-s.
    public func signature(forHash messageHash: Digest256) -> RecoverableSignature {
        let context = Secp256k1Context.shared.pointer
        var signature = secp256k1_ecdsa_recoverable_signature()
        let signed = secret.withUnsafeBytes { key in
            messageHash.withUnsafeBytes { hash in
                secp256k1_ecdsa_sign_recoverable(
                    context, &signature,
                    hash.baseAddress!.assumingMemoryBound(to: UInt8.self),
                    key.baseAddress!.assumingMemoryBound(to: UInt8.self), nil, nil)
            }
        }
        precondition(signed == 1, "signing with a validated key cannot fail")
        var recoveryID: Int32 = 0
        return withUnsafeTemporaryAllocation(byteCount: 64, alignment: 8) { compact in
            let output = compact.baseAddress!.assumingMemoryBound(to: UInt8.self)
            secp256k1_ecdsa_recoverable_signature_serialize_compact(context, output, &recoveryID, &signature)
            return RecoverableSignature(
                r: Bytes32(UnsafeRawBufferPointer(rebasing: compact[0..<32])),
                s: Bytes32(UnsafeRawBufferPointer(rebasing: compact[32..<64])),
                recoveryID: UInt8(recoveryID))
        }
    }

    /// Signs `message` as `personal_sign` does (EIP-191).
    public func signature(forPersonalMessage message: some Sequence<UInt8>) -> RecoverableSignature {
        signature(forHash: PersonalMessage.hash(message))
    }

    /// Never the key itself.
    public var description: String { "Secp256k1PrivateKey(address: \(address))" }
}
