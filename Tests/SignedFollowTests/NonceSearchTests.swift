import Foundation
import HTTPTypes
import Keccak
import NIOCore
import Server
@_spi(Benchmarks) @testable import SignedFollow
import SignedFollowClient
import Testing
import WalletCrypto

/// The search for a follow nonce over an earlier timestamp (docs/protocol.md section 5a
/// item 5) and its bounds; the variants of StarkNet follows.
@Suite("Nonce search (section 5a item 5)")
struct NonceSearchTests {
    static let alice = ClientVariantTests.alice
    static let bob = ClientVariantTests.bob
    static let now = ClientVariantTests.now

    /// A search for a nonce that no candidate gives, from a request at `timestamp` whose
    /// `Issued At` minute is `minute` (UTC).
    static func search(at timestamp: Int64, issuedAt: Int64, action: String = "follow") -> FollowNonceSearch {
        FollowNonceSearch(
            written: sha3_224("nothing"), userid: alice.userid, action: action, targetUserid: bob.userid,
            timestamp: timestamp, issuedAt: issuedAt)
    }

    @Test("candidates: within 120 s before the body's timestamp, newest first, in the minutes that agree mod 15")
    func candidates() {
        // The body at 30 s into minute m; the date in minute m-1: the whole minute m-1.
        let minute = Self.now / 60_000
        let whole = Self.search(at: Self.now, issuedAt: (minute - 1) * 60_000)
        #expect(whole.candidateRanges == [(minute - 1) * 60_000...(minute * 60_000 - 1)])
        #expect(whole.worstCaseHashes == 60_000 * 2)
        #expect(Self.search(at: Self.now, issuedAt: (minute - 1) * 60_000, action: "cancel").worstCaseHashes == 60_000 * 3)
        // The date in minute m: the 30 s of minute m before the body; the same class 15
        // minutes later (another zone) gives the same candidates.
        let current = Self.search(at: Self.now, issuedAt: minute * 60_000)
        #expect(current.candidateRanges == [(minute * 60_000)...(Self.now - 1)])
        #expect(Self.search(at: Self.now, issuedAt: (minute + 15) * 60_000).candidateRanges == current.candidateRanges)
        // Minute m-2: its last 30 s only (120 s reach back to m-2 + 30 s).
        #expect(
            Self.search(at: Self.now, issuedAt: (minute - 2) * 60_000).candidateRanges
                == [(Self.now - 120_000)...((minute - 1) * 60_000 - 1)])
        // A minute of another class: nothing to search.
        #expect(Self.search(at: Self.now, issuedAt: (minute + 5) * 60_000).worstCaseHashes == 0)
        // Near the epoch the candidates stop at 0.
        #expect(Self.search(at: 5, issuedAt: 0).candidateRanges == [0...4])
    }

    @Test("the search finds the nonce at each distance and in each spelling, and counts what it hashed")
    func finds() async {
        for (delay, word) in [
            (1, "FollowAction.follow"), (2_500, "follow"), (30_000, "FollowAction.follow"), (120_000, "follow"),
        ] as [(Int64, String)] {
            let signedAt = Self.now - delay
            let nonce = SignedDigests.followNonce(
                userid: Self.alice.userid, action: word, targetUserid: Self.bob.userid, timestamp: signedAt)
            let search = FollowNonceSearch(
                written: nonce, userid: Self.alice.userid, action: "follow", targetUserid: Self.bob.userid, timestamp: Self.now,
                issuedAt: signedAt)
            let (found, hashes) = await offPool { search.run() }
            #expect(found == FollowNonce(digest: nonce, actionWord: word, timestamp: signedAt), "\(delay) \(word)")
            #expect(hashes <= search.worstCaseHashes)
        }
        // Values below 100,000 are written without leading zeros.
        let tiny = SignedDigests.followNonce(userid: "a", action: "follow", targetUserid: "b", timestamp: 7)
        let search = FollowNonceSearch(written: tiny, userid: "a", action: "follow", targetUserid: "b", timestamp: 9, issuedAt: 0)
        #expect(search.run().nonce?.timestamp == 7)
        // A search in vain hashes every candidate (on a thread of its own: seconds in a debug build).
        let missing = Self.search(at: Self.now, issuedAt: Self.now - 60_000, action: "cancel")
        let result = await offPool { missing.run() }
        #expect(result.nonce == nil && result.hashes == missing.worstCaseHashes)
    }

    @Test("a user past its bucket of searches is answered 42901 with Retry-After; a JS follow still passes")
    func perUserLimit() async throws {
        let targets = (1...3).map { TestIdentity(seed: "search target \($0)") }
        try await TestService.run(configure: { $0.nonceSearch.perUser = RateLimit(burst: 2, perHour: 60) }) { service in
            try await ClientVariantTests.prepare(service, action: "follow")
            for target in targets { #expect(try await service.register(target).code == 0) }
            let dart = ClientStyle(client: .dart)
            for target in targets.prefix(2) {
                #expect(try await service.send(Routes.follow, ClientVariantTests.follow(dart, target: target.userid)).code == 0)
            }
            let before = try service.store.counts()
            let refused = try await service.send(Routes.follow, ClientVariantTests.follow(dart, target: targets[2].userid))
            #expect(refused.code == 42901 && refused.status == 429, "\(refused)")
            #expect(refused.headers[.retryAfter] == "60")
            #expect(try service.store.counts() == before)
            #expect(try await service.send(Routes.follow, ClientVariantTests.follow(target: targets[2].userid)).code == 0)
        }
    }

    @Test("/metrics counts the searches by result and the hashes they took")
    func metrics() async throws {
        let carol = ClientVariantTests.carol
        try await TestService.run(configure: { $0.nonceSearch.perUser = RateLimit(burst: 1, perHour: 1) }) { service in
            try await ClientVariantTests.prepare(service, action: "follow")
            #expect(try await service.register(carol).code == 0)
            let dart = ClientStyle(client: .dart)
            #expect(try await service.send(Routes.follow, ClientVariantTests.follow(dart)).code == 0)
            #expect(try await service.send(Routes.follow, ClientVariantTests.follow(dart, target: carol.userid)).code == 42901)
            let text = try await service.exchange("/metrics").text
            #expect(text.contains(#"signed_follow_nonce_searches_total{result="found"} 1"#), "\(text)")
            #expect(text.contains(#"signed_follow_nonce_searches_total{result="refused_user"} 1"#))
            #expect(text.contains(#"signed_follow_nonce_searches_total{result="not_found"} 0"#))
            // 2.5 s early, newest first, two action words per candidate.
            #expect(text.contains("signed_follow_nonce_search_hashes_total 5000"), "\(text)")
        }
    }

    @Test("when the service's hash budget is spent, a follow that needs a search is answered 50301 with Retry-After")
    func serviceBudget() async throws {
        try await TestService.run(configure: {
            $0.nonceSearch.hashesPerSecond = 1_000; $0.nonceSearch.hashBurst = 180_000
        }) { service in
            try await ClientVariantTests.prepare(service, action: "follow")
            // A cancel whose nonce names another target, dated in the minute before: all
            // 60,000 candidates times 3 words are hashed, the whole budget.
            let miss = ClientVariantTests.withNonce(
                ClientVariantTests.follow(ClientStyle(client: .dart) { $0.nonceDelayMilliseconds = 60_000 }, action: "cancel"),
                word: "FollowAction.unfollow", target: "user:nobody", at: Self.now - 60_000)
            #expect(try await service.send(Routes.follow, miss).code == 40102)
            let before = try service.store.counts()
            let refused = try await service.send(Routes.follow, ClientVariantTests.follow(ClientStyle(client: .dart)))
            #expect(refused.code == 50301 && refused.status == 503, "\(refused)")
            #expect(Int(refused.headers[.retryAfter] ?? "") ?? 0 >= 1)
            #expect(try service.store.counts() == before)
            // A follow whose nonce needs no search is not held back.
            #expect(try await service.send(Routes.follow, ClientVariantTests.follow(ClientStyle(client: .uikit))).code == 0)
        }
    }

    @Test("with the search turned off, a nonce over an earlier timestamp is 40102; one over the body's still passes")
    func searchOff() async throws {
        try await TestService.run(configure: { $0.nonceSearch.perUser.burst = 0 }) { service in
            try await ClientVariantTests.prepare(service, action: "follow")
            let before = try service.store.counts()
            let answer = try await service.send(Routes.follow, ClientVariantTests.follow(ClientStyle(client: .flutter)))
            #expect(answer.code == 40102, "\(answer)")
            #expect(try service.store.counts() == before)
            let atBody = ClientStyle(client: .flutter) { $0.nonceDelayMilliseconds = 0 }
            #expect(try await service.send(Routes.follow, ClientVariantTests.follow(atBody)).code == 0)
        }
    }

    @Test("SIGNED_FOLLOW_NONCE_SEARCH_* set the bounds and refuse nonsense")
    func configuration() throws {
        let configured = try ServerConfiguration(environment: [
            "SIGNED_FOLLOW_NONCE_SEARCH_BURST": "3", "SIGNED_FOLLOW_NONCE_SEARCH_PER_HOUR": "30",
            "SIGNED_FOLLOW_NONCE_SEARCH_HASHES_PER_SECOND": "1000",
        ])
        #expect(configured.verificationPolicy.nonceSearch.perUser == RateLimit(burst: 3, perHour: 30))
        #expect(configured.verificationPolicy.nonceSearch.hashesPerSecond == 1000)
        for (name, value) in [("BURST", "-1"), ("PER_HOUR", "0"), ("HASHES_PER_SECOND", "x")] {
            #expect(throws: ConfigurationError.self) {
                _ = try ServerConfiguration(environment: ["SIGNED_FOLLOW_NONCE_SEARCH_" + name: value])
            }
        }
    }

    @Test("StarkNet follows in the iOS, Flutter and UI kit variants are accepted; an empty wallet word is not")
    func starknet() async throws {
        let stark = TestIdentity(starknetSeed: "variant stark")
        try await TestService.run { service in
            try await ClientVariantTests.prepare(service, action: "follow")
            #expect(try await service.register(stark).code == 0)
            let targets = [Self.alice, Self.bob]
            for (client, target) in zip([ClientPreset.ios, .uikit], targets) {
                let request = stark.follow(
                    target: target.userid, timestamp: Self.now, requestKey: stark.mainKey,
                    style: ClientStyle(client: client, didType: .starknet))
                #expect(try await service.send(Routes.follow, request).code == 0, "\(client)")
            }
            let flutter = stark.follow(
                target: Self.alice.userid, action: "unfollow", timestamp: Self.now + 5_000, requestKey: stark.mainKey,
                style: ClientStyle(client: .flutter, didType: .starknet))
            #expect(try await service.send(Routes.follow, flutter).data?["following"] as? Bool == false)
            var empty = ClientStyle(client: .flutter, didType: .starknet)
            empty.followWalletWord = ""
            let before = try service.store.counts()
            let refused = try await service.send(
                Routes.follow,
                stark.follow(
                    target: Self.bob.userid, action: "cancel", timestamp: Self.now + 6_000, requestKey: stark.mainKey,
                    style: empty))
            #expect(refused.code == 40101, "\(refused)")
            #expect(try service.store.counts() == before)
        }
    }
}

extension ClientStyle {
    /// `client`'s style, changed by `change`.
    init(client: ClientPreset, _ change: (inout ClientStyle) -> Void) {
        self.init(client: client)
        change(&self)
    }
}
