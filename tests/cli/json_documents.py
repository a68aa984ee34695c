#!/usr/bin/env python3
"""One versioning convention for every JSON document (TAP output).

  - every document the tool prints with -j, and every record it writes with
    -o, has "schema": "mshvcpu-KIND/MAJOR" as its first member, and a record
    has no "format" or "version" beside it;
  - the schemas seen here are exactly those the sources name (the tool's
    literals and the library's table in lib/json.c), so a new document
    cannot appear without this test running it;
  - README.md (JSON documents), mshvcpu(1) (JSON FORMATS) and, for the
    records, libmshvcpu(3) list exactly those schemas.

  json_documents.py --mshvcpu BUILD/mshvcpu --source SOURCE_ROOT
"""
import argparse
import glob
import json
import os
import re
import subprocess
import sys
import tempfile
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "common"))
from tap import Tap  # noqa: E402

SCHEMA = re.compile(r"mshvcpu-[a-z][a-z-]*/[1-9][0-9]*")
LIB_ROW = re.compile(r'SCHEMA\("(mshvcpu-[a-z][a-z-]*)", ([1-9][0-9]*),')
SKX, ICX = "mshv-skylake-sp", "mshv-icelake-sp-azure"

# (arguments, exit statuses that still print the document); "{fx}" is the fixtures.
PRINTED = [
    (["-j", "features", "avx2"], (0,)),
    (["-j", "features", "-n", "avx2"], (0,)),
    (["-j", "features", "--models"], (0,)),
    (["-j", "features", "--models", "-n"], (0,)),
    (["-j", "show", "x86-64-v2"], (0,)),
    (["-j", "decode", "intel:0x1:0x0:0x0"], (0,)),
    (["-j", "encode", "x86-64-v2"], (0,)),
    (["-j", "compare", "x86-64-v2", SKX], (0, 1)),
    (["-j", "baseline", SKX, ICX], (0,)),
    (["-j", "pools", SKX, ICX], (0,)),
    (["-j", "check-migration", "{fx}/guest-skx.json", SKX], (0, 1)),
    (["-j", "cpuid", "--host", ICX, "x86-64-v2", "0x1"], (0,)),
    (["-j", "create", "--in-process", "--host", ICX, "x86-64-v2"], (0,)),
    (["-j", "host", "--source", "cpuid"], (0,)),
    (["-j", "show", "no-such-model"], (2,)),
]
# Records written with -o FILE.
WRITTEN = [
    ["show", "-o", "{out}", "x86-64-v2"],
    ["baseline", "-o", "{out}", SKX, ICX],
    ["create", "--in-process", "--host", ICX, "-o", "{out}", "x86-64-v2"],
    ["host", "--source", "cpuid", "-o", "{out}"],
]


def source_schemas(root):
    found = set()
    for path in glob.glob(os.path.join(root, "tools", "*", "*.c")):
        with open(path, encoding="utf-8") as f:
            found |= set(re.findall(r'"(%s)"' % SCHEMA.pattern, f.read()))
    with open(os.path.join(root, "lib", "json.c"), encoding="utf-8") as f:
        records = {f"{kind}/{major}" for kind, major in LIB_ROW.findall(f.read())}
    return found | records, records


def section(text, start, end):
    return text.split(start, 1)[1].split(end, 1)[0] if start in text else ""


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--mshvcpu", required=True)
    ap.add_argument("--source", required=True)
    args = ap.parse_args()
    args.mshvcpu, args.source = os.path.abspath(args.mshvcpu), os.path.abspath(args.source)
    tap = Tap()

    def check(name, ok, detail=""):
        tap.check(ok, name, detail)

    expected, records = source_schemas(args.source)
    check("the sources name the three records and the tool's documents",
          len(records) == 3 and len(expected) > len(records), repr(sorted(expected)))
    fixtures = os.path.join(args.source, "tests", "cli", "fixtures")
    env = dict(os.environ, NO_COLOR="1", LC_ALL="C")
    seen = set()

    def first_schema(text, what):
        try:
            doc = json.loads(text)
        except ValueError as e:
            check(f"{what}: one JSON document", False, f"{e}: {text[:200]!r}")
            return None
        first = next(iter(doc.items()), (None, None)) if isinstance(doc, dict) else (None, None)
        check(f"{what}: \"schema\" first, KIND/MAJOR", first[0] == "schema" and
              isinstance(first[1], str) and SCHEMA.fullmatch(first[1]), repr(first))
        if isinstance(doc, dict) and first[0] == "schema":
            seen.add(first[1])
            check(f"{what}: {first[1]} is a schema the sources name", first[1] in expected)
        return doc

    with tempfile.TemporaryDirectory(prefix="mshvcpu-json-") as tmp:
        for argv, statuses in PRINTED:
            argv = [a.replace("{fx}", fixtures) for a in argv]
            what = "mshvcpu " + " ".join(argv).replace(fixtures, "FIXTURES")
            proc = subprocess.run([args.mshvcpu] + argv, capture_output=True, text=True,
                                  env=env, cwd=tmp)
            check(f"{what}: exit {'/'.join(map(str, statuses))}", proc.returncode in statuses,
                  f"status {proc.returncode}: {proc.stderr!r}")
            first_schema(proc.stdout, what)
        for i, argv in enumerate(WRITTEN):
            out = os.path.join(tmp, f"out{i}.json")
            argv = [a.replace("{out}", out) for a in argv]
            what = "mshvcpu " + " ".join(argv).replace(out, "FILE")
            proc = subprocess.run([args.mshvcpu] + argv, capture_output=True, text=True,
                                  env=env, cwd=tmp)
            check(f"{what}: exit 0", proc.returncode == 0, proc.stderr)
            if not os.path.exists(out):
                check(f"{what}: FILE written", False)
                continue
            with open(out, encoding="utf-8") as f:
                doc = first_schema(f.read(), what)
            if isinstance(doc, dict):
                check(f"{what}: a record of this library", doc.get("schema") in records,
                      repr(doc.get("schema")))
                check(f"{what}: no \"format\" or \"version\" beside \"schema\"",
                      "format" not in doc and "version" not in doc)
        # The apply log: JSON Lines, each line a document of its own. The VMM
        # here is the tool's own create, under the emulator.
        log = os.path.join(tmp, "apply.jsonl")
        argv = ["emu", "--host", "mshv-icelake-sp-azure", "--", args.mshvcpu, "apply",
                "--log", log, "x86-64-v3", "--", args.mshvcpu, "create", "x86-64-v2"]
        proc = subprocess.run([args.mshvcpu] + argv, capture_output=True, text=True,
                              env=env, cwd=tmp)
        check("mshvcpu emu -- mshvcpu apply --log FILE ...: exit 0", proc.returncode == 0,
              proc.stderr)
        if os.path.exists(log):
            with open(log, encoding="utf-8") as f:
                for line in f:
                    first_schema(line, "an apply --log line")
    check("every schema the sources name was printed or written here", seen == expected,
          f"never seen: {sorted(expected - seen)}; not in the sources: {sorted(seen - expected)}")

    with open(os.path.join(args.source, "README.md"), encoding="utf-8") as f:
        readme = section(f.read(), "\n## JSON documents\n", "\n## ")
    table = {m.group(1) for m in re.finditer(r"^\| `(%s)` \|" % SCHEMA.pattern, readme, re.M)}
    check("README.md, JSON documents, has a row for each schema", table == expected,
          f"missing {sorted(expected - table)}, extra {sorted(table - expected)}")
    with open(os.path.join(args.source, "doc", "mshvcpu.1"), encoding="utf-8") as f:
        man = section(f.read().replace("\\-", "-"), "\n.SH JSON FORMATS\n", "\n.SH ")
    listed = set(SCHEMA.findall(man))
    check("mshvcpu(1), JSON FORMATS, names each schema", listed == expected,
          f"missing {sorted(expected - listed)}, extra {sorted(listed - expected)}")
    with open(os.path.join(args.source, "doc", "libmshvcpu.3"), encoding="utf-8") as f:
        lib = set(SCHEMA.findall(f.read().replace("\\-", "-")))
    check("libmshvcpu(3) names each record's schema, and only those", lib == records,
          f"missing {sorted(records - lib)}, extra {sorted(lib - records)}")

    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
