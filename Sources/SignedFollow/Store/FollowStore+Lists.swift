import GRDB
import Synchronization

// Invariants this file relies on: docs/store.md S3, S4, S5, S8, S9, S10.

// The reads of docs/protocol.md section 8: follow lists with exact totals, follow stats and the
// status of a pair.
//
// Lists come from `follow_pairs` through the read-only connections, newest first by `followed_at`
// (ties: the higher user number, the later registration, first), with the pending pair
// states of the listed user laid over them. A read takes the pending states touching its
// user and the totals from one snapshot (under the pending lock), then reads in one read
// transaction. A state leaves the pending pairs only after `follow_pairs` has it, and the
// pending pairs change only by commits (which write no `follow_pairs` row) and by
// materialisations; so `follow_pairs` plus the snapshot is exactly the state at the
// snapshot unless a materialisation began after the snapshot and wrote rows the read
// saw. The snapshot's epoch tells: when it moved during the read, the read is done again
// (and, after a few tries, under the pending lock, which holds materialisations back).
// Every write acknowledged before the read began is in the answer, and totals agree with
// the entries.

/// Which list of a user to read (docs/protocol.md section 8).
public enum FollowListKind: String, Sendable, CaseIterable {
    /// The users the user follows, newest follow first.
    case following
    /// The users who follow the user, newest follow first.
    case followers = "follower"
    /// The users the user follows and who follow the user back, newest mutual first.
    case followEach = "follow_each"
}

/// How a listed user relates to the user whose list it is.
public enum FollowRelation: String, Sendable, Equatable {
    /// The list's user follows them, and they do not follow back.
    case following
    /// They follow the list's user, who does not follow back.
    case follower
    /// Both follow each other.
    case followEach = "follow_each"
}

/// One user of a list.
public struct FollowListEntry: Sendable, Equatable {
    /// The listed user.
    public var user: UserCard
    /// How they relate to the list's user.
    public var relation: FollowRelation
    /// When the relation the list is about began, ms: the follow's signed timestamp (for
    /// `follow_each`, the later of the two follows).
    public var followedAt: Int64

    /// An entry with every field given.
    public init(user: UserCard, relation: FollowRelation, followedAt: Int64) {
        self.user = user
        self.relation = relation
        self.followedAt = followedAt
    }
}

/// One page of a list and the size of the whole list.
public struct FollowListPage: Sendable, Equatable {
    /// The number of users in the whole list.
    public var totalCount: Int
    /// The users of the page, newest first.
    public var entries: [FollowListEntry]
}

/// A user's follow totals.
public struct FollowStats: Sendable, Equatable {
    /// How many users the user follows.
    public var following: Int
    /// How many users follow the user.
    public var followers: Int
    /// How many of them follow each other with the user.
    public var followEach: Int
}

/// The state of the follow relation between two users, both ways.
public struct FollowStatus: Sendable, Equatable {
    /// The user follows the target.
    public var isFollowing: Bool
    /// The target follows the user.
    public var isFollowedBy: Bool
    /// When the user's following of the target began, ms; nil when not following.
    public var followedAt: Int64?
}

extension FollowStore {
    /// Page `page` (from 1) of `size` users of `userid`'s list `kind`, or nil when `userid`
    /// is not registered. A page past the end is empty; `totalCount` is always exact.
    public func followList(_ kind: FollowListKind, of userid: String, page: Int, size: Int) throws -> FollowListPage? {
        precondition(page >= 1 && size >= 1, "page and size start at 1")
        guard let owner = registry.number(userid) else { return nil }
        let (offset, overflow) = (page - 1).multipliedReportingOverflow(by: size)
        let rows = try pairViewRead(owner) { view in
            try (view.total(kind), overflow ? [] : view.page(kind, offset: offset, size: size))
        }
        let users = registry.cards(numbers: rows.1.map(\.other))
        var entries: [FollowListEntry] = []
        entries.reserveCapacity(rows.1.count)
        for (row, user) in zip(rows.1, users) {
            // Users are never deleted, and a number is in the registry before its pairs commit.
            guard let user else { continue }
            entries.append(FollowListEntry(user: user, relation: row.relation(kind), followedAt: row.followedAt))
        }
        return FollowListPage(totalCount: rows.0, entries: entries)
    }

    /// `userid`'s totals, or nil when `userid` is not registered.
    public func followStats(of userid: String) throws -> FollowStats? {
        guard let owner = registry.number(userid) else { return nil }
        return try pairViewRead(owner) { view in
            FollowStats(
                following: try view.total(.following), followers: try view.total(.followers),
                followEach: try view.total(.followEach))
        }
    }

    /// Whether `userid` follows `targetUserid` and the other way round; nil when either is
    /// not registered. Both pairs come from one snapshot of the pending states and, for
    /// those not pending, one snapshot of `follow_pairs`, as when they were read in one
    /// read transaction: a single SELECT reads both rows, and a statement outside a
    /// transaction runs in an implicit one of its own. The pending snapshot is taken
    /// first, and a state leaves the pending pairs only after `follow_pairs` has it, so a
    /// pair not pending then is in `follow_pairs` at least as new as it was then.
    public func followStatus(userid: String, targetUserid: String) throws -> FollowStatus? {
        let (userNo, targetNo) = registry.numbers(userid, targetUserid)
        guard let userNo, let targetNo else { return nil }
        let forwardKey = PairKey(userNo: userNo, targetNo: targetNo)
        let backwardKey = PairKey(userNo: targetNo, targetNo: userNo)
        var (forward, backward) = pending.withLock { ($0.states[forwardKey], $0.states[backwardKey]) }
        if forward == nil || backward == nil {
            let (storedForward, storedBackward) = try statementRead { db in
                try Self.fetchPairs(forwardKey, backwardKey, db)
            }
            forward = forward ?? storedForward
            backward = backward ?? storedBackward
        }
        return FollowStatus(
            isFollowing: forward?.following ?? false, isFollowedBy: backward?.following ?? false,
            followedAt: forward?.following == true ? forward?.followedAt : nil)
    }
}

extension FollowStore {
    /// `body` over the pairs around `owner`: a snapshot of the pending states laid over one
    /// read transaction of `follow_pairs`, done again when a materialisation began
    /// meanwhile (see the top of this file).
    func pairViewRead<T: Sendable>(_ owner: Int64, _ body: (PairView) throws -> T) throws -> T {
        func read(_ snapshot: PairOverlay) throws -> T {
            try snapshotRead { db in try body(PairView(owner: owner, snapshot: snapshot, db)) }
        }
        for _ in 0..<3 {
            let snapshot = pending.withLock { $0.overlay(of: owner) }
            afterNextPairSnapshot.withLock { $0.take() }?()
            let result = try read(snapshot)
            if pending.withLock({ $0.epoch }) == snapshot.epoch { return result }
        }
        // Materialisations keep beginning: hold them back for one read. Commits wait for
        // the lock too, but the read never waits for the writer.
        return try pending.withLock { pending in try read(pending.overlay(of: owner)) }
    }
}

/// A user of a list, by number, before its user record is looked up.
struct ListRow: Sendable, Equatable {
    /// The listed user's number.
    var other: Int64
    /// When the listed relation began, ms (the sort key, newest first).
    var followedAt: Int64
    /// For `following` lists: the listed user follows back; for `follower` lists: the
    /// list's user follows back; for `follow_each`: true.
    var reciprocal: Bool

    /// Newest first; on equal times the higher number first.
    func precedes(_ other: ListRow) -> Bool {
        (followedAt, self.other) > (other.followedAt, other.other)
    }

    func relation(_ kind: FollowListKind) -> FollowRelation {
        switch kind {
        case .following: reciprocal ? .followEach : .following
        case .followers: reciprocal ? .followEach : .follower
        case .followEach: .followEach
        }
    }

    /// The row of `other` in list `kind`, from the pair states both ways (`outgoing`: the
    /// list's user toward `other`), or nil when `other` is not in the list.
    static func of(
        _ other: Int64, in kind: FollowListKind, outgoing: PairState?, incoming: PairState?
    ) -> ListRow? {
        let follows = outgoing.flatMap { $0.following ? $0.followedAt : nil }
        let followedBy = incoming.flatMap { $0.following ? $0.followedAt : nil }
        switch kind {
        case .following:
            return follows.map { ListRow(other: other, followedAt: $0, reciprocal: followedBy != nil) }
        case .followers:
            return followedBy.map { ListRow(other: other, followedAt: $0, reciprocal: follows != nil) }
        case .followEach:
            guard let follows, let followedBy else { return nil }
            return ListRow(other: other, followedAt: max(follows, followedBy), reciprocal: true)
        }
    }
}

/// The pairs around one user as one read transaction sees them, with the pending states
/// of a snapshot laid over `follow_pairs` (see the top of this file).
struct PairView {
    private let owner: Int64
    private let db: Database
    /// The pending states around `owner`, and its totals.
    private let snapshot: PairOverlay
    /// The users the pending states touch: their rows are read both as `follow_pairs`
    /// has them and as the snapshot has them; every other user's row is in `follow_pairs`.
    private let touched: Set<Int64>

    init(owner: Int64, snapshot: PairOverlay, _ db: Database) {
        self.owner = owner
        self.db = db
        self.snapshot = snapshot
        touched = Set(snapshot.outgoing.keys).union(snapshot.incoming.keys)
    }

    /// The number of users in list `kind`.
    func total(_ kind: FollowListKind) throws -> Int {
        switch kind {
        case .following: return snapshot.following
        case .followers: return snapshot.followers
        case .followEach: break
        }
        var total = try Int.fetchOne(db.cachedStatement(sql: Self.countSQL(kind)), arguments: [owner]) ?? 0
        for other in touched {
            if try storedRow(other, kind) != nil { total -= 1 }
            if try currentRow(other, kind) != nil { total += 1 }
        }
        return total
    }

    /// `size` rows of list `kind` from position `offset` (from 0), newest first.
    func page(_ kind: FollowListKind, offset: Int, size: Int) throws -> [ListRow] {
        let listing = try RawStatement(db, sql: Self.listSQL(kind))
        listing.bind(1, owner)
        var rows: [ListRow] = []
        guard !touched.isEmpty else {
            listing.bind(2, Int64(size))
            listing.bind(3, Int64(offset))
            try listing.forEach(db) { row in
                rows.append(ListRow(other: row.int64(0), followedAt: row.int64(1), reciprocal: row.int64(2) != 0))
                return true
            }
            return rows
        }
        // Merge the stored rows of untouched users with the current rows of touched ones,
        // both newest first, counting positions from the top.
        var pendingRows = try touched.compactMap { try currentRow($0, kind) }.sorted { $0.precedes($1) }[...]
        // At most `touched.count` stored rows are skipped, so this many always suffice.
        listing.bind(2, Int64(offset + size + touched.count))
        listing.bind(3, 0)
        var position = 0
        let end = offset + size
        func take(_ row: ListRow) -> Bool {
            if position >= offset { rows.append(row) }
            position += 1
            return position < end
        }
        try listing.forEach(db) { stored in
            let row = ListRow(other: stored.int64(0), followedAt: stored.int64(1), reciprocal: stored.int64(2) != 0)
            if touched.contains(row.other) { return true }
            while let next = pendingRows.first, next.precedes(row) {
                pendingRows.removeFirst()
                guard take(next) else { return false }
            }
            return take(row)
        }
        while position < end, let next = pendingRows.popFirst() {
            _ = take(next)
        }
        return rows
    }

    /// `other`'s row in list `kind` as `follow_pairs` has it.
    private func storedRow(_ other: Int64, _ kind: FollowListKind) throws -> ListRow? {
        ListRow.of(other, in: kind, outgoing: try storedPair(owner, other), incoming: try storedPair(other, owner))
    }

    /// `other`'s row in list `kind` with the pending states laid over.
    private func currentRow(_ other: Int64, _ kind: FollowListKind) throws -> ListRow? {
        let outgoing = try snapshot.outgoing[other] ?? storedPair(owner, other)
        let incoming = try snapshot.incoming[other] ?? storedPair(other, owner)
        return ListRow.of(other, in: kind, outgoing: outgoing, incoming: incoming)
    }

    private func storedPair(_ user: Int64, _ target: Int64) throws -> PairState? {
        try FollowStore.fetchPair(PairKey(userNo: user, targetNo: target), db)
    }

    /// Rows `(other, followed_at, reciprocal)` newest first; parameters: the list's user,
    /// LIMIT, OFFSET. Each walks one index of `follow_pairs` backwards (`follow_each`
    /// sorts the mutual pairs of the user).
    private static func listSQL(_ kind: FollowListKind) -> String {
        switch kind {
        // The page is cut from the index alone, in a subquery, so that the rows skipped by
        // OFFSET cost an index step each and not a join.
        case .following:
            """
            SELECT f.target_no, f.followed_at, coalesce(r.following, 0) FROM (
                SELECT user_no, target_no, followed_at FROM follow_pairs WHERE user_no = ?1 AND following = 1
                ORDER BY followed_at DESC, target_no DESC LIMIT ?2 OFFSET ?3) f
            LEFT JOIN follow_pairs r ON r.user_no = f.target_no AND r.target_no = f.user_no
            ORDER BY f.followed_at DESC, f.target_no DESC
            """
        case .followers:
            """
            SELECT f.user_no, f.followed_at, coalesce(r.following, 0) FROM (
                SELECT user_no, target_no, followed_at FROM follow_pairs WHERE target_no = ?1 AND following = 1
                ORDER BY followed_at DESC, user_no DESC LIMIT ?2 OFFSET ?3) f
            LEFT JOIN follow_pairs r ON r.user_no = f.target_no AND r.target_no = f.user_no
            ORDER BY f.followed_at DESC, f.user_no DESC
            """
        case .followEach:
            """
            SELECT f.target_no, max(f.followed_at, r.followed_at) AS mutual_at, 1 FROM follow_pairs f
            JOIN follow_pairs r ON r.user_no = f.target_no AND r.target_no = f.user_no AND r.following = 1
            WHERE f.user_no = ?1 AND f.following = 1
            ORDER BY mutual_at DESC, f.target_no DESC LIMIT ?2 OFFSET ?3
            """
        }
    }

    private static func countSQL(_ kind: FollowListKind) -> String {
        switch kind {
        case .following: "SELECT count(*) FROM follow_pairs WHERE user_no = ? AND following = 1"
        case .followers: "SELECT count(*) FROM follow_pairs WHERE target_no = ? AND following = 1"
        case .followEach:
            """
            SELECT count(*) FROM follow_pairs f
            JOIN follow_pairs r ON r.user_no = f.target_no AND r.target_no = f.user_no AND r.following = 1
            WHERE f.user_no = ? AND f.following = 1
            """
        }
    }
}
