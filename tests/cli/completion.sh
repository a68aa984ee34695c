#!/bin/bash
# Bash completion of mshvcpu (doc/bash-completion/mshvcpu) against the
# built tool: subcommands, options, option values, feature names after
# ",+" / ",-" in a spec, and model names. TAP output.
#
#   completion.sh BUILD/mshvcpu SOURCE_ROOT
set -u
tool=$1 root=$2
framework=/usr/share/bash-completion/bash_completion
if [ ! -r "$framework" ]; then
	echo "1..0 # SKIP bash-completion is not installed ($framework)"
	exit 0
fi
# shellcheck disable=SC1090
. "$framework"
# shellcheck disable=SC1091
. "$root/doc/bash-completion/mshvcpu"

n=0 failed=0
# complete WORDS... : run the completion function on the command line
# "mshvcpu WORDS", the cursor on the last word; the result is in COMPREPLY.
complete_line() {
	COMP_WORDS=("$tool" "$@")
	COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
	COMP_LINE="${COMP_WORDS[*]}"
	COMP_POINT=${#COMP_LINE}
	COMPREPLY=()
	_mshvcpu
}
# expect DESCRIPTION WANTED WORDS... : WANTED is among the completions.
expect() {
	local what=$1 want=$2
	shift 2
	n=$((n + 1))
	complete_line "$@"
	local c
	for c in "${COMPREPLY[@]}"; do
		if [ "$c" = "$want" ]; then
			echo "ok $n - $what"
			return
		fi
	done
	failed=$((failed + 1))
	echo "not ok $n - $what: '$want' not in: ${COMPREPLY[*]:0:20}"
}
# expect_none DESCRIPTION UNWANTED WORDS... : UNWANTED is not offered.
expect_none() {
	local what=$1 unwanted=$2
	shift 2
	n=$((n + 1))
	complete_line "$@"
	local c
	for c in "${COMPREPLY[@]}"; do
		if [ "$c" = "$unwanted" ]; then
			failed=$((failed + 1))
			echo "not ok $n - $what: '$unwanted' offered"
			return
		fi
	done
	echo "ok $n - $what"
}

expect "subcommand" baseline ba
expect "subcommand with a dash" check-migration check
expect "global option" --json --js
expect_none "no subcommand for a wrong prefix" show zz
expect "subcommand option" --revision features --rev
expect "revision values" hv-2026 features --revision hv
expect "word values" xsave features --word x
expect "policy values" migration-safe encode --policy mig
expect "kernel levels" nested-smt create --kernel nes
expect "model as a spec base" x86-64-v3 show x86-64-v
expect "recorded host as a spec base" mshv-skylake-sp show mshv-sky
expect "feature after ,+" "x86-64-v3,+avx512_vnni" show "x86-64-v3,+avx512_vn"
expect "feature after ,-" "host,-avx2" show "host,-avx"
expect "feature after a second modifier" "host,-avx2,+aes" show "host,-avx2,+ae"
expect "help is a command" help hel
expect "a command after help" check-migration help check
expect "the quiet option" --quiet features --qu
expect "pools' --max-names" --max-names pools --max-n
expect_none "no --names in pools" --names pools --nam

echo "1..$n"
[ "$failed" -eq 0 ]
