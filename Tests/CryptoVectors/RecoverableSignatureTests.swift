import WalletCrypto
import Keccak
import Testing

/// The strict signature rules of docs/protocol.md section 6, on negative vectors built from a
/// valid eth-account signature (the section 5 known answer).
@Suite("Recoverable signature rules")
struct RecoverableSignatureTests {
    static let knownAnswer = try! Hex.decode(
        "c9fbd3959551bec133714acc04af6ae360963063a10370ad43b1077acece8b332316b7706273b0226dd3f0d76820f719bee1967b7fe161f2deb3eee864f209821c"
    )
    static let n = try! Hex.decode("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141")
    static let halfN = try! Hex.decode("7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0")

    static var r: [UInt8] { Array(knownAnswer[0..<32]) }
    static var s: [UInt8] { Array(knownAnswer[32..<64]) }

    /// n - s, computed byte by byte: the high-s twin of a low-s signature.
    static func negate(_ s: [UInt8]) -> [UInt8] {
        var result = [UInt8](repeating: 0, count: 32)
        var borrow = 0
        for index in (0..<32).reversed() {
            var difference = Int(n[index]) - Int(s[index]) - borrow
            borrow = difference < 0 ? 1 : 0
            if difference < 0 { difference += 256 }
            result[index] = UInt8(difference)
        }
        return result
    }

    static func plusOne(_ value: [UInt8]) -> [UInt8] {
        var result = value
        for index in (0..<32).reversed() {
            result[index] &+= 1
            if result[index] != 0 { break }
        }
        return result
    }

    @Test(
        "v must be 27, 28, 0 or 1",
        arguments: [2, 26, 29, 30, 35, 36, 37, 38, 255] as [UInt8])
    func recoveryIDs(v: UInt8) {
        #expect(throws: CryptoError.invalidRecoveryID) {
            try RecoverableSignature(rawRepresentation: Self.r + Self.s + [v])
        }
    }

    @Test("the accepted v values map to recovery ids 0 and 1")
    func acceptedRecoveryIDs() throws {
        #expect(try RecoverableSignature(rawRepresentation: Self.r + Self.s + [27]).recoveryID == 0)
        #expect(try RecoverableSignature(rawRepresentation: Self.r + Self.s + [28]).recoveryID == 1)
        #expect(try RecoverableSignature(rawRepresentation: Self.r + Self.s + [0]).recoveryID == 0)
        #expect(try RecoverableSignature(rawRepresentation: Self.r + Self.s + [1]).recoveryID == 1)
    }

    @Test("r and s must be in [1, n-1]")
    func scalarRanges() {
        let zero = [UInt8](repeating: 0, count: 32)
        let allOnes = [UInt8](repeating: 0xFF, count: 32)
        let cases: [(String, [UInt8])] = [
            ("r = 0", zero + Self.s + [27]),
            ("s = 0", Self.r + zero + [27]),
            ("r = n", Self.n + Self.s + [27]),
            ("r = n + 1", Self.plusOne(Self.n) + Self.s + [27]),
            ("r = 2^256 - 1", allOnes + Self.s + [27]),
            ("s = n", Self.r + Self.n + [27]),
            ("s = 2^256 - 1", Self.r + allOnes + [27]),
        ]
        for (name, bytes) in cases {
            #expect(throws: CryptoError.scalarOutOfRange, "\(name)") { try RecoverableSignature(rawRepresentation: bytes) }
        }
    }

    @Test("s above n/2 is rejected (low-s), s = n/2 is accepted")
    func lowS() throws {
        let highS = Self.negate(Self.s)
        #expect(throws: CryptoError.highS) { try RecoverableSignature(rawRepresentation: Self.r + highS + [28]) }
        #expect(throws: CryptoError.highS) {
            try RecoverableSignature(rawRepresentation: Self.r + Self.plusOne(Self.halfN) + [27])
        }
        #expect(throws: Never.self) { try RecoverableSignature(rawRepresentation: Self.r + Self.halfN + [27]) }
        // The smallest and largest r are in range.
        let one = [UInt8](repeating: 0, count: 31) + [1]
        let nMinusOne = Self.negate(one)
        #expect(throws: Never.self) { try RecoverableSignature(rawRepresentation: one + Self.s + [27]) }
        #expect(throws: Never.self) { try RecoverableSignature(rawRepresentation: nMinusOne + Self.s + [27]) }
    }

    @Test("only 65-byte and 64-byte forms exist, and hex must spell one of them")
    func lengths() throws {
        for count in [0, 1, 63, 66, 130] {
            #expect(throws: CryptoError.invalidLength, "\(count) bytes") {
                try RecoverableSignature(rawRepresentation: [UInt8](repeating: 1, count: count))
            }
        }
        let hex = Hex.encode(Self.knownAnswer)
        #expect(throws: CryptoError.invalidLength) { try RecoverableSignature(hex: "0x" + hex.dropLast(4)) }
        #expect(throws: CryptoError.invalidLength) { try RecoverableSignature(hex: "0x" + hex.dropLast(1)) }
        #expect(throws: CryptoError.invalidLength) { try RecoverableSignature(hex: "0x" + hex + "00") }
        #expect(throws: CryptoError.invalidHex) { try RecoverableSignature(hex: "0x" + hex.dropLast(1) + "g") }
        #expect(throws: Never.self) { try RecoverableSignature(hex: hex) }
        #expect(throws: Never.self) { try RecoverableSignature(hex: "0x" + hex.uppercased()) }
        // 128 digits is the EIP-2098 compact form, not a truncated 65-byte one.
        let compact = try RecoverableSignature(
            hex: Hex.encode(RecoverableSignature(rawRepresentation: Self.knownAnswer).compactRepresentation))
        #expect(compact.rawRepresentation == Self.knownAnswer)
    }

    @Test("EIP-2098: the top bit of the second word carries the parity, both forms round-trip")
    func compactForm() throws {
        let full = try RecoverableSignature(rawRepresentation: Self.knownAnswer)
        let compact = full.compactRepresentation
        #expect(compact[32] >> 7 == full.recoveryID)
        #expect(try RecoverableSignature(rawRepresentation: compact) == full)
        #expect(full.rawRepresentation == Self.knownAnswer)
        // With the top bit cleared, the compact form means the other parity.
        var otherParity = compact
        otherParity[32] ^= 0x80
        #expect(try RecoverableSignature(rawRepresentation: otherParity).recoveryID == 1 - full.recoveryID)
    }
}
