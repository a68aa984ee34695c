#!/bin/sh
# Without the emulator (and without a hypervisor) a program must fail
# cleanly: non-zero status, one clear message naming ENOENT, no crash.
# Usage: expect_enoent.sh COMMAND [ARGS...]
"$@" > /dev/null 2> "${TMPDIR:-/tmp}/expect_enoent.$$"
status=$?
err=$(cat "${TMPDIR:-/tmp}/expect_enoent.$$")
rm -f "${TMPDIR:-/tmp}/expect_enoent.$$"
echo "1..1"
if [ -e /dev/mshv ]; then
	echo "ok 1 # SKIP this machine has a real /dev/mshv"
elif [ "$status" -ge 1 ] && [ "$status" -lt 128 ] &&
     echo "$err" | grep -q 'No such file or directory'; then
	echo "ok 1 - fails cleanly: $err"
else
	echo "not ok 1 - status $status, stderr: $err"
	exit 1
fi
