// Pair states committed in audit rows but not yet written to `follow_pairs`.
//
// A follow's commit appends its audit row only; the pair's new state waits here until the
// writer materialises it into `follow_pairs` (BENCHMARKS.md, "Write path", explains why).
// Every lookup of a pair's state looks here first.

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

/// Pair states newer than `follow_pairs`, and how far the audit log they reflect goes.
struct PendingPairs: Sendable {
    /// The latest state of each pair changed since the last materialisation.
    var states: [PairKey: PairState] = [:]
    /// The `seq` of the last audit entry these states (with `follow_pairs`) reflect.
    var throughSeq: Int64 = 0
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
