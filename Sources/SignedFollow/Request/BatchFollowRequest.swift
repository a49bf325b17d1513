/// `POST /api/following/batch/` (docs/protocol.md section 9): 1 to 20 follows or cancels from
/// one user, each checked as a single follow, with its own bytes in the body as its body.
///
/// The batch as a whole is refused (40001 to 40003) when the body is not an object with an
/// `items` array of 1 to 20 objects that all carry the same `userid` string and the same
/// `did_type` (the did itself is the shared `didkey` header). Past that,
/// each item stands alone: one that fails decoding gets its own error in the results and
/// the others go on.
public struct BatchFollowRequest: Sendable {
    /// The most items a batch may carry.
    public static let maximumItems = 20

    /// One item: its target as sent (for the results) and its decoding.
    public struct Item: Sendable {
        /// `target_userid` when the item carries it as a string, else "".
        public let targetUserid: String
        /// The item decoded as a single follow, with its bytes as its body; or why not.
        public let request: Result<FollowRequest, RequestError>
    }

    /// The items in body order.
    public let items: [Item]

    /// Decodes `body`; every item shares `headers`.
    public init(body: [UInt8], headers: RequestHeaders) throws(RequestError) {
        let object = try JSONReader.object(from: body)
        guard let value = object["items"], value != .null else { throw RequestError.missingField("items") }
        guard case .array(let elements) = value else {
            throw RequestError(.invalidField, "field items must be an array")
        }
        guard (1...Self.maximumItems).contains(elements.count) else {
            throw RequestError(.invalidField, "field items must hold 1 to \(Self.maximumItems) follows")
        }
        var userid: String?
        var didType: JSONValue??
        var items: [Item] = []
        items.reserveCapacity(elements.count)
        for element in elements {
            guard case .object(let item) = element.value, case .string(let itemUserid)? = item["userid"],
                itemUserid == userid ?? itemUserid
            else {
                throw RequestError(.invalidField, "field items must hold objects that all carry the same userid")
            }
            userid = itemUserid
            guard item["did_type"] == didType ?? item["did_type"] else {
                throw RequestError(.invalidField, "field items must hold follows with the same did_type")
            }
            didType = item["did_type"]
            let target: String = if case .string(let target)? = item["target_userid"] { target } else { "" }
            let bytes = Array(body[element.byteRange])
            items.append(
                Item(
                    targetUserid: target,
                    request: Result { () throws(RequestError) in
                        try FollowRequest(object: item, body: bytes, headers: headers)
                    }))
        }
        self.items = items
    }
}
