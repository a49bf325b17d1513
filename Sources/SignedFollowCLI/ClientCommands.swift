import ArgumentParser
import Foundation
import SignedFollow
import SignedFollowClient
import WalletCrypto

/// `signed-follow keygen`: a test identity file.
struct Keygen: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract:
            "Create a test identity: a wallet key (Ethereum, or a StarkNet account's Stark key), an ed25519 main key and the userid they give.",
        discussion: """
            TEST KEYS ONLY: the file holds the private keys in the clear. A StarkNet
            account's address is not derived from its key: it is taken from the seed, or
            random, or given with --account.
            Example: signed-follow keygen --out alice.json --seed alice
            Example: signed-follow keygen --did-type starknet --chain-id SN_SEPOLIA --out stark.json
            """)

    @Option(help: "Where to write the identity file.")
    var out = "identity.json"

    @Option(help: "Derive the keys from this text (reproducible identities); random keys without it.")
    var seed: String?

    @Option(help: "The wallet: eth or starknet.")
    var didType: DidType = .eth

    @Option(help: "StarkNet only: the chain id the wallet signs for (a short string or 0x hex).")
    var chainId = "SN_MAIN"

    @Option(help: "StarkNet only: the account address (hex); derived from the seed, or random, without it.")
    var account: String?

    @Flag(help: "Overwrite an existing file.")
    var force = false

    @Flag(help: "Print the identity as JSON.")
    var json = false

    func run() throws {
        guard force || !FileManager.default.fileExists(atPath: out) else {
            throw CLIError("\(out) exists; pass --force to overwrite it")
        }
        let identity = try makeIdentity()
        let file = IdentityFile(identity, seed: seed)
        try file.save(out)
        let console = Console.current
        console.err("WARNING: \(IdentityFile.warning)")
        if json {
            console.out(
                String(
                    decoding: JSONWriter.object([
                        ("file", .string(out)), ("userid", .string(file.userid)), ("address", .string(file.address)),
                        ("main_pubkey", .string(file.mainPubkey)),
                    ]), as: UTF8.self))
        } else {
            console.out("wrote \(out)")
            console.out("userid:      \(file.userid)")
            console.out("address:     \(file.address)")
            console.out("main_pubkey: \(file.mainPubkey)")
        }
    }

    private func makeIdentity() throws -> TestIdentity {
        switch didType {
        case .eth:
            guard account == nil else { throw ValidationError("--account is for --did-type starknet") }
            return seed.map(TestIdentity.init(seed:)) ?? TestIdentity(wallet: Self.randomWalletKey(), mainKey: .generate())
        case .starknet:
            guard let chain = VerificationPolicy.starknetChainId(chainId) else {
                throw ValidationError("--chain-id must be a short string such as SN_MAIN or 0x hex")
            }
            let derived = seed.map { TestIdentity(starknetSeed: $0, chainId: chain) }
            let key: StarkPrivateKey, address: Felt
            switch derived?.didWallet {
            case .starknet(let seededKey, let seededAccount, _)?: (key, address) = (seededKey, seededAccount)
            default: (key, address) = (Self.randomStarkKey(), Self.randomStarkAccount())
            }
            let chosen = try account.map { text in
                guard case .starknet(let felt)? = try? DidAddress(parsing: text, as: .starknet) else {
                    throw ValidationError("--account must be a StarkNet address: hex, a number from 1 to 2^251 - 1")
                }
                return felt
            }
            return TestIdentity(
                didWallet: .starknet(key: key, account: chosen ?? address, chainId: chain),
                mainKey: derived?.mainKey ?? .generate())
        }
    }

    private static func randomStarkKey() -> StarkPrivateKey {
        while true {
            if let key = try? StarkPrivateKey(randomBelow251Bits()) { return key }
        }
    }

    private static func randomStarkAccount() -> Felt {
        Felt(randomBelow251Bits()) ?? Felt(1)
    }

    /// A uniformly random number below 2^251 (below both p and n).
    private static func randomBelow251Bits() -> UInt256 {
        var generator = SystemRandomNumberGenerator()
        var bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        bytes[0] &= 0x07
        return UInt256(hex: Hex.encode(bytes))!
    }

    private static func randomWalletKey() -> Secp256k1PrivateKey {
        var generator = SystemRandomNumberGenerator()
        while true {
            let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
            if let key = try? Secp256k1PrivateKey(rawRepresentation: bytes) { return key }
        }
    }
}

/// Sends `document` and prints the answer; exit code 1 when the service refused it.
func sendAndPrint(_ document: RequestDocument, _ options: IdentityOptions) async throws -> ServiceAnswer {
    let answer = try await ServiceClient(server: options.server).send(document)
    let console = Console.current
    if options.json {
        console.out(String(decoding: answer.body, as: UTF8.self))
    } else {
        answer.summary.forEach(console.out)
    }
    return answer
}

/// Exit code 1 unless `answer` is code 0.
func requireAccepted(_ answer: ServiceAnswer) throws {
    if !answer.accepted { throw ExitCode.failure }
}

/// `signed-follow register`.
struct Register: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Register the identity's wallet and main key (POST /api/user_register_v2/).",
        discussion: "Example: signed-follow register -i alice.json --layout unindented")

    @OptionGroup var options: IdentityOptions
    @OptionGroup var styleOptions: StyleOptions
    @Option(help: "The URI line of the signed text (the dApp's origin).")
    var uri = "http://localhost"

    func run() async throws {
        let signer = try RequestSigner(options, styleOptions: styleOptions)
        try requireAccepted(try await sendAndPrint(signer.registration(uri: uri), options))
    }
}

/// `signed-follow login`.
struct Login: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Bind a fresh session key signed by the main key (POST /api/user_login_v2/) and save it in the identity file.",
        discussion: "Example: signed-follow login -i alice.json --hours 24")

    @OptionGroup var options: IdentityOptions
    @Option(help: "How long the session key stays valid, in hours (the service caps it, 30 days by default).")
    var hours = 24

    func validate() throws {
        guard hours > 0 else { throw ValidationError("--hours must be at least 1") }
    }

    func run() async throws {
        let signer = try RequestSigner(options)
        let (document, session) = signer.login(lifetime: Int64(hours) * 3_600_000)
        let answer = try await sendAndPrint(document, options)
        try requireAccepted(answer)
        var file = signer.file
        file.session = session
        try file.save(options.identity)
        if !options.json { Console.current.out("session key \(session.pubkey) saved in \(options.identity)") }
    }
}

/// The options of `follow` and `unfollow`.
struct FollowOptions: ParsableArguments {
    @Argument(help: "The user to follow: a userid (user:...) or an identity file.")
    var target: String

    @Flag(help: "Add web3mq_user_signature (ed25519 by the request key).")
    var userSignature = false

    /// The signed `action` (`follow` or `cancel`) on the target, for `follow`, `unfollow`
    /// and their `sign` forms.
    func document(_ options: IdentityOptions, _ style: StyleOptions, action: String) throws -> RequestDocument {
        let signer = try RequestSigner(options, styleOptions: style)
        return signer.follow(try RequestSigner.userid(of: target), action: action, userSignature: userSignature)
    }
}

/// `signed-follow follow TARGET`.
struct Follow: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Follow a user (POST /api/following/).",
        discussion: "Example: signed-follow follow -i alice.json bob.json")

    @OptionGroup var options: IdentityOptions
    @OptionGroup var styleOptions: StyleOptions
    @OptionGroup var follow: FollowOptions

    func run() async throws {
        try requireAccepted(try await sendAndPrint(follow.document(options, styleOptions, action: "follow"), options))
    }
}

/// `signed-follow unfollow TARGET`.
struct Unfollow: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Cancel a follow (POST /api/following/ with action cancel).",
        discussion: "Example: signed-follow unfollow -i alice.json bob.json")

    @OptionGroup var options: IdentityOptions
    @OptionGroup var styleOptions: StyleOptions
    @OptionGroup var follow: FollowOptions

    func run() async throws {
        try requireAccepted(try await sendAndPrint(follow.document(options, styleOptions, action: "cancel"), options))
    }
}

/// The options of `batch`.
struct BatchOptions: ParsableArguments {
    @Argument(help: "1 to 20 users: userids (user:...) or identity files.")
    var targets: [String]

    @Option(help: "follow or cancel, for every item.")
    var action = "follow"

    @Flag(help: "Add web3mq_user_signature to every item.")
    var userSignature = false

    func validate() throws {
        guard (1...BatchFollowRequest.maximumItems).contains(targets.count) else {
            throw ValidationError("a batch holds 1 to \(BatchFollowRequest.maximumItems) targets")
        }
        guard ["follow", "cancel", "unfollow"].contains(action) else {
            throw ValidationError("--action must be follow or cancel")
        }
    }
}

/// `signed-follow batch TARGET...`.
struct Batch: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Follow (or cancel) up to 20 users in one request (POST /api/following/batch/).",
        discussion: "Example: signed-follow batch -i alice.json bob.json carol.json")

    @OptionGroup var options: IdentityOptions
    @OptionGroup var styleOptions: StyleOptions
    @OptionGroup var batch: BatchOptions

    func run() async throws {
        let signer = try RequestSigner(options, styleOptions: styleOptions)
        let document = signer.batch(
            try batch.targets.map(RequestSigner.userid(of:)), action: batch.action, userSignature: batch.userSignature)
        let answer = try await sendAndPrint(document, options)
        try requireAccepted(answer)
        let results = (answer.envelope?["data"] as? [String: Any])?["results"] as? [[String: Any]] ?? []
        if results.contains(where: { $0["code"] as? Int != 0 }) { throw ExitCode.failure }
    }
}

/// The options of the list reads.
struct PageOptions: ParsableArguments {
    @Option(help: "The page, from 1.")
    var page = 1

    @Option(help: "Users per page, 1 to 100.")
    var size = 20

    /// The signed read of this page of the list at `path`.
    func document(_ path: String, _ options: IdentityOptions) throws -> RequestDocument {
        try RequestSigner(options).signedRead(path, page: page, size: size)
    }
}

/// `signed-follow following`.
struct Following: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "The users the identity follows (GET /api/user_following/, signed).",
        discussion: "Example: signed-follow following -i alice.json --page 1 --size 20")

    @OptionGroup var options: IdentityOptions
    @OptionGroup var page: PageOptions

    func run() async throws {
        try requireAccepted(try await sendAndPrint(page.document("/api/user_following/", options), options))
    }
}

/// `signed-follow followers`.
struct Followers: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "The identity's followers (GET /api/user_followers/, signed).",
        discussion: "Example: signed-follow followers -i bob.json")

    @OptionGroup var options: IdentityOptions
    @OptionGroup var page: PageOptions

    func run() async throws {
        try requireAccepted(try await sendAndPrint(page.document("/api/user_followers/", options), options))
    }
}

/// `signed-follow status TARGET`.
struct Status: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Whether the identity follows TARGET and the other way round (GET /api/follow_status/).",
        discussion: "Example: signed-follow status -i alice.json bob.json")

    @OptionGroup var options: IdentityOptions
    @Argument(help: "The other user: a userid (user:...) or an identity file.")
    var target: String

    func run() async throws {
        let signer = try RequestSigner(options)
        try requireAccepted(try await sendAndPrint(signer.status(try RequestSigner.userid(of: target)), options))
    }
}
