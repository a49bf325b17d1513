import Keccak
import WalletCrypto

/// The text a wallet signed, checked line by line against the lines the server rebuilds
/// from the request (PROTOCOL.md section 5).
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

    /// The five lines of a follow: wallet, address, `For follow signature`, nonce, date.
    public func checkFollow(didType: DidType, address: DidAddress, nonce: Digest224, timestamp: Int64) throws(RequestError) {
        try expectLineCount(5)
        try checkWalletLine(didType: didType)
        try checkAddressLine(address)
        try checkLine(3, equals: ["For follow signature"])
        try checkNonceLine(4, nonce: nonce, fields: "userid + action + target_userid + timestamp")
        try checkIssuedAtLine(5, timestamp: timestamp)
    }

    /// The seven lines of a registration: wallet, address, `For Web3MQ register` (or
    /// `registration`), `URI: <origin>`, `Version: 1`, nonce, date. With `allowedOrigins`
    /// non-empty, the URI must be one of them.
    public func checkRegistration(
        didType: DidType, address: DidAddress, nonce: Digest224, timestamp: Int64, allowedOrigins: [String]
    ) throws(RequestError) {
        try expectLineCount(7)
        try checkWalletLine(didType: didType)
        try checkAddressLine(address)
        try checkLine(3, equals: ["For Web3MQ register", "For Web3MQ registration"])
        let uri = try value(ofLine: 4, after: "URI: ")
        guard !uri.isEmpty, allowedOrigins.isEmpty || allowedOrigins.contains(where: { $0.utf8.elementsEqual(uri.utf8) }) else {
            throw mismatch(4, "must be URI: <one of the allowed origins>")
        }
        try checkLine(5, equals: ["Version: 1"])
        try checkNonceLine(6, nonce: nonce, fields: "userid + pubkey_type + pubkey_value + did_type + did_value + timestamp")
        try checkIssuedAtLine(7, timestamp: timestamp)
    }

    // MARK: - Lines

    private func expectLineCount(_ count: Int) throws(RequestError) {
        guard lines.count == count else {
            throw RequestError(.signContentMismatch, "sign_content must have \(count) non-empty lines, found \(lines.count)")
        }
    }

    private func checkWalletLine(didType: DidType) throws(RequestError) {
        let prefix = "Web3MQ wants you to sign in with your ", suffix = " account:"
        let line = lines[0].utf8
        guard line.starts(with: prefix.utf8), line.reversed().starts(with: suffix.utf8.reversed()),
              line.count > prefix.utf8.count + suffix.utf8.count,
              case let word = line.dropFirst(prefix.utf8.count).dropLast(suffix.utf8.count),
              didType.walletWords.contains(where: { $0.utf8.elementsEqual(word) })
        else {
            throw mismatch(1, "must be Web3MQ wants you to sign in with your <wallet> account:, wallet one of \(didType.walletWords.sorted().joined(separator: ", "))")
        }
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

    private func checkIssuedAtLine(_ number: Int, timestamp: Int64) throws(RequestError) {
        let written = try value(ofLine: number, after: "Issued At: ")
        guard let issued = IssuedAt.milliseconds(written) else {
            throw mismatch(number, "must be Issued At: <a real date, YYYY/MM/DD HH:mm or DD/MM/YYYY HH:mm>")
        }
        guard IssuedAt.isWithinTolerance(issued, of: timestamp) else {
            throw mismatch(number, "Issued At must be within 26 hours of timestamp")
        }
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
