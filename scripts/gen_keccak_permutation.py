#!/usr/bin/env python3
"""Writes Sources/Keccak/KeccakF1600.swift: Keccak-f[1600] in the XKCP "generic64" order,
with lane complementing.

What differs from the earlier generator (scripts/gen_keccak_round.py, in git history before this one,
whose lane complementing and chi forms this one keeps, proved the same way):

- Two sets of lanes, a<j> and e<j>: a round reads one set and writes the other, so a
  round's outputs can be produced as soon as their row of five b values exists, instead
  of holding all 25 b values at once.
- Row by row: five b values (theta's D, rho, pi), then the row's five chi outputs.
- Theta's column parities of the next round are accumulated while the outputs are
  produced (the XKCP's "thetaRhoPiChiIotaPrepareTheta"), so no round reads its 25 input
  lanes twice.
- ROUNDS_PER_ITERATION rounds are written out per loop iteration (a divisor of 24, even,
  so that the loop ends in set a); the round constants come from a tuple, not an array.

In an interleaved side-by-side run (BENCHMARKS.md, "Keccak"), the loop of 6 rounds was the
fastest of 2, 4, 6 and 24 (24 is slower: the code no longer fits the decoded-uop cache).

Lane (x, y) is a<x+5y>. The rho offsets and the pi mapping are those of FIPS 202
section 3.2. Each chi expression is proved on all 8 values of its three input bits (chi
works bit by bit, so that covers every input); the FIPS 202 KATs in Tests/CryptoVectors
check the whole permutation.

Run: python3 scripts/gen_keccak_permutation.py > Sources/Keccak/KeccakF1600.swift
"""
import itertools
import sys

ROUNDS_PER_ITERATION = int(sys.argv[1]) if len(sys.argv) > 1 else 6
assert 24 % ROUNDS_PER_ITERATION == 0 and ROUNDS_PER_ITERATION % 2 == 0

RHO = [[0, 36, 3, 41, 18], [1, 44, 10, 45, 2], [62, 6, 43, 15, 61],
       [28, 55, 25, 21, 56], [27, 20, 39, 8, 14]]  # RHO[x][y]
COMPLEMENTED = {1, 2, 8, 12, 17, 20}  # lanes be, bi, go, ki, mi, sa
ROUND_CONSTANTS = [
    0x0000000000000001, 0x0000000000008082, 0x800000000000808A, 0x8000000080008000,
    0x000000000000808B, 0x0000000080000001, 0x8000000080008081, 0x8000000000008009,
    0x000000000000008A, 0x0000000000000088, 0x0000000080008009, 0x000000008000000A,
    0x000000008000808B, 0x800000000000008B, 0x8000000000008089, 0x8000000000008003,
    0x8000000000008002, 0x8000000000000080, 0x000000000000800A, 0x800000008000000A,
    0x8000000080008081, 0x8000000000008080, 0x0000000080000001, 0x8000000080008008,
]


def lane(x, y):
    return x + 5 * y


# rho and pi: B[y][2x + 3y] = rot(A[x][y] ^ D[x], RHO[x][y]); source[j] is the A lane of b<j>.
source, rotation = [0] * 25, [0] * 25
for x in range(5):
    for y in range(5):
        j = lane(y, (2 * x + 3 * y) % 5)
        source[j], rotation[j] = lane(x, y), RHO[x][y]

# Which b<j> hold a complemented value: complemented source lane, xor the complement of D.
column_parity = [sum(lane(x, y) in COMPLEMENTED for y in range(5)) % 2 for x in range(5)]
d_complemented = [column_parity[(x - 1) % 5] ^ column_parity[(x + 1) % 5] for x in range(5)]
b_complemented = [(source[j] in COMPLEMENTED) ^ d_complemented[source[j] % 5] for j in range(25)]


def chi_expression(j):
    """The cheapest expression over the stored b values for output lane j, proved exact."""
    row = j // 5 * 5
    j1, j2 = row + (j + 1) % 5, row + (j + 2) % 5
    best = None
    for n0, n1, n2, op in itertools.product([0, 1], [0, 1], [0, 1], ["&", "|"]):
        def holds(t0, t1, t2):  # true bits of b[j], b[j1], b[j2]
            want = (t0 ^ ((1 - t1) & t2)) ^ (j in COMPLEMENTED)
            s0, s1, s2 = t0 ^ b_complemented[j] ^ n0, t1 ^ b_complemented[j1] ^ n1, t2 ^ b_complemented[j2] ^ n2
            return want == s0 ^ ((s1 & s2) if op == "&" else (s1 | s2))
        if all(holds(*bits) for bits in itertools.product([0, 1], repeat=3)):
            cost = n0 + n1 + n2
            if best is None or cost < best[0]:
                best = (cost, n0, n1, n2, op, j1, j2)
    assert best, f"no chi expression for lane {j}"
    _, n0, n1, n2, op, j1, j2 = best
    term = lambda k, negated: f"~b{k}" if negated else f"b{k}"
    return f"{term(j, n0)} ^ ({term(j1, n1)} {op} {term(j2, n2)})"


def round_body(read, write, constant, indent):
    """One round from lanes read<j> to write<j>. On entry c0...c4 are the column parities
    of the read lanes; on exit, those of the written lanes."""
    out = [f"let d{x} = c{(x - 1) % 5} ^ rotateLeft(c{(x + 1) % 5}, 1)" for x in range(5)]
    for row in range(0, 25, 5):
        for j in range(row, row + 5):
            i = source[j]
            value = f"{read}{i} ^ d{i % 5}"
            out.append(f"let b{j} = rotateLeft({value}, {rotation[j]})" if rotation[j] else f"let b{j} = {value}")
        for j in range(row, row + 5):
            out.append(f"{write}{j} = {chi_expression(j)}" + (f" ^ {constant}" if j == 0 else ""))
            out.append(f"c{j % 5} = {write}{j}" if row == 0 else f"c{j % 5} ^= {write}{j}")
    return "\n".join(indent + line for line in out)


def load(j):
    return f"~lanes[{j}]" if j in COMPLEMENTED else f"lanes[{j}]"


def store(j):
    return f"~a{j}" if j in COMPLEMENTED else f"a{j}"


loads = "\n".join("    var " + ", ".join(f"a{j} = {load(j)}" for j in range(r, r + 5)) for r in range(0, 25, 5))
e_lanes = "\n".join("    var " + ", ".join(f"e{j}: UInt64 = 0" for j in range(r, r + 5)) for r in range(0, 25, 5))
parities = "\n".join(f"    var c{x} = " + " ^ ".join(f"a{lane(x, y)}" for y in range(5)) for x in range(5))
stores = "\n".join("    " + "; ".join(f"lanes[{j}] = {store(j)}" for j in range(r, r + 5)) for r in range(0, 25, 5))
constants = ",\n".join(
    "    " + ", ".join(f"0x{c >> 48:04X}_{(c >> 32) & 0xFFFF:04X}_{(c >> 16) & 0xFFFF:04X}_{c & 0xFFFF:04X}"
                       for c in ROUND_CONSTANTS[r:r + 4]) for r in range(0, 24, 4))
rounds = "\n".join(
    "            do {\n" + round_body(*(("a", "e") if k % 2 == 0 else ("e", "a")), f"constants[round + {k}]", " " * 16)
    + "\n            }" for k in range(ROUNDS_PER_ITERATION))
tuple_type = ", ".join(["UInt64"] * 24)

print(f"""// Keccak-f[1600], the permutation under SHA-3 and Keccak-256 (FIPS 202 section 3).
// Generated by scripts/gen_keccak_permutation.py; edit the generator, not this file.

#if _endian(big)
#error("The Keccak module stores lanes in host order and assumes a little-endian host")
#endif

/// The 200-byte Keccak state: 25 lanes of 64 bits, held inline so that a hasher never
/// touches the heap. Lane (x, y) is at index x + 5y; lanes are little-endian in memory.
@usableFromInline
struct KeccakState: Sendable {{
    @usableFromInline
    var lanes: (
        UInt64, UInt64, UInt64, UInt64, UInt64,
        UInt64, UInt64, UInt64, UInt64, UInt64,
        UInt64, UInt64, UInt64, UInt64, UInt64,
        UInt64, UInt64, UInt64, UInt64, UInt64,
        UInt64, UInt64, UInt64, UInt64, UInt64
    ) = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)

    @usableFromInline
    init() {{}}
}}

/// The iota round constants, RC[0] to RC[23] (FIPS 202 section 3.2.5), inline (a tuple,
/// not an array: no lazy global, no reference count).
private let roundConstants: ({tuple_type}) = (
{constants}
)

@inline(__always)
private func rotateLeft(_ value: UInt64, _ count: UInt64) -> UInt64 {{
    (value &<< count) | (value &>> (64 &- count))
}}

/// Applies the 24 rounds of Keccak-f[1600] to the 200 bytes at `state`.
///
/// The XKCP's generic64 order: the lanes are loaded into locals (two sets, a and e; each
/// round reads one and writes the other), each row of outputs is produced as soon as its
/// five inputs are, and theta's column parities for the next round are accumulated on
/// the way. Lanes {sorted(COMPLEMENTED)} are held complemented between load and store,
/// which saves most of chi's NOT operations (x86-64 without BMI1 has no AND-NOT).
/// {ROUNDS_PER_ITERATION} rounds are written out per iteration; only the round constants vary.
@usableFromInline
func keccakF1600(_ state: UnsafeMutableRawPointer) {{
    let lanes = state.assumingMemoryBound(to: UInt64.self)
{loads}
{e_lanes}
{parities}

    withUnsafePointer(to: roundConstants) {{ tuple in
        let constants = UnsafeRawPointer(tuple).assumingMemoryBound(to: UInt64.self)
        var round = 0
        while round < 24 {{
{rounds}
            round += {ROUNDS_PER_ITERATION}
        }}
    }}

{stores}
}}""")
