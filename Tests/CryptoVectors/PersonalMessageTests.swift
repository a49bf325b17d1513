import WalletCrypto
import Keccak
import Testing

/// EIP-191 `personal_sign`: hashing, recovery and signing against vectors produced by
/// eth-account (`scripts/vectors/gen_eip191_vectors.py`), and the known answer of
/// docs/protocol.md section 5.
@Suite("EIP-191 personal messages")
struct PersonalMessageTests {
    struct File: Decodable {
        struct Vector: Decodable {
            let name: String
            let private_key: String
            let address: String
            let message_hex: String
            let hash: String
            let signature: String
            let compact: String
        }
        let vectors: [Vector]
    }

    static let vectors: [File.Vector] = try! VectorFiles.json("eip191_eth_account.json", as: File.self).vectors

    @Test("the EIP-191 hash matches eth-account's for every vector")
    func hashes() throws {
        #expect(Self.vectors.count >= 100)
        for vector in Self.vectors {
            #expect(PersonalMessage.hash(try Hex.decode(vector.message_hex)).hexString == vector.hash, "\(vector.name)")
        }
    }

    @Test("every eth-account signature recovers to its address, as r||s||v (27/28), r||s||v (0/1) and EIP-2098")
    func recovery() throws {
        var parities: Set<UInt8> = []
        for vector in Self.vectors {
            let message = try Hex.decode(vector.message_hex)
            let expected = try EthereumAddress(parsing: vector.address)
            let full = try Hex.decode(vector.signature)
            let zeroOne = Array(full.dropLast()) + [full[64] - 27]
            for form in [full, zeroOne, try Hex.decode(vector.compact)] {
                let signature = try RecoverableSignature(rawRepresentation: form)
                #expect(try signature.recoverAddress(personalMessage: message) == expected, "\(vector.name)")
            }
            parities.insert(full[64])
        }
        #expect(parities == [27, 28])
    }

    @Test("our signer reproduces eth-account's signatures byte for byte (RFC 6979 nonces)")
    func signing() throws {
        for vector in Self.vectors {
            let key = try Secp256k1PrivateKey(rawRepresentation: Hex.decode(vector.private_key))
            let message = try Hex.decode(vector.message_hex)
            #expect(key.address == (try EthereumAddress(parsing: vector.address)), "\(vector.name)")
            let signature = key.signature(forPersonalMessage: message)
            #expect(signature.description == vector.signature, "\(vector.name)")
            #expect("0x" + Hex.encode(signature.compactRepresentation) == vector.compact, "\(vector.name)")
        }
    }

    /// The sign_content of docs/protocol.md section 5's known answer (the JS SDK layout).
    static let sectionFiveSignContent =
        "\n    Web3MQ wants you to sign in with your eth account:\n    0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266\n    \n    For follow signature"
        + "\n    \n    Nonce: 274f27e951dd86ca93ea3befaa796214d257c69a9ff96f3dd319975e\n    Issued At: 2023/07/12 16:25"

    @Test("docs/protocol.md section 5 known answer: the nonce and the personal_sign signature")
    func protocolKnownAnswer() throws {
        let nonce = sha3_224(
            "user:8d8f2c1f2c6b4b0b0a6e5cb0c8f0e0b1d2c3a4b5c6d7e8f90a1b2c3d" + "follow"
                + "user:1111111111111111111111111111111111111111111111111111111" + "1689150327546")
        #expect(nonce.hexString == "274f27e951dd86ca93ea3befaa796214d257c69a9ff96f3dd319975e")

        let signContent = Self.sectionFiveSignContent
        #expect(signContent.contains("Nonce: \(nonce.hexString)\n"))
        let expectedSignature =
            "0xc9fbd3959551bec133714acc04af6ae360963063a10370ad43b1077acece8b332316b7706273b0226dd3f0d76820f719bee1967b7fe161f2deb3eee864f209821c"

        let key = try Secp256k1PrivateKey(
            rawRepresentation: Hex.decode("ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80"))
        #expect(key.signature(forPersonalMessage: Array(signContent.utf8)).description == expectedSignature)

        let signature = try RecoverableSignature(hex: expectedSignature)
        let recovered = try signature.recoverAddress(personalMessage: Array(signContent.utf8))
        #expect(recovered == (try EthereumAddress(parsing: "0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266")))
        #expect(recovered.checksummed == "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266")
    }
}
