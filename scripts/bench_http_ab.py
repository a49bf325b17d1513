#!/usr/bin/env python3
"""Side-by-side runs of scripts/bench-http.sh for two or more builds of the service.

The machine is noisy (a shared host: the same binary can swing by 30% from one minute to
the next), so one run per build says little. This runs `bench_http.py --binary B` for
each build in turn, `--rounds` times, rotating the order every round (A B C, B C A,
C A B, ...), and prints for each build the medians and every value of: accepted follows/s
at saturation, p50/p99 there, p50/p99 at half of saturation, and the ratio to the raw
recovery rate measured in the same run.

Usage: scripts/bench_http_ab.py before=/tmp/sf-before after=.build/release/signed-follow \\
           [--rounds 4] [--save FILE] [-- options for bench_http.py]
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))


def measure(binary, extra):
    with tempfile.NamedTemporaryFile(suffix=".json") as figures:
        subprocess.run([sys.executable, os.path.join(HERE, "bench_http.py"), "--binary", binary, "--save", figures.name]
                       + extra, check=True)
        with open(figures.name) as source:
            return json.load(source)


def summary(runs):
    def column(pick, scale=1.0):
        values = [pick(run) / scale for run in runs]
        return {"median": statistics.median(values), "values": values}
    return {
        "accepted_per_s": column(lambda run: run["saturation"]["accepted_per_s"]),
        "saturation_p50_ms": column(lambda run: run["saturation"]["p50_us"], 1000),
        "saturation_p99_ms": column(lambda run: run["saturation"]["p99_us"], 1000),
        "half_p50_ms": column(lambda run: run["half"]["p50_us"], 1000),
        "half_p99_ms": column(lambda run: run["half"]["p99_us"], 1000),
        "recover_per_s": column(lambda run: statistics.median(run["recover_per_s"])),
        "ratio": column(lambda run: run["ratio"]),
    }


def main():
    arguments = sys.argv[1:]
    extra = []
    if "--" in arguments:
        extra = arguments[arguments.index("--") + 1:]
        arguments = arguments[:arguments.index("--")]
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("builds", nargs="+", help="LABEL=PATH of a signed-follow executable")
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--save", help="write every run's figures and the summary as JSON to this file")
    args = parser.parse_args(arguments)
    builds = [build.split("=", 1) for build in args.builds]
    runs = {label: [] for label, _ in builds}
    for round_number in range(args.rounds):
        shift = round_number % len(builds)
        for label, binary in builds[shift:] + builds[:shift]:
            print(f"== round {round_number + 1}: {label}", flush=True)
            runs[label].append(measure(binary, extra))
    summaries = {label: summary(label_runs) for label, label_runs in runs.items()}
    print()
    print("| build | accepted follows/s | saturation p50 / p99 ms | half p50 / p99 ms | ratio to raw recovery |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for label, figures in summaries.items():
        def cell(name, digits):
            return f"{figures[name]['median']:.{digits}f}"
        print(f"| {label} | {cell('accepted_per_s', 0)} | {cell('saturation_p50_ms', 1)} / "
              f"{cell('saturation_p99_ms', 1)} | {cell('half_p50_ms', 1)} / {cell('half_p99_ms', 1)} | "
              f"{cell('ratio', 3)} |")
    print()
    for label, figures in summaries.items():
        values = "; ".join(f"{name} " + ", ".join(f"{value:.4g}" for value in column["values"])
                           for name, column in figures.items())
        print(f"{label}: {values}")
    if args.save:
        with open(args.save, "w") as out:
            json.dump({"runs": runs, "summary": summaries}, out, indent=2)


if __name__ == "__main__":
    main()
