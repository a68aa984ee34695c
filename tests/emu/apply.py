#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""`mshvcpu apply` under `mshvcpu emu`, as an operator would run it:

  mshvcpu emu --host HOST --kernel LEVEL --trace T -- \\
      mshvcpu apply --log L SPEC -- VMM ...

VMMs: apply_vmm (C) and apply_vmm.py (Python), each with a v1 create and
a v2 create that disables a feature of its own (movbe). What the
hypervisor receives (the trace) must be exactly what `mshvcpu encode`
prints for SPEC on HOST, united with the VMM's own disables; bank 2 is set
before the VMM initializes; the log shows what was asked and sent.
Refusals: a kernel before 6.19 (and --allow-v1 passing a v1 create
through), a profile of the other vendor, a host that lacks a feature.
Also threads creating at once, and a forked and exec'ed child.

Usage: apply.py --mshvcpu BUILD/mshvcpu --vmm BUILD/.../apply_vmm
                --vmm-py tests/emu/apply_vmm.py     (prints TAP)
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "common"))
from tap import Tap  # noqa: E402

ICX = "mshv-icelake-sp-azure"
SKX = "mshv-skylake-sp"
MILAN = "whp-epyc-milan-azure"
SPEC = "x86-64-v3"
MOVBE = 1 << 29                 # bank 0 bit 29
LEVELS = ("nested-smt", "cpu-features", "v1-only")

tap = Tap()


def check(ok, what, detail=""):
    tap.check(ok, what, str(detail).splitlines()[:20])


def lines(path, key):
    if not os.path.exists(path):
        return []
    with open(path) as f:
        return [d for d in map(json.loads, f) if key(d)]


class Run:
    def __init__(self, tmp, mshvcpu, host, level, apply_args, vmm):
        self.trace = os.path.join(tmp, "trace.jsonl")
        self.log = os.path.join(tmp, "apply.jsonl")
        for p in (self.trace, self.log):
            if os.path.exists(p):
                os.unlink(p)
        argv = [mshvcpu, "emu", "--host", host, "--kernel", level, "--trace", self.trace,
                "--", mshvcpu, "apply", "--log", self.log] + apply_args + ["--"] + vmm
        p = subprocess.run(argv, capture_output=True, text=True, timeout=120)
        self.status, self.out, self.err = p.returncode, p.stdout, p.stderr
        self.creates = lines(self.trace, lambda d: d.get("call") == "create_partition")
        self.calls = [d.get("call") for d in lines(self.trace, lambda d: "call" in d)]
        self.records = lines(self.log, lambda d: True)


def encoded(mshvcpu, host, spec):
    out = subprocess.run([mshvcpu, "encode", "--host", host, "--policy", "migration-safe",
                          "-j", spec], capture_output=True, text=True, check=True).stdout
    doc = json.loads(out)
    return ([int(b, 16) for b in doc["pt_cpu_fbanks"]], int(doc["pt_disabled_xsave"], 16),
            int(doc["early_bank2"], 16) if doc.get("early_bank2") else None)


def clients(args):
    own = [f"{MOVBE:x}", "0", "0"]
    return [("C v1", [args.vmm, "v1"], 0x7, [0, 0]),
            ("C v2", [args.vmm, "v2"] + own, 0xF, [MOVBE, 0]),
            ("Python v1", [sys.executable, args.vmm_py, "v1"], 0x7, [0, 0]),
            ("Python v2", [sys.executable, args.vmm_py, "v2"] + own, 0xF, [MOVBE, 0])]


def applied(args, tmp, banks, xsave, bank2):
    for level in LEVELS:
        for name, vmm, flags, own in clients(args):
            r = Run(tmp, args.mshvcpu, ICX, level, [SPEC], vmm)
            what = f"{name} at {level}"
            if level == "v1-only":
                check(r.status != 0 and "refused" in r.out and "6.19" in r.err and
                      not r.creates, f"{what}: refused, saying the kernel needs 6.19",
                      r.err)
                check(len(r.records) == 1 and r.records[0]["result"] == "refused",
                      f"{what}: the log records the refusal", r.records)
                continue
            check(r.status == 0 and r.out.strip() == "created", f"{what}: created",
                  r.out + r.err)
            want = [banks[0] | own[0], banks[1] | own[1]]
            got = [int(b, 16) for b in r.creates[0]["disabled_processor_features"]] \
                if len(r.creates) == 1 else None
            check(got == want and int(r.creates[0]["disabled_xsave"], 16) == xsave,
                  f"{what}: the hypervisor got encode's banks and xsave, with the VMM's own",
                  f"got {got}, want {[hex(w) for w in want]}")
            early = [i for i, c in enumerate(r.calls) if c == "set_partition_property"]
            init = r.calls.index("initialize_partition") if "initialize_partition" in r.calls else -1
            check(bank2 is None or (early and 0 <= early[0] < init),
                  f"{what}: bank 2 set before the VMM initialized", r.calls)
            rec = r.records[0] if len(r.records) == 1 else {}
            check(rec.get("result") == "applied" and rec.get("profile") == SPEC and
                  len(rec.get("profile_sha256", "")) == 64 and
                  int(rec["asked"]["pt_flags"], 16) == flags and
                  int(rec["sent"]["pt_flags"], 16) == flags | 0x8 and
                  [int(b, 16) for b in rec["sent"]["disabled_processor_features"]] == want,
                  f"{what}: the log shows what was asked and what was sent", rec)


def refusals(args, tmp):
    r = Run(tmp, args.mshvcpu, ICX, "v1-only", ["--allow-v1", SPEC], [args.vmm, "v1"])
    check(r.status == 0 and len(r.creates) == 1 and "nothing of" in r.err and
          r.records and r.records[0]["result"] == "passed-through",
          "--allow-v1 at v1-only: the v1 create passes through, and says so", r.err)

    r = Run(tmp, args.mshvcpu, ICX, "nested-smt", [MILAN], [args.vmm, "v1"])
    check(r.status != 0 and not r.creates and "amd" in r.err and "intel" in r.err,
          "an AMD profile on an Intel host: refused, naming both vendors", r.err)

    r = Run(tmp, args.mshvcpu, SKX, "nested-smt", [ICX], [args.vmm, "v1"])
    check(r.status != 0 and not r.creates and "avx512_vnni" in r.err,
          "a host that lacks features: refused before creating, naming them", r.err)

    r = Run(tmp, args.mshvcpu, SKX, "nested-smt", [f"{SKX},+sse4a"], [args.vmm, "v1"])
    check(r.status == 2 and not r.creates and "sse4a" in r.err,
          "a feature only the other vendor has: apply refuses to start", r.err)


def concurrency(args, tmp, banks):
    r = Run(tmp, args.mshvcpu, ICX, "nested-smt", [SPEC], [args.vmm, "threads", "8"])
    ok = all(int(c["disabled_processor_features"][0], 16) == banks[0] for c in r.creates)
    check(r.status == 0 and r.out.count("created") == 8 and len(r.creates) == 8 and ok and
          len(r.records) == 8, "8 threads creating at once: every partition rewritten",
          r.out + r.err)
    r = Run(tmp, args.mshvcpu, ICX, "nested-smt", [SPEC], [args.vmm, "fork"])
    check(r.status == 0 and len(r.creates) == 1 and
          int(r.creates[0]["disabled_processor_features"][0], 16) == banks[0],
          "a forked, exec'ed child inherits the rewriting", r.out + r.err)


def standalone(args):
    """Without the emulator apply keeps its own listener; the only create a test
    can make here is on another driver's file, which must reach it untouched."""
    p = subprocess.run([args.mshvcpu, "apply", SPEC, "--", args.vmm, "devnull"],
                       capture_output=True, text=True, timeout=60)
    check(p.returncode == 1 and "Inappropriate ioctl" in p.stdout and not p.stderr,
          "apply on its own: the create command on /dev/null reaches its driver (ENOTTY), "
          "and the VMM's exit status comes back", p.stdout + p.stderr)
    p = subprocess.run([args.mshvcpu, "apply", SPEC, "--", "/nonexistent-vmm"],
                       capture_output=True, text=True, timeout=60)
    check(p.returncode == 127 and "/nonexistent-vmm" in p.stderr,
          "apply on its own: a VMM that is not there is 127, said", p.stderr)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--mshvcpu", required=True)
    ap.add_argument("--vmm", required=True)
    ap.add_argument("--vmm-py", required=True)
    args = ap.parse_args()
    banks, xsave, bank2 = encoded(args.mshvcpu, ICX, SPEC)
    with tempfile.TemporaryDirectory() as tmp:
        applied(args, tmp, banks, xsave, bank2)
        refusals(args, tmp)
        concurrency(args, tmp, banks)
    standalone(args)
    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
