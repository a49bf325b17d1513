#!/usr/bin/env python3
"""Generate SHA3-224 / SHA3-256 / Keccak-256 vectors.

Writes Tests/CryptoVectors/Vectors/sha3_hashlib.json.
  * sha3_224 / sha3_256: Python hashlib (OpenSSL), cross-checked against
    pycryptodome's Crypto.Hash.SHA3_224 / SHA3_256.
  * keccak256: eth_utils.keccak (eth-hash, auto-selected backend, recorded in
    "source"), cross-checked against pycryptodome's Crypto.Hash.keccak.
Messages: lengths 0..300 and 543, 1000, 4096 of bytes (i*7+3) & 0xff, plus the
"million a" message stored as message_repeat.  Fully deterministic.
"""
import hashlib
import json
import os
import ssl
import sys
from importlib.metadata import version

import eth_hash.auto
from Crypto.Hash import SHA3_224, SHA3_256
from Crypto.Hash import keccak as cd_keccak
from eth_utils import keccak

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
OUT = os.path.join(ROOT, "Tests", "CryptoVectors", "Vectors", "sha3_hashlib.json")


def keccak_backend_name():
    # eth_hash.auto.keccak is a lazily-initialised Keccak256 wrapper; force it
    # to pick a backend, then report which one it picked.
    eth_hash.auto.keccak(b"")
    hasher = getattr(eth_hash.auto.keccak, "hasher", None)
    backend = getattr(hasher, "__self__", None)
    mod = type(backend).__module__ if backend is not None else ""
    if "pycryptodome" in mod:
        return f"pycryptodome {version('pycryptodome')}"
    if "pysha3" in mod:
        return f"pysha3 {version('pysha3')}"
    raise SystemExit(f"unknown eth-hash backend: {hasher!r}")


def hashlib_impl():
    # Report which implementation hashlib uses for SHA-3 (without the OpenSSL
    # version string, which differs between machines and would break
    # byte-for-byte reproducibility of the JSON).
    ctor = hashlib.sha3_256
    if getattr(ctor, "__name__", "").startswith("openssl_"):
        return "OpenSSL"
    return "CPython builtin _sha3"


def pattern(n):
    return bytes((i * 7 + 3) & 0xFF for i in range(n))


def digests(msg):
    s224 = hashlib.sha3_224(msg).hexdigest()
    s256 = hashlib.sha3_256(msg).hexdigest()
    k256 = keccak(msg).hex()
    assert s224 == SHA3_224.new(msg).hexdigest()
    assert s256 == SHA3_256.new(msg).hexdigest()
    assert k256 == cd_keccak.new(digest_bits=256, data=msg).hexdigest()
    return s224, s256, k256


def main():
    backend = keccak_backend_name()

    # Well-known answers.
    assert hashlib.sha3_224(b"").hexdigest() == "6b4e03423667dbb73b6e15454f0eb1abd4597f9a1b078e3f5b5a6bc7"
    assert hashlib.sha3_256(b"").hexdigest() == "a7ffc6f8bf1ed76651c14756a061d662f580ff4de43b49fa82d80a4b80f8434a"
    assert keccak(b"").hex() == "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470"
    assert hashlib.sha3_256(b"abc").hexdigest() == "3a985da74fe225b2045c172d6bd390bd855f086e3e9d525b46bfe24511431532"

    vectors = []
    for n in list(range(301)) + [543, 1000, 4096]:
        msg = pattern(n)
        s224, s256, k256 = digests(msg)
        vectors.append({"message_hex": msg.hex(), "sha3_224": s224, "sha3_256": s256, "keccak256": k256})

    million_a = b"a" * 1_000_000
    s224, s256, k256 = digests(million_a)
    assert s256 == "5c8875ae474a3634ba4fd55ec85bffd661f32aca75c6d699d0cdcb6c115891c1", s256
    assert s224 == "d69335b93325192e516a912e6d19a15cb51c6ed5c15243e7a7fd653c", s224
    vectors.append({
        "message_repeat": {"byte_hex": "61", "count": 1000000},
        "sha3_224": s224,
        "sha3_256": s256,
        "keccak256": k256,
    })

    doc = {
        "source": (
            f"Python hashlib ({hashlib_impl()}) sha3_224/sha3_256 "
            f"and eth-hash {version('eth-hash')} keccak256 (eth_utils.keccak, backend: {backend}); "
            f"all three cross-checked against pycryptodome {version('pycryptodome')} Crypto.Hash"
        ),
        "generator": "scripts/vectors/gen_sha3_hashlib_vectors.py",
        "vectors": vectors,
    }
    with open(OUT, "w") as f:
        json.dump(doc, f, indent=1, sort_keys=False)
        f.write("\n")
    print(f"hashlib SHA-3 via {hashlib_impl()} ({ssl.OPENSSL_VERSION}), Python {sys.version.split()[0]}")
    print(f"wrote {len(vectors)} vectors to {os.path.relpath(OUT, ROOT)}; keccak backend: {backend}")
    print(f"million-a: sha3_224={s224} sha3_256={s256} keccak256={k256}")


if __name__ == "__main__":
    main()
