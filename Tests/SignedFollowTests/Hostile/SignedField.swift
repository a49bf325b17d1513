@_spi(Benchmarks) import SignedFollow
import Testing
import WalletCrypto

/// A member or header of a signed request that the mutation tests change, with the codes
/// a change of it may be answered with and the changes that keep what was signed.
///
/// The codes are those the checks reach first, in the order of `Verifier` (cheap checks
/// first, as docs/protocol.md section 4 allows): each table entry says why.
struct SignedField: Sendable, CustomTestStringConvertible {
    /// Where the value travels.
    enum Place: Sendable {
        case member
        case requestPubkeyHeader
        case didkeyHeader
    }

    /// What the value is.
    enum Shape: Sendable {
        /// A string member or a header, its bytes encoded as given.
        case text(TextEncoding)
        /// A JSON integer member.
        case integer
    }

    let name: String
    let place: Place
    let shape: Shape
    /// What a changed value may be answered with (a change of its JSON shape has its own
    /// codes: see ``expectation(for:original:mutated:)``).
    let codes: Set<Int>
    /// Which changed texts still mean what was signed.
    let sameMeaning: SameMeaning

    /// A body member.
    init(_ name: String, _ shape: Shape, codes: Set<Int>, sameMeaning: SameMeaning = .never) {
        self.init(name, .member, shape, codes: codes, sameMeaning: sameMeaning)
    }

    init(_ name: String, _ place: Place, _ shape: Shape, codes: Set<Int>, sameMeaning: SameMeaning = .never) {
        self.name = name
        self.place = place
        self.shape = shape
        self.codes = codes
        self.sameMeaning = sameMeaning
    }

    var testDescription: String { name }

    /// What the service must answer to `mutation` of this field, whose text was `original`
    /// and is now `mutated` (nil when the mutation removed the value or changed its type).
    func expectation(for mutation: FieldMutation, original: String, mutated: String?) -> Expectation {
        switch mutation {
        case .removed:
            // An absent header is 40004, an absent member 40002 (the optional
            // web3mq_user_signature is mutated only when the service requires it).
            return .rejected(place == .member ? [40002] : [40004])
        case .null:
            return .rejected([40002])  // null counts as missing
        case .retyped:
            return .rejected([40003])  // a string where a number belongs, or the reverse
        case .delta:
            if let mutated, let reason = sameMeaning.reason(original: original, mutated: mutated) { return .accepted(reason) }
            return .rejected(codes)
        case .numberText:
            // JSON white space around a number is not part of it: the value, and so the
            // nonce and every check, are those of the signed request.
            if let mutated, mutated.trimmingJSONWhitespace() == original {
                return .accepted("JSON white space around the number")
            }
            if let mutated, let reason = sameMeaning.reason(original: original, mutated: mutated.trimmingJSONWhitespace()) {
                return .accepted(reason)
            }
            // Else a different number (the field's codes), or no JSON (40001), or not a
            // positive integer of 64 bits (40003).
            return .rejected(codes.union([40001, 40003]))
        case .text:
            guard var received = mutated else { return .rejected(codes) }
            if place != .member {
                // HTTP drops white space and control bytes around a field value (RFC 9110
                // OWS; swift-http-types legalizes the value as a server's parser would), so
                // the service receives the header without them.
                received = Self.httpFieldValue(received)
                if received == original { return .accepted("HTTP drops the bytes added around the header value") }
            }
            if let reason = sameMeaning.reason(original: original, mutated: received) {
                return .accepted(reason)
            }
            return .rejected(codes)
        }
    }
}

extension SignedField {
    /// `text` as an HTTP field value reaches the service: bytes other than visible ASCII
    /// and non-ASCII dropped at both ends, and control bytes inside turned into spaces
    /// (swift-http-types' legalization, written again here from RFC 9110's field-value).
    static func httpFieldValue(_ text: String) -> String {
        let isVisible: (UInt8) -> Bool = { (0x21...0x7E).contains($0) || $0 >= 0x80 }
        let bytes = Array(text.utf8)
        guard let first = bytes.firstIndex(where: isVisible), let last = bytes.lastIndex(where: isVisible) else { return "" }
        let inner = bytes[first...last].map { isVisible($0) || $0 == 0x09 ? $0 : 0x20 }
        return String(decoding: inner, as: UTF8.self)
    }
}

/// What the service must answer to a mutated request.
enum Expectation: Sendable, Equatable, CustomStringConvertible {
    /// Code 0: the mutation provably keeps the signed meaning, for the reason given.
    case accepted(String)
    /// One of these codes, and nothing written.
    case rejected(Set<Int>)

    var description: String {
        switch self {
        case .accepted(let reason): "accepted (\(reason))"
        case .rejected(let codes): "rejected with one of \(codes.sorted())"
        }
    }
}

/// When a changed text still names exactly what was signed, so that accepting it is right.
enum SameMeaning: Sendable {
    /// Never: the text is signed as sent, or hashed as sent into a signed nonce or digest.
    case never
    /// The same bytes in hex: the protocol reads hex in either case and compares bytes, so
    /// only the case of the digits after `prefix` may differ (the prefix itself is exact:
    /// `0X` is an error).
    case hexBytes(prefix: String)
    /// The same 20-byte address after `prefix`: the protocol compares addresses as bytes
    /// and accepts, with or without `0x`, 40 digits all lowercase, all uppercase, or in
    /// EIP-55 mixed case.
    case address(prefix: String)
    /// A follow's body timestamp later by 1 ms to 120 s, written as a JSON integer: the
    /// nonce's timestamp, which the signature binds, may be that much earlier than the
    /// body's (docs/protocol.md section 5a item 5), so the service finds the signed
    /// request's nonce at the signed instant. (The mutation tests' clock is the signed
    /// timestamp, so such a body timestamp stays inside the 5-minute window.)
    case laterBodyTimestamp

    /// Why `mutated` means what `original` did, or nil when it does not.
    func reason(original: String, mutated: String) -> String? {
        switch self {
        case .never:
            return nil
        case .hexBytes(let prefix):
            guard mutated.hasPrefix(prefix), original.hasPrefix(prefix),
                mutated.dropFirst(prefix.count).lowercased() == original.dropFirst(prefix.count).lowercased()
            else { return nil }
            return "the same bytes in hex of another case"
        case .address(let prefix):
            guard original.hasPrefix(prefix), let address = try? EthereumAddress(parsing: original.dropFirst(prefix.count))
            else { return nil }
            let digits = String(address.lowercased.dropFirst(2))
            let forms = [digits, digits.uppercased(), String(address.checksummed.dropFirst(2))]
            guard forms.contains(where: { mutated == prefix + "0x" + $0 || mutated == prefix + $0 }) else { return nil }
            return "the same address in another accepted case"
        case .laterBodyTimestamp:
            guard let signed = Int64(original), let sent = Self.jsonInteger(mutated),
                (1...FollowNonce.maxDelayMilliseconds).contains(sent - signed)
            else { return nil }
            return "the nonce's timestamp is up to 120 s before the body's"
        }
    }

    /// The value of `text` when it is a JSON integer (no sign, no leading zero) of 64 bits.
    private static func jsonInteger(_ text: String) -> Int64? {
        guard let first = text.utf8.first, first != UInt8(ascii: "0") || text.utf8.count == 1,
            text.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) })
        else { return nil }
        return Int64(text)
    }
}

extension String {
    /// The text without JSON white space (space, tab, LF, CR) at either end.
    func trimmingJSONWhitespace() -> String {
        let isWhitespace: (UInt8) -> Bool = { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }
        let bytes = Array(utf8)
        guard let first = bytes.firstIndex(where: { !isWhitespace($0) }) else { return "" }
        let last = bytes.lastIndex(where: { !isWhitespace($0) })!
        return String(decoding: bytes[first...last], as: UTF8.self)
    }
}
