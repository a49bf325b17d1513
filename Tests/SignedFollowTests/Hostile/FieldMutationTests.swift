import PropertyBased
@_spi(Benchmarks) import SignedFollow
import SignedFollowClient
import Testing

/// Issue 6: every mutation of a signed field of a valid follow, registration or login is
/// rejected with a code of docs/protocol.md's table that the field's checks can answer, and
/// writes nothing, unless it provably keeps the signed meaning (``SameMeaning``); then the
/// service accepts it as the very request that was signed. Each trial also sends the
/// valid request afterwards, so a mutation is only ever judged against a request that the
/// service accepts.
@Suite("Hostile input: mutated signed fields")
struct FieldMutationTests {
    /// Trials per field: with a dozen kinds of mutation, a few hundred mutations per kind
    /// over the fields of a request. `SIGNED_FOLLOW_MUTATION_TRIALS` multiplies it for a
    /// longer search.
    static let trials = 120 * MutationGen.trialFactor

    @Test("a mutated follow field is rejected with its code and changes nothing", arguments: SignedFields.follow)
    func follow(_ field: SignedField) async throws {
        try await Self.check(field, route: Routes.follow, replay: .alreadyApplied) { world, choice in world.follow(choice) }
    }

    @Test("a mutated web3mq_user_signature is rejected when the service requires it")
    func userSignature() async throws {
        let field = SignedFields.followWithUserSignature.first { $0.name == "web3mq_user_signature" }!
        try await Self.check(field, route: Routes.follow, replay: .alreadyApplied, requireUserSignature: true) { world, choice in
            world.follow(choice, userSignature: true)
        }
    }

    @Test("a mutated registration field is rejected with its code and changes nothing", arguments: SignedFields.registration)
    func registration(_ field: SignedField) async throws {
        try await Self.check(field, route: Routes.register, replay: .alreadyApplied) { world, choice in world.registration(choice)
        }
    }

    /// Logins have one layout (their signature is ed25519 over a hex digest), so the
    /// client's choices do not apply.
    @Test("a mutated login field is rejected with its code and changes nothing", arguments: SignedFields.login)
    func login(_ field: SignedField) async throws {
        try await Self.check(field, route: Routes.login, replay: .sameSessionKey) { world, _ in world.login() }
    }

    /// Runs ``trials`` trials of `field` mutated in a fresh valid request from `valid`.
    static func check(
        _ field: SignedField, route: String, replay: MutationTrial.Replay, requireUserSignature: Bool = false,
        valid makeValid: @escaping @Sendable (MutationWorld, ClientChoice) -> SignedRequest
    ) async throws {
        try await MutationWorld.run(requireUserSignature: requireUserSignature) { world in
            let trial = MutationTrial(service: world.service, route: route, replay: replay)
            var applied = 0
            await propertyCheck(count: trials, input: MutationGen.clientChoice, MutationGen.mutation(for: field)) {
                choice, mutation in
                let valid = makeValid(world, choice)
                guard let mutated = MutatedRequest(valid, field, mutation) else { return }
                applied += 1
                try await trial.run(
                    body: mutated.body, headers: mutated.headers, expectation: mutated.expectation, valid: valid,
                    label: "\(field.name) \(mutation.testDescription) [\(choice)]")
            }
            #expect(applied >= trials * 3 / 4, "only \(applied) of \(trials) mutations applied to \(field.name)")
        }
    }
}
