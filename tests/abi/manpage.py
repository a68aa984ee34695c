#!/usr/bin/env python3
"""libmshvcpu(3) documents the header, function by function (TAP output).

The public functions are those include/mshvcpu.h declares with MSHVCPU_API,
in the groups its banner comments make ("/*\\n * Errors\\n */"). Checked,
comparing C tokens so that line breaks and fonts do not matter:

  1. the man page holds each function's full prototype, as the header
     declares it (without MSHVCPU_API and the printf attribute);
  2. each prototype is under the section named after its header group, and
     the sections come in the header's order;
  3. each function is also named, as name(), in the text that says what it
     does;
  4. every name() the page gives is a function of the header: no function
     the header lacks, and no fragment such as _init_all() standing for one.

  manpage.py --header include/mshvcpu.h --man doc/libmshvcpu.3
"""
import argparse
import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "common"))
from tap import Tap  # noqa: E402

TOKEN = re.compile(r"\.\.\.|\w+|[^\s\w]")


def header_groups(path):
    """[(title or None, [(name, tokens)])] in header order."""
    raw = open(path, encoding="utf-8").read()
    # Comments become blank space of the same shape: lines keep their numbers.
    code = re.sub(r"/\*.*?\*/", lambda m: re.sub(r"[^\n]", " ", m.group(0)), raw,
                  flags=re.S).split("\n")
    lines = raw.split("\n")
    groups = [(None, [])]
    i = 0
    while i < len(lines):
        # A banner: "/*", " * Title", then " */" or " *".
        if (lines[i] == "/*" and i + 2 < len(lines) and re.match(r"^ \* \S", lines[i + 1])
                and lines[i + 2] in (" */", " *")):
            groups.append((lines[i + 1][3:].strip(), []))
        if re.match(r"^\s*MSHVCPU_API\b", code[i]):
            stmt = []
            while True:
                stmt.append(code[i])
                if ";" in code[i]:
                    break
                i += 1
            tokens = TOKEN.findall(" ".join(stmt))
            tokens = [t for t in tokens if t != "MSHVCPU_API"]
            if "MSHVCPU_PRINTF" in tokens:
                at = tokens.index("MSHVCPU_PRINTF")
                end = tokens.index(")", at)
                del tokens[at:end + 1]
            name = tokens[tokens.index("(") - 1]
            groups[-1][1].append((name, tokens))
        i += 1
    return [g for g in groups if g[1]]


def short_title(title):
    """The section title a header banner gives: up to a colon or parenthesis."""
    return re.split(r":| \(", title)[0].rstrip(".").strip()


def roff_text(source):
    """The text of a man page, fonts dropped: [(kind, text)], kind "SS"/"SH"
    for headings and "" for the rest."""
    out = []
    for line in source.split("\n"):
        if line.startswith(".\\\""):
            continue
        m = re.match(r"^\.(\w+)\s*(.*)$", line)
        if m:
            macro, rest = m.group(1), m.group(2)
            args = [a if a is not None else b
                    for a, b in ((x.group(1), x.group(2))
                                 for x in re.finditer(r'"([^"]*)"|(\S+)', rest))]
            if macro in ("SH", "SS"):
                out.append((macro, " ".join(args)))
                continue
            if macro in ("B", "I"):
                line = " ".join(args)
            elif macro in ("BI", "BR", "IB", "IR", "RB", "RI"):
                line = "".join(args)
            else:
                line = ""
        line = re.sub(r"\\f[BIRP]", "", line)
        for esc, plain in (("\\-", "-"), ("\\e", "\\"), ("\\(dq", '"'), ("\\(en", "-"),
                           ("\\&", ""), ("\\^", ""), ("\\%", ""), ("\\(>=", ">=")):
            line = line.replace(esc, plain)
        out.append(("", line))
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--header", required=True)
    ap.add_argument("--man", required=True)
    args = ap.parse_args()
    tap = Tap()

    groups = header_groups(args.header)
    functions = {name for _, fns in groups for name, _ in fns}
    tap.check(len(functions) >= 90 and len(groups) >= 10,
              f"the header is read: {len(functions)} functions in {len(groups)} groups")

    # The page as one token stream, and where each section heading falls in it.
    stream, headings = [], []
    for kind, text in roff_text(open(args.man, encoding="utf-8").read()):
        if kind:
            headings.append((len(stream), kind, text))
        stream.extend(TOKEN.findall(text))
    joined = " " + " ".join(stream) + " "

    def position(tokens, start=0):
        """Token index of the first occurrence of @tokens at or after @start."""
        at = joined.find(" " + " ".join(tokens) + " ", len(" ".join(stream[:start])))
        return -1 if at < 0 else joined[:at + 1].count(" ") - 1

    section_at = {}
    for at, kind, text in headings:
        if kind == "SS":
            section_at.setdefault(text, at)
    last_heading = -1
    for title, fns in groups:
        if title is None:
            first = min((section_at.get(short_title(t), len(stream)) for t, _ in groups
                         if t), default=len(stream))
            begin, end, where = 0, first, "before the first group"
        else:
            name = short_title(title)
            begin = section_at.get(name, -1)
            tap.check(begin >= 0, f"libmshvcpu(3) has a section '{name}' (header: {title})")
            tap.check(begin > last_heading, f"section '{name}' comes in the header's order")
            last_heading = max(begin, last_heading)
            later = [at for at, _, _ in headings if at > begin]
            end = min(later) if later else len(stream)
            where = f"under '{name}'"
        for fn, tokens in fns:
            at = position(tokens, begin) if begin >= 0 else -1
            tap.check(0 <= at < end, f"{fn}: its prototype is in libmshvcpu(3), {where}",
                      [" ".join(tokens)] if not 0 <= at < end else [])

    # Each function is named in the text, and no name() is not a function.
    named = {}
    for i, tok in enumerate(stream[:-2]):
        if stream[i + 1] == "(" and stream[i + 2] == ")" and re.match(r"^_?mshvcpu_|^_", tok):
            named[tok] = named.get(tok, 0) + 1
    for fn in sorted(functions):
        tap.check(named.get(fn, 0) > 0, f"{fn}() is named where libmshvcpu(3) says what it does")
    strangers = sorted(set(named) - functions)
    tap.check(not strangers, "libmshvcpu(3) names no function the header lacks", strangers)
    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
