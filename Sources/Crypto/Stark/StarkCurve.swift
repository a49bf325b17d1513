/// The Stark curve y^2 = x^3 + x + beta over the Stark field, in the coordinates the
/// hash and signature code add points in.
enum StarkCurve {
    /// The curve's constant term.
    static let beta = FieldElement(UInt256(hex: "0x6f21413efbe40de150e596d72f7a8c5609ad26c15c915c1f4cdfcb99cee9e89")!)

    /// The generator of StarkWare's ECDSA (pedersen_params.json, EC_GEN).
    static let generator = AffinePoint(
        x: "0x1ef15c18599971b7beced415a40f0c7deacfd9b0d1819e03d723d8bc943cfca",
        y: "0x5668060aa49730b7be4801df46ec62de53ecd11abe43a32873000c36e8dc1f")

    /// The y whose point (x, y) is on the curve, either of the two; nil when none is.
    static func y(forX x: FieldElement) -> FieldElement? {
        (x.squared * x + x + beta).squareRoot
    }
}

/// A point (x, y) on the curve, never the point at infinity. Coordinates in Montgomery form.
struct AffinePoint: Equatable, Sendable {
    /// The coordinates.
    var x, y: FieldElement

    /// The point with these coordinates.
    init(x: FieldElement, y: FieldElement) {
        self.x = x
        self.y = y
    }

    /// A constant point from hex coordinates; traps on bad input.
    init(x: StaticString, y: StaticString) {
        self.init(x: FieldElement(UInt256(hex: x.description)!), y: FieldElement(UInt256(hex: y.description)!))
    }

    /// The point's negation, (x, -y).
    var negated: AffinePoint { AffinePoint(x: x, y: -y) }
}

/// A point in Jacobian coordinates: (X / Z^2, Y / Z^3), infinity when Z is 0.
struct JacobianPoint: Sendable {
    /// The coordinates.
    var x, y, z: FieldElement

    /// The point at infinity.
    static let infinity = JacobianPoint(x: .one, y: .one, z: .zero)

    /// The point with these coordinates.
    @inline(__always)
    init(x: FieldElement, y: FieldElement, z: FieldElement) {
        self.x = x
        self.y = y
        self.z = z
    }

    /// `point` with Z = 1.
    @inline(__always)
    init(_ point: AffinePoint) { self.init(x: point.x, y: point.y, z: .one) }

    /// True for the point at infinity.
    @inline(__always)
    var isInfinity: Bool { z.isZero }

    /// The point's negation.
    var negated: JacobianPoint { JacobianPoint(x: x, y: -y, z: z) }

    /// The affine point (one inversion), or nil for infinity.
    var affine: AffinePoint? {
        guard !isInfinity else { return nil }
        let zInverse = z.inverse
        let zInverse2 = zInverse.squared
        return AffinePoint(x: x * zInverse2, y: y * zInverse2 * zInverse)
    }

    /// 2 * self ("dbl-2007-bl" with a = 1: 2M + 8S).
    @inline(__always)
    func doubled() -> JacobianPoint {
        if isInfinity || y.isZero { return .infinity }
        let xx = x.squared, yy = y.squared, yyyy = yy.squared, zz = z.squared
        let s = ((x + yy).squared - xx - yyyy).doubled
        let m = xx.doubled + xx + zz.squared
        let x3 = m.squared - s.doubled
        let eightYYYY = yyyy.doubled.doubled.doubled
        let y3 = m * (s - x3) - eightYYYY
        let z3 = (y + z).squared - yy - zz
        return JacobianPoint(x: x3, y: y3, z: z3)
    }

    /// self + other for an affine `other` ("madd-2007-bl": 7M + 4S).
    @inline(__always)
    func adding(_ other: AffinePoint) -> JacobianPoint {
        if isInfinity { return JacobianPoint(other) }
        let z1z1 = z.squared
        let u2 = other.x * z1z1
        let s2 = other.y * z * z1z1
        let h = u2 - x
        let r = (s2 - y).doubled
        if h.isZero { return r.isZero ? doubled() : .infinity }
        let hh = h.squared
        let i = hh.doubled.doubled
        let j = h * i
        let v = x * i
        let x3 = r.squared - j - v.doubled
        let y3 = r * (v - x3) - (y * j).doubled
        let z3 = (z + h).squared - z1z1 - hh
        return JacobianPoint(x: x3, y: y3, z: z3)
    }

    /// self + other ("add-2007-bl": 11M + 5S).
    @inline(__always)
    func adding(_ other: JacobianPoint) -> JacobianPoint {
        if isInfinity { return other }
        if other.isInfinity { return self }
        let z1z1 = z.squared, z2z2 = other.z.squared
        let u1 = x * z2z2, u2 = other.x * z1z1
        let s1 = y * other.z * z2z2, s2 = other.y * z * z1z1
        let h = u2 - u1
        let r = (s2 - s1).doubled
        if h.isZero { return r.isZero ? doubled() : .infinity }
        let i = h.doubled.squared
        let j = h * i
        let v = u1 * i
        let x3 = r.squared - j - v.doubled
        let y3 = r * (v - x3) - (s1 * j).doubled
        let z3 = ((z + other.z).squared - z1z1 - z2z2) * h
        return JacobianPoint(x: x3, y: y3, z: z3)
    }

    /// True when the affine x of this point is `x` (no inversion: X == x * Z^2).
    func hasAffineX(_ x: FieldElement) -> Bool {
        !isInfinity && self.x == x * z.squared
    }

    /// Converts many points to affine with one inversion; none may be infinity.
    static func normalize(_ points: [JacobianPoint]) -> [AffinePoint] {
        var zs = points.map(\.z)
        FieldElement.batchInvert(&zs)
        return zip(points, zs).map { point, zInverse in
            let zInverse2 = zInverse.squared
            return AffinePoint(x: point.x * zInverse2, y: point.y * zInverse2 * zInverse)
        }
    }
}

/// Multiples of one fixed point for scalar multiplication without doublings: for each
/// window i of `windowBits` bits, the points d * 2^(windowBits * i) * P for d in 1..<2^windowBits.
/// k * P is then one mixed addition per nonzero window of k.
struct FixedBaseTable: Sendable {
    /// Bits per window.
    let windowBits: Int
    /// Windows covered.
    let windowCount: Int
    /// windowCount rows of (2^windowBits - 1) points, row-major.
    private let points: [AffinePoint]

    /// Builds the table of `base` for scalars of `windowCount * windowBits` bits.
    init(base: AffinePoint, windowBits: Int, windowCount: Int) {
        self.windowBits = windowBits
        self.windowCount = windowCount
        let perWindow = (1 << windowBits) - 1
        var jacobian: [JacobianPoint] = []
        jacobian.reserveCapacity(perWindow * windowCount)
        var windowBase = JacobianPoint(base)
        for _ in 0..<windowCount {
            var multiple = windowBase
            for _ in 0..<perWindow {
                jacobian.append(multiple)
                multiple = multiple.adding(windowBase)
            }
            // `multiple` is now 2^windowBits times this window's base: the next base.
            windowBase = multiple
        }
        points = JacobianPoint.normalize(jacobian)
    }

    /// accumulator + scalar * base, for a scalar below 2^(windowBits * windowCount).
    @inline(__always)
    func accumulate(_ scalar: UInt256, into accumulator: inout JacobianPoint) {
        let perWindow = (1 << windowBits) - 1
        points.withUnsafeBufferPointer { table in
            for window in 0..<windowCount {
                let digit = Int(scalar.bits(at: window * windowBits, count: windowBits))
                if digit != 0 {
                    accumulator = accumulator.adding(table[window * perWindow + digit - 1])
                }
            }
        }
    }
}
