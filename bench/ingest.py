#!/usr/bin/env python3
"""`mshvcpu baseline` and `pools` over JSON Lines host records: MB/s, peak RSS.

The records are generated here into a temporary file (deleted at the end):
the recorded Intel offers with random bits cleared (fixed seed), unique
names. Each command runs on the real binary several times; the table shows
best and median wall time, MB/s (file bytes / time), records/s and the
child's peak RSS (wait4 ru_maxrss). `cat FILE > /dev/null` is the reading
bound. The same runs at --count/10 show whether peak RSS grows with the
record count. The answers are checked against a baseline computed here.

  ingest.py --mshvcpu BUILD/mshvcpu [--count N] [--repeat N]

Benchmarks print tables; they never pass or fail (exit 1 only when the
tool gives a wrong answer or fails).
"""
import argparse
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time

TARGET_MBPS = 200.0
# "independent of the count": RSS at N within 10% or 2 MiB of RSS at N/10.
RSS_TOLERANCE = 0.10
RSS_SLACK_KIB = 2048

WORDS = ("bank0", "bank1", "xsave")

# Recorded Intel host offers, enabled sense (bank0, bank1, xsave); bank2 is
# not reported by these hosts (null: unknown). The same words as
# `mshvcpu baseline -j MODEL` prints for the recorded models.
RECORDED = [
    ("mshv-skylake-sp", (0x1005f9fffff7859f, 0x0000008f10860063, 0x3fff)),
    ("mshv-icelake-sp-azure", (0x2e2a8bfffff7859f, 0x000100ae000000f1, 0x7fffdf)),
    ("whp-skylake-sp", (0x1001f9ffe7f7859f, 0x0000000f10860063, 0x3fff)),
]


def offers(count=24, seed=1):
    """Distinct offers of a fleet: each recorded host as recorded, and
    variants of it with one or two offered bits cleared (a BIOS setting, a
    microcode update, a hypervisor version). Fixed seed: same every run."""
    rng = random.Random(seed)
    out, seen = [], set()
    i = 0
    while len(out) < count:
        words = list(RECORDED[i % len(RECORDED)][1])
        if i >= len(RECORDED):
            for _ in range(rng.choice((1, 1, 2))):
                w = rng.randrange(len(words))
                bits = [k for k in range(64) if words[w] >> k & 1]
                words[w] &= ~(1 << rng.choice(bits))
        i += 1
        t = tuple(words)
        if t not in seen:
            seen.add(t)
            out.append(t)
    return out


def record(i, words):
    """One host record as a JSON line (the format of `mshvcpu host -o`)."""
    b0, b1, xs = words
    return ('{"schema":"mshvcpu-host/1","name":"node%07d",'
            '"source":"hypervisor","vendor":"intel","offered":{"bank0":"0x%016x",'
            '"bank1":"0x%016x","bank2":null,"xsave":"0x%016x"}}\n' % (i, b0, b1, xs))


def host_words(i, fleet):
    """The offer of host i: a fixed pseudo-random pick, not a cycle, so
    neighbouring records differ the way a real inventory's do."""
    return fleet[(i * 2654435761 >> 7) % len(fleet)]


def write_records(path, count, fleet):
    """Write count records to path; return the offers used (set)."""
    used = set()
    with open(path, "w") as f:
        chunk = []
        for i in range(count):
            w = host_words(i, fleet)
            used.add(w)
            chunk.append(record(i, w))
            if len(chunk) == 8192:
                f.write("".join(chunk))
                chunk = []
        f.write("".join(chunk))
    return used


def expected_baseline(used):
    want = [~0 & (2**64 - 1)] * 3
    for w in used:
        want = [x & y for x, y in zip(want, w)]
    return want


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "unknown"


def build_type(mshvcpu):
    """buildtype and optimization from meson-info next to the binary."""
    d = os.path.dirname(os.path.abspath(mshvcpu))
    for _ in range(3):
        p = os.path.join(d, "meson-info", "intro-buildoptions.json")
        if os.path.exists(p):
            try:
                opts = {o["name"]: o["value"] for o in json.load(open(p))}
                return "%s (-O%s)" % (opts.get("buildtype"), opts.get("optimization"))
            except (OSError, ValueError, KeyError):
                break
        d = os.path.dirname(d)
    return "unknown"


def tool_version(argv):
    try:
        r = subprocess.run(argv, capture_output=True, text=True, timeout=30)
        return (r.stdout or r.stderr).strip().splitlines()[0]
    except (OSError, IndexError, subprocess.SubprocessError):
        return "unknown"


def print_header(title, mshvcpu, extra=()):
    print("== %s ==" % title)
    print("machine:    %s, %d cores online" % (cpu_model(), os.cpu_count() or 0))
    print("kernel:     %s %s" % (platform.system(), platform.release()))
    print("tool:       %s, %s build, %s" % (tool_version([mshvcpu, "--version"]),
                                            build_type(mshvcpu), mshvcpu))
    print("python:     %s" % platform.python_version())
    for line in extra:
        print(line)


# Peak RSS of a child is its ru_maxrss from wait4. A child forked from this
# Python process inherits Python's resident size as the start of that peak
# (the kernel carries the high-water mark across fork and exec), so the
# command is forked by a small process instead: GNU time (%M is the child's
# ru_maxrss from wait4) or, without it, a minimal `python3 -S` doing wait4.
GNU_TIME = "/usr/bin/time"
WAIT4_HELPER = """
import os, sys, time
out, argv = sys.argv[1], sys.argv[2:]
t0 = time.perf_counter()
pid = os.fork()
if pid == 0:
    try:
        os.execvp(argv[0], argv)
    finally:
        os._exit(127)
_, st, ru = os.wait4(pid, 0)
dt = time.perf_counter() - t0
open(out, "w").write("%.9f\\n%d\\n" % (dt, ru.ru_maxrss))
sys.exit(os.waitstatus_to_exitcode(st))
"""


def rss_method():
    if os.access(GNU_TIME, os.X_OK):
        return "GNU time %M (the child's ru_maxrss from wait4)"
    return ("wait4 ru_maxrss in a minimal python3 -S (no %s; its size is the floor)"
            % GNU_TIME)


def run_once(argv, stdin_path=None):
    """Run argv with stdout to a temporary file; return (seconds, status,
    peak RSS KiB, stdout bytes, stderr bytes)."""
    fd, rss_path = tempfile.mkstemp(prefix="mshvcpu-rss-")
    os.close(fd)
    if os.access(GNU_TIME, os.X_OK):
        wrapped = [GNU_TIME, "-f", "%M", "-o", rss_path] + argv
    else:
        wrapped = [sys.executable, "-S", "-c", WAIT4_HELPER, rss_path] + argv
    try:
        with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
            fin = open(stdin_path, "rb") if stdin_path else subprocess.DEVNULL
            try:
                t0 = time.perf_counter()
                status = subprocess.call(wrapped, stdin=fin, stdout=out, stderr=err)
                dt = time.perf_counter() - t0
            finally:
                if stdin_path:
                    fin.close()
            out.seek(0)
            err.seek(0)
            with open(rss_path) as f:
                words = f.read().split()
            lines = [w for w in words if w.isdigit()]
            kib = int(lines[-1]) if lines else 0
            if wrapped[0] != GNU_TIME and len(words) == 2:
                dt = float(words[0])  # the helper's fork-to-wait4 time
            return dt, status, kib, out.read(), err.read()
    finally:
        os.unlink(rss_path)


def check_baseline(out, want, count):
    doc = json.loads(out)
    got = doc["words"]["enabled"]
    words = [int(got[k], 16) for k in WORDS]
    if words != want:
        return "baseline %s != expected %s" % ([hex(x) for x in words], [hex(x) for x in want])
    if doc.get("hosts") != count:
        return "counted %s hosts, fed %d" % (doc.get("hosts"), count)
    return None


def check_pools(out, used, count):
    doc = json.loads(out)
    pools = doc.get("pools", [])
    if len(pools) != len(used):
        return "%d pools, expected %d" % (len(pools), len(used))
    if sum(p.get("hosts", 0) for p in pools) != count:
        return "pool sizes do not add up to %d" % count
    got = {tuple(int(p["words"]["enabled"][k], 16) for k in WORDS) for p in pools}
    if got != used:
        return "pool offers differ from the generated offers"
    return None


def measure(label, argv, stdin_path, repeat, check):
    """Repeat a command; abort on a wrong answer. Returns (times, peak KiB)."""
    times, rss = [], 0
    for _ in range(repeat):
        dt, status, kib, out, err = run_once(argv, stdin_path)
        if status != 0:
            sys.exit("ingest: %s: exit status %d: %s" % (label, status, err.decode().strip()))
        if check:
            problem = check(out)
            if problem:
                sys.exit("ingest: %s: wrong answer: %s" % (label, problem))
        times.append(dt)
        rss = max(rss, kib)
    return times, rss


def median(v):
    """The lower middle for an even count, as bench_common.h does."""
    s = sorted(v)
    return s[(len(s) - 1) // 2]


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--mshvcpu", required=True, help="path of the mshvcpu binary")
    p.add_argument("--count", type=int, default=1_000_000, help="host records (default 1000000)")
    p.add_argument("--repeat", type=int, default=3, help="timed runs of each command (default 3)")
    p.add_argument("--tmpdir", default=None, help="where to write the records (default $TMPDIR)")
    a = p.parse_args()
    if a.count < 10 or a.repeat < 1:
        p.error("--count must be >= 10 and --repeat >= 1")
    mshvcpu = os.path.abspath(a.mshvcpu)
    small = a.count // 10
    fleet = offers()

    tmpdir = tempfile.mkdtemp(prefix="mshvcpu-ingest-", dir=a.tmpdir)
    big_path = os.path.join(tmpdir, "hosts.jsonl")
    small_path = os.path.join(tmpdir, "hosts-small.jsonl")
    try:
        t0 = time.perf_counter()
        used = {a.count: write_records(big_path, a.count, fleet),
                small: write_records(small_path, small, fleet)}
        gen_s = time.perf_counter() - t0
        size = {a.count: os.path.getsize(big_path), small: os.path.getsize(small_path)}
        path = {a.count: big_path, small: small_path}

        print_header("ingest: mshvcpu baseline and pools over JSON Lines host records", mshvcpu)
        print("input:      %d records, %.1f MB (%.0f bytes/record), %d distinct Intel offers "
              "(3 recorded hosts, bits cleared, seed 1); also %d records (%.1f MB)"
              % (a.count, size[a.count] / 1e6, size[a.count] / a.count, len(used[a.count]),
                 small, size[small] / 1e6))
        print("            generated in %.1f s into %s (page cache warm), %d repeats"
              % (gen_s, tmpdir, a.repeat))
        floor = run_once(["true"])[2]
        print("peak RSS:   %s; `true` measures %.1f MiB" % (rss_method(), floor / 1024))

        cases = [
            ("baseline FILE.jsonl", lambda f: [mshvcpu, "baseline", "-j", f], False, "baseline"),
            ("baseline - (stdin)", lambda f: [mshvcpu, "baseline", "-j", "-"], True, "baseline"),
            ("pools FILE.jsonl", lambda f: [mshvcpu, "pools", "-j", f], False, "pools"),
            ("cat FILE > /dev/null (bound)", lambda f: ["cat", f], None, None),
        ]
        results = {}
        for n in (a.count, small):
            want = expected_baseline(used[n])
            for label, mk, stdin, kind in cases:
                argv = mk(path[n])
                if stdin is None:
                    # cat's output goes nowhere: stdout to /dev/null.
                    argv = ["sh", "-c", 'exec cat "$1" > /dev/null', "sh", path[n]]
                check = None
                if kind == "baseline":
                    check = lambda out, w=want, n=n: check_baseline(out, w, n)
                elif kind == "pools":
                    check = lambda out, u=used[n], n=n: check_pools(out, u, n)
                reps = a.repeat if n == a.count else max(1, min(a.repeat, 3))
                results[label, n] = measure(label, argv, path[n] if stdin else None, reps, check)
        want = expected_baseline(used[a.count])
        print("checked:    baseline words = AND of the offers fed (bank0 0x%016x, bank1 0x%016x, "
              "xsave 0x%x), host count;" % tuple(want))
        print("            pools = the distinct offers fed, sizes add up to the record count\n")

        hdr = "%-30s %9s %9s %8s %8s %10s %9s %9s"
        print(hdr % ("command (%d records)" % a.count, "best s", "median s", "MB/s", "MB/s",
                     "records/s", "peak RSS", "peak RSS"))
        print(hdr % ("", "", "", "best", "median", "best", "MiB", "MiB @N/10"))
        for label, _, _, _ in cases:
            times, kib = results[label, a.count]
            _, kib_small = results[label, small]
            best, med = min(times), median(times)
            print("%-30s %9.3f %9.3f %8.1f %8.1f %10.0f %9.1f %9.1f"
                  % (label, best, med, size[a.count] / best / 1e6, size[a.count] / med / 1e6,
                     a.count / best, kib / 1024, kib_small / 1024))

        bound = min(results[cases[3][0], a.count][0])
        print("\nratio to the reading bound (best time / cat's best time):")
        for label, _, _, _ in cases[:3]:
            print("  %-28s %6.2f" % (label, min(results[label, a.count][0]) / bound))
        print("peak RSS at %d / at %d records (the ratio shows growth with the count):"
              % (a.count, small))
        for label, _, _, _ in cases[:3]:
            kib, kib_small = results[label, a.count][1], results[label, small][1]
            print("  %-28s %7.1f MiB / %7.1f MiB = %5.2f"
                  % (label, kib / 1024, kib_small / 1024, kib / kib_small))

        mbps = size[a.count] / min(results[cases[0][0], a.count][0]) / 1e6
        kib, kib_small = results[cases[0][0], a.count][1], results[cases[0][0], small][1]
        flat = abs(kib - kib_small) <= max(RSS_TOLERANCE * kib_small, RSS_SLACK_KIB)
        print("target: >= %.0f MB/s (baseline, best): %s (%.1f MB/s)"
              % (TARGET_MBPS, "met" if mbps >= TARGET_MBPS else "not met", mbps))
        print("target: peak RSS independent of count (baseline): %s (%.1f MiB at %d, "
              "%.1f MiB at %d)" % ("met" if flat else "not met", kib / 1024, a.count,
                                   kib_small / 1024, small))
    finally:
        for f in (big_path, small_path):
            try:
                os.unlink(f)
            except FileNotFoundError:
                pass
        os.rmdir(tmpdir)
    return 0


if __name__ == "__main__":
    sys.exit(main())
