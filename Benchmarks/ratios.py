#!/usr/bin/env python3
"""Run the crypto benchmarks once and print medians, ratios and the targets; then run
the write-path benchmarks (write_path.py) and report theirs.

    cd Benchmarks && python3 ratios.py            # build (release), run, report: crypto, then write path
    python3 ratios.py --input run.md              # report on a saved crypto run (write path skipped)
    python3 ratios.py --save run.md --markdown    # keep the raw output; tables in Markdown
    python3 ratios.py --crypto-only               # the crypto suite only
    python3 ratios.py --write-path-only           # write_path.py only (same as `python3 write_path.py`)
    python3 ratios.py --write-path-save wp.txt    # keep the write path's raw output (--write-path-input reads it)

It runs `swift package benchmark --format markdown --no-progress --scale` in this
directory: the harness's Markdown tables, with every value for a whole sample (`--scale`
turns off the harness's division by the operations per sample, which rounds to whole
numbers); each benchmark name carries `(ops: N)`, the operations in one sample, and this
script divides by it. Python 3 standard library only.

Two kinds of benchmark come out of one run (see Benchmarks/CryptoBenchmarks):
  "<group>: <variant>"       one variant alone: wall clock and mallocs, per operation
  "<group> ~ interleaved"    all the group's variants timed in alternation in each sample
The ratios, and the targets, use the interleaved medians: the machine's speed drifts by
tens of percent within a second, and only variants timed in alternation see the same
drift. The medians of the variants run alone are printed beside them for reference.

The write path (decode + verify + group commit on one core against raw recovery, and
durable follows per second) is measured by the executable Sources/WritePathBenchmark,
which write_path.py builds, runs and reports on; see its docstring.

Exit status: 0 when the run parsed (targets met or not), 1 with --strict and a target
missed (crypto or write path), 2 when the benchmark run or its output failed.
"""

import argparse
import os
import re
import subprocess
import sys

from write_path import table  # one table printer for both reports

HERE = os.path.dirname(os.path.abspath(__file__))
COMMAND = ["swift", "package", "benchmark", "--format", "markdown", "--no-progress", "--scale"]

TIME_UNITS = {"ns": 1.0, "μs": 1e3, "us": 1e3, "ms": 1e6, "s": 1e9}
COUNT_UNITS = {"#": 1, "K": 1e3, "M": 1e6, "G": 1e9}

# (label, group, numerator variant, denominator variant, target or None)
RATIOS = []
for size in ("032B", "136B", "200B"):
    target = 1.0 if size == "136B" else None
    RATIOS += [
        (f"sha3_256 ours / OpenSSL reused ctx, {size}", f"Hash {size}", "sha3_256 ours",
         "sha3_256 OpenSSL reused ctx", target),
        (f"sha3_256 ours / OpenSSL EVP_Digest, {size}", f"Hash {size}", "sha3_256 ours",
         "sha3_256 OpenSSL EVP_Digest", target),
        (f"keccak256 ours / OpenSSL reused ctx, {size}", f"Hash {size}", "keccak256 ours",
         "sha3_256 OpenSSL reused ctx", None),
        (f"keccak256 ours / OpenSSL EVP_Digest, {size}", f"Hash {size}", "keccak256 ours",
         "sha3_256 OpenSSL EVP_Digest", None),
    ]
RATIOS += [
    ("recoverAddress (parsed once) / raw", "Recover address", "ours, signature parsed once",
     "raw libsecp256k1", 1.05),
    ("recoverAddress (parse 65 B each time) / raw", "Recover address", "ours, parsing 65 bytes each time",
     "raw libsecp256k1", 1.05),
    ("Ed25519 isValidSignature / raw verify", "Ed25519 verify", "ours", "raw libsodium", 1.05),
    ("Ed25519PublicKey(rawRepresentation:) / raw point check", "Ed25519 point check", "ours",
     "raw libsodium", 1.05),
]

# Our hashes must not allocate: (group prefix, variant).
ZERO_MALLOC = [(f"Hash {size}", variant) for size in ("032B", "136B", "200B")
               for variant in ("keccak256 ours", "sha3_256 ours")]


def fail(message):
    print("ratios.py: " + message, file=sys.stderr)
    sys.exit(2)


def run_benchmarks(save):
    """Builds and runs the suite; returns the harness's stdout."""
    print("$ cd %s && %s" % (HERE, " ".join(COMMAND)), file=sys.stderr, flush=True)
    process = subprocess.run(COMMAND, cwd=HERE, stdout=subprocess.PIPE, text=True)
    if save:
        with open(save, "w", encoding="utf-8") as handle:
            handle.write(process.stdout)
    if process.returncode != 0:
        sys.stderr.write(process.stdout[-4000:])
        fail("`%s` failed with status %d" % (" ".join(COMMAND), process.returncode))
    return process.stdout


def parse(text):
    """{benchmark name: {"ops": n, "rows": {metric: {"p0": per-op value, ...}}}}."""
    results = {}
    current = None
    columns = None
    for line in text.splitlines():
        heading = re.match(r"^### (.+?) \(ops: (\d+)\)\s*$", line)
        if heading:
            current = {"ops": int(heading.group(2)), "rows": {}}
            results[heading.group(1)] = current
            columns = None
            continue
        if current is None or not line.startswith("|"):
            continue
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if cells[0] == "Metric":
            columns = cells[1:]
            continue
        if columns is None or set(cells[0]) <= set(":-"):
            continue
        label, values = cells[0], cells[1:]
        scaled = label.endswith("*")  # the harness already divided by ops
        label = label.rstrip("* ").strip()
        factor = 1.0
        unit = re.search(r"\(([^()]+)\)$", label)
        if unit and unit.group(1) in TIME_UNITS:
            factor = TIME_UNITS[unit.group(1)]
            label = label[: unit.start()].strip()
        elif unit and unit.group(1) in COUNT_UNITS:
            factor = COUNT_UNITS[unit.group(1)]
            label = label[: unit.start()].strip()
        divisor = 1 if scaled else current["ops"]
        row = {}
        for column, value in zip(columns, values):
            if column == "Samples":
                row[column] = int(float(value))
            else:
                row[column] = float(value) * factor / divisor
        current["rows"][label] = row
    return results


def median_alone(results, group, variant):
    entry = results.get(f"{group}: {variant}")
    return entry["rows"].get("Time (wall clock)", {}).get("p50") if entry else None


def median_interleaved(results, group, variant, percentile="p50"):
    entry = results.get(f"{group} ~ interleaved")
    return entry["rows"].get(variant, {}).get(percentile) if entry else None


def fmt_time(ns):
    if ns is None:
        return "n/a"
    return "%.0f ns" % ns if ns < 10_000 else "%.2f µs" % (ns / 1000)


def fmt_ratio(value):
    return "n/a" if value is None else "%.3fx" % value


def report(results, markdown):
    missed = []
    # 1. Medians, per operation.
    rows = []
    seen = set()
    for name in sorted(results):
        if " ~ interleaved" in name or ": " not in name:
            continue
        group, variant = name.split(": ", 1)
        seen.add(group)
        entry = results[name]["rows"]
        mallocs = entry.get("Malloc (total)", {})
        rows.append([
            f"{group}: {variant}",
            fmt_time(median_interleaved(results, group, variant)),
            fmt_time(median_alone(results, group, variant)),
            "%.2f" % mallocs["p50"] if "p50" in mallocs else "n/a",
            "%.2f" % mallocs["p100"] if "p100" in mallocs else "n/a",
            str(results[name]["ops"]),
        ])
    if not rows:
        fail("no per-variant benchmark results in the output")
    print("Medians (p50) per operation; mallocs per operation (median and maximum over samples)\n")
    print(table(["benchmark", "p50 interleaved", "p50 alone", "mallocs p50", "mallocs max", "ops/sample"],
                rows, markdown))

    # 2. Ratios.
    rows = []
    for label, group, numerator, denominator, target in RATIOS:
        inter = alone = quartile = None
        a, b = median_interleaved(results, group, numerator), median_interleaved(results, group, denominator)
        if a is not None and b:
            inter = a / b
        a = median_interleaved(results, group, numerator, "p25")
        b = median_interleaved(results, group, denominator, "p25")
        if a is not None and b:
            quartile = a / b
        a, b = median_alone(results, group, numerator), median_alone(results, group, denominator)
        if a is not None and b:
            alone = a / b
        verdict = ""
        if target is not None:
            if inter is None:
                verdict = "NOT MEASURED"
                missed.append(label)
            elif inter <= target:
                verdict = "met (<= %.2fx)" % target
            else:
                verdict = "MISSED by %.1f%% (target <= %.2fx)" % ((inter / target - 1) * 100, target)
                missed.append(label)
        rows.append([label, fmt_ratio(inter), fmt_ratio(quartile), fmt_ratio(alone), verdict])
    print("\nRatios of medians (the interleaved ones are judged; p25 for the fast phases of the machine)\n")
    print(table(["ratio", "interleaved p50", "interleaved p25", "alone p50", "target (on p50)"], rows, markdown))

    # 3. Mallocs of our hashes.
    print("\nMallocs per hash, ours (maximum over all samples of the per-variant benchmarks)\n")
    rows = []
    for group, variant in ZERO_MALLOC:
        entry = results.get(f"{group}: {variant}", {"rows": {}})["rows"].get("Malloc (total)")
        if entry is None:
            rows.append([f"{group}: {variant}", "n/a", "NOT MEASURED"])
            missed.append(f"{group}: {variant} mallocs")
            continue
        ok = entry["p100"] == 0
        rows.append([f"{group}: {variant}", "%g" % entry["p100"], "met (0)" if ok else "MISSED"])
        if not ok:
            missed.append(f"{group}: {variant} mallocs")
    print(table(["hash", "mallocs/hash (max)", "target"], rows, markdown))

    print("\nTargets: " + ("all met" if not missed else "MISSED: " + "; ".join(missed)))
    return missed


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--input", help="parse this saved output of the benchmark command instead of running it")
    parser.add_argument("--save", help="also write the benchmark command's raw output to this file")
    parser.add_argument("--markdown", action="store_true", help="print the tables as Markdown")
    parser.add_argument("--strict", action="store_true", help="exit with status 1 when a target is missed")
    parser.add_argument("--crypto-only", action="store_true", help="skip the write-path benchmarks")
    parser.add_argument("--write-path-only", action="store_true", help="skip the crypto benchmarks")
    parser.add_argument("--write-path-input", help="report on this saved write-path output instead of running it")
    parser.add_argument("--write-path-save", help="also write the write path's raw output to this file")
    arguments = parser.parse_args()

    missed = []
    if not arguments.write_path_only:
        if arguments.input:
            with open(arguments.input, encoding="utf-8") as handle:
                text = handle.read()
        else:
            text = run_benchmarks(arguments.save)
        results = parse(text)
        if not results:
            sys.stderr.write(text[-4000:])
            fail("found no benchmark tables in the output")
        missed += report(results, arguments.markdown)

    # The write path, unless only a saved crypto run is being reported on.
    if not arguments.crypto_only and (arguments.write_path_input or not arguments.input):
        sys.path.insert(0, HERE)
        import write_path
        print("\n" + "=" * 72 + "\n")
        missed += write_path.main_with(argparse.Namespace(
            input=arguments.write_path_input, save=arguments.write_path_save, markdown=arguments.markdown,
            rounds=None))
    sys.exit(1 if missed and arguments.strict else 0)


if __name__ == "__main__":
    main()
