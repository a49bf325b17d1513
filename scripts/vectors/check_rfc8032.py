#!/usr/bin/env python3
"""Verify Tests/CryptoVectors/Vectors/rfc8032_ed25519.json with PyNaCl (libsodium).

The JSON file is a hand transcription of RFC 8032 section 7.1 (TEST 1, 2, 3,
1024, SHA(abc)).  For every vector this script checks that:
  * the 32-byte seed yields the listed public key,
  * signing the message yields exactly the listed signature (Ed25519 is
    deterministic),
  * the listed signature verifies under the listed public key,
  * a signature with one flipped bit is rejected.
It also checks the transcribed message lengths (TEST 1024 is 1023 bytes,
TEST SHA(abc) is SHA-512("abc")).  Exits non-zero on any mismatch.
"""
import hashlib
import json
import os
import sys

import nacl.exceptions
import nacl.signing

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
PATH = os.path.join(ROOT, "Tests", "CryptoVectors", "Vectors", "rfc8032_ed25519.json")

EXPECTED_NAMES = ["TEST 1", "TEST 2", "TEST 3", "TEST 1024", "TEST SHA(abc)"]
EXPECTED_MSG_LEN = {"TEST 1": 0, "TEST 2": 1, "TEST 3": 2, "TEST 1024": 1023, "TEST SHA(abc)": 64}


def main() -> int:
    with open(PATH) as f:
        doc = json.load(f)
    failures = []

    def check(cond, what):
        if not cond:
            failures.append(what)
            print("FAIL", what)

    names = [v["name"] for v in doc["vectors"]]
    check(names == EXPECTED_NAMES, f"vector names {names}")

    for v in doc["vectors"]:
        name = v["name"]
        before = len(failures)
        for field in ("secret_key", "public_key", "message", "signature"):
            check(v[field] == v[field].lower(), f"{name}: {field} not lowercase hex")
        seed = bytes.fromhex(v["secret_key"])
        pub = bytes.fromhex(v["public_key"])
        msg = bytes.fromhex(v["message"])
        sig = bytes.fromhex(v["signature"])
        check(len(seed) == 32, f"{name}: seed length {len(seed)}")
        check(len(pub) == 32, f"{name}: public key length {len(pub)}")
        check(len(sig) == 64, f"{name}: signature length {len(sig)}")
        if name in EXPECTED_MSG_LEN:
            check(len(msg) == EXPECTED_MSG_LEN[name], f"{name}: message length {len(msg)}")
        if name == "TEST SHA(abc)":
            check(msg == hashlib.sha512(b"abc").digest(), f"{name}: message is not SHA-512('abc')")
        if len(seed) != 32:
            continue

        sk = nacl.signing.SigningKey(seed)
        derived_pub = bytes(sk.verify_key)
        check(derived_pub == pub, f"{name}: seed gives public key {derived_pub.hex()}")
        produced = sk.sign(msg).signature
        check(produced == sig, f"{name}: signing gives {produced.hex()}")

        vk = nacl.signing.VerifyKey(pub)
        try:
            vk.verify(msg, sig)
            ok = True
        except nacl.exceptions.BadSignatureError:
            ok = False
        check(ok, f"{name}: listed signature does not verify")

        bad = bytearray(sig)
        bad[0] ^= 0x01
        try:
            vk.verify(msg, bytes(bad))
            rejected = False
        except nacl.exceptions.BadSignatureError:
            rejected = True
        check(rejected, f"{name}: tampered signature verified")
        if len(failures) == before:
            print(f"ok  {name}: {len(msg)}-byte message")

    if failures:
        print(f"{len(failures)} failure(s)")
        return 1
    print(f"all {len(doc['vectors'])} RFC 8032 Ed25519 vectors verified with PyNaCl {nacl.__version__}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
