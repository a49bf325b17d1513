#!/usr/bin/env python3
"""Compare two builds of WritePathBenchmark side by side: `durable` runs of one round each,
alternating between the builds, so that both see the same phases of a noisy machine.

    cd Benchmarks
    cp .build/release/WritePathBenchmark /tmp/wp-before      # build of the old commit
    # ... change the sources, rm -f .build/release/description.json, rebuild ...
    python3 compare_write_path.py /tmp/wp-before .build/release/WritePathBenchmark --runs 6
    python3 compare_write_path.py /tmp/wp-before .build/release/WritePathBenchmark -- --dir /dev/shm

Each run is `EXECUTABLE durable --rounds 1` (every variant once, in a fresh database) plus
any options after `--`, e.g. `-- --follows 25600`. The order alternates: before, after,
after, before, ... The script prints each variant's median follows/s and CPU per follow
for both builds, and the ratio after/before of the medians. Python 3 standard library only.
"""

import argparse
import json
import statistics
import subprocess
import sys


def run_once(executable, extra):
    """One `durable --rounds 1` run; returns {variant: (follows/s, CPU µs per follow)}."""
    result = subprocess.run([executable, "durable", "--rounds", "1"] + extra, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit("compare_write_path.py: %s failed:\n%s%s" % (executable, result.stdout, result.stderr))
    line = next(l for l in (result.stdout + result.stderr).splitlines()[::-1] if l.startswith("JSON: "))
    report = json.loads(line[len("JSON: "):])
    return {v["variant"]: (v["per_s"][0], v["cpu_us"][0]) for v in report["variants"]}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("before")
    parser.add_argument("after")
    parser.add_argument("--runs", type=int, default=6, help="runs of each build (default 6)")
    arguments = sys.argv[1:]
    extra = arguments[arguments.index("--") + 1:] if "--" in arguments else []
    options = parser.parse_args(arguments[:arguments.index("--")] if "--" in arguments else arguments)
    options.extra = extra

    samples = {"before": {}, "after": {}}
    for index in range(options.runs):
        order = ["before", "after"] if index % 2 == 0 else ["after", "before"]
        for build in order:
            executable = options.before if build == "before" else options.after
            for variant, (rate, cpu) in run_once(executable, options.extra).items():
                samples[build].setdefault(variant, []).append((rate, cpu))
            rates = {v: round(s[-1][0]) for v, s in samples[build].items()}
            print("run %d %-6s %s" % (index + 1, build, rates), file=sys.stderr, flush=True)

    print("\n| variant | before follows/s | after follows/s | after/before | before CPU µs/follow | after CPU µs/follow |")
    print("|:---|---:|---:|---:|---:|---:|")
    for variant in samples["before"]:
        before, after = samples["before"][variant], samples["after"].get(variant, [])
        if not after:
            continue
        rate_b = statistics.median(r for r, _ in before)
        rate_a = statistics.median(r for r, _ in after)
        cpu_b = statistics.median(c for _, c in before)
        cpu_a = statistics.median(c for _, c in after)
        print("| %s | %s | %s | %.3fx | %.2f | %.2f |" % (
            variant, format(round(rate_b), ","), format(round(rate_a), ","), rate_a / rate_b, cpu_b, cpu_a))
    for build in ("before", "after"):
        for variant, values in samples[build].items():
            print("%s %s: %s" % (build, variant, ", ".join(str(round(r)) for r, _ in values)))


if __name__ == "__main__":
    main()
