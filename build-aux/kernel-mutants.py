#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Mutation check for the differential test of kernel/.

Each mutant is one small, deliberate bug in kernel/ (a check dropped, a
copy size changed, a value not forwarded). For each, this script builds
the two differential test binaries (x86_64 and non-x86) in a scratch copy
of the tree and runs them; the mutant is *killed* when at least one fails.
Every mutant must be killed: one that survives shows a gap in the test.

    build-aux/kernel-mutants.py            # all mutants
    build-aux/kernel-mutants.py -k rsvd    # those whose name contains "rsvd"

The source tree is never modified; the scratch copy lives in a temporary
directory. Exit status 0 when every mutant selected is killed.
"""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# (name, file, text to find, replacement). The text must occur exactly once.
MUTANTS = [
    ("no-revalidation-after-second-fetch", "kernel/create_args.c",
     "\tif (!create_header_valid(v2->pt_flags, v2->pt_isolation))\n\t\treturn -EINVAL;\n",
     ""),
    ("fewer-banks-accepted", "kernel/create_args.c",
     "v2->pt_num_cpu_fbanks != MSHV_NUM_CPU_FEATURES_BANKS",
     "v2->pt_num_cpu_fbanks > MSHV_NUM_CPU_FEATURES_BANKS"),
    ("first-fetch-is-v2-size", "kernel/create_args.c",
     "copy_from_user(&args, uarg, sizeof(struct mshv_create_partition))",
     "copy_from_user(&args, uarg, sizeof(args))"),
    ("pt_rsvd1-unchecked", "kernel/create_args.c",
     " ||\n\t    !all_zero(v2->pt_rsvd1, sizeof(v2->pt_rsvd1))",
     ""),
    ("pt_rsvd-last-byte-unchecked", "kernel/create_args.c",
     "!all_zero(v2->pt_rsvd, sizeof(v2->pt_rsvd))",
     "!all_zero(v2->pt_rsvd, sizeof(v2->pt_rsvd) - 1)"),
    ("pt_rsvd2-unchecked", "kernel/create_args.c",
     "\tif (v2->pt_rsvd2)\n\t\treturn -EINVAL;\n",
     ""),
    ("xsave-not-forwarded", "kernel/create_args.c",
     "\t\treq->props.disabled_processor_xsave_features.as_uint64 =\n\t\t\targs.pt_disabled_xsave;\n",
     ""),
    ("isolation-off-by-one", "kernel/create_args.c",
     "pt_isolation < MSHV_PT_ISOLATION_COUNT",
     "pt_isolation <= MSHV_PT_ISOLATION_COUNT"),
    ("selector-bit-forwarded", "kernel/create_args.c",
     "[MSHV_PT_BIT_CPU_AND_XSAVE_FEATURES] = 0,",
     "[MSHV_PT_BIT_CPU_AND_XSAVE_FEATURES] = BIT_ULL(3),"),
    ("second-fetch-fault-ignored", "kernel/create_args.c",
     "\tif (copy_from_user(v2, uarg, sizeof(*v2)))\n\t\treturn -EFAULT;\n",
     "\tcopy_from_user(v2, uarg, sizeof(*v2));\n"),
    ("compatibility-version-missing", "kernel/hypercalls.c",
     "\tin->compatibility_version = HV_COMPATIBILITY_21_H2;\n",
     ""),
    ("bank-1-not-forwarded", "kernel/create_args.c",
     "for (bank = 0; bank < MSHV_NUM_CPU_FEATURES_BANKS; bank++)",
     "for (bank = 0; bank < 1; bank++)"),
]

TARGETS = ["tests/kernel/test_kernel_create_differential_x86_64",
           "tests/kernel/test_kernel_create_differential_nonx86"]


def copy_tree(dest):
    files = subprocess.run(["git", "-C", ROOT, "ls-files", "-co", "--exclude-standard"],
                           check=True, capture_output=True, text=True).stdout.split("\n")
    for rel in files:
        src = os.path.join(ROOT, rel)
        if not rel or rel.startswith("build") or not os.path.isfile(src):
            continue
        os.makedirs(os.path.dirname(os.path.join(dest, rel)), exist_ok=True)
        shutil.copy2(src, os.path.join(dest, rel))


def run_targets(tree, build):
    env = dict(os.environ, MSHVCPU_DIFF_CASES="20000")
    subprocess.run(["ninja", "-C", build] + TARGETS, check=True, capture_output=True)
    return all(subprocess.run([os.path.join(build, t)], env=env, capture_output=True,
                              cwd=tree).returncode == 0 for t in TARGETS)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("-k", default="", help="only mutants whose name contains this")
    args = ap.parse_args()
    chosen = [m for m in MUTANTS if args.k in m[0]]
    with tempfile.TemporaryDirectory(prefix="mshvcpu-mutants-") as tmp:
        tree, build = os.path.join(tmp, "src"), os.path.join(tmp, "build")
        copy_tree(tree)
        subprocess.run(["meson", "setup", build, tree], check=True, capture_output=True)
        if not run_targets(tree, build):
            print("kernel-mutants: the unmutated tree already fails", file=sys.stderr)
            return 2
        survivors = 0
        for name, rel, find, replace in chosen:
            path = os.path.join(tree, rel)
            with open(path) as f:
                original = f.read()
            if original.count(find) != 1:
                print(f"kernel-mutants: {name}: text not found once in {rel}", file=sys.stderr)
                return 2
            with open(path, "w") as f:
                f.write(original.replace(find, replace))
            try:
                killed = not run_targets(tree, build)
            finally:
                with open(path, "w") as f:
                    f.write(original)
            survivors += not killed
            print(f"{'killed  ' if killed else 'SURVIVED'} {name}")
        print(f"{len(chosen) - survivors} of {len(chosen)} mutants killed")
        return 1 if survivors else 0


if __name__ == "__main__":
    sys.exit(main())
