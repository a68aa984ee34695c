#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The mshvcpu tool links the library and nothing of the emulator, the
driver or the hypervisor model (those are mshvcpu-emu's): no function of
theirs is defined in the tool. The emulator program, for contrast, must
have them.

Usage: layering.py --nm NM --tool BUILD/mshvcpu --emulator BUILD/mshvcpu-emu
"""
import argparse
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "common"))
from tap import Tap  # noqa: E402

# The prefixes of hv/ (hv_, hvm_), kernel/ (mshv_, hyp_ and the shim's
# kshim_) and emu/ (sim_, emu_).
FOREIGN = re.compile(r"^(hv_|hvm_|hyp_|mshv_|kshim_|sim_|emu_)")


def defined(nm, path):
    out = subprocess.run([nm, "--defined-only", path], capture_output=True, text=True,
                         check=True).stdout
    return {line.split()[-1] for line in out.splitlines() if len(line.split()) == 3}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--nm", required=True)
    ap.add_argument("--tool", required=True)
    ap.add_argument("--emulator", required=True)
    args = ap.parse_args()
    tool = sorted(s for s in defined(args.nm, args.tool) if FOREIGN.match(s))
    emulator = [s for s in defined(args.nm, args.emulator) if FOREIGN.match(s)]
    tap = Tap()
    tap.check(not tool, "mshvcpu defines nothing of hv/, kernel/ or emu/",
              f"{len(tool)}, e.g. {', '.join(tool[:8])}")
    tap.check(len(emulator) > 50, f"mshvcpu-emu does ({len(emulator)} of them)")
    return tap.done()

if __name__ == "__main__":
    sys.exit(main())
