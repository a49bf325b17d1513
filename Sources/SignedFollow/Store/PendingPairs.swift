// Invariants this file relies on: docs/store.md S1, S3, S5, S10.

// Pair states committed in audit rows but not yet written to `follow_pairs`, and every
// user's follow totals.
//
// A follow's commit appends its audit row only; the pair's new state waits here until the
// writer materialises it into `follow_pairs` (BENCHMARKS.md, "Write path", explains why).
// Every lookup of a pair's state looks here first, and list reads lay these states over
// the rows of `follow_pairs` (FollowStore+Lists.swift).

/// A (user, target) pair by the users' numbers (`users.user_no`).
struct PairKey: Hashable, Comparable, Sendable {
    /// The follower's number.
    var userNo: Int64
    /// The target's number.
    var targetNo: Int64

    static func < (lhs: PairKey, rhs: PairKey) -> Bool {
        (lhs.userNo, lhs.targetNo) < (rhs.userNo, rhs.targetNo)
    }
}

/// Pair states newer than `follow_pairs`, how far the audit log they reflect goes, and
/// the follow totals of every user as of that point.
///
/// Under load the writer materialises the pending states a few hundred at a time, so
/// that no single write holds the next commit back for long: a sweep over the user
/// numbers takes whole users in order (``beginMaterializing(atLeast:)``, then
/// ``finishMaterializing(_:)`` once `follow_pairs` has them), so that the rows of one
/// chunk share the pages of the table and of its by-user index. A state leaves the
/// pending pairs only after `follow_pairs` has it.
struct PendingPairs: Sendable {
    /// The latest state of each pair changed since it was last materialised.
    private(set) var states: [PairKey: PairState] = [:]
    /// The `seq` of the last audit entry these states (with `follow_pairs`) reflect.
    private(set) var throughSeq: Int64 = 0
    /// Counts the materialisations begun. A read whose snapshot saw another value than
    /// the one after its read may have met `follow_pairs` rows newer than its snapshot.
    private(set) var epoch: UInt64 = 0
    /// The user number the sweep takes next.
    private var sweepUser: Int64 = 0
    /// `throughSeq` when the sweep began: once it has passed every user, `follow_pairs`
    /// has every pair that was pending then, so it reflects the audit log through it.
    private var sweepStartSeq: Int64 = 0
    /// The highest user number of a pair that became pending (the sweep's end).
    private var highestUser: Int64 = 0
    /// For each user number, the targets of its pending pairs (and of some materialised
    /// since, until the next rebuild: lookups skip those; a target may be listed twice).
    private var targetsByUser: [Int64: [Int64]] = [:]
    /// For each user number, the followers of its pending pairs (as `targetsByUser`).
    private var usersByTarget: [Int64: [Int64]] = [:]
    /// Entries of the two tables above whose pair is no longer pending.
    private var staleIndexEntries = 0
    /// How many users each user follows, and how many follow it, as of `throughSeq`.
    private(set) var totals = FollowTotals()

    init() {}

    /// Pending `states` reflecting the audit log through `throughSeq`, over `totals`.
    init(states: [PairKey: PairState], throughSeq: Int64, totals: FollowTotals) {
        self.totals = totals
        publish(states, throughSeq: throughSeq, totalsChange: FollowTotals())
    }

    /// Adds the pair states and total changes of a committed transaction whose last audit
    /// entry is `throughSeq`.
    mutating func publish(_ changed: [PairKey: PairState], throughSeq seq: Int64, totalsChange: FollowTotals) {
        for (key, state) in changed where states.updateValue(state, forKey: key) == nil {
            targetsByUser[key.userNo, default: []].append(key.targetNo)
            usersByTarget[key.targetNo, default: []].append(key.userNo)
            highestUser = max(highestUser, key.userNo)
        }
        throughSeq = max(throughSeq, seq)
        totals.add(totalsChange)
    }

    /// The pending states to write to `follow_pairs` next, sorted by key: those of the
    /// next users of the sweep, whole users, until there are `count` or the sweep has
    /// passed the last user; all of them when `count` is at least their number. Nil when
    /// none is pending. Nothing else may change the pending pairs until
    /// ``finishMaterializing(_:)`` (the writer's queue is serial).
    mutating func beginMaterializing(atLeast count: Int) -> MaterializationPlan? {
        guard !states.isEmpty else { return nil }
        epoch &+= 1
        if count >= states.count {
            let entries = states.sorted { $0.key < $1.key }.map { (key: $0.key, state: $0.value) }
            return MaterializationPlan(entries: entries, progress: throughSeq, nextUser: nil)
        }
        var entries: [(key: PairKey, state: PairState)] = []
        var user = sweepUser
        while entries.count < count && user <= highestUser {
            var previous: Int64?
            for target in targetsByUser[user]?.sorted() ?? [] where target != previous {
                previous = target
                let key = PairKey(userNo: user, targetNo: target)
                if let state = states[key] { entries.append((key, state)) }
            }
            user += 1
        }
        // Past the last user: every pair pending when the sweep began has been written
        // since, with its state then or later.
        let passedAll = user > highestUser
        return MaterializationPlan(
            entries: entries, progress: passedAll ? sweepStartSeq : nil, nextUser: passedAll ? nil : user)
    }

    /// Forgets the states of `plan`, once `follow_pairs` has them, and moves the sweep on.
    mutating func finishMaterializing(_ plan: MaterializationPlan) {
        for (key, _) in plan.entries { states.removeValue(forKey: key) }
        if let next = plan.nextUser {
            sweepUser = next
        } else {
            sweepUser = 0
            sweepStartSeq = throughSeq
        }
        if states.isEmpty {
            targetsByUser.removeAll(keepingCapacity: true)
            usersByTarget.removeAll(keepingCapacity: true)
            staleIndexEntries = 0
            return
        }
        staleIndexEntries += plan.entries.count
        if staleIndexEntries > max(states.count, 4096) { rebuildIndexes() }
    }

    private mutating func rebuildIndexes() {
        targetsByUser.removeAll(keepingCapacity: true)
        usersByTarget.removeAll(keepingCapacity: true)
        for key in states.keys {
            targetsByUser[key.userNo, default: []].append(key.targetNo)
            usersByTarget[key.targetNo, default: []].append(key.userNo)
        }
        staleIndexEntries = 0
    }

    /// The pending states that touch `userNo`, both ways.
    func overlay(of userNo: Int64) -> PairOverlay {
        var overlay = PairOverlay(epoch: epoch, following: totals.following(userNo), followers: totals.followers(userNo))
        for target in targetsByUser[userNo] ?? [] {
            overlay.outgoing[target] = states[PairKey(userNo: userNo, targetNo: target)]
        }
        for user in usersByTarget[userNo] ?? [] {
            overlay.incoming[user] = states[PairKey(userNo: user, targetNo: userNo)]
        }
        return overlay
    }
}

/// Pending pair states on their way to `follow_pairs`, and the progress mark that
/// holds once they are there.
struct MaterializationPlan: Sendable {
    /// The states, sorted by key.
    var entries: [(key: PairKey, state: PairState)]
    /// The `follow_pairs_progress.seq` to write with them, when it moves: every audit
    /// entry up to it is in `follow_pairs` once they are.
    var progress: Int64?
    /// Where the sweep goes on; nil when this plan ends it.
    var nextUser: Int64?
}

/// How many users each user follows and is followed by (users with none are absent).
struct FollowTotals: Sendable {
    private var counts: [Int64: (following: Int, followers: Int)] = [:]

    /// The number of users `userNo` follows.
    func following(_ userNo: Int64) -> Int { counts[userNo]?.following ?? 0 }

    /// The number of users following `userNo`.
    func followers(_ userNo: Int64) -> Int { counts[userNo]?.followers ?? 0 }

    /// Counts a change of the pair from not following to following (`delta` 1) or back (-1).
    mutating func record(_ key: PairKey, delta: Int) {
        counts[key.userNo, default: (0, 0)].following += delta
        counts[key.targetNo, default: (0, 0)].followers += delta
    }

    /// Sets the totals of `userNo` (when loading).
    mutating func set(_ userNo: Int64, following: Int, followers: Int) {
        counts[userNo] = (following, followers)
    }

    /// Adds the changes counted in `other`.
    mutating func add(_ other: FollowTotals) {
        for (userNo, change) in other.counts {
            counts[userNo, default: (0, 0)].following += change.following
            counts[userNo, default: (0, 0)].followers += change.followers
        }
    }
}

/// The pending pair states around one user, and its totals, from one snapshot of the
/// pending pairs.
struct PairOverlay: Sendable {
    /// ``PendingPairs/epoch`` when the snapshot was taken.
    var epoch: UInt64
    /// How many users the user follows, at the snapshot.
    var following: Int
    /// How many users follow the user, at the snapshot.
    var followers: Int
    /// The user's pending pairs, by target number.
    var outgoing: [Int64: PairState] = [:]
    /// The pending pairs toward the user, by follower number.
    var incoming: [Int64: PairState] = [:]
}

extension PairState {
    /// The state after an applied follow (`follow` true) or cancel at `timestamp`, from the
    /// state before it (nil when the pair never changed): following again keeps the date
    /// the following started.
    static func after(_ previous: PairState?, follow: Bool, timestamp: Int64) -> PairState {
        let followedAt: Int64? =
            if !follow { nil } else if let previous, previous.following { previous.followedAt } else { timestamp }
        return PairState(following: follow, latestTimestamp: timestamp, latestIsCancel: !follow, followedAt: followedAt)
    }
}
