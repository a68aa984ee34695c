#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The mshvcpu tool links the library and nothing of the emulator, the
driver or the hypervisor model (those are mshvcpu-emu's): no function of
theirs is defined in the tool. The emulator program, for contrast, must
have them.

Usage: layering.py --nm NM --tool BUILD/mshvcpu --emulator BUILD/mshvcpu-emu
"""
import argparse
import re
import subprocess
import sys

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
    ok = [not tool, len(emulator) > 50]
    print("1..2")
    print(f"{'ok' if ok[0] else 'not ok'} 1 - mshvcpu defines nothing of hv/, kernel/ or emu/")
    if tool:
        print(f"#   {len(tool)}, e.g. {', '.join(tool[:8])}")
    print(f"{'ok' if ok[1] else 'not ok'} 2 - mshvcpu-emu does ({len(emulator)} of them)")
    return 0 if all(ok) else 1


if __name__ == "__main__":
    sys.exit(main())
