#!/bin/sh
# `make install` as a user gets it: installs into a scratch DESTDIR and
# checks what lands there — the tool runs, the man pages format without a
# groff warning, the completion is in bash-completion's directory, and the
# README's library example compiles against the installed header with the
# installed pkg-config file and creates a partition under the installed
# emulator. TAP output.
#
# Then `make install` itself, on a build directory of its own (tests off, so
# it builds quickly), set up with a first prefix as a plain `make` does: a
# later `make install PREFIX=A`, then PREFIX=B, installs under A, then B,
# never under the first; `make install DESTDIR=D PREFIX=P` stages under D
# files that say P.
#
#   install.sh BUILD_DIR SOURCE_ROOT
set -u
build=$1 root=$2
dest=$(mktemp -d /tmp/mshvcpu-install-XXXXXX)
trap 'rm -rf "$dest"' EXIT
n=0 failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; }
check() { # DESCRIPTION COMMAND...
	what=$1
	shift
	if "$@" >"$dest/.out" 2>&1; then ok "$what"; else not_ok "$what"; sed 's/^/# /' "$dest/.out"; fi
}

if ! meson install -C "$build" --destdir "$dest/root" --no-rebuild --quiet >"$dest/.log" 2>&1; then
	echo "1..1"
	echo "not ok 1 - meson install"
	sed 's/^/# /' "$dest/.log"
	exit 1
fi
prefix=$(meson introspect "$build" --buildoptions |
	python3 -c 'import json,sys; print([o["value"] for o in json.load(sys.stdin) if o["name"]=="prefix"][0])')
libdir=$(meson introspect "$build" --buildoptions |
	python3 -c 'import json,sys; print([o["value"] for o in json.load(sys.stdin) if o["name"]=="libdir"][0])')
case $libdir in /*) ;; *) libdir=$prefix/$libdir ;; esac
top=$dest/root$prefix
lib=$dest/root$libdir

for f in "$top/bin/mshvcpu" "$top/include/mshvcpu.h" "$lib/libmshvcpu.a" \
	"$lib/libmshvcpu.so.0" "$lib/pkgconfig/libmshvcpu.pc" \
	"$top/share/man/man1/mshvcpu.1" "$top/share/man/man3/libmshvcpu.3" \
	"$top/share/bash-completion/completions/mshvcpu"; do
	check "installed: ${f#"$dest/root"}" test -s "$f"
done

check "the installed tool runs" "$top/bin/mshvcpu" show x86-64-v2
for page in man1/mshvcpu.1 man3/libmshvcpu.3; do
	if command -v groff >/dev/null 2>&1; then
		# -ww: every warning; -z: format, print nothing.
		groff -man -Tutf8 -ww -z "$top/share/man/$page" >"$dest/.out" 2>&1
		if [ ! -s "$dest/.out" ]; then ok "$page formats without warnings"
		else not_ok "$page formats without warnings"; sed 's/^/# /' "$dest/.out"; fi
	else
		ok "$page formats without warnings # SKIP groff not installed"
	fi
done

# The README's library example, as a user would build it.
sed -n '/^## Using the library/,/^## /p' "$root/README.md" |
	sed -n '/^```c$/,/^```$/p' | sed '1d;$d' >"$dest/example.c"
cat >>"$dest/example.c" <<'EOC'

#include <stdio.h>
#include <stdlib.h>

int main(void)
{
	struct mshvcpu_partition_record rec = { 0 };
	char *json = NULL;
	int fd = create_guest(&rec);

	if (fd < 0) {
		fprintf(stderr, "create_guest: %d\n", fd);
		return 1;
	}
	if (mshvcpu_partition_record_to_json(&rec, false, &json))
		return 1;
	puts(json);
	free(json);
	mshvcpu_partition_record_clear(&rec);
	return 0;
}
EOC
check "the README example is in README.md" grep -q create_guest "$dest/example.c"
flags=$(PKG_CONFIG_PATH=$lib/pkgconfig pkg-config --define-variable=prefix="$top" \
	--cflags --libs libmshvcpu 2>"$dest/.pc")
check "pkg-config knows libmshvcpu" test -n "$flags"
# shellcheck disable=SC2086
check "the README example compiles against the installed library" \
	cc -std=gnu17 -Wall -Wextra -Werror -o "$dest/example" "$dest/example.c" $flags
check "the example creates a partition under the installed emulator" \
	env LD_LIBRARY_PATH="$lib" sh -c '"$@" >"$0"' "$dest/record.json" \
	"$top/bin/mshvcpu" emu --host mshv-icelake-sp-azure -- "$dest/example"
check "its record says migration-safe" grep -q '"policy":"migration-safe"' "$dest/record.json"

# make; make install PREFIX=A; make install PREFIX=B; make install DESTDIR=...
if ! command -v make >/dev/null 2>&1; then
	ok "make install PREFIX=... # SKIP make not installed"
	echo "1..$n"
	[ "$failed" -eq 0 ]
	exit
fi
scratch=$dest/build
make_in() { make -C "$root" --no-print-directory BUILD="$scratch" "$@"; }
if meson setup "$scratch" "$root" -Dtests=false --prefix="$dest/first" >"$dest/.log" 2>&1 &&
	make_in >>"$dest/.log" 2>&1; then
	ok "make (a build directory set up for $dest/first)"
else
	not_ok "make (a build directory set up for $dest/first)"
	sed 's/^/# /' "$dest/.log"
fi
rel_libdir=$(meson introspect "$scratch" --buildoptions |
	python3 -c 'import json,sys; print([o["value"] for o in json.load(sys.stdin) if o["name"]=="libdir"][0])')
installed() { # WHERE TOP: every file make install puts under TOP
	for f in bin/mshvcpu include/mshvcpu.h "$rel_libdir/libmshvcpu.a" \
		"$rel_libdir/libmshvcpu.so.0" "$rel_libdir/pkgconfig/libmshvcpu.pc" \
		share/man/man1/mshvcpu.1 share/man/man3/libmshvcpu.3 \
		share/bash-completion/completions/mshvcpu; do
		check "$1: $f" test -s "$2/$f"
	done
}
for where in A B; do
	check "make install PREFIX=$where" make_in install PREFIX="$dest/$where"
	installed "make install PREFIX=$where" "$dest/$where"
	check "PREFIX=$where: its pkg-config file says prefix=$where" \
		grep -qx "prefix=$dest/$where" "$dest/$where/$rel_libdir/pkgconfig/libmshvcpu.pc"
done
check "PREFIX=B: the installed tool runs" "$dest/B/bin/mshvcpu" show x86-64-v2
check "nothing went to the first prefix" test ! -e "$dest/first"

staged=/opt/mshvcpu-staged-$$
check "make install DESTDIR=D PREFIX=$staged" \
	make_in install DESTDIR="$dest/stage" PREFIX="$staged"
installed "DESTDIR=D PREFIX=$staged" "$dest/stage$staged"
check "DESTDIR: the pkg-config file says the real prefix" \
	grep -qx "prefix=$staged" "$dest/stage$staged/$rel_libdir/pkgconfig/libmshvcpu.pc"
check "DESTDIR: nothing is written to $staged itself" test ! -e "$staged"

echo "1..$n"
[ "$failed" -eq 0 ]
