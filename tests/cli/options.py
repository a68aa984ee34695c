#!/usr/bin/env python3
"""One option table: the letters and names agree everywhere (TAP output).

Reads the option lines of `mshvcpu --help` and of every command's --help,
and the man page mshvcpu(1):
  - a long name has one letter (or none) and one argument in every command;
  - a letter names one option in every command;
  - no command takes a letter in both cases, but -h (help) beside -H (host);
  - mshvcpu(1)'s OPTIONS section lists exactly these options, once each;
  - wherever mshvcpu(1) spells "-x, --name", the pair is the table's.

  options.py --mshvcpu BUILD/mshvcpu --man doc/mshvcpu.1
"""
import argparse
import os
import re
import subprocess
import sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "common"))
from tap import Tap  # noqa: E402

OPTION_LINE = re.compile(r"^  (?:-(\w), |    )--([a-z][a-z0-9-]*)(?: ([A-Z][A-Z0-9]*))?(?:\s|$)")
COMMON = re.compile(r"(?:-(\w)/)?--([a-z][a-z0-9-]*)")
# .B/.BR/.BI lines of the man page, "\-" already made "-".
MAN_OPTION = re.compile(r'^\.B[IR]? (?:-(\w) ", " )?--([a-z][a-z0-9-]*)(?: " ([A-Z][A-Z0-9]*)")?\s*$')
MAN_PAIR = re.compile(r'-(\w) ", " --([a-z][a-z0-9-]*)')


def help_options(text):
    """{name: (letter, arg)} from the option lines of a --help."""
    found = {}
    lines = text.split("\n")
    for line in lines:
        m = OPTION_LINE.match(line)
        if m:
            found[m.group(2)] = (m.group(1), m.group(3))
    joined = " ".join(lines)
    m = re.search(r"Every command also takes (.*?)\(see", joined)
    if m:
        for letter, name in COMMON.findall(m.group(1)):
            found[name] = (letter or None, None)
    return found


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--mshvcpu", required=True)
    ap.add_argument("--man", required=True)
    args = ap.parse_args()
    env = dict(os.environ, NO_COLOR="1")
    env.pop("COLUMNS", None)
    tap = Tap()

    def check(name, ok, detail=""):
        tap.check(ok, name, detail)

    def run(argv):
        return subprocess.run([args.mshvcpu] + argv, capture_output=True, env=env,
                              text=True).stdout

    main_help = run(["--help"])
    commands = re.findall(r"^  ([a-z][a-z-]+)  ", main_help.split("Commands:")[1]
                          .split("\n\n")[0], re.M)
    check("the command list is read", len(commands) >= 12, repr(commands))
    per_command = {"mshvcpu": help_options(main_help)}
    for cmd in commands:
        per_command[cmd] = help_options(run([cmd, "--help"]))
        check(f"{cmd} --help lists options", len(per_command[cmd]) >= 5,
              repr(per_command[cmd]))

    table = {}      # name -> (letter, arg), from every help
    by_letter = {}  # letter -> names
    for cmd, opts in per_command.items():
        for name, (letter, arg) in opts.items():
            if arg is None and name in table and table[name][1]:
                arg = table[name][1]        # the common line has no arguments
            if name in table and table[name][0] != letter:
                check(f"--{name} has one letter", False,
                      f"{cmd}: -{letter}, elsewhere -{table[name][0]}")
            if name in table and arg and table[name][1] and table[name][1] != arg:
                check(f"--{name} has one argument", False, f"{cmd}: {arg} vs {table[name][1]}")
            table.setdefault(name, (letter, arg))
            if letter:
                by_letter.setdefault(letter, set()).add(name)
    for letter, names in sorted(by_letter.items()):
        check(f"-{letter} names one option", len(names) == 1, repr(sorted(names)))
    for cmd, opts in per_command.items():
        letters = {letter for letter, _ in opts.values() if letter}
        pairs = {l.lower() for l in letters if l.swapcase() in letters} - {"h"}
        check(f"{cmd}: no letter in both cases (but -h/-H)", not pairs, repr(sorted(pairs)))

    with open(args.man, encoding="utf-8") as f:
        man = f.read().replace("\\-", "-")
    section = man.split("\n.SH OPTIONS\n", 1)[1].split("\n.SH ", 1)[0]
    listed = {}
    lines = section.split("\n")
    # An entry is the line after ".TP".
    for prev, line in zip(lines, lines[1:]):
        m = MAN_OPTION.match(line) if prev == ".TP" else None
        if m:
            check(f"mshvcpu(1) OPTIONS lists --{m.group(2)} once", m.group(2) not in listed)
            listed[m.group(2)] = (m.group(1), m.group(3))
    for name, (letter, arg) in sorted(table.items()):
        got = listed.get(name)
        check(f"mshvcpu(1) OPTIONS has --{name}" + (f" (-{letter})" if letter else ""),
              got is not None and got[0] == letter and (arg is None or got[1] == arg),
              f"man page: {got}, help: {(letter, arg)}")
    for name in sorted(set(listed) - set(table)):
        check(f"--{name} of mshvcpu(1) is in some --help", False)
    stale = sorted({f"-{l}, --{n}" for l, n in MAN_PAIR.findall(man)
                    if table.get(n, (None,))[0] != l})
    check("every '-x, --name' in mshvcpu(1) is the table's", not stale, repr(stale))

    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
