#!/usr/bin/env python3
"""What libmshvcpu shows the linker (TAP output).

The public interface is what include/mshvcpu.h declares with MSHVCPU_API;
everything else is the library's own business. Checked here, from the
header's text and the built files:

  1. every function the header declares is marked MSHVCPU_API (an unmarked
     one would compile in users' code and then fail to link);
  2. lib/libmshvcpu.map names exactly those functions, one by one, each
     under one version node, MSHVCPU_0.1 the first (no wildcard lets a new
     name out unseen);
  3. the shared library's dynamic symbol table defines exactly those
     functions, each at the version the map gives it, and nothing else;
  4. the static library defines, as global symbols, the public functions
     and otherwise only names in the reserved internal namespace
     "mshvcpu__", hidden, so that a program linking libmshvcpu.a keeps
     names like read_file or set_error for itself.

  exports.py --header H --map M --shared LIB.so --static LIB.a [--readelf R]
"""
import argparse
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "common"))
from tap import Tap  # noqa: E402

FIRST_NODE = "MSHVCPU_0.1"
INTERNAL_PREFIX = "mshvcpu__"


def strip_c(text):
    """The header as a C compiler reads it: without comments, preprocessor
    lines, strings, and the C++-only parts (extern "C" and its braces)."""
    text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
    text = re.sub(r"//[^\n]*", " ", text)
    lines, cont, cplusplus = [], False, 0
    for line in text.split("\n"):
        directive = cont or line.lstrip().startswith("#")
        cont = directive and line.rstrip().endswith("\\")
        if directive:
            word = line.split()
            if cplusplus and word[0] in ("#if", "#ifdef", "#ifndef"):
                cplusplus += 1
            elif cplusplus and word[0] == "#endif":
                cplusplus -= 1
            elif word[:2] == ["#ifdef", "__cplusplus"]:
                cplusplus = 1
        lines.append("" if directive or cplusplus else line)
    text = "\n".join(lines)
    return re.sub(r'"(?:\\.|[^"\\])*"', '""', text)


def header_functions(path):
    """(marked, unmarked): the functions declared at file scope."""
    text = strip_c(open(path, encoding="utf-8").read())
    statements, depth, cur = [], 0, []
    for ch in text:
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
        cur.append(ch)
        if ch == ";" and depth == 0:
            statements.append("".join(cur))
            cur = []
    marked, unmarked = set(), set()
    for s in statements:
        # Type definitions (braces) and forward declarations are not functions.
        if "{" in s or "(" not in s:
            continue
        m = re.search(r"(\w+)\s*\(", s)
        if not m:
            continue
        (marked if re.search(r"\bMSHVCPU_API\b", s) else unmarked).add(m.group(1))
    return marked, unmarked


def map_nodes(path):
    """{node: (global names, local names)} from a linker version script."""
    text = re.sub(r"/\*.*?\*/", " ", open(path, encoding="utf-8").read(), flags=re.S)
    text = re.sub(r"#[^\n]*", " ", text)
    nodes = {}
    for m in re.finditer(r"([\w.]+)\s*\{(.*?)\}\s*[\w.]*\s*;", text, flags=re.S):
        scope, names = None, {"global": [], "local": []}
        for tok in re.findall(r"global\s*:|local\s*:|[^\s;]+", m.group(2)):
            if tok.startswith("global"):
                scope = "global"
            elif tok.startswith("local"):
                scope = "local"
            elif scope:
                names[scope].append(tok)
        nodes[m.group(1)] = (names["global"], names["local"])
    return nodes


def readelf_symbols(readelf, args):
    """(member, bind, vis, ndx, name) of every defined global or weak symbol."""
    out = subprocess.run([readelf, "-W"] + args, check=True, capture_output=True,
                         text=True).stdout
    member, rows = None, []
    for line in out.splitlines():
        m = re.match(r"File: .*\((.*)\)$", line)
        if m:
            member = m.group(1)
            continue
        f = line.split()
        if len(f) < 8 or not f[0].endswith(":") or not f[0][:-1].isdigit():
            continue
        num, value, size, typ, bind, vis, ndx, name = f[:8]
        if bind not in ("GLOBAL", "WEAK") or ndx == "UND":
            continue
        rows.append((member, bind, vis, ndx, name))
    return rows


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--header", required=True)
    ap.add_argument("--map", required=True)
    ap.add_argument("--shared", required=True)
    ap.add_argument("--static", required=True)
    ap.add_argument("--readelf", default="readelf")
    a = ap.parse_args()
    tap = Tap()

    public, unmarked = header_functions(a.header)
    tap.check(not unmarked and len(public) > 0,
              f"{len(public)} functions in the header, each marked MSHVCPU_API",
              [f"not marked: {n}" for n in sorted(unmarked)] +
              ([] if public else ["no declaration found: the reader is broken"]))

    nodes = map_nodes(a.map)
    problems, node_of = [], {}
    if not nodes or list(nodes)[0] != FIRST_NODE:
        problems.append(f"version nodes {list(nodes)}, want {FIRST_NODE} first")
    for node, (listed, local) in nodes.items():
        for n in listed:
            if not re.fullmatch(r"\w+", n):
                problems.append(f"{node}: a pattern, not a name: {n}")
            elif n in node_of:
                problems.append(f"{node}: {n} already listed in {node_of[n]}")
            else:
                node_of[n] = node
        if local != (["*"] if node == FIRST_NODE else []):
            problems.append(f"{node}: local {local}, want ['*'] in {FIRST_NODE} only")
    problems += [f"missing from the map: {n}" for n in sorted(public - set(node_of))]
    problems += [f"not in the header: {n}" for n in sorted(set(node_of) - public)]
    tap.check(not problems, "the map names each public function under one version node",
              problems)

    problems, seen = [], set()
    for _, bind, vis, ndx, name in readelf_symbols(a.readelf, ["--dyn-syms", a.shared]):
        if ndx == "ABS" and name in nodes:
            continue  # a version node's own definition
        base, _, version = name.partition("@")
        version = version.lstrip("@")
        seen.add(base)
        if base not in public:
            problems.append(f"exported, not public: {name}")
        elif version != node_of.get(base):
            problems.append(f"{base} at version '{version}', the map says {node_of.get(base)}")
    problems += [f"public, not exported: {n}" for n in sorted(public - seen)]
    tap.check(not problems, "the shared library exports exactly the public functions",
              problems)

    problems, defined = [], {}
    for member, bind, vis, ndx, name in readelf_symbols(a.readelf, ["-s", a.static]):
        if name in public:
            defined[name] = defined.get(name, 0) + 1
        elif not name.startswith(INTERNAL_PREFIX):
            problems.append(f"{member}: global {name} outside the mshvcpu_ namespace"
                            if not name.startswith("mshvcpu_") else
                            f"{member}: {name} looks public but the header does not declare it")
        elif vis != "HIDDEN":
            problems.append(f"{member}: internal {name} is {vis}, want HIDDEN")
    problems += [f"public, not defined: {n}" for n in sorted(public - set(defined))]
    problems += [f"defined {c} times: {n}" for n, c in sorted(defined.items()) if c > 1]
    tap.check(not problems,
              f"the static library defines the public functions and hidden {INTERNAL_PREFIX}* only",
              problems)
    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
