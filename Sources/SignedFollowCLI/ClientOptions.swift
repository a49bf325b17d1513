import ArgumentParser
import Foundation
import SignedFollow
import SignedFollowClient
import WalletCrypto

extension SignContentLayout: ExpressibleByArgument {}
extension IssuedAt.Layout: ExpressibleByArgument {}
extension SignatureForm: ExpressibleByArgument {}
extension AddressForm: ExpressibleByArgument {}
extension DidType: ExpressibleByArgument {}

/// The options of every command that signs as a test identity.
struct IdentityOptions: ParsableArguments {
    @Option(name: [.customShort("i"), .long], help: "The identity file written by keygen.")
    var identity = "identity.json"

    @Option(help: "The service's base URL.")
    var server = "http://127.0.0.1:8080"

    @Flag(help: "Sign with the main key even when a session key from login is saved.")
    var mainKey = false

    @Flag(help: "Print the service's answer as it came (JSON) instead of a summary.")
    var json = false
}

/// How the request is written: the sign_content layout and the other client choices of
/// docs/protocol.md sections 5 and 5a, so that each client can be reproduced.
struct StyleOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "A client's whole style: \(ClientPreset.allCases.map(\.rawValue).joined(separator: ", ")) (docs/protocol.md section 5a).",
            discussion: "The options below change one choice of it."))
    var client: ClientPreset?

    @Option(
        help:
            "sign_content layout: \(SignContentLayout.allCases.map(\.rawValue).joined(separator: ", ")); or a client's name, as --client."
    )
    var layout: LayoutChoice?

    @Option(
        help:
            "The wallet word of line 1 (eth, Ethereum or MetaMask; starknet, Starknet, StarkNet, Argent X or Braavos; default: the did type)."
    )
    var walletWord: String?

    @Option(help: "The Issued At format: \(IssuedAt.Layout.allCases.map(\.rawValue).joined(separator: ", ")).")
    var issuedAt: IssuedAt.Layout?

    @Option(help: "did_signature encoding: \(SignatureForm.allCases.map(\.rawValue).joined(separator: ", ")).")
    var signatureForm: SignatureForm = .rsv27

    @Option(help: "Address case in sign_content and didkey: \(AddressForm.allCases.map(\.rawValue).joined(separator: ", ")).")
    var addressForm: AddressForm = .lowercase

    @Option(help: "A follow's URI: line after For follow signature (as the UI kit writes).")
    var followUri: String?

    @Option(help: "How a follow's nonce spells the action: \(NonceSpelling.allCases.map(\.rawValue).joined(separator: ", ")).")
    var nonceSpelling: NonceSpelling?

    @Option(help: "How many ms before the body's timestamp a follow's nonce read the clock (as Flutter/Dart do, 0 to 120000).")
    var nonceDelayMs: Int64?

    func validate() throws {
        if let nonceDelayMs, !(0...FollowNonce.maxDelayMilliseconds).contains(nonceDelayMs) {
            throw ValidationError("--nonce-delay-ms must be from 0 to \(FollowNonce.maxDelayMilliseconds)")
        }
        if case .client = layout, client != nil { throw ValidationError("give the client with --client or --layout, not both") }
    }

    /// The client style these options describe, for a did of `didType`.
    func style(for didType: DidType) -> ClientStyle {
        var preset = client
        if case .client(let named) = layout { preset = named }
        var style = ClientStyle(client: preset ?? .js, didType: didType)
        if case .lines(let lines) = layout { style.layout = lines }
        if let walletWord { (style.walletWord, style.followWalletWord) = (walletWord, nil) }
        if let issuedAt { style.issuedAt = issuedAt }
        style.signatureForm = signatureForm
        style.addressForm = addressForm
        if let followUri { style.followURI = followUri }
        if let nonceSpelling { style.nonceSpelling = nonceSpelling }
        if let nonceDelayMs { style.nonceDelayMilliseconds = nonceDelayMs }
        return style
    }
}

extension ClientPreset: ExpressibleByArgument {}
extension NonceSpelling: ExpressibleByArgument {}

/// `--layout`: a line layout, or a client's name standing for its whole style.
enum LayoutChoice: ExpressibleByArgument {
    case lines(SignContentLayout)
    case client(ClientPreset)

    init?(argument: String) {
        if let lines = SignContentLayout(rawValue: argument) {
            self = .lines(lines)
        } else if let client = ClientPreset(rawValue: argument) {
            self = .client(client)
        } else {
            return nil
        }
    }

    static var allValueStrings: [String] {
        SignContentLayout.allCases.map(\.rawValue) + ClientPreset.allCases.map(\.rawValue)
    }
}

/// Builds the requests of one identity, signed now.
struct RequestSigner {
    let file: IdentityFile
    let identity: TestIdentity
    let now: Int64
    let style: ClientStyle
    /// The key that signs follows and reads: the saved session key, or the main key.
    let requestKey: Ed25519KeyPair

    init(_ options: IdentityOptions, styleOptions: StyleOptions? = nil, now: Int64 = RequestSigner.clock()) throws {
        file = try IdentityFile.load(options.identity)
        identity = try file.identity()
        self.now = now
        style = styleOptions?.style(for: identity.did.didType) ?? ClientStyle()
        requestKey = (options.mainKey ? nil : try file.sessionKey(at: now)) ?? identity.mainKey
    }

    /// The current time, ms since the epoch.
    static func clock() -> Int64 { Int64(Date().timeIntervalSince1970 * 1000) }

    /// `TARGET` as a userid: `user:...` as is, else the userid of the identity file at
    /// that path.
    static func userid(of target: String) throws -> String {
        if target.hasPrefix("user:") || !FileManager.default.fileExists(atPath: target) { return target }
        return try IdentityFile.load(target).userid
    }

    func registration(uri: String) -> RequestDocument {
        RequestDocument(post: identity.registration(timestamp: now, uri: uri, style: style), to: "/api/user_register_v2/")
    }

    /// A login binding a fresh session key for `lifetime` ms, and the session to save.
    func login(lifetime: Int64) -> (RequestDocument, IdentityFile.Session) {
        let sessionKey = Ed25519KeyPair.generate()
        let expiresAt = now + lifetime
        let request = identity.login(sessionKey: sessionKey, expiresAt: expiresAt, timestamp: now)
        let session = IdentityFile.Session(
            keySeed: Hex.encode(sessionKey.seed), pubkey: Hex.encode(sessionKey.publicKey.rawRepresentation), expiresAt: expiresAt
        )
        return (RequestDocument(post: request, to: "/api/user_login_v2/"), session)
    }

    func follow(_ target: String, action: String, userSignature: Bool) -> RequestDocument {
        RequestDocument(
            post: followRequest(target, action: action, timestamp: now, userSignature: userSignature), to: "/api/following/")
    }

    /// `POST /api/following/batch/` of one follow (or cancel) per target, each 1 ms apart.
    func batch(_ targets: [String], action: String, userSignature: Bool) -> RequestDocument {
        let items = targets.enumerated().map { index, target in
            followRequest(target, action: action, timestamp: now + Int64(index), userSignature: userSignature)
        }
        let bodies = items.map { String(decoding: $0.body, as: UTF8.self) }.joined(separator: ",")
        // Every item carries the same headers: the identity's request key and did.
        return RequestDocument(
            method: "POST", path: "/api/following/batch/", headers: items[0].headers, body: Array("{\"items\":[\(bodies)]}".utf8))
    }

    /// A signed read of `path` (`/api/user_following/` or `/api/user_followers/`).
    func signedRead(_ path: String, page: Int, size: Int) -> RequestDocument {
        let query = identity.signedRead(timestamp: now, requestKey: requestKey)
        return RequestDocument(
            method: "GET", path: query.uri(path, [("page", String(page)), ("size", String(size))]), headers: query.headers,
            body: [])
    }

    func status(_ target: String) -> RequestDocument {
        RequestDocument(
            method: "GET",
            path: SignedQuery.uri("/api/follow_status/", [("userid", identity.userid), ("target_userid", target)]),
            headers: RequestHeaders(requestPubkey: "", didkey: ""), body: [])
    }

    private func followRequest(_ target: String, action: String, timestamp: Int64, userSignature: Bool) -> SignedRequest {
        identity.follow(
            target: target, action: action, timestamp: timestamp, requestKey: requestKey, style: style,
            withUserSignature: userSignature)
    }
}
