import Foundation
@testable import SignedFollow
import Synchronization
import Testing

/// The pending pair states on their way to `follow_pairs`: oldest first, with a progress
/// mark that never passes an audit entry of a pair still pending; and reads that stay
/// exact while the writer materialises the oldest states beside them.
@Suite("Pending pairs")
struct PendingPairsTests {
    static func key(_ user: Int64, _ target: Int64) -> PairKey { PairKey(userNo: user, targetNo: target) }
    static func follow(at timestamp: Int64) -> PairState {
        PairState(following: true, latestTimestamp: timestamp, latestIsCancel: false, followedAt: timestamp)
    }

    @Test("the oldest pending pairs are materialised first, and the progress mark stops before the oldest left")
    func oldestFirstWithProgressMark() throws {
        var pending = PendingPairs()
        // Transactions ending at audit seq 5, 8 and 12; the third changes (1, 2) again.
        pending.publish([Self.key(1, 2): Self.follow(at: 10)], throughSeq: 5, totalsChange: FollowTotals())
        pending.publish([Self.key(3, 1): Self.follow(at: 11)], throughSeq: 8, totalsChange: FollowTotals())
        pending.publish(
            [Self.key(1, 2): Self.follow(at: 13), Self.key(2, 1): Self.follow(at: 13)], throughSeq: 12,
            totalsChange: FollowTotals())
        #expect(pending.states.count == 3)

        let epoch = pending.epoch
        let firstPlan = pending.beginMaterializing(oldest: 1)
        let first = try #require(firstPlan)
        #expect(pending.epoch == epoch + 1)
        // (1, 2) became pending first, and goes with its latest state.
        #expect(first.entries.map(\.key) == [Self.key(1, 2)])
        #expect(first.entries.map(\.state) == [Self.follow(at: 13)])
        // (3, 1) became pending after seq 5: every entry of it is after 5.
        #expect(first.progress == 5)
        pending.finishMaterializing(first)
        #expect(pending.states[Self.key(1, 2)] == nil)
        #expect(pending.overlay(of: 1).outgoing.isEmpty)
        #expect(pending.overlay(of: 1).incoming.keys.sorted() == [2, 3])

        // A materialised pair changed again goes to the back.
        pending.publish([Self.key(1, 2): Self.follow(at: 20)], throughSeq: 15, totalsChange: FollowTotals())
        let secondPlan = pending.beginMaterializing(oldest: 2)
        let second = try #require(secondPlan)
        #expect(second.entries.map(\.key) == [Self.key(2, 1), Self.key(3, 1)])  // sorted by key
        #expect(second.progress == 12)  // (1, 2) is pending again since seq 12
        pending.finishMaterializing(second)
        #expect(pending.overlay(of: 1).outgoing[2] == Self.follow(at: 20))
        #expect(pending.overlay(of: 1).incoming.isEmpty)

        let lastPlan = pending.beginMaterializing(oldest: .max)
        let last = try #require(lastPlan)
        #expect(last.entries.map(\.key) == [Self.key(1, 2)])
        #expect(last.progress == 15)  // none left: through the last entry
        pending.finishMaterializing(last)
        #expect(pending.states.isEmpty)
        let none = pending.beginMaterializing(oldest: 1)
        #expect(none == nil)
    }

    @Test("a materialisation that is not finished (its transaction failed) leaves every state pending")
    func unfinishedMaterialisationKeepsStates() throws {
        var pending = PendingPairs()
        pending.publish([Self.key(1, 2): Self.follow(at: 10), Self.key(2, 3): Self.follow(at: 10)], throughSeq: 3,
                        totalsChange: FollowTotals())
        #expect(pending.beginMaterializing(oldest: 1)?.entries.count == 1)
        #expect(pending.states.count == 2)
        let againPlan = pending.beginMaterializing(oldest: 2)
        let again = try #require(againPlan)
        #expect(again.entries.count == 2)
    }

    @Test("overlays stay exact through many partial materialisations and index rebuilds")
    func overlaysThroughManyMaterialisations() throws {
        var pending = PendingPairs()
        var model: [PairKey: PairState] = [:]  // the pending states the overlay must show
        var random = SeededRandom(seed: 42)
        var seq: Int64 = 0
        for round in 0..<400 {
            var changed: [PairKey: PairState] = [:]
            for _ in 0..<(1 + Int.random(in: 0..<40, using: &random)) {
                let key = Self.key(Int64.random(in: 0..<30, using: &random), Int64.random(in: 0..<30, using: &random))
                changed[key] = Self.follow(at: Int64(round))
            }
            seq += Int64(changed.count)
            pending.publish(changed, throughSeq: seq, totalsChange: FollowTotals())
            model.merge(changed) { $1 }
            if let plan = pending.beginMaterializing(oldest: Int.random(in: 1..<60, using: &random)) {
                #expect(plan.progress <= seq)
                pending.finishMaterializing(plan)
                for (key, _) in plan.entries { model[key] = nil }
            }
            #expect(pending.states == model)
            for user in Int64(0)..<30 {
                let overlay = pending.overlay(of: user)
                #expect(overlay.outgoing == model.filter { $0.key.userNo == user }.reduce(into: [:]) { $0[$1.key.targetNo] = $1.value })
                #expect(overlay.incoming == model.filter { $0.key.targetNo == user }.reduce(into: [:]) { $0[$1.key.userNo] = $1.value })
            }
        }
    }
}

/// Reads beside a writer that keeps materialising the oldest pending pairs: a list's
/// total always agrees with its entries, and stats with the list.
@Suite("Pending pairs: reads during materialisation")
final class ReadsDuringMaterialisationTests: Sendable {
    let path = temporaryStorePath()

    deinit { removeStoreFiles(path) }

    @Test("a read whose snapshot a materialisation overtakes is done again, so that its total agrees with its entries")
    func overtakenSnapshotIsReadAgain() throws {
        let store = try FollowStore(path: path, logger: storeTestLogger)
        defer { try? store.close() }
        try StoreFixture.registerUsers(["user:0", "user:1", "user:2", "user:3"], in: store)
        #expect(try store.apply(.follow("user:0", "user:1", at: 10)) == .applied(following: true))
        #expect(try store.apply(.follow("user:0", "user:2", at: 11)) == .applied(following: true))
        // Between the read's snapshot and its read: a third follow commits, then the
        // oldest two states and the new one reach follow_pairs. The snapshot has the first
        // two pending (its overlay covers their rows) but not the third, whose row the read
        // would see without the total knowing it.
        store.afterNextPairSnapshot.withLock { hook in
            hook = {
                _ = try? store.apply(.follow("user:0", "user:3", at: 12))
                try? store.materializePairs(oldest: 3)
            }
        }
        let list = try #require(try store.followList(.following, of: "user:0", page: 1, size: 100))
        #expect(list.totalCount == list.entries.count)
        #expect(list.entries.map(\.user.userid) == ["user:3", "user:2", "user:1"])
        #expect(list.totalCount == 3)
    }

    @Test("lists and stats read while the oldest pairs are materialised agree with themselves")
    func listsAgreeWhileMaterialising() async throws {
        let store = try FollowStore(path: path, logger: storeTestLogger)
        defer { try? store.close() }
        let users = (0..<40).map { "user:\($0)" }
        try StoreFixture.registerUsers(users, in: store)
        let done = StopFlag()
        let writer = Task.detached {
            var random = SeededRandom(seed: 7)
            for step in 0..<1500 {
                let target = users[1 + Int.random(in: 0..<39, using: &random)]
                let follow = Int.random(in: 0..<3, using: &random) != 0
                let timestamp = Int64(1000 + step)
                _ = try store.apply(follow ? .follow("user:0", target, at: timestamp) : .cancel("user:0", target, at: timestamp))
                _ = try store.apply(.follow(target, "user:0", at: timestamp))
                try store.materializePairs(oldest: 1 + Int.random(in: 0..<3, using: &random))
            }
            done.value.store(true, ordering: .releasing)
        }
        // Two readers, so that reads overlap the writer's materialisations often.
        let reads = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<2 {
                group.addTask {
                    var reads = 0
                    while !done.value.load(ordering: .acquiring) {
                        for kind in FollowListKind.allCases {
                            let list = try #require(try store.followList(kind, of: "user:0", page: 1, size: 100))
                            #expect(list.totalCount == list.entries.count, "\(kind) after \(reads) reads")
                        }
                        let stats = try #require(try store.followStats(of: "user:0"))
                        #expect(stats.followEach <= min(stats.following, stats.followers))
                        reads += 1
                    }
                    return reads
                }
            }
            return try await group.reduce(0, +)
        }
        try await writer.value
        #expect(reads > 10)
    }
}

/// Set once by one task, watched by others.
private final class StopFlag: Sendable {
    let value = Atomic<Bool>(false)
}
