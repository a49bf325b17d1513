/// A StarkNet field element: a number below p = 2^251 + 17 * 2^192 + 1, the unit of
/// every StarkNet hash, address and key.
///
/// Held in canonical form, so two felts are equal exactly when their numbers are,
/// whatever padding or case the text they came from used.
public struct Felt: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The number, below p.
    public let value: UInt256

    /// The felt equal to `value`, or nil when `value` is p or more.
    public init?(_ value: UInt256) {
        guard value < FieldElement.modulus else { return nil }
        self.value = value
    }

    /// The felt equal to `value`.
    public init(_ value: UInt64) { self.value = UInt256(value) }

    /// A value already known to be below p.
    init(unchecked value: UInt256) { self.value = value }

    /// Zero.
    public static let zero = Felt(0)

    /// Parses hex with or without `0x`, digits in either case, at most 64 digits, below p.
    public init(hex text: some StringProtocol) throws(CryptoError) {
        var digits = Substring(text).utf8[...]
        if digits.starts(with: "0x".utf8) { digits = digits.dropFirst(2) }
        guard digits.count <= 64 else {
            throw CryptoError(.invalidLength, "a felt is at most 64 hex digits, found \(digits.count)")
        }
        guard let value = UInt256(hex: text) else {
            throw CryptoError(.invalidHex, "a felt in hex needs at least one digit and only hex digits")
        }
        guard let felt = Felt(value) else {
            throw CryptoError(.feltOutOfRange, "a felt must be below the field prime p")
        }
        self = felt
    }

    /// The Cairo short-string encoding (starknet.js `encodeShortString`): the ASCII bytes
    /// read as a big-endian number. Nil for non-ASCII text or more than 31 characters;
    /// the empty string is zero.
    public init?(shortString text: some StringProtocol) {
        let bytes = Substring(text).utf8
        guard bytes.count <= 31, bytes.allSatisfy({ $0 < 0x80 }) else { return nil }
        var padded = [UInt8](repeating: 0, count: 32 - bytes.count)
        padded.append(contentsOf: bytes)
        // 31 bytes are below 2^248 < p.
        self.init(unchecked: padded.withUnsafeBytes { UInt256(bigEndianBytes: $0) })
    }

    /// `0x` and lowercase hex without leading zeros ("0x0" for zero), as starknet.js writes felts.
    public var hexString: String { value.hexString }

    /// `0x` and exactly 64 lowercase hex digits.
    public var paddedHexString: String { value.paddedHexString }

    /// Decimal digits without leading zeros, as StarkNet signatures are written.
    public var decimalString: String { value.decimalString }

    /// The hex string.
    public var description: String { hexString }

    /// Compares as numbers.
    public static func < (lhs: Felt, rhs: Felt) -> Bool { lhs.value < rhs.value }

    /// The element in Montgomery form, for arithmetic.
    var fieldElement: FieldElement { FieldElement(value) }

    /// The felt of a field element.
    init(_ element: FieldElement) { self.init(unchecked: element.value) }
}
