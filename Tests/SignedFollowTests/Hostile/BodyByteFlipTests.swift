import PropertyBased
@_spi(Benchmarks) import SignedFollow
import SignedFollowClient
import Testing

/// Issue 6: one byte of a valid signed body XORed with any non-zero mask (so also into
/// invalid UTF-8, a quote, a control byte, a broken member name) is rejected with a code of
/// docs/protocol.md's check failures and writes nothing, unless it only changes the case of a
/// hex digit in a member compared as bytes (``FlippedBody``).
@Suite("Hostile input: flipped body bytes")
struct BodyByteFlipTests {
    /// Trials per kind of request (times `SIGNED_FOLLOW_MUTATION_TRIALS`).
    static let trials = 300 * MutationGen.trialFactor

    @Test("a follow with one byte flipped is rejected and changes nothing")
    func follow() async throws {
        // With the user signature required, so that a flip in its member name, which
        // leaves it out, is a rejection too.
        try await Self.check(
            route: Routes.follow, replay: .alreadyApplied, fields: SignedFields.followWithUserSignature,
            requireUserSignature: true
        ) { world, choice in world.follow(choice, userSignature: true) }
    }

    @Test("a registration with one byte flipped is rejected and changes nothing")
    func registration() async throws {
        try await Self.check(route: Routes.register, replay: .alreadyApplied, fields: SignedFields.registration) {
            world, choice in
            world.registration(choice)
        }
    }

    @Test("a login with one byte flipped is rejected and changes nothing")
    func login() async throws {
        try await Self.check(route: Routes.login, replay: .sameSessionKey, fields: SignedFields.login) { world, _ in world.login()
        }
    }

    /// Runs ``trials`` trials of one flipped byte in a fresh valid request from `valid`.
    static func check(
        route: String, replay: MutationTrial.Replay, fields: [SignedField], requireUserSignature: Bool = false,
        valid makeValid: @escaping @Sendable (MutationWorld, ClientChoice) -> SignedRequest
    ) async throws {
        try await MutationWorld.run(requireUserSignature: requireUserSignature) { world in
            let trial = MutationTrial(service: world.service, route: route, replay: replay)
            await propertyCheck(count: trials, input: MutationGen.clientChoice, MutationGen.byteFlip) { choice, flip in
                let valid = makeValid(world, choice)
                let flipped = FlippedBody(valid, flip, fields: fields)
                try await trial.run(
                    body: flipped.body, headers: valid.headers, expectation: flipped.expectation, valid: valid,
                    label: "\(flip) of \(String(decoding: valid.body, as: UTF8.self)) [\(choice)]")
            }
        }
    }
}
