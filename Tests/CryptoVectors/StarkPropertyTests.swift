@testable import WalletCrypto
import Testing

/// Properties of the Stark arithmetic, parsing and signatures on random values.
@Suite("StarkNet properties")
struct StarkPropertyTests {
    typealias SplitMix64 = PropertyTests.SplitMix64

    static let p = FieldElement.modulus
    static let n = ScalarElement.order

    /// A uniform-ish number below `bound` (rejection sampling on the top bits).
    static func random(below bound: UInt256, _ generator: inout SplitMix64) -> UInt256 {
        while true {
            let candidate = UInt256(generator.next(), generator.next(), generator.next(), generator.next() >> 4)
            if candidate < bound { return candidate }
        }
    }

    /// (a * b) mod m by double-and-add with modular addition only: a reference for Montgomery.
    static func referenceProduct(_ a: UInt256, _ b: UInt256, modulus m: UInt256) -> UInt256 {
        func addMod(_ x: UInt256, _ y: UInt256) -> UInt256 {
            let (sum, _) = x.addingReportingOverflow(y)  // both below m < 2^252
            let (reduced, borrow) = sum.subtractingReportingBorrow(m)
            return borrow ? sum : reduced
        }
        var result = UInt256.zero
        for index in stride(from: 255, through: 0, by: -1) {
            result = addMod(result, result)
            if b.bit(index) == 1 { result = addMod(result, a) }
        }
        return result
    }

    @Test("field multiplication, inversion and square roots agree with the field laws", arguments: 0..<4 as Range<UInt64>)
    func fieldLaws(seed: UInt64) {
        var generator = SplitMix64(state: seed)
        for _ in 0..<50 {
            let (x, y, z) = (
                Self.random(below: Self.p, &generator), Self.random(below: Self.p, &generator),
                Self.random(below: Self.p, &generator)
            )
            let (a, b, c) = (FieldElement(x), FieldElement(y), FieldElement(z))
            #expect((a * b).value == Self.referenceProduct(x, y, modulus: Self.p))
            #expect(a * b == b * a)
            #expect((a + b) + c == a + (b + c))
            #expect(a * (b + c) == a * b + a * c)
            #expect((a - b) + b == a)
            #expect(a + (-a) == .zero)
            #expect(a.isZero || a * a.inverse == .one)
            let root = (a * a).squareRoot
            #expect(root == a || root == -a)
            #expect(a.value == x)
        }
    }

    @Test("scalar multiplication mod n agrees with the reference and inverts", arguments: 0..<2 as Range<UInt64>)
    func scalarLaws(seed: UInt64) {
        var generator = SplitMix64(state: seed)
        for _ in 0..<50 {
            let (x, y) = (Self.random(below: Self.n, &generator), Self.random(below: Self.n, &generator))
            let (a, b) = (ScalarElement(x), ScalarElement(y))
            #expect((a * b).value == Self.referenceProduct(x, y, modulus: Self.n))
            #expect(a.isZero || (a * a.inverse).value == UInt256(1))
        }
    }

    @Test("decimal and hex text round-trip; bad text is refused")
    func parsing() {
        var generator = SplitMix64(state: 7)
        for _ in 0..<100 {
            let value = UInt256(generator.next(), generator.next(), generator.next(), generator.next())
            #expect(UInt256(decimal: value.decimalString) == value)
            #expect(UInt256(hex: value.hexString) == value)
            #expect(UInt256(hex: value.paddedHexString.dropFirst(2).uppercased()) == value)
        }
        let max = UInt256(.max, .max, .max, .max)
        #expect(max.decimalString == "115792089237316195423570985008687907853269984665640564039457584007913129639935")
        #expect(UInt256(decimal: "115792089237316195423570985008687907853269984665640564039457584007913129639936") == nil)
        #expect(UInt256(decimal: "0" + max.decimalString) == nil)  // 79 digits
        #expect(UInt256(decimal: String(repeating: "0", count: 77) + "7") == UInt256(7))
        for bad in ["", "-1", "+1", " 1", "1 ", "1e3", "0x10", "１"] { #expect(UInt256(decimal: bad) == nil, "\(bad)") }
        for bad in ["", "0x", "0X1", "x1", "0x" + String(repeating: "f", count: 65), "0xg", "-0x1"] {
            #expect(UInt256(hex: bad) == nil, "\(bad)")
        }
        #expect(UInt256.zero.hexString == "0x0" && UInt256.zero.decimalString == "0")
    }

    @Test("a felt is below p; its text forms are canonical")
    func feltBounds() throws {
        let pMinusOne = Self.p.subtractingReportingBorrow(UInt256(1)).0
        #expect(Felt(pMinusOne) != nil)
        #expect(Felt(Self.p) == nil)
        #expect(throws: CryptoError.feltOutOfRange) { try Felt(hex: Self.p.hexString) }
        #expect(throws: CryptoError.invalidLength) { try Felt(hex: "0x" + String(repeating: "0", count: 65)) }
        #expect(throws: CryptoError.invalidHex) { try Felt(hex: "0xz") }
        let felt = try Felt(hex: "0x00ABC")
        #expect(felt.hexString == "0xabc")
        #expect(felt.paddedHexString == "0x" + String(repeating: "0", count: 61) + "abc")
        #expect(felt.decimalString == "2748")
        #expect(Felt(shortString: String(repeating: "a", count: 32)) == nil)
        #expect(Felt(shortString: "é") == nil)
    }

    @Test(
        "sign then verify holds for random keys and hashes; a flipped bit of r, s or the hash fails",
        arguments: 0..<2 as Range<UInt64>)
    func signThenVerify(seed: UInt64) throws {
        var generator = SplitMix64(state: seed)
        let bound = StarkSignature.bound
        for _ in 0..<8 {
            let key = try StarkPrivateKey(Self.random(below: Self.n, &generator))
            let hash = Felt(unchecked: Self.random(below: bound, &generator))
            let publicKey = key.publicKey
            let signature = try key.sign(messageHash: hash)
            #expect(publicKey.isValidSignature(signature, for: hash))
            #expect(try StarkPublicKey(x: publicKey.x).isValidSignature(signature, for: hash))
            let bit = Int(generator.next() % 251)
            let flip = UInt256(0, 0, 0, 0).withBit(bit)
            if let flippedR = try? StarkSignature(r: signature.r ^ flip, s: signature.s) {
                #expect(!publicKey.isValidSignature(flippedR, for: hash))
            }
            if let flippedS = try? StarkSignature(r: signature.r, s: signature.s ^ flip) {
                #expect(!publicKey.isValidSignature(flippedS, for: hash))
            }
            #expect(!publicKey.isValidSignature(signature, for: Felt(unchecked: hash.value ^ flip)))
        }
    }
}

extension UInt256 {
    /// This number with bit `index` set.
    fileprivate func withBit(_ index: Int) -> UInt256 {
        var limbs = [w0, w1, w2, w3]
        limbs[index / 64] |= 1 << UInt64(index % 64)
        return UInt256(limbs[0], limbs[1], limbs[2], limbs[3])
    }

    fileprivate static func ^ (lhs: UInt256, rhs: UInt256) -> UInt256 {
        UInt256(lhs.w0 ^ rhs.w0, lhs.w1 ^ rhs.w1, lhs.w2 ^ rhs.w2, lhs.w3 ^ rhs.w3)
    }
}
