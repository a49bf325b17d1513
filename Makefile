# signed-follow: two commands do everything a newcomer needs.
#   make test   installs the missing system packages, builds, runs every test
#   make run    runs the service on 127.0.0.1:8080 with ./signed-follow.sqlite (CONFIG=release for speed)
# and, for measurements:
#   make bench  runs the benchmark package (Benchmarks/) and prints the ratios of BENCHMARKS.md

SWIFT ?= swift
# apt-get through sudo when not root.
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
SYSTEM_PACKAGES := libsecp256k1-dev libsodium-dev libsqlite3-dev pkg-config
BENCH_PACKAGES := $(SYSTEM_PACKAGES) libssl-dev
RESULTS := .build/test-results

.PHONY: test run bench setup setup-bench clean

test: setup
	rm -rf $(RESULTS) && mkdir -p $(RESULTS)
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build --xunit-output $(RESULTS)/xunit.xml; \
	  status=$$?; python3 scripts/test-summary.py $(RESULTS)/xunit-swift-testing.xml || status=1; exit $$status

CONFIG ?= debug

run: setup
	$(SWIFT) build -c $(CONFIG) --product signed-follow
	$(SWIFT) run -c $(CONFIG) --skip-build signed-follow serve

bench: setup-bench
	cd Benchmarks && python3 ratios.py

# Installs only what is missing, so a machine that has everything is not touched.
setup:
	@scripts/install-packages.sh $(SYSTEM_PACKAGES)

setup-bench:
	@scripts/install-packages.sh $(BENCH_PACKAGES)

clean:
	rm -rf .build Benchmarks/.build
