#!/usr/bin/env python3
"""Generate end-to-end HTTP request vectors for did_type "starknet" with starknet-py and PyNaCl.

Writes Tests/SignedFollowTests/Vectors/requests_starknet.json, in the format of
requests_eth_account.json (see gen_request_vectors.py), so the same replay test runs it:
an ordered sequence of register / login / follow requests that a correct server must
answer in order, from an empty database, with its clock set to each vector's now_ms.

DECISIONS (docs/protocol.md sections 2, 4, 5 and 7 leave these open; the Swift side follows them):

 D1  Signed message. message = first 31 characters of the minimal lowercase hex (no 0x,
     no leading zeros) of starknetKeccak(the exact sign_content / signature_content bytes
     received), as the Web3MQ JS SDK does
     (`hash.starknetKeccak(signContent).toString(16).substring(0, 31)`; see
     gen_starknet_vectors.py). Its felt: the decimal integer when it is digits only, else
     the ASCII short string (starknet.js getHex). Typed data: SNIP-12 revision 0, domain
     {name "Example DApp", chainId, version "0.0.1"}, type Message(message: felt); msgHash =
     h(h(h(h(h(0,'StarkNet Message'), domainHash), account), structHash), 4) with
     account = the did as a felt (from did_value at registration, from the didkey header
     for follows).
 D2  Chain ids. The server computes msgHash for chainId SN_MAIN and for SN_SEPOLIA (the
     accepted chains; the short string and its hex are the same felt). The first field of
     did_signature must equal one of them, else 40104 (this covers a signature made for
     any other chain, e.g. SN_GOERLI, and a msgHash for another text or account).
 D3  did_signature shape: exactly three comma-separated fields, each ASCII decimal digits
     only ([0-9]+, at most 78 digits; no sign, no spaces, no 0x); anything else (two or
     four fields, hex fields) is 40103. Range rules, also 40103: 1 <= r < 2^251,
     1 <= s < n (the curve order), 1 <= w = s^-1 mod n < 2^251, msgHash < 2^251. There is
     no low-s rule (wallets produce either s; (r, n - s) verifies too because the key is
     given by its x only). s + n is 40103 even though starknet-py, which reduces s mod n,
     would accept it.
 D4  The verifying key is did_pubkey when the request carries it, else the key bound at
     registration. A correct-shape signature that does not verify under that key is 40104.
 D5  did_pubkey is required at registration (missing: 40002; present but not hex: 40003),
     and registration binds it. In a follow it is optional; when present it must equal the
     bound key as a number, else 40303 (the did does not own this userid with that key),
     even when the signature verifies under it. A re-registration of the same did by the
     same userid must carry the bound key too, else 40303: with no on-chain call the
     service cannot tell a key rotation in the account contract from an impostor key, so
     the key is trusted on first registration and changing it needs an operator. A
     re-registration by another userid is 40902 (as for eth).
 D6  Numbers, not strings: did_value, the didkey value, the address line of sign_content
     and did_pubkey are hex felts (either case; 0x optional, as the general hex rule says;
     1 to 64 hex digits; addresses must be in [1, 2^251)) and are compared as numbers, so
     "0x0123ab..." and "0x123AB..." are the same account. No starknet checksum is
     required. The account's canonical form (the one a server returns) is 0x + 64
     lowercase hex digits.
 D7  Nonces use the fields as sent: the registration nonce hashes did_value exactly as
     written in the body (mixed case and unpadded if so), like the eth rule.
 D8  Wallet words for starknet: starknet, Starknet, StarkNet, Argent X, Braavos; the
     section 5 line rule (split on LF, trim spaces/tabs/CR, drop empty lines) applies to
     both the register and the follow texts, and keccak is taken over the exact bytes.
 D9  Codes otherwise as for eth: stale timestamp 40106, wrong nonce 40102, unbound request
     key 40302, replay "already applied" (code 0, state unchanged), stale order 40901.
 D10 A follow without did_pubkey by a userid that is not registered is 40401 (there is no
     key to verify with); not exercised here.

Deterministic: Stark private keys are sha256("signed-follow stark key <i>") mod (n-1) + 1,
accounts are sha3_256("signed-follow starknet account <i>") mod 2^251, ed25519 keys are
PyNaCl SigningKey(sha3_256("starknet main key <i>")) and ("starknet session key <i>"),
userid = "user:" + sha3_224(0x + 64 lowercase hex of the account). Signatures are
starknet-py message_signature(msgHash, key, seed=None) (RFC 6979 without extra entropy, as
starknet.js signs). Timestamps start at 1700000000000 and advance 1000 ms per request; the
last follow uses a timestamp found by search (python3 gen_starknet_request_vectors.py
--search) so that its 31-character message is digits only. Every did_signature is
re-verified here from the body with starknet-py and crypto-cpp-py, every sign_content is
re-parsed with the section 5 rule, every login signature is checked with PyNaCl, and every
expected code is cross-checked against a small model of the state rules.
"""
import hashlib
import json
import os
import re
import sys
from importlib.metadata import version

from Crypto.Hash import keccak as crypto_keccak
from crypto_cpp_py.cpp_bindings import cpp_verify
from nacl.signing import VerifyKey
from starknet_py.cairo.felt import encode_shortstring
from starknet_py.hash.utils import (
    _starknet_keccak,
    message_signature,
    private_to_stark_key,
    verify_message_signature,
)
from starknet_py.utils.typed_data import TypedData

# request_common.py sits next to this script (on sys.path when run as a script).
from request_common import (
    DESCRIPTION_BASE,
    LAYOUTS,
    ROUTE_FOLLOW,
    ROUTE_LOGIN,
    ROUTE_REGISTER,
    VECTORS_DIR,
    WINDOW_MS,
    VectorList,
    apply_login,
    check_expected,
    check_follow_text,
    check_register_text,
    checked_vectors,
    date_dmy,
    ed25519_key,
    final_following,
    follow_body,
    follow_headers,
    follow_nonce,
    follow_outcome,
    follow_text,
    join_lines,
    layout_doc,
    login_body,
    pub_hex,
    register_body,
    register_lines,
    register_nonce,
    section5_lines,
    sha3_224_hex,
    write_doc,
)

OUT = os.path.join(VECTORS_DIR, "requests_starknet.json")

N = 0x800000000000010FFFFFFFFFFFFFFFFB781126DCAE7B2321E66A241ADC64D2F
BOUND = 2 ** 251
MASK_250 = 2 ** 250 - 1

ACCEPTED_CHAINS = ("SN_MAIN", "SN_SEPOLIA")
WORDS = ("starknet", "Starknet", "StarkNet", "Argent X", "Braavos")

# The last follow (C follows B) uses the first timestamp >= DIGITS_SEARCH_START whose
# sign_content gives a digits-only 31-character message (see --search).
DIGITS_SEARCH_START = 1700000100000
DIGITS_TIMESTAMP = 1700000153915

# docs/protocol.md section 7 known answer (checks the typed-data builder and signer).
KA_PRIV = 0x1234567890ABCDEF1234567890ABCDEF1234567890ABCDEF1234567890ABCDE
KA_ACCOUNT = "0x0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
KA_CONTENT = (
    "\n    Web3MQ wants you to sign in with your Argent X account:\n    " + KA_ACCOUNT +
    "\n    \n    For follow signature\n    \n    Nonce: 274f27e951dd86ca93ea3befaa796214d257c69a9ff96f3dd319975e"
    "\n    Issued At: 2023/07/12 16:25"
)
KA_DID_SIGNATURE = (
    "2626088217857279948498032271170611961892743945712994775719634953576449742397,"
    "1238065889067914464780470603510716178084369892313900644299595079935490640249,"
    "1294895768084649338787367023820623437863277887467467233490772524053601922885"
)


# --------------------------------------------------------------------------- helpers

def mixed_case(hex_digits: str) -> str:
    """Alternates the case of the letters: 'abcdef12' -> 'aBcDeF12'."""
    out, upper = [], False
    for ch in hex_digits:
        if ch.isalpha():
            out.append(ch.upper() if upper else ch.lower())
            upper = not upper
        else:
            out.append(ch)
    return "".join(out)


def felt_of_hex(text: str) -> int:
    """D6: hex with optional 0x, either case, 1..64 digits."""
    digits = text[2:] if text[:2] in ("0x", "0X") else text
    assert re.fullmatch(r"[0-9a-fA-F]{1,64}", digits), text
    return int(digits, 16)


def starknet_keccak_text(text: str) -> int:
    return _starknet_keccak(text.encode("utf-8"))


def message_of(text: str) -> str:
    return format(starknet_keccak_text(text), "x")[:31]


def typed_msg_hash(content: str, chain_id: str, account: int) -> int:
    td = TypedData.from_dict({
        "types": {
            "StarkNetDomain": [
                {"name": "name", "type": "felt"},
                {"name": "chainId", "type": "felt"},
                {"name": "version", "type": "felt"},
            ],
            "Message": [{"name": "message", "type": "felt"}],
        },
        "primaryType": "Message",
        "domain": {"name": "Example DApp", "chainId": chain_id, "version": "0.0.1"},
        "message": {"message": message_of(content)},
    })
    return td.message_hash(account)


class Identity:
    def __init__(self, i: int, name: str):
        self.name = name
        self.stark_key = int.from_bytes(hashlib.sha256(f"signed-follow stark key {i}".encode()).digest(),
                                        "big") % (N - 1) + 1
        self.stark_pub = private_to_stark_key(self.stark_key)
        self.account = int.from_bytes(hashlib.sha3_256(f"signed-follow starknet account {i}".encode()).digest(),
                                      "big") % BOUND
        self.canon = "0x" + format(self.account, "064x")
        self.alt = "0x" + mixed_case(format(self.account, "x"))  # unpadded, mixed case
        assert self.alt.lower() != self.canon and felt_of_hex(self.alt) == self.account
        self.userid = "user:" + sha3_224_hex(self.canon)
        self.main = ed25519_key(f"starknet main key {i}")
        self.session = ed25519_key(f"starknet session key {i}")

    def pubkey_text(self, form: str) -> str:
        if form == "canon":
            return "0x" + format(self.stark_pub, "064x")
        if form == "short":
            return "0x" + format(self.stark_pub, "x")
        if form == "upper-no0x":
            return format(self.stark_pub, "X")
        raise ValueError(form)


def did_signature(content: str, account: int, chain_id: str, stark_key: int, tamper: str = None,
                  hash_account: int = None) -> str:
    msg_hash = typed_msg_hash(content, chain_id, account if hash_account is None else hash_account)
    r, s = message_signature(msg_hash, stark_key, seed=None)
    if tamper is None:
        return f"{msg_hash},{r},{s}"
    if tamper == "r-plus-2^251":
        return f"{msg_hash},{r + BOUND},{s}"
    if tamper == "s-plus-n":
        return f"{msg_hash},{r},{s + N}"
    if tamper == "two-fields":
        return f"{r},{s}"
    if tamper == "four-fields":
        return f"{msg_hash},{r},{s},{r}"
    if tamper == "hex-fields":
        return f"{hex(msg_hash)},{hex(r)},{hex(s)}"
    raise ValueError(tamper)


# ----------------------------------------------------------- sign_content layouts

# Wallet word of each layout (request_common.LAYOUTS); layout d writes the address in the
# other form than the didkey, the others as in the didkey.
LAYOUT_WORDS = {"a": "Argent X", "b": "Starknet", "c": "StarkNet", "d": "Braavos"}
LAYOUT_DOC = {
    **layout_doc(LAYOUT_WORDS, "address as in didkey",
                 "address written in the other form than didkey (0x+64 lowercase vs unpadded mixed case; "
                 "compared as numbers)"),
    "register": "registration texts: section 2 lines (with an empty line before Nonce) laid out JS-SDK-indented, "
                "LF or CRLF; wallet words starknet / Starknet / Argent X / Braavos; did_value as written in the body",
}

DESCRIPTION = (
    DESCRIPTION_BASE + ", accepted StarkNet chains SN_MAIN and SN_SEPOLIA. Decisions these vectors encode: "
    "(D1) message = first 31 chars of the minimal lowercase hex (no 0x, no leading zeros) of "
    "starknetKeccak(exact sign_content bytes); its felt is the decimal integer when digits only, else the "
    "ASCII short string; SNIP-12 rev 0 typed data {name 'Example DApp', chainId, version '0.0.1'}, "
    "Message(message: felt), account = the did as a felt (did_value at registration, didkey for follows). "
    "(D2) the first did_signature field must equal the msgHash computed for SN_MAIN or SN_SEPOLIA, else 40104 "
    "(a signature for SN_GOERLI, or a msgHash for another text/account). "
    "(D3) did_signature is exactly three fields of ASCII decimal digits, else 40103; 1 <= r < 2^251, "
    "1 <= s < n, 1 <= w = s^-1 mod n < 2^251, msgHash < 2^251, else 40103 (s + n is 40103 although "
    "starknet-py accepts it); no low-s rule. (D4) the verifying key is did_pubkey when present, else the bound "
    "key; failure 40104. (D5) did_pubkey is required at registration (40002) and bound; a follow's did_pubkey, "
    "when present, must equal the bound key as a number, else 40303 even if the signature verifies under it; "
    "a re-registration of the same did by the same userid with another did_pubkey is 40303 (key trusted on "
    "first use, no on-chain check), by another userid 40902. (D6) did_value, didkey value, the sign_content "
    "address line and did_pubkey are hex felts (either case, 0x optional, 1-64 digits) compared as numbers; "
    "no starknet checksum. (D7) nonces use fields exactly as sent (the registration nonce hashes did_value as "
    "written). (D8) starknet wallet words: starknet, Starknet, StarkNet, Argent X, Braavos. (D9) other codes as "
    "for eth: 40106 stale timestamp, 40102 wrong nonce, 40302 unbound request key, exact replay code 0 "
    "'already applied', older request 40901. Vector names ending in '[keccak 62 hex]' have a starknetKeccak "
    "with a leading zero nibble (the 31 chars start one digit later than in the zero-padded form); "
    "the last follow has a digits-only message."
)


# ---------------------------------------------------------------- vector builders

class Generator(VectorList):
    def __init__(self):
        super().__init__()
        self.ids = [Identity(i, n) for i, n in enumerate("ABC")]
        self.outsider = Identity(3, "D")  # never registered; its Stark key is "another key"

    def add(self, name, route, now_ms, headers, body_obj, expect_code, expect_following, checks):
        content = body_obj.get("sign_content") or (body_obj.get("signature_content")
                                                   if route == ROUTE_REGISTER else None)
        if content is not None and len(format(starknet_keccak_text(content), "x")) < 63:
            name += f" [keccak {len(format(starknet_keccak_text(content), 'x'))} hex]"
        return super().add(name, route, now_ms, headers, body_obj, expect_code, expect_following, checks)

    def register(self, name, ident, expect_code, did_form="canon", pubkey_form="canon", layout="lf",
                 word="starknet", chain="SN_MAIN", userid=None, signer=None, omit_pubkey=False):
        ts = self.slot()
        userid = userid or ident.userid
        signer = signer or ident
        did_value = ident.canon if did_form == "canon" else ident.alt
        pk = pub_hex(ident.main)
        nonce = register_nonce(userid, "ed25519", pk, "starknet", did_value, ts)
        content = join_lines(register_lines(word, did_value, nonce, date_dmy(ts)), layout)  # js, crlf or lf
        sig = did_signature(content, ident.account, chain, signer.stark_key)
        body = register_body(userid, "starknet", did_value, sig, content, pk, ts)
        if not omit_pubkey:
            body["did_pubkey"] = signer.pubkey_text(pubkey_form)
        checks = {"kind": "register", "signer_pub": signer.stark_pub, "chain": chain}
        return self.add(name, ROUTE_REGISTER, ts, {}, body, expect_code, None, checks)

    def login(self, name, ident, expect_code, did_form="canon"):
        ts = self.slot()
        body = login_body(ident, ts, "starknet", ident.canon if did_form == "canon" else ident.alt)
        return self.add(name, ROUTE_LOGIN, ts, {}, body, expect_code, None, {"kind": "login"})

    def follow(self, name, src, dst, action, layout, key, expect_code, expect_following, chain="SN_MAIN",
               pubkey=None, did_form="canon", ts=None, now=None, nonce_ts=None, signer=None, tamper=None,
               hash_account=None):
        now = self.slot() if now is None else now
        ts = now if ts is None else ts
        nonce = follow_nonce(src.userid, action, dst.userid, ts if nonce_ts is None else nonce_ts)
        written = src.canon if did_form == "canon" else src.alt
        other = src.alt if did_form == "canon" else src.canon
        content = follow_text(layout, LAYOUT_WORDS[layout], other if layout == "d" else written, nonce, ts)
        signer = signer or src
        sig = did_signature(content, src.account, chain, signer.stark_key, tamper, hash_account)
        body = follow_body(src, dst, action, ts, "starknet", sig, content)
        if pubkey is not None:
            who, form = pubkey
            body["did_pubkey"] = who.pubkey_text(form)
        headers = follow_headers(key, "starknet", written)
        checks = {"kind": "follow", "layout": layout, "signer_pub": signer.stark_pub, "chain": chain,
                  "nonce_ok": nonce_ts is None, "tamper": tamper, "pubkey": pubkey is not None}
        return self.add(name, ROUTE_FOLLOW, now, headers, body, expect_code, expect_following, checks)


def digits_follow_content(g: Generator, ts: int) -> str:
    _, B, C = g.ids
    nonce = follow_nonce(C.userid, "follow", B.userid, ts)
    return follow_text("a", LAYOUT_WORDS["a"], C.canon, nonce, ts)


def build(g: Generator):
    A, B, C = g.ids
    D = g.outsider
    unbound = ed25519_key("starknet unbound key 0")

    g.register("register-A/js-layout/Argent X/SN_MAIN/did_pubkey 0x+64", A, 0, layout="js", word="Argent X")
    g.register("register-B/lf-layout/Braavos/SN_SEPOLIA/did_pubkey unpadded", B, 0, pubkey_form="short",
               word="Braavos", chain="SN_SEPOLIA")
    g.register("register-C/crlf-layout/starknet/did_value unpadded mixed case/did_pubkey uppercase without 0x",
               C, 0, did_form="alt", pubkey_form="upper-no0x", layout="crlf", word="starknet")
    g.register("register-D/without-did_pubkey", D, 40002, word="Starknet", omit_pubkey=True)
    g.login("login-A-session-key", A, 0)
    g.login("login-C-session-key/did_value 0x+64 lowercase (registered unpadded mixed case)", C, 0)

    g.follow("A-follows-B/main-key/layout-a/SN_MAIN/did_pubkey", A, B, "follow", "a", A.main, 0, True,
             pubkey=(A, "canon"))
    ac = g.follow("A-follows-C/session-key/layout-b/SN_SEPOLIA/no did_pubkey", A, C, "follow", "b", A.session,
                  0, True, chain="SN_SEPOLIA")
    g.replay("A-follows-C/exact-replay-already-applied", ac, 500, 0, True)
    cancel_ab = g.follow("A-cancels-B/session-key/layout-c/chainId 0x534e5f4d41494e/did_pubkey uppercase no 0x",
                         A, B, "cancel", "c", A.session, 0, False, chain="0x534e5f4d41494e",
                         pubkey=(A, "upper-no0x"))
    g.follow("B-follows-A/main-key/layout-d (address unpadded mixed case in text)/no did_pubkey", B, A, "follow",
             "d", B.main, 0, True)
    g.follow("B-unfollows-A/main-key/layout-a/SN_SEPOLIA/did_pubkey unpadded", B, A, "unfollow", "a", B.main, 0,
             False, chain="SN_SEPOLIA", pubkey=(B, "short"))
    g.follow("C-follows-A/main-key/layout-a/didkey unpadded mixed case/did_pubkey 0x+64", C, A, "follow", "a",
             C.main, 0, True, did_form="alt", pubkey=(C, "canon"))

    cancel_ts = json.loads(cancel_ab["body"])["timestamp"]
    g.follow("A-follows-B/older-than-cancel/stale", A, B, "follow", "b", A.main, 40901, None, ts=cancel_ts - 1)
    g.follow("C-follows-B/signed-by-another-stark-key/no did_pubkey", C, B, "follow", "b", C.main, 40104, None,
             signer=D)
    g.follow("C-follows-B/signed-by-another-stark-key/did_pubkey is the bound key", C, B, "follow", "c", C.main,
             40104, None, signer=D, pubkey=(C, "canon"))
    g.follow("C-follows-B/msgHash-for-another-account (r,s valid for it)", C, B, "follow", "b", C.main, 40104,
             None, hash_account=A.account)
    g.follow("C-follows-B/signed-for-SN_GOERLI", C, B, "follow", "a", C.main, 40104, None, chain="SN_GOERLI")
    g.follow("C-follows-B/r-plus-2^251", C, B, "follow", "b", C.main, 40103, None, tamper="r-plus-2^251")
    g.follow("C-follows-B/s-plus-n (starknet-py would accept)", C, B, "follow", "b", C.main, 40103, None,
             tamper="s-plus-n")
    g.follow("C-follows-B/did_signature-two-fields", C, B, "follow", "b", C.main, 40103, None,
             tamper="two-fields")
    g.follow("C-follows-B/did_signature-four-fields", C, B, "follow", "b", C.main, 40103, None,
             tamper="four-fields")
    g.follow("C-follows-B/did_signature-hex-fields", C, B, "follow", "b", C.main, 40103, None,
             tamper="hex-fields")
    g.follow("C-follows-B/did_pubkey-of-another-key (signature verifies under it)", C, B, "follow", "a", C.main,
             40303, None, signer=D, pubkey=(D, "canon"))
    g.follow("A-follows-B/unbound-request-key", A, B, "follow", "b", unbound, 40302, None)
    g.register("register-A-did-as-user-other", A, 40902, userid="user:other", word="StarkNet")
    g.register("register-A-again/same-userid/another-stark-key", A, 40303, signer=D, word="Argent X", layout="js")
    g.follow("C-follows-B/timestamp-10-minutes-old", C, B, "follow", "a", C.main, 40106, None,
             ts=g.next_slot - 10 * 60 * 1000)
    g.follow("A-follows-B/nonce-from-other-timestamp", A, B, "follow", "a", A.main, 40102, None,
             nonce_ts=g.next_slot + 1)

    g.follow("A-follows-B-again/session-key/layout-d/SN_SEPOLIA", A, B, "follow", "d", A.session, 0, True,
             chain="SN_SEPOLIA")
    g.follow("B-follows-C/main-key/layout-c/did_pubkey 0x+64", B, C, "follow", "c", B.main, 0, True,
             pubkey=(B, "canon"))
    g.follow("A-follows-C-already-followed/session-key/layout-a", A, C, "follow", "a", A.session, 0, True)
    assert g.next_slot <= DIGITS_SEARCH_START
    g.follow("C-follows-B/main-key/layout-a/digits-only message", C, B, "follow", "a", C.main, 0, True,
             now=DIGITS_TIMESTAMP)


# ------------------------------------------------------------------- validation

def parse_did_signature(text):
    """D3: returns (msg_hash, r, s) or None when the shape or a range rule fails."""
    parts = text.split(",")
    if len(parts) != 3 or not all(re.fullmatch(r"[0-9]{1,78}", p) for p in parts):
        return None
    m, r, s = (int(p) for p in parts)
    if not (1 <= r < BOUND and 1 <= s < N and 1 <= m < BOUND):
        return None
    if not (1 <= pow(s, -1, N) < BOUND):
        return None
    return m, r, s


def stark_verify(m, r, s, pub) -> bool:
    a = bool(verify_message_signature(m, [r, s], pub))
    b = bool(cpp_verify(m, r, pow(s, -1, N), pub))
    assert a == b
    return a


def did_check(content, account, sig_text, pub):
    """Returns 0, 40103 or 40104 as the D1-D4 rules say."""
    parsed = parse_did_signature(sig_text)
    if parsed is None:
        return 40103
    m, r, s = parsed
    if m not in [typed_msg_hash(content, c, account) for c in ACCEPTED_CHAINS]:
        return 40104
    if pub is None:
        return 40401
    return 0 if stark_verify(m, r, s, pub) else 40104


def validate(g: Generator):
    users = {}   # userid -> {"did": int, "stark": int, "main": hex, "sessions": {hex: expiry}}
    dids = {}    # did int -> userid
    pairs = {}
    layouts, words, tampers, chains = set(), set(), set(), set()
    for v, checks, body in checked_vectors(g.vectors):
        now = v["now_ms"]
        code, following = 0, None
        if "chain" in checks:
            chains.add(checks["chain"])

        if checks["kind"] == "register":
            assert v["headers"] == {} and body["did_type"] == "starknet"
            content = body["signature_content"]
            words.add(check_register_text(body, WORDS))
            did = felt_of_hex(body["did_value"])
            assert felt_of_hex(section5_lines(content)[1]) == did
            VerifyKey(bytes.fromhex(body["pubkey_value"]))
            uid = body["userid"]
            pub = felt_of_hex(body["did_pubkey"]) if "did_pubkey" in body else None
            if pub is None:
                code = 40002
            elif abs(body["timestamp"] - now) > WINDOW_MS:
                code = 40106
            elif (c := did_check(content, did, body["did_signature"], pub)) != 0:
                code = c
            elif (did in dids and dids[did] != uid) or (uid in users and users[uid]["did"] != did):
                code = 40902
            elif uid in users and users[uid]["stark"] != pub:
                code = 40303
            else:
                users[uid] = {"did": did, "stark": pub, "main": body["pubkey_value"], "sessions": {}}
                dids[did] = uid
            if pub is not None:
                assert (pub == checks["signer_pub"]) and stark_verify(*parse_did_signature(body["did_signature"]),
                                                                      pub)

        elif checks["kind"] == "login":
            u = apply_login(v, body, users)
            assert u["did"] == felt_of_hex(body["did_value"])

        else:
            didkey = v["headers"]["didkey"]
            assert didkey.startswith("starknet:") and body["did_type"] == "starknet"
            did = felt_of_hex(didkey[len("starknet:"):])
            content = body["sign_content"]
            lines, word = check_follow_text(content, checks["layout"], body["timestamp"], WORDS)
            words.add(word)
            assert felt_of_hex(lines[1]) == did
            if checks["layout"] == "d":
                assert lines[1] != didkey[len("starknet:"):]
            nonce = follow_nonce(body["userid"], body["action"], body["target_userid"], body["timestamp"])
            nonce_ok = lines[3] == f"Nonce: {nonce}"
            assert nonce_ok == checks["nonce_ok"]
            layouts.add(checks["layout"])
            tampers.add(checks["tamper"])
            given_pub = felt_of_hex(body["did_pubkey"]) if "did_pubkey" in body else None

            def did_code(u):
                verify_pub = given_pub if given_pub is not None else (u["stark"] if u else None)
                return did_check(content, did, body["did_signature"], verify_pub)

            def owns(u):
                return dids.get(did) == body["userid"] and (given_pub is None or given_pub == u["stark"])

            code, following = follow_outcome(v, body, users, pairs, nonce_ok, did_code, owns)
            # each negative fails exactly one check: the untampered pieces are right
            if checks["tamper"] is None and checks["chain"] in ("SN_MAIN", "SN_SEPOLIA", "0x534e5f4d41494e"):
                parsed = parse_did_signature(body["did_signature"])
                assert parsed is not None and stark_verify(*parsed, checks["signer_pub"])

        check_expected(v, code, following)

    assert layouts == set(LAYOUTS), layouts
    assert words == set(WORDS), words
    assert chains >= {"SN_MAIN", "SN_SEPOLIA", "0x534e5f4d41494e", "SN_GOERLI"}, chains
    assert tampers >= {None, "r-plus-2^251", "s-plus-n", "two-fields", "four-fields", "hex-fields"}
    last = json.loads(g.vectors[-1][0]["body"])
    assert message_of(last["sign_content"]).isdigit() and g.vectors[-1][0]["expect_code"] == 0
    assert any("[keccak 62 hex]" in v["name"] for v, _ in g.vectors)
    codes = [v["expect_code"] for v, _ in g.vectors]
    for required in (0, 40002, 40102, 40103, 40104, 40106, 40302, 40303, 40901, 40902):
        assert required in codes, required
    return pairs


def check_known_answer():
    """The typed-data builder and signer reproduce docs/protocol.md section 7."""
    acct = felt_of_hex(KA_ACCOUNT)
    m = typed_msg_hash(KA_CONTENT, "SN_MAIN", acct)
    r, s = message_signature(m, KA_PRIV, seed=None)
    assert f"{m},{r},{s}" == KA_DID_SIGNATURE
    assert private_to_stark_key(KA_PRIV) == 0x2A8249E10DF5670294C078C3A04F32ED60087E5EE8A3457FA29ED0C0E366BFC
    assert did_check(KA_CONTENT, acct, KA_DID_SIGNATURE, private_to_stark_key(KA_PRIV)) == 0
    assert message_of(KA_CONTENT) == "300d3ab280cf59a1f0de6cfa7a05704"
    assert encode_shortstring("SN_MAIN") == int("0x534e5f4d41494e", 16)


def search_digits(g: Generator) -> int:
    for ts in range(DIGITS_SEARCH_START, DIGITS_SEARCH_START + 50_000_000):
        data = digits_follow_content(g, ts).encode("utf-8")
        k = int.from_bytes(crypto_keccak.new(digest_bits=256, data=data).digest(), "big") & MASK_250
        if format(k, "x")[:31].isdigit():
            return ts
    raise RuntimeError("not found")


def main():
    if "--search" in sys.argv:
        print(f"digits-only message at timestamp {search_digits(Generator())}")
        return
    check_known_answer()
    g = Generator()
    assert message_of(digits_follow_content(g, DIGITS_TIMESTAMP)).isdigit(), "rerun with --search"
    build(g)
    pairs = validate(g)
    doc = {
        "source": (f"starknet-py {version('starknet-py')}, crypto-cpp-py {version('crypto-cpp-py')}, "
                   f"PyNaCl {version('PyNaCl')}"),
        "generator": "scripts/vectors/gen_starknet_request_vectors.py",
        "description": DESCRIPTION,
        "layouts": LAYOUT_DOC,
        "identities": [
            {
                "name": i.name,
                "address": i.canon,
                "address_alt": i.alt,
                "stark_public_key": i.pubkey_text("canon"),
                "userid": i.userid,
                "main_pubkey": pub_hex(i.main),
                "session_pubkey": pub_hex(i.session),
            }
            for i in g.ids
        ],
        "final_following": final_following(pairs, [(i.name, i.userid) for i in g.ids]),
        "vectors": [v for v, _ in g.vectors],
    }
    write_doc(OUT, doc)


if __name__ == "__main__":
    main()
