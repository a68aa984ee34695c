#!/usr/bin/env python3
"""`mshvcpu baseline` beside libvirt's `virsh cpu-baseline` on the same hosts.

The hosts come from the generator of bench/ingest.py (recorded Intel offers
with bits cleared, fixed seed). For N hosts they are written twice: as
mshvcpu host records (JSON Lines) and as libvirt CPU XML, one <cpu> per host
with each enabled feature under its QEMU/libvirt name (from
`mshvcpu features -j`, resolved against libvirt's cpu_map). Both baselines
are timed (best and median of several runs) and compared on every feature
both sides can express.

libvirt runs without a daemon: the test driver (test:///default) lives in
virsh itself and implements cpu-baseline (hypervisor-cpu-baseline needs a
real hypervisor driver; the script tries it and says what happened).

  libvirt_baseline.py --mshvcpu BUILD/mshvcpu [--hosts 2,100,1000] [--repeat N]

Without virsh it prints SKIP and exits 0. Exit 1 only when a tool fails or
mshvcpu's baseline is wrong; disagreements are reported, not failed.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ingest  # noqa: E402  (the host generator and the header)

CPU_MAP = "/usr/share/libvirt/cpu_map/x86_features.xml"
# A model libvirt knows whose features (fpu, vme, pse) are none of ours, so
# every catalogue feature a host offers is listed explicitly as <feature>.
BASE_MODEL = "486"


def libvirt_names(path):
    """{name or alias: canonical name} of libvirt's x86 features."""
    names = {}
    for feat in ET.parse(path).getroot().iter("feature"):
        name = feat.get("name")
        if not name:
            continue
        names[name] = name
        for alias in feat.iter("alias"):
            names.setdefault(alias.get("name"), name)
    return names


def catalogue(mshvcpu):
    """[(word, bit, name, qemu name or None)] of the Intel catalogue."""
    r = subprocess.run([mshvcpu, "features", "-j"], capture_output=True, text=True, check=True)
    out = []
    for f in json.loads(r.stdout)["features"]:
        q = (f.get("qemu") or {}).get("intel")
        out.append((f["word"], f["bit"], f["name"], q))
    return out


def resolve(qemu, known):
    """libvirt's canonical name for a QEMU name, or None."""
    for cand in (qemu, qemu.replace("-", "_"), qemu.replace("_", "-")):
        if cand in known:
            return known[cand]
    return None


def host_xml(words, bitmap):
    b0, b1, xs = words
    w = {"bank0": b0, "bank1": b1, "xsave": xs}
    feats = sorted(lv for (word, bit), lv in bitmap.items() if word in w and w[word] >> bit & 1)
    lines = ["<cpu>", "  <arch>x86_64</arch>", "  <model>%s</model>" % BASE_MODEL,
             "  <vendor>Intel</vendor>"]
    lines += ["  <feature name='%s'/>" % f for f in feats]
    lines.append("</cpu>")
    return "\n".join(lines) + "\n"


def timed(argv, repeat):
    """Run argv repeat times; return (times, last stdout). Exit on failure."""
    times, out = [], ""
    for _ in range(repeat):
        t0 = time.perf_counter()
        r = subprocess.run(argv, capture_output=True, text=True)
        times.append(time.perf_counter() - t0)
        if r.returncode != 0:
            sys.exit("libvirt_baseline: %s: exit status %d: %s"
                     % (" ".join(argv[:4]), r.returncode, r.stderr.strip()))
        out = r.stdout
    return times, out


def libvirt_features(xml_text):
    """Feature names libvirt's baseline requires (after --features)."""
    root = ET.fromstring(xml_text)
    cpu = root if root.tag == "cpu" else root.find(".//cpu")
    model = cpu.findtext("model")
    req = {f.get("name") for f in cpu.iter("feature")
           if f.get("policy") in (None, "require", "force")}
    return model, req


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--mshvcpu", required=True, help="path of the mshvcpu binary")
    p.add_argument("--hosts", default="2,100,1000", help="host counts (default 2,100,1000)")
    p.add_argument("--repeat", type=int, default=5, help="timed runs of each (default 5)")
    p.add_argument("--connect", default="test:///default",
                   help="libvirt URI (default test:///default, no daemon needed)")
    a = p.parse_args()
    mshvcpu = os.path.abspath(a.mshvcpu)
    counts = [int(x) for x in a.hosts.split(",") if x]

    virsh = shutil.which("virsh")
    if not virsh:
        print("SKIP: virsh not installed (apt-get install libvirt-clients libvirt-daemon)")
        return 0
    if not os.path.exists(CPU_MAP):
        print("SKIP: %s missing: libvirt's CPU map is not installed "
              "(apt-get install libvirt-daemon)" % CPU_MAP)
        return 0

    known = libvirt_names(CPU_MAP)
    cat = catalogue(mshvcpu)
    bitmap, no_name, unknown_to_libvirt = {}, [], []
    for word, bit, name, q in cat:
        if not q:
            no_name.append(name)
        elif resolve(q, known) is None:
            unknown_to_libvirt.append("%s (%s)" % (name, q))
        else:
            bitmap[word, bit] = resolve(q, known)
    by_name = {name: bitmap.get((word, bit)) for word, bit, name, _ in cat}
    renamed = ["%s->%s" % (q, bitmap[word, bit]) for word, bit, _, q in cat
               if (word, bit) in bitmap and q != bitmap[word, bit]]

    fleet = ingest.offers()
    tmp = tempfile.mkdtemp(prefix="mshvcpu-libvirt-")
    try:
        # Which baseline command the connection implements.
        probe = os.path.join(tmp, "probe.xml")
        with open(probe, "w") as f:
            f.write(host_xml(fleet[0], bitmap) + host_xml(fleet[1], bitmap))
        hv = subprocess.run([virsh, "-c", a.connect, "hypervisor-cpu-baseline", "--features",
                             probe], capture_output=True, text=True)
        hv_note = ("works" if hv.returncode == 0 else
                   "fails: " + (hv.stderr.strip().splitlines() or ["?"])[-1].removeprefix("error: "))
        cmd = [virsh, "-c", a.connect, "cpu-baseline", "--features"]
        if hv.returncode != 0:
            chk = subprocess.run(cmd + [probe], capture_output=True, text=True)
            if chk.returncode != 0:
                print("SKIP: virsh -c %s cpu-baseline does not work here: %s"
                      % (a.connect, chk.stderr.strip()))
                return 0
            used_cmd = "cpu-baseline --features"
        else:
            cmd = [virsh, "-c", a.connect, "hypervisor-cpu-baseline", "--features"]
            used_cmd = "hypervisor-cpu-baseline --features"

        ingest.print_header("libvirt_baseline: mshvcpu baseline beside virsh cpu-baseline",
                            mshvcpu, [
            "libvirt:    %s, %s" % (ingest.tool_version([virsh, "--version"]), virsh),
            "connection: %s (in-process test driver, no daemon): %s; "
            "hypervisor-cpu-baseline %s" % (a.connect, used_cmd, hv_note),
        ])
        print("input:      hosts %s from ingest.offers() (%d distinct Intel offers, seed 1), "
              "%d repeats" % (",".join(map(str, counts)), len(fleet), a.repeat))
        print("xml:        one <cpu> per host: model %s (fpu vme pse, none in the catalogue), "
              "vendor Intel, a <feature> per enabled catalogue feature" % BASE_MODEL)
        print("names:      %d catalogue features map to libvirt names; "
              "not expressible in libvirt: %d features (no QEMU/libvirt name)"
              % (len(bitmap), len(no_name)))
        print("            QEMU name is a libvirt alias or differs in -/_: %d: %s"
              % (len(renamed), ", ".join(renamed) or "-"))
        print("            QEMU name unknown to this libvirt's cpu_map: %d: %s"
              % (len(unknown_to_libvirt), ", ".join(unknown_to_libvirt) or "-"))

        rows, disagreements, compared_total = [], {}, 0
        for n in counts:
            words = [ingest.host_words(i, fleet) for i in range(n)]
            jsonl = os.path.join(tmp, "hosts-%d.jsonl" % n)
            xmlf = os.path.join(tmp, "hosts-%d.xml" % n)
            with open(jsonl, "w") as f:
                f.write("".join(ingest.record(i, w) for i, w in enumerate(words)))
            with open(xmlf, "w") as f:
                f.write("".join(host_xml(w, bitmap) for w in words))

            t_ours, out = timed([mshvcpu, "baseline", "-j", jsonl], a.repeat)
            problem = ingest.check_baseline(out, ingest.expected_baseline(set(words)), n)
            if problem:
                sys.exit("libvirt_baseline: mshvcpu baseline of %d hosts is wrong: %s"
                         % (n, problem))
            t_lv, lv_out = timed(cmd + [xmlf], a.repeat)

            doc = json.loads(out)
            ours_on = {x for v in doc["enabled"].values() for x in v}
            ours_unknown = {x for v in doc["unknown"].values() for x in v}
            model, theirs = libvirt_features(lv_out)
            compared = 0
            skipped_unknown = 0
            both = 0
            mapped = {lv for lv in by_name.values() if lv}
            extra = sorted(theirs - mapped)
            for name, lv in by_name.items():
                if not lv:
                    continue
                if name in ours_unknown:
                    skipped_unknown += 1
                    continue
                compared += 1
                a_on, b_on = name in ours_on, lv in theirs
                both += a_on and b_on
                if a_on != b_on:
                    disagreements.setdefault((name, lv, a_on, b_on), []).append(n)
            compared_total = max(compared_total, compared)
            rows.append((n, os.path.getsize(xmlf), t_ours, t_lv, model, compared,
                         skipped_unknown,
                         sum(1 for k, v in disagreements.items() if n in v),
                         both, extra))

        print()
        hdr = "%-6s %9s %10s %10s %10s %10s %8s %8s %-22s %8s %8s"
        print(hdr % ("hosts", "XML KB", "mshvcpu", "mshvcpu", "virsh", "virsh", "ratio",
                     "ratio", "libvirt model", "compared", "disagree"))
        print(hdr % ("", "", "best ms", "median ms", "best ms", "median ms", "best",
                     "median", "", "", ""))
        for n, xb, to, tl, model, compared, _, dis, _, _ in rows:
            bo, mo = min(to), ingest.median(to)
            bl, ml = min(tl), ingest.median(tl)
            print("%-6d %9.1f %10.2f %10.2f %10.2f %10.2f %8.2f %8.2f %-22s %8d %8d"
                  % (n, xb / 1000, bo * 1e3, mo * 1e3, bl * 1e3, ml * 1e3, bl / bo, ml / mo,
                     model, compared, dis))

        print("\nratio virsh / mshvcpu (best): " + ", ".join(
            "%d hosts %.2f" % (r[0], min(r[3]) / min(r[2])) for r in rows))
        print("compared:   features with a libvirt name that this libvirt knows, less those "
              "our baseline cannot say (unknown in the records): %d left out"
              % max(r[6] for r in rows))
        for r in rows:
            print("  %4d hosts: %d in both baselines, %d in neither; libvirt's also lists %s "
                  "(its model's, outside the catalogue)"
                  % (r[0], r[8], r[5] - r[8] - r[7], " ".join(r[9]) or "nothing else"))
        print("agreement: %d features compared, %d disagree"
              % (compared_total, len(disagreements)))
        for (name, lv, a_on, b_on), ns in sorted(disagreements.items()):
            print("  %-22s libvirt %-20s mshvcpu %-7s libvirt %-7s (hosts %s)"
                  % (name, lv, "yes" if a_on else "no", "yes" if b_on else "no",
                     ",".join(map(str, ns))))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
