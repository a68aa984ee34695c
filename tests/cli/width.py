#!/usr/bin/env python3
"""Text output fits the width (TAP output).

Piped, every --help and the long text outputs (features, pools,
check-migration, host, ...) have no line wider than 80 characters, counted
as characters, not bytes. COLUMNS changes the width; on a terminal its
width is used.

  width.py --mshvcpu BUILD/mshvcpu --fixtures tests/cli/fixtures
"""
import argparse
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from terminal import run_on_pty  # noqa: E402
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "common"))
from tap import Tap  # noqa: E402

COMMANDS = ["features", "show", "decode", "encode", "host", "compare", "baseline",
            "pools", "check-migration", "create", "cpuid", "emu", "help"]
SKX, ICX = "mshv-skylake-sp", "mshv-icelake-sp-azure"
WHP_SKX, MILAN = "whp-skylake-sp", "whp-epyc-milan-azure"
RECORD = ('{"schema":"mshvcpu-host/1","name":"%s","source":"hypervisor",'
          '"vendor":"intel","offered":{"bank0":"0x2e2a8bfffff7859f",'
          '"bank1":"0x000100ae000000f1","bank2":null,"xsave":"0x00000000007fffdf"}}\n')


def outputs(fx):
    """(name, argv, stdin) of the text outputs that must fit."""
    runs = [("help", ["--help"], None)]
    runs += [(f"{c} --help", [c, "--help"], None) for c in COMMANDS]
    runs += [
        ("features", ["features"], None),
        ("features --all", ["features", "--all"], None),
        ("features --vendor amd", ["features", "--vendor", "amd"], None),
        ("features --long", ["features", "--long", "--all"], None),
        ("features --models", ["features", "--models"], None),
        ("pools", ["pools", SKX, WHP_SKX, ICX, MILAN, SKX], None),
        ("check-migration", ["check-migration", f"{fx}/guest-skx.json", ICX], None),
        ("check-migration to amd", ["check-migration", f"{fx}/guest-skx.json", MILAN], None),
        ("host", ["host", "--source", "cpuid"], None),
        ("show", ["show", "x86-64-v3,-avx2"], None),
        ("compare", ["compare", SKX, ICX], None),
        ("baseline", ["baseline", SKX, ICX], None),
        ("decode", ["decode", "intel:0xffffffffffffffff:0xffffffffffffffff:"
                    "0xffffffffffffffff"], None),
        ("encode", ["encode", "--format", "c", f"{ICX},-avx512"], None),
        ("cpuid --diff", ["cpuid", "--host", ICX, "--diff", f"{ICX},-avx512,-aes"], None),
        ("create", ["create", "--in-process", "--host", SKX, ICX], None),
    ]
    return runs


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--mshvcpu", required=True)
    ap.add_argument("--fixtures", required=True)
    args = ap.parse_args()
    tool = args.mshvcpu
    env = dict(os.environ, NO_COLOR="1")
    env.pop("COLUMNS", None)
    tap = Tap()

    def check(name, ok, detail=""):
        tap.check(ok, name, detail)

    def run(argv, stdin=None, extra=None):
        return subprocess.run([tool] + argv, input=stdin, capture_output=True,
                              env=dict(env, **(extra or {})))

    def widest(text):
        lines = text.decode("utf-8").split("\n")
        return max(lines, key=len) if lines else ""

    for name, argv, stdin in outputs(args.fixtures):
        # Code and cpuid's register table keep their layout (at most 80 wide).
        for width in (80,) if name.startswith(("cpuid ", "encode")) else (80, 60):
            proc = run(argv, stdin, None if width == 80 else {"COLUMNS": str(width)})
            line = widest(proc.stdout)
            check(f"{name}: fits {width} columns" + ("" if width == 80 else " (COLUMNS)"),
                  proc.returncode in (0, 1) and proc.stdout and len(line) <= width,
                  f"status {proc.returncode}, {len(line)} characters: {line!r}")

    # COLUMNS asks for more room: the features table keeps its rows whole.
    proc = run(["features"], extra={"COLUMNS": "200"})
    line = widest(proc.stdout)
    check("COLUMNS=200: feature rows on one line", 80 < len(line) <= 200
          and "DESCRIPTION" in proc.stdout.decode().split("\n")[0], f"{len(line)}: {line!r}")

    # Characters, not bytes: names of two-byte characters fill a line.
    names = ["\u00e9" * 10 + "-%d" % i for i in range(5)]
    stream = "".join(RECORD % n for n in names).encode()
    proc = run(["pools", "-"], stream)
    lines = proc.stdout.decode("utf-8").split("\n")
    hosts = [line for line in lines if line.startswith("  hosts:")]
    check("UTF-8 names counted as characters",
          proc.returncode == 0 and len(hosts) == 1 and len(hosts[0]) <= 80
          and len(hosts[0].encode()) > 80 and all(n in hosts[0] for n in names),
          repr(lines[:6]))

    # A terminal's width: TIOCGWINSZ on stdout.
    for cols in (100, 60):
        status, tty, _ = run_on_pty([tool, "features"], "stdout", None, env, cols=cols)
        text = tty.replace(b"\r\n", b"\n").decode("utf-8")
        width = max(len(line) for line in text.split("\n"))
        check(f"terminal of {cols} columns: features fit it", status == 0 and
              width <= cols and (cols < 80 or width > 80), f"widest {width}")

    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
