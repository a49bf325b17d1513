/// A StarkNet ECDSA signature (r, s), checked against StarkWare's ranges when made:
/// 1 <= r < 2^251, 1 <= s < n, and w = s^-1 mod n below 2^251 (crypto-cpp verifies with w).
///
/// A signature that passes these checks is well formed; whether it signs a given hash
/// with a given key is ``StarkPublicKey/isValidSignature(_:for:)``'s question.
public struct StarkSignature: Hashable, Sendable {
    /// The x coordinate of the nonce point, below 2^251.
    public let r: UInt256
    /// The proof scalar, in [1, n).
    public let s: UInt256
    /// w = s^-1 mod n, below 2^251: what crypto-cpp's `Verify` takes instead of s.
    public let w: UInt256

    /// 2^251, the bound on r, w and message hashes.
    static let bound = UInt256(0, 0, 0, 0x0800_0000_0000_0000)

    /// A signature from its two numbers; throws `scalarOutOfRange` when r, s or w is
    /// outside StarkWare's ranges.
    public init(r: UInt256, s: UInt256) throws(CryptoError) {
        guard !r.isZero, r < Self.bound else {
            throw CryptoError(.scalarOutOfRange, "a StarkNet signature's r must be in [1, 2^251)")
        }
        guard !s.isZero, s < ScalarElement.order else {
            throw CryptoError(.scalarOutOfRange, "a StarkNet signature's s must be in [1, n)")
        }
        let w = ScalarElement(s).inverse.value
        guard w < Self.bound else {
            throw CryptoError(.scalarOutOfRange, "a StarkNet signature's s^-1 mod n must be below 2^251")
        }
        self.r = r
        self.s = s
        self.w = w
    }

    /// True when `messageHash` is in [1, 2^251), the hashes crypto-cpp signs and verifies;
    /// ``StarkPublicKey/isValidSignature(_:for:)`` answers false for any other.
    public static func isInRange(messageHash: Felt) -> Bool {
        !messageHash.value.isZero && messageHash.value < bound
    }

    /// Equal when r and s are.
    public static func == (lhs: StarkSignature, rhs: StarkSignature) -> Bool {
        lhs.r == rhs.r && lhs.s == rhs.s
    }

    /// Hashes r and s, consistent with `==`.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(r)
        hasher.combine(s)
    }
}

/// A Stark public key as StarkNet accounts publish it: the x coordinate of a curve point.
///
/// Either of the two points with that x verifies the same signatures, as in crypto-cpp's
/// `Verify`, so the key needs no y from the outside.
public struct StarkPublicKey: Hashable, Sendable {
    /// The x coordinate, the "stark key".
    public let x: Felt
    /// One of the two points with this x.
    let point: AffinePoint

    /// The key whose x coordinate is `x`; throws `invalidPublicKey` when no curve point has it.
    public init(x: Felt) throws(CryptoError) {
        let xElement = x.fieldElement
        guard let y = StarkCurve.y(forX: xElement) else {
            throw CryptoError(.invalidPublicKey, "no point of the Stark curve has this x")
        }
        self.x = x
        self.point = AffinePoint(x: xElement, y: y)
    }

    /// The key of a known point.
    init(point: AffinePoint) {
        self.x = Felt(point.x)
        self.point = point
    }

    /// Equal when the x coordinates are.
    public static func == (lhs: StarkPublicKey, rhs: StarkPublicKey) -> Bool { lhs.x == rhs.x }

    /// Hashes x, consistent with `==`.
    public func hash(into hasher: inout Hasher) { hasher.combine(x) }

    /// True when `signature` signs `messageHash` with this key, as crypto-cpp's `Verify`
    /// decides: x(w * (z * G + r * Q)) == r or x(w * (z * G - r * Q)) == r.
    ///
    /// False, like crypto-cpp, for a message hash of 0 or at least 2^251, and when
    /// z * w * G and r * w * Q share their x (crypto-cpp refuses to add such points).
    public func isValidSignature(_ signature: StarkSignature, for messageHash: Felt) -> Bool {
        guard StarkSignature.isInRange(messageHash: messageHash) else { return false }
        let z = messageHash.value
        let w = ScalarElement(signature.w)
        let u1 = (ScalarElement(z) * w).value
        let u2 = (ScalarElement(signature.r) * w).value
        var zwG = JacobianPoint.infinity
        GeneratorTable.shared.accumulate(u1, into: &zwG)
        let rwQ = point.multiplied(by: u2)
        guard !zwG.hasSameAffineX(as: rwQ) else { return false }
        let r = FieldElement(signature.r)
        return zwG.adding(rwQ).hasAffineX(r) || zwG.adding(rwQ.negated).hasAffineX(r)
    }
}

/// Multiples of the generator for fixed-base multiplication, built once at first use.
enum GeneratorTable {
    /// Covers scalars below 2^256 > n: 32 windows of 8 bits, 8,160 points (522 KB).
    static let shared = FixedBaseTable(base: StarkCurve.generator, windowBits: 8, windowCount: 32)
}

extension JacobianPoint {
    /// True when both points are finite and have the same affine x.
    func hasSameAffineX(as other: JacobianPoint) -> Bool {
        guard !isInfinity, !other.isInfinity else { return false }
        return x * other.z.squared == other.x * z.squared
    }
}

extension AffinePoint {
    /// scalar * self, for a scalar below 2^253: width-5 NAF, left to right, with the odd
    /// multiples self, 3 self, ..., 15 self on the stack.
    func multiplied(by scalar: UInt256) -> JacobianPoint {
        withUnsafeTemporaryAllocation(of: JacobianPoint.self, capacity: 8) { odd in
            let doubled = JacobianPoint(self).doubled()
            odd.initialize(repeating: JacobianPoint(self))
            for index in 1..<8 { odd[index] = odd[index - 1].adding(doubled) }
            return withUnsafeTemporaryAllocation(of: Int8.self, capacity: 256) { digits in
                let count = Self.nonAdjacentForm(of: scalar, into: digits)
                var result = JacobianPoint.infinity
                for index in stride(from: count - 1, through: 0, by: -1) {
                    result = result.doubled()
                    let digit = Int(digits[index])
                    if digit > 0 {
                        result = result.adding(odd[(digit - 1) >> 1])
                    } else if digit < 0 {
                        result = result.adding(odd[(-digit - 1) >> 1].negated)
                    }
                }
                return result
            }
        }
    }

    /// Writes the width-5 NAF digits of `scalar` (least significant first, each 0 or odd
    /// in [-15, 15]) and returns their count.
    private static func nonAdjacentForm(of scalar: UInt256, into digits: UnsafeMutableBufferPointer<Int8>) -> Int {
        var rest = scalar
        var count = 0
        while !rest.isZero {
            var digit = 0
            if rest.w0 & 1 == 1 {
                digit = Int(rest.w0 & 31)
                if digit >= 16 { digit -= 32 }
                rest =
                    digit > 0
                    ? rest.subtractingReportingBorrow(UInt256(UInt64(digit))).0
                    : rest.addingReportingOverflow(UInt256(UInt64(-digit))).0
            }
            digits[count] = Int8(digit)
            count += 1
            rest = rest.shiftedRightByOne
        }
        return count
    }
}

extension UInt256 {
    /// self / 2.
    var shiftedRightByOne: UInt256 {
        UInt256(w0 >> 1 | w1 << 63, w1 >> 1 | w2 << 63, w2 >> 1 | w3 << 63, w3 >> 1)
    }
}
