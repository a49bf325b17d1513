// The public hashes: Keccak-256 (Ethereum), SHA3-224 and SHA3-256 (FIPS 202), one-shot
// and incremental. A hasher is a value of 208 bytes on the stack; hashing allocates nothing.

/// The parameters that make a Keccak sponge one particular hash function.
public protocol KeccakFunction: Sendable {
    /// The digest the function produces.
    associatedtype Digest: KeccakDigest
    /// The rate r in bytes: 200 minus twice the digest length for these functions.
    static var rateInBytes: Int { get }
    /// The first padding byte: 0x01 for original Keccak, 0x06 for FIPS 202 SHA-3.
    static var domainPadding: UInt8 { get }
}

/// Keccak-256 as Ethereum uses it: padding 0x01, rate 136 bytes.
public enum Keccak256Function: KeccakFunction {
    public typealias Digest = Digest256
    public static var rateInBytes: Int { 136 }
    public static var domainPadding: UInt8 { 0x01 }
}

/// SHA3-256 (FIPS 202): padding 0x06, rate 136 bytes.
public enum SHA3_256Function: KeccakFunction {
    public typealias Digest = Digest256
    public static var rateInBytes: Int { 136 }
    public static var domainPadding: UInt8 { 0x06 }
}

/// SHA3-224 (FIPS 202): padding 0x06, rate 144 bytes.
public enum SHA3_224Function: KeccakFunction {
    public typealias Digest = Digest224
    public static var rateInBytes: Int { 144 }
    public static var domainPadding: UInt8 { 0x06 }
}

/// An incremental Keccak hasher: `update` any number of times, then `finalize`.
///
/// ```swift
/// var hasher = SHA3_256()
/// hasher.update("hello ")
/// hasher.update("world")
/// let digest = hasher.finalize()
/// ```
public struct KeccakHasher<Function: KeccakFunction>: Sendable {
    @usableFromInline
    var sponge = KeccakSponge()

    /// A hasher that has absorbed nothing yet.
    @inlinable
    public init() {}

    /// Absorbs `bytes`.
    @inlinable
    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        sponge.absorb(bytes, rate: Function.rateInBytes)
    }

    /// Absorbs `bytes`; contiguous collections (arrays, slices, buffers) are read in place.
    @inlinable
    public mutating func update(_ bytes: some Sequence<UInt8>) {
        let absorbed: Void? = bytes.withContiguousStorageIfAvailable { update(UnsafeRawBufferPointer($0)) }
        if absorbed == nil {
            Array(bytes).withUnsafeBytes { update($0) }
        }
    }

    /// Absorbs the UTF-8 bytes of `text`.
    @inlinable
    public mutating func update(_ text: some StringProtocol) {
        update(text.utf8)
    }

    /// The digest of everything absorbed so far. The hasher may go on absorbing.
    @inlinable
    public func finalize() -> Function.Digest {
        withUnsafeTemporaryAllocation(byteCount: Function.Digest.byteCount, alignment: 8) { output in
            sponge.squeeze(rate: Function.rateInBytes, domainPadding: Function.domainPadding, into: output)
            return Function.Digest(bytes: UnsafeRawBufferPointer(output))!
        }
    }

    /// The digest of `bytes`.
    @inlinable
    public static func hash(_ bytes: some Sequence<UInt8>) -> Function.Digest {
        var hasher = Self()
        hasher.update(bytes)
        return hasher.finalize()
    }

    /// The digest of the UTF-8 bytes of `text`.
    @inlinable
    public static func hash(_ text: some StringProtocol) -> Function.Digest {
        var hasher = Self()
        hasher.update(text)
        return hasher.finalize()
    }
}

/// Keccak-256 as Ethereum uses it (padding 0x01).
public typealias Keccak256 = KeccakHasher<Keccak256Function>
/// SHA3-256 (FIPS 202).
public typealias SHA3_256 = KeccakHasher<SHA3_256Function>
/// SHA3-224 (FIPS 202).
public typealias SHA3_224 = KeccakHasher<SHA3_224Function>

/// Keccak-256 of `bytes` (Ethereum's hash, padding 0x01).
@inlinable
public func keccak256(_ bytes: some Sequence<UInt8>) -> Digest256 { Keccak256.hash(bytes) }

/// Keccak-256 of the UTF-8 bytes of `text`.
@inlinable
public func keccak256(_ text: some StringProtocol) -> Digest256 { Keccak256.hash(text) }

/// SHA3-256 of `bytes` (FIPS 202).
@inlinable
public func sha3_256(_ bytes: some Sequence<UInt8>) -> Digest256 { SHA3_256.hash(bytes) }

/// SHA3-256 of the UTF-8 bytes of `text`.
@inlinable
public func sha3_256(_ text: some StringProtocol) -> Digest256 { SHA3_256.hash(text) }

/// SHA3-224 of `bytes` (FIPS 202).
@inlinable
public func sha3_224(_ bytes: some Sequence<UInt8>) -> Digest224 { SHA3_224.hash(bytes) }

/// SHA3-224 of the UTF-8 bytes of `text`.
@inlinable
public func sha3_224(_ text: some StringProtocol) -> Digest224 { SHA3_224.hash(text) }
