#!/bin/sh
# Usage (from the repository root): Benchmarks/experiments/keccak_side_by_side/run.sh [OLD_COMMIT] [SAMPLES]
# Builds OLD_COMMIT's Sources/Keccak (default: the commit before the XKCP-order permutation)
# as module KeccakOld and the working tree's as module Keccak, with -O -wmo, links both into
# harness.swift and runs it. Needs only swiftc; writes to a temporary directory.
set -e
OLD=${1:-6a3b473}
SAMPLES=${2:-600}
ROOT=$(git rev-parse --show-toplevel)
WORK=$(mktemp -d)
mkdir -p "$WORK/old" "$WORK/mods"
git -C "$ROOT" archive "$OLD" Sources/Keccak | tar -x -C "$WORK/old"
swiftc -O -wmo -parse-as-library -module-name KeccakOld -package-name kold -emit-module \
  -emit-module-path "$WORK/mods/KeccakOld.swiftmodule" -emit-library -static -o "$WORK/mods/libKeccakOld.a" "$WORK"/old/Sources/Keccak/*.swift
swiftc -O -wmo -parse-as-library -module-name Keccak -package-name knew -emit-module \
  -emit-module-path "$WORK/mods/Keccak.swiftmodule" -emit-library -static -o "$WORK/mods/libKeccak.a" "$ROOT"/Sources/Keccak/*.swift
swiftc -O -wmo -I "$WORK/mods" -L "$WORK/mods" -lKeccakOld -lKeccak "$ROOT/Benchmarks/experiments/keccak_side_by_side/harness.swift" -o "$WORK/harness"
"$WORK/harness" "$SAMPLES"
rm -rf "$WORK"
