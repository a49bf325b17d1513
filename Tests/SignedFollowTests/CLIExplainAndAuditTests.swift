import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Server
import Keccak
@_spi(Benchmarks) @testable import SignedFollow
import SignedFollowClient
@testable import SignedFollowCLI
import Testing
import WalletCrypto

@Suite("CLI: explain")
struct CLIExplainTests {
    /// The check of section 4 that each code the explanation can give belongs to.
    static let checksByCode: [Int: Set<Int>] = [
        40001: [1], 40002: [1, 8], 40003: [1], 40005: [1], 40006: [1], 40004: [2], 40301: [3], 40106: [4],
        40101: [5], 40102: [5], 40103: [6, 8], 40104: [6], 40105: [8], 40007: [9],
    ]

    /// Codes that only the service's database can give: the explanation assumes they pass.
    static let stateCodes: Set<Int> = [40302, 40303, 40401, 40402, 40901, 42901, 42902]

    @Test("every follow rejection of the rejection tests is explained with the code the service answered")
    func rejectionsExplained() async throws {
        try await TestService.run { service in
            #expect(try await service.register(RejectionTests.alice).code == 0)
            #expect(try await service.register(RejectionTests.bob).code == 0)
            let session = Ed25519KeyPair.generate()
            let login = try await service.send(
                Routes.login,
                RejectionTests.alice.login(
                    sessionKey: session, expiresAt: service.clock.now + 3_600_000, timestamp: service.clock.now))
            #expect(login.code == 0)
            let world = RejectionTests.World(service: service, session: session)
            var explained = Set<Int>()
            for testCase in RejectionTests.cases where testCase.route == Routes.follow && testCase.code != 41301 {
                let request = testCase.make(world)
                let explanation = FollowExplanation(body: request.body, headers: request.headers, now: world.now)
                if Self.stateCodes.contains(testCase.code) {
                    #expect(explanation.verdict == nil, "\(testCase.name): \(String(describing: explanation.verdict))")
                    continue
                }
                #expect(
                    explanation.verdict?.code.rawValue == testCase.code,
                    "\(testCase.name): \(String(describing: explanation.verdict))")
                let failed = explanation.checks.first { check in
                    if case .failed(let error) = check.outcome { error.code.rawValue == testCase.code } else { false }
                }
                #expect(
                    failed.map { Self.checksByCode[testCase.code]?.contains($0.number) ?? false } == true,
                    "\(testCase.name): the failing check is \(String(describing: failed?.number))")
                explained.insert(testCase.code)
            }
            #expect(
                explained.isSuperset(of: [
                    40001, 40002, 40003, 40004, 40006, 40007, 40101, 40102, 40103, 40104, 40105, 40106, 40301,
                ]))

            // And a valid request passes every check that can be made offline.
            let valid = world.follow(userSignature: true)
            let explanation = FollowExplanation(body: valid.body, headers: valid.headers, now: world.now)
            #expect(explanation.verdict == nil)
            #expect(explanation.recoveredAddress == RejectionTests.alice.address)
            #expect(explanation.lines.count == 5 && explanation.lines.allSatisfy(\.matches))
            #expect(explanation.checks.map(\.number) == Array(1...11))
            #expect(try await service.send(Routes.follow, valid).code == 0)
        }
    }

    @Test("explain prints each check, the lines side by side, and exits 1 with the code the service would answer")
    func explainCommand() async throws {
        try await withTemporaryDirectory { directory in
            let alice = TestIdentity(seed: "alice"), bob = TestIdentity(seed: "bob")
            let now = Int64(Date().timeIntervalSince1970 * 1000)
            let valid = RequestDocument(
                post: alice.follow(target: bob.userid, timestamp: now, requestKey: alice.mainKey), to: "/api/following/")
            try Data(valid.json.utf8).write(to: URL(fileURLWithPath: directory + "/valid.json"))
            let passed = await runCLI(["explain", directory + "/valid.json"])
            #expect(passed.exitCode == 0, "\(passed)")
            #expect(passed.text.contains("recovered address: \(alice.address.checksummed)"))
            #expect(passed.text.contains("the service would answer: 0"))

            // A body given as a string of its exact text; the Nonce line of another target.
            let other = alice.follow(target: "user:someone-else", timestamp: now, requestKey: alice.mainKey)
            let broken = alice.follow(target: bob.userid, timestamp: now, requestKey: alice.mainKey)
                .replacing("sign_content", with: other["sign_content"]!).replacing("did_signature", with: other["did_signature"]!)
            let captured = JSONWriter.object([
                (
                    "headers",
                    .raw(
                        String(
                            decoding: JSONWriter.object([
                                ("Web3MQ-Request-Pubkey", .string(broken.headers.requestPubkey)),
                                ("DIDKEY", .string(broken.headers.didkey)),
                            ]), as: UTF8.self))
                ),
                ("body", .string(String(decoding: broken.body, as: UTF8.self))),
            ])
            try Data(captured).write(to: URL(fileURLWithPath: directory + "/broken.json"))
            let failed = await runCLI(["explain", directory + "/broken.json"])
            #expect(failed.exitCode == 1, "\(failed)")
            #expect(failed.text.contains("FAIL  5. sign_content matches the rebuilt lines: 40102"), "\(failed)")
            #expect(failed.text.contains("  FAIL line 4"))
            #expect(failed.text.contains("the service would answer: 40102 (HTTP 401)"))

            let late = await runCLI(["explain", directory + "/valid.json", "--now", String(now + 600_000), "--json"])
            #expect(late.exitCode == 1)
            #expect(late.text.contains("\"code\":40106"), "\(late)")

            let notJSON = directory + "/not.json"
            try Data("hello".utf8).write(to: URL(fileURLWithPath: notJSON))
            #expect(await runCLI(["explain", notJSON]).exitCode == 1)
        }
    }
}

@Suite("CLI: audit export and verify")
struct CLIAuditTests {
    /// A service with registrations, a login, follows with the main and the session key,
    /// and a cancel; returns the database path (kept until `body` returns) and the head.
    func withAuditedDatabase(_ body: @Sendable (_ directory: String, _ database: String) async throws -> Void) async throws {
        try await withTemporaryDirectory { directory in
            let database = directory + "/db.sqlite"
            try await TestService.run(databasePath: database, configure: { $0.adminToken = "token" }) { service in
                let alice = TestIdentity(seed: "alice"), bob = TestIdentity(seed: "bob"), carol = TestIdentity(seed: "carol")
                for identity in [alice, bob, carol] { #expect(try await service.register(identity).code == 0) }
                let session = Ed25519KeyPair.generate()
                let now = service.clock.now
                #expect(
                    try await service.send(
                        Routes.login, alice.login(sessionKey: session, expiresAt: now + 3_600_000, timestamp: now)
                    ).code == 0)
                #expect(
                    try await service.send(
                        Routes.follow,
                        alice.follow(target: bob.userid, timestamp: now, requestKey: session, withUserSignature: true)
                    ).code == 0)
                #expect(
                    try await service.send(
                        Routes.follow, alice.follow(target: carol.userid, timestamp: now, requestKey: alice.mainKey)
                    ).code == 0)
                #expect(
                    try await service.send(
                        Routes.follow, bob.follow(target: alice.userid, timestamp: now, requestKey: bob.mainKey)
                    ).code == 0)
                #expect(
                    try await service.send(
                        Routes.follow, alice.follow(target: bob.userid, action: "cancel", timestamp: now + 1, requestKey: session)
                    ).code == 0)
                let head = try await service.client.executeRequest(uri: "/api/audit/head", method: .get, headers: [:], body: nil)
                try Data(head.body.readableBytesView).write(to: URL(fileURLWithPath: directory + "/head.json"))
                var fields = HTTPFields()
                fields[.authorization] = "Bearer token"
                let export = try await service.client.executeRequest(
                    uri: "/api/audit/export", method: .get, headers: fields, body: nil)
                try Data(export.body.readableBytesView).write(to: URL(fileURLWithPath: directory + "/http.jsonl"))
                try await body(directory, database)
            }
        }
    }

    @Test("audit export writes the same lines as the HTTP export, and audit verify confirms them and the signed head")
    func exportAndVerify() async throws {
        try await withAuditedDatabase { directory, database in
            let export = await runCLI(["audit", "export", "--db", database, "--out", directory + "/audit.jsonl"])
            #expect(export.exitCode == 0, "\(export)")
            let written = try Data(contentsOf: URL(fileURLWithPath: directory + "/audit.jsonl"))
            #expect(written == (try Data(contentsOf: URL(fileURLWithPath: directory + "/http.jsonl"))))
            #expect(String(decoding: written, as: UTF8.self).split(separator: "\n").count == 8)

            let verify = await runCLI(["audit", "verify", directory + "/audit.jsonl", "--head", directory + "/head.json"])
            #expect(verify.exitCode == 0, "\(verify)")
            #expect(verify.text.contains("OK: 8 entries verified, seq 1 to 8"))
            #expect(verify.text.contains("keys and registrations replayed from seq 1"))

            let after = await runCLI([
                "audit", "export", "--db", database, "--after-seq", "5", "--out", directory + "/tail.jsonl",
            ])
            #expect(after.exitCode == 0)
            let tail = await runCLI(["audit", "verify", directory + "/tail.jsonl", "--json"])
            #expect(tail.exitCode == 0, "\(tail)")
            #expect(tail.text.contains("\"entries\":3") && tail.text.contains("\"bindings_checked\":false"), "\(tail)")

            #expect(await runCLI(["audit", "export", "--db", directory + "/missing.sqlite"]).exitCode == 1)
        }
    }

    /// The export's lines.
    func lines(_ directory: String) throws -> [String] {
        try String(contentsOfFile: directory + "/http.jsonl", encoding: .utf8).split(separator: "\n").map(String.init)
    }

    /// Runs `audit verify` on `lines` and returns the run.
    func verify(_ lines: [String], _ directory: String, head: Bool = false) async throws -> CLIRun {
        let path = directory + "/tampered.jsonl"
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: path))
        return await runCLI(["audit", "verify", path] + (head ? ["--head", directory + "/head.json"] : []))
    }

    @Test("a flipped body byte, a removed line and a reordered line are each reported at the first broken seq")
    func tampering() async throws {
        try await withAuditedDatabase { directory, _ in
            let lines = try lines(directory)
            var flipped = lines
            var entry = try AuditLogVerifier.entry(from: Array(lines[5].utf8))
            entry.body[20] ^= 0x01
            flipped[5] = String(decoding: AuditExportLine.bytes(entry).dropLast(), as: UTF8.self)
            let flip = try await verify(flipped, directory)
            #expect(flip.exitCode == 1)
            #expect(flip.text.contains("BROKEN: seq 6 (line 6): hash does not match"), "\(flip)")

            var removed = lines
            removed.remove(at: 3)
            let remove = try await verify(removed, directory)
            #expect(remove.exitCode == 1)
            #expect(remove.text.contains("BROKEN: seq 5 (line 4): seq does not follow 3"), "\(remove)")

            var reordered = lines
            reordered.swapAt(4, 5)
            let reorder = try await verify(reordered, directory)
            #expect(reorder.exitCode == 1)
            #expect(reorder.text.contains("BROKEN: seq 6 (line 5)"), "\(reorder)")

            // The head names seq 8: an export cut before it cannot confirm it.
            let short = try await verify(Array(lines.prefix(7)), directory, head: true)
            #expect(short.exitCode == 1)
            #expect(short.text.contains("does not hold seq 8"), "\(short)")
        }
    }

    /// `lines` with entry `index` replaced by `change(entry)` and every hash from there on
    /// recomputed, so that the chain itself is intact.
    func rechained(_ lines: [String], at index: Int, _ change: (inout AuditEntry) -> Void) throws -> [String] {
        var result = Array(lines.prefix(index))
        var previous = try index == 0 ? AuditChain.genesisHash : AuditLogVerifier.entry(from: Array(lines[index - 1].utf8)).hash
        for (offset, line) in lines[index...].enumerated() {
            var entry = try AuditLogVerifier.entry(from: Array(line.utf8))
            if offset == 0 { change(&entry) }
            entry.prevHash = previous
            entry.hash =
                AuditChain.hash(
                    prevHash: previous, seq: entry.seq, kind: entry.kind, receivedAt: entry.receivedAt,
                    requestPubkey: entry.requestPubkey, didkey: entry.didkey, body: entry.body
                ).bytes
            previous = entry.hash
            result.append(String(decoding: AuditExportLine.bytes(entry).dropLast(), as: UTF8.self))
        }
        return result
    }

    @Test("with the chain recomputed, a forged signature or an unbound key is still caught")
    func forgedEntries() async throws {
        try await withAuditedDatabase { directory, _ in
            let lines = try lines(directory)
            // Entry 5 is alice's follow of bob with her session key.
            let unbound = try rechained(lines, at: 4) { entry in
                let stranger = Ed25519KeyPair.generate()
                let alice = TestIdentity(seed: "alice")
                let request = alice.follow(target: TestIdentity(seed: "bob").userid, timestamp: 1, requestKey: stranger)
                entry.requestPubkey = request.headers.requestPubkey
                entry.body = request.body
            }
            let keyRun = try await verify(unbound, directory)
            #expect(keyRun.exitCode == 1)
            #expect(keyRun.text.contains("seq 5 (line 5): web3mq-request-pubkey was not bound"), "\(keyRun)")

            let forged = try rechained(lines, at: 6) { entry in
                let mallory = TestIdentity(seed: "mallory")
                let text = String(decoding: entry.body, as: UTF8.self)
                let signature = text.range(of: "\"did_signature\":\"0x")!.upperBound
                let malloryBody = mallory.follow(target: "user:x", timestamp: 1, requestKey: mallory.mainKey)
                guard case .string(let malloryValue)? = malloryBody["did_signature"] else { return }
                let end = text[signature...].firstIndex(of: "\"")!
                entry.body = Array((text[..<text.index(signature, offsetBy: -2)] + malloryValue + text[end...]).utf8)
            }
            let signatureRun = try await verify(forged, directory)
            #expect(signatureRun.exitCode == 1)
            #expect(
                signatureRun.text.contains("seq 7 (line 7): did_signature does not recover to the did address"), "\(signatureRun)"
            )

            // A head signed by another key does not verify.
            var head = try String(contentsOfFile: directory + "/head.json", encoding: .utf8)
            let pubkey = try #require(head.range(of: "\"server_pubkey\":\""))
            head.replaceSubrange(
                pubkey.upperBound..<head.index(pubkey.upperBound, offsetBy: 64),
                with: Hex.encode(Ed25519KeyPair.generate().publicKey.rawRepresentation))
            try Data(head.utf8).write(to: URL(fileURLWithPath: directory + "/head.json"))
            let headRun = try await verify(lines, directory, head: true)
            #expect(headRun.exitCode == 1)
            #expect(headRun.text.contains("the head's signature does not verify"), "\(headRun)")
        }
    }
}
