#!/usr/bin/env bash
# Fuzzes request decoding, the sign_content rebuild, signature parsing and audit export
# lines with libFuzzer for a bounded time (issue 6). From the repository's root:
#
#   scripts/fuzz.sh [SECONDS]   build Fuzz/ instrumented, fuzz for SECONDS (default 60)
#   scripts/fuzz.sh --seeds     build, then rewrite the generated seeds of Fuzz/Corpus
#
# The build (release, libFuzzer and AddressSanitizer on every Swift module, in
# Fuzz/.build-fuzz) is reused between runs. The run starts from Fuzz/Corpus and writes the
# inputs it finds to Fuzz/.build-fuzz/corpus (not committed); a crash, an ASan report, a
# leak, a timeout or running out of memory stops it, keeps the input in Fuzz/Findings/ and
# makes this script exit 1. It ends with one line:
#   fuzz: RUNS runs in SECONDS s (RATE/s), coverage COV edges FT features, corpus N, crashes K
# See Fuzz/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-packages.sh libsecp256k1-dev libsodium-dev libsqlite3-dev pkg-config

build_started=$(date +%s)
# --sanitize=fuzzer makes SwiftPM link libFuzzer's main (with -Xswiftc alone it expects a
# Swift main and the link fails); but SwiftPM passes each --sanitize as its own -sanitize
# flag, and the last one wins, so without the combined list after them the modules get
# ASan and no coverage instrumentation.
(cd Fuzz && swift build -c release --scratch-path .build-fuzz --product RequestFuzzer \
    --sanitize=fuzzer --sanitize=address -Xswiftc -sanitize=fuzzer,address)
echo "fuzz: built in $(( $(date +%s) - build_started )) s"
fuzzer="Fuzz/.build-fuzz/release/RequestFuzzer"

if [ "${1:-}" = "--seeds" ]; then
    # The regression-* inputs (once crashing inputs, kept by hand) stay.
    mkdir -p Fuzz/Corpus && find Fuzz/Corpus -type f ! -name 'regression-*' -delete
    SIGNED_FOLLOW_FUZZ_WRITE_SEEDS=Fuzz/Corpus "$fuzzer"
    echo "fuzz: wrote $(ls Fuzz/Corpus | wc -l) seeds to Fuzz/Corpus"
    exit 0
fi

seconds="${1:-60}"
case "$seconds" in ''|*[!0-9]*) echo "usage: scripts/fuzz.sh [SECONDS | --seeds]" >&2; exit 2;; esac
work="Fuzz/.build-fuzz/corpus"
log="Fuzz/.build-fuzz/fuzz.log"
mkdir -p "$work" Fuzz/Findings
started="$work/../fuzz.started"
touch "$started"
# -max_len: a body of up to 16 KiB (the service's limit), plus the selector, the two
# header lengths and two headers of up to 255 bytes.
status=0
ASAN_OPTIONS="detect_leaks=1:abort_on_error=0" "$fuzzer" "$work" Fuzz/Corpus \
    -max_total_time="$seconds" -max_len=16897 -timeout=10 -rss_limit_mb=2048 \
    -dict=Fuzz/fuzz.dict -artifact_prefix=Fuzz/Findings/ -print_final_stats=1 \
    >"$log" 2>&1 || status=$?
tail -n 25 "$log"

runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
last=$(grep -E '^#[0-9]+' "$log" | tail -n 1 || true)
cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$last")
ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$last")
corpus=$(sed -n 's/.* corp: \([0-9]*\).*/\1/p' <<<"$last")
crashes=$(find Fuzz/Findings -type f -newer "$started" | wc -l)
[ "$status" -ne 0 ] && [ "$crashes" -eq 0 ] && crashes="1 (see $log)"
echo "fuzz: ${runs:-0} runs in ${seconds} s (${rate:-0}/s), coverage ${cov:-?} edges ${ft:-?} features, corpus ${corpus:-?}, crashes $crashes"
[ "$status" -eq 0 ] && [ "$crashes" = 0 ]
