#!/bin/sh
# `make install`: install the build into PREFIX, staged under DESTDIR when
# one is given.
#
#   install.sh BUILD_DIR PREFIX [DESTDIR]      (both absolute)
#
# A Meson build directory keeps the prefix it was set up with, and
# `meson install` installs there, whatever PREFIX says now. So the prefix is
# set again whenever it differs, and left alone otherwise (a `sudo make
# install` into the same prefix then writes nothing into the build
# directory but what meson install itself writes).
set -eu
meson=${MESON:-meson}
build=$1 prefix=$2 destdir=${3:-}

for dir in "$prefix" ${destdir:+"$destdir"}; do
	case $dir in
	/*) ;;
	*) echo "mshvcpu: install: $dir: not an absolute path" >&2; exit 2 ;;
	esac
done

current=$("$meson" introspect "$build" --buildoptions | python3 -c '
import json, sys
print(next(o["value"] for o in json.load(sys.stdin) if o["name"] == "prefix"))')
if [ "$current" != "$prefix" ]; then
	echo "install: $build was set up for $current; now $prefix"
	"$meson" configure "$build" --prefix="$prefix" >/dev/null
	# The regeneration this causes says everything Meson found again:
	# shown only when it fails.
	if ! log=$(ninja -C "$build" 2>&1); then
		printf '%s\n' "$log" >&2
		exit 1
	fi
fi

# The environment's DESTDIR would be read too: only the one given counts.
unset DESTDIR
if [ -n "$destdir" ]; then
	exec "$meson" install -C "$build" --destdir "$destdir"
fi
exec "$meson" install -C "$build"
