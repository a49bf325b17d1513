import CSodium
import WalletCrypto
import Keccak
import Testing

/// Project Wycheproof's secp256k1 ECDSA verification vectors, checked through our
/// recovery path: a signature is valid for us when it parses under docs/protocol.md
/// section 6 and recovers, with recovery id 0 or 1, to the group's public key.
///
/// Where Wycheproof and our rules differ, our rules decide, and each difference is
/// named:
/// - high s (s > n/2) is "valid" in the P1363 and SHA3 files; section 6 rejects it
///   (low-s, as geth and OpenZeppelin), so we expect `highS`.
/// - "k*G has a large x-coordinate": the nonce point's x is at least n, so only
///   recovery ids 2 and 3 reach it, which Ethereum's `v` (27/28) cannot express; such a
///   signature can never come from a wallet, and we expect it to be rejected.
@Suite("Wycheproof secp256k1 ECDSA")
struct WycheproofSecp256k1Tests {
    struct File: Decodable {
        struct Group: Decodable {
            struct PublicKey: Decodable { let uncompressed: String }
            struct Case: Decodable {
                let tcId: Int
                let comment: String
                let msg: String
                let sig: String
                let result: String
            }
            let publicKey: PublicKey
            let tests: [Case]
        }
        let numberOfTests: Int
        let testGroups: [Group]
    }

    enum Encoding: Sendable { case der, p1363 }
    enum Digest: Sendable { case sha256, sha3_256 }

    @Test(
        "every vector is decided as Wycheproof decides it, under our low-s and recovery-id rules",
        arguments: [
            ("wycheproof/ecdsa_secp256k1_sha256_bitcoin_test.json", Encoding.der, Digest.sha256),
            ("wycheproof/ecdsa_secp256k1_sha256_p1363_test.json", Encoding.p1363, Digest.sha256),
            ("wycheproof/ecdsa_secp256k1_sha3_256_test.json", Encoding.der, Digest.sha3_256),
        ])
    func vectors(path: String, encoding: Encoding, digest: Digest) throws {
        let file = try VectorFiles.json(path, as: File.self)
        var checked = 0
        var acceptedValid = 0
        var expectedValid = 0
        for group in file.testGroups {
            let expectedKey = try Secp256k1PublicKey(rawRepresentation: Hex.decode(group.publicKey.uncompressed))
            for test in group.tests {
                let message = try Hex.decode(test.msg)
                let hash = digest == .sha256 ? sha256(message) : sha3_256(message)
                let scalars: (r: [UInt8], s: [UInt8])? =
                    switch encoding {
                    case .der: try strictDER(Hex.decode(test.sig))
                    case .p1363: try p1363(Hex.decode(test.sig))
                    }
                var ours = false
                var parseErrors: [CryptoError] = []
                if let scalars {
                    for recoveryID: UInt8 in [0, 1] {
                        do {
                            let signature = try RecoverableSignature(rawRepresentation: scalars.r + scalars.s + [recoveryID])
                            if try signature.recoverPublicKey(messageHash: hash) == expectedKey { ours = true }
                        } catch {
                            parseErrors.append(error)
                        }
                    }
                }
                let isHighS = scalars.map { isAboveHalfOrder($0.s) } ?? false
                let largeX = test.comment == "k*G has a large x-coordinate"
                let expected = test.result == "valid" && !isHighS && !largeX
                #expect(ours == expected, "tcId \(test.tcId) (\(test.comment)): ours \(ours), expected \(expected)")
                if test.result == "valid" && isHighS {
                    #expect(parseErrors.contains(CryptoError.highS), "tcId \(test.tcId) must fail the low-s rule")
                }
                if ours { acceptedValid += 1 }
                if expected { expectedValid += 1 }
                checked += 1
            }
        }
        #expect(checked == file.numberOfTests)
        #expect(acceptedValid == expectedValid)
        // Not vacuous: about half of each file's valid vectors are low-s and must pass.
        #expect(acceptedValid >= 90, "found only \(acceptedValid) accepted vectors")
    }

    /// SHA-256 from libsodium: independent of our Keccak, and only the tests need it.
    private func sha256(_ message: [UInt8]) -> Digest256 {
        var output = [UInt8](repeating: 0, count: 32)
        _ = crypto_hash_sha256(&output, message, UInt64(message.count))
        return Digest256(bytes: output)!
    }

    private func isAboveHalfOrder(_ s: [UInt8]) -> Bool {
        let halfOrder = try! Hex.decode("7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0")
        return s.lexicographicallyPrecedes(halfOrder) == false && s != halfOrder
    }

    /// r and s from a P1363 signature: exactly 64 bytes.
    private func p1363(_ bytes: [UInt8]) -> (r: [UInt8], s: [UInt8])? {
        guard bytes.count == 64 else { return nil }
        return (Array(bytes[0..<32]), Array(bytes[32..<64]))
    }

    /// r and s from a strict DER `SEQUENCE { INTEGER r, INTEGER s }`: short-form
    /// lengths, minimal positive integers, nothing trailing; each padded to 32 bytes.
    /// Any BER laxity makes the signature invalid, as Wycheproof expects.
    private func strictDER(_ bytes: [UInt8]) -> (r: [UInt8], s: [UInt8])? {
        var input = bytes[...]
        func take(_ count: Int) -> ArraySlice<UInt8>? {
            guard input.count >= count else { return nil }
            defer { input = input.dropFirst(count) }
            return input.prefix(count)
        }
        func length() -> Int? {
            guard let first = take(1)?.first else { return nil }
            if first < 0x80 { return Int(first) }
            // Long form is legal DER only for lengths >= 128, which no signature here has.
            guard first == 0x81, let value = take(1)?.first, value >= 0x80 else { return nil }
            return Int(value)
        }
        func integer() -> [UInt8]? {
            guard take(1)?.first == 0x02, let count = length(), count > 0, var value = take(count) else { return nil }
            if value.first! & 0x80 != 0 { return nil }  // negative
            if value.count > 1 && value.first == 0 && value[value.startIndex + 1] & 0x80 == 0 { return nil }  // not minimal
            if value.first == 0 && value.count > 1 { value = value.dropFirst() }
            guard value.count <= 32 else { return nil }
            return [UInt8](repeating: 0, count: 32 - value.count) + value
        }
        guard take(1)?.first == 0x30, let sequenceLength = length(), sequenceLength == input.count else { return nil }
        guard let r = integer(), let s = integer(), input.isEmpty else { return nil }
        return (r, s)
    }
}
