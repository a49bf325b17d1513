#!/usr/bin/env python3
"""Generate end-to-end HTTP request vectors with eth-account and PyNaCl.

Writes Tests/SignedFollowTests/Vectors/requests_eth_account.json.

The file is an ordered sequence of register / login / follow requests that a
correct server (docs/protocol.md sections 2 to 6) must answer in order, starting from
an empty database, with its clock set to each vector's `now_ms` before the
request is sent. Each vector gives the route, the two signed headers (empty for
register and login), the exact body text (signatures cover `sign_content` /
`signature_content` inside it), the expected `code` and, for applied follows and
cancels, the expected `data.following`.

Fully deterministic: wallet keys are Hardhat keys 0, 1, 2; ed25519 keys are
PyNaCl SigningKey(sha3_256(b"main key " + i)) and (b"session key " + i);
timestamps start at 1700000000000 and advance 1000 ms per new request. Every
did_signature is checked here with Account.recover_message (decoding the form as
written in the body), every login signature with PyNaCl, every sign_content is
re-parsed with the section 5 rule, and the expected codes are cross-checked
against a small model of the section 2 to 4 state rules.
"""
import json
import os
from importlib.metadata import version

from eth_account import Account
from eth_account.messages import encode_defunct
from eth_utils import is_checksum_address, to_checksum_address
from nacl.signing import VerifyKey

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
    follow_lines,
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
    sha3_224_hex,
    write_doc,
)

OUT = os.path.join(VECTORS_DIR, "requests_eth_account.json")

SECP256K1_N = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141

# Hardhat/Anvil default keys 0, 1, 2 (mnemonic below, path m/44'/60'/0'/0/i);
# checked against the mnemonic and the well-known addresses at start-up.
MNEMONIC = "test test test test test test test test test test test junk"
WALLET_KEYS = [
    "ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80",
    "59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d",
    "5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a",
]
WALLET_ADDRESSES = [
    "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266",
    "0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
    "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC",
]

# Section 5 known answer, used to check the JS SDK layout builder.
KA_USERID = "user:8d8f2c1f2c6b4b0b0a6e5cb0c8f0e0b1d2c3a4b5c6d7e8f90a1b2c3d"
KA_TARGET = "user:1111111111111111111111111111111111111111111111111111111"
KA_TIMESTAMP = 1689150327546
KA_SIGNATURE = (
    "0xc9fbd3959551bec133714acc04af6ae360963063a10370ad43b1077acece8b33"
    "2316b7706273b0226dd3f0d76820f719bee1967b7fe161f2deb3eee864f209821c"
)


class Identity:
    def __init__(self, i: int):
        self.index = i
        self.wallet_key = WALLET_KEYS[i]
        self.address = Account.from_key(bytes.fromhex(self.wallet_key)).address
        assert self.address == WALLET_ADDRESSES[i], (i, self.address)
        assert self.address == to_checksum_address(self.address.lower())
        self.lower = self.address.lower()
        self.userid = "user:" + sha3_224_hex(self.lower)
        self.main = ed25519_key(f"main key {i}")
        self.session = ed25519_key(f"session key {i}")


# ------------------------------------------------------------- eth signatures

def eth_sign(wallet_key: str, text: str, form: str) -> str:
    """personal_sign of the UTF-8 text, written in one of three forms."""
    signed = Account.sign_message(encode_defunct(text=text), private_key=bytes.fromhex(wallet_key))
    sig = bytes(signed.signature)
    assert len(sig) == 65 and sig[64] in (27, 28)
    r, s, v = sig[:32], int.from_bytes(sig[32:64], "big"), sig[64]
    assert s <= SECP256K1_N // 2  # eth-account gives low-s
    if form == "v27":
        out = sig
    elif form == "v01":
        out = sig[:64] + bytes([v - 27])
    elif form == "compact":
        out = r + (s | ((v - 27) << 255)).to_bytes(32, "big")
    else:
        raise ValueError(form)
    return "0x" + out.hex()


def decode_eth_signature(sig_hex: str):
    """Decodes any of the three forms (as a server would) into r||s||v27, and the form name."""
    assert sig_hex.startswith("0x")
    raw = bytes.fromhex(sig_hex[2:])
    if len(raw) == 65:
        v = raw[64]
        assert v in (0, 1, 27, 28), v
        form = "v27" if v >= 27 else "v01"
        r, s, parity = raw[:32], int.from_bytes(raw[32:64], "big"), v % 27 if v >= 27 else v
    elif len(raw) == 64:
        form = "compact"
        vs = int.from_bytes(raw[32:], "big")
        r, s, parity = raw[:32], vs & ((1 << 255) - 1), vs >> 255
    else:
        raise AssertionError(f"bad signature length {len(raw)}")
    ri = int.from_bytes(r, "big")
    assert 1 <= ri < SECP256K1_N and 1 <= s <= SECP256K1_N // 2, "r/s out of range or high s"
    return r + s.to_bytes(32, "big") + bytes([27 + parity]), form


def recover(text: str, sig_hex: str):
    standard, form = decode_eth_signature(sig_hex)
    return Account.recover_message(encode_defunct(text=text), signature=standard), form


# ----------------------------------------------------------- sign_content layouts

# Wallet word of each layout (request_common.LAYOUTS); layout d writes the EIP-55
# address, the others the lowercase one.
WORDS = {"a": "eth", "b": "Ethereum", "c": "MetaMask", "d": "eth"}
LAYOUT_DOC = layout_doc(WORDS, "lowercase address", "EIP-55 checksummed address")


# ---------------------------------------------------------------- vector builders

class Generator(VectorList):
    def __init__(self):
        super().__init__()
        self.ids = [Identity(i) for i in range(3)]

    # -- register
    def register(self, name, ident, did_value, expect_code, userid=None, main=None):
        ts = self.slot()
        userid = userid or ident.userid
        main = main or ident.main
        pk = pub_hex(main)
        nonce = register_nonce(userid, "ed25519", pk, "eth", did_value, ts)
        content = join_lines(register_lines("Ethereum", did_value, nonce, date_dmy(ts)), "lf")
        body = register_body(userid, "eth", did_value, eth_sign(ident.wallet_key, content, "v27"), content, pk, ts)
        checks = {"kind": "register", "signer": ident.address, "did": did_value, "main": pk}
        return self.add(name, ROUTE_REGISTER, ts, {}, body, expect_code, None, checks)

    # -- login
    def login(self, name, ident, expect_code):
        ts = self.slot()
        body = login_body(ident, ts, "eth", ident.lower)
        checks = {"kind": "login", "session": body["pubkey_value"], "expiry": body["pubkey_expired_timestamp"]}
        return self.add(name, ROUTE_LOGIN, ts, {}, body, expect_code, None, checks)

    # -- follow / cancel
    def follow(self, name, src, dst, action, layout, form, key, expect_code, expect_following,
               ts=None, nonce_ts=None, signer=None):
        now = self.slot()
        ts = now if ts is None else ts
        nonce = follow_nonce(src.userid, action, dst.userid, ts if nonce_ts is None else nonce_ts)
        written = src.address if layout == "d" else src.lower
        content = follow_text(layout, WORDS[layout], written, nonce, ts)
        signer = signer or src
        body = follow_body(src, dst, action, ts, "eth", eth_sign(signer.wallet_key, content, form), content)
        headers = follow_headers(key, "eth", written)
        checks = {"kind": "follow", "src": src, "layout": layout, "form": form, "signer": signer.address,
                  "nonce_ok": nonce_ts is None}
        return self.add(name, ROUTE_FOLLOW, now, headers, body, expect_code, expect_following, checks)


def build(g: Generator):
    A, B, C = g.ids
    unbound = ed25519_key("unbound key 0")
    other_main = ed25519_key("main key other")

    g.register("register-A", A, A.lower, 0)
    g.register("register-B-checksummed-did", B, B.address, 0)
    g.register("register-C", C, C.lower, 0)
    g.login("login-A-session-key", A, 0)

    g.follow("A-follows-B/main-key/layout-a/v27", A, B, "follow", "a", "v27", A.main, 0, True)
    ac = g.follow("A-follows-C/session-key/layout-b/v01", A, C, "follow", "b", "v01", A.session, 0, True)
    g.replay("A-follows-C/exact-replay-already-applied", ac, 500, 0, True)
    cancel_ab = g.follow("A-cancels-B/session-key/layout-c/compact", A, B, "cancel", "c", "compact", A.session, 0, False)
    g.follow("B-follows-A/main-key/layout-d/v27", B, A, "follow", "d", "v27", B.main, 0, True)
    g.follow("B-unfollows-A/main-key/layout-a/v01", B, A, "unfollow", "a", "v01", B.main, 0, False)

    cancel_ts = json.loads(cancel_ab["body"])["timestamp"]
    g.follow("A-follows-B/older-than-cancel/stale", A, B, "follow", "b", "v27", A.main, 40901, None,
             ts=cancel_ts - 1)
    g.follow("C-follows-A/signed-by-wallet-B", C, A, "follow", "b", "v27", C.main, 40104, None, signer=B)
    g.follow("A-follows-B/nonce-from-other-timestamp", A, B, "follow", "a", "v27", A.main, 40102, None,
             nonce_ts=g.next_slot + 1)
    g.follow("A-follows-B/unbound-request-key", A, B, "follow", "b", "v27", unbound, 40302, None)
    g.register("register-B-did-lowercase-as-user-other", B, B.lower, 40902, userid="user:other", main=other_main)
    g.follow("C-follows-B/timestamp-10-minutes-old", C, B, "follow", "a", "v27", C.main, 40106, None,
             ts=g.next_slot - 10 * 60 * 1000)

    g.follow("C-follows-A/main-key/layout-a/compact", C, A, "follow", "a", "compact", C.main, 0, True)
    g.follow("C-follows-B/main-key/layout-d/v01", C, B, "follow", "d", "v01", C.main, 0, True)
    g.follow("B-follows-C/main-key/layout-c/v27", B, C, "follow", "c", "v27", B.main, 0, True)
    g.follow("A-follows-B-again/session-key/layout-d/compact", A, B, "follow", "d", "compact", A.session, 0, True)
    g.follow("B-follows-A-again/main-key/layout-b/compact", B, A, "follow", "b", "compact", B.main, 0, True)
    g.follow("A-follows-C-already-followed/session-key/layout-c/v01", A, C, "follow", "c", "v01", A.session, 0, True)


# ------------------------------------------------------------------- validation

def validate(g: Generator):
    ids_by_userid = {i.userid: i for i in g.ids}
    # A tiny model of the state rules (sections 2 to 4) to cross-check expect_code.
    users = {}        # userid -> {"addr": lower, "main": hex, "sessions": {hex: expiry}}
    dids = {}         # lower address -> userid
    pairs = {}        # (userid, target) -> {"ts", "following", "nonces"}
    forms, layouts = set(), set()
    for v, checks, body in checked_vectors(g.vectors):
        now = v["now_ms"]
        code = 0
        following = None

        if checks["kind"] == "register":
            assert v["headers"] == {}
            check_register_text(body, ("Ethereum",))
            got, form = recover(body["signature_content"], body["did_signature"])
            assert form == "v27" and got == checks["signer"] == to_checksum_address(body["did_value"]), v["name"]
            VerifyKey(bytes.fromhex(body["pubkey_value"]))
            addr = body["did_value"].lower()
            uid = body["userid"]
            if abs(body["timestamp"] - now) > WINDOW_MS:
                code = 40106
            elif (addr in dids and dids[addr] != uid) or (uid in users and users[uid]["addr"] != addr):
                code = 40902
            else:
                users[uid] = {"addr": addr, "main": body["pubkey_value"], "sessions": {}}
                dids[addr] = uid

        elif checks["kind"] == "login":
            u = apply_login(v, body, users)
            assert u["addr"] == body["did_value"]

        else:
            src = checks["src"]
            content = body["sign_content"]
            didkey = v["headers"]["didkey"]
            assert didkey.startswith("eth:")
            written = didkey[4:]
            assert written.lower() == src.lower
            assert written == written.lower() or is_checksum_address(written)
            lines, _ = check_follow_text(content, checks["layout"], body["timestamp"], set(WORDS.values()))
            assert lines[1] == written, (v["name"], lines)
            nonce = follow_nonce(body["userid"], body["action"], body["target_userid"], body["timestamp"])
            nonce_ok = lines[3] == f"Nonce: {nonce}"
            assert nonce_ok == checks["nonce_ok"], v["name"]
            got, form = recover(content, body["did_signature"])
            assert got == checks["signer"], v["name"]
            assert form == checks["form"], v["name"]
            forms.add(form)
            layouts.add(checks["layout"])
            sig_ok = got == to_checksum_address(src.lower)
            code, following = follow_outcome(v, body, users, pairs, nonce_ok,
                                             did_code=lambda u: 0 if sig_ok else 40104,
                                             owns=lambda u: dids.get(src.lower) == body["userid"])
            assert body["userid"] in ids_by_userid

        check_expected(v, code, following)

    assert forms == {"v27", "v01", "compact"}, forms
    assert layouts == set(LAYOUTS), layouts
    codes = [v["expect_code"] for v, _ in g.vectors]
    for required in (40901, 40104, 40102, 40302, 40902, 40106):
        assert codes.count(required) == 1, required
    return pairs


def check_wallet_keys():
    Account.enable_unaudited_hdwallet_features()
    for i, key in enumerate(WALLET_KEYS):
        acct = Account.from_mnemonic(MNEMONIC, account_path=f"m/44'/60'/0'/0/{i}")
        assert bytes(acct.key).hex() == key and acct.address == WALLET_ADDRESSES[i], i


def check_known_answer():
    """Layout (a) rebuilds the section 5 example; Hardhat key 0 signs it to the known signature."""
    a = Identity(0)
    nonce = follow_nonce(KA_USERID, "follow", KA_TARGET, KA_TIMESTAMP)
    assert nonce == "274f27e951dd86ca93ea3befaa796214d257c69a9ff96f3dd319975e", nonce
    text = join_lines(follow_lines("eth", a.lower, nonce, "2023/07/12 16:25", blanks=True), "js")
    assert eth_sign(a.wallet_key, text, "v27") == KA_SIGNATURE


def main():
    check_wallet_keys()
    check_known_answer()
    g = Generator()
    build(g)
    pairs = validate(g)
    doc = {
        "source": f"eth-account {version('eth-account')}, PyNaCl {version('PyNaCl')}",
        "generator": "scripts/vectors/gen_request_vectors.py",
        "description": DESCRIPTION_BASE + ".",
        "layouts": LAYOUT_DOC,
        "identities": [
            {
                "name": n,
                "address": i.address,
                "userid": i.userid,
                "main_pubkey": pub_hex(i.main),
                "session_pubkey": pub_hex(i.session),
            }
            for n, i in zip("ABC", g.ids)
        ],
        "final_following": final_following(pairs, [(n, i.userid) for n, i in zip("ABC", g.ids)]),
        "vectors": [v for v, _ in g.vectors],
    }
    write_doc(OUT, doc)


if __name__ == "__main__":
    main()
