/// A number modulo the Stark curve's order n, in Montgomery form (a * 2^256 mod n): the
/// arithmetic of ECDSA scalars (u1 = z * w, u2 = r * w, s = (z + r * d) / k, and w = 1 / s).
///
/// Only a handful of these run per signature, so this is plain CIOS with a general n'.
struct ScalarElement: Equatable, Sendable {
    /// The Montgomery form, least significant limb first, always below n.
    private var limbs: UInt256

    /// The curve order n.
    static let order = UInt256(0x1e66_a241_adc6_4d2f, 0xb781_126d_cae7_b232, 0xffff_ffff_ffff_ffff, 0x0800_0000_0000_0010)
    /// -n^-1 mod 2^64.
    private static let nPrime: UInt64 = 0xbb6b_3c4c_e8bd_e631
    /// 2^512 mod n, which takes a number into Montgomery form.
    private static let rSquared = ScalarElement(
        montgomery: UInt256(0x6021_b3f1_ea1c_688d, 0x509c_f64d_14ce_60b9, 0xbaf0_ab4c_f78b_babb, 0x07d9_e57c_2333_766e))

    private init(montgomery limbs: UInt256) { self.limbs = limbs }

    /// The element equal to `value`, which must be below n.
    init(_ value: UInt256) {
        precondition(value < Self.order, "a scalar is below n")
        self = ScalarElement(montgomery: value) * Self.rSquared
    }

    /// The canonical value, below n.
    var value: UInt256 { (self * ScalarElement(montgomery: UInt256(1))).limbs }

    /// One.
    static let one = ScalarElement(UInt256(1))

    /// True for zero.
    var isZero: Bool { limbs.isZero }

    /// Montgomery multiplication: a * b / 2^256 mod n.
    static func * (a: ScalarElement, b: ScalarElement) -> ScalarElement {
        let n = order
        var t = (UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0))
        for index in 0..<4 {
            let word = b.limbs.limb(index)
            var c: UInt64
            (t.0, c) = multiplyAccumulate(t.0, a.limbs.w0, word, 0)
            (t.1, c) = multiplyAccumulate(t.1, a.limbs.w1, word, c)
            (t.2, c) = multiplyAccumulate(t.2, a.limbs.w2, word, c)
            (t.3, c) = multiplyAccumulate(t.3, a.limbs.w3, word, c)
            t.4 = t.4 &+ c
            let m = t.0 &* nPrime
            (_, c) = multiplyAccumulate(t.0, m, n.w0, 0)
            (t.0, c) = multiplyAccumulate(t.1, m, n.w1, c)
            (t.1, c) = multiplyAccumulate(t.2, m, n.w2, c)
            (t.2, c) = multiplyAccumulate(t.3, m, n.w3, c)
            (t.3, t.4) = (t.4 &+ c, 0)
        }
        // n < 2^252, so t < 2n fits four limbs; one subtraction makes it canonical.
        let result = UInt256(t.0, t.1, t.2, t.3)
        let (reduced, borrow) = result.subtractingReportingBorrow(n)
        return ScalarElement(montgomery: borrow ? result : reduced)
    }

    /// a + b mod n.
    static func + (a: ScalarElement, b: ScalarElement) -> ScalarElement {
        let (sum, _) = a.limbs.addingReportingOverflow(b.limbs)  // below 2n < 2^253
        let (reduced, borrow) = sum.subtractingReportingBorrow(order)
        return ScalarElement(montgomery: borrow ? sum : reduced)
    }

    /// self^exponent, by square-and-multiply from the top bit.
    func power(_ exponent: UInt256) -> ScalarElement {
        var result = ScalarElement.one
        for index in stride(from: exponent.bitWidth - 1, through: 0, by: -1) {
            result = result * result
            if exponent.bit(index) == 1 { result = result * self }
        }
        return result
    }

    /// The inverse (Fermat: a^(n-2), n is prime); zero for zero.
    var inverse: ScalarElement {
        power(Self.order.subtractingReportingBorrow(UInt256(2)).0)
    }
}
