import Foundation
import Keccak
import SignedFollow
import SignedFollowClient
import WalletCrypto

/// A test identity as `signed-follow keygen` writes it: the wallet key (an Ethereum key, or
/// a StarkNet account's Stark key with the account and chain id), the main ed25519 key,
/// the userid, and the session key of the last `login`. TEST KEYS ONLY: the file holds
/// private keys in the clear.
struct IdentityFile: Codable, Sendable {
    /// The warning written at the top of every identity file.
    static let warning =
        "TEST KEYS ONLY: this file holds private keys in the clear. Never use them for real funds or real accounts."

    /// A session key bound by `login`.
    struct Session: Codable, Sendable {
        /// The ed25519 seed, 64 hex digits.
        var keySeed: String
        /// The public key, 64 hex digits.
        var pubkey: String
        /// When the session expires, ms since the epoch.
        var expiresAt: Int64
    }

    var warning = IdentityFile.warning
    /// `user:` + sha3_224 of the canonical address.
    var userid: String
    /// `eth` or `starknet`; absent (eth) in files of earlier versions.
    var didType: String?
    /// The wallet address: EIP-55 for eth, `0x` and 64 hex digits for a StarkNet account.
    var address: String
    /// An Ethereum wallet's secp256k1 private key, 64 hex digits.
    var walletPrivateKey: String?
    /// A StarkNet account's Stark private key, in hex.
    var starkPrivateKey: String?
    /// The chain id a StarkNet wallet signs for, as `0x` hex.
    var chainId: String?
    /// The main key's ed25519 seed, 64 hex digits.
    var mainKeySeed: String
    /// The main public key, 64 hex digits.
    var mainPubkey: String
    /// The seed the identity was derived from, when `--seed` was given.
    var seed: String?
    /// The session of the last successful `login`.
    var session: Session?

    /// The file of `identity`.
    init(_ identity: TestIdentity, seed: String?) {
        userid = identity.userid
        didType = identity.didType
        address = identity.did.description
        switch identity.didWallet {
        case .eth(let key):
            walletPrivateKey = Hex.encode(key.rawRepresentation)
        case .starknet(let key, _, let chainId):
            starkPrivateKey = key.rawValue.paddedHexString
            self.chainId = chainId.hexString
        }
        mainKeySeed = Hex.encode(identity.mainKey.seed)
        mainPubkey = Hex.encode(identity.mainKey.publicKey.rawRepresentation)
        self.seed = seed
    }

    /// The identity the file holds; throws when a key is malformed or does not match the
    /// address, userid or public key written beside it.
    func identity() throws -> TestIdentity {
        let mainKey = try Ed25519KeyPair(seed: Hex.decode(mainKeySeed, byteCount: 32))
        let wallet: TestIdentity.Wallet
        switch didType ?? "eth" {
        case "eth":
            guard let walletPrivateKey else { throw CLIError("the identity file has no walletPrivateKey") }
            let key = try Secp256k1PrivateKey(rawRepresentation: Hex.decode(walletPrivateKey, byteCount: 32))
            guard key.address == (try? EthereumAddress(parsing: address)) else {
                throw CLIError("the identity file's wallet key does not match its address")
            }
            wallet = .eth(key)
        case "starknet":
            guard let starkPrivateKey, let chainId else { throw CLIError("the identity file has no starkPrivateKey or chainId") }
            wallet = .starknet(
                key: try StarkPrivateKey(hex: starkPrivateKey), account: try Felt(hex: address), chainId: try Felt(hex: chainId))
        default:
            throw CLIError("the identity file's didType must be eth or starknet")
        }
        guard Hex.encode(mainKey.publicKey.rawRepresentation) == mainPubkey.lowercased() else {
            throw CLIError("the identity file's main key does not match its main_pubkey")
        }
        return TestIdentity(didWallet: wallet, mainKey: mainKey, userid: userid)
    }

    /// The session key, when a session is saved and has not expired at `now`.
    func sessionKey(at now: Int64) throws -> Ed25519KeyPair? {
        guard let session, session.expiresAt > now else { return nil }
        return try Ed25519KeyPair(seed: Hex.decode(session.keySeed, byteCount: 32))
    }

    // MARK: Files

    /// Reads the identity file at `path`.
    static func load(_ path: String) throws -> IdentityFile {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CLIError("cannot read the identity file \(path) (create one with: signed-follow keygen --out \(path))")
        }
        do {
            return try decoder.decode(IdentityFile.self, from: data)
        } catch {
            throw CLIError("\(path) is not an identity file written by signed-follow keygen")
        }
    }

    /// Writes the file to `path`, readable by its owner only.
    func save(_ path: String) throws {
        let data = try encoder.encode(self) + Data("\n".utf8)
        guard FileManager.default.createFile(atPath: path, contents: data, attributes: [.posixPermissions: 0o600]) else {
            throw CLIError("cannot write the identity file \(path)")
        }
    }

    private static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return decoder
    }()

    private var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return encoder
    }
}

/// A failure the CLI reports in one line and answers with exit code 1.
struct CLIError: Error, CustomStringConvertible {
    /// What went wrong, for the user.
    let description: String

    init(_ description: String) {
        self.description = description
    }
}
