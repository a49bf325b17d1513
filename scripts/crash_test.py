#!/usr/bin/env python3
"""Crash safety: kill -9 the service at random moments under load and check that nothing
acknowledged was lost (issue 6).

1. Start `signed-follow serve` on a fresh database; `signed-follow gen-load` registers
   users and writes fresh pre-signed follows (distinct pairs).
2. Client threads send the follows on keep-alive connections and record every follow
   answered with code 0 (acknowledged). A request whose connection breaks has an unknown
   outcome: the client sends it again once the service is back (an exact replay answers
   "already applied", code 0, when the first one had committed).
3. Meanwhile the service is killed with SIGKILL at random moments (--kills times) and
   restarted each time.
4. Then, on the database as the last kill left it (restarted once more):
   - every acknowledged follow has its audit entry (read with `signed-follow audit
     export`) and `follow_status` answers is_following for its pair;
   - `signed-follow audit verify` confirms the whole chain and every signature;
   - no half state: the pairs that lists show as followed are exactly the pairs of the
     follow entries of the audit log (an entry without its edge, or an edge without its
     entry, would be a half-applied write).

Prints `acknowledged A, lost L, chain breaks C, half states H` and exits 1 unless L, C
and H are 0 and there were at least --kills kills.

Usage: scripts/crash-test.sh [--release] [--kills 5] [--users 200] [--requests 20000] | --ci
"""
import argparse
import base64
import json
import os
import random
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import servicelib  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--release", action="store_true", help="build and use the release binary (default: debug)")
    parser.add_argument("--no-build", action="store_true", help="use the binary already built")
    parser.add_argument("--kills", type=int, default=5)
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--requests", type=int, default=20000)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--port", type=int, default=18181)
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--keep", action="store_true", help="keep the working directory")
    parser.add_argument("--ci", action="store_true",
                        help="the CI-sized run: the debug binary `make test` built, 60 users, 3,000 follows, 5 kills")
    args = parser.parse_args()
    if args.ci:
        args.no_build, args.users, args.requests, args.kills = True, 60, 3000, 5

    configuration = "release" if args.release else "debug"
    if not args.no_build:
        servicelib.build(configuration)
    executable = servicelib.binary(configuration)
    seed = args.seed if args.seed is not None else random.randrange(1 << 30)
    rng = random.Random(seed)
    work = tempfile.mkdtemp(prefix="signed-follow-crash-")
    database = os.path.join(work, "crash.sqlite")
    # Per-user rate limits would refuse most of the load (each user sends requests/users
    # follows within seconds): they are not what this test is about.
    server = servicelib.Server(executable, database, args.port, os.path.join(work, "server.log"),
                               extra_env={"SIGNED_FOLLOW_RATE_LIMIT_BURST": "0"})
    print(f"crash-test: seed {seed}, working in {work}", flush=True)

    try:
        run(args, rng, executable, server, work)
    finally:
        if server.process and server.process.poll() is None:
            server.kill()


def run(args, rng, executable, server, work):
    server.start()
    load = os.path.join(work, "load.jsonl")
    subprocess.run([executable, "gen-load", "--server", server.url, "--users", str(args.users),
                    "--requests", str(args.requests), "--out", load], check=True)
    documents = servicelib.read_documents(load)

    acknowledged = set()      # indices of documents answered with code 0
    refused = {}              # index -> code, for answers other than 0
    lock = threading.Lock()
    next_index = [0]
    retry = []                # indices whose outcome is unknown
    stop = threading.Event()
    service_up = threading.Event()
    service_up.set()

    def client():
        connection = servicelib.Connection(args.port, timeout=10)
        while not stop.is_set():
            with lock:
                if retry:
                    index = retry.pop()
                elif next_index[0] < len(documents):
                    index = next_index[0]
                    next_index[0] += 1
                else:
                    break
            while not stop.is_set():
                service_up.wait()
                try:
                    status, code = connection.send(documents[index])
                except Exception:
                    time.sleep(0.02)   # the service is down or restarting: try again
                    continue
                with lock:
                    if code == 0:
                        acknowledged.add(index)
                    elif status == 503:
                        retry.append(index)   # shutting down: not applied, send again
                    else:
                        refused[index] = code
                break
        connection.close()

    threads = [threading.Thread(target=client, daemon=True) for _ in range(args.clients)]
    started = time.monotonic()
    for thread in threads:
        thread.start()

    # Kill at random moments spread over the run: wait for some progress, then kill.
    kills = 0
    per_kill = len(documents) // (args.kills + 1)
    while kills < args.kills:
        target = (kills + 1) * per_kill + rng.randrange(max(1, per_kill // 2))
        while True:
            with lock:
                done = len(acknowledged) + len(refused)
            if done >= min(target, len(documents) - 1) or not any(t.is_alive() for t in threads):
                break
            time.sleep(0.001 * rng.randrange(1, 20))
        service_up.clear()
        server.kill()
        kills += 1
        print(f"  kill {kills}: {done} answered so far", flush=True)
        time.sleep(0.05 * rng.randrange(0, 10))
        server.start()
        service_up.set()

    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    stop.set()
    unanswered = len(documents) - len(acknowledged) - len(refused)

    # The final state: kill once more (nothing to drain: the load is over), restart, check.
    server.kill()
    server.start()
    lost, half_states, chain_ok, chain_output = check(executable, server, work, documents, acknowledged)
    server.stop()

    codes = {}
    for code in refused.values():
        codes[code] = codes.get(code, 0) + 1
    print(f"crash-test: {len(documents)} follows in {elapsed:.1f} s with {kills} kills; "
          f"acknowledged {len(acknowledged)}, refused {len(refused)} {codes or ''}, unanswered {unanswered}")
    print(chain_output.strip())
    print(f"crash-test: acknowledged {len(acknowledged)}, lost {len(lost)}, chain breaks {0 if chain_ok else 1}, "
          f"half states {len(half_states)}")
    for index in sorted(lost)[:10]:
        print(f"  LOST: {documents[index][3][:160]!r}")
    for state in sorted(half_states)[:10]:
        print(f"  HALF STATE: {state}")
    ok = not lost and chain_ok and not half_states and kills >= args.kills and not refused
    if not args.keep and ok:
        subprocess.run(["rm", "-rf", work])
    sys.exit(0 if ok else 1)


def check(executable, server, work, documents, acknowledged):
    """(lost indices, half states, chain ok, audit verify's output)."""
    export = os.path.join(work, "audit.jsonl")
    subprocess.run([executable, "audit", "export", "--db", server.database, "--out", export], check=True)
    verify = subprocess.run([executable, "audit", "verify", export], capture_output=True, text=True)
    chain_ok = verify.returncode == 0

    audited = set()           # (userid, target, timestamp) of follow entries
    with open(export) as lines:
        for line in lines:
            entry = json.loads(line)
            if entry["kind"] == "follow":
                body = json.loads(base64.b64decode(entry["body_b64"]))
                audited.add((body["userid"], body["target_userid"], body["timestamp"]))

    lost = set()
    for index in acknowledged:
        body = json.loads(documents[index][3])
        key = (body["userid"], body["target_userid"], body["timestamp"])
        status = servicelib.get_json(f"{server.url}/api/follow_status/?userid={body['userid']}"
                                     f"&target_userid={body['target_userid']}")
        if key not in audited or not status["data"]["is_following"]:
            lost.add(index)

    # Every follow is a distinct pair, so the followed pairs must be exactly the audited ones.
    audited_pairs = {(user, target) for user, target, _ in audited}
    listed_pairs = set()
    users = {user for user, _ in audited_pairs} | {json.loads(d[3])["userid"] for d in documents}
    for user in users:
        page = 1
        while True:
            answer = servicelib.get_json(f"{server.url}/api/user_public_following/?userid={user}&page={page}&size=100")
            for listed in answer["data"]["user_list"]:
                listed_pairs.add((user, listed["userid"]))
            if page * 100 >= answer["data"]["total_count"]:
                break
            page += 1
    half_states = {f"audited but not followed: {p}" for p in audited_pairs - listed_pairs}
    half_states |= {f"followed but not audited: {p}" for p in listed_pairs - audited_pairs}
    return lost, half_states, chain_ok, verify.stdout + verify.stderr


if __name__ == "__main__":
    main()
