#!/usr/bin/env python3
"""End-to-end tests of the real `mshvcpu` binary.

Each case in cases.py runs the binary with arguments (and optionally stdin,
environment, files) and checks its exit status, its stdout and stderr against
golden files in golden/<case>.out and golden/<case>.err, and that nothing is
written on error. Output is TAP, one line per case.

  run.py --mshvcpu BUILD/mshvcpu [--group G] [--valgrind] [--update] [NAME...]

--update rewrites the golden files from the current binary: review the diff
before committing it. --valgrind runs every case under memcheck and fails a
case on any error or definite leak (goldens are still compared).
"""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import cases  # noqa: E402

GOLDEN = os.path.join(HERE, "golden")
FIXTURES = os.path.join(HERE, "fixtures")

VALGRIND = ["valgrind", "--quiet", "--error-exitcode=99", "--leak-check=full",
            "--show-leak-kinds=definite,indirect",
            "--errors-for-leak-kinds=definite,indirect",
            "--trace-children=no"]


def expand(value, ctx):
    return value.format(**ctx) if isinstance(value, str) else value


def normalize(text, ctx):
    """Paths that differ between machines become placeholders."""
    text = text.replace(ctx["tmp"], "{tmp}")
    text = text.replace(ctx["fixtures"], "{fixtures}")
    text = text.replace(ctx["src"], "{src}")
    return text


def run_case(case, args, tmp):
    # Text wraps at 80 columns, so a path's length must not depend on where
    # the checkout is: the fixtures are reached through a link in the case's
    # directory (the working directory), and that directory's name has a
    # fixed length (main()).
    os.symlink(FIXTURES, os.path.join(tmp, "cli-fixtures"))
    ctx = {"tmp": tmp, "fixtures": "./cli-fixtures",
           "src": os.environ.get("MSHVCPU_SOURCE_ROOT", os.path.dirname(os.path.dirname(HERE))),
           "build": os.path.dirname(os.path.abspath(args.mshvcpu))}
    for name, content in case.files.items():
        path = os.path.join(tmp, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(content if isinstance(content, bytes) else content.encode())
    env = dict(os.environ)
    env["NO_COLOR"] = "1"
    env["LC_ALL"] = "C"
    # Text is fitted to 80 columns when not on a terminal, unless COLUMNS says otherwise.
    env.pop("COLUMNS", None)
    for k, v in case.env.items():
        env[k] = expand(v, ctx)
    argv = [args.mshvcpu] + [expand(a, ctx) for a in case.args]
    if args.valgrind and case.valgrind:
        argv = VALGRIND + argv
    stdin = case.stdin
    if callable(stdin):
        stdin = stdin()
    before = set(os.listdir(tmp))
    proc = subprocess.run(argv, input=stdin.encode() if isinstance(stdin, str) else stdin,
                          capture_output=True, cwd=tmp, env=env, timeout=case.timeout)
    out = normalize(proc.stdout.decode("utf-8", "replace"), ctx)
    err = normalize(proc.stderr.decode("utf-8", "replace"), ctx)
    problems = []
    if proc.returncode == 99 and args.valgrind:
        problems.append("valgrind reported errors:\n" + err)
    if proc.returncode != case.status:
        problems.append(f"exit status {proc.returncode}, expected {case.status}")
    if case.status >= 2:
        created = set(os.listdir(tmp)) - before
        if created:
            problems.append(f"files written on error: {sorted(created)}")
        if out and not case.stdout_on_error:
            problems.append("stdout not empty on error")
    if case.status >= 2 and not case.json_error and \
            not (err.startswith("mshvcpu: ") and err.count("\n") >= 1):
        problems.append("error is not 'mshvcpu: <what>: <why>'")
    for check in case.checks:
        msg = check(out, err, tmp)
        if msg:
            problems.append(msg)
    if args.valgrind:
        # Valgrind's own lines must not land in goldens.
        err = "\n".join(l for l in err.split("\n") if not l.startswith("=="))
    for stream, text in (("out", out), ("err", err)):
        if not case.golden and stream == "out":
            continue
        path = os.path.join(GOLDEN, f"{case.golden_as or case.name}.{stream}")
        if args.update and case.golden_as:
            continue
        if args.update:
            if text:
                with open(path, "w", encoding="utf-8") as f:
                    f.write(text)
            elif os.path.exists(path):
                os.unlink(path)
            continue
        want = ""
        if os.path.exists(path):
            with open(path, encoding="utf-8") as f:
                want = f.read()
        if text != want:
            diff = subprocess.run(["diff", "-u", path if os.path.exists(path) else "/dev/null", "-"],
                                  input=text.encode(), capture_output=True).stdout.decode()
            problems.append(f"std{stream} differs from golden/{case.name}.{stream}:\n{diff}")
    return problems


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--mshvcpu", required=True)
    p.add_argument("--group")
    p.add_argument("--valgrind", action="store_true")
    p.add_argument("--update", action="store_true")
    p.add_argument("names", nargs="*")
    args = p.parse_args()
    args.mshvcpu = os.path.abspath(args.mshvcpu)
    if args.valgrind and not shutil.which("valgrind"):
        print("1..0 # SKIP valgrind not installed")
        return 0
    selected = [c for c in cases.CASES
                if (not args.group or c.group == args.group)
                and (not args.names or c.name in args.names)]
    if args.valgrind:
        selected = [c for c in selected if c.valgrind]
    print(f"1..{len(selected)}")
    failed = 0
    for i, case in enumerate(selected, 1):
        with tempfile.TemporaryDirectory(prefix="mshvcpu-cli-",
                                         dir="/tmp" if os.path.isdir("/tmp") else None) as tmp:
            try:
                problems = run_case(case, args, os.path.realpath(tmp))
            except subprocess.TimeoutExpired:
                problems = [f"timed out after {case.timeout} s"]
        if problems:
            failed += 1
            print(f"not ok {i} - {case.name}")
            for line in "\n".join(problems).split("\n"):
                print(f"# {line}")
        else:
            print(f"ok {i} - {case.name}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
