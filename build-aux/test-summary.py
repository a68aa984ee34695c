#!/usr/bin/env python3
"""Print one line counting the test results of every `meson test` run in the
given build directories: `N passed, N failed` (skips are named separately)."""
import glob
import json
import os
import sys

args = sys.argv[1:]
status = 0
if args[:1] == ["--status"]:
    status = int(args[1])
    args = args[2:]

passed = failed = skipped = 0
for build in args:
    for log in sorted(glob.glob(os.path.join(build, "meson-logs", "testlog*.json"))):
        with open(log, encoding="utf-8") as f:
            for line in f:
                if not line.strip():
                    continue
                result = json.loads(line).get("result")
                if result in ("OK", "EXPECTEDFAIL"):
                    passed += 1
                elif result == "SKIP":
                    skipped += 1
                else:
                    failed += 1
notes = []
if skipped:
    notes.append(f"{skipped} skipped")
if status and not failed:
    # The build or a test runner failed before reporting a failed test.
    failed = 1
    notes.append("a build or a test runner failed outside the test results")
extra = f" ({'; '.join(notes)})" if notes else ""
print(f"{passed} passed, {failed} failed{extra}")
