#!/usr/bin/env python3
"""Run the write-path benchmarks once and print medians, ratios and the targets.

    cd Benchmarks && python3 write_path.py          # build (release), run both, report
    python3 write_path.py --save run.txt            # also keep the raw output
    python3 write_path.py --input run.txt           # report on a saved run
    python3 write_path.py --markdown                # tables in Markdown (for BENCHMARKS.md)

It builds the executable `WritePathBenchmark` (Sources/WritePathBenchmark) in release and
runs it twice:

  taskset -c 0 .build/release/WritePathBenchmark pipeline     (one core, CPU 0)
  .build/release/WritePathBenchmark durable                   (both cores)

`pipeline` times, in alternating rounds, the raw libsecp256k1 recovery rate and the
in-process pipeline (decode + verify + group commit, 512 requests in flight, into a fresh
database with synchronous = FULL), then each stage alone. `durable` times already-verified
follows through the group-commit writer (4096 submitters) and through `FollowStore.apply`
in batches of 256 and 1024, each round into a fresh database and timed until
`follow_pairs` has every pair. The executable prints its rounds as it goes and a last
line `JSON: {...}`, which this script reads. Python 3 standard library only.

Targets (the project's issue 3):
  pipeline follows/s >= 0.85x raw recoveries/s, on one core
  durable follows/s through the group-commit writer >= 50,000

Exit status: 0 when the runs parsed (targets met or not), 1 with --strict and a target
missed, 2 when a build or run failed.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
BUILD = ["swift", "build", "-c", "release", "--product", "WritePathBenchmark"]
EXECUTABLE = os.path.join(".build", "release", "WritePathBenchmark")
PIPELINE_RATIO_TARGET = 0.85
DURABLE_TARGET = 50_000


def fail(message):
    print("write_path.py: " + message, file=sys.stderr)
    sys.exit(2)


def commands(rounds):
    extra = ["--rounds", str(rounds)] if rounds else []
    pinned = ["taskset", "-c", "0"] if shutil.which("taskset") else []
    if not pinned:
        print("write_path.py: taskset not found: the pipeline runs unpinned (see its CPU/wall)", file=sys.stderr)
    return [pinned + [EXECUTABLE, "pipeline"] + extra, [EXECUTABLE, "durable"] + extra]


def run(rounds, save):
    """Builds, runs both modes, echoes their progress to stderr; returns their stdout."""
    print("$ cd %s && %s" % (HERE, " ".join(BUILD)), file=sys.stderr, flush=True)
    build = subprocess.run(BUILD, cwd=HERE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if build.returncode != 0:
        sys.stderr.write(build.stdout[-4000:])
        fail("the build failed with status %d" % build.returncode)
    outputs = []
    for command in commands(rounds):
        print("$ " + " ".join(command), file=sys.stderr, flush=True)
        process = subprocess.Popen(command, cwd=HERE, stdout=subprocess.PIPE, text=True)
        lines = []
        for line in process.stdout:
            lines.append(line)
            if not line.startswith("JSON: "):
                sys.stderr.write("  " + line)
                sys.stderr.flush()
        if process.wait() != 0:
            fail("`%s` failed with status %d" % (" ".join(command), process.returncode))
        outputs.append("$ " + " ".join(command) + "\n" + "".join(lines))
    text = "\n".join(outputs)
    if save:
        with open(save, "w", encoding="utf-8") as handle:
            handle.write(text)
    return text


def parse(text):
    """{"pipeline": {...}, "durable": {...}} from the JSON lines."""
    results = {}
    for line in text.splitlines():
        if line.startswith("JSON: "):
            data = json.loads(line[len("JSON: "):])
            results[data["mode"]] = data
    return results


def table(headers, rows, markdown):
    if markdown:
        lines = ["| " + " | ".join(headers) + " |",
                 "|" + "|".join(":---" if i == 0 else "---:" for i in range(len(headers))) + "|"]
        lines += ["| " + " | ".join(row) + " |" for row in rows]
        return "\n".join(lines)
    widths = [max(len(str(x)) for x in column) for column in zip(headers, *rows)]
    render = lambda row: "  ".join(str(cell).ljust(width) if i == 0 else str(cell).rjust(width)
                                   for i, (cell, width) in enumerate(zip(row, widths)))
    return "\n".join([render(headers), render(["-" * w for w in widths])] + [render(r) for r in rows])


def rounds_text(values, fmt="%.0f"):
    return ", ".join(fmt % v for v in values)


def median(values):
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def report(results, markdown):
    missed = []
    pipeline = results.get("pipeline")
    if pipeline:
        one_core = pipeline["allowed_cpus"] == "0" or pipeline["allowed_cpus"].isdigit()
        print("Pipeline on one core (allowed CPUs: %s; %d users, %d follows a round, %d in flight, %d rounds)\n"
              % (pipeline["allowed_cpus"], pipeline["users"], pipeline["follows"], pipeline["concurrency"],
                 pipeline["rounds"]))
        rows = [
            ["raw secp256k1 recover (parse_compact + recover)", "%.0f" % pipeline["median_recover_per_s"],
             "%.2f µs" % (1e6 / pipeline["median_recover_per_s"]), rounds_text(pipeline["recover_per_s"])],
            ["pipeline: decode + verify + group commit", "%.0f" % pipeline["median_pipeline_per_s"],
             "%.2f µs" % (1e6 / pipeline["median_pipeline_per_s"]), rounds_text(pipeline["pipeline_per_s"])],
        ]
        print(table(["per second (median)", "ops/s", "per op", "rounds"], rows, markdown))
        ratio = pipeline["ratio"]
        verdict = ("met" if ratio >= PIPELINE_RATIO_TARGET else "MISSED") + " (target >= %.2fx)" % PIPELINE_RATIO_TARGET
        if not one_core:
            verdict += ", but NOT pinned to one core"
        if ratio < PIPELINE_RATIO_TARGET or not one_core:
            missed.append("pipeline / raw recover")
        print("\npipeline / raw recover: %.3fx (per round: %s): %s" % (
            ratio, rounds_text(pipeline["ratio_per_round"], "%.3f"), verdict))
        cpu = median(pipeline["pipeline_cpu_us"])
        transactions = median(pipeline["pipeline_transactions"])
        print("pipeline CPU per request %.1f µs; CPU/wall %s (at most 1.0 on one core); %.0f transactions a round,"
              " %.0f writes each; %.1f write and %.1f read calls per request"
              % (cpu, rounds_text(pipeline["pipeline_cpu_per_wall"], "%.2f"), transactions,
                 pipeline["follows"] / transactions, median(pipeline["pipeline_write_calls"]),
                 median(pipeline["pipeline_read_calls"])))
        breakdown = pipeline["breakdown"]
        print("\nPer request, each stage alone, single-threaded (%d follows, median of %d rounds)\n"
              % (breakdown["count"], pipeline["rounds"]))
        rows = [[stage["stage"], "%.2f µs" % stage["wall_us"], "%.2f µs" % stage["cpu_us"],
                 "%.1f" % stage["write_calls"], "%.1f" % stage["read_calls"]]
                for stage in breakdown["stages"]]
        print(table(["stage", "wall", "CPU", "write calls", "read calls"], rows, markdown))

    durable = results.get("durable")
    if durable:
        print("\nDurable follows, synchronous = FULL (allowed CPUs: %s; %d users, %d follows a round, audit body %.0f B,"
              " %d submitters, %d rounds)\n" % (durable["allowed_cpus"], durable["users"], durable["follows"],
                                                durable["mean_body_bytes"], durable["submitters"], durable["rounds"]))
        rows = []
        for variant in durable["variants"]:
            rows.append([variant["variant"], "%.0f" % variant["median_per_s"], "%.1f µs" % median(variant["cpu_us"]),
                         "%.0f" % median(variant["transactions"]),
                         "%.1f / %.1f" % (median(variant["write_calls_per_follow"]), median(variant["read_calls_per_follow"])),
                         "%.1f KiB" % median(variant["kib_written_per_follow"]), rounds_text(variant["per_s"])])
        print(table(["path", "follows/s (median)", "CPU per follow", "transactions", "write / read calls per follow",
                     "written per follow", "rounds"], rows, markdown))
        writer = next(v for v in durable["variants"] if v["variant"] == "group-commit writer")
        rate = writer["median_per_s"]
        ok = rate >= DURABLE_TARGET
        print("\ngroup-commit writer: %.0f follows/s: %s (target >= %d)" % (rate, "met" if ok else "MISSED", DURABLE_TARGET))
        if not ok:
            missed.append("durable follows/s")

    print("\nWrite-path targets: " + ("all met" if not missed else "MISSED: " + "; ".join(missed)))
    return missed


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--input", help="report on this saved output instead of running")
    parser.add_argument("--save", help="also write the raw output to this file")
    parser.add_argument("--markdown", action="store_true", help="print the tables as Markdown")
    parser.add_argument("--strict", action="store_true", help="exit with status 1 when a target is missed")
    parser.add_argument("--rounds", type=int, help="rounds per measurement (default: the executable's, 5)")
    arguments = parser.parse_args()
    sys.exit(1 if main_with(arguments) and arguments.strict else 0)


def main_with(arguments):
    """Runs (or reads) and reports; returns the missed targets."""
    if arguments.input:
        with open(arguments.input, encoding="utf-8") as handle:
            text = handle.read()
    else:
        text = run(arguments.rounds, arguments.save)
    results = parse(text)
    if not results:
        sys.stderr.write(text[-4000:])
        fail("found no JSON results in the output")
    return report(results, arguments.markdown)


if __name__ == "__main__":
    main()
