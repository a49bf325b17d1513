@_spi(Benchmarks) import SignedFollow
import SignedFollowClient

/// A valid request's body with one byte XORed, and what the service must answer: a code
/// of ``ProtocolCodes/checkFailures`` and nothing written, unless the changed byte is the
/// case of a hex digit in a field whose bytes, not text, are what counts, or a digit of a
/// follow's timestamp moved up to 120 s later (``SameMeaning``), where the request is the
/// signed one.
struct FlippedBody {
    let body: [UInt8]
    let expectation: Expectation

    /// `valid`'s body with `flip` applied; `fields` says which members may change case.
    init(_ valid: SignedRequest, _ flip: ByteFlip, fields: [SignedField]) {
        var body = valid.body
        let index = flip.position % body.count
        body[index] ^= flip.mask
        self.body = body
        expectation =
            Self.sameMeaning(valid, body, at: index, fields: fields).map { .accepted($0) }
            ?? .rejected(ProtocolCodes.checkFailures)
    }

    /// Why the flipped `body` means what `valid` meant, or nil: only when the byte at
    /// `index` lies inside the quotes of a string member whose field names bytes or an
    /// address, and the member's new text is the same bytes there.
    private static func sameMeaning(_ valid: SignedRequest, _ body: [UInt8], at index: Int, fields: [SignedField]) -> String? {
        for (name, range) in valid.memberValueRanges where range.contains(index) {
            // A follow's timestamp moved up to 120 s later: the signed request itself (unless
            // web3mq_user_signature, which signs the body's timestamp, is there).
            if case .integer(let value)? = valid[name], valid["web3mq_user_signature"] == nil,
                let field = fields.first(where: { $0.name == name && $0.place == .member })
            {
                return field.sameMeaning.reason(original: String(value), mutated: String(decoding: body[range], as: UTF8.self))
            }
            guard index > range.lowerBound, index < range.upperBound - 1,  // not a quote
                case .string(let original)? = valid[name],
                let field = fields.first(where: { $0.name == name && $0.place == .member })
            else { return nil }
            // The JSON text between the quotes: the hex and address members have no
            // escapes, and a flip that makes one (or a quote) is not hex.
            let text = String(decoding: body[(range.lowerBound + 1)..<(range.upperBound - 1)], as: UTF8.self)
            return field.sameMeaning.reason(original: original, mutated: text)
        }
        return nil
    }
}

extension SignedRequest {
    /// Each member's name and the byte range of its value's JSON text in ``body``.
    var memberValueRanges: [(name: String, range: Range<Int>)] {
        fields.indices.map { index in
            let member = fields[index]
            let end = JSONWriter.object(Array(fields[...index])).count - 1  // before the closing brace
            let length = JSONWriter.object([member]).count - JSONWriter.object([(member.name, .raw(""))]).count
            return (member.name, (end - length)..<end)
        }
    }
}
