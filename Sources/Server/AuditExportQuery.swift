import Hummingbird
import SignedFollow

/// The query of `GET /api/audit/export`: `after_seq` (default 0) and `limit` (default
/// none: every entry up to the head as it stood when the export began).
///
/// Each is a plain decimal integer: digits only, no sign, no spaces, at most once in the
/// query. `after_seq` may be 0 to 2^63 - 1; `limit` 1 to 2^63 - 1. The export's memory
/// does not depend on how many entries it sends, so `limit` needs no smaller cap.
struct AuditExportQuery: Sendable, Equatable {
    /// Entries with a greater `seq` are sent.
    var afterSeq: Int64 = 0
    /// At most this many entries are sent; nil sends all of them.
    var limit: Int64?

    /// The query of `parameters`.
    ///
    /// - Throws: 40003 naming the parameter when a value is not as described.
    init(_ parameters: Parameters) throws(RequestError) {
        if let afterSeq = try Self.integer("after_seq", in: parameters) {
            self.afterSeq = afterSeq
        }
        if let limit = try Self.integer("limit", in: parameters) {
            guard limit >= 1 else { throw RequestError(.invalidField, "limit must be at least 1") }
            self.limit = limit
        }
    }

    /// The memberwise query.
    init(afterSeq: Int64 = 0, limit: Int64? = nil) {
        self.afterSeq = afterSeq
        self.limit = limit
    }

    private static func integer(_ name: String, in parameters: Parameters) throws(RequestError) -> Int64? {
        let values = parameters.getAll(name)
        guard let text = values.first else { return nil }
        guard values.count == 1,
            !text.isEmpty, text.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }),
            let value = Int64(text)
        else {
            throw RequestError(.invalidField, "\(name) must be one non-negative decimal integer below 2^63")
        }
        return value
    }
}
