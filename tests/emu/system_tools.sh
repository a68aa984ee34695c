#!/bin/sh
# Programs that never touch /dev/mshv behave exactly as without the
# emulator: same output, same exit status, when `mshvcpu emu` supervises
# them. Usage: system_tools.sh MSHVCPU HOST
set -u
mshvcpu=$1
host=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
printf 'line one\nline two\n' > "$work/file"
n=0
failed=0

same() {
	n=$((n + 1))
	(cd "$work" && "$@") > "$work/plain.out" 2> "$work/plain.err"
	plain=$?
	(cd "$work" && "$mshvcpu" emu --host "$host" -- "$@") > "$work/emu.out" 2> "$work/emu.err"
	emu=$?
	if [ "$plain" -eq "$emu" ] && cmp -s "$work/plain.out" "$work/emu.out" &&
	   cmp -s "$work/plain.err" "$work/emu.err"; then
		echo "ok $n - $*"
	else
		echo "not ok $n - $* (status $plain vs $emu)"
		diff "$work/plain.out" "$work/emu.out" | sed 's/^/# /'
		diff "$work/plain.err" "$work/emu.err" | sed 's/^/# /'
		failed=$((failed + 1))
	fi
}

echo "1..11"
same cat file
same sh -c 'echo $((6 * 7)); exit 3'
same ls -la file
same sort -r file
same wc -l file
same stat -c '%s %F' file
same cat /nonexistent
same sh -c 'exec 3<file; read l <&3; echo "$l"; exec 3<&-; ls /proc/self/fd | wc -l'
same python3 -c 'import os, sys; fd = os.open("file", os.O_RDONLY); print(os.read(fd, 4)); os.close(fd)'
# Through the filtered calls (openat, fstat, mmap of a file, ioctl) on
# ordinary files, and a pipeline of several processes.
same sh -c 'cat file | sort | head -1; stat -L -c %F /dev/null; test -c /dev/null'
same python3 -c 'import mmap, os; f = open("file", "rb"); m = mmap.mmap(f.fileno(), 0, prot=mmap.PROT_READ); print(m[:8]); print(os.isatty(0))'
exit $((failed > 0))
