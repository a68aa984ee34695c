#!/usr/bin/env python3
"""mshvcpu(1) says what the tool does (TAP output).

Each claim is checked against the built tool, not against another text:
  - HYPERCALL TRACE names, in bold, exactly the keys a trace of `create` and
    `cpuid` holds (and README.md's trace table has each of them);
  - JSON FORMATS names the members of the mshvcpu-error/1 document that
    -j and -p put on standard output on an error, and they mean what it
    says (the error line's text, the exit status);
  - the provenance of every named model cites something a user can read:
    no file missing from the source tree, and a section of mshvcpu(1) it
    names has an entry for the model with the words `show` gives;
  - COMMANDS has a section for every command of --help (and no other),
    that section names each option the command's --help lists, and the
    option's OPTIONS entry names exactly the commands that take it;

  manpage.py --mshvcpu BUILD/mshvcpu --man doc/mshvcpu.1 --source SOURCE_ROOT
"""
import argparse
import json
import os
import re
import subprocess
import sys
import tempfile

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from options import help_options  # noqa: E402
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "common"))
from tap import Tap  # noqa: E402

# A spec whose bank 2 differs from the host's offer: create sets the early
# property, so the trace holds a set as well as gets.
HOST = "mshv-icelake-sp-azure"
SPEC = "mshv-icelake-sp-azure,-fred"
KEY = re.compile(r"^[a-z][a-z0-9_]*$")


def roff_args(text):
    """The arguments of a request line: words, or "quoted groups"."""
    return [m.group(1) if m.group(1) is not None else m.group(2)
            for m in re.finditer(r'"([^"]*)"|(\S+)', text)]


def bold(section):
    """Every bold string of a roff text: .B lines, the bold half of
    .BR/.RB/.BI/.IB lines, and \\fB...\\fR runs."""
    found = []
    for line in section.split("\n"):
        m = re.match(r"^\.(B|BR|RB|BI|IB)(?:\s+(.*))?$", line)
        if m:
            args = roff_args(m.group(2) or "")
            if m.group(1) == "B":
                found.append(" ".join(args))
            else:
                first = 0 if m.group(1) in ("BR", "BI") else 1
                found.extend(args[first::2])
        found.extend(re.findall(r"\\fB(.*?)\\f[RIP]", line))
    return [w.replace("\\-", "-").replace("\\(dq", '"').replace("\\%", "")
            for w in found]


def man_section(man, name):
    """The text of .SH NAME up to the next .SH (empty if there is none)."""
    m = re.search(r"^\.SH \"?" + re.escape(name) + r"\"?\n(.*?)(?=^\.SH |\Z)", man,
                  re.M | re.S)
    return m.group(1) if m else ""


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--mshvcpu", required=True)
    ap.add_argument("--man", required=True)
    ap.add_argument("--source", required=True)
    args = ap.parse_args()
    env = dict(os.environ, NO_COLOR="1")
    env.pop("COLUMNS", None)
    tap = Tap()

    def check(name, ok, detail=""):
        tap.check(ok, name, detail)

    def run(argv):
        return subprocess.run([args.mshvcpu] + argv, capture_output=True, env=env, text=True)

    with open(args.man, encoding="utf-8") as f:
        man = f.read()
    with open(os.path.join(args.source, "README.md"), encoding="utf-8") as f:
        readme = f.read()
    main_help = run(["--help"]).stdout
    commands = re.findall(r"^  ([a-z][a-z-]+)  ", main_help.split("Commands:")[1]
                          .split("\n\n")[0], re.M)
    check("the command list is read", len(commands) >= 12, repr(commands))

    # HYPERCALL TRACE: the keys a real trace holds, no more, no fewer.
    with tempfile.TemporaryDirectory(prefix="mshvcpu-manpage-") as tmp:
        trace = os.path.join(tmp, "trace.jsonl")
        for argv in (["create", "--in-process", "--host", HOST, "--trace", trace, SPEC],
                     ["cpuid", "--host", HOST, "--trace", trace, SPEC]):
            proc = run(argv)
            check(f"mshvcpu {argv[0]} --trace runs", proc.returncode == 0, proc.stderr)
        seen, calls = set(), set()
        with open(trace) as f:
            for line in f:
                record = json.loads(line)
                seen.update(record)
                calls.add(record.get("call"))
    check("the trace has property calls", {"get_partition_property",
                                              "set_partition_property"} <= calls,
              repr(sorted(calls)))
    section = man_section(man, "HYPERCALL TRACE")
    documented = {w for w in bold(section) if KEY.match(w) and w not in commands}
    check("mshvcpu(1) HYPERCALL TRACE names only keys a trace has",
              documented and not documented - seen, repr(sorted(documented - seen)))
    check("mshvcpu(1) HYPERCALL TRACE names every key of these calls",
              not seen - documented, repr(sorted(seen - documented)))
    table = readme.split("## The hypercall trace", 1)[-1].split("\n## ", 1)[0]
    missing = sorted(k for k in seen if f"`{k}`" not in table)
    check("README.md's trace table has every key", not missing, repr(missing))

    # The error document: its members are the page's, and mean what it says.
    formats = man_section(man, "JSON FORMATS")
    m = re.search(r"^\.TP\n\.B mshvcpu\\-error/1\n(.*?)(?=^\.TP|^\.PP|\Z)", formats,
                  re.M | re.S)
    check("mshvcpu(1) JSON FORMATS has mshvcpu-error/1", m is not None)
    members = {w for w in bold(m.group(1)) if KEY.match(w)} if m else set()
    for what, argv, status in (("usage error", ["-j", "show", "no-such-model"], 2),
                               ("runtime error", ["-j", "show", "@/nonexistent/p.json"], 3),
                               ("usage error, -p", ["-p", "show", "no-such-model"], 2)):
        proc = run(argv)
        try:
            doc = json.loads(proc.stdout)
        except ValueError:
            doc = {}
        line = proc.stderr.rstrip("\n")
        check(f"{what}: one document on stdout, with the members mshvcpu(1) names",
                  members and set(doc) == members,
                  f"document {proc.stdout!r}; mshvcpu(1): {sorted(members)}")
        check(f"{what}: schema, error and status say what mshvcpu(1) says",
                  doc.get("schema") == "mshvcpu-error/1" and proc.returncode == status
                  and doc.get("status") == status and "\n" not in line
                  and line == "mshvcpu: " + str(doc.get("error")),
                  f"status {proc.returncode}; stderr {proc.stderr!r}; document {doc!r}")
    proc = run(["--bogus", "-j", "show", "x86-64-v1"])
    check("an error before -j is read has no document, as mshvcpu(1) says",
              proc.returncode == 2 and proc.stdout == "", repr(proc.stdout))
    check("mshvcpu(1) EXIT STATUS points to mshvcpu-error/1",
              "mshvcpu-error/1" in bold(man_section(man, "EXIT STATUS")))

    # What a model's provenance cites, a user can read: a file of this
    # source tree, or a section of mshvcpu(1) that describes the model with
    # the words the tool has for it.
    proc = run(["-j", "features", "--models"])
    models = json.loads(proc.stdout)["models"] if proc.returncode == 0 else []
    check("the models are read", len(models) >= 8, proc.stderr)
    cited = 0
    for model in models:
        name, prov = model["name"], model.get("provenance") or ""
        gone = [f for f in re.findall(r"[\w./-]+\.md\b", prov)
                if not os.path.exists(os.path.join(args.source, f))]
        check(f"{name}: its provenance cites no file that is not here",
                  not gone, f"{prov!r} cites {gone}")
        for title in re.findall(r"mshvcpu\(1\), ([A-Z][A-Z ]*[A-Z])", prov):
            cited += 1
            entries = re.split(r"^\.TP\n", man_section(man, title), flags=re.M)
            entry = next((e for e in entries[1:] if bold(e)[:1] == [name]), "")
            words = json.loads(run(["-j", "show", name]).stdout)["literal"]
            check(f"{name}: mshvcpu(1) {title} describes it, with its words {words}",
                      entry and words in bold(entry), entry or f"no entry for {name}")
    check("the recorded hosts cite a section of mshvcpu(1)", cited >= 4,
              repr([m.get("provenance") for m in models]))
    line = next((ln for ln in run(["show", "mshv-icelake-sp-azure"]).stdout.split("\n")
                 if ln.startswith("source")), "")
    check("show prints that citation", "mshvcpu(1), RECORDED HOSTS" in line, line)

    # Every command has its section, and every option its command's name.
    sections = re.findall(r'^\.SS "([a-z][a-z-]*)\b', man_section(man, "COMMANDS"), re.M)
    for cmd in commands:
        check(f"mshvcpu(1) COMMANDS has {cmd}", cmd in sections, repr(sections))
    for cmd in sorted(set(sections) - set(commands)):
        check(f"mshvcpu(1) section {cmd} is a command of --help", False)
    common = set(help_options(main_help))
    takers = {}     # option -> the commands whose --help lists it
    for cmd in commands:
        for name in help_options(run([cmd, "--help"]).stdout):
            if name not in common:
                takers.setdefault(name, set()).add(cmd)
    entries = re.split(r"^\.TP\n", man_section(man, "OPTIONS"), flags=re.M)[1:]
    for name, cmds in sorted(takers.items()):
        entry = next((e for e in entries
                      if re.match(r"^\.B[IR]? (?:\\-\w \", \" )?\\-\\-" +
                                  re.escape(name.replace("-", "\\-")) + r"\b", e)), None)
        # The commands in parentheses after the option's own line.
        listed = set()
        if entry:
            body = entry.split("\n", 1)[1]
            m = re.match(r"^\.RB \( (.*?)\)", body.replace("\n", " "))
            listed = {w for w in bold(body[:m.end()] if m else "") if w in commands}
        check(f"mshvcpu(1) OPTIONS: --{name} is for {', '.join(sorted(cmds))}",
                  entry is not None and listed == cmds,
                  f"mshvcpu(1) lists {sorted(listed)}" if entry else "no entry")
        for cmd in sorted(cmds):
            m = re.search(r'^\.SS "' + re.escape(cmd) + r'\b.*?(?=^\.SS |\Z)',
                          man_section(man, "COMMANDS"), re.M | re.S)
            text = m.group(0).replace("\\-", "-") if m else ""
            letter = help_options(run([cmd, "--help"]).stdout)[name][0]
            said = re.search(r"(?<![\w-])--" + re.escape(name) + r"\b", text) or \
                (letter and re.search(r"(?<![\w-])-" + letter + r"\b", text))
            check(f"mshvcpu(1) {cmd} section names --{name}", said)

    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
