#!/usr/bin/env python3
"""Two builds of the service side by side over HTTP, for BENCHMARKS.md ("Read path").

Serves the read-path graph (read_path.py builds it) with each binary in turn, one server at
a time on the same database, and runs the same wrk load as read_path.py against it
(`wrk -t2 -c64`, random follow_status pairs, then the default page of
user_public_followers of the popular users), alternating the binaries round after round so
that the machine's noise falls on both. Prints each run and, per route and binary, the
medians of requests/s and of the server's CPU time per request, and the ratios to the
first binary.

Usage (from Benchmarks/):
  cp ../.build/release/signed-follow /tmp/sf-before        # on the old commit
  python3 http_ab.py before=/tmp/sf-before after=../.build/release/signed-follow [--rounds 5]
Options: --dir (the graph, default as read_path.py), --duration S, --port P,
--popular N (users with >= 100 followers: read_path.py prints it; 619 for its graph).
Needs: wrk, and `ss` (iproute2) to check that the server listening is the one started.
"""
import argparse
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time

from read_path import WRK_SCRIPT


def cpu_seconds(pid):
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def serve_and_measure(binary, database, port, paths_file, script, duration):
    env = dict(os.environ, SIGNED_FOLLOW_DB=database, SIGNED_FOLLOW_PORT=str(port))
    server = subprocess.Popen([binary, "serve"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        # Another process may hold the port: wait until this server is the one listening.
        for _ in range(600):
            listening = subprocess.run(["ss", "-ltnp"], capture_output=True, text=True).stdout
            if f":{port} " in listening and f"pid={server.pid}," in listening:
                break
            if server.poll() is not None:
                sys.exit(f"{binary} exited with status {server.returncode}")
            time.sleep(0.1)
        else:
            sys.exit(f"{binary} is not listening on port {port}")
        wrk = ["wrk", "-t2", "-c64", "--latency", "-s", script, f"http://127.0.0.1:{port}"]
        wrk_env = dict(os.environ, PATHS_FILE=paths_file)
        subprocess.run(wrk[:3] + ["-d1s"] + wrk[3:], env=wrk_env, capture_output=True, check=True)  # warm-up
        before = cpu_seconds(server.pid)
        output = subprocess.run(wrk[:3] + [f"-d{duration}s"] + wrk[3:], env=wrk_env, capture_output=True,
                                text=True, check=True).stdout
        cpu = cpu_seconds(server.pid) - before
    finally:
        server.terminate()
        server.wait()
    requests = int(re.search(r"(\d+) requests in", output).group(1))
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    if bad:
        sys.exit(f"{binary}: {bad.group(1)} answers were not 2xx")
    return {
        "rate": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "cpu_us": cpu / requests * 1e6,
        "p99": re.search(r"^\s+99%\s+(\S+)", output, re.M).group(1),
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("binaries", nargs="+", help="label=path of a signed-follow executable")
    parser.add_argument("--dir", default=os.path.join(tempfile.gettempdir(), "signed-follow-read-path"))
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--duration", type=int, default=6)
    parser.add_argument("--port", type=int, default=18090)
    parser.add_argument("--popular", type=int, default=619)
    args = parser.parse_args()
    binaries = [tuple(spec.split("=", 1)) for spec in args.binaries]
    database = os.path.join(args.dir, "graph.sqlite")

    # The same paths as read_path.py.
    users = open(database + ".users").read().split()
    rng = random.Random(7)
    routes = {
        "follow_status": [f"/api/follow_status/?userid={rng.choice(users)}&target_userid={rng.choice(users)}"
                          for _ in range(20000)],
        "user_public_followers": [f"/api/user_public_followers/?userid={user}" for user in users[: args.popular]],
    }
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_SCRIPT)
    results = {}
    for route, paths in routes.items():
        with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as listing:
            listing.write("\n".join(paths) + "\n")
        for round_number in range(args.rounds):
            for label, binary in binaries:
                run = serve_and_measure(binary, database, args.port, listing.name, script.name, args.duration)
                results.setdefault((route, label), []).append(run)
                print(f"{route:22} round {round_number} {label:10} {run['rate']:9.0f} req/s  "
                      f"{run['cpu_us']:6.1f} us CPU/req  p99 {run['p99']:>8}  load {os.getloadavg()[0]:.1f}",
                      file=sys.stderr, flush=True)
    print(f"{'route':22} {'build':10} {'req/s':>9} {'ratio':>6} {'CPU us/req':>11} {'ratio':>6}")
    for route in routes:
        first = results[(route, binaries[0][0])]
        base_rate = statistics.median(run["rate"] for run in first)
        base_cpu = statistics.median(run["cpu_us"] for run in first)
        for label, _ in binaries:
            rate = statistics.median(run["rate"] for run in results[(route, label)])
            cpu = statistics.median(run["cpu_us"] for run in results[(route, label)])
            print(f"{route:22} {label:10} {rate:9.0f} {rate / base_rate:6.2f} {cpu:11.1f} {cpu / base_cpu:6.2f}")


if __name__ == "__main__":
    main()
