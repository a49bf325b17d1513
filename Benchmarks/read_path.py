#!/usr/bin/env python3
"""The read path's figures for BENCHMARKS.md ("Read path").

Builds (once) a graph of 1,000,000 follow edges among 100,000 users with
ReadPathBenchmark, times page reads in-process, then serves the same database with the
release `signed-follow serve` and measures over HTTP with wrk:
  - follow_status of random pairs,
  - a default page (20) of user_public_followers of users with >= 100 followers,
  - the audit export of the whole log (1,100,000 entries), with the server's peak RSS.

Usage (from Benchmarks/): python3 read_path.py [--dir DIR] [--rebuild] [--duration S]
Needs: wrk (Debian: apt-get install wrk), curl, and a release build of the service
(`swift build -c release --product signed-follow` at the root; this script runs it).
"""
import argparse
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
PORT = 18080
ADMIN_TOKEN = "read-path-benchmark-token"

WRK_SCRIPT = """
local paths = {}
for line in io.lines(os.getenv("PATHS_FILE")) do paths[#paths + 1] = line end
local i = math.random(#paths)
request = function()
  i = i + 1
  if i > #paths then i = 1 end
  return wrk.format("GET", paths[i])
end
"""


def run(command, **kwargs):
    print("+", " ".join(command), file=sys.stderr)
    return subprocess.run(command, check=True, **kwargs)


def wrk(paths, duration, label):
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as listing:
        listing.write("\n".join(paths) + "\n")
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_SCRIPT)
    env = dict(os.environ, PATHS_FILE=listing.name)
    output = subprocess.run(
        ["wrk", "-t2", "-c64", f"-d{duration}s", "--latency", "-s", script.name, f"http://127.0.0.1:{PORT}"],
        check=True, capture_output=True, text=True, env=env).stdout
    print(output, file=sys.stderr)
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    if bad:
        sys.exit(f"{label}: {bad.group(1)} answers were not 2xx")
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)", output)
    scale = {"us": 1, "ms": 1000, "s": 1_000_000}[p99.group(2)]
    return {"requests_per_second": rate, "p99_us": float(p99.group(1)) * scale}


def peak_rss_mib(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return None


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--dir", default=os.path.join(tempfile.gettempdir(), "signed-follow-read-path"))
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--samples", type=int, default=20000)
    args = parser.parse_args()
    os.makedirs(args.dir, exist_ok=True)
    database = os.path.join(args.dir, "graph.sqlite")

    run(["swift", "build", "-c", "release", "--product", "ReadPathBenchmark"], cwd=HERE)
    run(["swift", "build", "-c", "release", "--product", "signed-follow"], cwd=ROOT)
    tool = os.path.join(HERE, ".build", "release", "ReadPathBenchmark")
    if args.rebuild or not os.path.exists(database + ".users"):
        run([tool, "build", "--db", database])
    lists = subprocess.run([tool, "lists", "--db", database, "--samples", str(args.samples)],
                           check=True, capture_output=True, text=True)
    print(lists.stderr, file=sys.stderr)
    in_process = json.loads(lists.stdout.strip().splitlines()[-1].removeprefix("JSON: "))

    users = open(database + ".users").read().split()
    rng = random.Random(7)
    status_paths = [f"/api/follow_status/?userid={rng.choice(users)}&target_userid={rng.choice(users)}" for _ in range(20000)]
    popular = users[: in_process["popular_users"]]
    follower_paths = [f"/api/user_public_followers/?userid={user}" for user in popular]

    env = dict(os.environ, SIGNED_FOLLOW_DB=database, SIGNED_FOLLOW_PORT=str(PORT), SIGNED_FOLLOW_ADMIN_TOKEN=ADMIN_TOKEN)
    server = subprocess.Popen([os.path.join(ROOT, ".build", "release", "signed-follow"), "serve"], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(600):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{PORT}{status_paths[0]}", timeout=1).read()
                break
            except OSError:
                time.sleep(0.1)
        http = {
            "follow_status": wrk(status_paths, args.duration, "follow_status"),
            "user_public_followers_default_page": wrk(follower_paths, args.duration, "user_public_followers"),
        }
        rss_before = peak_rss_mib(server.pid)
        start = time.monotonic()
        export = subprocess.run(
            ["curl", "-sS", "-o", "/dev/null", "-w", "%{http_code} %{size_download}",
             "-H", f"Authorization: Bearer {ADMIN_TOKEN}", f"http://127.0.0.1:{PORT}/api/audit/export?after_seq=0"],
            check=True, capture_output=True, text=True).stdout.split()
        seconds = time.monotonic() - start
        if export[0] == "200":
            entries = in_process["users"] + 1_000_000
            http["audit_export"] = {
                "entries": entries, "seconds": seconds, "entries_per_second": entries / seconds,
                "bytes": int(export[1]), "peak_rss_mib_before": rss_before, "peak_rss_mib_after": peak_rss_mib(server.pid),
            }
        else:
            http["audit_export"] = {"status": export[0]}
    finally:
        server.terminate()
        server.wait()

    print(f"{'measure':58} {'value':>14}")
    for name in ["followers_page_random_popular", "followers_page_most_followed", "followers_page_middle_most_followed", "follow_status"]:
        figures = in_process[name]
        print(f"in-process {name:47} p50 {figures['p50_us']:8.1f} us  p99 {figures['p99_us']:8.1f} us")
    for name, figures in http.items():
        print(f"http {name:53} {json.dumps(figures)}")
    print("JSON: " + json.dumps({"in_process": in_process, "http": http}, sort_keys=True))


if __name__ == "__main__":
    main()
