@_spi(Benchmarks) import SignedFollow
import SignedFollowClient
import Testing

/// One trial of a mutation test: the mutated request is sent first, then the valid
/// request it came from. A rejection must carry an expected code, change nothing, and
/// leave the valid request acceptable; an accepted mutation must be the valid request
/// itself, which the service shows by treating the valid one as its replay.
struct MutationTrial {
    /// How the service answers a request that means what an accepted one meant.
    enum Replay {
        /// Follows and registrations: `"already applied"`, nothing written (their nonce).
        case alreadyApplied
        /// Logins carry no nonce: binding the same key again is accepted and adds no key.
        case sameSessionKey
    }

    let service: TestService
    let route: String
    let replay: Replay

    /// Sends `body` and `headers` expecting `expectation`, then `valid`; `label` names the
    /// mutation in failures.
    func run(body: [UInt8], headers: RequestHeaders, expectation: Expectation, valid: SignedRequest, label: String) async throws {
        let before = try service.store.counts()
        let answer = try await service.send(route, body: body, headers: headers)
        switch expectation {
        case .rejected(let codes):
            #expect(codes.contains(answer.code), "\(label): \(answer), expected \(expectation)")
            #expect(answer.status == answer.code / 100, "\(label): \(answer)")
            #expect(try service.store.counts() == before, "\(label): \(answer) changed state")
            let validAnswer = try await service.send(route, valid)
            #expect(validAnswer.code == 0 && validAnswer.msg == "ok", "\(label): the request before mutation: \(validAnswer)")
        case .accepted:
            #expect(answer.code == 0, "\(label): \(answer), expected \(expectation)")
            let afterMutated = try service.store.counts()
            let validAnswer = try await service.send(route, valid)
            let afterValid = try service.store.counts()
            switch replay {
            case .alreadyApplied:
                #expect(
                    validAnswer.code == 0 && validAnswer.msg == "already applied",
                    "\(label): the valid request after it: \(validAnswer)")
                #expect(afterValid == afterMutated, "\(label): the valid request after it changed state")
            case .sameSessionKey:
                #expect(validAnswer.code == 0, "\(label): the valid request after it: \(validAnswer)")
                #expect(afterMutated.sessionKeys == before.sessionKeys + 1, "\(label): the mutated login bound no new key")
                #expect(afterValid.sessionKeys == afterMutated.sessionKeys, "\(label): the valid login bound another key")
            }
        }
    }
}

/// The codes of docs/protocol.md section 1 that a request failing a check of sections 2 to 4
/// may carry: a changed byte of a signed request is refused with one of these, never with
/// an internal error, a limit or an ordering code (those need a validly signed request).
enum ProtocolCodes {
    static let checkFailures: Set<Int> = [
        40001, 40002, 40003, 40004, 40005, 40006, 40007,
        40101, 40102, 40103, 40104, 40105, 40106,
        40301, 40302, 40303, 40401, 40402,
    ]
}
