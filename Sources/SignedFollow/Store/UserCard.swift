// Invariants this file relies on: docs/store.md S9.

/// What a follow list shows of a user: the userid and its did, which never change once
/// the user is registered (a userid stays bound to its did, docs/protocol.md section 3; a
/// registration again changes only the main key), with those members already written as
/// JSON.
///
/// The registry keeps one card per user, so a page of 20 looks up 20 cards and copies 20
/// references, and the answer copies each card's bytes whole instead of escaping three
/// strings per user on every read (BENCHMARKS.md, "Read path").
public final class UserCard: Sendable, Equatable {
    /// The user's id.
    public let userid: String
    /// The did type, such as `eth`: a list's `wallet_type`.
    public let didType: String
    /// The canonical did value: a list's `wallet_address`.
    public let didValue: String
    /// `"userid":…,"wallet_address":…,"wallet_type":…`: the members of a list entry that
    /// come after `followed_at` in the byte order of their names, escaped as
    /// ``JSONEscaping`` says, with no braces or commas around them.
    public let jsonMembers: [UInt8]

    /// A card for the user `userid` of the did `didType`:`didValue`.
    public init(userid: String, didType: String, didValue: String) {
        self.userid = userid
        self.didType = didType
        self.didValue = didValue
        var json: [UInt8] = []
        json.reserveCapacity(48 + userid.utf8.count + didType.utf8.count + didValue.utf8.count)
        json.append(contentsOf: #""userid":"#.utf8)
        JSONEscaping.appendString(userid, to: &json)
        json.append(contentsOf: #","wallet_address":"#.utf8)
        JSONEscaping.appendString(didValue, to: &json)
        json.append(contentsOf: #","wallet_type":"#.utf8)
        JSONEscaping.appendString(didType, to: &json)
        jsonMembers = json
    }

    /// The card of `user`.
    convenience init(_ user: StoredUser) {
        self.init(userid: user.userid, didType: user.didType, didValue: user.didValue)
    }

    public static func == (left: UserCard, right: UserCard) -> Bool {
        left.userid == right.userid && left.didType == right.didType && left.didValue == right.didValue
    }
}
