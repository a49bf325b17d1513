#!/usr/bin/env bash
# Formats the Swift sources with `swift format` (it ships with the toolchain) and the
# configuration in .swift-format (the house layout: 4 spaces, lines up to 130 columns,
# existing line breaks kept; no rule that rewrites code). From the repository's root:
#
#   scripts/format.sh          reformat in place
#   scripts/format.sh --lint   report what differs and exit 1 if anything does (make test)
#
# Sources/Keccak/KeccakF1600.swift is generated (scripts/gen_keccak_permutation.py, and a
# test holds it to its generator), so it is left as written.
set -euo pipefail
cd "$(dirname "$0")/.."
mapfile -t files < <(find Sources Tests Benchmarks/Sources Fuzz/Sources -name '*.swift' \
    ! -path 'Sources/Keccak/KeccakF1600.swift' ! -path '*/.build*' | sort)
files+=(Package.swift Benchmarks/Package.swift Fuzz/Package.swift)
if [ "${1:-}" = "--lint" ]; then
    swift format lint --strict --configuration .swift-format "${files[@]}"
    echo "format: ${#files[@]} files as .swift-format lays them out"
else
    swift format format --in-place --configuration .swift-format "${files[@]}"
fi
