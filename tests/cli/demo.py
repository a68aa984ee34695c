#!/usr/bin/env python3
"""`make demo` as a user meets it (TAP output).

The demo (build-aux/demo.sh) is run with its output in a pipe, with a
build directory of stand-ins: `mshvcpu` and `grep` there log their argument
vectors, working directory and exit status, then run the real programs.
Checked:
  - it succeeds, and no command it runs is refused as a usage or runtime
    error (exit 2 or 3: an option it uses that the tool no longer takes);
  - no escape byte reaches the pipe (nor stderr), even with TERM set;
  - it names the directory of its files, and the files it lists there exist
    afterwards, every file a shown command writes among them;
  - every "$ COMMAND" line it shows is, word for word, the next command it
    ran, from the directory its shown `cd` entered, and it ran nothing it
    did not show (the command `emu` starts is shown on emu's line);
  - run again in the same directory, the trace holds one run, not two;
  - on a terminal the commands are bold, and not with NO_COLOR.

  demo.py --demo build-aux/demo.sh --mshvcpu BUILD/mshvcpu
"""
import argparse
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from terminal import run_on_pty  # noqa: E402
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "common"))
from tap import Tap  # noqa: E402

STAND_IN = """#!{python}
import json, os, subprocess, sys
real = {real!r}
with open({log!r}, "a") as log:
    log.write(json.dumps({{"pid": os.getpid(), "argv": [{name!r}] + sys.argv[1:],
                          "cwd": os.getcwd()}}) + "\\n")
status = subprocess.call([real] + sys.argv[1:])
with open({log!r}, "a") as log:
    log.write(json.dumps({{"pid": os.getpid(), "status": status}}) + "\\n")
sys.exit(status if status >= 0 else 128 - status)
"""


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--demo", required=True)
    ap.add_argument("--mshvcpu", required=True)
    args = ap.parse_args()
    tap = Tap()

    def check(name, ok, detail=""):
        tap.check(ok, name, detail)

    with tempfile.TemporaryDirectory(prefix="mshvcpu-demo-") as tmp:
        fake = os.path.join(tmp, "build")
        log = os.path.join(tmp, "run.jsonl")
        os.mkdir(fake)
        for name, real in (("mshvcpu", os.path.abspath(args.mshvcpu)),
                           ("grep", shutil.which("grep"))):
            path = os.path.join(fake, name)
            with open(path, "w") as f:
                f.write(STAND_IN.format(python=sys.executable, real=real, log=log, name=name))
            os.chmod(path, 0o755)

        env = dict(os.environ, TERM="xterm", DEMO_DIR="files")
        env.pop("NO_COLOR", None)
        proc = subprocess.run(["sh", os.path.abspath(args.demo), "build"], cwd=tmp,
                              env=env, capture_output=True)
        out = proc.stdout.decode("utf-8", "replace")
        check("the demo succeeds", proc.returncode == 0,
              f"status {proc.returncode}; stderr: {proc.stderr[-2000:]!r}")
        check("no escape byte in a pipe (stdout)", b"\x1b" not in proc.stdout)
        check("no escape byte in a pipe (stderr)", b"\x1b" not in proc.stderr)

        with open(log) as f:
            records = [json.loads(line) for line in f]
        status = {r["pid"]: r["status"] for r in records if "status" in r}
        ran = [r for r in records if "argv" in r]
        refused = [(r["argv"], status.get(r["pid"])) for r in ran
                   if r["argv"][0] == "mshvcpu" and status.get(r["pid"]) not in (0, 1)]
        check("every mshvcpu command it runs is taken (exit 0 or 1)",
              bool(ran) and not refused, repr(refused))

        # The directory it names, and the files it lists there.
        m = re.search(r"^The files are kept in (.+):\n((?:  \S+ .*\n?)+)", out, re.M)
        check("it names the directory of its files at the end", m is not None, out[-600:])
        named_dir = m.group(1) if m else ""
        listed = re.findall(r"^  (\S+) ", m.group(2), re.M) if m else []
        check("that directory is DEMO_DIR", named_dir == "files", named_dir)
        check("it names the directory at the start too",
              out.split("\n", 1)[0].endswith("kept in files"), out.split("\n", 1)[0])
        files_dir = os.path.join(tmp, "files")
        missing = [name for name in listed
                   if not os.path.isfile(os.path.join(files_dir, name))
                   or os.path.getsize(os.path.join(files_dir, name)) == 0]
        check("the files it lists exist afterwards", bool(listed) and not missing,
              f"listed {listed}, missing or empty {missing}")

        # Each shown command is the next one run, word for word.
        shown = [shlex.split(line[2:]) for line in out.split("\n") if line.startswith("$ ")]
        check("it shows its commands", len(shown) >= 6, repr(shown))
        written = set()
        for words in shown:
            for opt, value in zip(words, words[1:]):
                if opt in ("-o", "--output", "--trace", "-T"):
                    written.add(value)
        check("every file a shown command writes is listed",
              bool(written) and written <= set(listed),
              f"written {sorted(written)}, listed {listed}")

        cwd = tmp
        queue = list(ran)
        mismatches = []
        for words in shown:
            if words[0] == "cd":
                cwd = os.path.normpath(os.path.join(cwd, words[1]))
                continue
            expect = [words]
            if words[:2] == ["mshvcpu", "emu"] and "--" in words:
                expect.append(words[words.index("--") + 1:])
            for argv in expect:
                got = queue.pop(0) if queue else None
                if got is None or got["argv"] != argv or got["cwd"] != cwd:
                    mismatches.append(f"shown {argv} in {cwd}; ran {got}")
        check("every shown command is the command run, in the shown directory",
              bool(shown) and not mismatches, "; ".join(mismatches))
        check("nothing was run that was not shown", not queue,
              repr([r["argv"] for r in queue]))

        # Again, into the same directory: the trace is this run's alone.
        proc = subprocess.run(["sh", os.path.abspath(args.demo), "build"], cwd=tmp,
                              env=env, capture_output=True)
        trace = os.path.join(files_dir, "trace.jsonl")
        creates = 0
        if os.path.exists(trace):
            with open(trace) as f:
                creates = sum('"call":"create_partition"' in line for line in f)
        check("run again in the same directory, the trace holds one run",
              proc.returncode == 0 and creates == 1,
              f"status {proc.returncode}, {creates} create_partition lines")

        # On a terminal: bold commands, unless NO_COLOR says no.
        argv = ["sh", os.path.abspath(args.demo), fake]
        tty_env = dict(env, DEMO_DIR=os.path.join(tmp, "tty"))
        code, tty, _ = run_on_pty(argv, "stdout", env=tty_env)
        check("on a terminal the commands are bold", code == 0 and b"\x1b[1m$ " in tty,
              f"status {code}")
        code, tty, _ = run_on_pty(argv, "stdout", env=dict(tty_env, NO_COLOR="1"))
        check("on a terminal with NO_COLOR: no escape byte", code == 0 and b"\x1b" not in tty,
              f"status {code}")

    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
