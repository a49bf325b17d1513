#!/usr/bin/env python3
"""Generate end-to-end HTTP request vectors with eth-account and PyNaCl.

Writes Tests/SignedFollowTests/Vectors/requests_eth_account.json.

The file is an ordered sequence of register / login / follow requests that a
correct server (PROTOCOL.md sections 2 to 6) must answer in order, starting from
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
import base64
import hashlib
import json
import os
from datetime import datetime, timezone
from importlib.metadata import version

from eth_account import Account
from eth_account.messages import encode_defunct
from eth_utils import is_checksum_address, to_checksum_address
from nacl.exceptions import BadSignatureError
from nacl.signing import SigningKey, VerifyKey

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
OUT = os.path.join(ROOT, "Tests", "SignedFollowTests", "Vectors", "requests_eth_account.json")

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

START_MS = 1700000000000
STEP_MS = 1000
WINDOW_MS = 5 * 60 * 1000
SESSION_LIFETIME_MS = 86_400_000
REGISTER_URI = "https://dapp.example"

ROUTE_REGISTER = "/api/user_register_v2/"
ROUTE_LOGIN = "/api/user_login_v2/"
ROUTE_FOLLOW = "/api/following/"

# Section 5 known answer, used to check the JS SDK layout builder.
KA_USERID = "user:8d8f2c1f2c6b4b0b0a6e5cb0c8f0e0b1d2c3a4b5c6d7e8f90a1b2c3d"
KA_TARGET = "user:1111111111111111111111111111111111111111111111111111111"
KA_TIMESTAMP = 1689150327546
KA_SIGNATURE = (
    "0xc9fbd3959551bec133714acc04af6ae360963063a10370ad43b1077acece8b33"
    "2316b7706273b0226dd3f0d76820f719bee1967b7fe161f2deb3eee864f209821c"
)


# --------------------------------------------------------------------------- helpers

def sha3_224_hex(text: str) -> str:
    return hashlib.sha3_224(text.encode("utf-8")).hexdigest()


def ed25519_key(label: str) -> SigningKey:
    return SigningKey(hashlib.sha3_256(label.encode("ascii")).digest())


def pub_hex(sk: SigningKey) -> str:
    return bytes(sk.verify_key).hex()


def dumps_body(obj) -> str:
    return json.dumps(obj, separators=(",", ":"), ensure_ascii=False)


def utc(ts_ms: int) -> datetime:
    return datetime.fromtimestamp(ts_ms // 1000, tz=timezone.utc)


def date_ymd(ts_ms: int) -> str:  # JS SDK: YYYY/MM/DD HH:mm
    return utc(ts_ms).strftime("%Y/%m/%d %H:%M")


def date_dmy(ts_ms: int) -> str:  # mobile SDKs / docs: DD/MM/YYYY HH:mm
    return utc(ts_ms).strftime("%d/%m/%Y %H:%M")


def date_dmy12(ts_ms: int) -> str:  # DD/MM/YYYY hh:mm (12-hour clock, no AM/PM)
    return utc(ts_ms).strftime("%d/%m/%Y %I:%M")


class Identity:
    def __init__(self, i: int):
        self.index = i
        self.wallet_key = WALLET_KEYS[i]
        self.address = Account.from_key(bytes.fromhex(self.wallet_key)).address
        assert self.address == WALLET_ADDRESSES[i], (i, self.address)
        assert self.address == to_checksum_address(self.address.lower())
        self.lower = self.address.lower()
        self.userid = "user:" + hashlib.sha3_224(self.lower.encode("ascii")).hexdigest()
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

def follow_lines(word: str, address: str, nonce: str, issued: str, blanks: bool):
    if blanks:
        return [f"Web3MQ wants you to sign in with your {word} account:", address, "",
                "For follow signature", "", f"Nonce: {nonce}", f"Issued At: {issued}"]
    return [f"Web3MQ wants you to sign in with your {word} account:", address,
            "For follow signature", f"Nonce: {nonce}", f"Issued At: {issued}"]


# layout -> (description, builder(identity, nonce, timestamp) -> (sign_content, address as written))
def layout_a(ident, nonce, ts):
    lines = follow_lines("eth", ident.lower, nonce, date_ymd(ts), blanks=True)
    return "\n    " + "\n    ".join(lines), ident.lower


def layout_b(ident, nonce, ts):
    lines = follow_lines("Ethereum", ident.lower, nonce, date_dmy(ts), blanks=False)
    return "\n".join(lines), ident.lower


def layout_c(ident, nonce, ts):
    lines = follow_lines("MetaMask", ident.lower, nonce, date_dmy12(ts), blanks=True)
    return "\r\n".join(lines), ident.lower


def layout_d(ident, nonce, ts):
    lines = follow_lines("eth", ident.address, nonce, date_ymd(ts), blanks=True)
    return "\n".join(lines), ident.address


LAYOUTS = {"a": layout_a, "b": layout_b, "c": layout_c, "d": layout_d}
LAYOUT_DOC = {
    "a": "JS SDK: leading newline, 4-space indent, blank lines of 4 spaces, wallet word eth, lowercase address, YYYY/MM/DD HH:mm",
    "b": "unindented, LF, no blank lines, wallet word Ethereum, lowercase address, DD/MM/YYYY HH:mm",
    "c": "unindented, CRLF, empty blank lines, wallet word MetaMask, lowercase address, DD/MM/YYYY hh:mm (12-hour)",
    "d": "unindented, LF, empty blank lines, wallet word eth, EIP-55 checksummed address, YYYY/MM/DD HH:mm",
}


def section5_lines(text: str):
    """The section 5 rule: split on LF, trim spaces, tabs and CR, drop empty lines."""
    return [ln.strip(" \t\r") for ln in text.split("\n") if ln.strip(" \t\r")]


# ---------------------------------------------------------------- vector builders

class Generator:
    def __init__(self):
        self.ids = [Identity(i) for i in range(3)]
        self.vectors = []
        self.next_slot = START_MS

    def slot(self) -> int:
        t = self.next_slot
        self.next_slot += STEP_MS
        return t

    def add(self, name, route, now_ms, headers, body_obj, expect_code, expect_following, checks):
        body = dumps_body(body_obj)
        assert json.loads(body) == body_obj and list(json.loads(body)) == list(body_obj)
        v = {
            "name": name,
            "route": route,
            "now_ms": now_ms,
            "headers": headers,
            "body": body,
            "expect_code": expect_code,
            "expect_following": expect_following,
        }
        self.vectors.append((v, checks))
        return v

    # -- register
    def register(self, name, ident, did_value, expect_code, userid=None, main=None):
        ts = self.slot()
        userid = userid or ident.userid
        main = main or ident.main
        pk = pub_hex(main)
        nonce = sha3_224_hex(userid + "ed25519" + pk + "eth" + did_value + str(ts))
        content = "\n".join([
            "Web3MQ wants you to sign in with your Ethereum account:",
            did_value,
            "For Web3MQ register",
            f"URI: {REGISTER_URI}",
            "Version: 1",
            "",
            f"Nonce: {nonce}",
            f"Issued At: {date_dmy(ts)}",
        ])
        body = {
            "userid": userid,
            "did_type": "eth",
            "did_value": did_value,
            "did_signature": eth_sign(ident.wallet_key, content, "v27"),
            "signature_content": content,
            "pubkey_type": "ed25519",
            "pubkey_value": pk,
            "timestamp": ts,
        }
        checks = {"kind": "register", "signer": ident.address, "did": did_value, "main": pk}
        return self.add(name, ROUTE_REGISTER, ts, {}, body, expect_code, None, checks)

    # -- login
    def login(self, name, ident, expect_code):
        ts = self.slot()
        session_pk = pub_hex(ident.session)
        expiry = ts + SESSION_LIFETIME_MS
        content = sha3_224_hex(ident.userid + session_pk + str(expiry) + str(ts))
        sig = ident.main.sign(content.encode("utf-8")).signature
        body = {
            "userid": ident.userid,
            "did_type": "eth",
            "did_value": ident.lower,
            "main_pubkey": pub_hex(ident.main),
            "pubkey_type": "ed25519",
            "pubkey_value": session_pk,
            "timestamp": ts,
            "pubkey_expired_timestamp": expiry,
            "signature_content": content,
            "login_signature": base64.b64encode(sig).decode("ascii"),
        }
        checks = {"kind": "login", "session": session_pk, "expiry": expiry}
        return self.add(name, ROUTE_LOGIN, ts, {}, body, expect_code, None, checks)

    # -- follow / cancel
    def follow(self, name, src, dst, action, layout, form, key, expect_code, expect_following,
               ts=None, nonce_ts=None, signer=None):
        now = self.slot()
        ts = now if ts is None else ts
        nonce = sha3_224_hex(src.userid + action + dst.userid + str(ts if nonce_ts is None else nonce_ts))
        content, written = LAYOUTS[layout](src, nonce, ts)
        signer = signer or src
        body = {
            "userid": src.userid,
            "target_userid": dst.userid,
            "action": action,
            "timestamp": ts,
            "did_type": "eth",
            "did_signature": eth_sign(signer.wallet_key, content, form),
            "sign_content": content,
        }
        headers = {"web3mq-request-pubkey": pub_hex(key), "didkey": "eth:" + written}
        checks = {"kind": "follow", "src": src, "layout": layout, "form": form, "signer": signer.address,
                  "nonce_ok": nonce_ts is None}
        return self.add(name, ROUTE_FOLLOW, now, headers, body, expect_code, expect_following, checks)

    def replay(self, name, original, delay_ms, expect_code, expect_following):
        src_checks = self.vectors[-1][1] if self.vectors[-1][0] is original else None
        assert src_checks is not None, "replay must directly follow its original"
        body_obj = json.loads(original["body"])
        v = self.add(name, original["route"], body_obj["timestamp"] + delay_ms, dict(original["headers"]),
                     body_obj, expect_code, expect_following, dict(src_checks))
        assert v["body"] == original["body"] and v["headers"] == original["headers"]
        return v


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
    prev_now = None
    names = set()
    forms, layouts = set(), set()
    for v, checks in g.vectors:
        assert v["name"] not in names, v["name"]
        names.add(v["name"])
        assert prev_now is None or v["now_ms"] >= prev_now, v["name"]
        prev_now = v["now_ms"]
        body = json.loads(v["body"])
        assert dumps_body(body) == v["body"]
        now = v["now_ms"]
        code = 0
        following = None

        if checks["kind"] == "register":
            assert v["headers"] == {}
            content = body["signature_content"]
            lines = section5_lines(content)
            nonce = sha3_224_hex(body["userid"] + body["pubkey_type"] + body["pubkey_value"]
                                 + body["did_type"] + body["did_value"] + str(body["timestamp"]))
            assert lines[:5] == ["Web3MQ wants you to sign in with your Ethereum account:", body["did_value"],
                                 "For Web3MQ register", f"URI: {REGISTER_URI}", "Version: 1"]
            assert lines[5] == f"Nonce: {nonce}" and lines[6].startswith("Issued At: ") and len(lines) == 7
            got, form = recover(content, body["did_signature"])
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
            assert v["headers"] == {}
            expect = sha3_224_hex(body["userid"] + body["pubkey_value"]
                                  + str(body["pubkey_expired_timestamp"]) + str(body["timestamp"]))
            assert body["signature_content"] == expect
            sig = base64.b64decode(body["login_signature"], validate=True)
            assert len(sig) == 64 and base64.b64encode(sig).decode() == body["login_signature"]
            try:
                VerifyKey(bytes.fromhex(body["main_pubkey"])).verify(body["signature_content"].encode("utf-8"), sig)
            except BadSignatureError:
                raise AssertionError(f"login signature does not verify: {v['name']}")
            u = users[body["userid"]]
            assert u["addr"] == body["did_value"] and u["main"] == body["main_pubkey"]
            assert now < body["pubkey_expired_timestamp"] <= body["timestamp"] + 30 * 86_400_000
            u["sessions"][body["pubkey_value"]] = body["pubkey_expired_timestamp"]

        else:
            src = checks["src"]
            content = body["sign_content"]
            didkey = v["headers"]["didkey"]
            assert didkey.startswith("eth:")
            written = didkey[4:]
            assert written.lower() == src.lower
            assert written == written.lower() or is_checksum_address(written)
            lines = section5_lines(content)
            assert len(lines) == 5, (v["name"], lines)
            word = lines[0][len("Web3MQ wants you to sign in with your "):-len(" account:")]
            assert lines[0] == f"Web3MQ wants you to sign in with your {word} account:" and word in ("eth", "Ethereum", "MetaMask")
            assert lines[1] == written and lines[2] == "For follow signature"
            assert lines[4].startswith("Issued At: ")
            issued = lines[4][len("Issued At: "):]
            fmt = "%Y/%m/%d %H:%M" if issued[4] == "/" else "%d/%m/%Y %H:%M"
            issued_dt = datetime.strptime(issued, fmt).replace(tzinfo=timezone.utc)
            assert abs(issued_dt.timestamp() * 1000 - body["timestamp"]) <= 26 * 3600 * 1000
            nonce = sha3_224_hex(body["userid"] + body["action"] + body["target_userid"] + str(body["timestamp"]))
            nonce_ok = lines[3] == f"Nonce: {nonce}"
            assert nonce_ok == checks["nonce_ok"], v["name"]
            got, form = recover(content, body["did_signature"])
            assert got == checks["signer"], v["name"]
            assert form == checks["form"], v["name"]
            forms.add(form)
            layouts.add(checks["layout"])
            if checks["layout"] == "a":
                assert content.startswith("\n    ") and "\n    \n" in content and not content.endswith("\n")
            if checks["layout"] == "c":
                assert "\r\n" in content and "\n" not in content.replace("\r\n", "")
            sig_ok = got == to_checksum_address(src.lower)
            key = v["headers"]["web3mq-request-pubkey"]
            VerifyKey(bytes.fromhex(key))
            u = users.get(body["userid"])
            key_ok = u is not None and (key == u["main"] or u["sessions"].get(key, 0) > now)
            pair = pairs.setdefault((body["userid"], body["target_userid"]), {"ts": None, "following": False, "nonces": set()})
            action = "cancel" if body["action"] in ("cancel", "unfollow") else "follow"
            if abs(body["timestamp"] - now) > WINDOW_MS:
                code = 40106
            elif not nonce_ok:
                code = 40102
            elif not sig_ok:
                code = 40104
            elif u is None:
                code = 40401
            elif dids.get(src.lower) != body["userid"]:
                code = 40303
            elif not key_ok:
                code = 40302
            elif body["target_userid"] not in users:
                code = 40402
            elif body["target_userid"] == body["userid"]:
                code = 40007
            elif nonce in pair["nonces"]:
                following = pair["following"]  # already applied
            elif pair["ts"] is not None and (body["timestamp"] < pair["ts"]
                                             or (body["timestamp"] == pair["ts"] and action == "follow"
                                                 and not pair["following"])):
                code = 40901
            else:
                pair["ts"] = body["timestamp"]
                pair["following"] = action == "follow"
                pair["nonces"].add(nonce)
                following = pair["following"]
            assert body["userid"] in ids_by_userid

        assert code == v["expect_code"], (v["name"], code, v["expect_code"])
        assert following == v["expect_following"], (v["name"], following, v["expect_following"])

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
    nonce = sha3_224_hex(KA_USERID + "follow" + KA_TARGET + str(KA_TIMESTAMP))
    assert nonce == "274f27e951dd86ca93ea3befaa796214d257c69a9ff96f3dd319975e", nonce
    lines = follow_lines("eth", a.lower, nonce, "2023/07/12 16:25", blanks=True)
    text = "\n    " + "\n    ".join(lines)
    assert eth_sign(a.wallet_key, text, "v27") == KA_SIGNATURE


def main():
    check_wallet_keys()
    check_known_answer()
    g = Generator()
    build(g)
    pairs = validate(g)
    vectors = [v for v, _ in g.vectors]
    A, B, C = g.ids
    doc = {
        "source": f"eth-account {version('eth-account')}, PyNaCl {version('PyNaCl')}",
        "generator": "scripts/vectors/gen_request_vectors.py",
        "description": (
            "Ordered requests against an empty database; before each request set the server clock to now_ms, "
            "send body (exact bytes, UTF-8) with the given headers (an empty object means none), and expect "
            "code expect_code and, when expect_following is not null, data.following == expect_following. "
            "Default configuration: 5-minute timestamp window, no allowed-origins list, "
            "web3mq_user_signature optional."
        ),
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
        "final_following": sorted(
            [n1 + "->" + n2 for (s, t), p in pairs.items() if p["following"]
             for n1, i1 in zip("ABC", g.ids) if i1.userid == s
             for n2, i2 in zip("ABC", g.ids) if i2.userid == t]
        ),
        "vectors": vectors,
    }
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w", encoding="utf-8") as f:
        json.dump(doc, f, indent=1, ensure_ascii=False)
        f.write("\n")
    counts = {}
    for v in vectors:
        counts[v["expect_code"]] = counts.get(v["expect_code"], 0) + 1
    print(f"wrote {len(vectors)} vectors to {os.path.relpath(OUT, ROOT)}; codes {dict(sorted(counts.items()))}")
    print(f"final following edges: {doc['final_following']}")


if __name__ == "__main__":
    main()
