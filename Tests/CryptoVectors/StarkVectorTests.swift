import WalletCrypto
import Testing

/// StarkNet hashing, keys and signatures against starknet-py 0.30 / crypto-cpp-py 2.0
/// (`scripts/vectors/gen_starknet_vectors.py` -> `starknet_py.json`).
@Suite("StarkNet vectors from starknet-py")
struct StarkVectorTests {
    struct File: Decodable {
        struct PedersenVector: Decodable { let a, b, hash: String }
        struct ElementsVector: Decodable { let elements: [String]; let hash: String }
        struct KeccakVector: Decodable { let input_hex, hash: String }
        struct ShortStringVector: Decodable { let text, felt: String }
        struct PublicKeyVector: Decodable { let private_key, public_key: String }
        struct SignatureVector: Decodable {
            let comment: String
            let private_key: String?
            let public_key, msg_hash, r, s: String
            let valid, malformed: Bool
        }
        struct TypedDataVector: Decodable {
            let sign_content, keccak, message, message_felt, chain_id, account: String
            let domain_hash, struct_hash, msg_hash: String
        }
        let pedersen: [PedersenVector]
        let hash_on_elements: [ElementsVector]
        let starknet_keccak: [KeccakVector]
        let short_strings: [ShortStringVector]
        let public_keys: [PublicKeyVector]
        let signatures: [SignatureVector]
        let typed_data: [TypedDataVector]
    }

    static let file = try! VectorFiles.json("starknet_py.json", as: File.self)

    @Test("Pedersen hashes match crypto-cpp's")
    func pedersen() throws {
        #expect(Self.file.pedersen.count >= 40)
        for vector in Self.file.pedersen {
            let hash = Pedersen.hash(try Felt(hex: vector.a), try Felt(hex: vector.b))
            #expect(hash.hexString == vector.hash, "\(vector.a), \(vector.b)")
        }
    }

    @Test("compute_hash_on_elements matches starknet-py's")
    func hashOnElements() throws {
        #expect(!Self.file.hash_on_elements.isEmpty)
        for vector in Self.file.hash_on_elements {
            let elements = try vector.elements.map { (text) throws(CryptoError) in try Felt(hex: text) }
            #expect(Pedersen.hash(elements: elements).hexString == vector.hash, "\(vector.elements.count) elements")
        }
    }

    @Test("starknetKeccak matches starknet-py's")
    func starknetKeccak() throws {
        #expect(!Self.file.starknet_keccak.isEmpty)
        for vector in Self.file.starknet_keccak {
            let input = vector.input_hex.isEmpty ? [] : try Hex.decode(vector.input_hex)
            #expect(StarknetKeccak.hash(input).hexString == vector.hash, "\(vector.input_hex)")
        }
    }

    @Test("short strings encode as encode_shortstring does")
    func shortStrings() {
        #expect(!Self.file.short_strings.isEmpty)
        for vector in Self.file.short_strings {
            #expect(Felt(shortString: vector.text)?.hexString == vector.felt, "\(vector.text)")
        }
    }

    @Test("public keys match private_to_stark_key")
    func publicKeys() throws {
        #expect(!Self.file.public_keys.isEmpty)
        for vector in Self.file.public_keys {
            let key = try StarkPrivateKey(hex: vector.private_key)
            #expect(key.publicKey.x.hexString == vector.public_key, "\(vector.private_key)")
            #expect(try StarkPublicKey(x: try Felt(hex: vector.public_key)) == key.publicKey)
        }
    }

    @Test("every signature gets starknet-py's verdict; range failures throw instead")
    func verification() throws {
        #expect(Self.file.signatures.count >= 50)
        for vector in Self.file.signatures {
            #expect(Self.verdict(vector) == (vector.malformed ? nil : vector.valid), "\(vector.comment)")
        }
    }

    @Test("our signer reproduces every valid starknet-py signature (seed=None), and it verifies")
    func signing() throws {
        let signed = Self.file.signatures.filter { $0.comment.contains("message_signature") }
        #expect(signed.count >= 40)
        for vector in signed {
            let key = try StarkPrivateKey(hex: try #require(vector.private_key))
            let hashValue = try #require(UInt256(decimal: vector.msg_hash))
            let hash = try #require(Felt(hashValue))
            let signature = try key.sign(messageHash: hash)
            #expect(signature.r.decimalString == vector.r, "\(vector.comment)")
            #expect(signature.s.decimalString == vector.s, "\(vector.comment)")
            #expect(key.publicKey.isValidSignature(signature, for: hash))
        }
    }

    @Test("typed data: message, felt, domain, struct and message hashes match starknet-py's")
    func typedData() throws {
        #expect(Self.file.typed_data.count >= 20)
        for vector in Self.file.typed_data {
            let keccak = StarknetKeccak.hash(vector.sign_content)
            #expect(keccak.hexString == vector.keccak)
            #expect(StarknetTypedData.messageText(signContentKeccak: keccak) == vector.message)
            let message = StarknetTypedData.messageFelt(signContentKeccak: keccak)
            #expect(message.hexString == vector.message_felt, "\(vector.message)")
            let chainId =
                try vector.chain_id.hasPrefix("0x") ? Felt(hex: vector.chain_id) : #require(Felt(shortString: vector.chain_id))
            #expect(StarknetTypedData.domainHash(chainId: chainId).hexString == vector.domain_hash)
            #expect(StarknetTypedData.structHash(message: message).hexString == vector.struct_hash)
            let hash = StarknetTypedData.messageHash(message: message, chainId: chainId, account: try Felt(hex: vector.account))
            #expect(hash.decimalString == vector.msg_hash, "\(vector.message)")
        }
    }

    /// True or false for a well-formed signature, nil when a range rule rejects it.
    /// A key with no curve point counts as not verifying, as in starknet-py.
    static func verdict(_ vector: File.SignatureVector) -> Bool? {
        guard let r = UInt256(decimal: vector.r), let s = UInt256(decimal: vector.s),
            let hashValue = UInt256(decimal: vector.msg_hash)
        else { return nil }
        guard let signature = try? StarkSignature(r: r, s: s) else { return nil }
        guard let hash = Felt(hashValue), StarkSignature.isInRange(messageHash: hash) else { return nil }
        guard let x = try? Felt(hex: vector.public_key), let key = try? StarkPublicKey(x: x) else { return false }
        return key.isValidSignature(signature, for: hash)
    }
}
