import SignedFollow

/// A request body with its members in order, and the two signed headers: what a client
/// sends. `replacing` and `removing` re-encode the body, for clients (and tests) that
/// need to change one field.
public struct SignedRequest: Sendable {
    /// The body's members, in the order they are written.
    public var fields: [(name: String, value: JSONScalar)]
    /// `web3mq-request-pubkey` and `didkey` ("" when the request carries none).
    public var headers: RequestHeaders

    /// A request from its members and headers.
    public init(fields: [(name: String, value: JSONScalar)], headers: RequestHeaders) {
        self.fields = fields
        self.headers = headers
    }

    /// The exact body bytes.
    public var body: [UInt8] { JSONWriter.object(fields) }

    /// The value of the member `name`, if present.
    public subscript(name: String) -> JSONScalar? {
        fields.first { $0.name == name }?.value
    }

    /// The same request with `name` set to `value` (appended when absent).
    public func replacing(_ name: String, with value: JSONScalar) -> SignedRequest {
        var copy = self
        if let index = copy.fields.firstIndex(where: { $0.name == name }) {
            copy.fields[index].value = value
        } else {
            copy.fields.append((name, value))
        }
        return copy
    }

    /// The same request without the member `name`.
    public func removing(_ name: String) -> SignedRequest {
        var copy = self
        copy.fields.removeAll { $0.name == name }
        return copy
    }
}

/// How a client lays out the lines it signs (docs/protocol.md section 5 and
/// docs/sdk-sign-content-survey.md).
public enum SignContentLayout: String, Sendable, CaseIterable {
    /// The reference JS SDK: a leading newline, every line indented by four spaces,
    /// blank lines of four spaces, no trailing newline.
    case jsSDK
    /// As `jsSDK`, with truly empty blank lines (the Snap's JS SDK).
    case jsSDKEmptyBlankLines
    /// No leading newline, no indentation (Kotlin, iOS and Dart without their quirks).
    case unindented
    /// Unindented with `\r\n` line ends.
    case crlf
    /// Unindented, every line ending in a space, no blank lines (the Kotlin registration).
    case trailingSpaces

    /// The text for `lines`, where nil stands for a blank line.
    public func render(_ lines: [String?]) -> String {
        switch self {
        case .jsSDK: return "\n" + lines.map { "    " + ($0 ?? "") }.joined(separator: "\n")
        case .jsSDKEmptyBlankLines: return "\n" + lines.map { $0.map { "    " + $0 } ?? "" }.joined(separator: "\n")
        case .unindented: return lines.map { $0 ?? "" }.joined(separator: "\n")
        case .crlf: return lines.map { $0 ?? "" }.joined(separator: "\r\n")
        case .trailingSpaces: return lines.compactMap { $0 }.map { $0 + " " }.joined(separator: "\n")
        }
    }
}

/// How a client writes `did_signature`.
public enum SignatureForm: String, Sendable, CaseIterable {
    /// `0x` + r || s || v, v 27 or 28 (what `personal_sign` returns).
    case rsv27
    /// `0x` + r || s || v, v 0 or 1.
    case rsv01
    /// `0x` + EIP-2098 compact r || yParityAndS.
    case compact
}

/// How a client writes its address in `sign_content` and `didkey`.
public enum AddressForm: String, Sendable, CaseIterable {
    /// `0x` + 40 lowercase hex digits.
    case lowercase
    /// `0x` + EIP-55 mixed case.
    case checksummed
}

/// Everything a client chooses about how it writes a signed request.
public struct ClientStyle: Sendable, Equatable {
    /// The line layout.
    public var layout: SignContentLayout = .jsSDK
    /// The wallet word of line 1; nil for the did type's name (`eth` or `starknet`).
    public var walletWord: String?
    /// The wallet word of a follow's line 1 when it is not `walletWord`: "" for none (the
    /// Flutter/Dart SDK's follow writes `your  account:`, its registration `Ethereum`).
    public var followWalletWord: String?
    /// The `Issued At:` date format.
    public var issuedAt: IssuedAt.Layout = .yearFirst
    /// The signature encoding.
    public var signatureForm: SignatureForm = .rsv27
    /// The address's case.
    public var addressForm: AddressForm = .lowercase
    /// What a follow's text has right after its date: `` ` `` (Flutter), `` `; `` (iOS),
    /// `` `;\n `` (Dart); "" for nothing (docs/protocol.md section 5a item 1).
    public var afterDate = ""
    /// A follow's `URI:` line after `For follow signature` (the UI kit), if any.
    public var followURI: String?
    /// How a follow's nonce spells the action (section 5a item 4).
    public var nonceSpelling: NonceSpelling = .asSent
    /// How long before the body's timestamp a follow's nonce (and its `Issued At`) read
    /// the clock, in ms (Flutter/Dart, section 5a item 5).
    public var nonceDelayMilliseconds: Int64 = 0
    /// The client's time zone, as minutes east of UTC, for the `Issued At` date.
    public var zoneOffsetMinutes: Int64 = 0

    /// The JS SDK's style.
    public init() {}

    /// The style of `client` for a did of `didType` (docs/sdk-sign-content-survey.md).
    public init(client: ClientPreset, didType: DidType = .eth) {
        self.init()
        switch client {
        case .js:
            break
        case .ios:
            layout = .unindented
            walletWord = didType == .eth ? "Ethereum" : "Starknet"
            issuedAt = .dayFirst
            afterDate = "`;"
            nonceSpelling = .iOS
            nonceDelayMilliseconds = 1_500
        case .flutter, .dart:
            layout = .unindented
            walletWord = didType == .eth ? "Ethereum" : "Starknet"
            followWalletWord = didType == .eth ? "" : nil
            issuedAt = .dayFirst
            afterDate = client == .flutter ? "`" : "`;\n"
            nonceSpelling = .dart
            nonceDelayMilliseconds = 2_500
        case .uikit:
            followURI = "https://dapp.example/profile"
        }
    }
}

/// The Web3MQ clients whose follows the CLI and the tests can reproduce.
public enum ClientPreset: String, Sendable, CaseIterable {
    /// The reference JS SDK (section 5).
    case js
    /// The iOS SDK: unindented, `Ethereum`, `DD/MM/YYYY`, `` `; `` after the date, the
    /// nonce of a cancel over `unfollow`, the body's timestamp read 1.5 s after the nonce's.
    case ios
    /// The Flutter SDK: unindented, no wallet word, `` ` `` after the date, the nonce over
    /// `FollowAction.follow`/`.unfollow` and read 2.5 s before the body's timestamp.
    case flutter
    /// The Dart SDK: as Flutter, ending `` `;\n ``.
    case dart
    /// The Web3MQ UI kit's follow modal: a `URI:` line after `For follow signature`.
    case uikit
}

/// How a client spells the action in a follow's nonce.
public enum NonceSpelling: String, Sendable, CaseIterable {
    /// The body's `action` (the JS SDK).
    case asSent
    /// `follow` or `unfollow` (the iOS SDK's enum case names).
    case iOS
    /// `FollowAction.follow` or `FollowAction.unfollow` (the Dart enum's `toString()`).
    case dart

    /// The word the nonce hashes for a request whose body says `action`.
    public func word(for action: String) -> String {
        switch self {
        case .asSent: action
        case .iOS: action == "follow" ? "follow" : "unfollow"
        case .dart: action == "follow" ? "FollowAction.follow" : "FollowAction.unfollow"
        }
    }
}

/// A signed GET request: its query parameters and headers.
public struct SignedQuery: Sendable {
    /// The parameters, in order, not yet percent-encoded.
    public var parameters: [(name: String, value: String)]
    /// The signed headers.
    public var headers: RequestHeaders

    /// The parameters and headers.
    public init(parameters: [(name: String, value: String)], headers: RequestHeaders) {
        self.parameters = parameters
        self.headers = headers
    }

    /// `path` with the parameters and `extra` as its query string, percent-encoded.
    public func uri(_ path: String, _ extra: [(name: String, value: String)] = []) -> String {
        Self.uri(path, parameters + extra)
    }

    /// `path` with `parameters` as its query string; every byte outside the unreserved
    /// characters of RFC 3986 is percent-encoded (so base64's `+`, `/` and `=` are).
    public static func uri(_ path: String, _ parameters: [(name: String, value: String)]) -> String {
        guard !parameters.isEmpty else { return path }
        return path + "?" + parameters.map { percentEncoded($0.name) + "=" + percentEncoded($0.value) }.joined(separator: "&")
    }

    private static func percentEncoded(_ text: String) -> String {
        var encoded = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "~"):
                encoded.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                encoded += "%" + String(byte >> 4, radix: 16, uppercase: true) + String(byte & 0xF, radix: 16, uppercase: true)
            }
        }
        return encoded
    }
}
