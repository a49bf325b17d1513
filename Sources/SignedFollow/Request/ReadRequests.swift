import WalletCrypto

// The GET requests of docs/protocol.md section 8, decoded strictly from their query strings.

/// The query parameters of a GET request, each name given at most once.
public struct QueryParameters: Sendable {
    private let values: [String: String]

    /// The longest value accepted for any parameter, in UTF-8 bytes.
    public static let maximumValueBytes = 1024

    /// Parameters from decoded `(name, value)` pairs: 40003 when a name comes twice or a
    /// value is longer than ``maximumValueBytes``.
    public init(_ pairs: some Sequence<(name: String, value: String)>) throws(RequestError) {
        var values: [String: String] = [:]
        for (name, value) in pairs {
            guard values.updateValue(value, forKey: name) == nil else {
                throw RequestError(.invalidField, "query parameter \(name) must be given at most once")
            }
            guard value.utf8.count <= Self.maximumValueBytes else {
                throw RequestError(.invalidField, "query parameter \(name) is too long")
            }
        }
        self.values = values
    }

    /// A text parameter that must be present and not empty (40002 otherwise).
    func required(_ name: String) throws(RequestError) -> String {
        guard let value = values[name], !value.isEmpty else { throw RequestError.missingField(name) }
        return value
    }

    /// A decimal integer in `range`, or `default` when absent: 40002 when absent without a
    /// default, 40003 when present but not digits in `range` (an empty value included).
    public func integer(_ name: String, in range: ClosedRange<Int64>, default: Int64? = nil) throws(RequestError) -> Int64 {
        guard let value = try optionalInteger(name, in: range) ?? `default` else { throw RequestError.missingField(name) }
        return value
    }

    /// A decimal integer in `range`, or nil when the parameter is absent; 40003 when it is
    /// present but not digits in `range` (an empty value included).
    public func optionalInteger(_ name: String, in range: ClosedRange<Int64>) throws(RequestError) -> Int64? {
        guard let text = values[name] else { return nil }
        // Digits only: no sign, no spaces, no leading "+" that Int64(_:) would take.
        guard !text.isEmpty, text.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }),
            let value = Int64(text), range.contains(value)
        else {
            throw RequestError(
                .invalidField, "query parameter \(name) must be an integer from \(range.lowerBound) to \(range.upperBound)")
        }
        return value
    }
}

/// Which page of a list to read: `page` from 1, `size` from 1 to 100 (default 20).
public struct PageRequest: Sendable, Equatable {
    /// The page, from 1.
    public let page: Int
    /// Users per page.
    public let size: Int

    /// The largest `size`.
    public static let maximumSize = 100
    /// `size` when the query has none.
    public static let defaultSize = 20
    /// The largest `page` (a bound, so that page × size cannot overflow).
    public static let maximumPage = 1_000_000

    /// `page` and `size` from `query`; each optional, 40003 when out of range.
    public init(query: QueryParameters) throws(RequestError) {
        page = Int(try query.integer("page", in: 1...Int64(Self.maximumPage), default: 1))
        size = Int(try query.integer("size", in: 1...Int64(Self.maximumSize), default: Int64(Self.defaultSize)))
    }
}

/// A public read about one user: `userid` and the page.
public struct PublicListRequest: Sendable {
    /// Whose list.
    public let userid: String
    /// Which page.
    public let page: PageRequest

    /// Decodes `query`.
    public init(query: QueryParameters) throws(RequestError) {
        userid = try FieldRules.userid(try query.required("userid"), "userid")
        page = try PageRequest(query: query)
    }
}

/// A read signed by the user's request key over `userid + timestamp` (docs/protocol.md section
/// 8: `user_following`, `user_followers`, `user_follow_contacts`), with the headers of
/// section 4.
public struct SignedReadRequest: Sendable {
    /// The reader, whose lists these are.
    public let userid: String
    /// The signed timestamp, ms.
    public let timestamp: Int64
    /// `timestamp` exactly as sent, as it was signed.
    public let timestampSent: String
    /// `web3mq_user_signature` as sent (base64).
    public let userSignature: String
    /// The request key's 32 bytes (`web3mq-request-pubkey`).
    public let requestKey: [UInt8]
    /// The did address, from `didkey`.
    public let didAddress: DidAddress
    /// Which page.
    public let page: PageRequest

    /// Decodes `query` and `headers`: 40002 for a missing parameter, 40003 for a bad one,
    /// 40004 for a missing or malformed header.
    public init(query: QueryParameters, headers: RequestHeaders) throws(RequestError) {
        userid = try FieldRules.userid(try query.required("userid"), "userid")
        timestampSent = try query.required("timestamp")
        timestamp = try query.integer("timestamp", in: 1...Int64.max)
        userSignature = try query.required("web3mq_user_signature")
        page = try PageRequest(query: query)
        requestKey = try headers.requestKeyBytes()
        didAddress = try headers.didAddress()
    }

    /// The UTF-8 text the signature covers: `userid + timestamp`.
    public var signedMessage: String { userid + timestampSent }
}

/// `user_follow_contacts`: a signed read of one of the reader's lists, chosen by
/// `follow_status` (`following`, `follower` or `follow_each`).
public struct ContactsRequest: Sendable {
    /// The signed part.
    public let read: SignedReadRequest
    /// Which list.
    public let list: FollowListKind

    /// Decodes `query` and `headers` (see ``SignedReadRequest``); a missing `follow_status`
    /// is 40002, another value 40003.
    public init(query: QueryParameters, headers: RequestHeaders) throws(RequestError) {
        read = try SignedReadRequest(query: query, headers: headers)
        guard let list = FollowListKind(rawValue: try query.required("follow_status")) else {
            throw RequestError(.invalidField, "query parameter follow_status must be following, follower or follow_each")
        }
        self.list = list
    }
}

/// `follow_status`: two users.
public struct PairRequest: Sendable {
    /// The user.
    public let userid: String
    /// The other user.
    public let targetUserid: String

    /// Decodes `query`.
    public init(query: QueryParameters) throws(RequestError) {
        userid = try FieldRules.userid(try query.required("userid"), "userid")
        targetUserid = try FieldRules.userid(try query.required("target_userid"), "target_userid")
    }
}

/// `user_follow_stats`: one user.
public struct UserRequest: Sendable {
    /// The user.
    public let userid: String

    /// Decodes `query`.
    public init(query: QueryParameters) throws(RequestError) {
        userid = try FieldRules.userid(try query.required("userid"), "userid")
    }
}
