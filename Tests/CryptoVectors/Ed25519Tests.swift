import WalletCrypto
import Testing

/// ed25519 through our libsodium wrapper: the RFC 8032 section 7.1 vectors and
/// Project Wycheproof's edge cases.
@Suite("ed25519")
struct Ed25519Tests {
    struct RFC8032File: Decodable {
        struct Vector: Decodable {
            let name: String
            let secret_key: String
            let public_key: String
            let message: String
            let signature: String
        }
        let vectors: [Vector]
    }

    @Test("RFC 8032 vectors: the seed gives the public key, signing gives the signature, and it verifies")
    func rfc8032() throws {
        let file = try VectorFiles.json("rfc8032_ed25519.json", as: RFC8032File.self)
        #expect(file.vectors.map(\.name) == ["TEST 1", "TEST 2", "TEST 3", "TEST 1024", "TEST SHA(abc)"])
        for vector in file.vectors {
            let keyPair = try Ed25519KeyPair(seed: Hex.decode(vector.secret_key))
            let message = try Hex.decode(vector.message)
            let expectedKey = try Ed25519PublicKey(hex: vector.public_key)
            let expectedSignature = try Ed25519Signature(rawRepresentation: Hex.decode(vector.signature))
            #expect(keyPair.publicKey == expectedKey, "\(vector.name)")
            #expect(keyPair.signature(for: message) == expectedSignature, "\(vector.name)")
            #expect(expectedKey.isValidSignature(expectedSignature, for: message), "\(vector.name)")
            var tampered = message + [0]
            #expect(!expectedKey.isValidSignature(expectedSignature, for: tampered), "\(vector.name) + 1 byte")
            tampered = Array(message.dropLast())
            if !message.isEmpty {
                #expect(!expectedKey.isValidSignature(expectedSignature, for: tampered), "\(vector.name) - 1 byte")
            }
        }
    }

    struct WycheproofFile: Decodable {
        struct Group: Decodable {
            struct PublicKey: Decodable { let pk: String }
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

    /// Every Wycheproof verdict is ours: libsodium rejects non-canonical S, small-order
    /// R and signatures of the wrong length, and every group's key is a valid point.
    @Test("Wycheproof ed25519 vectors are decided as Wycheproof decides them")
    func wycheproof() throws {
        let file = try VectorFiles.json("wycheproof/ed25519_test.json", as: WycheproofFile.self)
        var checked = 0
        for group in file.testGroups {
            let key = try Ed25519PublicKey(hex: group.publicKey.pk)
            for test in group.tests {
                let message = try Hex.decode(test.msg)
                let signatureBytes = try Hex.decode(test.sig)
                let ours =
                    (try? Ed25519Signature(rawRepresentation: signatureBytes))
                    .map { key.isValidSignature($0, for: message) } ?? false
                #expect(ours == (test.result == "valid"), "tcId \(test.tcId) (\(test.comment))")
                checked += 1
            }
        }
        #expect(checked == file.numberOfTests)
    }

    @Test("public keys that are not valid points are rejected")
    func invalidPoints() throws {
        // The identity (small order), a point of order 8, a non-canonical y (>= p), and
        // a y that is not on the curve.
        let invalid = [
            "0100000000000000000000000000000000000000000000000000000000000000",
            "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a",
            "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
            "0200000000000000000000000000000000000000000000000000000000000000",
        ]
        for hex in invalid {
            #expect(throws: CryptoError.invalidPublicKey, "\(hex)") { try Ed25519PublicKey(hex: hex) }
        }
        #expect(throws: CryptoError.invalidLength) { try Ed25519PublicKey(rawRepresentation: [UInt8](repeating: 1, count: 31)) }
        #expect(throws: CryptoError.invalidHex) { try Ed25519PublicKey(hex: String(repeating: "zz", count: 32)) }
    }

    @Test("signatures travel as strict base64 of 64 bytes")
    func base64Signatures() throws {
        let keyPair = try Ed25519KeyPair(seed: [UInt8](repeating: 7, count: 32))
        let signature = keyPair.signature(for: Array("user:abc1689150327546".utf8))
        let decoded = try Ed25519Signature(base64: signature.base64)
        #expect(decoded == signature)
        #expect(keyPair.publicKey.isValidSignature(decoded, for: Array("user:abc1689150327546".utf8)))
        #expect(throws: CryptoError.invalidLength) {
            try Ed25519Signature(base64: Base64.encode([UInt8](repeating: 0, count: 63)))
        }
        #expect(throws: CryptoError.invalidBase64) { try Ed25519Signature(base64: String(signature.base64.dropLast())) }
    }
}
