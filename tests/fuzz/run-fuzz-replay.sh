#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# run-fuzz-replay.sh - build the replay fuzzer (tests/fuzz/fuzz_replay.c:
# strace log text -> parser -> call decoding -> simulator) with clang's
# libFuzzer, AddressSanitizer and UBSan, and run it.
#
# The sources of the whole replay path are compiled straight into the
# fuzzer (src/cli but main.c, src/mm, src/vma, src/mtree; no jemalloc,
# MT_DEBUG and VMASIM_DEBUG on), so the sanitizers see every allocation and
# libFuzzer's coverage covers them all.  Every address space is checked
# with mm_validate() after each call the replay applies (REPLAY_FUZZ_WRAP),
# and every tree write with mt_validate().  Output goes to
# build/fuzz-replay/:
#
#   build/fuzz-replay/fuzz_replay	the fuzzer
#   build/fuzz-replay/corpus/		the working corpus: a copy of
#					tests/fuzz/replay_corpus plus what
#					earlier runs found (kept between runs,
#					so a long session can be run in chunks)
#   build/fuzz-replay/artifacts/	crash-*, leak-*, timeout-* inputs
#   build/fuzz-replay/fuzz.log		libFuzzer's output of the last run
#
# Usage: tests/fuzz/run-fuzz-replay.sh [SECONDS] [LIBFUZZER ARGS...]
#	SECONDS defaults to 60 (-max_total_time).
# Environment:
#	CC		the compiler (default clang)
#	FUZZ_CFLAGS	extra compiler flags
#	FUZZ_FRESH=1	start again from the seed corpus
#	FUZZ_MAX_LEN	-max_len (default 8192)
#	FUZZ_BUILD_ONLY=1  build, do not run
#	FUZZ_EXACT=1	check for leaks after every input: libFuzzer's
#			-detect_leaks=1, and fuzz_replay.c's count of maple
#			nodes after every replay (FUZZ_REPLAY_CHECK_EVERY=1).
#			Each check waits ~10 ms for the RCU frees, ten times
#			slower; by default the node count is checked every
#			1000 replays and LeakSanitizer runs at exit.
#	FUZZ_REPLAY_VERBOSE=1  let the replays' own reports through (slow,
#			and they fill the log); the fuzzer runs with
#			-close_fd_mask=2 otherwise
#
# The dictionary tests/fuzz/replay.dict (syscall, flag and errno names,
# strace's markers) is passed with -dict.  libFuzzer's output, and the
# sanitizers' reports, stay on the original stderr (the log): only the
# target's stderr is closed.
#
# Prints the executions, executions per second and coverage (cov:, ft:) at
# the end.  Exit status: 0 if the run found nothing, libFuzzer's (non-zero)
# status on a crash, leak or timeout, 2 on a build error.
#
# An input is an strace log, or an strace -ff set or a recording cut at
# lines starting with "%%vmasim " (see the top of fuzz_replay.c).
#
# Reproduce an artifact with the fuzzer itself (build/fuzz-replay/fuzz_replay
# FILE) or without libFuzzer: build/<preset>/tests/fuzz/fuzz_replay_replay
# FILE, with FUZZ_REPLAY_VERBOSE=1 to see the replay's reports and options;
# a plain log can also be given to `vmasim replay` itself.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"

seconds=${1:-60}
if (($#)); then
	shift
fi
if ! [[ $seconds =~ ^[0-9]+$ ]]; then
	echo "run-fuzz-replay.sh: SECONDS must be a number, not '$seconds'" >&2
	exit 2
fi

cc=${CC:-clang}
out=$root/build/fuzz-replay
bin=$out/fuzz_replay
work=$out/corpus
artifacts=$out/artifacts
log=$out/fuzz.log
max_len=${FUZZ_MAX_LEN:-8192}

mkdir -p "$out" "$artifacts"

# ---- build --------------------------------------------------------------

if ! urcu=$(pkg-config --cflags --libs liburcu-bp); then
	echo "run-fuzz-replay.sh: liburcu-bp not found by pkg-config" >&2
	exit 2
fi

sources=()
for f in "$root"/src/cli/*.c; do
	[[ $f == */main.c ]] || sources+=("$f")
done
sources+=("$root"/src/mm/*.c "$root"/src/vma/*.c "$root"/src/mtree/*.c)

# mm_validate() around the replay's calls into the simulator: see
# REPLAY_FUZZ_WRAP in fuzz_replay.c (the same list is in CMakeLists.txt).
wrap=-Wl
for f in call_apply sys_mmap sys_munmap sys_mremap sys_clone sys_execve \
	sys_exit sys_exit_group vm_sim_free; do
	wrap+=",--wrap=$f"
done

echo "==> building $bin"
# shellcheck disable=SC2086 # $urcu and $FUZZ_CFLAGS are lists of flags
if ! "$cc" -std=gnu11 -g -O1 -fno-omit-frame-pointer \
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
	-Wall -Wextra -Wno-unused-parameter -Wshadow \
	-DMT_DEBUG -DVMASIM_DEBUG -DREPLAY_FUZZ_WRAP ${FUZZ_CFLAGS:-} \
	-I"$root/include" -I"$root/src/cli" -I"$root/src/mm" \
	-I"$root/src/vma" -I"$root/src/mtree" \
	"${sources[@]}" "$root/tests/fuzz/fuzz_replay.c" \
	"$wrap" $urcu -pthread -o "$bin"; then
	echo "run-fuzz-replay.sh: build failed" >&2
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
cp -n "$root"/tests/fuzz/replay_corpus/* "$work"/ 2>/dev/null || true

# ---- run ----------------------------------------------------------------

quiet=(-close_fd_mask=2)
if [[ -n ${FUZZ_REPLAY_VERBOSE:-} && ${FUZZ_REPLAY_VERBOSE} != 0 ]]; then
	quiet=()
fi
if [[ ${FUZZ_EXACT:-0} == 1 ]]; then
	leaks=(-detect_leaks=1)
	export FUZZ_REPLAY_CHECK_EVERY=1
else
	leaks=(-detect_leaks=0)
	export FUZZ_REPLAY_CHECK_EVERY=${FUZZ_REPLAY_CHECK_EVERY:-1000}
fi

echo "==> fuzzing for ${seconds}s (corpus $work, $(find "$work" -type f | wc -l) inputs)"
status=0
ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:symbolize=1} \
UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1} \
	"$bin" -max_total_time="$seconds" -max_len="$max_len" -timeout=30 \
	-dict="$root/tests/fuzz/replay.dict" "${quiet[@]}" "${leaks[@]}" \
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
	echo "run-fuzz-replay.sh: the fuzzer stopped with status $status; see $log" >&2
	grep -E 'FAILURE|ERROR:|runtime error|Test unit written|fuzz_replay:' \
		"$log" >&2 || true
	exit "$status"
fi
echo "run-fuzz-replay.sh: no crash in ${seconds}s"
