#!/usr/bin/env python3
"""Generate EIP-55 checksum-address vectors with eth-utils.

Writes Tests/CryptoVectors/Vectors/eip55_eth_utils.json:
  * "vectors": the examples from the EIP-55 text, a few edge addresses and
    100 deterministic pseudo-random addresses (last 20 bytes of
    keccak256(b"eip55 vector address " + str(i))), each as lowercase and
    eth_utils.to_checksum_address form;
  * "bad_checksum": 40 mixed-case addresses whose checksum is wrong, made by
    flipping the case of exactly one hex letter of a checksummed address
    (the result stays mixed-case), each confirmed invalid with
    eth_utils.is_checksum_address.
Fully deterministic.
"""
import json
import os
from importlib.metadata import version

from eth_utils import is_checksum_address, keccak, to_checksum_address

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
OUT = os.path.join(ROOT, "Tests", "CryptoVectors", "Vectors", "eip55_eth_utils.json")

# Examples from the EIP-55 specification text.
EIP55_EXAMPLES = [
    # All caps
    "0x52908400098527886E0F7030069857D2E4169EE7",
    "0x8617E340B3D01FA5F11F306F4090FD50E238070D",
    # All lower
    "0xde709f2102306220921060314715629080e2fb77",
    "0x27b1fdb04752bbc536007a920d24acb045561c26",
    # Normal
    "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
    "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
    "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB",
    "0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb",
]

EDGE = [
    "0x0000000000000000000000000000000000000000",
    "0x0000000000000000000000000000000000000001",
    "0xffffffffffffffffffffffffffffffffffffffff",
    "0xaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
    "0x1234567890abcdef1234567890abcdef12345678",
    "0xdeadbeefdeadbeefdeadbeefdeadbeefdeadbeef",
]


def is_mixed(addr):
    body = addr[2:]
    return any(c in "abcdef" for c in body) and any(c in "ABCDEF" for c in body)


def main():
    vectors = []
    seen = set()

    def add(lower):
        assert lower == lower.lower() and len(lower) == 42 and lower.startswith("0x")
        assert lower not in seen
        seen.add(lower)
        cs = to_checksum_address(lower)
        assert is_checksum_address(cs), cs
        assert cs.lower() == lower
        vectors.append({"lowercase": lower, "checksummed": cs})
        return cs

    for ex in EIP55_EXAMPLES:
        cs = add(ex.lower())
        assert cs == ex, f"EIP-55 example mismatch: {ex} -> eth-utils {cs}"
    for e in EDGE:
        add(e)
    random_cs = []
    for i in range(100):
        lower = "0x" + keccak(b"eip55 vector address " + str(i).encode())[12:].hex()
        random_cs.append(add(lower))

    # Bad checksums: flip exactly one letter's case, keep the result mixed-case.
    bad = []
    candidates = [a for a in random_cs if is_mixed(a)]
    j = 0
    while len(bad) < 40:
        addr = candidates[j % len(candidates)]
        body = list(addr[2:])
        letters = [k for k, c in enumerate(body) if c.lower() in "abcdef"]
        # Alternate between flipping an upper-case and a lower-case letter.
        want_upper = (j % 2 == 0)
        pool = [k for k in letters if body[k].isupper() == want_upper] or letters
        seed = keccak(b"eip55 bad checksum " + str(j).encode())
        start = seed[0] % len(pool)
        made = None
        for t in range(len(pool)):
            k = pool[(start + t) % len(pool)]
            trial = body.copy()
            trial[k] = trial[k].swapcase()
            cand = "0x" + "".join(trial)
            if is_mixed(cand) and cand not in bad:
                made = cand
                break
        j += 1
        if made is None:
            continue
        assert sum(1 for a, b in zip(made, addr) if a != b) == 1
        assert made.lower() == addr.lower()
        assert not is_checksum_address(made), made
        assert to_checksum_address(made) == addr
        bad.append(made)

    assert len(vectors) == len(EIP55_EXAMPLES) + len(EDGE) + 100
    assert len(bad) == 40 and len(set(bad)) == 40

    doc = {
        "source": f"eth-utils {version('eth-utils')} to_checksum_address, plus the examples from the EIP-55 text",
        "generator": "scripts/vectors/gen_eip55_vectors.py",
        "vectors": vectors,
        "bad_checksum": bad,
    }
    with open(OUT, "w") as f:
        json.dump(doc, f, indent=1, sort_keys=False)
        f.write("\n")
    print(f"wrote {len(vectors)} vectors and {len(bad)} bad_checksum entries to {os.path.relpath(OUT, ROOT)}")


if __name__ == "__main__":
    main()
