/// An element of the Stark field, p = 2^251 + 17 * 2^192 + 1, in Montgomery form
/// (a * 2^256 mod p): the form the curve and hash code compute in. ``Felt`` is the
/// public, canonical form.
///
/// p's low limb is 1 and its middle limbs are 0, so Montgomery's n' is 2^64 - 1 and each
/// reduction step adds m * p as just m and one product with the top limb.
struct FieldElement: Equatable, Sendable {
    /// The Montgomery form, least significant limb first, always below p.
    var l0, l1, l2, l3: UInt64

    /// The top limb of p (its other limbs are 1, 0, 0).
    static let p3: UInt64 = 0x0800_0000_0000_0011
    /// p as a number.
    static let modulus = UInt256(1, 0, 0, p3)
    /// 2^512 mod p, which takes a number into Montgomery form.
    private static let rSquared = FieldElement(
        0xffff_fd73_7e00_0401, 0x0000_0001_330f_ffff, 0xffff_ffff_ff6f_8000, 0x07ff_d4ab_5e00_8810)

    /// Zero.
    static let zero = FieldElement(0, 0, 0, 0)
    /// One: 2^256 mod p.
    static let one = FieldElement(0xffff_ffff_ffff_ffe1, 0xffff_ffff_ffff_ffff, 0xffff_ffff_ffff_ffff, 0x07ff_ffff_ffff_fdf0)

    /// The element with these Montgomery limbs.
    @inline(__always)
    init(_ l0: UInt64, _ l1: UInt64, _ l2: UInt64, _ l3: UInt64) {
        (self.l0, self.l1, self.l2, self.l3) = (l0, l1, l2, l3)
    }

    /// The element equal to `value`, which must be below p.
    init(_ value: UInt256) {
        precondition(value < Self.modulus, "a field element is below p")
        self = FieldElement(value.w0, value.w1, value.w2, value.w3) * Self.rSquared
    }

    /// The canonical value, below p.
    var value: UInt256 {
        let standard = self * FieldElement(1, 0, 0, 0)
        return UInt256(standard.l0, standard.l1, standard.l2, standard.l3)
    }

    /// True for zero.
    @inline(__always)
    var isZero: Bool { (l0 | l1 | l2 | l3) == 0 }

    /// Montgomery multiplication (CIOS): a * b / 2^256 mod p.
    @inline(__always)
    static func * (a: FieldElement, b: FieldElement) -> FieldElement {
        var t = (UInt64(0), UInt64(0), UInt64(0), UInt64(0))
        round(&t, a, b.l0)
        round(&t, a, b.l1)
        round(&t, a, b.l2)
        round(&t, a, b.l3)
        return FieldElement(t.0, t.1, t.2, t.3).reducedOnce
    }

    /// One CIOS round: t = (t + a * word + m * p) / 2^64 with m chosen to clear the low
    /// limb. With a, t below 2p < 2^253 the result stays below 2p and fits four limbs.
    @inline(__always)
    private static func round(_ t: inout (UInt64, UInt64, UInt64, UInt64), _ a: FieldElement, _ word: UInt64) {
        let t0: UInt64
        var c: UInt64
        (t0, c) = multiplyAccumulate(t.0, a.l0, word, 0)
        var t1: UInt64, t2: UInt64, t3: UInt64, t4: UInt64
        (t1, c) = multiplyAccumulate(t.1, a.l1, word, c)
        (t2, c) = multiplyAccumulate(t.2, a.l2, word, c)
        (t3, t4) = multiplyAccumulate(t.3, a.l3, word, c)
        // m = -t0 mod 2^64; t0 + m * 1 is 0 with a carry unless t0 was 0.
        let m = 0 &- t0
        let carry: UInt64 = t0 == 0 ? 0 : 1
        let (u0, o0) = t1.addingReportingOverflow(carry)
        let (u1, o1) = t2.addingReportingOverflow(o0 ? 1 : 0)
        let (u2, c2) = multiplyAccumulate(t3, m, p3, o1 ? 1 : 0)
        let u3 = t4 &+ c2
        t = (u0, u1, u2, u3)
    }

    /// The element squared.
    @inline(__always)
    var squared: FieldElement { self * self }

    /// Subtracts p once when the limbs are at or above p.
    @inline(__always)
    private var reducedOnce: FieldElement {
        let (d0, b0) = l0.subtractingReportingOverflow(1)
        let (d1, b1) = subtractWithBorrow(l1, 0, b0)
        let (d2, b2) = subtractWithBorrow(l2, 0, b1)
        let (d3, b3) = subtractWithBorrow(l3, Self.p3, b2)
        return b3 ? self : FieldElement(d0, d1, d2, d3)
    }

    /// a + b mod p.
    @inline(__always)
    static func + (a: FieldElement, b: FieldElement) -> FieldElement {
        let (s0, c0) = a.l0.addingReportingOverflow(b.l0)
        let (s1, c1) = addWithCarry(a.l1, b.l1, c0)
        let (s2, c2) = addWithCarry(a.l2, b.l2, c1)
        let (s3, _) = addWithCarry(a.l3, b.l3, c2)
        return FieldElement(s0, s1, s2, s3).reducedOnce
    }

    /// a - b mod p.
    @inline(__always)
    static func - (a: FieldElement, b: FieldElement) -> FieldElement {
        let (d0, b0) = a.l0.subtractingReportingOverflow(b.l0)
        let (d1, b1) = subtractWithBorrow(a.l1, b.l1, b0)
        let (d2, b2) = subtractWithBorrow(a.l2, b.l2, b1)
        let (d3, b3) = subtractWithBorrow(a.l3, b.l3, b2)
        guard b3 else { return FieldElement(d0, d1, d2, d3) }
        let (e0, c0) = d0.addingReportingOverflow(1)
        let (e1, c1) = addWithCarry(d1, 0, c0)
        let (e2, c2) = addWithCarry(d2, 0, c1)
        let (e3, _) = addWithCarry(d3, p3, c2)
        return FieldElement(e0, e1, e2, e3)
    }

    /// -a mod p.
    @inline(__always)
    static prefix func - (a: FieldElement) -> FieldElement { zero - a }

    /// 2a mod p.
    @inline(__always)
    var doubled: FieldElement { self + self }

    /// self^exponent, by square-and-multiply from the top bit.
    func power(_ exponent: UInt256) -> FieldElement {
        var result = FieldElement.one
        for index in stride(from: exponent.bitWidth - 1, through: 0, by: -1) {
            result = result.squared
            if exponent.bit(index) == 1 { result = result * self }
        }
        return result
    }

    /// The inverse (Fermat: a^(p-2)); zero for zero.
    var inverse: FieldElement { power(UInt256(.max, .max, .max, Self.p3 - 1)) }

    /// Inverts every element of `elements` with one field inversion (Montgomery's trick);
    /// the elements must not be zero.
    static func batchInvert(_ elements: inout [FieldElement]) {
        guard !elements.isEmpty else { return }
        var prefix = [FieldElement](repeating: .one, count: elements.count)
        var running = FieldElement.one
        for index in elements.indices {
            prefix[index] = running
            running = running * elements[index]
        }
        var inverse = running.inverse
        for index in elements.indices.reversed() {
            let original = elements[index]
            elements[index] = inverse * prefix[index]
            inverse = inverse * original
        }
    }
}
