#!/bin/bash
# Output safety, as a user meets it: -o FILE onto devices, FIFOs, sockets,
# directories and symlinks; modes, owners and the umask; `-o -`; a file
# size limit and a signal in the middle of a write; and standard output
# that fails (/dev/full, closed, a reader that left). Runs the real binary
# from a shell, as root and (via setpriv) as nobody when run as root. TAP.
#
#   output_safety.sh MSHVCPU
set -u
M=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
SPEC=x86-64-v3
SKX=mshv-skylake-sp
ICX=mshv-icelake-sp-azure
work=$(mktemp -d /tmp/mshvcpu-output-XXXXXX)
user_dir=
cleanup() { rm -rf "$work" ${user_dir:+"$user_dir"}; }
trap cleanup EXIT
n=0 failed=0
export LC_ALL=C NO_COLOR=1

ok() { n=$((n + 1)); echo "ok $n - $1"; }
skip() { n=$((n + 1)); echo "ok $n - $1 # SKIP $2"; }
# not_ok DESCRIPTION WHY...: each WHY one diagnostic line.
not_ok() {
	n=$((n + 1)) failed=$((failed + 1))
	echo "not ok $n - $1"
	shift
	printf '%s\n' "$@" | sed 's/^/#   /'
}
# verdict DESCRIPTION: ok when no problem was noted since the last verdict.
problems=()
note() { problems+=("$@"); }
verdict() {
	if [ ${#problems[@]} -eq 0 ]; then ok "$1"; else not_ok "$1" "${problems[@]}"; fi
	problems=()
}

# run [PREFIX...] -- ARGS...: the tool's status, stdout and stderr in $rc, $out, $err.
run() {
	local pre=()
	while [ "$1" != -- ]; do pre+=("$1"); shift; done
	shift
	"${pre[@]}" "$M" "$@" >"$work/.out" 2>"$work/.err"
	rc=$?
	out=$(cat "$work/.out")
	err=$(cat "$work/.err")
}
want_rc() { [ "$rc" -eq "$1" ] || note "exit status $rc, expected $1 (stderr: $err)"; }
want_err() { [ "$err" = "$1" ] || note "stderr '$err', expected '$1'"; }
want_no_out() { [ -z "$out" ] || note "stdout not empty: ${out:0:80}"; }
# What a directory holds, hidden files included: nothing may appear or vanish.
listing() { (cd "$1" && ls -A | tr '\n' ' '); }
want_listing() { # DIR BEFORE
	local now
	now=$(listing "$1")
	[ "$now" = "$2" ] || note "$1 held '$2', now '$now' (a temporary file left?)"
}
identity() { stat -c '%F %t:%T %i %a %u:%g %s %Y' "$1" 2>&1; }
want_identity() { # PATH BEFORE
	local now
	now=$(identity "$1")
	[ "$now" = "$2" ] || note "$1 changed: was '$2', now '$now'"
}
want_profile() { # FILE
	grep -q '"schema": "mshvcpu-profile/1"' "$1" 2>/dev/null || note "$1 does not hold the profile"
}
is_root() { [ "$(id -u)" -eq 0 ]; }

# --- refusals: what is not a regular file stays what it is ---------------------
# refuse LABEL PATH KIND [PREFIX...]: -o PATH refused with the message, PATH and its directory untouched.
refuse() {
	local label=$1 path=$2 kind=$3 before dir_before
	shift 3
	before=$(identity "$path")
	dir_before=$(listing "$(dirname "$path")")
	run "$@" -- show -o "$path" "$SPEC"
	want_rc 3
	want_no_out
	want_err "mshvcpu: show: $path: not a regular file ($kind)"
	want_identity "$path" "$before"
	want_listing "$(dirname "$path")" "$dir_before"
	verdict "$label"
}

d=$work/kinds
mkdir "$d"
mkfifo "$d/fifo"
refuse "-o onto a FIFO: refused, still a FIFO" "$d/fifo" FIFO
mkdir "$d/dir"
refuse "-o onto a directory: refused, untouched" "$d/dir" directory
if python3 -c 'import socket, sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])' "$d/sock" 2>/dev/null; then
	refuse "-o onto a socket: refused, still a socket" "$d/sock" socket
else
	skip "-o onto a socket" "cannot bind a unix socket here"
fi

# Devices: first copies made here (as root), then the real ones. Were the
# copies replaced, the tool would replace /dev/null too: do not try then.
copies_safe=no
if is_root && mknod "$d/null" c 1 3 2>/dev/null && mknod "$d/loop" b 7 0 2>/dev/null; then
	f0=$failed
	refuse "root, -o onto a character device (a copy of /dev/null): refused, still a device" \
		"$d/null" "character device"
	refuse "root, -o onto a block device: refused, still a device" "$d/loop" "block device"
	[ "$failed" -eq "$f0" ] && copies_safe=yes
elif is_root; then
	skip "root, -o onto device copies" "mknod not permitted here"
fi
for dev in /dev/null /dev/full; do
	if is_root && [ $copies_safe != yes ]; then
		skip "root, -o onto $dev" "the copies were not refused (or could not be made): not risking $dev"
		continue
	fi
	refuse "$(id -un), -o onto $dev: refused, still the same device" "$dev" "character device"
	[ -c "$dev" ] || echo "Bail out! $dev is no longer a character device"
done
if [ $copies_safe = yes ] || ! is_root; then
	ln -s /dev/null "$d/to-null"
	before=$(identity /dev/null)
	run -- show -o "$d/to-null" "$SPEC"
	want_rc 3
	want_err "mshvcpu: show: $d/to-null: not a regular file (character device /dev/null, through a symlink)"
	want_identity /dev/null "$before"
	[ -L "$d/to-null" ] && [ "$(readlink "$d/to-null")" = /dev/null ] || note "the symlink changed"
	verdict "-o through a symlink to /dev/null: refused, link and device untouched"
fi

# As nobody (when we are root and can switch): the same devices, own files.
as_user=()
if is_root; then
	if command -v setpriv >/dev/null && id nobody >/dev/null 2>&1; then
		as_user=(setpriv --reuid=nobody --regid="$(id -g nobody)" --clear-groups --)
		user_dir=$(mktemp -d /tmp/mshvcpu-output-user-XXXXXX)
		chown nobody "$user_dir"
		"${as_user[@]}" "$M" --version >/dev/null 2>&1 || as_user=()
	fi
	if [ ${#as_user[@]} -eq 0 ]; then
		skip "nobody, -o onto /dev/null and /dev/full" "cannot run the tool as nobody here"
	else
		for dev in /dev/null /dev/full; do
			refuse "nobody, -o onto $dev: refused, still the same device" "$dev" \
				"character device" "${as_user[@]}"
		done
		f=$user_dir/mine.json
		"${as_user[@]}" sh -c 'umask 077; echo old > "$1"' sh "$f"
		run "${as_user[@]}" -- show -o "$f" "$SPEC"
		want_rc 0
		want_profile "$f"
		[ "$(stat -c '%a %U' "$f")" = "600 nobody" ] || note "now $(stat -c '%a %U' "$f")"
		verdict "nobody, -o onto an own 0600 file: replaced, still 0600 and nobody's"
	fi
fi

# --- symlinks, modes, owners, the umask ------------------------------------------
d=$work/files
mkdir "$d" "$d/sub"
echo old > "$d/real.json"
ln -s real.json "$d/link"
run -- show -o "$d/link" "$SPEC"
want_rc 0
want_profile "$d/real.json"
[ -L "$d/link" ] && [ "$(readlink "$d/link")" = real.json ] || note "the link is no longer a link to real.json"
verdict "-o through a symlink: the target replaced, the link kept"

# A relative link is relative to its own directory, not to ours.
ln -s ../rel.json "$d/sub/link"
echo old > "$d/rel.json"
before=$(listing "$d/sub")
run -- show -o "$d/sub/link" "$SPEC"
want_rc 0
want_profile "$d/rel.json"
want_listing "$d/sub" "$before"
[ -L "$d/sub/link" ] || note "sub/link is no longer a link"
verdict "-o through a relative symlink in another directory: its target replaced"

ln -s new-target.json "$d/dangling"
run -- show -o "$d/dangling" "$SPEC"
want_rc 0
want_profile "$d/new-target.json"
[ -L "$d/dangling" ] || note "the dangling link was replaced by a file"
verdict "-o through a dangling symlink: its target created, the link kept"

echo old > "$d/private.json"
chmod 600 "$d/private.json"
run -- show -o "$d/private.json" "$SPEC"
want_rc 0
want_profile "$d/private.json"
[ "$(stat -c %a "$d/private.json")" = 600 ] || note "mode now $(stat -c %a "$d/private.json")"
verdict "-o onto a 0600 file: replaced, still 0600"

if is_root && id nobody >/dev/null 2>&1; then
	echo old > "$d/theirs.json"
	chown nobody:"$(id -g nobody)" "$d/theirs.json"
	chmod 640 "$d/theirs.json"
	want=$(stat -c '%a %u:%g' "$d/theirs.json")
	run -- show -o "$d/theirs.json" "$SPEC"
	want_rc 0
	want_profile "$d/theirs.json"
	[ "$(stat -c '%a %u:%g' "$d/theirs.json")" = "$want" ] ||
		note "was $want, now $(stat -c '%a %u:%g' "$d/theirs.json")"
	verdict "root, -o onto nobody's 0640 file: replaced, owner and mode kept"
fi

for mask in 027 000; do
	rm -f "$d/new.json"
	(umask $mask && "$M" show -o "$d/new.json" "$SPEC" >/dev/null 2>"$work/.err")
	rc=$? err=$(cat "$work/.err")
	want_rc 0
	want_profile "$d/new.json"
	want=$(printf '%o' $((0666 & ~0$mask)))
	[ "$(stat -c %a "$d/new.json")" = "$want" ] || note "mode $(stat -c %a "$d/new.json"), expected $want"
	verdict "umask $mask: a new file gets $want"
done

# A file we may not write is not replaced (as with >), whoever owns the directory.
if [ ${#as_user[@]} -gt 0 ]; then
	f=$user_dir/readonly.json
	"${as_user[@]}" sh -c 'echo old > "$1"; chmod 444 "$1"' sh "$f"
	before=$(identity "$f")
	run "${as_user[@]}" -- show -o "$f" "$SPEC"
	want_rc 3
	want_err "mshvcpu: show: $f: Permission denied"
	want_identity "$f" "$before"
	verdict "nobody, -o onto an own read-only file: refused, untouched"
fi

before=$(listing "$work")
run -- show -o "$work/no-such-dir/new.json" "$SPEC"
want_rc 3
want_no_out
want_err "mshvcpu: show: $work/no-such-dir/new.json: No such file or directory"
want_listing "$work" "$before"
verdict "-o into a missing directory: refused, nothing made"

# --- -o - ----------------------------------------------------------------------
run -- show -o "$d/file.json" "$SPEC"
for cmd in "show $SPEC" "baseline $SKX $ICX" "-j show $SPEC"; do
	before=$(listing "$work")
	# shellcheck disable=SC2086
	(cd "$work" && "$M" $cmd -o - >"$work/.out" 2>"$work/.err")
	rc=$? err=$(cat "$work/.err")
	want_rc 0
	want_err ""
	python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); assert d["schema"] == "mshvcpu-profile/1"' \
		"$work/.out" 2>/dev/null || note "stdout is not just the profile: $(head -c 80 "$work/.out")"
	want_listing "$work" "$before"
	if [ "${cmd%% *}" = show ] || [ "${cmd%% *}" = -j ]; then
		cmp -s "$work/.out" "$d/file.json" || note "stdout differs from what -o FILE writes"
	fi
	verdict "mshvcpu $cmd -o -: the profile on stdout, nothing else, no file '-'"
done

# --- a file size limit: EFBIG, reported; nothing left behind ----------------------
d=$work/limit
mkdir "$d"
echo old > "$d/kept.json"
for target in new.json kept.json; do
	before=$(listing "$d")
	err=$( (ulimit -f 0 && exec "$M" show -o "$d/$target" "$SPEC" 2>&1 >/dev/null) )
	rc=$?
	want_rc 3
	want_err "mshvcpu: show: $d/$target: File too large"
	want_listing "$d" "$before"
	verdict "ulimit -f 0, -o $target: exit 3, the message, no temporary file"
done
[ "$(cat "$d/kept.json")" = old ] && ok "ulimit -f 0: the existing file kept its content" ||
	not_ok "ulimit -f 0: the existing file kept its content" "now: $(head -c 80 "$d/kept.json")"
err=$( (ulimit -f 0 && exec "$M" show "$SPEC" 2>&1 >"$d/stdout.txt") )
rc=$?
want_rc 3
want_err "mshvcpu: write error: File too large"
verdict "ulimit -f 0, stdout to a file: exit 3 and 'write error', not SIGXFSZ"

# --- a signal during the write -------------------------------------------------------
# The write takes microseconds; strace holds the process in fsync(2), the
# temporary file written and not yet renamed, while the signal arrives. INT is reset to its
# default first: a background job of a script starts with INT ignored (and
# the tool leaves an ignored signal ignored).
d=$work/signal
mkdir "$d"
if ! command -v strace >/dev/null; then
	skip "SIGTERM/SIGHUP/SIGINT during -o" "strace not installed: nothing else holds the write open reliably"
elif ! strace -qq -o /dev/null true 2>/dev/null; then
	skip "SIGTERM/SIGHUP/SIGINT during -o" "ptrace not permitted here"
else
	# The first fsync(2), the temporary file's, held 3 s (time to notice it and signal).
	hold=inject=fsync:delay_enter=3000000:when=1
	# LeakSanitizer cannot run under ptrace: in the sanitizer build it would
	# turn a clean exit into status 1. Leaks are checked everywhere else.
	saved_asan=${ASAN_OPTIONS-}
	export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
	for sig in TERM HUP INT; do
		echo old > "$d/out.json"
		before=$(listing "$d")
		rm -f "$work/pid"
		python3 -c 'import os, signal, sys
signal.signal(signal.SIGINT, signal.SIG_DFL)
os.execvp(sys.argv[1], sys.argv[1:])' \
			strace -f -qq -o "$work/strace.log" -e trace=fsync -e "$hold" \
			sh -c 'echo $$ > "$1"; shift; exec "$@"' sh "$work/pid" \
			"$M" show -o "$d/out.json" "$SPEC" >/dev/null 2>"$work/.err" &
		tracer=$!
		seen=no
		for _ in $(seq 600); do
			if [ -s "$work/pid" ] && ls -A "$d" | grep -qv '^out\.json$'; then seen=yes; break; fi
			sleep 0.05
		done
		[ $seen = yes ] || note "no temporary file appeared"
		[ -s "$work/pid" ] && kill -"$sig" "$(cat "$work/pid")"
		{ wait $tracer; } 2>/dev/null
		grep -q "killed by SIG$sig" "$work/strace.log" ||
			note "not killed by SIG$sig: $(tail -n 1 "$work/strace.log")"
		want_listing "$d" "$before"
		[ "$(cat "$d/out.json")" = old ] || note "out.json was replaced anyway"
		verdict "SIG$sig during -o: temporary file removed, target untouched, died by SIG$sig"
	done
	# An ignored SIGHUP (nohup) stays ignored: the write completes.
	echo old > "$d/out.json"
	rm -f "$work/pid"
	strace -f -qq -o /dev/null -e trace=fsync -e "$hold" \
		sh -c 'trap "" HUP; echo $$ > "$1"; shift; exec "$@"' sh "$work/pid" \
		"$M" show -o "$d/out.json" "$SPEC" >/dev/null 2>&1 &
	tracer=$!
	for _ in $(seq 600); do
		if [ -s "$work/pid" ] && ls -A "$d" | grep -qv '^out\.json$'; then break; fi
		sleep 0.05
	done
	[ -s "$work/pid" ] && kill -HUP "$(cat "$work/pid")"
	wait $tracer
	rc=$?
	want_rc 0
	want_profile "$d/out.json"
	verdict "SIGHUP ignored (nohup) during -o: the write completes"
	export ASAN_OPTIONS="$saved_asan"
fi

# --- standard output that fails -----------------------------------------------------
for cmd in "show $SPEC" "-j show $SPEC" "features" "-j features" \
	"pools $SKX $ICX $SKX" "-j pools $SKX $ICX" "show --help"; do
	# shellcheck disable=SC2086
	"$M" $cmd >/dev/null 2>"$work/.err"
	rc=$? err=$(cat "$work/.err")
	want_rc 0
	# shellcheck disable=SC2086
	"$M" $cmd >/dev/full 2>"$work/.err"
	rc=$? err=$(cat "$work/.err")
	want_rc 3
	want_err "mshvcpu: write error: No space left on device"
	verdict "mshvcpu $cmd >/dev/full: exit 3, 'write error: No space left on device'"
	# shellcheck disable=SC2086
	"$M" $cmd >&- 2>"$work/.err"
	rc=$? err=$(cat "$work/.err")
	want_rc 3
	want_err "mshvcpu: write error: Bad file descriptor"
	verdict "mshvcpu $cmd >&-: exit 3, 'write error: Bad file descriptor'"
done

# Closed stdout must not become a file the tool opens: -o lands in FILE only.
"$M" show -o "$work/closed.json" "$SPEC" >&- 2>"$work/.err"
rc=$? err=$(cat "$work/.err")
want_rc 3
want_err "mshvcpu: write error: Bad file descriptor"
python3 -c 'import json, sys; json.load(open(sys.argv[1]))' "$work/closed.json" 2>/dev/null ||
	note "closed.json is not clean JSON (stdout leaked into it?)"
verdict "show -o FILE >&-: FILE holds only the profile, exit 3"

# Nor a file it writes while printing: the trace gets hypercalls, no record text.
"$M" create --in-process --host "$SKX" --trace "$work/trace.jsonl" "$SPEC" >&- 2>"$work/.err"
rc=$? err=$(cat "$work/.err")
want_rc 3
want_err "mshvcpu: write error: Bad file descriptor"
python3 -c 'import json, sys; [json.loads(l) for l in open(sys.argv[1])]' "$work/trace.jsonl" 2>/dev/null ||
	note "trace.jsonl is not clean JSON Lines: $(grep -v '^{' "$work/trace.jsonl" | head -n 2)"
verdict "create --trace FILE >&-: FILE holds only the trace, exit 3"

# A command that writes nothing to stdout does not fail for a closed one.
"$M" emu --host "$SKX" -- true >&- 2>"$work/.err"
rc=$? err=$(cat "$work/.err")
want_rc 0
want_err ""
verdict "emu -- true >&-: nothing to write, no error"

# A reader that leaves: with SIGPIPE at its default the tool ends by it,
# silently, like any filter; with SIGPIPE ignored, exit 3 and no message.
"$M" -p features --all --long 2>"$work/.err" | head -c 1 >/dev/null
st=("${PIPESTATUS[@]}") err=$(cat "$work/.err")
[ "${st[0]}" -eq 141 ] || note "exit status ${st[0]}, expected 141 (SIGPIPE)"
want_err ""
verdict "features | head -c 1: ended by SIGPIPE, no message"
(trap '' PIPE; "$M" -p features --all --long 2>"$work/.err" | head -c 1 >/dev/null; exit "${PIPESTATUS[0]}")
rc=$? err=$(cat "$work/.err")
want_rc 3
want_err ""
verdict "SIGPIPE ignored, features | head -c 1: exit 3, no message"

echo "1..$n"
[ "$failed" -eq 0 ]
