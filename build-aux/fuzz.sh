#!/bin/sh
# `make fuzz`: build the libFuzzer targets with clang (ASan+UBSan) in
# build-fuzz/ and run each one, then print one line per target with the
# executions, executions per second, corpus size and findings.
#
#   FUZZ_TIME=seconds per target (default 60)   FUZZ_RUNS=stop after N executions
#   FUZZ_TARGETS="spec json" (default: all)      targets run one after another
#
# Each target starts from its seed corpus (tests/fuzz/corpus/<name>) plus
# what earlier runs found (build-fuzz/corpus/<target>, kept between runs).
# A finding is written to build-fuzz/findings/ and makes the run fail;
# minimise it, add it to the seed corpus as a regression and fix the bug.
#
# `fuzz.sh --replay` (`make check-fuzz`, run by .ci/run) fuzzes nothing: it
# builds the same binaries, warnings fatal, and replays each seed corpus
# once through them (the suite libfuzzer of tests/fuzz/meson.build), so a
# clang warning or a crash fails it.
set -u
cd "$(dirname "$0")/.."
build=${BUILD_FUZZ:-build-fuzz}
replay=false
[ "${1:-}" = --replay ] && replay=true
time_per=${FUZZ_TIME:-60}
runs=${FUZZ_RUNS:--1}
all="create_partition_x86_64 create_partition_nonx86 partition_ioctl spec json hex"
targets=${FUZZ_TARGETS:-$all}

if ! command -v clang >/dev/null 2>&1; then
	build-aux/install-deps.sh --fuzz || exit 1
fi
if [ ! -f "$build/build.ninja" ]; then
	CC=clang meson setup "$build" -Dfuzzing=true -Db_sanitize=address,undefined \
		-Db_lundef=false -Dc_args=-fno-sanitize-recover=all \
		-Dbuildtype=debugoptimized >"$build.setup.log" 2>&1 ||
		{ cat "$build.setup.log"; exit 1; }
fi
if $replay; then
	rm -f "$build"/meson-logs/testlog*.json
	ninja -C "$build" fuzz-targets || exit 1
	exec meson test -C "$build" --no-rebuild --suite libfuzzer --print-errorlogs \
		--num-processes 2
fi
set --
for t in $targets; do set -- "$@" "tests/fuzz/fuzz_$t"; done
ninja -C "$build" "$@" || exit 1

mkdir -p "$build/findings" "$build/logs"
status=0
printf '%-26s %8s %14s %10s %8s %s\n' target seconds executions exec/s corpus findings
for t in $targets; do
	seeds=tests/fuzz/corpus/$(echo "$t" | sed 's/_x86_64$//; s/_nonx86$//')
	corpus=$build/corpus/$t
	mkdir -p "$corpus"
	log=$build/logs/$t.log
	start=$(date +%s)
	ASAN_OPTIONS=detect_leaks=1 "$build/tests/fuzz/fuzz_$t" \
		-max_total_time="$time_per" -runs="$runs" -print_final_stats=1 \
		-artifact_prefix="$build/findings/$t-" "$corpus" "$seeds" >"$log" 2>&1
	rc=$?
	secs=$(($(date +%s) - start))
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
	rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
	files=$(find "$corpus" -type f | wc -l)
	found=$(find "$build/findings" -name "$t-*" -type f | wc -l)
	printf '%-26s %8s %14s %10s %8s %s\n' "$t" "$secs" "${execs:-?}" "${rate:-?}" \
		"$files" "$found"
	if [ "$rc" -ne 0 ] || [ "$found" -ne 0 ]; then
		status=1
		grep -m1 -E 'invariant broken|ERROR: |runtime error' "$log" | sed 's/^/  /'
	fi
done
exit $status
