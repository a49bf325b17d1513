import GRDB
import Synchronization

// Invariants this file relies on: docs/store.md S1, S9.

/// Users, did bindings and session keys, mirrored in memory from the committed state, so
/// that verification looks them up without a trip to the database (a GRDB read costs
/// 15 to 35 us, a dictionary lookup well under one; BENCHMARKS.md, "Write path").
///
/// Loaded when the store opens and updated by ``FollowStore/apply(_:)`` after each
/// transaction commits and before it returns, so before any request in it is answered:
/// a client that saw its registration or login acknowledged always finds it here. Users
/// are never deleted; a re-registration replaces the main key and drops the sessions.
final class Registry: Sendable {
    private struct State {
        var users: [String: StoredUser] = [:]
        /// userid to `users.user_no`, the number that `follow_pairs` and `audit_log` use.
        var numbers: [String: Int64] = [:]
        /// `users.user_no` to the user's card: a list page looks its users up by number,
        /// one search each, and copies one reference per user (BENCHMARKS.md, "Read path").
        var cardsByNumber: [Int64: UserCard] = [:]
        /// `did_type:did_value` to userid.
        var owners: [String: String] = [:]
        /// userid to session key (64 lowercase hex) to expiry.
        var sessions: [String: [String: Int64]] = [:]
    }

    private let state: Mutex<State>

    /// Loads every user and every session key from `db`.
    init(_ db: Database) throws {
        var loaded = State()
        let users = try Row.fetchCursor(
            db, sql: "SELECT userid, did_type, did_value, main_pubkey, registered_timestamp, user_no, did_pubkey FROM users")
        while let row = try users.next() {
            let user = StoredUser(
                userid: row[0], didType: row[1], didValue: row[2], mainPubkey: row[3], registeredTimestamp: row[4],
                didPubkey: row[6])
            loaded.users[user.userid] = user
            loaded.numbers[user.userid] = row[5]
            loaded.cardsByNumber[row[5]] = UserCard(user)
            loaded.owners[Self.didKey(user.didType, user.didValue)] = user.userid
        }
        let sessions = try Row.fetchCursor(db, sql: "SELECT userid, pubkey, expires_at FROM session_keys")
        while let row = try sessions.next() {
            loaded.sessions[row[0], default: [:]][row[1]] = row[2]
        }
        state = Mutex(loaded)
    }

    func user(_ userid: String) -> StoredUser? {
        state.withLock { $0.users[userid] }
    }

    /// The number of the committed user `userid`.
    func number(_ userid: String) -> Int64? {
        state.withLock { $0.numbers[userid] }
    }

    /// The cards of the committed users with these numbers, in the same order, under one
    /// lock.
    func cards(numbers: [Int64]) -> [UserCard?] {
        state.withLock { state in numbers.map { state.cardsByNumber[$0] } }
    }

    /// The numbers of the committed users `userid` and `targetUserid`, under one lock.
    func numbers(_ userid: String, _ targetUserid: String) -> (Int64?, Int64?) {
        state.withLock { ($0.numbers[userid], $0.numbers[targetUserid]) }
    }

    /// The numbers of the committed users `userid` and `targetUserid`, and the timestamp
    /// of `userid`'s registration (its key epoch), under one lock and without copying the
    /// user: what the transaction of a follow needs (docs/store.md S9).
    func followParties(_ userid: String, _ targetUserid: String) -> (user: Int64?, target: Int64?, keyEpoch: Int64?) {
        state.withLock { ($0.numbers[userid], $0.numbers[targetUserid], $0.users[userid]?.registeredTimestamp) }
    }

    func owner(didType: String, didValue: String) -> String? {
        state.withLock { $0.owners[Self.didKey(didType, didValue)] }
    }

    func sessionKeyExpiry(userid: String, pubkey: String) -> Int64? {
        state.withLock { $0.sessions[userid]?[pubkey] }
    }

    /// The follower, its request key's session expiry and the target's registration, under
    /// one lock, so the three answers come from the same committed state.
    func followContext(userid: String, requestKey: String, targetUserid: String) -> FollowContext {
        state.withLock { state in
            guard let user = state.users[userid] else {
                return FollowContext(user: nil, sessionKeyExpiry: nil, targetRegistered: false)
            }
            let expiry = user.mainPubkey == requestKey ? nil : state.sessions[userid]?[requestKey]
            return FollowContext(user: user, sessionKeyExpiry: expiry, targetRegistered: state.users[targetUserid] != nil)
        }
    }

    /// Mirrors the writes of a committed transaction that were applied; `newNumbers` are the
    /// numbers of the users it registered.
    func record(_ writes: [VerifiedWrite], _ outcomes: [WriteOutcome], newNumbers: [String: Int64]) {
        state.withLock { state in
            state.numbers.merge(newNumbers) { _, new in new }
            for (write, outcome) in zip(writes, outcomes) {
                guard case .applied = outcome else { continue }
                switch write {
                case .register(let registration):
                    if state.users[registration.userid] != nil {
                        state.sessions[registration.userid] = nil  // a rotation revokes every session
                    }
                    let user = StoredUser(
                        userid: registration.userid, didType: registration.didType, didValue: registration.didValue,
                        mainPubkey: registration.mainPubkey, registeredTimestamp: registration.timestamp,
                        didPubkey: registration.didPubkey)
                    state.users[registration.userid] = user
                    // Numbers are merged above: a new user's is in `newNumbers`, a rotated one's was there.
                    if let number = state.numbers[registration.userid] { state.cardsByNumber[number] = UserCard(user) }
                    state.owners[Self.didKey(registration.didType, registration.didValue)] = registration.userid
                case .login(let binding):
                    state.sessions[binding.userid, default: [:]][binding.sessionPubkey] = binding.expiresAt
                case .follow:
                    continue
                }
            }
        }
    }

    private static func didKey(_ didType: String, _ didValue: String) -> String { didType + ":" + didValue }
}
