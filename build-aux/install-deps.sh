#!/bin/sh
# Make sure the Debian packages mshvcpu builds and tests with are present.
# As root, install what is missing; otherwise print the exact command.
# Usage: install-deps.sh [--fuzz] [extra-package ...]
#   --fuzz  also what the libFuzzer build needs (clang and its sanitizer and
#           fuzzer runtimes; clang only recommends the latter)
set -eu

fuzz_pkgs="clang libclang-rt-dev"
extra=""
for a in "$@"; do
	case "$a" in
	--fuzz) extra="$extra $fuzz_pkgs" ;;
	*) extra="$extra $a" ;;
	esac
done

pkgs="gcc make meson ninja-build pkg-config libjson-c-dev libcmocka-dev valgrind python3 bash-completion strace$extra"

if ! command -v dpkg-query >/dev/null 2>&1; then
	echo "install-deps: not a Debian system; need: $pkgs" >&2
	exit 0
fi

missing=""
for p in $pkgs; do
	status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
	case "$status" in
	*"install ok installed"*) ;;
	*) missing="$missing $p" ;;
	esac
done

[ -z "$missing" ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	echo "install-deps: missing Debian packages; run:" >&2
	echo "  sudo apt-get install -y --no-install-recommends$missing" >&2
	exit 1
fi

echo "install-deps: installing$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing
