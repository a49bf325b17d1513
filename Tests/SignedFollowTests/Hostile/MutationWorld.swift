import Foundation
import Server
@_spi(Benchmarks) import SignedFollow
import SignedFollowClient
import Testing
import WalletCrypto

/// The service the mutation tests run against: alice and bob registered, alice holding a
/// session key. The rate limit and the bounds of the nonce search are off, because every
/// trial sends a valid follow after its mutated one.
struct MutationWorld {
    static let alice = TestIdentity(seed: "hostile alice")
    static let bob = TestIdentity(seed: "hostile bob")

    let service: TestService
    let session: Ed25519KeyPair

    /// Runs `body` against a fresh world; with `requireUserSignature`, follows must carry
    /// `web3mq_user_signature`.
    static func run(requireUserSignature: Bool = false, _ body: @Sendable (MutationWorld) async throws -> Void) async throws {
        try await TestService.run(configure: { configuration in
            configuration.rateLimit.burst = 0
            // A timestamp moved later makes the service search for the nonce: no limit here.
            configuration.nonceSearch = NonceSearchLimits(
                perUser: RateLimit(burst: 1_000_000, perHour: 1), hashesPerSecond: 1_000_000_000, hashBurst: 1_000_000_000_000)
            configuration.requireUserSignature = requireUserSignature
        }) { service in
            try #require(try await service.register(alice).code == 0)
            try #require(try await service.register(bob).code == 0)
            let session = Ed25519KeyPair.generate()
            let login = alice.login(sessionKey: session, expiresAt: service.clock.now + 3_600_000, timestamp: service.clock.now)
            try #require(try await service.send(Routes.login, login).code == 0)
            try await body(MutationWorld(service: service, session: session))
        }
    }

    /// A valid follow of bob by alice as `choice` writes it, signed 1 ms after the previous
    /// one (the newest signed timestamp wins, so each valid follow must be newer).
    func follow(_ choice: ClientChoice, userSignature: Bool = false) -> SignedRequest {
        service.clock.advance(by: 1)
        return Self.alice.follow(
            target: Self.bob.userid, action: choice.action, timestamp: service.clock.now,
            requestKey: choice.mainKey ? Self.alice.mainKey : session, style: choice.style, withUserSignature: userSignature)
    }

    /// A valid registration of a user nobody has registered, as `choice` writes it.
    func registration(_ choice: ClientChoice) -> SignedRequest {
        TestIdentity(seed: "hostile newcomer \(UUID())").registration(timestamp: service.clock.now, style: choice.style)
    }

    /// A valid login of alice binding a new session key for an hour.
    func login() -> SignedRequest {
        Self.alice.login(sessionKey: .generate(), expiresAt: service.clock.now + 3_600_000, timestamp: service.clock.now)
    }
}

/// What a generated client chooses for a valid request: how it writes it, the action of
/// a follow, and whether it signs with the main key rather than the session key.
struct ClientChoice: Sendable, CustomStringConvertible {
    var style: ClientStyle
    var action: String
    var mainKey: Bool

    var description: String {
        "\(style.layout) \(style.walletWord ?? "eth") \(style.issuedAt) \(style.signatureForm) \(style.addressForm) \(action)\(mainKey ? " main key" : "")"
    }
}
