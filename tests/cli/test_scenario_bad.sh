#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# test_scenario_bad.sh VMASIM DIR - `vmasim scenario` on scenario files
# that must fail (DIR, tests/cli/scenario_bad): each says on a
# "# fails-at: N" line where it goes wrong, and must make vmasim scenario
# exit 1 with a "FILE:N:" message and a FAIL line, on the simulator and
# on the live kernel (unless the live kernel side cannot run: status 77).
# Also the usage errors (status 2) and --help (status 0).

set -u

VMASIM=$1
DIR=$2
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
failures=0

fail() {
	echo "FAIL: $*" >&2
	failures=$((failures + 1))
}

pass() {
	echo "ok: $*"
}

check() {
	local scn=$1 mode=$2 line status
	local name
	name=$(basename "$scn")
	line=$(sed -n 's/^# fails-at: \([0-9]*\)$/\1/p' "$scn")
	if [ -z "$line" ]; then
		fail "$name has no '# fails-at: N' line"
		return
	fi
	"$VMASIM" scenario $mode "$scn" >"$TMP/out" 2>&1
	status=$?
	if [ "$mode" = --kernel ] && [ $status -eq 77 ]; then
		pass "$name $mode: skipped ($(tail -n 1 "$TMP/out"))"
		return
	fi
	if [ $status -ne 1 ]; then
		fail "$name $mode: exit status $status, expected 1"
		cat "$TMP/out" >&2
	elif ! grep -q "^$scn:$line: " "$TMP/out"; then
		fail "$name $mode: no '$scn:$line: ' message"
		cat "$TMP/out" >&2
	elif ! grep -q "^FAIL $scn" "$TMP/out"; then
		fail "$name $mode: no FAIL line"
		cat "$TMP/out" >&2
	else
		pass "$name $mode: $(grep -m 1 "^$scn:$line: " "$TMP/out")"
	fi
}

for scn in "$DIR"/*.scn; do
	check "$scn" ""
	check "$scn" --kernel
done

# a wrong expect block shows both layouts, the wrong line marked
"$VMASIM" scenario "$DIR/wrong_layout.scn" >"$TMP/out" 2>&1
if grep -q 'expected .*| actual' "$TMP/out" &&
   grep -q '^  ! .*<- .*wrong_layout.scn:11$' "$TMP/out"; then
	pass "side by side layouts"
else
	fail "wrong_layout.scn: no side-by-side listing with the line marked"
	cat "$TMP/out" >&2
fi

# usage
"$VMASIM" scenario >/dev/null 2>&1
[ $? -eq 2 ] && pass "no file: status 2" || fail "no file: status is not 2"
"$VMASIM" scenario --bogus "$DIR/malformed.scn" >/dev/null 2>&1
[ $? -eq 2 ] && pass "unknown option: status 2" || fail "unknown option: status is not 2"
if "$VMASIM" scenario --help >"$TMP/help" 2>&1 && grep -q '^usage: vmasim scenario' "$TMP/help"; then
	pass "--help"
else
	fail "--help"
fi
"$VMASIM" scenario "$TMP/does-not-exist.scn" >/dev/null 2>&1
[ $? -eq 1 ] && pass "missing file: status 1" || fail "missing file: status is not 1"

if [ $failures -ne 0 ]; then
	echo "$failures failure(s)" >&2
	exit 1
fi
echo "all passed"
