#!/usr/bin/env bash
# Accepted follows/s over HTTP (wrk on loopback) against the raw single-core recovery
# rate measured in the same run, then p50/p99 at half of saturation. See
# scripts/bench_http.py.
#   scripts/bench-http.sh             release build, 1,000 users, 10 s a run
#   scripts/bench-http.sh --ci        a short run on the debug build `make test` made
set -euo pipefail
cd "$(dirname "$0")/.."
exec python3 scripts/bench_http.py "$@"
