#!/usr/bin/env python3
"""Prints the body of one unrolled Keccak-f[1600] round for Sources/Keccak/KeccakF1600.swift.

Lane (x, y) is variable a<x+5y>. The rho offsets and the pi mapping are those of
FIPS 202 section 3.2; the generated code is checked by the FIPS 202 KATs in
Tests/CryptoVectors, so a wrong index here cannot pass the tests.
"""
RHO = [[0, 36, 3, 41, 18], [1, 44, 10, 45, 2], [62, 6, 43, 15, 61],
       [28, 55, 25, 21, 56], [27, 20, 39, 8, 14]]  # RHO[x][y]

def lane(x, y):
    return f"a{x + 5 * y}"

out = []
for x in range(5):
    out.append(f"let c{x} = " + " ^ ".join(lane(x, y) for y in range(5)))
for x in range(5):
    out.append(f"let d{x} = c{(x - 1) % 5} ^ rotateLeft(c{(x + 1) % 5}, 1)")
# rho and pi: B[y][2x+3y] = rot(A[x][y] ^ D[x], RHO[x][y])
b = {}
for x in range(5):
    for y in range(5):
        nx, ny = y, (2 * x + 3 * y) % 5
        r = RHO[x][y]
        expr = f"{lane(x, y)} ^ d{x}"
        b[(nx, ny)] = f"rotateLeft({expr}, {r})" if r else f"({expr})"
for y in range(5):
    for x in range(5):
        out.append(f"let b{x + 5 * y} = {b[(x, y)]}")
# chi and iota
for y in range(5):
    for x in range(5):
        i = x + 5 * y
        e = f"b{i} ^ (~b{(x + 1) % 5 + 5 * y} & b{(x + 2) % 5 + 5 * y})"
        if i == 0:
            e += " ^ roundConstant"
        out.append(f"{lane(x, y)} = {e}")
print("\n".join(out))
