/// 32 bytes held inline: a scalar, a coordinate, a key or a hash. When compared as a
/// number the bytes are big-endian, as secp256k1 and Ethereum write scalars.
package struct Bytes32: Hashable, Sendable {
    private var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)

    /// All zero.
    package static let zero = Bytes32()

    private init() {}

    /// The 32 bytes of `bytes`, which must hold exactly 32.
    package init(_ bytes: UnsafeRawBufferPointer) {
        precondition(bytes.count == 32, "Bytes32 needs exactly 32 bytes")
        Swift.withUnsafeMutableBytes(of: &words) { $0.copyMemory(from: bytes) }
    }

    /// 32 bytes from a 64-character hex literal; for constants only (traps on bad input).
    package init(hexLiteral: StaticString) {
        let bytes = try! Hex.decode(hexLiteral.description, byteCount: 32)
        self = bytes.withUnsafeBytes { Bytes32($0) }
    }

    /// Calls `body` with the 32 bytes.
    package func withUnsafeBytes<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        try Swift.withUnsafeBytes(of: words, body)
    }

    /// Calls `body` with the 32 bytes, mutable.
    package mutating func withUnsafeMutableBytes<Result>(
        _ body: (UnsafeMutableRawBufferPointer) throws -> Result
    ) rethrows -> Result {
        try Swift.withUnsafeMutableBytes(of: &words, body)
    }

    /// The bytes in a new array.
    package var array: [UInt8] { withUnsafeBytes { Array($0) } }

    package static func == (lhs: Bytes32, rhs: Bytes32) -> Bool { lhs.words == rhs.words }

    package func hash(into hasher: inout Hasher) { withUnsafeBytes { hasher.combine(bytes: $0) } }

    /// The four 64-bit limbs, most significant first.
    private var bigEndianLimbs: (UInt64, UInt64, UInt64, UInt64) {
        (UInt64(bigEndian: words.0), UInt64(bigEndian: words.1), UInt64(bigEndian: words.2), UInt64(bigEndian: words.3))
    }

    /// True when the bytes, read as a big-endian number, are zero.
    package var isZero: Bool { self == .zero }

    /// Compares as 256-bit big-endian unsigned numbers.
    package func isLess(than other: Bytes32) -> Bool {
        let a = bigEndianLimbs, b = other.bigEndianLimbs
        if a.0 != b.0 { return a.0 < b.0 }
        if a.1 != b.1 { return a.1 < b.1 }
        if a.2 != b.2 { return a.2 < b.2 }
        return a.3 < b.3
    }
}
