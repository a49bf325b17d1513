/// Square roots in the Stark field, which public keys given by x alone need (y from x).
///
/// p - 1 = 2^192 * q with q = 2^59 + 17 odd, so plain Tonelli-Shanks would spend some
/// 9,000 squarings finding a discrete logarithm in the 2^192-torsion. Instead the
/// logarithm is read 8 bits at a time against tables built once (Bernstein's windowed
/// method): about 2,200 squarings and 50 multiplications.
extension FieldElement {
    /// A square root, or nil when there is none.
    var squareRoot: FieldElement? {
        if isZero { return self }
        let tables = SquareRootTables.shared
        // a^((q - 1) / 2) gives both t = a^q and the candidate a^((q + 1) / 2).
        let half = power(UInt256(0x0400_0000_0000_0008))
        var t = self * half.squared
        let candidate = self * half
        // t = c^e for the generator c = 3^q of the torsion; find e's 24 base-256 digits,
        // lowest first: after removing the known digits, t^(2^(184 - 8i)) = h^(digit i)
        // for h = c^(2^184), of order 256.
        var exponent = UInt256.zero
        for window in 0..<24 {
            var probe = t
            for _ in 0..<(184 - 8 * window) { probe = probe.squared }
            guard let digit = tables.logarithm(ofTorsionElement: probe) else { return nil }
            if digit != 0 {
                t = t * tables.inversePower(window: window, digit: digit)
                exponent =
                    exponent.addingReportingOverflow(
                        UInt256(UInt64(digit) << UInt64(8 * (window % 8)))
                            .shiftedLeftByLimbs(window / 8)
                    ).0
            }
        }
        // a is a square exactly when e is even; then sqrt(a) = a^((q + 1) / 2) * c^(-e / 2).
        guard exponent.w0 & 1 == 0 else { return nil }
        let halfExponent = exponent.shiftedRightByOne
        var root = candidate
        for window in 0..<24 {
            let digit = Int(halfExponent.bits(at: 8 * window, count: 8))
            if digit != 0 { root = root * tables.inversePower(window: window, digit: digit) }
        }
        return root
    }
}

/// The tables of ``FieldElement/squareRoot``, built once at first use (about 6,400
/// multiplications).
private struct SquareRootTables: Sendable {
    static let shared = SquareRootTables()

    /// h^d for d in 0..<256, h = c^(2^184).
    private let torsionPowers: [FieldElement]
    /// c^(-d * 2^(8 i)) at index 256 i + d, for i in 0..<24 and d in 0..<256.
    private let inversePowers: [FieldElement]

    private init() {
        // c = 3^q; 3 is not a square mod p, so c has order exactly 2^192.
        let c = FieldElement(UInt256(3)).power(UInt256(0x0800_0000_0000_0011))
        var h = c
        for _ in 0..<184 { h = h.squared }
        var powers = [FieldElement.one]
        for _ in 1..<256 { powers.append(powers.last! * h) }
        torsionPowers = powers
        var inverses: [FieldElement] = []
        inverses.reserveCapacity(24 * 256)
        var base = c.inverse
        for _ in 0..<24 {
            var power = FieldElement.one
            for _ in 0..<256 {
                inverses.append(power)
                power = power * base
            }
            for _ in 0..<8 { base = base.squared }
        }
        inversePowers = inverses
    }

    /// The d with h^d = element, or nil when the element is outside h's group.
    func logarithm(ofTorsionElement element: FieldElement) -> Int? {
        torsionPowers.firstIndex(of: element)
    }

    /// c^(-digit * 2^(8 window)).
    func inversePower(window: Int, digit: Int) -> FieldElement {
        inversePowers[window << 8 | digit]
    }
}

extension UInt256 {
    /// self * 2^(64 count), dropping what passes 2^256.
    func shiftedLeftByLimbs(_ count: Int) -> UInt256 {
        switch count {
        case 0: self
        case 1: UInt256(0, w0, w1, w2)
        case 2: UInt256(0, 0, w0, w1)
        case 3: UInt256(0, 0, 0, w0)
        default: .zero
        }
    }
}
