import ArgumentParser
import Foundation
import Keccak
import Logging
import Server
import SignedFollow
import WalletCrypto

/// The options every command that reads the configuration shares: flags override the
/// `SIGNED_FOLLOW_*` environment, which overrides the defaults.
struct ConfigurationOptions: ParsableArguments {
    @Option(help: "Address to listen on (SIGNED_FOLLOW_HOST, default 127.0.0.1).")
    var host: String?
    @Option(help: "TCP port (SIGNED_FOLLOW_PORT, default 8080).")
    var port: Int?
    @Option(help: "SQLite database file (SIGNED_FOLLOW_DB, default ./signed-follow.sqlite).")
    var db: String?
    @Option(
        help:
            "Accepted distance of a request timestamp from the server clock, ms (SIGNED_FOLLOW_TIMESTAMP_WINDOW_MS, default 300000)."
    )
    var timestampWindowMs: Int64?
    @Option(help: "Latest session key expiry from now, ms (SIGNED_FOLLOW_SESSION_EXPIRY_CAP_MS, default 2592000000).")
    var sessionExpiryCapMs: Int64?
    @Option(help: "Comma-separated allowed origins (SIGNED_FOLLOW_ALLOWED_ORIGINS, default: any).")
    var allowedOrigins: String?
    @Option(
        help:
            "Comma-separated StarkNet chain ids, short strings or 0x hex (SIGNED_FOLLOW_STARKNET_CHAIN_IDS, default SN_MAIN,SN_SEPOLIA)."
    )
    var starknetChainIds: String?

    /// The resolved configuration. The admin token comes from SIGNED_FOLLOW_ADMIN_TOKEN
    /// only, never from a flag, so it does not show in process listings.
    func resolve() throws -> ServerConfiguration {
        var environment = ProcessInfo.processInfo.environment
        if let host { environment["SIGNED_FOLLOW_HOST"] = host }
        if let port { environment["SIGNED_FOLLOW_PORT"] = String(port) }
        if let db { environment["SIGNED_FOLLOW_DB"] = db }
        if let timestampWindowMs { environment["SIGNED_FOLLOW_TIMESTAMP_WINDOW_MS"] = String(timestampWindowMs) }
        if let sessionExpiryCapMs { environment["SIGNED_FOLLOW_SESSION_EXPIRY_CAP_MS"] = String(sessionExpiryCapMs) }
        if let allowedOrigins { environment["SIGNED_FOLLOW_ALLOWED_ORIGINS"] = allowedOrigins }
        if let starknetChainIds { environment["SIGNED_FOLLOW_STARKNET_CHAIN_IDS"] = starknetChainIds }
        do {
            return try ServerConfiguration(environment: environment)
        } catch {
            throw ValidationError(error.description)
        }
    }
}

/// The StarkNet chain ids a command judges signatures with, as the service is configured.
struct StarknetChainIdOptions: ParsableArguments {
    @Option(help: "Comma-separated StarkNet chain ids the service accepts, short strings or 0x hex (default SN_MAIN,SN_SEPOLIA).")
    var starknetChainIds = "SN_MAIN,SN_SEPOLIA"

    /// The chain ids as felts; a validation error names a bad one.
    func resolve() throws -> [Felt] {
        try starknetChainIds.split(separator: ",").map { name in
            guard let chainId = VerificationPolicy.starknetChainId(String(name.trimmingPrefix(" "))) else {
                throw ValidationError("--starknet-chain-ids: \(name) is neither a short string nor 0x hex below the field prime")
            }
            return chainId
        }
    }
}

/// `signed-follow serve`: runs the HTTP service until SIGTERM or SIGINT, then stops
/// accepting, drains the writer and exits.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the HTTP service.",
        discussion: "Example: signed-follow serve --port 8080 --db ./signed-follow.sqlite")

    @OptionGroup var options: ConfigurationOptions

    func run() async throws {
        let configuration = try options.resolve()
        var logger = Logger(label: "signed-follow")
        logger.logLevel = ProcessInfo.processInfo.environment["LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .info
        let service = try SignedFollowService(configuration: configuration, logger: logger)
        logger.info(
            "listening",
            metadata: ["host": "\(configuration.host)", "port": "\(configuration.port)", "db": "\(configuration.databasePath)"])
        try await service.run(logger: logger)
    }
}

/// `signed-follow selftest`: the docs/protocol.md section 5 known answer, end to end.
struct SelfTest: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "selftest",
        abstract: "Check the cryptography against the protocol's known answer.",
        discussion: "Example: signed-follow selftest")

    func run() throws {
        var passed = true
        func check(_ name: String, _ condition: () throws -> Bool) {
            let ok = (try? condition()) ?? false
            Console.current.out("\(ok ? "ok  " : "FAIL") \(name)")
            passed = passed && ok
        }
        let nonce = SignedDigests.followNonce(
            userid: "user:8d8f2c1f2c6b4b0b0a6e5cb0c8f0e0b1d2c3a4b5c6d7e8f90a1b2c3d", action: "follow",
            targetUserid: "user:1111111111111111111111111111111111111111111111111111111", timestamp: 1_689_150_327_546)
        check("sha3_224 follow nonce") { nonce.hexString == "274f27e951dd86ca93ea3befaa796214d257c69a9ff96f3dd319975e" }
        let signContent =
            "\n    Web3MQ wants you to sign in with your eth account:\n    0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266\n    \n    For follow signature\n    \n    Nonce: \(nonce.hexString)\n    Issued At: 2023/07/12 16:25"
        check("personal_sign recovery to 0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266") {
            let signature = try RecoverableSignature(
                hex:
                    "0xc9fbd3959551bec133714acc04af6ae360963063a10370ad43b1077acece8b332316b7706273b0226dd3f0d76820f719bee1967b7fe161f2deb3eee864f209821c"
            )
            return try signature.recoverAddress(personalMessage: signContent.utf8)
                == EthereumAddress(parsing: "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266")
        }
        check("StarkNet typed-data hash and signature of docs/protocol.md section 7") {
            let account = try Felt(hex: "0x0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")
            let text = signContent.replacingOccurrences(of: "eth account:", with: "Argent X account:")
                .replacingOccurrences(of: "0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266", with: account.paddedHexString)
            let message = StarknetTypedData.messageFelt(signContentKeccak: StarknetKeccak.hash(text.utf8))
            let hash = StarknetTypedData.messageHash(message: message, chainId: Felt(shortString: "SN_MAIN")!, account: account)
            let signature = try StarkSignature(
                r: UInt256(decimal: "1238065889067914464780470603510716178084369892313900644299595079935490640249")!,
                s: UInt256(decimal: "1294895768084649338787367023820623437863277887467467233490772524053601922885")!)
            let key = try StarkPublicKey(x: Felt(hex: "0x2a8249e10df5670294c078c3a04f32ed60087e5ee8a3457fa29ed0c0e366bfc"))
            return hash.decimalString == "2626088217857279948498032271170611961892743945712994775719634953576449742397"
                && key.isValidSignature(signature, for: hash)
        }
        check("ed25519 sign and verify") {
            let keyPair = Ed25519KeyPair.generate()
            let message = Array(nonce.hexString.utf8)
            return keyPair.publicKey.isValidSignature(keyPair.signature(for: message), for: message)
        }
        if !passed { throw ExitCode.failure }
    }
}

/// `signed-follow config`: the configuration the service would run with.
struct ShowConfiguration: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "Print the resolved configuration (the admin token is masked).",
        discussion: "Example: SIGNED_FOLLOW_PORT=9090 signed-follow config")

    @OptionGroup var options: ConfigurationOptions

    func run() throws {
        try options.resolve().redactedSummary.forEach(Console.current.out)
    }
}
