import Hummingbird
import SignedFollow

/// The reads of docs/protocol.md section 8: the signed lists of the reader, the public lists,
/// the status of a pair and a user's totals. Reads go through the store's read-only connections and
/// never wait for the writer.
struct ReadRoutes: Sendable {
    let verifier: Verifier
    let store: FollowStore

    func register(on router: Router<BasicRequestContext>) {
        router.get("/api/user_following/") { request, context in
            await answering(context) {
                let read = try SignedReadRequest(query: QueryParameters(request), headers: RequestHeaders(request))
                _ = try verifier.verify(read)
                return try list(.following, of: read.userid, read.page)
            }
        }
        router.get("/api/user_followers/") { request, context in
            await answering(context) {
                let read = try SignedReadRequest(query: QueryParameters(request), headers: RequestHeaders(request))
                _ = try verifier.verify(read)
                return try list(.followers, of: read.userid, read.page)
            }
        }
        router.get("/api/user_follow_contacts/") { request, context in
            await answering(context) {
                let contacts = try ContactsRequest(query: QueryParameters(request), headers: RequestHeaders(request))
                _ = try verifier.verify(contacts.read)
                return try list(contacts.list, of: contacts.read.userid, contacts.read.page)
            }
        }
        router.get("/api/user_public_following/") { request, context in
            await answering(context) {
                let read = try PublicListRequest(query: QueryParameters(request))
                return try list(.following, of: read.userid, read.page)
            }
        }
        router.get("/api/user_public_followers/") { request, context in
            await answering(context) {
                let read = try PublicListRequest(query: QueryParameters(request))
                return try list(.followers, of: read.userid, read.page)
            }
        }
        router.get("/api/follow_status/") { request, context in
            await answering(context) {
                let pair = try PairRequest(query: QueryParameters(request))
                guard try store.isRegistered(pair.userid) else {
                    throw RequestError(.userNotRegistered, "userid is not registered")
                }
                guard let status = try store.followStatus(userid: pair.userid, targetUserid: pair.targetUserid) else {
                    throw RequestError(.targetNotRegistered, "target_userid is not registered")
                }
                return APIResponse(
                    code: .ok, msg: "ok",
                    data: FollowStatusData(
                        is_following: status.isFollowing, is_followed_by: status.isFollowedBy, followed_at: status.followedAt)
                ).makeResponse()
            }
        }
        router.get("/api/user_follow_stats/") { request, context in
            await answering(context) {
                let user = try UserRequest(query: QueryParameters(request))
                guard let stats = try store.followStats(of: user.userid) else {
                    throw RequestError(.userNotRegistered, "userid is not registered")
                }
                return APIResponse(
                    code: .ok, msg: "ok",
                    data: FollowStatsData(
                        total_following: stats.following, total_followers: stats.followers, total_follow_each: stats.followEach)
                ).makeResponse()
            }
        }
    }

    /// A page of `userid`'s list `kind` (40401 when `userid` is not registered).
    private func list(_ kind: FollowListKind, of userid: String, _ page: PageRequest) throws -> Response {
        guard let listed = try store.followList(kind, of: userid, page: page.page, size: page.size) else {
            throw RequestError(.userNotRegistered, "userid is not registered")
        }
        let users = listed.entries.map(ListedUser.init(entry:))
        return APIResponse(code: .ok, msg: "ok", data: FollowListData(total_count: listed.totalCount, user_list: users))
            .makeResponse()
    }
}

extension QueryParameters {
    /// The query string's parameters, percent-decoded; 40003 for one given twice.
    init(_ request: Request) throws(RequestError) {
        try self.init(request.uri.queryParameters.map { (name: String($0.key), value: String($0.value)) })
    }
}

/// `data` of a list.
struct FollowListData: JSONBody {
    let total_count: Int
    let user_list: [ListedUser]

    func write(to json: inout JSONOutput) {
        json.raw("{\"total_count\":")
        json.integer(total_count)
        json.raw(",\"user_list\":")
        json.array(user_list) { user, json in user.write(to: &json) }
        json.raw("}")
    }

    var estimatedSize: Int { 48 + 200 * user_list.count }
}

/// A user of a list: `follow_status` and `followed_at` from the entry, then the members
/// its card wrote once (`userid`, `wallet_address`, `wallet_type`), in the byte order of
/// the names.
struct ListedUser: JSONBody {
    let entry: FollowListEntry

    func write(to json: inout JSONOutput) {
        switch entry.relation {
        case .following: json.raw("{\"follow_status\":\"following\",\"followed_at\":")
        case .follower: json.raw("{\"follow_status\":\"follower\",\"followed_at\":")
        case .followEach: json.raw("{\"follow_status\":\"follow_each\",\"followed_at\":")
        }
        json.integer(entry.followedAt)
        json.raw(",")
        json.raw(bytes: entry.user.jsonMembers)
        json.raw("}")
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(entry.relation.rawValue, forKey: .follow_status)
        try container.encode(entry.followedAt, forKey: .followed_at)
        try container.encode(entry.user.userid, forKey: .userid)
        try container.encode(entry.user.didValue, forKey: .wallet_address)
        try container.encode(entry.user.didType, forKey: .wallet_type)
    }

    private enum CodingKeys: String, CodingKey { case follow_status, followed_at, userid, wallet_address, wallet_type }
}

/// `data` of `follow_status`.
struct FollowStatusData: JSONBody {
    let is_following: Bool
    let is_followed_by: Bool
    let followed_at: Int64?

    // `followed_at` is written as null when absent, not left out.
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(is_following, forKey: .is_following)
        try container.encode(is_followed_by, forKey: .is_followed_by)
        try container.encode(followed_at, forKey: .followed_at)
    }

    private enum CodingKeys: String, CodingKey { case is_following, is_followed_by, followed_at }

    func write(to json: inout JSONOutput) {
        json.raw("{\"followed_at\":")
        json.integer(orNull: followed_at)
        json.raw(",\"is_followed_by\":")
        json.bool(is_followed_by)
        json.raw(",\"is_following\":")
        json.bool(is_following)
        json.raw("}")
    }
}

/// `data` of `user_follow_stats`.
struct FollowStatsData: JSONBody {
    let total_following: Int
    let total_followers: Int
    let total_follow_each: Int

    func write(to json: inout JSONOutput) {
        json.raw("{\"total_follow_each\":")
        json.integer(total_follow_each)
        json.raw(",\"total_followers\":")
        json.integer(total_followers)
        json.raw(",\"total_following\":")
        json.integer(total_following)
        json.raw("}")
    }
}
