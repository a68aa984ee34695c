#!/usr/bin/env python3
"""Errors reach the user through struct mshvcpu_error, never filled by hand
in the tool (TAP output).

  - no source of the tool writes an error's message itself: the library
    fills it, and the tool only prints it (output.c);
  - so a record's place in a stream (FILE:LINE) is never lost: a long path
    and a long message once left no room for it in the message field.

  errors.py --mshvcpu BUILD/mshvcpu --source SOURCE_ROOT
"""
import argparse
import glob
import os
import re
import subprocess
import sys
import tempfile
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "common"))
from tap import Tap  # noqa: E402

HOST = ('{"schema":"mshvcpu-host/1","name":"%s","source":"hypervisor",'
        '"vendor":"%s","offered":{"bank0":"0x1","bank1":"0x0","bank2":null,"xsave":"0x1"}}\n')
# Writing to an error's message: err->message, err.message, ->message[...] = ...
WRITES = re.compile(r"(?:snprintf|strcpy|strcat|memcpy|memmove|sprintf|strncpy)\s*\([^;]*"
                    r"(?:->|\.)message|(?:->|\.)message\s*(?:\[[^]]*\])?\s*=[^=]")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--mshvcpu", required=True)
    ap.add_argument("--source", required=True)
    args = ap.parse_args()
    tap = Tap()

    def check(name, ok, detail=""):
        tap.check(ok, name, detail)

    for path in sorted(glob.glob(os.path.join(args.source, "tools", "mshvcpu", "*.c"))):
        with open(path, encoding="utf-8") as f:
            hits = [i for i, line in enumerate(f, 1) if WRITES.search(line)]
        check(f"{os.path.basename(path)} fills no error message by hand", not hits,
              f"lines {hits}")

    with tempfile.TemporaryDirectory(prefix="mshvcpu-errors-") as tmp:
        # A deep directory and long host names: a long path and a long message.
        deep = os.path.join(tmp, *(["d" * 50] * 5))
        os.makedirs(deep)
        stream = os.path.join(deep, "hosts.jsonl")
        with open(stream, "w") as f:
            f.write(HOST % ("a" * 120, "intel"))
            f.write(HOST % ("b" * 120, "amd"))
        env = dict(os.environ, NO_COLOR="1")
        for cmd in ("baseline",):
            proc = subprocess.run([args.mshvcpu, cmd, stream], capture_output=True,
                                  text=True, env=env)
            check(f"{cmd}: mixed vendors in a stream, exit 1", proc.returncode == 1,
                  f"status {proc.returncode}: {proc.stderr!r}")
            check(f"{cmd}: the error names FILE:LINE of the record",
                  proc.stderr.startswith(f"mshvcpu: {cmd}: {stream}:2: mixed vendors")
                  and proc.stderr.count("\n") == 1, repr(proc.stderr))

    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
