#!/bin/sh
# `mshvcpu emu` as a launcher: from a copy of the tool in a directory whose
# name has a space (the old LD_PRELOAD list split such paths), running a
# program that lives in one too; --trace naming the emulated device itself
# refused (status 2, a message, the command not run); the command's exit
# status passed on (N, 128 + signal, 127 when it cannot be found); a
# process the command leaves running in the background still has the
# emulated host (and its ordinary files) after the command has exited.
# Usage: launcher.sh MSHVCPU HOST PROGRAM   (PROGRAM: creates a partition)
set -u
mshvcpu=$1
host=$2
program=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
spaced="$work/with space"
mkdir "$spaced"
cp "$mshvcpu" "$spaced/mshvcpu"
# The emulator is a program of its own, found beside the tool.
cp "$(dirname "$mshvcpu")/mshvcpu-emu" "$spaced/mshvcpu-emu"
cp "$program" "$spaced/vmm prog"
n=0
failed=0

result() {	# result COND-STATUS DESCRIPTION
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $n - $2"
	else
		echo "not ok $n - $2"
		sed 's/^/# /' "$work/err"
		failed=$((failed + 1))
	fi
}

echo "1..14"

"$spaced/mshvcpu" emu --host "$host" --trace "$spaced/trace file.jsonl" -- "$program" \
	> "$work/out" 2> "$work/err"
status=$?
[ "$status" -eq 0 ] && grep -q '"call":"create_partition".*"status":"0x0000"' "$spaced/trace file.jsonl"
result $? "a copy of mshvcpu in '$spaced' creates a partition, traced into a spaced path (status $status)"

(cd "$spaced" && PATH="$spaced:$PATH" mshvcpu emu --host "$host" -- "./vmm prog") \
	> "$work/out" 2> "$work/err"
status=$?
[ "$status" -eq 0 ]
result $? "found through PATH, running a program whose name has a space (status $status)"

for dev in /dev/mshv //dev/../dev/./mshv; do
	"$mshvcpu" emu --host "$host" --trace "$dev" -- touch "$work/ran" > "$work/out" 2> "$work/err"
	status=$?
	[ "$status" -eq 2 ] && grep -q -- "--trace" "$work/err" && grep -q "$dev" "$work/err" &&
		[ ! -e "$work/ran" ] && [ ! -s "$work/out" ]
	result $? "--trace $dev is refused: status $status, a message, the command not run"
done

(cd /dev && "$mshvcpu" emu --host "$host" --trace mshv -- touch "$work/ran") \
	> "$work/out" 2> "$work/err"
status=$?
[ "$status" -eq 2 ] && [ ! -e "$work/ran" ]
result $? "--trace mshv in /dev is refused too (status $status)"

"$mshvcpu" emu --host "$host" -- sh -c 'exit 7' > "$work/out" 2> "$work/err"
status=$?
[ "$status" -eq 7 ]
result $? "the command's exit status is passed on (7: $status)"

"$mshvcpu" emu --host "$host" -- sh -c 'kill -TERM $$' > "$work/out" 2> "$work/err"
status=$?
[ "$status" -eq 143 ]
result $? "killed by a signal: 128 + its number (143: $status)"

"$mshvcpu" emu --host "$host" -- "$work/no such program" > "$work/out" 2> "$work/err"
status=$?
[ "$status" -eq 127 ] && grep -q "no such program" "$work/err"
result $? "a command that cannot be found: 127 and a message (status $status)"

"$mshvcpu" emu --host "$host" -- sh -c 'exec 3</dev/mshv; exec 4<>/dev/mshv; ls -l /proc/self/fd/ > /dev/null; exec 3<&- 4>&-; test -c /dev/mshv' \
	> "$work/out" 2> "$work/err"
status=$?
[ "$status" -eq 0 ]
result $? "a shell opens /dev/mshv by redirection and sees a character device (status $status)"
# The background process writes to the pipe it inherited (no open needed),
# so $(...) waits for it; cat and the example must still be able to open
# their libraries, the file and /dev/mshv after sh has exited.
printf 'still served\n' > "$work/file"
out=$("$mshvcpu" emu --host "$host" -- sh -c \
	'(sleep 0.5; cat "$1" 2>&1; "$2" > /dev/null 2>&1; echo "example: $?") & exit 0' \
	sh "$work/file" "$program" 2>&1)
printf '%s\n' "$out" > "$work/err"
[ "$out" = "$(printf 'still served\nexample: 0')" ]
result $? "a background process outliving the command is still served (got: $(echo $out))"
# Emulators do not nest (one seccomp listener per process): said, not EBUSY.
"$mshvcpu" emu --host "$host" -- "$mshvcpu" emu -- true > "$work/out" 2> "$work/err"
status=$?
[ "$status" -eq 2 ] && grep -q "cannot be nested" "$work/err"
result $? "mshvcpu emu inside mshvcpu emu: status 2 and why (status $status)"
# A command that needs the model uses the outer emulator's when it asks nothing of its own.
"$mshvcpu" emu --host "$host" -- "$mshvcpu" cpuid x86-64-v2 1 > "$work/out" 2> "$work/err"
status=$?
[ "$status" -eq 0 ] && grep -q "^0x00000001" "$work/out"
result $? "cpuid inside mshvcpu emu reads the outer emulator's guest (status $status)"

# Without the emulator program beside it (nor installed), the tool says so.
alone="$work/alone"
mkdir "$alone"
cp "$mshvcpu" "$alone/mshvcpu"
MSHVCPU_EMU_PROGRAM= "$alone/mshvcpu" emu -- true > "$work/out" 2> "$work/err"
status=$?
[ "$status" -eq 3 ] && grep -q "mshvcpu-emu is not beside this program" "$work/err"
result $? "no emulator program: status 3 and why (status $status)"
MSHVCPU_EMU_PROGRAM="$(dirname "$mshvcpu")/mshvcpu-emu" "$alone/mshvcpu" emu -- true \
	> "$work/out" 2> "$work/err"
result $? "MSHVCPU_EMU_PROGRAM names it"
exit $((failed > 0))
