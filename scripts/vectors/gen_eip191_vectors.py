#!/usr/bin/env python3
"""Generate EIP-191 personal_sign vectors with eth-account.

Writes Tests/CryptoVectors/Vectors/eip191_eth_account.json.

Every signature is produced by Account.sign_message(encode_defunct(primitive=msg))
and cross-checked here against
  * an independent EIP-191 hash (eth_utils.keccak over the prefixed message),
  * eth_keys.PrivateKey.sign_msg_hash (same r, s, recovery id),
  * Account.recover_message (recovers the signer's address),
  * the EIP-2098 compact form (decodes back to r, s, v; recovers the signer).
Fully deterministic: keys are the Hardhat/Anvil mnemonic keys and keys derived
as keccak256(b"signed-follow vector key " + str(i)); messages are fixed.
"""
import hashlib
import json
import os
from importlib.metadata import version

from eth_account import Account
from eth_account.messages import encode_defunct
from eth_keys import keys as eth_keys_keys
from eth_utils import is_checksum_address, keccak, to_checksum_address

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
OUT = os.path.join(ROOT, "Tests", "CryptoVectors", "Vectors", "eip191_eth_account.json")

SECP256K1_N = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141

MNEMONIC = "test test test test test test test test test test test junk"
HARDHAT_KEY0 = "ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80"
# Well-known Hardhat / Anvil default account addresses (accounts 0..9).
HARDHAT_ADDRESSES = [
    "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266",
    "0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
    "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC",
    "0x90F79bf6EB2c4f870365E785982E1f101E93b906",
    "0x15d34AAf54267DB7D7c367839AAf71A00a2C6A65",
    "0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc",
    "0x976EA74026E726554dB657fA54763abd0C3a0aa9",
    "0x14dC79964da2C08b23698B3D3cc7Ca32193d9955",
    "0x23618e81E3f5cdF7f54C3d65f7FBc0aBf5B21E8f",
    "0xa0Ee7A142d267C1f36714E4a8F75612F20a79720",
]

PROTOCOL_MESSAGE = (
    "\n    Web3MQ wants you to sign in with your eth account:\n"
    "    0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266\n"
    "    \n"
    "    For follow signature\n"
    "    \n"
    "    Nonce: 274f27e951dd86ca93ea3befaa796214d257c69a9ff96f3dd319975e\n"
    "    Issued At: 2023/07/12 16:25"
)
PROTOCOL_SIGNATURE = (
    "0xc9fbd3959551bec133714acc04af6ae360963063a10370ad43b1077acece8b33"
    "2316b7706273b0226dd3f0d76820f719bee1967b7fe161f2deb3eee864f209821c"
)
PROTOCOL_NONCE_INPUT = (
    "user:8d8f2c1f2c6b4b0b0a6e5cb0c8f0e0b1d2c3a4b5c6d7e8f90a1b2c3d"
    + "follow"
    + "user:1111111111111111111111111111111111111111111111111111111"
    + "1689150327546"
)
PROTOCOL_NONCE = "274f27e951dd86ca93ea3befaa796214d257c69a9ff96f3dd319975e"


def hardhat_keys():
    Account.enable_unaudited_hdwallet_features()
    out = []
    for i in range(10):
        acct = Account.from_mnemonic(MNEMONIC, account_path=f"m/44'/60'/0'/0/{i}")
        key_hex = bytes(acct.key).hex()
        assert acct.address == HARDHAT_ADDRESSES[i], (i, acct.address)
        out.append((f"hardhat-{i}", key_hex))
    assert out[0][1] == HARDHAT_KEY0, out[0][1]
    return out


def derived_keys():
    out = []
    for i in range(50):
        k = keccak(b"signed-follow vector key " + str(i).encode())
        if not (0 < int.from_bytes(k, "big") < SECP256K1_N):
            continue  # never happens in practice, but be explicit
        out.append((f"derived-{i}", k.hex()))
    return out


def ascii_pattern(n):
    return bytes(0x61 + (i % 26) for i in range(n))


def binary_pattern(n, seed):
    return bytes((i * 31 + seed * 17 + 5) & 0xFF for i in range(n))


def web3mq_text(address_lower, nonce, issued_at):
    return (
        "\n    Web3MQ wants you to sign in with your eth account:\n"
        f"    {address_lower}\n"
        "    \n"
        "    For follow signature\n"
        "    \n"
        f"    Nonce: {nonce}\n"
        f"    Issued At: {issued_at}"
    )


def web3mq_variant(i, address_lower):
    userid = hashlib.sha3_224(f"vector user {i}".encode()).hexdigest()
    target = hashlib.sha3_224(f"vector target {i}".encode()).hexdigest()
    ts = str(1689150327546 + i * 86_400_123)
    nonce = hashlib.sha3_224((f"user:{userid}" + "follow" + f"user:{target}" + ts).encode()).hexdigest()
    month = 1 + (i % 12)
    day = 1 + ((i * 7) % 28)
    hour = (i * 5) % 24
    minute = (i * 13) % 60
    if i % 3 == 0:
        issued = f"2023/{month:02d}/{day:02d} {hour:02d}:{minute:02d}"
    elif i % 3 == 1:
        issued = f"2024/{month}/{day} {hour}:{minute:02d}"
    else:
        issued = f"2025/{month:02d}/{day:02d} {hour:02d}:{minute:02d}"
    return web3mq_text(address_lower, nonce, issued)


# Fixed special messages: (label, bytes)
SPECIAL = [
    ("empty", b""),
    ("one-byte-00", b"\x00"),
    ("one-byte-61", b"a"),
    ("hello", b"hello"),
    ("len32-ascii", ascii_pattern(32)),
    ("len32-binary", binary_pattern(32, 1)),
    ("len106-preimage135", ascii_pattern(106)),  # 26-byte prefix + "106" + 106 = 135 bytes
    ("len107-preimage136", ascii_pattern(107)),  # preimage exactly one keccak block (136)
    ("len108-preimage137", ascii_pattern(108)),
    ("len135-ascii", ascii_pattern(135)),
    ("len136-ascii", ascii_pattern(136)),
    ("len137-ascii", ascii_pattern(137)),
    ("len135-binary", binary_pattern(135, 2)),
    ("len136-binary", binary_pattern(136, 3)),
    ("len137-binary", binary_pattern(137, 4)),
    ("len200-ascii", ascii_pattern(200)),
    ("len243-preimage272", ascii_pattern(243)),  # preimage exactly two keccak blocks
    ("len1000-ascii", ascii_pattern(1000)),
    ("len1000-binary", binary_pattern(1000, 5)),
    ("utf8-gruesse-fox", "Grüße 🦊".encode("utf-8")),
    ("utf8-mixed", "héllo wörld — ✓ 日本語 🦊🚀".encode("utf-8")),
    ("bytes-00-ff", bytes(range(256))),
    ("hex-looking-text", b"0x68656c6c6f"),
    ("trailing-newline", b"hello\n"),
]


def eip191_hash(msg: bytes) -> bytes:
    return keccak(b"\x19Ethereum Signed Message:\n" + str(len(msg)).encode() + msg)


def make_vector(name, key_hex, msg: bytes):
    acct = Account.from_key(bytes.fromhex(key_hex))
    address = acct.address
    assert is_checksum_address(address)
    signable = encode_defunct(primitive=msg)
    signed = Account.sign_message(signable, private_key=bytes.fromhex(key_hex))

    h = eip191_hash(msg)
    assert bytes(signed.message_hash) == h, name

    sig = bytes(signed.signature)
    assert len(sig) == 65
    r = int.from_bytes(sig[:32], "big")
    s = int.from_bytes(sig[32:64], "big")
    v = sig[64]
    assert (r, s, v) == (signed.r, signed.s, signed.v), name
    assert v in (27, 28), (name, v)
    assert s >> 255 == 0, name  # top bit of s clear in the 65-byte form
    assert s <= SECP256K1_N // 2, name  # low-s

    # Independent signature with eth_keys on the independently computed hash.
    ek = eth_keys_keys.PrivateKey(bytes.fromhex(key_hex)).sign_msg_hash(h)
    assert (ek.r, ek.s, ek.v + 27) == (r, s, v), name

    # Recovery.
    assert Account.recover_message(signable, signature=sig) == address, name

    # EIP-2098 compact form.
    y_parity = v - 27
    compact_s = s | (y_parity << 255)
    compact = sig[:32] + compact_s.to_bytes(32, "big")
    c_r = int.from_bytes(compact[:32], "big")
    c_vs = int.from_bytes(compact[32:], "big")
    c_parity = c_vs >> 255
    c_s = c_vs & ((1 << 255) - 1)
    assert (c_r, c_s, c_parity + 27) == (r, s, v), name
    rebuilt = c_r.to_bytes(32, "big") + c_s.to_bytes(32, "big") + bytes([c_parity + 27])
    assert rebuilt == sig, name
    assert Account.recover_message(signable, signature=rebuilt) == address, name

    return {
        "name": name,
        "private_key": key_hex,
        "address": address,
        "message_hex": msg.hex(),
        "hash": h.hex(),
        "signature": "0x" + sig.hex(),
        "compact": "0x" + compact.hex(),
    }


def main():
    # Protocol nonce known answer.
    nonce = hashlib.sha3_224(PROTOCOL_NONCE_INPUT.encode()).hexdigest()
    assert nonce == PROTOCOL_NONCE, f"sha3_224 nonce mismatch: hashlib gives {nonce}"

    hh = hardhat_keys()
    dk = derived_keys()
    all_keys = hh + dk

    vectors = []

    # 1. The protocol known answer.
    pv = make_vector("protocol-section-5-known-answer", HARDHAT_KEY0, PROTOCOL_MESSAGE.encode("utf-8"))
    assert pv["signature"] == PROTOCOL_SIGNATURE, f"protocol signature mismatch: eth-account gives {pv['signature']}"
    assert pv["address"] == HARDHAT_ADDRESSES[0]
    vectors.append(pv)

    # 2. Hardhat key 0 signs every special message.
    for label, msg in SPECIAL:
        vectors.append(make_vector(f"hardhat-0/{label}", HARDHAT_KEY0, msg))

    # 3. Every other key signs one special message (cycled); every key signs a
    #    Web3MQ-style text.
    for idx, (kname, key_hex) in enumerate(all_keys):
        if key_hex == HARDHAT_KEY0:
            continue  # already signed every special message above
        label, msg = SPECIAL[(idx * 5 + 1) % len(SPECIAL)]
        vectors.append(make_vector(f"{kname}/{label}", key_hex, msg))
    for idx, (kname, key_hex) in enumerate(all_keys):
        addr = Account.from_key(bytes.fromhex(key_hex)).address
        # Alternate between signing in with one's own address and a different one.
        if idx % 2 == 0:
            shown = addr.lower()
        else:
            other = all_keys[(idx + 7) % len(all_keys)][1]
            shown = Account.from_key(bytes.fromhex(other)).address.lower()
        text = web3mq_variant(idx, shown)
        vectors.append(make_vector(f"{kname}/web3mq-follow-{idx}", key_hex, text.encode("utf-8")))

    names = [v["name"] for v in vectors]
    assert len(names) == len(set(names)), "duplicate vector names"
    v_values = [int(v["signature"][-2:], 16) for v in vectors]
    n27 = v_values.count(27)
    n28 = v_values.count(28)
    assert n27 + n28 == len(vectors)
    assert n27 >= 20 and n28 >= 20, (n27, n28)
    assert len(vectors) >= 60
    lengths = {len(bytes.fromhex(v["message_hex"])) for v in vectors}
    for required in (0, 1, 5, 32, 135, 136, 137, 200, 256, 1000):
        assert required in lengths, required

    doc = {
        "source": f"eth-account {version('eth-account')} (PyPI), Account.sign_message(encode_defunct(...))",
        "generator": "scripts/vectors/gen_eip191_vectors.py",
        "vectors": vectors,
    }
    with open(OUT, "w") as f:
        json.dump(doc, f, indent=1, sort_keys=False)
        f.write("\n")
    print(f"wrote {len(vectors)} vectors to {os.path.relpath(OUT, ROOT)} (v=27: {n27}, v=28: {n28})")
    print(f"protocol-section-5-known-answer signature: {pv['signature']} (matches)")
    print(f"protocol nonce sha3_224: {nonce} (matches)")


if __name__ == "__main__":
    main()
