import Foundation
import HTTPTypes
import Server
@_spi(Benchmarks) import SignedFollow
import SignedFollowClient
import Testing
import WalletCrypto

/// `POST /api/following/batch/` (docs/protocol.md section 9) and the limits of section 4
/// check 10 (42901 with `Retry-After`, 42902) over HTTP.
@Suite("Batch and limits")
struct BatchAndLimitTests {
    static let a = TestIdentity(seed: "batch a")
    static let b = TestIdentity(seed: "batch b")
    static let c = TestIdentity(seed: "batch c")
    static let d = TestIdentity(seed: "batch d")

    static func registerAll(_ service: TestService) async throws {
        for identity in [a, b, c, d] { #expect(try await service.register(identity).code == 0) }
    }

    /// A batch body holding `items` exactly as given, with white space around them.
    static func batchBody(_ items: [[UInt8]]) -> [UInt8] {
        Array(#"{"items": [ "#.utf8) + items.joined(separator: Array(" ,\n ".utf8)) + Array(" ]}".utf8)
    }

    static func results(_ answer: Answer) -> [(String, Int, String)] {
        let results = answer.data?["results"] as? [[String: Any]] ?? []
        return results.map { ($0["target_userid"] as? String ?? "", $0["code"] as? Int ?? -1, $0["msg"] as? String ?? "") }
    }

    @Test("a batch with good and bad items commits only the good ones, each audited with its own bytes, results in order")
    func mixedBatch() async throws {
        try await TestService.run { service in
            try await Self.registerAll(service)
            let now = service.clock.now
            let good = Self.a.follow(target: Self.b.userid, timestamp: now, requestKey: Self.a.mainKey)
            let forged = Self.a.follow(target: Self.d.userid, timestamp: now, requestKey: Self.a.mainKey)
            let content = forged.text("sign_content")
            let wrongSigner = forged.replacing(
                "did_signature", with: .string(Self.d.wallet.signature(forPersonalMessage: content.utf8).description))
            let unknownTarget = Self.a.follow(target: "user:nobody", timestamp: now, requestKey: Self.a.mainKey)
            let alsoGood = Self.a.follow(target: Self.c.userid, timestamp: now + 1, requestKey: Self.a.mainKey)
            let selfFollow = Self.a.follow(target: Self.a.userid, timestamp: now, requestKey: Self.a.mainKey)
            let noAction = Self.a.follow(target: Self.d.userid, timestamp: now, requestKey: Self.a.mainKey).removing("action")
            let items = [good, wrongSigner, unknownTarget, alsoGood, selfFollow, noAction, good].map(\.body)
            let before = try service.store.counts()

            let answer = try await service.send(Routes.batch, body: Self.batchBody(items), headers: good.headers)
            #expect(answer.code == 0 && answer.status == 200, "\(answer)")
            let results = Self.results(answer)
            #expect(
                results.map(\.0) == [
                    Self.b.userid, Self.d.userid, "user:nobody", Self.c.userid, Self.a.userid, Self.d.userid, Self.b.userid,
                ])
            #expect(results.map(\.1) == [0, 40104, 40402, 0, 40007, 40002, 0], "\(results)")
            #expect(results[0].2 == "ok" && results[6].2 == "already applied")
            #expect(results.allSatisfy { !$0.2.isEmpty })

            let after = try service.store.counts()
            #expect(after.auditEntries == before.auditEntries + 2)
            #expect(after.followingEdges == before.followingEdges + 2)
            let entries = try service.store.auditEntries(afterSeq: Int64(before.auditEntries), limit: 10)
            #expect(entries.map(\.kind) == ["follow", "follow"])
            #expect(entries.map(\.body) == [good.body, alsoGood.body])
            #expect(entries.allSatisfy { $0.didkey == good.headers.didkey && $0.requestPubkey == good.headers.requestPubkey })
            #expect(try service.store.pairState(userid: Self.a.userid, targetUserid: Self.d.userid) == nil)
        }
    }

    /// A malformed batch, refused whole.
    struct Malformed: CustomTestStringConvertible, Sendable {
        let name: String
        let code: Int
        let body: @Sendable (Int64) -> [UInt8]
        var testDescription: String { "\(name) -> \(code)" }
    }

    static let malformed: [Malformed] = [
        Malformed(name: "not JSON", code: 40001) { _ in Array("items".utf8) },
        Malformed(name: "no items", code: 40002) { _ in Array("{}".utf8) },
        Malformed(name: "items not an array", code: 40003) { _ in Array(#"{"items": {}}"#.utf8) },
        Malformed(name: "no item", code: 40003) { _ in batchBody([]) },
        Malformed(name: "21 items", code: 40003) { now in
            batchBody((0..<21).map { a.follow(target: b.userid, timestamp: now - Int64($0), requestKey: a.mainKey).body })
        },
        Malformed(name: "two userids", code: 40003) { now in
            batchBody([
                a.follow(target: b.userid, timestamp: now, requestKey: a.mainKey).body,
                c.follow(target: b.userid, timestamp: now, requestKey: c.mainKey).body,
            ])
        },
        Malformed(name: "two did types", code: 40003) { now in
            batchBody([
                a.follow(target: b.userid, timestamp: now, requestKey: a.mainKey).body,
                a.follow(target: c.userid, timestamp: now, requestKey: a.mainKey).replacing("did_type", with: .string("starknet"))
                    .body,
            ])
        },
        Malformed(name: "an item that is not an object", code: 40003) { now in
            batchBody([a.follow(target: b.userid, timestamp: now, requestKey: a.mainKey).body, Array("3".utf8)])
        },
        Malformed(name: "an item without userid", code: 40003) { now in
            batchBody([
                a.follow(target: b.userid, timestamp: now, requestKey: a.mainKey).body,
                a.follow(target: c.userid, timestamp: now, requestKey: a.mainKey).removing("userid").body,
            ])
        },
    ]

    @Test("a malformed batch is refused whole and changes nothing", arguments: malformed)
    func malformedBatch(_ testCase: Malformed) async throws {
        try await TestService.run { service in
            try await Self.registerAll(service)
            let headers = Self.a.follow(target: Self.b.userid, timestamp: service.clock.now, requestKey: Self.a.mainKey).headers
            let before = try service.store.counts()
            let answer = try await service.send(Routes.batch, body: testCase.body(service.clock.now), headers: headers)
            #expect(answer.code == testCase.code && answer.status == testCase.code / 100, "\(testCase.name): \(answer)")
            #expect(answer.data == nil)
            #expect(try service.store.counts() == before)
        }
    }

    @Test("the rate limit answers 42901 with Retry-After, writes nothing, and lets the user go on once refilled")
    func rateLimit() async throws {
        try await TestService.run(configure: { $0.rateLimit = RateLimit(burst: 2, perHour: 60) }) { service in
            try await Self.registerAll(service)
            for target in [Self.b, Self.c] {
                service.clock.advance(by: 1)
                #expect(
                    try await service.send(
                        Routes.follow,
                        Self.a.follow(
                            target: target.userid, timestamp: service.clock.now, requestKey: Self.a.mainKey)
                    ).code == 0)
            }
            service.clock.advance(by: 1)
            let before = try service.store.counts()
            let limited = try await service.send(
                Routes.follow,
                Self.a.follow(
                    target: Self.d.userid, timestamp: service.clock.now, requestKey: Self.a.mainKey))
            #expect(limited.code == 42901 && limited.status == 429, "\(limited)")
            // One token a minute: a little under 60 seconds to wait after 2 ms.
            #expect(limited.headers[.retryAfter] == "60")
            #expect(try service.store.counts() == before)
            // Another user has a bucket of its own.
            #expect(
                try await service.send(
                    Routes.follow,
                    Self.b.follow(
                        target: Self.d.userid, timestamp: service.clock.now, requestKey: Self.b.mainKey)
                ).code == 0)

            // In a batch, the items past the budget are refused one by one.
            service.clock.advance(by: 60_000)
            let now = service.clock.now
            let items = [Self.d, Self.b].map { Self.a.follow(target: $0.userid, timestamp: now, requestKey: Self.a.mainKey) }
            let batch = try await service.send(Routes.batch, body: Self.batchBody(items.map(\.body)), headers: items[0].headers)
            #expect(Self.results(batch).map(\.1) == [0, 42901], "\(batch)")
            #expect(batch.headers[.retryAfter] == "60")
        }
    }

    @Test("the following limit answers 42902 and writes nothing; a cancel makes room")
    func followingLimit() async throws {
        try await TestService.run(configure: { $0.followingLimit = 1 }) { service in
            try await Self.registerAll(service)
            #expect(
                try await service.send(
                    Routes.follow,
                    Self.a.follow(
                        target: Self.b.userid, timestamp: service.clock.now, requestKey: Self.a.mainKey)
                ).code == 0)
            let before = try service.store.counts()
            let refused = try await service.send(
                Routes.follow,
                Self.a.follow(
                    target: Self.c.userid, timestamp: service.clock.now, requestKey: Self.a.mainKey))
            #expect(refused.code == 42902 && refused.status == 429, "\(refused)")
            #expect(try service.store.counts() == before)
            service.clock.advance(by: 1)
            #expect(
                try await service.send(
                    Routes.follow,
                    Self.a.follow(
                        target: Self.b.userid, action: "cancel", timestamp: service.clock.now, requestKey: Self.a.mainKey)
                ).code == 0)
            #expect(
                try await service.send(
                    Routes.follow,
                    Self.a.follow(
                        target: Self.c.userid, timestamp: service.clock.now, requestKey: Self.a.mainKey)
                ).code == 0)
        }
    }
}
