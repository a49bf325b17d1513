import Foundation
import WalletCrypto
import Testing

/// The StarkNet known answer of docs/protocol.md section 7 (starknet.js 5.19.5 and
/// starknet-py agree on every row).
@Suite("StarkNet known answer (docs/protocol.md section 7)")
struct StarkKnownAnswerTests {
    static let privateKey = "0x1234567890abcdef1234567890abcdef1234567890abcdef1234567890abcde"
    static let account = "0x0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
    static let signContent =
        "\n    Web3MQ wants you to sign in with your Argent X account:\n    \(account)\n    \n    For follow signature"
        + "\n    \n    Nonce: 274f27e951dd86ca93ea3befaa796214d257c69a9ff96f3dd319975e\n    Issued At: 2023/07/12 16:25"
    static let chainId = Felt(shortString: "SN_MAIN")!
    static let messageHash = "2626088217857279948498032271170611961892743945712994775719634953576449742397"
    static let r = "1238065889067914464780470603510716178084369892313900644299595079935490640249"
    static let s = "1294895768084649338787367023820623437863277887467467233490772524053601922885"

    @Test("the sign_content is section 5's known-answer text with wallet word Argent X and the account as the address")
    func signContentLayout() {
        let fromSectionFive = PersonalMessageTests.sectionFiveSignContent
            .replacingOccurrences(of: "your eth account:", with: "your Argent X account:")
            .replacingOccurrences(of: "0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266", with: Self.account)
        #expect(Self.signContent == fromSectionFive)
    }

    @Test("the private key gives the public key")
    func publicKey() throws {
        let key = try StarkPrivateKey(hex: Self.privateKey)
        #expect(key.publicKey.x.hexString == "0x2a8249e10df5670294c078c3a04f32ed60087e5ee8a3457fa29ed0c0e366bfc")
    }

    @Test("starknetKeccak of the sign_content, and the message cut from it")
    func message() {
        let keccak = StarknetKeccak.hash(Self.signContent)
        #expect(keccak.hexString == "0x300d3ab280cf59a1f0de6cfa7a05704cab4c1fb763935f43905b66ac40e5aa3")
        #expect(StarknetTypedData.messageText(signContentKeccak: keccak) == "300d3ab280cf59a1f0de6cfa7a05704")
        #expect(
            StarknetTypedData.messageFelt(signContentKeccak: keccak).hexString
                == "0x33303064336162323830636635396131663064653663666137613035373034")
    }

    @Test("domain hash, struct hash and message hash on SN_MAIN")
    func hashes() throws {
        let message = StarknetTypedData.messageFelt(signContentKeccak: StarknetKeccak.hash(Self.signContent))
        #expect(
            StarknetTypedData.domainHash(chainId: Self.chainId).hexString
                == "0x28c85ae242b26ba550c64102925def4ad5883c04f7b20cebcc48da62f364636")
        #expect(
            StarknetTypedData.structHash(message: message).hexString
                == "0x7c524aeee70cfb452e42041b3934003593c7014c39b44fe5474243fd7da9b86")
        let hash = StarknetTypedData.messageHash(message: message, chainId: Self.chainId, account: try Felt(hex: Self.account))
        #expect(hash.decimalString == Self.messageHash)
    }

    @Test("the given r, s verify under the public key, and our signer reproduces them")
    func signature() throws {
        let key = try StarkPrivateKey(hex: Self.privateKey)
        let hash = Felt(UInt256(decimal: Self.messageHash)!)!
        let signature = try StarkSignature(r: UInt256(decimal: Self.r)!, s: UInt256(decimal: Self.s)!)
        let publicKey = try StarkPublicKey(x: try Felt(hex: "0x2a8249e10df5670294c078c3a04f32ed60087e5ee8a3457fa29ed0c0e366bfc"))
        #expect(publicKey.isValidSignature(signature, for: hash))
        #expect(try key.sign(messageHash: hash) == signature)
    }
}
