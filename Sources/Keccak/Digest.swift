// Fixed-size digest values: the bytes live inline, never on the heap.

/// A digest produced by a Keccak-based hash: a fixed number of bytes held inline.
public protocol KeccakDigest: Hashable, Sendable, CustomStringConvertible {
    /// The number of bytes in the digest.
    static var byteCount: Int { get }

    /// Creates a digest from exactly `byteCount` bytes, or returns nil for any other count.
    init?(bytes: UnsafeRawBufferPointer)

    /// Calls `body` with the digest's bytes.
    func withUnsafeBytes<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result
}

extension KeccakDigest {
    /// Creates a digest from exactly `byteCount` bytes, or returns nil for any other count.
    @inlinable
    public init?(bytes: some Sequence<UInt8>) {
        let contiguous = bytes.withContiguousStorageIfAvailable { Self(bytes: UnsafeRawBufferPointer($0)) }
        guard let digest = contiguous ?? Array(bytes).withUnsafeBytes({ Self(bytes: $0) }) else { return nil }
        self = digest
    }

    /// The digest's bytes in a new array.
    public var bytes: [UInt8] { withUnsafeBytes { Array($0) } }

    /// The digest as lowercase hex, two characters a byte, without a prefix.
    public var hexString: String { withUnsafeBytes { lowercaseHex($0) } }

    /// The digest as lowercase hex.
    public var description: String { hexString }

    /// Two digests are equal when all their bytes are.
    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.withUnsafeBytes { left in rhs.withUnsafeBytes { right in left.elementsEqual(right) } }
    }

    /// Hashes the digest's bytes.
    public func hash(into hasher: inout Hasher) {
        withUnsafeBytes { hasher.combine(bytes: $0) }
    }
}

/// A 32-byte digest: Keccak-256 or SHA3-256.
public struct Digest256: KeccakDigest {
    /// The number of bytes in the digest: 32.
    public static let byteCount = 32

    @usableFromInline
    var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)

    @usableFromInline
    init() {}

    /// Creates a digest from exactly 32 bytes, or returns nil for any other count.
    public init?(bytes: UnsafeRawBufferPointer) {
        guard bytes.count == Self.byteCount else { return nil }
        Swift.withUnsafeMutableBytes(of: &words) { $0.copyMemory(from: bytes) }
    }

    /// Calls `body` with the digest's 32 bytes.
    @inlinable
    public func withUnsafeBytes<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        try Swift.withUnsafeBytes(of: words, body)
    }
}

/// A 28-byte digest: SHA3-224.
public struct Digest224: KeccakDigest {
    /// The number of bytes in the digest: 28.
    public static let byteCount = 28

    @usableFromInline
    var words: (UInt64, UInt64, UInt64, UInt32) = (0, 0, 0, 0)

    @usableFromInline
    init() {}

    /// Creates a digest from exactly 28 bytes, or returns nil for any other count.
    public init?(bytes: UnsafeRawBufferPointer) {
        guard bytes.count == Self.byteCount else { return nil }
        Swift.withUnsafeMutableBytes(of: &words) { $0.copyMemory(from: bytes) }
    }

    /// Calls `body` with the digest's 28 bytes.
    @inlinable
    public func withUnsafeBytes<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        try Swift.withUnsafeBytes(of: words, body)
    }
}

/// Lowercase hex of `bytes`, two characters a byte. Shared with the Crypto module.
package func lowercaseHex(_ bytes: UnsafeRawBufferPointer) -> String {
    let digits: StaticString = "0123456789abcdef"
    return String(unsafeUninitializedCapacity: bytes.count * 2) { output in
        digits.withUTF8Buffer { digits in
            for (index, byte) in bytes.enumerated() {
                output[2 * index] = digits[Int(byte >> 4)]
                output[2 * index + 1] = digits[Int(byte & 0x0F)]
            }
        }
        return bytes.count * 2
    }
}
