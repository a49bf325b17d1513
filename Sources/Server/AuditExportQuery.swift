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

    /// The query of `parameters` (each at most once, by ``QueryParameters``).
    ///
    /// - Throws: 40003 naming the parameter when a value is not as described.
    init(_ parameters: QueryParameters) throws(RequestError) {
        afterSeq = try parameters.integer("after_seq", in: 0...Int64.max, default: 0)
        limit = try parameters.optionalInteger("limit", in: 1...Int64.max)
    }

    /// The memberwise query.
    init(afterSeq: Int64 = 0, limit: Int64? = nil) {
        self.afterSeq = afterSeq
        self.limit = limit
    }
}
