#!/usr/bin/env python3
"""Prints `N passed, M failed` from Swift Testing's JUnit file; exits 1 on any failure.

A test case counts as failed when it carries a <failure> or <error>. A missing or
unreadable file (the test process crashed before writing it) counts as one failure.
"""
import sys
import xml.etree.ElementTree as ET

path = sys.argv[1]
try:
    cases = list(ET.parse(path).getroot().iter("testcase"))
except (OSError, ET.ParseError) as error:
    print(f"test results not readable ({error}): the test process did not finish", file=sys.stderr)
    print("0 passed, 1 failed")
    sys.exit(1)

failed = [c for c in cases if c.find("failure") is not None or c.find("error") is not None]
for case in failed:
    print(f"FAILED {case.get('classname')}.{case.get('name')}", file=sys.stderr)
if not cases:
    print("no test ran", file=sys.stderr)
print(f"{len(cases) - len(failed)} passed, {len(failed)} failed")
sys.exit(1 if failed or not cases else 0)
