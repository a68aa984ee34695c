#!/bin/sh
# `make demo`: the main job of mshvcpu on this machine, start to finish.
# Probe the host, compare it with a recorded host of the same vendor, find
# the baseline of both, and create a partition for that baseline on the
# emulated /dev/mshv (a hypervisor model offering exactly this host).
set -eu
build=${1:-build}
mshvcpu="$build/mshvcpu"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

step() { printf '\n\033[1m$ %s\033[0m\n' "$*"; }

step mshvcpu host -o host.json
"$mshvcpu" host -o "$work/host.json"

vendor=$(sed -n 's/.*"vendor": *"\([a-z]*\)".*/\1/p' "$work/host.json" | head -n 1)
case $vendor in
amd) recorded=whp-epyc-milan-azure ;;
*) recorded=mshv-icelake-sp-azure ;;
esac

step mshvcpu compare host.json $recorded
"$mshvcpu" compare "$work/host.json" "$recorded" || true

step mshvcpu baseline -o cluster.json host.json $recorded
"$mshvcpu" baseline -o "$work/cluster.json" "$work/host.json" "$recorded"

step mshvcpu emu --host host.json -- mshvcpu create -o guest.json @cluster.json
"$mshvcpu" emu --host "$work/host.json" --trace "$work/trace.jsonl" -- \
	"$mshvcpu" create -o "$work/guest.json" "@$work/cluster.json"

step mshvcpu check-migration --from guest.json --to $recorded
"$mshvcpu" check-migration --from "$work/guest.json" --to "$recorded" || true

step "what the VMM asked the hypervisor (trace.jsonl, create_partition)"
grep '"create_partition"' "$work/trace.jsonl" || true
