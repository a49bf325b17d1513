import Keccak

/// What a follow's sign_content says once its lines have passed (docs/protocol.md sections 5
/// and 5a): the parts a client may write in more than one way, and the nonce it wrote.
///
/// The nonce is not matched here: which action word and which timestamp it was computed
/// over is decided by ``FollowNonce`` (section 5a items 4 and 5), after the signature.
public struct FollowText: Sendable, Equatable {
    /// The stray characters some clients leave after the date (section 5a item 1).
    public enum Residue: String, Sendable, CaseIterable {
        /// `` ` `` (the Flutter SDK).
        case backtick = "`"
        /// `` `; `` (the iOS SDK and the Dart SDK).
        case backtickSemicolon = "`;"
    }

    /// The wallet word of line 1; empty for the Flutter/Dart SDK's `your  account:`
    /// (section 5a item 2, eth only).
    public let walletWord: String
    /// The text of the `URI:` line after `For follow signature` (the UI kit's follow
    /// modal, section 5a item 3), signed and not interpreted; nil when there is none.
    public let uri: String?
    /// The 28 bytes written on the `Nonce:` line.
    public let writtenNonce: Digest224
    /// The `Issued At:` date read as UTC, in ms.
    public let issuedAt: Int64
    /// The residue after the date, if any.
    public let residue: Residue?

    /// The longest `URI:` text accepted, in bytes.
    public static let maxURIBytes = 2048
}

/// The Web3MQ client a follow's sign_content looks like it came from, recognised from the
/// variants of docs/protocol.md section 5a it uses (docs/sdk-sign-content-survey.md says what
/// each client writes). A name for people (`signed-follow explain`); it decides nothing.
public enum ClientVariant: String, Sendable, CaseIterable {
    /// The reference JS SDK: the section 5 lines, with its leading newline and indentation.
    case jsSDK = "JS SDK"
    /// The section 5 lines in another layout (Kotlin/Java, the docs, a JS SDK variant).
    case plain = "section 5 lines (Kotlin/Java, the docs or another client)"
    /// The iOS SDK: `` `; `` after the date, `unfollow` in the nonce of a cancel, a nonce
    /// read from the clock before the body's timestamp.
    case iOS = "iOS SDK"
    /// The Flutter SDK: `` ` `` after the date, an empty wallet word, the Dart enum's
    /// action word, a nonce read from the clock before the body's timestamp.
    case flutter = "Flutter SDK"
    /// The Dart SDK: as Flutter, with `` `; `` after the date.
    case dart = "Dart SDK"
    /// A Flutter or Dart SDK text without its residue.
    case flutterOrDart = "Flutter/Dart SDK"
    /// The Web3MQ UI kit's follow modal: a `URI:` line after `For follow signature`.
    case uiKit = "Web3MQ UI kit"

    /// The client of a follow whose text is `text`, written as `content`, with its nonce
    /// matched as `nonce` against a request timestamped `timestamp`.
    public static func recognise(_ text: FollowText, content: String, nonce: FollowNonce, timestamp: Int64) -> ClientVariant {
        // Only the Flutter/Dart SDKs write no wallet word or the Dart enum's action word.
        // (A nonce read before the body's timestamp tells nothing: iOS does it too.)
        let dartWords = text.walletWord.isEmpty || nonce.actionWord.hasPrefix("FollowAction.")
        if text.uri != nil { return .uiKit }
        switch text.residue {
        case .backtick: return .flutter
        case .backtickSemicolon: return dartWords ? .dart : .iOS
        case nil:
            if dartWords { return .flutterOrDart }
            return content.hasPrefix("\n    ") ? .jsSDK : .plain
        }
    }

    /// The section 5a items a follow uses, in words (empty for the section 5 lines).
    public static func variations(_ text: FollowText, nonce: FollowNonce, action: String, timestamp: Int64) -> [String] {
        var used: [String] = []
        if let residue = text.residue { used.append("\(residue.rawValue) after the Issued At date (5a item 1)") }
        if text.walletWord.isEmpty { used.append("an empty wallet word (5a item 2)") }
        if text.uri != nil { used.append("a URI: line after For follow signature (5a item 3)") }
        if nonce.actionWord != action { used.append("the nonce over the action word \(nonce.actionWord) (5a item 4)") }
        if nonce.timestamp != timestamp {
            used.append(
                "the nonce over timestamp \(nonce.timestamp), \(timestamp - nonce.timestamp) ms before the body's (5a item 5)")
        }
        return used
    }
}
