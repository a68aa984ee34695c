#!/bin/sh
# `make demo`: the main job of mshvcpu on this machine, start to finish.
# Probe the host, compare it with a recorded host of the same vendor, find
# the baseline of both, and create a partition for that baseline on the
# emulated /dev/mshv (a hypervisor model offering exactly this host).
#
#   demo.sh [BUILD_DIR]      files go to $DEMO_DIR (default BUILD_DIR/demo)
#
# What it shows is what it runs: each step goes through run(), which prints
# the command word for word and then executes those same words, from the
# demo directory, with BUILD_DIR first on PATH (so `mshvcpu` is the one just
# built). The files stay: the directory is named at the start and the end.
# Bold only on a terminal, and never with NO_COLOR (as the tool itself).
set -eu
build=${1:-build}
dir=${DEMO_DIR:-$build/demo}

if [ ! -x "$build/mshvcpu" ]; then
	echo "mshvcpu: demo: $build/mshvcpu: not built (run make first)" >&2
	exit 2
fi
bold='' plain=''
if [ -t 1 ] && [ -z "${NO_COLOR:-}" ] && [ "${TERM:-}" != dumb ]; then
	bold=$(printf '\033[1m') plain=$(printf '\033[0m')
fi

# One shell word, quoted only when it needs to be.
quote() {
	case $1 in
	'' | *[!A-Za-z0-9@%+=:,./_-]*) printf "'%s'" "$(printf '%s' "$1" | sed "s/'/'\\\\''/g")" ;;
	*) printf '%s' "$1" ;;
	esac
}

# Show a command, then run exactly it. A non-zero status is said, and
# returned: callers decide whether it is an answer or a failure.
run() {
	line='$'
	for word in "$@"; do line="$line $(quote "$word")"; done
	printf '\n%s%s%s\n' "$bold" "$line" "$plain"
	status=0
	"$@" || status=$?
	[ "$status" -eq 0 ] || echo "(exit status $status)"
	return "$status"
}

mkdir -p "$dir"
bin=$(cd "$build" && pwd)
PATH=$bin:$PATH
export PATH
echo "mshvcpu demo: mshvcpu is $build/mshvcpu; the files are kept in $dir"

run cd "$dir"
# --trace appends: a trace left by an earlier demo would be read as this one's.
rm -f trace.jsonl

run mshvcpu host -o host.json

vendor=$(sed -n 's/.*"vendor": *"\([a-z]*\)".*/\1/p' host.json | head -n 1)
case $vendor in
amd) recorded=whp-epyc-milan-azure ;;
*) recorded=mshv-icelake-sp-azure ;;
esac

# Exit status 1 is a negative answer (incompatible, not migratable), not a failure.
run mshvcpu compare host.json "$recorded" || [ "$status" -eq 1 ]
run mshvcpu baseline -o cluster.json host.json "$recorded"
run mshvcpu emu --host host.json --trace trace.jsonl -- \
	mshvcpu create -o guest.json @cluster.json
run mshvcpu check-migration guest.json "$recorded" || [ "$status" -eq 1 ]

echo
echo "What the VMM asked the hypervisor for when it created the partition:"
run grep '"call":"create_partition"' trace.jsonl

cat <<EOF

The files are kept in $dir:
  host.json     this host's record (mshvcpu host)
  cluster.json  the baseline of this host and $recorded, a profile
  guest.json    the partition record (mshvcpu create)
  trace.jsonl   every hypercall the emulated hypervisor answered
EOF
