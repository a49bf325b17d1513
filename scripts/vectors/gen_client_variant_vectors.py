#!/usr/bin/env python3
r"""Generate request vectors for the follow texts the real Web3MQ clients sign (docs/protocol.md 5a).

Writes Tests/SignedFollowTests/Vectors/requests_client_variants.json, in the format of
requests_eth_account.json (see gen_request_vectors.py; same replay rules: ordered requests
from an empty database, server clock set to now_ms, expect expect_code and, when not null,
data.following == expect_following; a non-zero code changes nothing; final_following is
the graph at the end). Each vector also names the `client` whose text it imitates (js, ios,
flutter, dart, uikit) and the `rule`: for a rejected request the short name of the one
rule it breaks, for an accepted one the list of 5a items it needs.

CLIENT SOURCES (read from the published repositories; the texts below are byte for byte
what each source builds, with <...> for the interpolated values)

 js      Generative-Labs/Web3MQ-Snap packages/snap/src/contact/index.ts (followOperation) and
         the JS SDK text quoted in docs/protocol.md section 5 (the reference layout). Template (a JS
         template literal):
           "\n    Web3MQ wants you to sign in with your <did_type> account:\n    <address>\n    \n"
           "    For follow signature\n    \n    Nonce: <nonce>\n    Issued At: <YYYY/MM/DD HH:mm>"
         Leading newline, 4-space indent, blank lines of 4 spaces (some versions leave them
         empty), no trailing newline, no residue; wallet word = did_type `eth`;
         newDateFormat(timestamp, 'Y/m/d h:i') = zero-padded 24-hour local time; nonce
         sha3_224(userid + action + target_userid + timestamp) with the body's action
         (`follow` / `cancel`); one clock read (Date.now()) for the nonce, the date and the
         body. Body keys: did_pubkey (''), did_signature, sign_content, userid, timestamp,
         address, action, did_type, target_userid. This is request_common layout "a".
 ios     Generative-Labs/Web3MQ-iOS, Web3MQService+Contacts.swift (doFollow), FollowRequest
         (file "File.swift": `enum FollowAction: String { case follow; case unfollow =
         "cancel" }`) and Web3MQParameterSigner.swift. Template (a Swift multi-line literal
         indented 12 spaces with the closing delimiter at 12, so no indentation, no leading
         and no trailing newline):
           "Web3MQ wants you to sign in with your <walletTypeDescription> account:\n<address>\n\n"
           "For follow signature\n\nNonce: <nonce>\nIssued At: <dd/MM/yyyy HH:mm>`;"
         Residue "`;" after the date; wallet word `Ethereum` ("eth".walletTypeDescription);
         DateFormatter "dd/MM/yyyy HH:mm" in the device's time zone; nonce over
         "\(userId)\(action)\(targetUserId)\(timestamp)" where "\(action)" is the enum CASE
         NAME (`follow` / `unfollow`) while the body sends action.rawValue (`follow` /
         `cancel`); clock: currentDate = Date() gives the nonce timestamp and the date, but
         Web3MQParameterSigner.signed() (applied when the request is built, after the wallet
         has signed) overwrites body `timestamp` with a new Date() read and `userid` with
         its own, and adds `web3mq_signature` = base64 ed25519 by the session key over
         userid + timestamp. So iOS, too, sends a nonce timestamp T earlier than the body
         timestamp (not only Dart). Address = the CAIP-10 account as the wallet reports it
         (EIP-55 here). Body keys: action, target_userid, did_type, did_signature,
         sign_content, userid, timestamp, did_pubkey (user.publicKey, only when non-nil),
         content (only when a message is given), web3mq_signature.
 flutter Generative-Labs/web3mq_sdk_flutter packages/web3mq_chat/lib/src/client/client_contacts.dart
         (_doFollow), packages/web3mq_chat/lib/src/api/contacts.api.dart (_follow, `enum
         FollowAction { follow, unfollow; }`), packages/web3mq_core/lib/src/models/accounts.dart
         (CAIP10Helper.walletTypeDescription: `case 'eipeth155': return 'Ethereum'` - a typo,
         so `eip155` falls to `default: return ''`). Template (a Dart ''' literal whose first
         line is empty, which Dart drops: no leading newline, no indentation):
           "Web3MQ wants you to sign in with your  account:\n<address>\n\nFor follow signature\n\n"
           "Nonce: <nonce>\nIssued At: <dd/MM/yyyy HH:mm>`"
         Residue "`" (the literal ends `$formattedDateString`'''`), no trailing newline;
         wallet word empty (two spaces); DateFormat('dd/MM/yyyy HH:mm') of DateTime.now()
         (local time); nonce over '$userId$action$targetUserId$timestamp' with `$action` the
         enum's toString(): `FollowAction.follow` / `FollowAction.unfollow`; body action =
         action.name (`follow` / `unfollow`); clocks: currentDate = DateTime.now() gives the
         nonce timestamp T and the Issued At date; the body timestamp is a second
         DateTime.now() in Signer.signatureForRequest, read inside ContactsApi._follow after
         personalSign returned, so T is earlier by the wallet's confirmation time. Body keys:
         action, target_userid, did_type, sign_content, did_pubkey (user.pubKey, the
         "pubkey" of get_user_info), content (the follow message), did_signature, userid,
         timestamp. Address = the CAIP-10 account's address as given (lowercase here).
 dart    Generative-Labs/web3mq-sdk-dart lib/src/client/client_contacts.dart (_doFollow; same
         in the stored versions 02b1af3e and 5f336230) and lib/src/api/contacts.api.dart (same
         _follow and FollowAction as Flutter). Template: as Flutter, but the literal ends
         `Issued At: $formattedDateString`;` followed by a newline and then ''' on its own
         line, so the text ends "`;\n" (no space after the newline). Same wallet-word
         helper (CAIP10Helper with the 'eipeth155' typo; the Dart repository's own copy of
         the file was not found in the index, an identical JsonSerializable variant was), same
         spellings, same two clock reads. Address as given (EIP-55 here).
 uikit   Generative-Labs/web3-mq-react src/components/BindDidModal/BindDidModal.tsx, the
         versions with `operationMode === 'follow_user'` (sendSign). Template:
           "\n    Web3MQ wants you to sign in with your <Ethereum> account:\n    <address>\n"
           "    For follow signature\n    URI: <url>\n    \n    Nonce: <nonce>\n"
           "    Issued At: <DD/MM/YYYY hh:mm>"
         Leading newline, 4-space indent, NO blank line between the address and `For follow
         signature`, `URI: ${url}` (url = window.location.href) right after it, one blank line
         of 4 spaces, no residue, no trailing newline; wallet word `Ethereum` (`Argent` for
         starknet); moment().utc().local().format('DD/MM/YYYY hh:mm') = 12-hour clock without
         AM/PM, local time, from its own moment() read (same minute as the timestamp);
         timestamp = Date.now() is the body timestamp. Its nonce, however, is
         sha3_224(userid + operationType + operationValue + timestamp), where operationType /
         operationValue are the TARGET's did_type / did_value (the modal passes them to
         getUserPublicProfileRequest), not action + target_userid, so the published modal's
         follows fail the nonce check (vector uikit/published-nonce-over-target-did: 40102).
         The accepted uikit vectors keep its layout but use the section 4 nonce. A later
         version replaces the whole text by "Hi! Signing this message will create a
         cryptographic signature proving your intent to follow ...", which no rule accepts.
         Body keys: did_pubkey (''), did_signature, sign_content, userid, timestamp, address,
         action (`follow` / `cancel`), did_type, target_userid.

JSON nulls: the Flutter/Dart bodies send `"content": null` for an unfollow and
`"did_pubkey": null` when the user has no pubkey; these vectors leave null-valued fields out
(they test the text rules, not null handling), and did_pubkey is always a string.

WHAT IS ACCEPTED (decisions given for this file; the model below encodes exactly these)
A follow's sign_content, normalised as in section 5 (split on LF, trim spaces, tabs and CR
from each line, drop empty lines), must be the section 5 lines except:
 1 residue: the last line may be `Issued At: <date>` + "`" or "`;" (exactly one of the two,
   nothing after it);
 2 for did_type eth the wallet word may be empty (`...with your  account:`, two spaces);
 3 one line `URI: <text>` (1..2048 bytes, not interpreted) directly after `For follow
   signature`;
 4 the nonce's action word W may be any spelling of the body's action: follow ->
   {follow, FollowAction.follow}; cancel / unfollow -> {cancel, unfollow,
   FollowAction.unfollow};
 5 the nonce's timestamp T may be 0..120000 ms (inclusive) earlier than the body timestamp,
   when (floor(T / 60000) - m) % 15 == 0 for m the minute of the Issued At date (time-zone
   offsets are multiples of 15 minutes); a later T, or one more than 120000 ms earlier, is
   40102;
 6 the pair's ordering and replay key is T (the "signed timestamp"): newest T wins, cancel
   beats follow on equal T, an older T is 40901, an applied nonce answers 0 "already
   applied"; the 5-minute freshness window stays on the body timestamp.
Everything else stays strict (40101 for the text, 40102 for the nonce).

Every vector here passes the mod-15 bound even when T equals the body timestamp, so the file
does not depend on whether a service checks it in that case. The requests that need the
search of item 5 (no spelling matches at T = body timestamp: every accepted drift, every
40102 near miss, and the exact replay of a drifted request) are at most 6 per userid, the
search budget of one user.

Identities A..F: wallets = Hardhat keys 0..5 (derived here from the mnemonic and checked
against the well-known addresses); ed25519 main / session keys = PyNaCl
SigningKey(sha3_256("client variant main key <i>")) / ("client variant session key <i>");
userid = "user:" + sha3_224(lowercase address). All register in the standard layout of
gen_request_vectors.py (wallet word Ethereum, LF, DD/MM/YYYY HH:mm UTC); A, B, C and F (the
mobile users) log in and sign with their session key (D too, for its Flutter vectors), E uses its main key.
Timestamps start at 1700000000000 and advance 1000 ms per request; dates are written in
fixed UTC offsets (UTC, +08:00, -05:00, +05:30, +05:45). Every did_signature is eth-account
personal_sign over the exact sign_content, checked with Account.recover_message; every text
is re-parsed by the model below (items 1-5, with an exhaustive search over W and T), every
expected code and `rule` is cross-checked against the model of the state rules (ordering by
T, and a shadow model ordering by the body timestamp to mark the vectors where that
matters), and the file must exercise the codes 0, 40101 and 40102 and every client.
Deterministic: rerunning gives identical bytes.
"""
import base64
import hashlib
import json
import os
from datetime import datetime, timedelta, timezone
from importlib.metadata import version

from eth_account import Account
from eth_account.messages import encode_defunct
from eth_utils import is_checksum_address, to_checksum_address
from nacl.signing import VerifyKey

# request_common.py sits next to this script (on sys.path when run as a script).
from request_common import (
    DESCRIPTION_BASE,
    ROUTE_FOLLOW,
    ROUTE_LOGIN,
    ROUTE_REGISTER,
    SIGN_IN_PREFIX,
    SIGN_IN_SUFFIX,
    VECTORS_DIR,
    WINDOW_MS,
    VectorList,
    apply_login,
    check_expected,
    check_register_text,
    checked_vectors,
    date_dmy,
    ed25519_key,
    final_following,
    follow_headers,
    follow_lines,
    follow_nonce,
    follow_text,
    join_lines,
    login_body,
    pub_hex,
    register_body,
    register_lines,
    register_nonce,
    section5_lines,
    sha3_224_hex,
    write_doc,
)

OUT = os.path.join(VECTORS_DIR, "requests_client_variants.json")

MNEMONIC = "test test test test test test test test test test test junk"
WALLET_ADDRESSES = [  # Hardhat / Anvil default accounts 0..5
    "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266",
    "0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
    "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC",
    "0x90F79bf6EB2c4f870365E785982E1f101E93b906",
    "0x15d34AAf54267DB7D7c367839AAf71A00a2C6A65",
    "0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc",
]
NAMES = "ABCDEF"

# ------------------------------------------------------------------ the accepted-variant rules

ETH_WORDS = ("eth", "Ethereum", "MetaMask")          # section 5
RESIDUES = ("`;", "`")                                # 5a item 1 (longest first)
URI_MAX_BYTES = 2048                                  # 5a item 3
SPELLINGS = {                                         # 5a item 4
    "follow": ("follow", "FollowAction.follow"),
    "cancel": ("cancel", "unfollow", "FollowAction.unfollow"),
}
DRIFT_MAX_MS = 120_000                                # 5a item 5
SEARCH_BUDGET = 6                                     # requests needing the search, per userid
SIGN_CONTENT_MAX = 2048                               # section 4 check 1
DATE_SLACK_MS = 26 * 3600 * 1000                      # section 5

FMT_YMD = "%Y/%m/%d %H:%M"      # JS SDK
FMT_DMY = "%d/%m/%Y %H:%M"      # iOS, Flutter, Dart
FMT_DMY12 = "%d/%m/%Y %I:%M"    # UI kit (moment 'DD/MM/YYYY hh:mm', no AM/PM)

UTC, SHANGHAI, NEW_YORK, INDIA, NEPAL = 0, 8 * 60, -5 * 60, 5 * 60 + 30, 5 * 60 + 45


def canonical_action(action: str) -> str:
    return "cancel" if action in ("cancel", "unfollow") else "follow"


def local_date(t_ms: int, offset_min: int, fmt: str) -> str:
    tz = timezone(timedelta(minutes=offset_min))
    return datetime.fromtimestamp(t_ms // 1000, tz=tz).strftime(fmt)


# ------------------------------------------------------------------ client templates

def text_js(word, address, nonce, issued):
    """JS SDK (request_common layout a)."""
    return join_lines(follow_lines(word, address, nonce, issued, blanks=True), "js")


def text_mobile(word, address, nonce, issued, tail):
    """iOS (tail "`;"), Flutter (tail "`"), Dart (tail "`;\\n"): no indent, empty blank lines."""
    return (f"{SIGN_IN_PREFIX}{word}{SIGN_IN_SUFFIX}\n{address}\n\nFor follow signature\n\n"
            f"Nonce: {nonce}\nIssued At: {issued}{tail}")


def uikit_lines(word, address, url, nonce, issued):
    return [f"{SIGN_IN_PREFIX}{word}{SIGN_IN_SUFFIX}", address, "For follow signature", f"URI: {url}", "",
            f"Nonce: {nonce}", f"Issued At: {issued}"]


def join_uikit(lines):
    """UI kit follow modal: leading newline, each line indented by 4 spaces (the blank one too)."""
    return "\n" + "\n".join("    " + ln for ln in lines)


def text_uikit(word, address, nonce, issued, url):
    return join_uikit(uikit_lines(word, address, url, nonce, issued))


TAILS = {"ios": "`;", "flutter": "`", "dart": "`;\n"}

CLIENTS = {
    "js": {
        "word": "eth", "fmt": FMT_YMD, "tz": UTC, "checksum": False, "session": False,
        "spelling": {"follow": "follow", "cancel": "cancel"},
        "repository": "Generative-Labs/Web3MQ-Snap; the JS SDK text quoted in docs/protocol.md section 5",
        "path": "packages/snap/src/contact/index.ts (followOperation; its stored version leaves the blank lines "
                "empty, the section 5 version fills them with 4 spaces, which normalise alike)",
        "template": "\"\\n    Web3MQ wants you to sign in with your <did_type> account:\\n    <address>\\n    \\n"
                    "    For follow signature\\n    \\n    Nonce: <nonce>\\n    Issued At: <YYYY/MM/DD HH:mm>\"",
        "notes": "leading newline, 4-space indent, blank lines of 4 spaces, no residue, no trailing newline; "
                 "wallet word = did_type (eth); date YYYY/MM/DD HH:mm (24 h, local); nonce action = body action "
                 "(follow/cancel); one clock read (Date.now()) for nonce, date and body",
    },
    "ios": {
        "word": "Ethereum", "fmt": FMT_DMY, "tz": SHANGHAI, "checksum": True, "session": True,
        "spelling": {"follow": "follow", "cancel": "unfollow"},
        "repository": "Generative-Labs/Web3MQ-iOS",
        "path": "Web3MQService+Contacts.swift (doFollow); FollowRequest / FollowAction in File.swift; "
                "Web3MQParameterSigner.swift",
        "template": "\"Web3MQ wants you to sign in with your Ethereum account:\\n<address>\\n\\nFor follow signature\\n\\n"
                    "Nonce: <nonce>\\nIssued At: <dd/MM/yyyy HH:mm>`;\"",
        "notes": "no leading/trailing newline, no indent, empty blank lines, residue `; after the date; wallet "
                 "word Ethereum; date dd/MM/yyyy HH:mm (24 h, device time zone); nonce action = enum case name "
                 "(follow/unfollow), body action = raw value (follow/cancel); currentDate = Date() gives the "
                 "nonce timestamp and the date, Web3MQParameterSigner overwrites body timestamp with a later "
                 "Date() read and adds web3mq_signature (ed25519 by the session key over userid + timestamp)",
    },
    "flutter": {
        "word": "", "fmt": FMT_DMY, "tz": UTC, "checksum": False, "session": True,
        "spelling": {"follow": "FollowAction.follow", "cancel": "FollowAction.unfollow"},
        "repository": "Generative-Labs/web3mq_sdk_flutter",
        "path": "packages/web3mq_chat/lib/src/client/client_contacts.dart (_doFollow); "
                "packages/web3mq_chat/lib/src/api/contacts.api.dart; packages/web3mq_core/lib/src/models/accounts.dart",
        "template": "\"Web3MQ wants you to sign in with your  account:\\n<address>\\n\\nFor follow signature\\n\\n"
                    "Nonce: <nonce>\\nIssued At: <dd/MM/yyyy HH:mm>`\"",
        "notes": "no leading/trailing newline, no indent, empty blank lines, residue ` after the date; wallet "
                 "word empty (walletTypeDescription matches 'eipeth155', a typo); date dd/MM/yyyy HH:mm of "
                 "DateTime.now() (local); nonce action = Dart enum toString (FollowAction.follow / "
                 "FollowAction.unfollow), body action = action.name (follow/unfollow); currentDate gives the "
                 "nonce timestamp and the date, the body timestamp is a second DateTime.now() read after the "
                 "wallet signed",
    },
    "dart": {
        "word": "", "fmt": FMT_DMY, "tz": UTC, "checksum": True, "session": True,
        "spelling": {"follow": "FollowAction.follow", "cancel": "FollowAction.unfollow"},
        "repository": "Generative-Labs/web3mq-sdk-dart",
        "path": "lib/src/client/client_contacts.dart (_doFollow); lib/src/api/contacts.api.dart; lib/src/signer.dart",
        "template": "\"Web3MQ wants you to sign in with your  account:\\n<address>\\n\\nFor follow signature\\n\\n"
                    "Nonce: <nonce>\\nIssued At: <dd/MM/yyyy HH:mm>`;\\n\"",
        "notes": "as Flutter, but the text ends with `; and a newline (the closing ''' is on its own line)",
    },
    "uikit": {
        "word": "Ethereum", "fmt": FMT_DMY12, "tz": NEW_YORK, "checksum": False, "session": False,
        "spelling": {"follow": "follow", "cancel": "cancel"},
        "repository": "Generative-Labs/web3-mq-react",
        "path": "src/components/BindDidModal/BindDidModal.tsx (versions with operationMode 'follow_user', sendSign)",
        "template": "\"\\n    Web3MQ wants you to sign in with your Ethereum account:\\n    <address>\\n    For follow "
                    "signature\\n    URI: <page url>\\n    \\n    Nonce: <nonce>\\n    Issued At: <DD/MM/YYYY hh:mm>\"",
        "notes": "leading newline, 4-space indent, no blank line before For follow signature, URI line (the "
                 "page URL) right after it, one blank line of 4 spaces, no residue; wallet word Ethereum; date "
                 "DD/MM/YYYY hh:mm (12 h without AM/PM, local, its own moment() read); body action follow/cancel; "
                 "one Date.now() for nonce and body. The published modal's nonce is sha3_224(userid + target "
                 "did_type + target did_value + timestamp), which fails the nonce check (40102); the accepted "
                 "uikit vectors use the section 4 nonce in its layout",
    },
}


# ------------------------------------------------------------------ identities and signatures

class Identity:
    def __init__(self, i: int):
        acct = Account.from_mnemonic(MNEMONIC, account_path=f"m/44'/60'/0'/0/{i}")
        assert acct.address == WALLET_ADDRESSES[i], (i, acct.address)
        self.index = i
        self.name = NAMES[i]
        self.wallet_key = bytes(acct.key)
        self.address = acct.address
        self.lower = self.address.lower()
        self.userid = "user:" + sha3_224_hex(self.lower)
        self.main = ed25519_key(f"client variant main key {i}")
        self.session = ed25519_key(f"client variant session key {i}")


def eth_sign(wallet_key: bytes, text: str) -> str:
    """personal_sign (EIP-191) of the UTF-8 text: 0x + r || s || v with v = 27/28."""
    signed = Account.sign_message(encode_defunct(text=text), private_key=wallet_key)
    sig = bytes(signed.signature)
    assert len(sig) == 65 and sig[64] in (27, 28)
    return "0x" + sig.hex()


def recover(text: str, sig_hex: str) -> str:
    return Account.recover_message(encode_defunct(text=text), signature=bytes.fromhex(sig_hex[2:]))


def long_uri(prefix: str, length: int) -> str:
    """A deterministic URL of exactly `length` ASCII bytes (a long OAuth-style state parameter)."""
    filler, seed = "", b"signed-follow long uri"
    while len(prefix) + len(filler) < length:
        seed = hashlib.sha3_256(seed).digest()
        filler += base64.urlsafe_b64encode(seed).decode("ascii").rstrip("=")
    out = (prefix + filler)[:length]
    assert len(out.encode("utf-8")) == length
    return out


# ------------------------------------------------------------------ generator

class Generator(VectorList):
    def __init__(self):
        super().__init__()
        Account.enable_unaudited_hdwallet_features()
        self.ids = [Identity(i) for i in range(len(NAMES))]

    def register(self, name, ident):
        ts = self.slot()
        pk = pub_hex(ident.main)
        nonce = register_nonce(ident.userid, "ed25519", pk, "eth", ident.lower, ts)
        content = join_lines(register_lines("Ethereum", ident.lower, nonce, date_dmy(ts)), "lf")
        body = register_body(ident.userid, "eth", ident.lower, eth_sign(ident.wallet_key, content), content, pk, ts)
        v = self.add(name, ROUTE_REGISTER, ts, {}, body, 0, None, {"kind": "register", "signer": ident.address})
        v["client"], v["rule"] = "js", []
        return v

    def login(self, name, ident):
        ts = self.slot()
        body = login_body(ident, ts, "eth", ident.lower)
        v = self.add(name, ROUTE_LOGIN, ts, {}, body, 0, None, {"kind": "login"})
        v["client"], v["rule"] = "js", []
        return v

    def follow(self, name, client, src, dst, action, expect_code, expect_following, rule, *,
               drift=0, ts=None, W=None, T=None, nonce_userid=None, nonce_target=None, nonce=None,
               tz=None, date_ms=None, word=None, tail=None, url=None, text=None, message=None):
        """One follow / cancel as `client` sends it.

        drift: T = ts - drift (the nonce's clock read), unless T is given; W: the nonce's action
        word (default: the client's spelling of `action`); nonce_userid / nonce_target /
        nonce: replace the nonce's fields or the nonce itself; tz / date_ms: the Issued At
        time zone (UTC offset in minutes) and instant (default T); word / tail / url: the
        wallet word, what follows the date, the URI; text(word, address, nonce, issued):
        builds the text instead of the client template.
        """
        c = CLIENTS[client]
        now = self.slot()
        ts = now if ts is None else ts
        T = ts - drift if T is None else T
        W = W if W is not None else c["spelling"][canonical_action(action)]
        if nonce is None:
            nonce = follow_nonce(nonce_userid or src.userid, W, nonce_target or dst.userid, T)
        issued = local_date(T if date_ms is None else date_ms, c["tz"] if tz is None else tz, c["fmt"])
        address = src.address if c["checksum"] else src.lower
        word = c["word"] if word is None else word
        if text is not None:
            content = text(word, address, nonce, issued)
        elif client == "js":
            content = text_js(word, address, nonce, issued)
            if T == ts and date_ms is None:
                assert content == follow_text("a", word, address, nonce, ts)  # request_common layout a
        elif client == "uikit":
            content = text_uikit(word, address, nonce, issued, url)
        else:
            content = text_mobile(word, address, nonce, issued, TAILS[client] if tail is None else tail)
        sig = eth_sign(src.wallet_key, content)
        key = src.session if c["session"] else src.main
        if client == "js":
            body = {"did_pubkey": "", "did_signature": sig, "sign_content": content, "userid": src.userid,
                    "timestamp": ts, "address": address, "action": action, "did_type": "eth",
                    "target_userid": dst.userid}
        elif client == "uikit":
            body = {"did_pubkey": "", "did_signature": sig, "sign_content": content, "userid": src.userid,
                    "timestamp": ts, "address": address, "action": action, "did_type": "eth",
                    "target_userid": dst.userid}
        elif client == "ios":
            body = {"action": action, "target_userid": dst.userid, "did_type": "eth", "did_signature": sig,
                    "sign_content": content, "userid": src.userid, "timestamp": ts, "did_pubkey": pub_hex(src.main)}
            if message is not None:
                body["content"] = message
            sig_ed = key.sign((src.userid + str(ts)).encode("utf-8")).signature
            body["web3mq_signature"] = base64.b64encode(sig_ed).decode("ascii")
        else:  # flutter, dart
            body = {"action": action, "target_userid": dst.userid, "did_type": "eth", "sign_content": content,
                    "did_pubkey": pub_hex(src.main)}
            if message is not None:
                body["content"] = message
            body.update({"did_signature": sig, "userid": src.userid, "timestamp": ts})
        headers = follow_headers(key, "eth", address)
        checks = {"kind": "follow", "src": src, "dst": dst, "W": W, "T": T, "nonce": nonce, "client": client,
                  "key": pub_hex(key)}
        v = self.add(name, ROUTE_FOLLOW, now, headers, body, expect_code, expect_following, checks)
        v["client"], v["rule"] = client, rule
        return v

    def replay(self, name, original, delay_ms, expect_code, expect_following):
        v = super().replay(name, original, delay_ms, expect_code, expect_following)
        v["client"], v["rule"] = original["client"], ["already-applied"] + list(original["rule"])
        return v


def build(g: Generator):
    A, B, C, D, E, F = g.ids
    for ident in g.ids:
        g.register(f"register-{ident.name}", ident)
    for ident in (A, B, C, D, F):
        g.login(f"login-{ident.name}-session-key", ident)

    R, W_, U, S, DR = "residue", "wallet-word-empty", "uri-line", "nonce-spelling", "nonce-drift"
    T_ORDER = "order-by-signed-timestamp"

    # -- JS SDK baseline (section 5 as it stands)
    g.follow("js/E-follows-A", "js", E, A, "follow", 0, True, [])
    g.follow("js/E-follows-D", "js", E, D, "follow", 0, True, [])
    g.follow("js/E-cancels-D", "js", E, D, "cancel", 0, False, [])

    # -- iOS: `; residue, Ethereum, dd/MM/yyyy HH:mm (+08:00), nonce `unfollow` for a cancel
    g.follow("ios/A-follows-B", "ios", A, B, "follow", 0, True, [R])
    g.follow("ios/A-unfollows-B/body-cancel-nonce-unfollow", "ios", A, B, "cancel", 0, False, [R, S])
    g.follow("ios/A-follows-C/body-timestamp-re-read-1500ms-later", "ios", A, C, "follow", 0, True, [R, DR],
             drift=1500, message="hello from iOS")

    # -- Flutter: ` residue, empty wallet word, FollowAction.* nonce, T earlier than the body timestamp
    g.follow("flutter/B-follows-A/T-1ms-earlier", "flutter", B, A, "follow", 0, True, [R, W_, S, DR], drift=1)
    g.follow("flutter/B-follows-C/T-2500ms-earlier", "flutter", B, C, "follow", 0, True, [R, W_, S, DR], drift=2500)
    g.follow("flutter/B-follows-D/T-59999ms-earlier", "flutter", B, D, "follow", 0, True, [R, W_, S, DR],
             drift=59999, tz=NEW_YORK)
    g.follow("flutter/B-follows-E/T-120000ms-earlier", "flutter", B, E, "follow", 0, True, [R, W_, S, DR],
             drift=120000)
    g.follow("flutter/B-unfollows-A/T-700ms-earlier", "flutter", B, A, "unfollow", 0, False, [R, W_, S, DR],
             drift=700)

    # -- Dart: `;\n ending, FollowAction.* nonce, drift; exact replay; Nepal (+05:45) Issued At
    dart_ca = g.follow("dart/C-follows-A/T-3200ms-earlier", "dart", C, A, "follow", 0, True, [R, W_, S, DR],
                       drift=3200)
    g.replay("dart/C-follows-A/exact-replay-already-applied", dart_ca, 500, 0, True)
    g.follow("dart/C-unfollows-A/T-900ms-earlier/India", "dart", C, A, "unfollow", 0, False, [R, W_, S, DR],
             drift=900, tz=INDIA)
    g.follow("dart/C-follows-B/T-4100ms-earlier/Nepal-plus-0545", "dart", C, B, "follow", 0, True,
             [R, W_, S, DR], drift=4100, tz=NEPAL)

    # -- ordering by the signed timestamp T (state rule 6)
    x = g.next_slot
    g.follow("dart/C-follows-E/T-5000ms-earlier", "dart", C, E, "follow", 0, True, [R, W_, S, DR], drift=5000)
    g.follow("js/C-cancels-E/older-than-T/stale", "js", C, E, "cancel", 40901, None, "stale", ts=x - 6000)
    g.follow("js/C-cancels-E/newer-than-T-older-than-body", "js", C, E, "cancel", 0, False, [T_ORDER], ts=x - 2000)
    y = g.next_slot
    g.follow("dart/F-follows-E/T-3000ms-earlier", "dart", F, E, "follow", 0, True, [R, W_, S, DR], drift=3000)
    g.follow("js/F-cancels-E/timestamp-equal-to-T-cancel-wins", "js", F, E, "cancel", 0, False, [T_ORDER],
             ts=y - 3000)
    g.follow("dart/F-follows-E/body-newer-but-T-older/stale", "dart", F, E, "follow", 40901, None, T_ORDER,
             T=y - 3500)

    # -- UI kit: URI line after `For follow signature`
    g.follow("uikit/D-follows-A/uri-line", "uikit", D, A, "follow", 0, True, [U],
             url=f"https://dapp.example/web3mq/follow?did_type=eth&did_value={A.lower}")
    g.follow("uikit/D-cancels-A/uri-line", "uikit", D, A, "cancel", 0, False, [U],
             url=f"https://dapp.example/web3mq/follow?did_type=eth&did_value={A.lower}")
    # a long URI: the whole sign_content is exactly 2048 bytes (the section 4 limit)
    base = text_uikit("Ethereum", D.lower, "0" * 56, local_date(g.next_slot, NEW_YORK, FMT_DMY12), "")
    url = long_uri(f"https://dapp.example/web3mq/follow?did_type=eth&did_value={B.lower}&state=",
                   SIGN_CONTENT_MAX - len(base.encode("utf-8")))
    g.follow("uikit/D-follows-B/long-uri-sign-content-2048-bytes", "uikit", D, B, "follow", 0, True, [U], url=url)
    g.follow("js/E-follows-B", "js", E, B, "follow", 0, True, [])

    # -- near misses, 40101: the text (nonce correct at T = body timestamp, so no search)
    for tail, label in (("'", "quote"), (";", "semicolon"), ("``", "two-backticks"), ("`;;", "backtick-two-semicolons"),
                        ("` ;", "backtick-space-semicolon"), (".", "period"), ("`;`", "residue-twice"),
                        ("`;x", "text-after-residue")):
        client, src = ("ios", A) if tail.startswith("`;") or tail in (";", "` ;") else ("flutter", B)
        g.follow(f"{client}/{src.name}-follows-F/residue-{label}", client, src, F, "follow", 40101, None,
                 "residue", tail=tail)
    g.follow("dart/C-follows-F/residue-on-its-own-line", "dart", C, F, "follow", 40101, None, "residue",
             tail="\n`;\n")
    g.follow("ios/A-follows-F/wallet-word-Metamask", "ios", A, F, "follow", 40101, None, "wallet-word",
             word="Metamask")
    g.follow("ios/A-follows-F/wallet-word-ethereum", "ios", A, F, "follow", 40101, None, "wallet-word",
             word="ethereum")
    g.follow("flutter/B-follows-F/empty-wallet-word-three-spaces", "flutter", B, F, "follow", 40101, None,
             "wallet-word", word=" ")

    page = f"https://dapp.example/web3mq/follow?did_type=eth&did_value={F.lower}"

    def uikit_moved(move):
        def build_text(word, address, nonce, issued):
            return join_uikit(move(uikit_lines(word, address, page, nonce, issued)))
        return build_text

    uri = f"URI: {page}"
    g.follow("uikit/D-follows-F/uri-before-for-follow-signature", "uikit", D, F, "follow", 40101, None, "uri-line",
             text=uikit_moved(lambda ls: [ls[0], ls[1], uri, ls[2], ls[4], ls[5], ls[6]]))
    g.follow("uikit/D-follows-F/uri-after-nonce", "uikit", D, F, "follow", 40101, None, "uri-line",
             text=uikit_moved(lambda ls: [ls[0], ls[1], ls[2], ls[4], ls[5], uri, ls[6]]))
    g.follow("uikit/D-follows-F/uri-after-issued-at", "uikit", D, F, "follow", 40101, None, "uri-line",
             text=uikit_moved(lambda ls: [ls[0], ls[1], ls[2], ls[4], ls[5], ls[6], uri]))
    g.follow("uikit/D-follows-F/two-uri-lines", "uikit", D, F, "follow", 40101, None, "uri-line",
             text=uikit_moved(lambda ls: ls[:4] + [uri] + ls[4:]))
    g.follow("uikit/D-follows-F/uri-empty", "uikit", D, F, "follow", 40101, None, "uri-line", url="")

    # -- near misses, 40102: the nonce (each needs the search; at most 6 per userid)
    g.follow("js/E-follows-F/nonce-over-other-target", "js", E, F, "follow", 40102, None, "nonce-target",
             nonce_target=C.userid)
    g.follow("js/E-follows-F/nonce-over-other-userid", "js", E, F, "follow", 40102, None, "nonce-userid",
             nonce_userid=D.userid)
    g.follow("js/E-follows-F/nonce-over-uppercase-target", "js", E, F, "follow", 40102, None, "nonce-target",
             nonce_target="user:" + F.userid[5:].upper())
    g.follow("js/E-follows-F/nonce-over-uppercase-userid", "js", E, F, "follow", 40102, None, "nonce-userid",
             nonce_userid="user:" + E.userid[5:].upper())
    g.follow("ios/A-cancels-C/nonce-over-follow", "ios", A, C, "cancel", 40102, None, "nonce-spelling", W="follow")
    g.follow("ios/A-follows-F/nonce-over-Follow-capitalised", "ios", A, F, "follow", 40102, None,
             "nonce-spelling", W="Follow")
    g.follow("dart/F-unfollows-E/nonce-over-FollowAction.follow", "dart", F, E, "unfollow", 40102, None,
             "nonce-spelling", W="FollowAction.follow", drift=1500)
    g.follow("dart/F-follows-A/nonce-over-FollowAction.unfollow", "dart", F, A, "follow", 40102, None,
             "nonce-spelling", W="FollowAction.unfollow", drift=1500)
    g.follow("flutter/D-follows-F/nonce-T-1ms-later", "flutter", D, F, "follow", 40102, None, "nonce-drift-later",
             drift=-1)
    g.follow("flutter/D-follows-F/nonce-T-120001ms-earlier", "flutter", D, F, "follow", 40102, None,
             "nonce-drift-range", drift=120001)
    g.follow("flutter/D-follows-F/nonce-T-61000ms-earlier-issued-at-from-body-timestamp", "flutter", D, F, "follow",
             40102, None, "nonce-drift-minute", drift=61000, date_ms=g.next_slot)
    g.follow("ios/A-follows-F/residue-on-nonce-line", "ios", A, F, "follow", 40102, None, "nonce-line",
             text=lambda word, address, nonce, issued: text_mobile(word, address, nonce + "`;", issued, ""))
    now = g.next_slot
    g.follow("uikit/D-follows-F/published-nonce-over-target-did", "uikit", D, F, "follow", 40102, None,
             "nonce-fields", nonce=sha3_224_hex(D.userid + "eth" + F.lower + str(now)), url=page)

    # -- a last accepted pair of each mobile layout after the near misses (state unchanged by them)
    g.follow("ios/A-follows-E", "ios", A, E, "follow", 0, True, [R])
    g.follow("flutter/B-follows-F/T-same-ms", "flutter", B, F, "follow", 0, True, [R, W_, S])


# ------------------------------------------------------------------ the model

def parse_follow_text(content: str, didkey_written: str):
    """The section 5 line rule with 5a items 1-3. Returns (fields, None) or (None, reason)."""
    lines = section5_lines(content)
    fields = {"uri": None, "residue": ""}
    if len(lines) == 6 and lines[2] == "For follow signature" and lines[3].startswith("URI: "):
        uri = lines[3][len("URI: "):]
        if not 1 <= len(uri.encode("utf-8")) <= URI_MAX_BYTES:
            return None, "uri length"
        fields["uri"] = uri
        lines = lines[:3] + lines[4:]
    if len(lines) != 5:
        return None, f"{len(lines)} lines"
    l0 = lines[0]
    if not (l0.startswith(SIGN_IN_PREFIX) and l0.endswith(SIGN_IN_SUFFIX)
            and len(l0) >= len(SIGN_IN_PREFIX) + len(SIGN_IN_SUFFIX)):
        return None, "line 1"
    word = l0[len(SIGN_IN_PREFIX):len(l0) - len(SIGN_IN_SUFFIX)]
    if word not in ETH_WORDS + ("",):
        return None, f"wallet word {word!r}"
    fields["word"] = word
    addr = lines[1]
    if not (len(addr) == 42 and addr.startswith("0x") and all(ch in "0123456789abcdefABCDEF" for ch in addr[2:])):
        return None, "address"
    if addr.lower() != didkey_written.lower() or (addr != addr.lower() and not is_checksum_address(addr)):
        return None, "address"
    if lines[2] != "For follow signature" or not lines[3].startswith("Nonce: ") \
            or not lines[4].startswith("Issued At: "):
        return None, "lines 3-5"
    fields["nonce"] = lines[3][len("Nonce: "):]
    date = lines[4][len("Issued At: "):]
    for residue in RESIDUES:
        if date.endswith(residue):
            fields["residue"], date = residue, date[:-len(residue)]
            break
    for fmt in (FMT_YMD, FMT_DMY):
        try:
            dt = datetime.strptime(date, fmt)
        except ValueError:
            continue
        if dt.strftime(fmt) == date:  # zero-padded, nothing else
            fields["date"] = dt.replace(tzinfo=timezone.utc)
            fields["minute"] = dt.minute
            return fields, None
    return None, f"date {date!r}"


def find_nonce(body, nonce: str, minute: int):
    """5a items 4 and 5: (W, T, searched) for the nonce, or (None, reason, searched)."""
    uid, tgt, ts = body["userid"], body["target_userid"], body["timestamp"]
    spellings = SPELLINGS[canonical_action(body["action"])]
    if not (len(nonce) == 56 and all(ch in "0123456789abcdef" for ch in nonce.lower())):
        return None, "nonce is not 56 hex digits", True
    want = bytes.fromhex(nonce)
    for w in spellings:
        if hashlib.sha3_224((uid + w + tgt + str(ts)).encode("utf-8")).digest() == want:
            return w, ts, False
    bases = [(w, hashlib.sha3_224((uid + w + tgt).encode("utf-8"))) for w in spellings]
    for t in range(ts - 1, ts - DRIFT_MAX_MS - 1, -1):
        tail = str(t).encode("ascii")
        for w, base in bases:
            h = base.copy()
            h.update(tail)
            if h.digest() == want:
                if (t // 60000 - minute) % 15 != 0:
                    return None, f"T {t} breaks the mod-15 minute bound", True
                return w, t, True
    return None, "no spelling and no T in [ts - 120000, ts] gives the nonce", True


def order(pair, t, action, nonce):
    """Section 4 check 11 on the key t: (code, following, applied?)."""
    if nonce in pair["nonces"]:
        return 0, pair["following"], "already-applied"
    if pair["ts"] is not None and (t < pair["ts"] or (t == pair["ts"] and action == "follow"
                                                      and not pair["following"])):
        return 40901, None, None
    pair["ts"] = t
    pair["following"] = action == "follow"
    pair["nonces"].add(nonce)
    return 0, pair["following"], "applied"


def validate(g: Generator):
    users, dids = {}, {}
    pairs, shadow = {}, {}          # ordering by T, and by the body timestamp
    searches = {}
    t_matters = 0
    for v, checks, body in checked_vectors(g.vectors):
        now = v["now_ms"]
        assert v["client"] in CLIENTS, v["name"]
        if checks["kind"] == "register":
            check_register_text(body, ("Ethereum",))
            assert recover(body["signature_content"], body["did_signature"]) == checks["signer"]
            assert abs(body["timestamp"] - now) <= WINDOW_MS and body["did_value"] not in dids
            users[body["userid"]] = {"addr": body["did_value"], "main": body["pubkey_value"], "sessions": {}}
            dids[body["did_value"]] = body["userid"]
            check_expected(v, 0, None)
            continue
        if checks["kind"] == "login":
            u = apply_login(v, body, users)
            assert u["addr"] == body["did_value"]
            check_expected(v, 0, None)
            continue

        src = checks["src"]
        content = body["sign_content"]
        assert len(content.encode("utf-8")) <= SIGN_CONTENT_MAX, v["name"]
        assert len(v["body"].encode("utf-8")) <= 16 * 1024
        assert all(val is not None for val in body.values()) and isinstance(body.get("did_pubkey", ""), str)
        written = v["headers"]["didkey"][len("eth:"):]
        assert v["headers"]["didkey"].startswith("eth:") and written.lower() == src.lower
        assert body.get("address", written) == written
        key = v["headers"]["web3mq-request-pubkey"]
        VerifyKey(bytes.fromhex(key))
        # the user, its did and its request key are bound and the target registered, so a
        # near miss fails only the named rule (the service checks these before the text)
        u = users.get(body["userid"])
        assert u is not None and u["addr"] == src.lower, v["name"]
        assert key == u["main"] or u["sessions"].get(key, 0) > now, v["name"] + ": request key not bound"
        assert body["target_userid"] in users, v["name"]
        if "web3mq_signature" in body:  # iOS: ed25519 by the request key over userid + timestamp
            VerifyKey(bytes.fromhex(key)).verify((body["userid"] + str(body["timestamp"])).encode("utf-8"),
                                                 base64.b64decode(body["web3mq_signature"], validate=True))
        # the signature covers the exact bytes and recovers to the sender's wallet (only the
        # named rule may fail in a near miss)
        assert recover(content, body["did_signature"]) == to_checksum_address(src.lower), v["name"]

        action = canonical_action(body["action"])
        code, following, items, t_key = 0, None, [], None
        reason = None
        if abs(body["timestamp"] - now) > WINDOW_MS:
            code = 40106
        else:
            fields, reason = parse_follow_text(content, written)
            if fields is None:
                code = 40101
            elif abs(fields["date"].timestamp() * 1000 - body["timestamp"]) > DATE_SLACK_MS:
                code, reason = 40101, "date too far"
            else:
                w, t_or_reason, searched = find_nonce(body, fields["nonce"], fields["minute"])
                if searched:
                    searches[body["userid"]] = searches.get(body["userid"], 0) + 1
                if w is None:
                    code, reason = 40102, t_or_reason
                else:
                    t_key = t_or_reason
                    # every vector passes the mod-15 bound, also at T == body timestamp
                    assert (t_key // 60000 - fields["minute"]) % 15 == 0, v["name"]
                    items = [name for name, used in (
                        ("residue", fields["residue"] != ""), ("wallet-word-empty", fields["word"] == ""),
                        ("uri-line", fields["uri"] is not None), ("nonce-spelling", w != body["action"]),
                        ("nonce-drift", t_key < body["timestamp"])) if used]
                    assert (w, t_key) == (checks["W"], checks["T"]), v["name"]
        if code == 0:
            u = users.get(body["userid"])
            assert u is not None and dids.get(written.lower()) == body["userid"]
            assert key == u["main"] or u["sessions"].get(key, 0) > now
            assert body["target_userid"] in users and body["target_userid"] != body["userid"]
            nonce = fields["nonce"]
            p = pairs.setdefault((body["userid"], body["target_userid"]),
                                 {"ts": None, "following": False, "nonces": set()})
            s = shadow.setdefault((body["userid"], body["target_userid"]),
                                  {"ts": None, "following": False, "nonces": set()})
            code, following, how = order(p, t_key, action, nonce)
            shadow_answer = order(s, body["timestamp"], action, nonce)[:2]
            if how == "already-applied":
                items = ["already-applied"] + items
            if shadow_answer != (code, following):
                t_matters += 1
                items.append("order-by-signed-timestamp")
        else:
            assert checks["T"] is not None
        check_expected(v, code, following)
        if code == 0:
            assert v["rule"] == items, (v["name"], v["rule"], items)
        elif code == 40901:
            assert v["rule"] in ("stale", "order-by-signed-timestamp"), v["name"]
            assert (v["rule"] == "order-by-signed-timestamp") == ("order-by-signed-timestamp" in items), v["name"]
        else:
            assert isinstance(v["rule"], str) and reason, v["name"]
            if code == 40102 and v["rule"] not in ("nonce-target", "nonce-userid", "nonce-line", "nonce-fields"):
                # only the spelling or T is off: the nonce is over the request's own fields
                assert follow_nonce(body["userid"], checks["W"], body["target_userid"], checks["T"]) == \
                    checks["nonce"], v["name"]

    codes = {v["expect_code"] for v, _ in g.vectors}
    assert {0, 40101, 40102} <= codes, codes
    assert {v["client"] for v, _ in g.vectors if v["route"] == ROUTE_FOLLOW} == set(CLIENTS)
    for client in CLIENTS:  # an accepted follow and an accepted cancel/unfollow per client
        got = {canonical_action(json.loads(v["body"])["action"]) for v, _ in g.vectors
               if v["route"] == ROUTE_FOLLOW and v["client"] == client and v["expect_code"] == 0}
        assert got == {"follow", "cancel"}, (client, got)
    assert max(searches.values()) <= SEARCH_BUDGET, searches
    assert t_matters >= 2, t_matters
    return pairs, searches


def main():
    g = Generator()
    build(g)
    pairs, searches = validate(g)
    named = [(i.name, i.userid) for i in g.ids]
    doc = {
        "source": f"eth-account {version('eth-account')}, PyNaCl {version('PyNaCl')}",
        "generator": "scripts/vectors/gen_client_variant_vectors.py",
        "description": DESCRIPTION_BASE + (
            ". Follow texts as the Web3MQ clients sign them (docs/protocol.md 5a): after the section 5 normalisation a "
            "follow is accepted with (1) a last line 'Issued At: <date>' followed by ` or `; (2) an empty wallet "
            "word for eth (two spaces) (3) one 'URI: <text>' line (1..2048 bytes) right after 'For follow "
            "signature' (4) the nonce over any spelling W of the body action (follow: follow, FollowAction.follow; "
            "cancel/unfollow: cancel, unfollow, FollowAction.unfollow) (5) the nonce over a T 0..120000 ms earlier "
            "than the body timestamp with (floor(T/60000) - Issued At minute) % 15 == 0. The pair's ordering and "
            "replay key is T; the 5-minute window applies to the body timestamp. Everything else is 40101 (text) "
            "or 40102 (nonce). Each vector names the client whose text it imitates and the rule it exercises "
            "(accepted: the list of 5a items used; rejected: the rule that fails). At most "
            f"{SEARCH_BUDGET} requests per userid need the search of item 5"),
        "clients": {k: {f: c[f] for f in ("repository", "path", "template", "notes")} for k, c in CLIENTS.items()},
        "identities": [
            {
                "name": i.name,
                "address": i.address,
                "userid": i.userid,
                "main_pubkey": pub_hex(i.main),
                "session_pubkey": pub_hex(i.session),
            }
            for i in g.ids
        ],
        "final_following": final_following(pairs, named),
        "vectors": [v for v, _ in g.vectors],
    }
    write_doc(OUT, doc)
    per_client = {}
    for v in doc["vectors"]:
        per_client.setdefault(v["client"], {}).setdefault(v["expect_code"], 0)
        per_client[v["client"]][v["expect_code"]] += 1
    print(f"per client (route follow and setup): {dict(sorted(per_client.items()))}")
    print(f"searches per userid: {sorted((n, searches.get(u, 0)) for n, u in named)}")


if __name__ == "__main__":
    main()
