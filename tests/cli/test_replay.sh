#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# test_replay.sh VMASIM SOURCE_DIR - `vmasim replay` on logs written by
# strace 6.1 itself (tests/cli/fixtures): every prefix and timestamp form,
# -X verbose, a multi-process gcc run, an -ff set; then what must fail:
# a doctored result under --strict, malformed lines, bad options.
set -uo pipefail

vmasim=$1
fixtures=$2/tests/cli/fixtures
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0

fail() {
	echo "FAIL: $*"
	fails=$((fails + 1))
}

# Logs of deterministic programs: every result must match.
for f in plain rel tt_T ttt texec xverbose gcc_c ff_12732; do
	if ! "$vmasim" replay --strict --no-maps "$fixtures/$f.strace" \
		>"$tmp/out" 2>&1; then
		fail "$f.strace does not replay exactly"
		cat "$tmp/out"
	fi
	grep -q 'results match (100.00%)' "$tmp/out" ||
		fail "$f.strace: no 100% result line"
done

# An strace -ff -ttt set, by any of its files.
"$vmasim" replay --strict --no-maps "$fixtures/ff_sh/sh.7134" >"$tmp/out" 2>&1 ||
	fail "-ff set does not replay"
grep -q '^processes 3, execs 3' "$tmp/out" || fail "-ff set: not 3 processes"

# The final layout and --maps-out.
"$vmasim" replay --maps-out "$tmp/maps" "$fixtures/gcc_c.strace" \
	>"$tmp/out" 2>&1 || fail "--maps-out run failed"
grep -q '^== final layout of pid ' "$tmp/out" || fail "no final layout"
[ "$(find "$tmp/maps" -name "*.maps" | wc -l)" -eq 3 ] || fail "--maps-out: not 3 layouts"
grep -q '\[heap\]' "$tmp/maps"/*.maps || fail "--maps-out: no [heap]"

# --pid: another process's final layout; a pid not in the log is said so.
"$vmasim" replay --pid 4297 "$fixtures/gcc_c.strace" >"$tmp/out" 2>&1 ||
	fail "--pid run failed"
grep -q '^== final layout of pid 4297 ==' "$tmp/out" || fail "--pid: no layout"
"$vmasim" replay --pid 1 "$fixtures/gcc_c.strace" >"$tmp/out" 2>&1
grep -q 'pid 1 is not in the log' "$tmp/out" || fail "--pid 1: not reported"

# --json is JSON and carries the counters.
"$vmasim" replay --json "$fixtures/plain.strace" >"$tmp/json" 2>&1 ||
	fail "--json run failed"
python3 - "$tmp/json" <<'PY' || fail "--json output"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["results"]["compared"] == d["results"]["matched"] > 0, d["results"]
assert d["calls"]["mmap"]["count"] > 0
assert "split_store" in d["tree"]["stores"] or "node_store" in d["tree"]["stores"]
PY

# A doctored result: --strict stops there with FILE:LINE and both layouts.
line=$(grep -n 'mmap(NULL' "$fixtures/plain.strace" | sed -n 3p | cut -d: -f1)
sed "${line}s/= 0x7f\([0-9a-f]*\)000\$/= 0x7e\1000/" "$fixtures/plain.strace" \
	>"$tmp/doctored.strace"
if "$vmasim" replay --strict --no-maps "$tmp/doctored.strace" >"$tmp/out" 2>&1; then
	fail "--strict accepted a doctored result"
fi
grep -q "doctored.strace:$line: pid .*: mmap returned 0x7e" "$tmp/out" ||
	fail "--strict: no FILE:LINE report"
grep -q 'simulated layout around' "$tmp/out" || fail "--strict: no layout"
# Without --strict the replay follows the log and goes on.
"$vmasim" replay --no-maps "$tmp/doctored.strace" >"$tmp/out" 2>&1 ||
	fail "a differing result made a non-strict replay fail"
grep -q 'resyncs after a difference 1' "$tmp/out" || fail "no resync counted"

# A pid the kernel gives out again although the log never showed it end.
printf '%s\n' '1  execve("/bin/x", ["x"], 0x1 /* 1 vars */) = 0' \
	'1  clone(child_stack=NULL, flags=SIGCHLD) = 5' \
	'5  mmap(NULL, 4096, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7ffff7ffe000' \
	'1  clone(child_stack=NULL, flags=SIGCHLD) = 5' \
	'5  mmap(NULL, 4096, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7ffff7ffe000' \
	>"$tmp/reuse.strace"
"$vmasim" replay --strict --no-maps "$tmp/reuse.strace" >"$tmp/out" 2>&1 ||
	fail "a reused pid broke the replay"
grep -q 'tasks ended unlogged (pid reused) 1' "$tmp/out" || fail "pid reuse not counted"

# Malformed input: FILE:LINE, status 1, never a crash.
printf '1 mmap(NULL, 4096, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7ffff7ffe000\n1 mmap(NULL, 4096, PROT_BOGUS, MAP_PRIVATE, -1, 0) = 0x1000\n1 munmap(0x1000\n' \
	>"$tmp/bad.strace"
"$vmasim" replay --no-maps "$tmp/bad.strace" >"$tmp/out" 2>&1
[ $? -eq 1 ] || fail "malformed log: status is not 1"
grep -q 'bad.strace:2: mmap: argument 3' "$tmp/out" || fail "no FILE:LINE for line 2"
grep -q 'bad.strace:3:' "$tmp/out" || fail "no FILE:LINE for line 3"

# Usage errors.
"$vmasim" replay >/dev/null 2>&1
[ $? -eq 2 ] || fail "no TRACE: status is not 2"
"$vmasim" replay --fault-model bogus x >/dev/null 2>&1
[ $? -eq 2 ] || fail "bad --fault-model: status is not 2"
"$vmasim" replay "$tmp/missing.strace" >/dev/null 2>&1
[ $? -eq 1 ] || fail "missing log: status is not 1"
"$vmasim" check "$tmp/missing" >/dev/null 2>&1
[ $? -eq 2 ] || fail "check of a non-recording: status is not 2"

if [ "$fails" -ne 0 ]; then
	echo "$fails failure(s)"
	exit 1
fi
echo "all replay checks passed"
