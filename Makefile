# signed-follow: two commands do everything a newcomer needs.
#   make test   installs the missing system packages, builds, runs every test
#   make run    runs the service on 127.0.0.1:8080 with ./signed-follow.sqlite (CONFIG=release for speed)
# and, for measurements:
#   make bench  runs the benchmark package (Benchmarks/) and prints the ratios of BENCHMARKS.md
#   make format reformats the Swift sources as .swift-format says (make test checks it)

SWIFT ?= swift
# apt-get through sudo when not root.
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
SYSTEM_PACKAGES := libsecp256k1-dev libsodium-dev libsqlite3-dev pkg-config
BENCH_PACKAGES := $(SYSTEM_PACKAGES) libssl-dev
RESULTS := .build/test-results

.PHONY: test run bench format setup setup-bench clean

# The layout check (scripts/format.sh --lint) counts as one more test: a drift fails it
# without stopping the others.
test: setup
	rm -rf $(RESULTS) && mkdir -p $(RESULTS)
	$(SWIFT) build --build-tests
	scripts/format.sh --lint; layout=$$?; \
	  $(SWIFT) test --skip-build --xunit-output $(RESULTS)/xunit.xml; \
	  status=$$?; python3 scripts/test-summary.py $(RESULTS)/xunit-swift-testing.xml --check layout=$$layout || status=1; exit $$status

CONFIG ?= debug

run: setup
	$(SWIFT) build -c $(CONFIG) --product signed-follow
	$(SWIFT) run -c $(CONFIG) --skip-build signed-follow serve

format:
	scripts/format.sh

bench: setup-bench
	cd Benchmarks && python3 ratios.py

# Installs only what is missing, so a machine that has everything is not touched.
setup:
	@scripts/install-packages.sh $(SYSTEM_PACKAGES)

setup-bench:
	@scripts/install-packages.sh $(BENCH_PACKAGES)

clean:
	rm -rf .build Benchmarks/.build
