/// The signed fields of each request and what a change of each may be answered with
/// (docs/protocol.md sections 2 to 4). Why each code is possible follows the order of the
/// checks: decoding (40001 to 40006), then `Verifier` (window, users and keys, then the
/// sign_content lines, then the signatures).
enum SignedFields {
    /// `POST /api/following/`, sent by a registered user to a registered target.
    static let follow: [SignedField] = [
        // Not 1 to 128 printable characters (40003), or a userid nobody registered (40401).
        SignedField("userid", .text(.plain), codes: [40003, 40401]),
        // Malformed (40003), or a target nobody registered (40402).
        SignedField("target_userid", .text(.plain), codes: [40003, 40402]),
        // No single edit turns one of follow, cancel, unfollow into another.
        SignedField("action", .text(.plain), codes: [40006]),
        // Outside the 5-minute window (40106), or another nonce (40102); up to 120 s later,
        // the signed request itself (the Flutter/Dart SDK's second clock read).
        SignedField("timestamp", .integer, codes: [40102, 40106], sameMeaning: .laterBodyTimestamp),
        // Only eth is supported; starknet and anything else is 40005.
        SignedField("did_type", .text(.plain), codes: [40005]),
        // Malformed: length, hex, v, r or s out of range, high s (40103); or it recovers to
        // another address, or to none (40104). The bytes are what is signed, so hex of
        // another case is the same signature.
        SignedField("did_signature", .text(.hex(prefix: "0x")), codes: [40103, 40104], sameMeaning: .hexBytes(prefix: "0x")),
        // A line changed (40101), the Nonce line changed (40102), or only padding changed,
        // which the line check trims but the signature, over the exact bytes, does not
        // (40104).
        SignedField("sign_content", .text(.plain), codes: [40101, 40102, 40104]),
        // Not 64 hex digits (40004); other bytes: not a valid point (40301) or a valid point
        // bound to nobody (40302). The key is compared as bytes.
        SignedField(
            "web3mq-request-pubkey", .requestPubkeyHeader, .text(.hex(prefix: "")), codes: [40004, 40301, 40302],
            sameMeaning: .hexBytes(prefix: "")),
        // Malformed or disagreeing with did_type (40004), or another address, which does not
        // own the userid (40303). Compared as 20 bytes with the address the wallet signed.
        SignedField(
            "didkey", .didkeyHeader, .text(.hex(prefix: "eth:0x")), codes: [40004, 40303], sameMeaning: .address(prefix: "eth:")),
    ]

    /// The follow fields plus `web3mq_user_signature`, for a service that requires it (so
    /// that leaving it out is 40002; by default it is optional and leaving it out is
    /// accepted, docs/protocol.md section 4 check 8).
    static let followWithUserSignature: [SignedField] =
        follow + [
            // Not base64 of 64 bytes, with padding and zero unused bits (40103), or another
            // signature, which does not verify (40105). Standard base64 has one encoding per
            // signature, so no change keeps it.
            SignedField("web3mq_user_signature", .text(.base64), codes: [40103, 40105])
        ]

    /// `POST /api/user_register_v2/` of a new user.
    static let registration: [SignedField] = [
        // Malformed (40003), or another userid, which the Nonce line does not hash (40102).
        SignedField("userid", .text(.plain), codes: [40003, 40102]),
        SignedField("did_type", .text(.plain), codes: [40005]),
        // Not an address (40003, a single case change breaks EIP-55), another address than
        // the signed line 2 (40101), or the same address written otherwise, which the nonce
        // hashes as sent (40102).
        SignedField("did_value", .text(.hex(prefix: "0x")), codes: [40003, 40101, 40102]),
        SignedField("did_signature", .text(.hex(prefix: "0x")), codes: [40103, 40104], sameMeaning: .hexBytes(prefix: "0x")),
        SignedField("signature_content", .text(.plain), codes: [40101, 40102, 40104]),
        // Only ed25519 (40003).
        SignedField("pubkey_type", .text(.plain), codes: [40003]),
        // Not 64 hex digits (40003), not a valid point (40301), or other text than the nonce
        // hashed, even the same key in another case (40102).
        SignedField("pubkey_value", .text(.hex(prefix: "")), codes: [40003, 40301, 40102]),
        SignedField("timestamp", .integer, codes: [40102, 40106]),
    ]

    /// `POST /api/user_login_v2/` of a registered user binding a new session key. Its
    /// signature covers `signature_content`, the digest of userid, pubkey_value, the expiry
    /// and timestamp; did_type, did_value and main_pubkey are not signed but must name the
    /// user's did and main key.
    static let login: [SignedField] = [
        // Malformed (40003) or unknown (40401).
        SignedField("userid", .text(.plain), codes: [40003, 40401]),
        SignedField("did_type", .text(.plain), codes: [40005]),
        // Not an address (40003), or another one, which does not own the userid (40303);
        // the same address in another accepted case is the same did.
        SignedField("did_value", .text(.hex(prefix: "0x")), codes: [40003, 40303], sameMeaning: .address(prefix: "")),
        // Not 64 hex digits (40003), or other bytes than the user's main key (40302); the
        // key is compared as bytes.
        SignedField("main_pubkey", .text(.hex(prefix: "")), codes: [40003, 40302], sameMeaning: .hexBytes(prefix: "")),
        SignedField("pubkey_type", .text(.plain), codes: [40003]),
        // Not 64 hex digits (40003), or other text than the digest hashed (40102).
        SignedField("pubkey_value", .text(.hex(prefix: "")), codes: [40003, 40102]),
        SignedField("timestamp", .integer, codes: [40102, 40106]),
        // Ten minutes either way of an hour ahead is still a valid expiry, so only the
        // digest fails (40102); text edits may also make it past or beyond the cap (40003).
        SignedField("pubkey_expired_timestamp", .integer, codes: [40102]),
        // Not 56 characters (40003), not the digest (40102), or the digest in another case,
        // which matches as bytes but is not the text login_signature signed (40105).
        SignedField("signature_content", .text(.hex(prefix: "")), codes: [40003, 40102, 40105]),
        SignedField("login_signature", .text(.base64), codes: [40103, 40105]),
    ]
}
