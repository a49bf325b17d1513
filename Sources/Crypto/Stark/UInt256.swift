/// A 256-bit unsigned number, as StarkNet clients write them in text: decimal (signatures)
/// or hex (keys, addresses, hashes).
///
/// Parsing is strict so that one number has few spellings: decimal is digits only, hex
/// is digits with an optional `0x`, and both reject values of 2^256 or more.
public struct UInt256: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The four 64-bit limbs, least significant first.
    var w0, w1, w2, w3: UInt64

    /// The number with these limbs, least significant first.
    init(_ w0: UInt64, _ w1: UInt64, _ w2: UInt64, _ w3: UInt64) {
        (self.w0, self.w1, self.w2, self.w3) = (w0, w1, w2, w3)
    }

    /// The number `value`.
    public init(_ value: UInt64) { self.init(value, 0, 0, 0) }

    /// Zero.
    public static let zero = UInt256(0)

    /// Parses decimal digits: no sign, no spaces, at most 78 digits, below 2^256.
    /// Leading zeros are allowed. Nil for anything else, including the empty string.
    public init?(decimal text: some StringProtocol) {
        let utf8 = Substring(text).utf8
        guard !utf8.isEmpty, utf8.count <= 78 else { return nil }
        var value = UInt256.zero
        for character in utf8 {
            let digit = character &- UInt8(ascii: "0")
            guard digit < 10 else { return nil }
            guard let next = value.multipliedAdding(10, UInt64(digit)) else { return nil }
            value = next
        }
        self = value
    }

    /// Parses hex digits in either case, with or without `0x`, at most 64 digits.
    /// Nil for anything else, including `0x` with no digits.
    public init?(hex text: some StringProtocol) {
        var utf8 = Substring(text).utf8[...]
        if utf8.starts(with: "0x".utf8) { utf8 = utf8.dropFirst(2) }
        guard !utf8.isEmpty, utf8.count <= 64 else { return nil }
        var value = UInt256.zero
        for character in utf8 {
            let digit = Hex.nibble(character)
            guard digit < 16 else { return nil }
            value = value.shiftedLeftByNibble(orring: UInt64(digit))
        }
        self = value
    }

    /// The number from 32 big-endian bytes.
    init(bigEndianBytes bytes: UnsafeRawBufferPointer) {
        precondition(bytes.count == 32, "UInt256 needs exactly 32 bytes")
        func limb(_ index: Int) -> UInt64 {
            (0..<8).reduce(0) { $0 << 8 | UInt64(bytes[index * 8 + $1]) }
        }
        self.init(limb(3), limb(2), limb(1), limb(0))
    }

    /// The 32 big-endian bytes.
    var bigEndianBytes: [UInt8] {
        [w3, w2, w1, w0].flatMap { limb in (0..<8).reversed().map { UInt8(truncatingIfNeeded: limb >> ($0 * 8)) } }
    }

    /// Decimal digits, without leading zeros ("0" for zero).
    public var decimalString: String {
        var digits: [UInt8] = []
        var rest = self
        repeat {
            let (quotient, remainder) = rest.dividedReportingRemainder(by: 10)
            digits.append(UInt8(ascii: "0") + UInt8(remainder))
            rest = quotient
        } while !rest.isZero
        return String(decoding: digits.reversed(), as: UTF8.self)
    }

    /// `0x` and lowercase hex without leading zeros ("0x0" for zero).
    public var hexString: String {
        let padded = paddedHex
        let digits = padded.drop { $0 == UInt8(ascii: "0") }
        return "0x" + String(decoding: digits.isEmpty ? [UInt8(ascii: "0")] : Array(digits), as: UTF8.self)
    }

    /// `0x` and 64 lowercase hex digits.
    public var paddedHexString: String { "0x" + String(decoding: paddedHex, as: UTF8.self) }

    /// The hex string.
    public var description: String { hexString }

    /// Compares as numbers.
    public static func < (lhs: UInt256, rhs: UInt256) -> Bool {
        if lhs.w3 != rhs.w3 { return lhs.w3 < rhs.w3 }
        if lhs.w2 != rhs.w2 { return lhs.w2 < rhs.w2 }
        if lhs.w1 != rhs.w1 { return lhs.w1 < rhs.w1 }
        return lhs.w0 < rhs.w0
    }

    /// True for zero.
    var isZero: Bool { (w0 | w1 | w2 | w3) == 0 }

    /// The number of significant bits (0 for zero).
    var bitWidth: Int {
        if w3 != 0 { return 256 - w3.leadingZeroBitCount }
        if w2 != 0 { return 192 - w2.leadingZeroBitCount }
        if w1 != 0 { return 128 - w1.leadingZeroBitCount }
        return 64 - w0.leadingZeroBitCount
    }

    /// Limb `index`, least significant first.
    @inline(__always)
    func limb(_ index: Int) -> UInt64 {
        switch index {
        case 0: w0;
        case 1: w1;
        case 2: w2;
        default: w3
        }
    }

    /// Bit `index` (0 is the least significant).
    @inline(__always)
    func bit(_ index: Int) -> UInt64 { (limb(index >> 6) >> UInt64(index & 63)) & 1 }

    /// The `count` bits (1 to 63) from bit `index` up, as a number; bits past 255 read as zero.
    @inline(__always)
    func bits(at index: Int, count: Int) -> UInt64 {
        let limbIndex = index >> 6, shift = index & 63
        var value = limb(limbIndex) >> UInt64(shift)
        if shift + count > 64 && limbIndex < 3 { value |= limb(limbIndex + 1) << UInt64(64 - shift) }
        return value & (1 << UInt64(count) - 1)
    }

    /// `self + other` and whether it overflowed 256 bits.
    @inline(__always)
    func addingReportingOverflow(_ other: UInt256) -> (UInt256, Bool) {
        let (a0, c0) = w0.addingReportingOverflow(other.w0)
        let (a1, c1) = addWithCarry(w1, other.w1, c0)
        let (a2, c2) = addWithCarry(w2, other.w2, c1)
        let (a3, c3) = addWithCarry(w3, other.w3, c2)
        return (UInt256(a0, a1, a2, a3), c3)
    }

    /// `self - other` and whether it borrowed (other was larger).
    @inline(__always)
    func subtractingReportingBorrow(_ other: UInt256) -> (UInt256, Bool) {
        let (a0, b0) = w0.subtractingReportingOverflow(other.w0)
        let (a1, b1) = subtractWithBorrow(w1, other.w1, b0)
        let (a2, b2) = subtractWithBorrow(w2, other.w2, b1)
        let (a3, b3) = subtractWithBorrow(w3, other.w3, b2)
        return (UInt256(a0, a1, a2, a3), b3)
    }

    /// `self * factor + addend`, or nil past 2^256.
    private func multipliedAdding(_ factor: UInt64, _ addend: UInt64) -> UInt256? {
        let (r0, c0) = multiplyAccumulate(addend, w0, factor, 0)
        let (r1, c1) = multiplyAccumulate(c0, w1, factor, 0)
        let (r2, c2) = multiplyAccumulate(c1, w2, factor, 0)
        let (r3, c3) = multiplyAccumulate(c2, w3, factor, 0)
        return c3 == 0 ? UInt256(r0, r1, r2, r3) : nil
    }

    /// `self * 16 + digit`; the caller bounds the digit count so nothing is lost.
    private func shiftedLeftByNibble(orring digit: UInt64) -> UInt256 {
        UInt256(w0 << 4 | digit, w1 << 4 | w0 >> 60, w2 << 4 | w1 >> 60, w3 << 4 | w2 >> 60)
    }

    /// The quotient and remainder of division by a nonzero divisor.
    private func dividedReportingRemainder(by divisor: UInt64) -> (UInt256, UInt64) {
        let (q3, r3) = divisor.dividingFullWidth((0, w3))
        let (q2, r2) = divisor.dividingFullWidth((r3, w2))
        let (q1, r1) = divisor.dividingFullWidth((r2, w1))
        let (q0, r0) = divisor.dividingFullWidth((r1, w0))
        return (UInt256(q0, q1, q2, q3), r0)
    }

    /// 64 lowercase hex digits as UTF-8.
    private var paddedHex: [UInt8] {
        let alphabet = Array("0123456789abcdef".utf8)
        return [w3, w2, w1, w0].flatMap { limb in
            (0..<16).reversed().map { alphabet[Int(limb >> UInt64($0 * 4) & 0xF)] }
        }
    }
}

/// `a + b + carry` and the carry out.
@inline(__always)
func addWithCarry(_ a: UInt64, _ b: UInt64, _ carry: Bool) -> (UInt64, Bool) {
    let (s1, o1) = a.addingReportingOverflow(b)
    let (s2, o2) = s1.addingReportingOverflow(carry ? 1 : 0)
    return (s2, o1 || o2)
}

/// `a - b - borrow` and the borrow out.
@inline(__always)
func subtractWithBorrow(_ a: UInt64, _ b: UInt64, _ borrow: Bool) -> (UInt64, Bool) {
    let (d1, o1) = a.subtractingReportingOverflow(b)
    let (d2, o2) = d1.subtractingReportingOverflow(borrow ? 1 : 0)
    return (d2, o1 || o2)
}

/// `acc + x * y + carry` as (low, high); it cannot overflow 128 bits.
@inline(__always)
func multiplyAccumulate(_ acc: UInt64, _ x: UInt64, _ y: UInt64, _ carry: UInt64) -> (UInt64, UInt64) {
    let (high, low) = x.multipliedFullWidth(by: y)
    let (s1, o1) = low.addingReportingOverflow(acc)
    let (s2, o2) = s1.addingReportingOverflow(carry)
    return (s2, high &+ (o1 ? 1 : 0) &+ (o2 ? 1 : 0))
}
