import Keccak
import SignedFollow
import WalletCrypto

/// The code each ``FuzzTarget`` drives. Rejections are expected and ignored; a trap (a
/// `precondition` stating an invariant that must hold for any input, or an arithmetic
/// overflow), an ASan report or a leak is a finding.
enum FuzzTargets {
    /// The clock for an input that decodes to no timestamp. A decoded request is judged at
    /// its own timestamp, so that the window passes and the deeper checks run.
    static let clock: Int64 = 1_700_000_000_000
    /// A valid ed25519 key and an address and nonce for the targets that need fixed ones.
    static let key = try! Ed25519KeyPair(seed: [UInt8](repeating: 7, count: 32)).publicKey
    static let address = DidAddress.eth(try! EthereumAddress(parsing: "0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266"))
    static let nonce = sha3_224("user:a" + "follow" + "user:b" + String(clock))
    static let message = Array("signed-follow fuzz".utf8)
    /// A Stark public key, for the StarkNet signatures.
    static let starkKey = try! StarkPrivateKey(UInt256(7)).publicKey

    /// `POST /api/following/`: decoding, the sign_content rebuild, recovery, the user
    /// signature, and the offline explanation of `signed-follow explain`.
    static func follow(_ headers: RequestHeaders, _ body: [UInt8]) {
        var now = clock
        if let request = try? FollowRequest(body: body, headers: headers) {
            now = request.timestamp
            checkFollow(request)
        }
        consume(FollowExplanation(body: body, headers: headers, now: now))
    }

    /// `POST /api/user_register_v2/`: decoding, the sign_content rebuild (any URI, and one
    /// allowed origin), the key point and recovery.
    static func registration(_ headers: RequestHeaders, _ body: [UInt8]) {
        guard let request = try? RegistrationRequest(body: body, headers: headers) else { return }
        let nonce = SignedDigests.registrationNonce(
            userid: request.userid, pubkeyType: request.pubkeyType, pubkeyValue: request.mainPubkeySent,
            didType: request.didType.rawValue, didValue: request.didValueSent, timestamp: request.timestamp)
        let content = SignContent(request.signatureContent)
        for origins in [[], ["https://dapp.example"]] {
            consume(
                try? content.checkRegistration(
                    didType: request.didType, address: request.didAddress, nonce: nonce, timestamp: request.timestamp,
                    allowedOrigins: origins))
        }
        consume(try? Ed25519PublicKey(rawRepresentation: request.mainPubkey))
        recover(request.didSignature, over: request.signatureContent)
    }

    /// `POST /api/user_login_v2/`: decoding, the digest, the login signature, the key points.
    static func login(_ headers: RequestHeaders, _ body: [UInt8]) {
        guard let request = try? LoginRequest(body: body, headers: headers) else { return }
        let expected = SignedDigests.loginContent(
            userid: request.userid, pubkeyValue: request.sessionPubkeySent,
            pubkeyExpiredTimestamp: request.expiresAt, timestamp: request.timestamp)
        consume(
            (try? Hex.decode(request.signatureContent, byteCount: Digest224.byteCount)).map { Digest224(bytes: $0) == expected })
        if let mainKey = try? Ed25519PublicKey(rawRepresentation: request.mainPubkey),
            let signature = try? Ed25519Signature(base64: request.loginSignature)
        {
            consume(mainKey.isValidSignature(signature, for: request.signatureContent.utf8))
        }
        consume(try? Ed25519PublicKey(rawRepresentation: request.sessionPubkey))
    }

    /// `POST /api/following/batch/`: decoding, then each item that decodes as a follow.
    static func batch(_ headers: RequestHeaders, _ body: [UInt8]) {
        guard let batch = try? BatchFollowRequest(body: body, headers: headers) else { return }
        for item in batch.items {
            if case .success(let request) = item.request { checkFollow(request) }
        }
    }

    /// A sign_content as its author chooses it: the author picks every field of the
    /// request, so the address and nonce the service rebuilds are whatever the text claims
    /// (the nonce is a public hash of fields they choose). Payload: 8 bytes of timestamp
    /// (big-endian, any value), then the text.
    static func signContent(_ payload: [UInt8]) {
        let timestamp = int64(payload.prefix(8))
        let content = SignContent(String(decoding: payload.dropFirst(8), as: UTF8.self))
        let claimedNonce = content.lines.lazy.filter { $0.hasPrefix("Nonce: ") }.first
            .flatMap { try? Hex.decode($0.dropFirst("Nonce: ".count), byteCount: Digest224.byteCount) }
            .flatMap { Digest224(bytes: $0) }
        let nonce = claimedNonce ?? nonce
        for didType in DidType.allCases {
            let address = (content.lines.count > 1 ? try? DidAddress(parsing: content.lines[1], as: didType) : nil) ?? address
            consume(try? content.checkFollow(didType: didType, address: address, timestamp: timestamp))
        }
        let address = (content.lines.count > 1 ? try? DidAddress(parsing: content.lines[1], as: .eth) : nil) ?? address
        for origins in [[], ["https://dapp.example"]] {
            consume(
                try? content.checkRegistration(
                    didType: .eth, address: address, nonce: nonce, timestamp: timestamp, allowedOrigins: origins))
        }
    }

    /// Signature and key parsing and recovery, with their round trips.
    static func signatures(_ payload: [UInt8]) {
        let text = String(decoding: payload, as: UTF8.self)
        if let signature = try? RecoverableSignature(hex: text) {
            consume(try? signature.recoverAddress(personalMessage: message))
            precondition((try? RecoverableSignature(hex: signature.description)) == signature, "a parsed signature re-parses")
            precondition(
                (try? RecoverableSignature(rawRepresentation: signature.compactRepresentation)) == signature,
                "the compact form parses to the same signature")
        }
        if let signature = try? Ed25519Signature(base64: text) {
            consume(key.isValidSignature(signature, for: message))
            precondition(signature.base64 == text, "an ed25519 signature has one accepted base64 encoding")
        }
        starknetSignature(text)
        consume(try? RecoverableSignature(rawRepresentation: payload))
        consume(try? Ed25519PublicKey(rawRepresentation: payload))
        consume(try? Ed25519PublicKey(hex: text))
        consume(try? Secp256k1PublicKey(rawRepresentation: payload))
    }

    /// A StarkNet `did_signature` as the service reads it (three decimal numbers), its
    /// numbers' round trips, and a verification with a fixed key.
    static func starknetSignature(_ text: String) {
        let fields = text.split(separator: ",", omittingEmptySubsequences: false)
        let numbers = fields.compactMap { UInt256(decimal: $0) }
        for number in numbers {
            precondition(UInt256(decimal: number.decimalString) == number, "a decimal number prints back to itself")
            precondition(UInt256(hex: number.paddedHexString) == number, "a number's hex reads back")
        }
        guard numbers.count == 3, let signature = try? StarkSignature(r: numbers[1], s: numbers[2]) else { return }
        if let hash = Felt(numbers[0]) { consume(starkKey.isValidSignature(signature, for: hash)) }
    }

    /// Hex, base64, addresses, JSON and the hashes, with their round trips.
    static func encodings(_ payload: [UInt8]) {
        let text = String(decoding: payload, as: UTF8.self)
        if let bytes = try? Hex.decode(text) {
            let digits = text.hasPrefix("0x") ? text.dropFirst(2) : Substring(text)
            precondition(Hex.encode(bytes) == digits.lowercased(), "hex decodes to the bytes its digits say")
        }
        if let bytes = try? Base64.decode(text) {
            precondition(Base64.encode(bytes) == text, "base64 has one accepted encoding")
        }
        if let parsed = try? EthereumAddress(parsing: text) {
            precondition((try? EthereumAddress(parsing: parsed.lowercased)) == parsed, "the lowercase form re-parses")
            precondition((try? EthereumAddress(parsing: parsed.checksummed)) == parsed, "the EIP-55 form re-parses")
            precondition(text.lowercased().hasSuffix(parsed.lowercased.dropFirst(2)), "an address is its digits")
        }
        if let felt = try? Felt(hex: text) {
            precondition(
                (try? Felt(hex: felt.paddedHexString)) == felt && (try? Felt(hex: felt.hexString)) == felt,
                "a felt's hex reads back")
            consume(try? StarkPublicKey(x: felt))
        }
        if let address = try? DidAddress(parsing: text, as: .starknet) {
            precondition((try? DidAddress(parsing: address.canonical, as: .starknet)) == address, "the canonical form re-parses")
        }
        consume(try? JSONReader.object(from: payload))
        consume((keccak256(payload), sha3_224(payload), sha3_256(payload)))
    }

    /// `Issued At` dates: parsing, its round trip through `format`, and the distance to a
    /// timestamp. Payload: 8 bytes of timestamp (big-endian, any value), then the text.
    static func issuedAt(_ payload: [UInt8]) {
        let timestamp = int64(payload.prefix(8))
        let text = Substring(String(decoding: payload.dropFirst(8), as: UTF8.self))
        if let milliseconds = IssuedAt.milliseconds(text) {
            let layout: IssuedAt.Layout = text.utf8.dropFirst(4).first == UInt8(ascii: "/") ? .yearFirst : .dayFirst
            precondition(IssuedAt.format(milliseconds, layout) == text, "a date formats back to its text")
        }
        consume(IssuedAt.isPlausible(text, timestamp: timestamp))
        // Years 0000 to 9999 have four digits, which is what the layouts read back.
        if (-62_167_219_200_000..<253_402_300_800_000).contains(timestamp) {
            for layout in [IssuedAt.Layout.yearFirst, .dayFirst] {
                let minute = timestamp - ((timestamp % 60_000) + 60_000) % 60_000
                precondition(IssuedAt.milliseconds(Substring(IssuedAt.format(timestamp, layout))) == minute, "format reads back")
            }
        }
    }

    /// Lines of an audit export, as `signed-follow audit verify` reads them. The author of a
    /// forged export recomputes the chain, so each line that reads as an entry gets its
    /// `hash`, and each after the first its `prev_hash`, recomputed before it is verified:
    /// the entry's own checks run, not only the hash comparison.
    static func auditLines(_ payload: [UInt8]) {
        var verifier = AuditLogVerifier()
        var previous: [UInt8]?
        for line in payload.split(separator: 0x0A, omittingEmptySubsequences: false) {
            let chained = AuditLine(Array(line))?.rechained(after: previous)
            previous = chained?.hash
            do {
                try verifier.verify(line: chained?.text ?? Array(line))
            } catch {
                return
            }
        }
    }

    // MARK: - Helpers

    /// Keeps `value` alive: a result nobody reads lets the optimizer drop a call that has
    /// no other effect, together with the traps inside it (an unused `isPlausible` hid its
    /// overflow until the harness consumed the result).
    @inline(never) @_optimize(none)
    static func consume<T>(_ value: T) {}

    static func checkFollow(_ request: FollowRequest) {
        if let text = try? SignContent(request.signContent).checkFollow(
            didType: request.didType, address: request.didAddress, timestamp: request.timestamp)
        {
            consume(
                FollowNonce.atBodyTimestamp(
                    text.writtenNonce, userid: request.userid, action: request.action, targetUserid: request.targetUserid,
                    timestamp: request.timestamp))
            // The search's bounds (its hashing is the Keccak the other targets already run).
            consume(
                FollowNonceSearch(
                    written: text.writtenNonce, userid: request.userid, action: request.action,
                    targetUserid: request.targetUserid, timestamp: request.timestamp, issuedAt: text.issuedAt
                ).worstCaseHashes)
        }
        recover(request.didSignature, over: request.signContent)
        if let userSignature = request.userSignature,
            let requestKey = try? Ed25519PublicKey(rawRepresentation: request.requestKey),
            let signature = try? Ed25519Signature(base64: userSignature)
        {
            let message = request.userid + request.action + request.targetUserid + String(request.timestamp)
            consume(requestKey.isValidSignature(signature, for: message.utf8))
        }
    }

    static func recover(_ signature: String, over message: String) {
        consume(try? RecoverableSignature(hex: signature).recoverAddress(personalMessage: message.utf8))
    }

    /// Up to 8 bytes as a big-endian Int64.
    static func int64(_ bytes: some Collection<UInt8>) -> Int64 {
        Int64(bitPattern: bytes.reduce(UInt64(0)) { $0 << 8 | UInt64($1) })
    }
}
