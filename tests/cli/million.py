#!/usr/bin/env python3
"""`mshvcpu baseline` and `mshvcpu pools` over 1,000,000 host records.

The records are generated here (never committed) and streamed to the tool
through a pipe as JSON Lines, so neither side ever holds the set. The test
checks the answers against a baseline computed here, and that the tool's
peak RSS stays far below what holding the records would take.

  million.py --mshvcpu BUILD/mshvcpu [--count N]
"""
import argparse
import random
import resource
import subprocess
import sys
import json

# Recorded Intel host offers (reference section 7), enabled sense.
HOSTS = [
    (0x1005f9fffff7859f, 0x0000008f10860063, 0x3fff),
    (0x2e2a8bfffff7859f, 0x000100ae000000f1, 0x7fffdf),
    (0x1001f9ffe7f7859f, 0x0000000f10860063, 0x3fff),
]
# Peak RSS allowed for the tool, whatever the record count (bytes). A
# million records are ~400 MB of JSON; holding them would need far more.
RSS_LIMIT = 64 << 20


def variants():
    """40 distinct offers: each recorded host, minus up to 12 single bits."""
    rng = random.Random(1)
    out = []
    for i in range(40):
        b0, b1, xs = HOSTS[i % len(HOSTS)]
        for _ in range(i // len(HOSTS)):
            b0 &= ~(1 << rng.choice([k for k in range(63) if b0 >> k & 1]))
        out.append((b0, b1, xs))
    return out


def record(i, words):
    b0, b1, xs = words
    return ('{"schema":"mshvcpu-host/1","name":"node%07d",'
            '"source":"hypervisor","vendor":"intel","offered":{"bank0":"0x%016x",'
            '"bank1":"0x%016x","bank2":null,"xsave":"0x%016x"}}\n' % (i, b0, b1, xs))


def feed(proc, count, offers):
    chunk = []
    for i in range(count):
        chunk.append(record(i, offers[i % len(offers)]))
        if len(chunk) == 4096:
            proc.stdin.write("".join(chunk).encode())
            chunk = []
    proc.stdin.write("".join(chunk).encode())
    proc.stdin.close()


def run(mshvcpu, args, count, offers):
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    proc = subprocess.Popen([mshvcpu, "-j"] + args + ["-"], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    feed(proc, count, offers)
    out = proc.stdout.read()
    err = proc.stderr.read()
    proc.wait()
    rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
    if rss < before * 1024:
        rss = before * 1024
    return proc.returncode, out, err, rss


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--mshvcpu", required=True)
    p.add_argument("--count", type=int, default=1_000_000)
    a = p.parse_args()
    offers = variants()
    want = [~0, ~0, ~0]
    for w in offers:
        want = [x & y for x, y in zip(want, w)]
    print("1..2")
    failed = 0

    status, out, err, rss = run(a.mshvcpu, ["baseline"], a.count, offers)
    problems = []
    if status != 0:
        problems.append(f"status {status}: {err.decode()}")
    else:
        doc = json.loads(out)
        got = doc["words"]["enabled"]
        words = [int(got[k], 16) for k in ("bank0", "bank1", "xsave")]
        if words != want:
            problems.append(f"baseline {[hex(x) for x in words]} != {[hex(x) for x in want]}")
        if doc.get("hosts") not in (None, a.count):
            problems.append(f"counted {doc.get('hosts')} hosts, fed {a.count}")
    if rss > RSS_LIMIT:
        problems.append(f"peak RSS {rss >> 20} MiB > {RSS_LIMIT >> 20} MiB")
    failed += bool(problems)
    print(("not ok" if problems else "ok") +
          f" 1 - baseline of {a.count} records, peak RSS {rss >> 20} MiB")
    for line in problems:
        print("# " + line)

    status, out, err, rss2 = run(a.mshvcpu, ["pools"], a.count, offers)
    problems = []
    if status != 0:
        problems.append(f"status {status}: {err.decode()}")
    else:
        doc = json.loads(out)
        pools = doc.get("pools", [])
        if len(pools) != len(set(offers)):
            problems.append(f"{len(pools)} pools, expected {len(set(offers))}")
        if sum(p.get("hosts", 0) for p in pools) != a.count:
            problems.append("pool sizes do not add up to the record count")
    print(("not ok" if problems else "ok") + f" 2 - pools of {a.count} records")
    for line in problems:
        print("# " + line)
    failed += bool(problems)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
