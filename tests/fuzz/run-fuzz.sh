#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# run-fuzz.sh - build the libmtree fuzzer (tests/fuzz/fuzz_mtree.c) with
# clang's libFuzzer, AddressSanitizer and UBSan, and run it.
#
# The library sources are compiled straight into the fuzzer (no jemalloc,
# MT_DEBUG on), so the sanitizers see every node and libFuzzer's coverage
# covers the library.  Output goes to build/fuzz/:
#
#   build/fuzz/fuzz_mtree	the fuzzer
#   build/fuzz/corpus/		the working corpus: a copy of tests/fuzz/corpus
#				plus what earlier runs found (kept between runs,
#				so a long session can be run in chunks)
#   build/fuzz/artifacts/	crash-*, leak-*, timeout-* inputs
#   build/fuzz/fuzz.log		libFuzzer's output of the last run
#
# Usage: tests/fuzz/run-fuzz.sh [SECONDS] [LIBFUZZER ARGS...]
#	SECONDS defaults to 60 (-max_total_time).
# Environment:
#	CC		the compiler (default clang)
#	FUZZ_CFLAGS	extra compiler flags, e.g. -DFZ_KNOWN_BUGS=0 to check
#			what the known-bug list in fuzz_mtree.c tolerates
#	FUZZ_FRESH=1	start again from the seed corpus
#	FUZZ_MAX_LEN	-max_len (default 4096)
#	FUZZ_BUILD_ONLY=1  build, do not run
#
# Prints the executions, executions per second and coverage (cov:, ft:) at
# the end.  Exit status: 0 if the run found nothing, libFuzzer's (non-zero)
# status on a crash, leak or timeout, 2 on a build error.
#
# Reproduce an artifact with the fuzzer itself (build/fuzz/fuzz_mtree FILE)
# or without libFuzzer: build/<preset>/tests/fuzz/fuzz_mtree_replay FILE,
# with FUZZ_MTREE_TRACE=1 to print every operation.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"

seconds=${1:-60}
if (($#)); then
	shift
fi
if ! [[ $seconds =~ ^[0-9]+$ ]]; then
	echo "run-fuzz.sh: SECONDS must be a number, not '$seconds'" >&2
	exit 2
fi

cc=${CC:-clang}
out=$root/build/fuzz
bin=$out/fuzz_mtree
work=$out/corpus
artifacts=$out/artifacts
log=$out/fuzz.log
max_len=${FUZZ_MAX_LEN:-4096}

mkdir -p "$out" "$artifacts"

# ---- build --------------------------------------------------------------

if ! urcu=$(pkg-config --cflags --libs liburcu-bp); then
	echo "run-fuzz.sh: liburcu-bp not found by pkg-config" >&2
	exit 2
fi

# No coverage instrumentation for the checking code: the model and the
# fuzzer's whole-tree comparison run after every operation, and their
# comparisons would take most of the time while telling nothing about the
# library.
ignore=$out/coverage-ignore.txt
cat >"$ignore" <<'EOF'
src:*/tests/mtree/model.c
fun:fz_cmp_*
fun:fz_compare_nodes
fun:fz_check_tree
EOF

echo "==> building $bin"
# shellcheck disable=SC2086 # $urcu and $FUZZ_CFLAGS are lists of flags
if ! "$cc" -std=gnu11 -g -O1 -fno-omit-frame-pointer \
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
	-fsanitize-coverage-ignorelist="$ignore" \
	-Wall -Wextra -Wno-unused-parameter -Wshadow \
	-DMT_DEBUG ${FUZZ_CFLAGS:-} \
	-I"$root/include" -I"$root/src/mtree" -I"$root/tests/mtree" \
	"$root"/src/mtree/*.c "$root/tests/mtree/model.c" \
	"$root/tests/fuzz/fuzz_mtree.c" \
	$urcu -pthread -o "$bin"; then
	echo "run-fuzz.sh: build failed" >&2
	exit 2
fi

if [[ ${FUZZ_BUILD_ONLY:-0} == 1 ]]; then
	exit 0
fi

# ---- corpus -------------------------------------------------------------

if [[ ${FUZZ_FRESH:-0} == 1 ]]; then
	rm -rf "$work"
fi
mkdir -p "$work"
# The seeds, without overwriting what earlier runs kept.
cp -n "$root"/tests/fuzz/corpus/* "$work"/ 2>/dev/null || true

# ---- run ----------------------------------------------------------------

echo "==> fuzzing for ${seconds}s (corpus $work, $(find "$work" -type f | wc -l) inputs)"
status=0
ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:symbolize=1} \
UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1} \
	"$bin" -max_total_time="$seconds" -max_len="$max_len" -timeout=30 \
	-print_final_stats=1 -artifact_prefix="$artifacts/" "$@" \
	"$work" >"$log" 2>&1 || status=$?

# ---- report -------------------------------------------------------------

# The last status line, e.g. "#123456 DONE cov: 1234 ft: 5678 corp: ...".
last=$(grep -E '^#[0-9]+' "$log" | tail -n 1 || true)
execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$last")
ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$last")
corp=$(sed -n 's/.* corp: \([0-9]*\/[0-9]*[A-Za-z]*\).*/\1/p' <<<"$last")

echo "==> last status: ${last:-none}"
echo "executions: ${execs:-?}  exec/s: ${rate:-?}  cov: ${cov:-?}  ft: ${ft:-?}  corpus: ${corp:-?}"

if ((status)); then
	echo "run-fuzz.sh: the fuzzer stopped with status $status; see $log" >&2
	grep -E 'FAILURE|ERROR:|runtime error|Test unit written' "$log" >&2 || true
	exit "$status"
fi
echo "run-fuzz.sh: no crash in ${seconds}s"
