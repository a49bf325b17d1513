#!/usr/bin/env python3
"""End-to-end follows over HTTP against the raw recovery rate (issue 6).

1. Builds the release service (and a small C program that times the raw libsecp256k1
   recovery: scripts/bench/recover_rate.c).
2. Starts `signed-follow serve` on loopback with a fresh database (rate limits off: one
   user sends hundreds of follows a second here), and `signed-follow gen-load` registers
   and logs in 1,000 users and pre-signs fresh follows (distinct pairs, session keys).
3. Times the raw recovery on one core (CPU 0), then drives the follows with wrk
   (scripts/bench/follows.lua: each follow sent once) for --duration seconds, then
   times the raw recovery again. The ratio is accepted follows/s over the median of the
   two recovery rates.
4. Runs wrk again at half the accepted rate measured, for latency (p50, p99).

Every follow must be answered with code 0 and no socket error: the script prints the
refused codes and exits 1 otherwise. `--ci` is a short run on the debug build that only
checks that (the ratio means nothing on a debug build).

Usage: scripts/bench-http.sh [--duration 10] [--users 1000] [--save FILE] [--keep] | --ci
"""
import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import servicelib  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))


def recover_rate(program, seconds):
    output = subprocess.run(["taskset", "-c", "0", program, str(seconds)], check=True, capture_output=True,
                            text=True).stdout
    return float(re.search(r"recovers/s: (\d+)", output).group(1))


def wrk(load, port, duration, threads, connections, rate=None):
    env = dict(os.environ, LOAD_FILE=load, THREADS=str(threads), CONNECTIONS=str(connections))
    if rate:
        env["RATE"] = str(rate)
    output = subprocess.run(
        ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--timeout", "10s",
         "-s", os.path.join(HERE, "bench", "follows.lua"), f"http://127.0.0.1:{port}"],
        check=True, capture_output=True, text=True, env=env).stdout
    result = json.loads(re.search(r"^RESULT (.*)$", output, re.M).group(1))
    result["accepted_per_s"] = result["accepted"] / (result["duration_us"] / 1e6)
    return result


def resident_mib(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def run_soak(load, server, args):
    """wrk at saturation for --soak seconds over the whole load file (each follow once, then
    replays, which still pass every signature check), sampling the server's RSS."""
    import threading
    samples = []
    done = threading.Event()

    def sample():
        while not done.wait(5):
            samples.append((time.monotonic(), resident_mib(server.pid())))

    sampler = threading.Thread(target=sample, daemon=True)
    started = time.monotonic()
    sampler.start()
    result = wrk(load, args.port, args.soak, args.threads, args.connections)
    done.set()
    sampler.join()
    after_first_minute = [mib for at, mib in samples if at - started >= 60] or [mib for _, mib in samples]
    return {"seconds": args.soak, "requests": result["requests"], "samples_mib": [round(m, 1) for _, m in samples],
            "first_mib": after_first_minute[0], "last_mib": samples[-1][1], "peak_mib": max(m for _, m in samples),
            "refused": result["refused"], "other": result["other"], "socket_errors": result["socket_errors"]}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--users", type=int, default=1000)
    parser.add_argument("--requests", type=int, default=0, help="pre-signed follows (default: enough for both runs)")
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--port", type=int, default=18282)
    parser.add_argument("--no-build", action="store_true")
    parser.add_argument("--debug", action="store_true", help="use the debug build")
    parser.add_argument("--ci", action="store_true", help="short run on the debug build: only checks every answer is 0")
    parser.add_argument("--save", help="write the figures as JSON to this file")
    parser.add_argument("--binary", help="the signed-follow executable to measure (default: the build's; implies --no-build)")
    parser.add_argument("--keep", action="store_true",
                        help="keep the work directory (database, load files, the server's log, its /metrics at the "
                             "end) and print its path")
    parser.add_argument("--soak", type=int, default=0,
                        help="then drive the load for this many seconds more (the fresh follows, then their replays) "
                             "and sample the server's resident memory every 5 s")
    args = parser.parse_args()
    if args.ci:
        args.no_build, args.debug, args.duration, args.users, args.connections = True, True, 3, 60, 16
        args.requests = args.requests or 3000
    configuration = "debug" if args.debug else "release"
    subprocess.run([os.path.join(HERE, "install-packages.sh"), "wrk", "libsecp256k1-dev", "pkg-config"], check=True)
    if not args.no_build and not args.binary:
        servicelib.build(configuration)
    executable = args.binary or servicelib.binary(configuration)

    work = tempfile.mkdtemp(prefix="signed-follow-bench-")
    program = os.path.join(work, "recover_rate")
    flags = subprocess.run(["pkg-config", "--cflags", "--libs", "libsecp256k1"], check=True, capture_output=True,
                           text=True).stdout.split()
    subprocess.run(["cc", "-O2", "-o", program, os.path.join(HERE, "bench", "recover_rate.c")] + flags, check=True)

    environment = {"SIGNED_FOLLOW_RATE_LIMIT_BURST": "0"}
    if args.soak:
        # The soak sends each follow again once the file is used up; a window of an hour
        # keeps those replays valid, so they take the whole path (every signature check,
        # then "already applied" from the writer) instead of failing the window check.
        environment["SIGNED_FOLLOW_TIMESTAMP_WINDOW_MS"] = "3600000"
    server = servicelib.Server(executable, os.path.join(work, "bench.sqlite"), args.port,
                               os.path.join(work, "server.log"), extra_env=environment)
    try:
        server.start()
        requests = args.requests or 30000 * args.duration
        load = os.path.join(work, "load.jsonl")
        subprocess.run([executable, "gen-load", "--server", server.url, "--users", str(args.users),
                        "--requests", str(requests), "--out", load], check=True)
        with open(load) as source:
            lines = source.readlines()
        cut = len(lines) * 2 // 3
        saturation_file, half_file = os.path.join(work, "saturation.jsonl"), os.path.join(work, "half.jsonl")
        with open(saturation_file, "w") as out:
            out.writelines(lines[:cut])
        with open(half_file, "w") as out:
            out.writelines(lines[cut:])

        recover_before = recover_rate(program, 5 if not args.ci else 1)
        saturation = wrk(saturation_file, args.port, args.duration, args.threads, args.connections)
        recover_after = recover_rate(program, 5 if not args.ci else 1)
        half_rate = max(1, int(saturation["accepted_per_s"] / 2))
        half = wrk(half_file, args.port, args.duration, args.threads, args.connections, rate=half_rate)
        soak = run_soak(load, server, args) if args.soak else None
        if args.keep:
            with urllib.request.urlopen(server.url + "/metrics", timeout=10) as answer, \
                    open(os.path.join(work, "metrics.txt"), "wb") as out:
                out.write(answer.read())
    finally:
        server.stop()

    recover = statistics.median([recover_before, recover_after])
    ratio = saturation["accepted_per_s"] / recover
    figures = {
        "configuration": configuration, "users": args.users, "duration_s": args.duration,
        "connections": args.connections, "recover_per_s": [recover_before, recover_after],
        "saturation": saturation, "half": half, "ratio": ratio,
    }
    print(f"raw recover on CPU 0: {recover_before:.0f}/s before, {recover_after:.0f}/s after (median {recover:.0f}/s)")
    for label, run in (("saturation", saturation), (f"half ({half_rate}/s asked)", half)):
        print(f"{label}: accepted {run['accepted_per_s']:.0f} follows/s ({run['accepted']} in "
              f"{run['duration_us'] / 1e6:.1f} s), p50 {run['p50_us'] / 1000:.2f} ms, p99 {run['p99_us'] / 1000:.2f} ms, "
              f"replays {run['replayed']}, refused {run['refused']} {run['refused_codes']}, other {run['other']}, "
              f"socket errors {run['socket_errors']}")
    print(f"accepted follows/s / raw single-core recover: {ratio:.3f}x (target >= 1.0x on the release build)")
    print(f"p99 at half saturation: {half['p99_us'] / 1000:.2f} ms (target < 10 ms)")
    if soak:
        figures["soak"] = soak
        print(f"soak: {soak['seconds']} s, {soak['requests']} requests, resident memory {soak['first_mib']:.1f} MiB after "
              f"the first minute, {soak['last_mib']:.1f} MiB at the end, peak {soak['peak_mib']:.1f} MiB "
              f"(target < 150 MB and not growing); refused {soak['refused']}, socket errors {soak['socket_errors']}")
    if args.save:
        with open(args.save, "w") as out:
            json.dump(figures, out, indent=2)
    bad = sum(run["refused"] + run["other"] + run["socket_errors"] for run in (saturation, half) + ((soak,) if soak else ()))
    if bad:
        print(f"bench-http: {bad} answers were not code 0 (see {server.log_path})")
        sys.exit(1)
    if args.keep:
        print(f"bench-http: kept {work}")
    else:
        subprocess.run(["rm", "-rf", work])


if __name__ == "__main__":
    main()
