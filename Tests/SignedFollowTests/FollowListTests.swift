import Foundation
@_spi(Benchmarks) @testable import SignedFollow
import SignedFollowClient
import Testing

/// The lists, stats and status of docs/protocol.md section 8 from the store, against a model
/// of the graph kept by the test, both while pair states are pending and after they are
/// materialised; and the following limit of section 4 check 10.
@Suite("Follow lists")
final class FollowListTests: Sendable {
    let path = temporaryStorePath()

    deinit { removeStoreFiles(path) }

    /// The test's own account of the graph: pair (user index, target index) to the time the
    /// following began, for the pairs that follow.
    struct GraphModel {
        var follows: [Pair: Int64] = [:]

        struct Pair: Hashable {
            let user: Int
            let target: Int
        }

        mutating func apply(user: Int, target: Int, follow: Bool, at timestamp: Int64) {
            let pair = Pair(user: user, target: target)
            if !follow {
                follows[pair] = nil
            } else if follows[pair] == nil {
                follows[pair] = timestamp
            }
        }

        /// The expected list `kind` of `user`: (other index, relation, followed_at), newest
        /// first, ties by the higher index (the later registration, the higher number).
        func list(_ kind: FollowListKind, of user: Int, users: Int) -> [(Int, FollowRelation, Int64)] {
            var rows: [(Int, FollowRelation, Int64)] = []
            for other in 0..<users where other != user {
                let out = follows[Pair(user: user, target: other)]
                let back = follows[Pair(user: other, target: user)]
                switch kind {
                case .following:
                    if let out { rows.append((other, back == nil ? .following : .followEach, out)) }
                case .followers:
                    if let back { rows.append((other, out == nil ? .follower : .followEach, back)) }
                case .followEach:
                    if let out, let back { rows.append((other, .followEach, max(out, back))) }
                }
            }
            return rows.sorted { ($0.2, $0.0) > ($1.2, $1.0) }
        }
    }

    static func userid(_ index: Int) -> String { "user:\(index)" }

    /// Compares every list, page by page, and the stats of every user with the model.
    func expectAgrees(_ store: FollowStore, _ model: GraphModel, users: Int, _ moment: String) throws {
        for user in 0..<users {
            for kind in FollowListKind.allCases {
                let expected = model.list(kind, of: user, users: users)
                let whole = try #require(try store.followList(kind, of: Self.userid(user), page: 1, size: 100))
                #expect(whole.totalCount == expected.count, "\(moment): total of \(kind) of \(user)")
                let got = whole.entries.map { (Int($0.user.userid.dropFirst(5))!, $0.relation, $0.followedAt) }
                #expect(got.map(\.0) == expected.map(\.0), "\(moment): \(kind) of \(user)")
                #expect(got.map(\.1) == expected.map(\.1), "\(moment): relations in \(kind) of \(user)")
                #expect(got.map(\.2) == expected.map(\.2), "\(moment): followed_at in \(kind) of \(user)")
                // Pages of 3 make up the same list; the page past the end is empty.
                var paged: [String] = []
                for page in 1...(expected.count / 3 + 2) {
                    let part = try #require(try store.followList(kind, of: Self.userid(user), page: page, size: 3))
                    #expect(part.totalCount == expected.count)
                    paged += part.entries.map(\.user.userid)
                }
                #expect(paged == whole.entries.map(\.user.userid), "\(moment): pages of \(kind) of \(user)")
            }
            let stats = try #require(try store.followStats(of: Self.userid(user)))
            #expect(
                stats
                    == FollowStats(
                        following: model.list(.following, of: user, users: users).count,
                        followers: model.list(.followers, of: user, users: users).count,
                        followEach: model.list(.followEach, of: user, users: users).count), "\(moment): stats of \(user)")
            // The status of every pair, both ways in one read (a user with itself included).
            for other in 0..<users {
                let forward = model.follows[GraphModel.Pair(user: user, target: other)]
                let backward = model.follows[GraphModel.Pair(user: other, target: user)]
                #expect(
                    try store.followStatus(userid: Self.userid(user), targetUserid: Self.userid(other))
                        == FollowStatus(
                            isFollowing: forward != nil, isFollowedBy: backward != nil, followedAt: forward),
                    "\(moment): status of \(user) toward \(other)")
            }
        }
    }

    @Test(
        "lists, totals, stats and pair statuses match the graph while pairs are pending, after materialising all or a few users' pairs, and after reopening"
    )
    func listsMatchModel() throws {
        let users = 9
        var store = try FollowStore(path: path, logger: storeTestLogger)
        for user in 0..<users {
            #expect(try store.apply(.register(StoreFixture.registration(Self.userid(user)))) == .applied(following: nil))
        }
        var model = GraphModel()
        var random = SeededRandom(seed: 0x5EED)
        var timestamp: Int64 = 10_000
        var latest: [GraphModel.Pair: Int64] = [:]
        for round in 1...24 {
            var writes: [VerifiedWrite] = []
            for _ in 0..<(1 + Int.random(in: 0..<12, using: &random)) {
                let user = Int.random(in: 0..<users, using: &random)
                let target = (user + 1 + Int.random(in: 0..<users - 1, using: &random)) % users
                let follow = Int.random(in: 0..<3, using: &random) != 0
                // A few equal timestamps (on different pairs: on one pair the rules of
                // step 11 would refuse the second), so that ties in followed_at are ordered too.
                let pair = GraphModel.Pair(user: user, target: target)
                if Int.random(in: 0..<4, using: &random) != 0 || latest[pair] == timestamp { timestamp += 1 }
                latest[pair] = timestamp
                writes.append(
                    follow
                        ? .follow(Self.userid(user), Self.userid(target), at: timestamp)
                        : .cancel(Self.userid(user), Self.userid(target), at: timestamp))
                model.apply(user: user, target: target, follow: follow, at: timestamp)
            }
            let outcomes = try store.apply(writes)
            #expect(outcomes.allSatisfy { if case .applied = $0 { true } else { false } }, "round \(round): \(outcomes)")
            try expectAgrees(store, model, users: users, "round \(round), pending \(store.pendingPairCount)")
            if round % 4 == 0 {
                try store.materializePairs()
                #expect(store.pendingPairCount == 0)
                try expectAgrees(store, model, users: users, "round \(round), materialised")
            } else if round % 4 == 2 {
                // As the writer does under load: the next users of the sweep, the rest pending.
                let pending = store.pendingPairCount
                try store.materializePairs(atLeast: 3)
                #expect(store.pendingPairCount <= max(0, pending - 3))
                try expectAgrees(store, model, users: users, "round \(round), a few users' pairs materialised")
            }
            // Rounds 10 and 18 reopen after materialising only some pairs: the progress mark
            // lags, and audit rows are replayed over pairs that already have them.
            if round % 10 == 0 || round == 18 {
                try store.close()
                store = try FollowStore(path: path, logger: storeTestLogger)
                try expectAgrees(store, model, users: users, "round \(round), reopened")
            }
        }
        try store.close()
    }

    @Test("an unknown user has no list and no stats; status needs both users")
    func unknownUsers() throws {
        let store = try FollowStore(path: path, logger: storeTestLogger)
        defer { try? store.close() }
        #expect(try store.apply(.register(StoreFixture.registration("user:a"))) == .applied(following: nil))
        #expect(try store.followList(.following, of: "user:nobody", page: 1, size: 20) == nil)
        #expect(try store.followStats(of: "user:nobody") == nil)
        #expect(try store.followStatus(userid: "user:a", targetUserid: "user:nobody") == nil)
        #expect(try store.followList(.followers, of: "user:a", page: 1, size: 20) == FollowListPage(totalCount: 0, entries: []))
        #expect(try store.followStats(of: "user:a") == FollowStats(following: 0, followers: 0, followEach: 0))
    }

    @Test("the following limit refuses only a follow that adds an edge, counts the batch it is in, and survives a reopen")
    func followingLimit() throws {
        var store = try FollowStore(path: path, followingLimit: 2, logger: storeTestLogger)
        for name in ["a", "b", "c", "d", "e"] {
            #expect(try store.apply(.register(StoreFixture.registration("user:\(name)"))) == .applied(following: nil))
        }
        #expect(try store.apply(.follow("user:a", "user:b", at: 10)) == .applied(following: true))
        #expect(try store.apply(.follow("user:a", "user:c", at: 11)) == .applied(following: true))
        let before = try store.counts()
        #expect(try store.apply(.follow("user:a", "user:d", at: 12)) == .followingLimitReached)
        #expect(try store.counts() == before)
        #expect(try store.pair("user:a", "user:d") == nil)
        // Following again someone already followed adds no edge; a replay is still a replay.
        #expect(try store.apply(.follow("user:a", "user:c", at: 13)) == .applied(following: true))
        #expect(try store.apply(.follow("user:a", "user:b", at: 10)) == .alreadyApplied)
        // Within one transaction: a cancel makes room for the follow after it, not before it.
        #expect(
            try store.apply([
                .follow("user:a", "user:e", at: 14), .cancel("user:a", "user:b", at: 15), .follow("user:a", "user:d", at: 16),
            ]) == [.followingLimitReached, .applied(following: false), .applied(following: true)])
        // Other users are not affected.
        #expect(try store.apply(.follow("user:b", "user:a", at: 17)) == .applied(following: true))
        try store.materializePairs()
        try store.close()

        store = try FollowStore(path: path, followingLimit: 2, logger: storeTestLogger)
        defer { try? store.close() }
        #expect(try store.followStats(of: "user:a") == FollowStats(following: 2, followers: 1, followEach: 0))
        #expect(try store.apply(.follow("user:a", "user:e", at: 18)) == .followingLimitReached)
        #expect(WriteOutcome.followingLimitReached.code == .followingLimit)
    }
}
