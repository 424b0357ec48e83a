#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# test.sh - the whole test suite, as CI runs it.
#
# Installs the dependencies (scripts/install-deps.sh), then for each CMake
# preset configures, builds and runs ctest:
#
#   release     every test (jemalloc node cache, -O2)
#   asan-ubsan  every test under AddressSanitizer, LeakSanitizer and UBSan
#   tsan        the tests labelled "rcu" under ThreadSanitizer (skipped,
#               with a message, when there are none)
#
# Every preset runs even if an earlier one failed; the last line is a
# summary and the exit status is non-zero if any step failed.
#
# Usage: scripts/test.sh            (VMASIM_JOBS=N to change -j2)
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

jobs=${VMASIM_JOBS:-2}
results=()
failed=0

log()
{
	printf '\n==> %s\n' "$*"
}

# record PRESET RESULT: remember one preset's outcome for the summary.
record()
{
	results+=("$1: $2")
	case $2 in
	FAILED*) failed=1 ;;
	esac
}

# configure PRESET / build PRESET: one step; a failure is recorded.
# Return: 0 if the step worked.
configure()
{
	log "$1: configure"
	cmake --preset "$1" && return 0
	record "$1" "FAILED (configure)"
	return 1
}

build()
{
	log "$1: build"
	cmake --build --preset "$1" -j"$jobs" && return 0
	record "$1" "FAILED (build)"
	return 1
}

# run_tests PRESET [CTEST ARGS...]: run ctest and record the outcome.
run_tests()
{
	local preset=$1

	shift
	log "$preset: test${*:+ $*}"
	if ctest --preset "$preset" -j"$jobs" "$@"; then
		record "$preset" "ok"
	else
		record "$preset" "FAILED (tests)"
	fi
}

# count_tests PRESET [CTEST ARGS...]: print how many tests ctest would run.
count_tests()
{
	local preset=$1 listing

	shift
	listing=$(ctest --preset "$preset" -N "$@" 2>/dev/null) || return 1
	sed -n 's/^Total Tests: *//p' <<<"$listing"
}

bash scripts/install-deps.sh

if configure release && build release; then
	run_tests release
fi

if configure asan-ubsan && build asan-ubsan; then
	run_tests asan-ubsan
fi

# TSan only runs the concurrency tests; the list is known after configure.
if configure tsan; then
	if ! nr_rcu=$(count_tests tsan -L rcu) || [[ -z $nr_rcu ]]; then
		record tsan "FAILED (listing tests)"
	elif ((nr_rcu == 0)); then
		echo "tsan: no test is labelled rcu; skipping ThreadSanitizer"
		record tsan "skipped (no rcu tests)"
	elif build tsan; then
		run_tests tsan -L rcu
	fi
fi

summary=$(printf '%s, ' "${results[@]}")
summary=${summary%, }
if ((failed)); then
	echo
	echo "test.sh: FAIL - ${summary}"
	exit 1
fi
echo
echo "test.sh: PASS - ${summary}"
