import Keccak
import WalletCrypto

/// The text a wallet signed, checked line by line against the lines the server rebuilds
/// from the request (docs/protocol.md section 5, and for follows the real clients' variants of
/// section 5a).
///
/// Clients lay the same lines out differently (a leading newline, four-space indents,
/// blank lines with or without spaces, trailing spaces, `\r\n`), so the received text is
/// split on `\n`, each line is trimmed of spaces, tabs and `\r`, and empty lines are
/// dropped. What remains must equal the rebuilt lines byte for byte (no Unicode
/// normalisation: `\r\n` is split as two bytes, and a look-alike character is a
/// mismatch). The signature itself is always checked over the exact bytes received,
/// elsewhere.
public struct SignContent: Sendable {
    /// The received lines after normalisation.
    public let lines: [Substring]

    /// Normalises `text` into its lines.
    public init(_ text: String) {
        let isPadding: (UInt8) -> Bool = { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }
        lines = text.utf8.split(separator: 0x0A, omittingEmptySubsequences: false).compactMap { line in
            guard let first = line.firstIndex(where: { !isPadding($0) }) else { return nil }
            let last = line.lastIndex(where: { !isPadding($0) })!
            return Substring(text.utf8[first...last])
        }
    }

    /// The lines of a follow (sections 5 and 5a): wallet, address, `For follow signature`,
    /// optionally one `URI: <text>` line, nonce, date with an optional residue. Returns
    /// what they say; the nonce is matched by the caller (``FollowNonce``).
    public func checkFollow(didType: DidType, address: DidAddress, timestamp: Int64) throws(RequestError) -> FollowText {
        guard lines.count == 5 || lines.count == 6 else {
            throw RequestError(
                .signContentMismatch,
                "sign_content must have 5 non-empty lines (6 with a URI: line after For follow signature), found \(lines.count)")
        }
        let walletWord = try checkWalletLine(didType: didType, allowsEmptyWord: didType == .eth)
        try checkAddressLine(address)
        try checkLine(3, equals: ["For follow signature"])
        var uri: String?
        if lines.count == 6 {
            let text = try value(ofLine: 4, after: "URI: ")
            guard !text.isEmpty, text.utf8.count <= FollowText.maxURIBytes else {
                throw mismatch(4, "must be URI: <1 to \(FollowText.maxURIBytes) bytes>")
            }
            uri = String(text)
        }
        let nonceLine = lines.count - 1
        let written = try value(ofLine: nonceLine, after: "Nonce: ")
        guard let bytes = try? Hex.decode(written, byteCount: Digest224.byteCount), let nonce = Digest224(bytes: bytes) else {
            throw RequestError(.nonceMismatch, "the Nonce line is not sha3_224 of \(Self.followNonceFields)")
        }
        var date = try value(ofLine: lines.count, after: "Issued At: ")
        let residue = FollowText.Residue.allCases.reversed().first {
            date.utf8.reversed().starts(with: $0.rawValue.utf8.reversed())
        }
        if let residue { date = Substring(date.utf8.dropLast(residue.rawValue.utf8.count)) }
        let issued = try checkIssuedAt(date, line: lines.count, timestamp: timestamp, residueAccepted: true)
        return FollowText(walletWord: walletWord, uri: uri, writtenNonce: nonce, issuedAt: issued, residue: residue)
    }

    /// What a follow's nonce is the sha3_224 of, for messages.
    static let followNonceFields =
        "userid + action + target_userid + timestamp (any spelling of the action; a timestamp up to 120 s before the body's)"

    /// The seven lines of a registration: wallet, address, `For Web3MQ register` (or
    /// `registration`), `URI: <origin>`, `Version: 1`, nonce, date. With `allowedOrigins`
    /// non-empty, the URI must be one of them.
    public func checkRegistration(
        didType: DidType, address: DidAddress, nonce: Digest224, timestamp: Int64, allowedOrigins: [String]
    ) throws(RequestError) {
        try expectLineCount(7)
        _ = try checkWalletLine(didType: didType, allowsEmptyWord: false)
        try checkAddressLine(address)
        try checkLine(3, equals: ["For Web3MQ register", "For Web3MQ registration"])
        let uri = try value(ofLine: 4, after: "URI: ")
        guard !uri.isEmpty, allowedOrigins.isEmpty || allowedOrigins.contains(where: { $0.utf8.elementsEqual(uri.utf8) }) else {
            throw mismatch(4, "must be URI: <one of the allowed origins>")
        }
        try checkLine(5, equals: ["Version: 1"])
        try checkNonceLine(6, nonce: nonce, fields: "userid + pubkey_type + pubkey_value + did_type + did_value + timestamp")
        _ = try checkIssuedAt(try value(ofLine: 7, after: "Issued At: "), line: 7, timestamp: timestamp, residueAccepted: false)
    }

    // MARK: - Lines

    private func expectLineCount(_ count: Int) throws(RequestError) {
        guard lines.count == count else {
            throw RequestError(.signContentMismatch, "sign_content must have \(count) non-empty lines, found \(lines.count)")
        }
    }

    /// Line 1's wallet word: one of `didType`'s words, or empty when `allowsEmptyWord`.
    private func checkWalletLine(didType: DidType, allowsEmptyWord: Bool) throws(RequestError) -> String {
        let prefix = "Web3MQ wants you to sign in with your ", suffix = " account:"
        let line = lines[0].utf8
        guard line.starts(with: prefix.utf8), line.reversed().starts(with: suffix.utf8.reversed()),
            line.count >= prefix.utf8.count + suffix.utf8.count,
            case let word = line.dropFirst(prefix.utf8.count).dropLast(suffix.utf8.count),
            (word.isEmpty && allowsEmptyWord) || didType.walletWords.contains(where: { $0.utf8.elementsEqual(word) })
        else {
            let empty = allowsEmptyWord ? " (or none)" : ""
            throw mismatch(
                1,
                "must be Web3MQ wants you to sign in with your <wallet> account:, wallet one of \(didType.walletWords.sorted().joined(separator: ", "))\(empty)"
            )
        }
        return String(Substring(word))
    }

    private func checkAddressLine(_ address: DidAddress) throws(RequestError) {
        guard let written = try? DidAddress(parsing: lines[1], as: address.didType), written == address else {
            switch address {
            case .eth: throw mismatch(2, "must be the did address (a mixed-case address must carry a valid EIP-55 checksum)")
            case .starknet: throw mismatch(2, "must be the did address (a felt in hex, compared as a number)")
            }
        }
    }

    private func checkLine(_ number: Int, equals accepted: [String]) throws(RequestError) {
        guard accepted.contains(where: { lines[number - 1].utf8.elementsEqual($0.utf8) }) else {
            throw mismatch(number, "must be \(accepted.joined(separator: " or "))")
        }
    }

    private func checkNonceLine(_ number: Int, nonce: Digest224, fields: String) throws(RequestError) {
        let written = try value(ofLine: number, after: "Nonce: ")
        guard let bytes = try? Hex.decode(written, byteCount: Digest224.byteCount), Digest224(bytes: bytes) == nonce else {
            throw RequestError(.nonceMismatch, "the Nonce line is not sha3_224 of \(fields)")
        }
    }

    /// The date of line `number` in ms (read as UTC): a real date within 26 hours of
    /// `timestamp`. `residueAccepted` only shapes the message.
    private func checkIssuedAt(
        _ date: Substring, line number: Int, timestamp: Int64, residueAccepted: Bool
    ) throws(RequestError) -> Int64 {
        guard let issued = IssuedAt.milliseconds(date) else {
            let residue = residueAccepted ? ", optionally followed by ` or `;" : ""
            throw mismatch(number, "must be Issued At: <a real date, YYYY/MM/DD HH:mm or DD/MM/YYYY HH:mm>\(residue)")
        }
        guard IssuedAt.isWithinTolerance(issued, of: timestamp) else {
            throw mismatch(number, "Issued At must be within 26 hours of timestamp")
        }
        return issued
    }

    private func value(ofLine number: Int, after prefix: String) throws(RequestError) -> Substring {
        let line = lines[number - 1].utf8
        guard line.starts(with: prefix.utf8) else { throw mismatch(number, "must start with \(prefix)") }
        return Substring(line.dropFirst(prefix.utf8.count))
    }

    private func mismatch(_ number: Int, _ expectation: String) -> RequestError {
        RequestError(.signContentMismatch, "sign_content line \(number) \(expectation)")
    }
}
