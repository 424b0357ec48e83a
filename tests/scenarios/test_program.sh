#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# test_program.sh VMASIM BUILD_DIR PROGRAM - a scenario that needs more
# than calls: run PROGRAM on the live kernel under `vmasim record` (ASLR
# off, a snapshot every 10 memory calls) and check the recording on the
# simulator, every snapshot and every result.  Skipped (77) only when
# ptrace or setarch -R is not permitted here.
set -uo pipefail

vmasim=$1
build=$2
program=$3
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

# shellcheck source=../cli/record/can_record.sh
. "$(dirname "$0")/../cli/record/can_record.sh"
can_record "$build"
name=$(basename "$program")
# In sanitizer builds the program is instrumented too (its shadow mappings
# are part of what is checked), but LeakSanitizer cannot run under ptrace.
export ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0
if ! setarch -R "$vmasim" record -o "$out/$name" -s 10 -- "$program"; then
	echo "FAIL: $program did not run cleanly under the recorder"
	exit 1
fi
"$vmasim" check "$out/$name"
