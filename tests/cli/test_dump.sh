#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# test_dump.sh VMASIM SOURCE_DIR - the `vmasim dump` command on the
# committed snapshot tests/cli/dump/cat.maps (/proc/self/maps of cat):
# maps prints it back byte for byte, maps-svg writes well-formed SVG with
# one VMA rectangle per VMA, tree-dot writes Graphviz DOT; malformed or
# unreadable snapshots and bad usage fail with the documented status.

set -u

VMASIM=$1
SRC=$2
SNAP=$SRC/tests/cli/dump/cat.maps
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

# A file is well-formed XML: xmllint if present, else python3.
xml_ok() {
	if command -v xmllint >/dev/null 2>&1; then
		xmllint --noout "$1"
	else
		python3 -c 'import xml.dom.minidom,sys; xml.dom.minidom.parse(sys.argv[1])' "$1"
	fi
}

# Lines that are VMAs: all but the [vsyscall] gate line.
nr_vmas=$(grep -vc '\[vsyscall\]$' "$SNAP")

# ---- maps: a byte-identical round trip, from a file and from stdin ----

if "$VMASIM" dump maps "$SNAP" >"$TMP/out.maps" && cmp -s "$SNAP" "$TMP/out.maps"; then
	pass "maps round trip"
else
	fail "dump maps does not print the snapshot back"
fi
if "$VMASIM" dump maps - <"$SNAP" >"$TMP/stdin.maps" && cmp -s "$SNAP" "$TMP/stdin.maps"; then
	pass "maps round trip from stdin"
else
	fail "dump maps - does not print stdin back"
fi

# ---- maps-svg ----------------------------------------------------------

if "$VMASIM" dump maps-svg "$SNAP" -o "$TMP/out.svg" && [ -s "$TMP/out.svg" ]; then
	pass "maps-svg writes a file"
else
	fail "dump maps-svg failed"
fi
if xml_ok "$TMP/out.svg"; then
	pass "SVG well-formed"
else
	fail "the SVG is not well-formed"
fi
grep -q '<svg xmlns="http://www.w3.org/2000/svg"' "$TMP/out.svg" ||
	fail "no <svg> root element"
nr_rects=$(grep -c '<rect class="vma"' "$TMP/out.svg")
if [ "$nr_rects" -eq "$nr_vmas" ]; then
	pass "one <rect> per VMA ($nr_rects)"
else
	fail "$nr_rects VMA rectangles for $nr_vmas VMAs"
fi
nr_titles=$(grep -c '^<title>[0-9a-f]*-[0-9a-f]* [-r][-w][-x][ps] ' "$TMP/out.svg")
[ "$nr_titles" -eq "$nr_vmas" ] || fail "$nr_titles VMA tooltips for $nr_vmas VMAs"
grep -q '<title>.*/usr/bin/cat</title>' "$TMP/out.svg" || fail "no tooltip names /usr/bin/cat"
grep -q 'gap of ' "$TMP/out.svg" || fail "no gap is drawn"
"$VMASIM" dump maps-svg "$SNAP" >"$TMP/stdout.svg" && cmp -s "$TMP/out.svg" "$TMP/stdout.svg" ||
	fail "maps-svg to stdout differs from -o"

# Names that need escaping stay well-formed.
sed 's|/usr/bin/cat$|/tmp/a<b>&c"d'"'"'e|' "$SNAP" >"$TMP/odd.maps"
if "$VMASIM" dump maps-svg "$TMP/odd.maps" -o "$TMP/odd.svg" && xml_ok "$TMP/odd.svg"; then
	pass "SVG with markup in names well-formed"
else
	fail "names with markup break the SVG"
fi

# An empty snapshot is an empty picture.
: >"$TMP/empty.maps"
if "$VMASIM" dump maps-svg "$TMP/empty.maps" -o "$TMP/empty.svg" && xml_ok "$TMP/empty.svg"; then
	pass "SVG of an empty snapshot"
else
	fail "empty snapshot"
fi

# ---- tree-dot ----------------------------------------------------------

if "$VMASIM" dump tree-dot "$SNAP" -o "$TMP/out.dot" && head -n 1 "$TMP/out.dot" | grep -q '^digraph'; then
	pass "tree-dot starts with digraph"
else
	fail "dump tree-dot output does not start with digraph"
fi
if command -v dot >/dev/null 2>&1; then
	if dot -Tsvg "$TMP/out.dot" >"$TMP/dot.svg"; then
		pass "dot accepts the DOT"
	else
		fail "dot rejects the DOT"
	fi
fi

# ---- errors --------------------------------------------------------------

# Malformed: line 3 has a bad range.
sed '3s/^[0-9a-f]*-/zzzz-/' "$SNAP" >"$TMP/bad.maps"
for sub in maps maps-svg tree-dot; do
	"$VMASIM" dump "$sub" "$TMP/bad.maps" >"$TMP/bad.out" 2>"$TMP/bad.err"
	status=$?
	if [ "$status" -eq 1 ] && grep -q "^$TMP/bad.maps:3: " "$TMP/bad.err"; then
		pass "$sub: malformed snapshot -> exit 1, NAME:LINE:"
	else
		fail "$sub: malformed snapshot: exit $status, stderr: $(cat "$TMP/bad.err")"
	fi
done
printf 'garbage\n' | "$VMASIM" dump maps - >/dev/null 2>"$TMP/stdin.err"
status=$?
[ "$status" -eq 1 ] && grep -q '^<stdin>:1: ' "$TMP/stdin.err" ||
	fail "malformed stdin: exit $status, stderr: $(cat "$TMP/stdin.err")"

"$VMASIM" dump maps "$TMP/no-such-file" >/dev/null 2>"$TMP/nofile.err"
status=$?
if [ "$status" -eq 1 ] && grep -q "^vmasim: $TMP/no-such-file: No such file or directory" "$TMP/nofile.err"; then
	pass "unreadable file -> exit 1, vmasim: FILE: strerror"
else
	fail "unreadable file: exit $status, stderr: $(cat "$TMP/nofile.err")"
fi
"$VMASIM" dump maps "$TMP" >/dev/null 2>"$TMP/dir.err"
status=$?
[ "$status" -eq 1 ] && grep -q "^vmasim: $TMP: Is a directory" "$TMP/dir.err" ||
	fail "directory as snapshot: exit $status, stderr: $(cat "$TMP/dir.err")"

# Usage errors exit 2; help and version exit 0.
for args in "" "frobnicate" "--frob" "dump" "dump frob $SNAP" "dump maps" \
	    "dump maps $SNAP $SNAP" "dump maps $SNAP -o" "dump maps -x $SNAP"; do
	# shellcheck disable=SC2086
	"$VMASIM" $args >/dev/null 2>&1
	status=$?
	[ "$status" -eq 2 ] || fail "'vmasim $args' exits $status, not 2"
done
"$VMASIM" --help | grep -q '^  dump ' || fail "--help does not list dump"
"$VMASIM" --version | grep -q '^vmasim 0\.1\.0$' || fail "--version"
"$VMASIM" dump --help | grep -q 'maps-svg' || fail "dump --help"
pass "usage, --help, --version"

if [ "$failures" -ne 0 ]; then
	echo "$failures failure(s)" >&2
	exit 1
fi
echo "all dump tests passed"
