import Foundation
@_spi(Benchmarks) import SignedFollow
import SignedFollowClient
import Testing
import WalletCrypto

/// The reads of docs/protocol.md section 8 over HTTP, against a known graph:
/// A follows B, C and D (in that order); B and C follow A back.
@Suite("Read routes")
struct ReadRouteTests {
    static let a = TestIdentity(seed: "reader a")
    static let b = TestIdentity(seed: "reader b")
    static let c = TestIdentity(seed: "reader c")
    static let d = TestIdentity(seed: "reader d")

    /// The graph's follow times, by (follower, followed).
    struct Graph {
        var times: [String: Int64] = [:]
        func at(_ user: TestIdentity, _ target: TestIdentity) -> Int64 { times[user.userid + ">" + target.userid]! }
    }

    /// Registers the four users and builds the graph, one follow per millisecond.
    static func buildGraph(_ service: TestService) async throws -> Graph {
        for identity in [a, b, c, d] { #expect(try await service.register(identity).code == 0) }
        var graph = Graph()
        for (user, target) in [(a, b), (a, c), (a, d), (b, a), (c, a)] {
            service.clock.advance(by: 1)
            let answer = try await service.send(
                Routes.follow,
                user.follow(
                    target: target.userid, timestamp: service.clock.now, requestKey: user.mainKey))
            #expect(answer.code == 0, "\(answer)")
            graph.times[user.userid + ">" + target.userid] = service.clock.now
        }
        return graph
    }

    /// The `user_list` of an answer as (userid, follow_status, followed_at).
    static func users(_ answer: Answer) -> [(String, String, Int64)] {
        let list = answer.data?["user_list"] as? [[String: Any]] ?? []
        return list.map {
            (
                $0["userid"] as? String ?? "", $0["follow_status"] as? String ?? "",
                ($0["followed_at"] as? NSNumber)?.int64Value ?? -1
            )
        }
    }

    static func total(_ answer: Answer) -> Int { answer.data?["total_count"] as? Int ?? -1 }

    static func publicURI(_ route: String, _ user: TestIdentity, _ extra: [(name: String, value: String)] = []) -> String {
        SignedQuery.uri(route, [("userid", user.userid)] + extra)
    }

    @Test("public lists: newest first, follow_status from the user's side, wallet fields, exact totals")
    func publicLists() async throws {
        try await TestService.run { service in
            let graph = try await Self.buildGraph(service)
            let following = try await service.get(Self.publicURI("/api/user_public_following/", Self.a))
            #expect(following.code == 0 && following.status == 200, "\(following)")
            #expect(Self.total(following) == 3)
            #expect(Self.users(following).map(\.0) == [Self.d.userid, Self.c.userid, Self.b.userid])
            #expect(Self.users(following).map(\.1) == ["following", "follow_each", "follow_each"])
            #expect(
                Self.users(following).map(\.2) == [graph.at(Self.a, Self.d), graph.at(Self.a, Self.c), graph.at(Self.a, Self.b)])
            let first = try #require((following.data?["user_list"] as? [[String: Any]])?.first)
            #expect(first["wallet_type"] as? String == "eth")
            #expect(first["wallet_address"] as? String == Self.d.address.lowercased)

            let followers = try await service.get(Self.publicURI("/api/user_public_followers/", Self.a))
            #expect(Self.total(followers) == 2)
            #expect(Self.users(followers).map(\.0) == [Self.c.userid, Self.b.userid])
            #expect(Self.users(followers).map(\.1) == ["follow_each", "follow_each"])
            #expect(Self.users(followers).map(\.2) == [graph.at(Self.c, Self.a), graph.at(Self.b, Self.a)])

            let ofD = try await service.get(Self.publicURI("/api/user_public_followers/", Self.d))
            #expect(Self.users(ofD).map(\.0) == [Self.a.userid] && Self.users(ofD).map(\.1) == ["follower"])
            let empty = try await service.get(Self.publicURI("/api/user_public_following/", Self.d))
            #expect(empty.code == 0 && Self.total(empty) == 0 && Self.users(empty).isEmpty, "\(empty)")
        }
    }

    @Test("pages: a full page, the last partial page, a page past the end; the default size is 20")
    func pagination() async throws {
        try await TestService.run { service in
            _ = try await Self.buildGraph(service)
            let route = "/api/user_public_following/"
            let pages = [
                try await service.get(Self.publicURI(route, Self.a, [("page", "1"), ("size", "2")])),
                try await service.get(Self.publicURI(route, Self.a, [("page", "2"), ("size", "2")])),
                try await service.get(Self.publicURI(route, Self.a, [("page", "3"), ("size", "2")])),
            ]
            #expect(pages.map(Self.total) == [3, 3, 3])
            #expect(pages.map { Self.users($0).map(\.0) } == [[Self.d.userid, Self.c.userid], [Self.b.userid], []])
            let defaults = try await service.get(Self.publicURI(route, Self.a))
            #expect(Self.users(defaults).count == 3)
        }
    }

    @Test("signed lists and contacts: the reader's own lists, with the main key or a session key")
    func signedLists() async throws {
        try await TestService.run { service in
            let graph = try await Self.buildGraph(service)
            let session = Ed25519KeyPair.generate()
            #expect(
                try await service.send(
                    Routes.login,
                    Self.a.login(
                        sessionKey: session, expiresAt: service.clock.now + 3_600_000, timestamp: service.clock.now)
                ).code == 0)
            let withMain = Self.a.signedRead(timestamp: service.clock.now, requestKey: Self.a.mainKey)
            let withSession = Self.a.signedRead(timestamp: service.clock.now, requestKey: session)

            let following = try await service.get("/api/user_following/", withMain)
            #expect(following.code == 0, "\(following)")
            #expect(Self.users(following).map(\.0) == [Self.d.userid, Self.c.userid, Self.b.userid])
            let followers = try await service.get("/api/user_followers/", withSession, [("size", "1")])
            #expect(Self.total(followers) == 2 && Self.users(followers).map(\.0) == [Self.c.userid], "\(followers)")

            let mutual = try await service.get("/api/user_follow_contacts/", withSession, [("follow_status", "follow_each")])
            #expect(Self.total(mutual) == 2, "\(mutual)")
            #expect(Self.users(mutual).map(\.0) == [Self.c.userid, Self.b.userid])
            #expect(Self.users(mutual).map(\.2) == [graph.at(Self.c, Self.a), graph.at(Self.b, Self.a)])
            let contacts = try await service.get("/api/user_follow_contacts/", withMain, [("follow_status", "following")])
            #expect(Self.users(contacts).map(\.0) == Self.users(following).map(\.0))
            let contactFollowers = try await service.get("/api/user_follow_contacts/", withMain, [("follow_status", "follower")])
            #expect(Self.users(contactFollowers).map(\.0) == [Self.c.userid, Self.b.userid])
        }
    }

    @Test("follow_status both ways and user_follow_stats, before and after a cancel")
    func statusAndStats() async throws {
        try await TestService.run { service in
            let graph = try await Self.buildGraph(service)
            let status = try await service.get(
                SignedQuery.uri("/api/follow_status/", [("userid", Self.a.userid), ("target_userid", Self.b.userid)]))
            #expect(status.code == 0, "\(status)")
            #expect(status.data?["is_following"] as? Bool == true && status.data?["is_followed_by"] as? Bool == true)
            #expect((status.data?["followed_at"] as? NSNumber)?.int64Value == graph.at(Self.a, Self.b))
            let reverse = try await service.get(
                SignedQuery.uri("/api/follow_status/", [("userid", Self.d.userid), ("target_userid", Self.a.userid)]))
            #expect(reverse.data?["is_following"] as? Bool == false && reverse.data?["is_followed_by"] as? Bool == true)
            #expect(reverse.data?["followed_at"] is NSNull, "followed_at is null when not following")

            var stats = try await service.get(SignedQuery.uri("/api/user_follow_stats/", [("userid", Self.a.userid)]))
            #expect(stats.data?["total_following"] as? Int == 3 && stats.data?["total_followers"] as? Int == 2)
            #expect(stats.data?["total_follow_each"] as? Int == 2, "\(stats)")

            service.clock.advance(by: 1)
            #expect(
                try await service.send(
                    Routes.follow,
                    Self.b.follow(
                        target: Self.a.userid, action: "cancel", timestamp: service.clock.now, requestKey: Self.b.mainKey)
                ).code == 0)
            stats = try await service.get(SignedQuery.uri("/api/user_follow_stats/", [("userid", Self.a.userid)]))
            #expect(stats.data?["total_following"] as? Int == 3 && stats.data?["total_followers"] as? Int == 1)
            #expect(stats.data?["total_follow_each"] as? Int == 1, "\(stats)")
            let followers = try await service.get(Self.publicURI("/api/user_public_followers/", Self.a))
            #expect(Self.users(followers).map(\.0) == [Self.c.userid])
        }
    }

    /// A read that must fail with `code`.
    struct Rejection: CustomTestStringConvertible, Sendable {
        let name: String
        let code: Int
        let uri: @Sendable (TestService, Ed25519KeyPair) -> (String, RequestHeaders)
        var testDescription: String { "\(name) -> \(code)" }
    }

    static func signed(
        _ route: String = "/api/user_following/", by identity: TestIdentity = a, key: Ed25519KeyPair? = nil,
        at offset: Int64 = 0, extra: [(name: String, value: String)] = [],
        change: @escaping @Sendable (inout SignedQuery) -> Void = { _ in }
    ) -> @Sendable (TestService, Ed25519KeyPair) -> (String, RequestHeaders) {
        { service, _ in
            var query = identity.signedRead(timestamp: service.clock.now + offset, requestKey: key ?? identity.mainKey)
            change(&query)
            return (query.uri(route, extra), query.headers)
        }
    }

    static func replacing(_ name: String, _ value: String) -> @Sendable (inout SignedQuery) -> Void {
        { query in query.parameters = query.parameters.map { $0.name == name ? (name, value) : $0 } }
    }

    static let rejections: [Rejection] = [
        Rejection(
            name: "missing userid", code: 40002,
            uri: { _, _ in ("/api/user_public_following/", RequestHeaders(requestPubkey: "", didkey: "")) }),
        Rejection(
            name: "size 0", code: 40003,
            uri: { _, _ in (publicURI("/api/user_public_following/", a, [("size", "0")]), .init(requestPubkey: "", didkey: "")) }),
        Rejection(
            name: "size 101", code: 40003,
            uri: { _, _ in (publicURI("/api/user_public_followers/", a, [("size", "101")]), .init(requestPubkey: "", didkey: ""))
            }),
        Rejection(
            name: "page 0", code: 40003,
            uri: { _, _ in (publicURI("/api/user_public_following/", a, [("page", "0")]), .init(requestPubkey: "", didkey: "")) }),
        Rejection(
            name: "page not a number", code: 40003,
            uri: { _, _ in (publicURI("/api/user_public_following/", a, [("page", "two")]), .init(requestPubkey: "", didkey: ""))
            }),
        Rejection(
            name: "size with a sign", code: 40003,
            uri: { _, _ in (publicURI("/api/user_public_following/", a, [("size", "+5")]), .init(requestPubkey: "", didkey: "")) }
        ),
        Rejection(
            name: "page empty", code: 40003,
            uri: { _, _ in (publicURI("/api/user_public_following/", a, [("page", "")]), .init(requestPubkey: "", didkey: "")) }),
        Rejection(
            name: "userid empty", code: 40002,
            uri: { _, _ in
                (SignedQuery.uri("/api/user_public_following/", [("userid", "")]), .init(requestPubkey: "", didkey: ""))
            }),
        Rejection(
            name: "page given twice", code: 40003,
            uri: { _, _ in
                (
                    publicURI("/api/user_public_following/", a, [("page", "1"), ("page", "2")]),
                    .init(requestPubkey: "", didkey: "")
                )
            }),
        Rejection(
            name: "userid with a space", code: 40003,
            uri: { _, _ in
                (SignedQuery.uri("/api/user_public_following/", [("userid", "user a")]), .init(requestPubkey: "", didkey: ""))
            }),
        Rejection(
            name: "public list of an unknown user", code: 40401,
            uri: { _, _ in
                (
                    SignedQuery.uri("/api/user_public_followers/", [("userid", "user:nobody")]),
                    .init(requestPubkey: "", didkey: "")
                )
            }),
        Rejection(
            name: "stats of an unknown user", code: 40401,
            uri: { _, _ in
                (SignedQuery.uri("/api/user_follow_stats/", [("userid", "user:nobody")]), .init(requestPubkey: "", didkey: ""))
            }),
        Rejection(
            name: "status of an unknown user", code: 40401,
            uri: { _, _ in
                (
                    SignedQuery.uri("/api/follow_status/", [("userid", "user:nobody"), ("target_userid", b.userid)]),
                    .init(requestPubkey: "", didkey: "")
                )
            }),
        Rejection(
            name: "status toward an unknown target", code: 40402,
            uri: { _, _ in
                (
                    SignedQuery.uri("/api/follow_status/", [("userid", a.userid), ("target_userid", "user:nobody")]),
                    .init(requestPubkey: "", didkey: "")
                )
            }),
        Rejection(
            name: "status without target_userid", code: 40002,
            uri: { _, _ in (SignedQuery.uri("/api/follow_status/", [("userid", a.userid)]), .init(requestPubkey: "", didkey: ""))
            }),
        Rejection(name: "signed read without signature", code: 40002, uri: signed { $0.parameters.removeLast() }),
        Rejection(name: "signed read with a bad timestamp", code: 40003, uri: signed(change: replacing("timestamp", "12a"))),
        Rejection(name: "signed read without didkey", code: 40004, uri: signed { $0.headers.didkey = "" }),
        Rejection(name: "signed read without request key", code: 40004, uri: signed { $0.headers.requestPubkey = "" }),
        Rejection(
            name: "signed read with a starknet didkey for an eth user", code: 40303,
            uri: signed { $0.headers.didkey = "starknet:0x1234" }),
        Rejection(
            name: "signed read with a didkey of an unknown did type", code: 40004,
            uri: signed { $0.headers.didkey = "sol:0x1234" }),
        Rejection(
            name: "signature not base64", code: 40103, uri: signed(change: replacing("web3mq_user_signature", "not base64!"))),
        Rejection(
            name: "signature over another timestamp", code: 40105,
            uri: { service, _ in
                let query = a.signedRead(timestamp: service.clock.now, requestKey: a.mainKey)
                let other = a.signedRead(timestamp: service.clock.now - 1, requestKey: a.mainKey)
                var forged = query
                forged.parameters[2] = other.parameters[2]
                return (forged.uri("/api/user_followers/"), forged.headers)
            }),
        Rejection(name: "timestamp outside the window", code: 40106, uri: signed(at: -300_001)),
        Rejection(
            name: "request key not bound", code: 40302,
            uri: signed(key: try! Ed25519KeyPair(seed: [UInt8](repeating: 7, count: 32)))),
        Rejection(
            name: "expired session key", code: 40302,
            uri: { service, session in
                let query = a.signedRead(timestamp: service.clock.now, requestKey: session)
                return (query.uri("/api/user_following/"), query.headers)
            }),
        Rejection(
            name: "didkey of another wallet", code: 40303, uri: signed { $0.headers.didkey = "eth:" + b.address.lowercased }),
        Rejection(name: "signed read of an unknown user", code: 40401, uri: signed(by: TestIdentity(seed: "nobody"))),
        Rejection(name: "contacts without follow_status", code: 40002, uri: signed("/api/user_follow_contacts/")),
        Rejection(
            name: "contacts with an unknown follow_status", code: 40003,
            uri: signed("/api/user_follow_contacts/", extra: [("follow_status", "blocked")])),
    ]

    @Test("each read that fails one check answers its code and status and changes nothing", arguments: rejections)
    func rejection(_ rejection: Rejection) async throws {
        try await TestService.run { service in
            _ = try await Self.buildGraph(service)
            // A session key bound for one second, then expired.
            let session = Ed25519KeyPair.generate()
            #expect(
                try await service.send(
                    Routes.login,
                    Self.a.login(
                        sessionKey: session, expiresAt: service.clock.now + 1_000, timestamp: service.clock.now)
                ).code == 0)
            service.clock.advance(by: 2_000)
            let before = try service.store.counts()
            let (uri, headers) = rejection.uri(service, session)
            let answer = try await service.get(uri, headers: headers)
            #expect(answer.code == rejection.code, "\(rejection.name): \(answer)")
            #expect(answer.status == rejection.code / 100)
            #expect(!answer.msg.isEmpty)
            #expect(try service.store.counts() == before)
        }
    }
}
