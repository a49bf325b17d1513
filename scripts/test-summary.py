#!/usr/bin/env python3
"""Prints `N passed, M failed` from Swift Testing's JUnit file; exits 1 on any failure.

A test case counts as failed when it carries a <failure> or <error>. A missing or
unreadable file (the test process crashed before writing it) counts as one failure.
Each `--check NAME=STATUS` after the file adds one more test, passed when STATUS is 0
(make test passes the source layout check this way).
"""
import sys
import xml.etree.ElementTree as ET

path = sys.argv[1]
checks = []
arguments = sys.argv[2:]
while arguments:
    flag, value = arguments[0], arguments[1] if len(arguments) > 1 else ""
    if flag != "--check" or "=" not in value:
        print("usage: test-summary.py RESULTS.xml [--check NAME=STATUS ...]", file=sys.stderr)
        sys.exit(2)
    name, status = value.split("=", 1)
    checks.append((name, status == "0"))
    arguments = arguments[2:]
failed_checks = [name for name, passed in checks if not passed]
for name in failed_checks:
    print(f"FAILED check {name}", file=sys.stderr)

try:
    cases = list(ET.parse(path).getroot().iter("testcase"))
except (OSError, ET.ParseError) as error:
    print(f"test results not readable ({error}): the test process did not finish", file=sys.stderr)
    print(f"{len(checks) - len(failed_checks)} passed, {1 + len(failed_checks)} failed")
    sys.exit(1)

failed = [c for c in cases if c.find("failure") is not None or c.find("error") is not None]
for case in failed:
    print(f"FAILED {case.get('classname')}.{case.get('name')}", file=sys.stderr)
if not cases:
    print("no test ran", file=sys.stderr)
total_failed = len(failed) + len(failed_checks)
print(f"{len(cases) - len(failed) + len(checks) - len(failed_checks)} passed, {total_failed} failed")
sys.exit(1 if total_failed or not cases else 0)
