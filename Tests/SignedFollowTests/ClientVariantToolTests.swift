import Foundation
import HTTPTypes
import HummingbirdTesting
import Keccak
import NIOCore
import Server
@_spi(Benchmarks) @testable import SignedFollow
import SignedFollowClient
@testable import SignedFollowCLI
import Testing
import WalletCrypto

/// The tools agree with the service on the real clients' variants (docs/protocol.md
/// section 5a): `explain` names the client and the rule that failed, `audit verify`
/// accepts exactly what the service accepted, and the CLI signs as each client does.
@Suite("Client variants: explain, audit verify and the CLI")
struct ClientVariantToolTests {
    static let expectedClients: [ClientPreset: ClientVariant] = [
        .js: .jsSDK, .ios: .iOS, .flutter: .flutter, .dart: .dart, .uikit: .uiKit,
    ]

    @Test("explain recognises each client, passes its follow, and gives each near miss its code at check 5")
    func explain() async throws {
        for (client, variant) in Self.expectedClients {
            for action in ["follow", "cancel"] {
                let request = ClientVariantTests.follow(ClientStyle(client: client), action: action)
                let explanation = await Self.explained(request)
                #expect(explanation.verdict == nil, "\(client) \(action): \(String(describing: explanation.verdict))")
                #expect(explanation.client == variant, "\(client) \(action)")
                #expect(explanation.variations.isEmpty == (client == .js), "\(client): \(explanation.variations)")
                let linesMatch = explanation.lines.allSatisfy(\.matches)
                #expect(linesMatch, "\(client): \(explanation.lines)")
            }
        }
        for testCase in ClientVariantTests.toolNearMisses {
            let explanation = await Self.explained(testCase.make())
            #expect(
                explanation.verdict?.code.rawValue == testCase.code,
                "\(testCase.name): \(String(describing: explanation.verdict))")
            #expect(explanation.client == nil)
            guard case .failed(let error)? = explanation.checks.first(where: { $0.number == 5 })?.outcome else {
                Issue.record("\(testCase.name): check 5 did not fail")
                continue
            }
            #expect(error.code.rawValue == testCase.code)
        }
    }

    /// `request` explained at the tests' clock, on a thread of its own: a vain nonce search
    /// holds a debug build's core for seconds, which must not stall the cooperative pool
    /// that the other suites' services run on.
    static func explained(_ request: SignedRequest) async -> FollowExplanation {
        await offPool { FollowExplanation(body: request.body, headers: request.headers, now: ClientVariantTests.now) }
    }

    @Test("audit verify accepts an export of every variant, and refuses a near miss put in its place")
    func auditVerify() async throws {
        try await TestService.run(configure: { $0.adminToken = "token" }) { service in
            try await ClientVariantTests.prepare(service, action: "follow")
            let targets = (1...5).map { TestIdentity(seed: "audit target \($0)") }
            for target in targets { #expect(try await service.register(target).code == 0) }
            for (index, client) in ClientPreset.allCases.enumerated() {
                let follow = ClientVariantTests.follow(ClientStyle(client: client), target: targets[index].userid)
                #expect(try await service.send(Routes.follow, follow).code == 0, "\(client)")
                let cancel = ClientVariantTests.alice.follow(
                    target: targets[index].userid, action: client == .ios ? "cancel" : "unfollow",
                    timestamp: ClientVariantTests.now + 10_000, requestKey: ClientVariantTests.alice.mainKey,
                    style: ClientStyle(client: client))
                #expect(try await service.send(Routes.follow, cancel).code == 0, "\(client)")
            }
            var fields = HTTPFields()
            fields[.authorization] = "Bearer token"
            let export = try await service.client.executeRequest(
                uri: "/api/audit/export", method: .get, headers: fields, body: nil)
            let lines = String(decoding: Data(export.body.readableBytesView), as: UTF8.self).split(separator: "\n").map(
                String.init)
            #expect(lines.count == 7 + 10)
            #expect(await offPool { Self.verified(lines) } == nil)

            // Each near miss in place of the iOS follow (seq 10), the chain recomputed.
            for testCase in ClientVariantTests.toolNearMisses {
                let tampered = try CLIAuditTests().rechained(lines, at: 9) { entry in
                    let request = testCase.make()
                    entry.body = request.body
                    entry.requestPubkey = request.headers.requestPubkey
                    entry.didkey = request.headers.didkey
                }
                let failure = await offPool { Self.verified(tampered) }
                #expect(failure?.seq == 10, "\(testCase.name): \(String(describing: failure))")
            }
        }
    }

    /// The first failure of verifying `lines` from the start, nil when all verify.
    static func verified(_ lines: [String]) -> AuditLogVerifier.Failure? {
        var verifier = AuditLogVerifier()
        for line in lines {
            do { try verifier.verify(line: Array(line.utf8)) } catch { return error }
        }
        return nil
    }

    @Test("the CLI signs as each client (--client or --layout), the service accepts it, and explain names it")
    func cliSignsEachClient() async throws {
        try await withTemporaryDirectory { directory in
            let alice = directory + "/alice.json"
            #expect(await runCLI(["keygen", "--out", alice, "--seed", "cli variant alice"]).exitCode == 0)
            try await TestService.run(live: true) { service in
                func cli(_ arguments: [String]) async -> CLIRun { await runCLI(arguments + ["--server", service.baseURL]) }
                #expect(await cli(["register", "-i", alice, "--client", "flutter"]).exitCode == 0)
                let targets = (1...5).map { TestIdentity(seed: "cli variant target \($0)") }
                for target in targets {
                    let registered = try await service.register(target)
                    #expect(registered.code == 0)
                }
                for (client, target) in zip(ClientPreset.allCases, targets) {
                    let option = client.rawValue.count % 2 == 0 ? "--client" : "--layout"
                    let followed = await cli(["follow", "-i", alice, target.userid, option, client.rawValue])
                    #expect(followed.exitCode == 0, "\(client): \(followed)")
                    let unfollowed = await cli([
                        "unfollow", "-i", alice, target.userid, "--client", client.rawValue, "--nonce-delay-ms", "0",
                    ])
                    #expect(unfollowed.exitCode == 0, "\(client): \(unfollowed)")
                }
                #expect(
                    await cli(["follow", "-i", alice, targets[0].userid, "--client", "ios", "--layout", "dart"]).exitCode == 2)
                #expect(await cli(["follow", "-i", alice, targets[0].userid, "--nonce-delay-ms", "120001"]).exitCode == 2)
            }
            for (client, variant) in Self.expectedClients {
                let signed = await runCLI(["sign", "follow", "user:someone", "-i", alice, "--client", client.rawValue, "--json"])
                #expect(signed.exitCode == 0, "\(signed)")
                let captured = directory + "/\(client.rawValue).json"
                try Data(signed.text.utf8).write(to: URL(fileURLWithPath: captured))
                let explained = await runCLI(["explain", captured])
                #expect(explained.exitCode == 0, "\(client): \(explained)")
                #expect(explained.text.contains("client recognised: \(variant.rawValue)"), "\(client): \(explained)")
            }
        }
    }
}
