#!/usr/bin/env bash
# kill -9 the service at random moments under load; check that no acknowledged follow was
# lost, the audit chain verifies and no write is half applied. See scripts/crash_test.py.
#   scripts/crash-test.sh            debug build, 200 users, 20,000 follows, 5 kills
#   scripts/crash-test.sh --release  the same on the release build
#   scripts/crash-test.sh --ci       the CI-sized run on the debug build `make test` made
set -euo pipefail
cd "$(dirname "$0")/.."
exec python3 scripts/crash_test.py "$@"
