"""Helpers shared by the two request-vector generators.

gen_request_vectors.py (did_type "eth") and gen_starknet_request_vectors.py (did_type
"starknet") write files in one format and follow one protocol (docs/protocol.md sections 2
to 6): the same nonces, the same sign_content layouts, login, vector bookkeeping and the
state model that cross-checks every expected code. What differs per did type (the wallet
signature, how the did is written and compared, the registration rules) stays in each
generator.

Imports only the standard library and PyNaCl, which both environments
(requirements.txt and requirements-starknet.txt) pin. The generators import this module
by name: `python3 scripts/vectors/<script>.py` puts the script's directory on sys.path.
"""
import base64
import hashlib
import json
import os
from datetime import datetime, timezone

from nacl.exceptions import BadSignatureError
from nacl.signing import SigningKey, VerifyKey

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
VECTORS_DIR = os.path.join(ROOT, "Tests", "SignedFollowTests", "Vectors")

START_MS = 1700000000000
STEP_MS = 1000
WINDOW_MS = 5 * 60 * 1000
SESSION_LIFETIME_MS = 86_400_000
REGISTER_URI = "https://dapp.example"

ROUTE_REGISTER = "/api/user_register_v2/"
ROUTE_LOGIN = "/api/user_login_v2/"
ROUTE_FOLLOW = "/api/following/"

DESCRIPTION_BASE = (
    "Ordered requests against an empty database; before each request set the server clock to now_ms, "
    "send body (exact bytes, UTF-8) with the given headers (an empty object means none), and expect "
    "code expect_code and, when expect_following is not null, data.following == expect_following. "
    "Default configuration: 5-minute timestamp window, no allowed-origins list, web3mq_user_signature optional"
)

SIGN_IN_PREFIX = "Web3MQ wants you to sign in with your "
SIGN_IN_SUFFIX = " account:"


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


def register_nonce(userid: str, pubkey_type: str, pubkey: str, did_type: str, did_value: str, ts: int) -> str:
    return sha3_224_hex(userid + pubkey_type + pubkey + did_type + did_value + str(ts))


def follow_nonce(userid: str, action: str, target: str, ts: int) -> str:
    return sha3_224_hex(userid + action + target + str(ts))


def login_content(userid: str, session_pk: str, expiry: int, ts: int) -> str:
    return sha3_224_hex(userid + session_pk + str(expiry) + str(ts))


# ----------------------------------------------------------- sign_content layouts

def join_lines(lines, style: str) -> str:
    """js: leading newline and 4-space indent (JS SDK); crlf: CRLF; anything else: LF."""
    if style == "js":
        return "\n    " + "\n    ".join(lines)
    if style == "crlf":
        return "\r\n".join(lines)
    return "\n".join(lines)


def follow_lines(word: str, address: str, nonce: str, issued: str, blanks: bool):
    if blanks:
        return [f"{SIGN_IN_PREFIX}{word}{SIGN_IN_SUFFIX}", address, "",
                "For follow signature", "", f"Nonce: {nonce}", f"Issued At: {issued}"]
    return [f"{SIGN_IN_PREFIX}{word}{SIGN_IN_SUFFIX}", address,
            "For follow signature", f"Nonce: {nonce}", f"Issued At: {issued}"]


def register_lines(word: str, did_value: str, nonce: str, issued: str):
    return [f"{SIGN_IN_PREFIX}{word}{SIGN_IN_SUFFIX}", did_value, "For Web3MQ register",
            f"URI: {REGISTER_URI}", "Version: 1", "", f"Nonce: {nonce}", f"Issued At: {issued}"]


# layout -> (description, line style, blank lines, date format, date format as documented)
LAYOUTS = {
    "a": ("JS SDK: leading newline, 4-space indent, blank lines of 4 spaces", "js", True, date_ymd,
          "YYYY/MM/DD HH:mm"),
    "b": ("unindented, LF, no blank lines", "lf", False, date_dmy, "DD/MM/YYYY HH:mm"),
    "c": ("unindented, CRLF, empty blank lines", "crlf", True, date_dmy12, "DD/MM/YYYY hh:mm (12-hour)"),
    "d": ("unindented, LF, empty blank lines", "lf", True, date_ymd, "YYYY/MM/DD HH:mm"),
}


def follow_text(layout: str, word: str, address: str, nonce: str, ts: int) -> str:
    _, style, blanks, date, _ = LAYOUTS[layout]
    return join_lines(follow_lines(word, address, nonce, date(ts), blanks), style)


def layout_doc(words: dict, address: str, address_d: str) -> dict:
    """The `layouts` field: words[layout] is the wallet word, address how layouts a-c write it."""
    return {
        k: f"{desc}, wallet word {words[k]}, {address_d if k == 'd' else address}, {date_doc}"
        for k, (desc, _, _, _, date_doc) in LAYOUTS.items()
    }


def section5_lines(text: str):
    """The section 5 rule: split on LF, trim spaces, tabs and CR, drop empty lines."""
    return [ln.strip(" \t\r") for ln in text.split("\n") if ln.strip(" \t\r")]


def wallet_word(line: str, words) -> str:
    word = line[len(SIGN_IN_PREFIX):-len(SIGN_IN_SUFFIX)]
    assert line == f"{SIGN_IN_PREFIX}{word}{SIGN_IN_SUFFIX}" and word in words, line
    return word


def check_register_text(body: dict, words) -> str:
    """The registration text re-parsed with the section 5 rule; returns its wallet word."""
    lines = section5_lines(body["signature_content"])
    word = wallet_word(lines[0], words)
    nonce = register_nonce(body["userid"], body["pubkey_type"], body["pubkey_value"], body["did_type"],
                           body["did_value"], body["timestamp"])
    expect = [ln for ln in register_lines(word, body["did_value"], nonce, date_dmy(body["timestamp"])) if ln]
    assert lines == expect, lines
    return word


def check_follow_text(content: str, layout: str, ts: int, words):
    """The follow text re-parsed with the section 5 rule (the address line and the nonce
    line are left to the caller); returns its lines and wallet word."""
    lines = section5_lines(content)
    assert len(lines) == 5, lines
    word = wallet_word(lines[0], words)
    assert lines[2] == "For follow signature" and lines[4].startswith("Issued At: "), lines
    issued = lines[4][len("Issued At: "):]
    fmt = "%Y/%m/%d %H:%M" if issued[4] == "/" else "%d/%m/%Y %H:%M"
    issued_dt = datetime.strptime(issued, fmt).replace(tzinfo=timezone.utc)
    assert abs(issued_dt.timestamp() * 1000 - ts) <= 26 * 3600 * 1000
    if layout == "a":
        assert content.startswith("\n    ") and "\n    \n" in content and not content.endswith("\n")
    if layout == "c":
        assert "\r\n" in content and "\n" not in content.replace("\r\n", "")
    return lines, word


# ---------------------------------------------------------------- vector builders

def register_body(userid: str, did_type: str, did_value: str, did_signature: str, content: str, pk: str,
                  ts: int) -> dict:
    return {
        "userid": userid,
        "did_type": did_type,
        "did_value": did_value,
        "did_signature": did_signature,
        "signature_content": content,
        "pubkey_type": "ed25519",
        "pubkey_value": pk,
        "timestamp": ts,
    }


def follow_body(src, dst, action: str, ts: int, did_type: str, did_signature: str, content: str) -> dict:
    return {
        "userid": src.userid,
        "target_userid": dst.userid,
        "action": action,
        "timestamp": ts,
        "did_type": did_type,
        "did_signature": did_signature,
        "sign_content": content,
    }


def follow_headers(key: SigningKey, did_type: str, written: str) -> dict:
    return {"web3mq-request-pubkey": pub_hex(key), "didkey": f"{did_type}:{written}"}


def login_body(ident, ts: int, did_type: str, did_value: str) -> dict:
    """A login of ident.session signed by ident.main (ident has userid, main and session)."""
    session_pk = pub_hex(ident.session)
    expiry = ts + SESSION_LIFETIME_MS
    content = login_content(ident.userid, session_pk, expiry, ts)
    sig = ident.main.sign(content.encode("utf-8")).signature
    return {
        "userid": ident.userid,
        "did_type": did_type,
        "did_value": did_value,
        "main_pubkey": pub_hex(ident.main),
        "pubkey_type": "ed25519",
        "pubkey_value": session_pk,
        "timestamp": ts,
        "pubkey_expired_timestamp": expiry,
        "signature_content": content,
        "login_signature": base64.b64encode(sig).decode("ascii"),
    }


class VectorList:
    """The ordered vectors with their private checks, and the request clock."""

    def __init__(self):
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

    def replay(self, name, original, delay_ms, expect_code, expect_following):
        assert self.vectors[-1][0] is original, "replay must directly follow its original"
        body_obj = json.loads(original["body"])
        v = self.add(name, original["route"], body_obj["timestamp"] + delay_ms, dict(original["headers"]),
                     body_obj, expect_code, expect_following, dict(self.vectors[-1][1]))
        assert v["body"] == original["body"] and v["headers"] == original["headers"]
        return v


# ------------------------------------------------------------------- state model

def checked_vectors(vectors):
    """Yields (vector, checks, parsed body) after the checks every vector must pass."""
    names = set()
    prev_now = None
    for v, checks in vectors:
        assert v["name"] not in names, v["name"]
        names.add(v["name"])
        assert prev_now is None or v["now_ms"] >= prev_now, v["name"]
        prev_now = v["now_ms"]
        body = json.loads(v["body"])
        assert dumps_body(body) == v["body"]
        yield v, checks, body


def apply_login(v, body, users) -> dict:
    """Checks a login (content, ed25519 signature, main key, expiry) and records its session.

    users: userid -> {"main": hex, "sessions": {hex: expiry}, ...}; returns the user.
    """
    assert v["headers"] == {}
    now = v["now_ms"]
    expect = login_content(body["userid"], body["pubkey_value"], body["pubkey_expired_timestamp"],
                           body["timestamp"])
    assert body["signature_content"] == expect
    sig = base64.b64decode(body["login_signature"], validate=True)
    assert len(sig) == 64 and base64.b64encode(sig).decode() == body["login_signature"]
    try:
        VerifyKey(bytes.fromhex(body["main_pubkey"])).verify(body["signature_content"].encode("utf-8"), sig)
    except BadSignatureError:
        raise AssertionError(f"login signature does not verify: {v['name']}")
    u = users[body["userid"]]
    assert u["main"] == body["main_pubkey"]
    assert now < body["pubkey_expired_timestamp"] <= body["timestamp"] + 30 * 86_400_000
    u["sessions"][body["pubkey_value"]] = body["pubkey_expired_timestamp"]
    return u


def follow_outcome(v, body, users, pairs, nonce_ok, did_code, owns):
    """The section 2 to 4 rules for a follow or cancel, in the server's order: (code, following).

    did_code(u) gives 0 or the did_signature's error code, owns(u) whether the did owns
    body["userid"] (u is the user or None); both are called only when their rule is reached.
    pairs: (userid, target) -> {"ts", "following", "nonces"}, updated when applied.
    """
    now = v["now_ms"]
    key = v["headers"]["web3mq-request-pubkey"]
    VerifyKey(bytes.fromhex(key))
    nonce = follow_nonce(body["userid"], body["action"], body["target_userid"], body["timestamp"])
    u = users.get(body["userid"])
    key_ok = u is not None and (key == u["main"] or u["sessions"].get(key, 0) > now)
    pair = pairs.setdefault((body["userid"], body["target_userid"]), {"ts": None, "following": False, "nonces": set()})
    action = "cancel" if body["action"] in ("cancel", "unfollow") else "follow"
    code, following = 0, None
    if abs(body["timestamp"] - now) > WINDOW_MS:
        code = 40106
    elif not nonce_ok:
        code = 40102
    elif (c := did_code(u)) != 0:
        code = c
    elif u is None:
        code = 40401
    elif not owns(u):
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
    return code, following


def check_expected(v, code, following):
    assert code == v["expect_code"], (v["name"], code, v["expect_code"])
    assert following == v["expect_following"], (v["name"], following, v["expect_following"])


# ------------------------------------------------------------------- output

def final_following(pairs, named) -> list:
    """named: (name, userid) per identity; the sorted "X->Y" edges that end followed."""
    return sorted(
        f"{n1}->{n2}" for (s, t), p in pairs.items() if p["following"]
        for n1, u1 in named if u1 == s for n2, u2 in named if u2 == t
    )


def write_doc(out: str, doc: dict):
    os.makedirs(os.path.dirname(out), exist_ok=True)
    with open(out, "w", encoding="utf-8") as f:
        json.dump(doc, f, indent=1, ensure_ascii=False)
        f.write("\n")
    counts = {}
    for v in doc["vectors"]:
        counts[v["expect_code"]] = counts.get(v["expect_code"], 0) + 1
    print(f"wrote {len(doc['vectors'])} vectors to {os.path.relpath(out, ROOT)}; codes {dict(sorted(counts.items()))}")
    print(f"final following edges: {doc['final_following']}")
