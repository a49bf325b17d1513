import Keccak
import WalletCrypto

/// Why a captured `POST /api/following/` request would be accepted or rejected, worked
/// out offline: every check of docs/protocol.md section 4 in order with its result, the
/// sign_content lines the server rebuilds beside the ones received, the address the
/// signature recovers to, and the code the service would answer.
///
/// Checks that need the service's database (the user, its keys and the target are
/// registered; limits; ordering against the pair) cannot be made from the request alone:
/// they are reported as not checked, and the verdict assumes they pass. Every other
/// check is made with the same code the ``Verifier`` runs, and the verdict is the first
/// failure in the order the verifier runs them (cheap checks first), which is the code
/// the service answers.
public struct FollowExplanation: Sendable {
    /// The result of one check.
    public enum Outcome: Sendable, Equatable {
        /// The check passed.
        case passed
        /// The check failed with this error (its code is the service's answer for it).
        case failed(RequestError)
        /// The check was not made, and why.
        case notChecked(String)
    }

    /// One check of section 4.
    public struct Check: Sendable {
        /// Its number in section 4 (`"9"` covers both parts of check 9).
        public let number: Int
        /// What it checks.
        public let name: String
        /// Its result.
        public let outcome: Outcome
        /// What was compared, for a reader.
        public let details: [String]
    }

    /// A line of sign_content: what was received and what the server expects there.
    public struct Line: Sendable, Equatable {
        /// The received line after normalisation (section 5), or nil when missing.
        public let received: String?
        /// What the server rebuilds for this line.
        public let expected: String
        /// True when the received line passes.
        public let matches: Bool
    }

    /// Checks 1 to 11 in order.
    public let checks: [Check]
    /// The received sign_content lines beside the rebuilt ones (empty when the request
    /// could not be decoded).
    public let lines: [Line]
    /// The address `did_signature` recovers to, when it recovers.
    public let recoveredAddress: EthereumAddress?
    /// The client the text looks like it came from, when its lines and nonce passed.
    public let client: ClientVariant?
    /// The variants of section 5a the text uses, in words.
    public let variations: [String]
    /// The error the service would answer, assuming the state checks pass; nil when it
    /// would accept the request.
    public let verdict: RequestError?

    /// Explains the request with body `body` and headers `headers`, judged at `now` (ms)
    /// under `policy`.
    public init(body: [UInt8], headers: RequestHeaders, now: Int64, policy: VerificationPolicy = VerificationPolicy()) {
        let request: FollowRequest
        do {
            request = try FollowRequest(body: body, headers: headers)
        } catch {
            self.init(undecodable: error)
            return
        }
        var checks: [Check] = []
        func record(
            _ number: Int, _ name: String, _ details: [String] = [], _ check: () throws(RequestError) -> Void
        ) -> RequestError? {
            do {
                try check()
                checks.append(Check(number: number, name: name, outcome: .passed, details: details))
                return nil
            } catch {
                checks.append(Check(number: number, name: name, outcome: .failed(error), details: details))
                return error
            }
        }

        _ = record(1, Self.names[1], ["every field has its type, length and format"]) {}
        _ = record(2, Self.names[2], ["didkey \(headers.didkey) agrees with did_type \(request.didType.rawValue)"]) {}
        let keyFailure = record(3, Self.names[3], ["web3mq-request-pubkey \(headers.requestPubkey)"]) { () throws(RequestError) in
            _ = try SignatureChecks.validatedKey(request.requestKey, field: "web3mq-request-pubkey")
        }
        let distance = request.timestamp - now
        let windowFailure = record(
            4, Self.names[4],
            [
                "timestamp \(request.timestamp) is \(Self.seconds(distance)) from the clock (\(now)); the window is \(Self.seconds(policy.timestampWindowMilliseconds)) either way"
            ]
        ) { () throws(RequestError) in
            guard abs(distance) <= policy.timestampWindowMilliseconds else {
                throw RequestError(.timestampOutOfWindow, "timestamp is outside the accepted window")
            }
        }
        let jsNonce = SignedDigests.followNonce(
            userid: request.userid, action: request.action, targetUserid: request.targetUserid, timestamp: request.timestamp)
        var text: FollowText?
        var contentFailure: RequestError?
        do {
            text = try SignContent(request.signContent).checkFollow(
                didType: request.didType, address: request.didAddress, timestamp: request.timestamp)
        } catch {
            contentFailure = error
        }
        // The service searches earlier timestamps only for a signature that verifies.
        let (nonce, searched, nonceDetails) = Self.matchNonce(
            request, text, maySearch: Self.signatureMayVerify(request, policy: policy))
        let nonceFailure = searched && nonce == nil ? SignatureChecks.nonceMismatch : nil
        // One check 5: the lines (section 5 and 5a), then the nonce (searched last by the service).
        let nonceOutcome: Outcome =
            text == nil || nonce != nil || searched
            ? .passed
            : .notChecked(
                "the nonce is not over the body's timestamp, and earlier ones are searched for only once did_signature verifies")
        checks.append(
            Check(
                number: 5, name: Self.names[5], outcome: (contentFailure ?? nonceFailure).map(Outcome.failed) ?? nonceOutcome,
                details: [
                    "the lines of sections 5 and 5a, the nonce over any spelling of the action and a timestamp up to 120 s earlier"
                ]
                    + nonceDetails))
        let lines = Self.lines(of: request, nonce: nonce?.digest ?? jsNonce)
        var recovered: EthereumAddress?
        let signatureFailure: RequestError?
        switch request.didAddress {
        case .eth(let address):
            recovered = try? SignatureChecks.recoveredAddress(request.didSignature, over: request.signContent)
            signatureFailure = record(
                6, Self.names[6],
                [
                    "recovered address: \(recovered?.checksummed ?? "none")", "did address: \(address.checksummed)",
                ]
            ) { () throws(RequestError) in
                try SignatureChecks.didSignature(
                    request.didSignature, over: request.signContent, claimed: request.didAddress, starkKey: nil, chainIds: [])
            }
        case .starknet(let account):
            let hashes = zip(
                policy.starknetChainIds,
                StarknetDidSignature.messageHashes(
                    of: request.signContent, account: account, chainIds: policy.starknetChainIds))
            let details = hashes.map { "typed-data hash for chain id \($0.hexString): \($1.decimalString)" }
            if let key = request.starkKey {
                signatureFailure = record(6, Self.names[6], details + ["Stark key (did_pubkey): \(key.paddedHexString)"]) {
                    () throws(RequestError) in
                    try SignatureChecks.didSignature(
                        request.didSignature, over: request.signContent, claimed: request.didAddress,
                        starkKey: try SignatureChecks.validatedStarkKey(key), chainIds: policy.starknetChainIds)
                }
            } else {
                signatureFailure = nil
                checks.append(
                    Check(
                        number: 6, name: Self.names[6],
                        outcome: .notChecked(
                            "did_pubkey is absent: the signature is checked with the Stark key the registration bound, in the service's database"
                        ),
                        details: details))
            }
        }
        checks.append(Check(number: 7, name: Self.names[7], outcome: .notChecked(Self.needsState), details: []))
        let userSignatureFailure: RequestError?
        if request.userSignature != nil, keyFailure != nil {
            userSignatureFailure = nil
            checks.append(
                Check(
                    number: 8, name: Self.names[8], outcome: .notChecked("the request key is not a valid point (check 3)"),
                    details: []))
        } else if let userSignature = request.userSignature {
            let message = SignatureChecks.userSignatureMessage(
                userid: request.userid, action: request.action, targetUserid: request.targetUserid, timestamp: request.timestamp)
            let key = Ed25519PublicKey(trustedRawRepresentation: request.requestKey)  // check 3 passed
            userSignatureFailure = record(8, Self.names[8], ["signed message: \(message)"]) { () throws(RequestError) in
                try SignatureChecks.ed25519(userSignature, by: key, over: message, field: "web3mq_user_signature")
            }
        } else {
            userSignatureFailure = record(8, Self.names[8], ["absent (optional unless the server requires it)"]) {
                () throws(RequestError) in
                if policy.requireUserSignature { throw RequestError.missingField("web3mq_user_signature") }
            }
        }
        let selfFailure = record(
            9, Self.names[9],
            [
                "target_userid is not userid; whether it is registered needs the service's database"
            ]
        ) { () throws(RequestError) in
            guard request.targetUserid != request.userid else { throw RequestError(.followSelf, "cannot follow yourself") }
        }
        checks.append(Check(number: 10, name: Self.names[10], outcome: .notChecked(Self.needsState), details: []))
        checks.append(Check(number: 11, name: Self.names[11], outcome: .notChecked(Self.needsState), details: []))

        // The verifier's order: window, self, (user and key), key point, (target),
        // sign_content, did_signature, web3mq_user_signature, the nonce's search.
        let serviceOrder = [
            windowFailure, selfFailure, keyFailure, contentFailure, signatureFailure, userSignatureFailure, nonceFailure,
        ]
        var client: ClientVariant?
        var variations: [String] = []
        if let text, let nonce {
            client = ClientVariant.recognise(text, content: request.signContent, nonce: nonce, timestamp: request.timestamp)
            variations = ClientVariant.variations(text, nonce: nonce, action: request.action, timestamp: request.timestamp)
        }
        self.init(
            checks: checks, lines: lines, recoveredAddress: recovered, client: client, variations: variations,
            verdict: serviceOrder.lazy.compactMap { $0 }.first)
    }

    private init(
        checks: [Check], lines: [Line], recoveredAddress: EthereumAddress?, client: ClientVariant? = nil,
        variations: [String] = [], verdict: RequestError?
    ) {
        self.checks = checks
        self.lines = lines
        self.recoveredAddress = recoveredAddress
        self.client = client
        self.variations = variations
        self.verdict = verdict
    }

    /// The nonce as the service matches it (section 5a items 4 and 5, searched without the
    /// service's budget), and what was tried.
    private static func matchNonce(
        _ request: FollowRequest, _ text: FollowText?, maySearch: Bool
    ) -> (nonce: FollowNonce?, searched: Bool, details: [String]) {
        guard let text else { return (nil, false, []) }
        let words = FollowNonce.actionWords(for: request.action).joined(separator: ", ")
        var details = ["written: \(text.writtenNonce.hexString)", "action words tried: \(words)"]
        if let nonce = FollowNonce.atBodyTimestamp(
            text.writtenNonce, userid: request.userid, action: request.action, targetUserid: request.targetUserid,
            timestamp: request.timestamp)
        {
            details.append(
                "matched: sha3_224(userid + \(nonce.actionWord) + target_userid + \(nonce.timestamp)), the body's timestamp")
            return (nonce, false, details)
        }
        guard maySearch else { return (nil, false, details + ["not over the body's timestamp"]) }
        let search = FollowNonceSearch(
            written: text.writtenNonce, userid: request.userid, action: request.action, targetUserid: request.targetUserid,
            timestamp: request.timestamp, issuedAt: text.issuedAt)
        let (found, hashes) = search.run()
        details.append(
            "not over the body's timestamp; searched \(hashes) hashes over timestamps up to 120 s earlier in the Issued At minute (mod 15)"
        )
        if let found {
            details.append(
                "matched: sha3_224(userid + \(found.actionWord) + target_userid + \(found.timestamp)), \(request.timestamp - found.timestamp) ms before the body's timestamp"
            )
        }
        return (found, true, details)
    }

    /// False when `did_signature` certainly fails (check 6): the service then never
    /// searches for the nonce. True when it verifies, or needs the bound Stark key.
    private static func signatureMayVerify(_ request: FollowRequest, policy: VerificationPolicy) -> Bool {
        let starkKey: StarkPublicKey?
        switch request.didAddress {
        case .eth: starkKey = nil
        case .starknet:
            guard let sent = request.starkKey else { return true }
            guard let key = try? SignatureChecks.validatedStarkKey(sent) else { return false }
            starkKey = key
        }
        return
            (try? SignatureChecks.didSignature(
                request.didSignature, over: request.signContent, claimed: request.didAddress, starkKey: starkKey,
                chainIds: policy.starknetChainIds)) != nil
    }

    private init(undecodable error: RequestError) {
        // Decoding reads the body's fields first and the headers last, so a header error
        // (40004) means check 1 passed.
        let headerFailed = error.code == .invalidHeader
        var checks = [
            Check(number: 1, name: Self.names[1], outcome: headerFailed ? .passed : .failed(error), details: []),
            Check(
                number: 2, name: Self.names[2],
                outcome: headerFailed ? .failed(error) : .notChecked(Self.undecoded), details: []),
        ]
        for number in 3...11 {
            checks.append(Check(number: number, name: Self.names[number], outcome: .notChecked(Self.undecoded), details: []))
        }
        self.init(checks: checks, lines: [], recoveredAddress: nil, verdict: error)
    }

    /// The lines the server rebuilds, beside the received ones: a received `URI:` line
    /// after `For follow signature` and a residue after the date are expected where they
    /// stand (section 5a); the nonce line shows `nonce`.
    private static func lines(of request: FollowRequest, nonce: Digest224) -> [Line] {
        let received = SignContent(request.signContent).lines.map(String.init)
        let walletPrefix = "Web3MQ wants you to sign in with your "
        let word = received.first.flatMap { line -> String? in
            guard line.hasPrefix(walletPrefix), line.hasSuffix(" account:"), line.count >= walletPrefix.count + 8 else {
                return nil
            }
            let word = String(line.dropFirst(walletPrefix.count).dropLast(" account:".count))
            return request.didType.walletWords.contains(word) || (word.isEmpty && request.didType == .eth) ? word : nil
        }
        let uri = received.count == 6 && received[3].hasPrefix("URI: ") ? received[3] : nil
        let dateIndex = uri == nil ? 4 : 5
        let issuedAt =
            received.count > dateIndex && received[dateIndex].hasPrefix("Issued At: ")
            && IssuedAt.isPlausible(
                Self.withoutResidue(received[dateIndex].dropFirst("Issued At: ".count)), timestamp: request.timestamp)
        var expected = [
            walletPrefix + (word ?? "<" + request.didType.walletWords.sorted().joined(separator: "|") + ">") + " account:",
            request.didAddress.canonical,
            "For follow signature",
            "Nonce: " + nonce.hexString,
            issuedAt
                ? received[dateIndex]
                : "Issued At: <a real date within 26 hours of timestamp, e.g. \(IssuedAt.format(request.timestamp, .yearFirst)) UTC>",
        ]
        if let uri { expected.insert(uri, at: 3) }
        return expected.indices.map { index in
            let line = index < received.count ? received[index] : nil
            let matches: Bool =
                switch index {
                case 0: word != nil
                case 1: line.flatMap { try? DidAddress(parsing: $0, as: request.didType) } == request.didAddress
                case dateIndex: issuedAt
                default: line == expected[index]
                }
            return Line(received: line, expected: expected[index], matches: matches)
        } + received.dropFirst(expected.count).map { Line(received: $0, expected: "(no line)", matches: false) }
    }

    /// `date` without a residue of section 5a item 1.
    private static func withoutResidue(_ date: Substring) -> Substring {
        for residue in FollowText.Residue.allCases.reversed() where date.hasSuffix(residue.rawValue) {
            return date.dropLast(residue.rawValue.count)
        }
        return date
    }

    private static func seconds(_ milliseconds: Int64) -> String {
        let sign = milliseconds < 0 ? "-" : ""
        let magnitude = milliseconds.magnitude
        return "\(sign)\(magnitude / 1000).\(String(magnitude % 1000 + 1000).dropFirst()) s"
    }

    private static let needsState = "needs the service's database; assumed to pass"
    private static let undecoded = "the request could not be decoded"

    /// The checks' names, by number.
    public static let names = [
        "",
        "shape, types and lengths of the body",
        "didkey is well formed and agrees with did_type",
        "web3mq-request-pubkey is a valid ed25519 point",
        "timestamp is within the window",
        "sign_content matches the rebuilt lines",
        "did_signature comes from the did (eth: recovers to the address; starknet: verifies with its Stark key)",
        "the user is registered with this did and the request key is bound",
        "web3mq_user_signature verifies by the request key",
        "target_userid differs from userid and is registered",
        "rate limit and following limit",
        "ordering against the pair's latest request",
    ]
}
