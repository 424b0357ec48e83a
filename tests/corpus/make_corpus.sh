#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# make_corpus.sh VMASIM BUILD_DIR OUT_DIR - record the corpus: the scenario
# files run on the live kernel, the programs of tests/scenarios/programs,
# and a few real programs (a Python import with a thread, a gcc compile
# with its children, git in a fresh repository).  With ASLR off, so that
# the addresses are the same from one recording to the next.
#
# tests/corpus/ holds the output of this script (rerun it to refresh the
# corpus after a kernel or toolchain change); test_corpus.sh checks every
# recording there.  VMASIM_CORPUS_SCENARIOS_ONLY=1 records only the
# scenario files (test_record_fresh.sh); tests/scenarios/test_program.sh
# records one program afresh.
set -euo pipefail
meta=()

vmasim=$(realpath "$1")
build=$(realpath "$2")
out=$(realpath "$3")
src=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

record() {
	local name=$1 every=$2
	shift 2
	rm -rf "$out/$name".*
	# the recorded command's status is the recording's business, not ours
	setarch -R "$vmasim" record -o "$out/$name" -s "$every" "${meta[@]}" -- "$@" \
		>"$work/$name.out" 2>&1 || true
}

mkdir -p "$out"
# The scenario harness makes every write fault a logged
# madvise(MADV_POPULATE_WRITE), so its recording is replayed without the
# write-fault model.
meta=(--meta fault_model=none)
record scenarios 0 "$vmasim" scenario --kernel "$src"/tests/scenarios/*.scn
meta=()

[ "${VMASIM_CORPUS_SCENARIOS_ONLY:-0}" = 1 ] && exit 0

programs=$build/tests/scenarios/programs
record vma_ops 10 "$programs/vma_ops"
record fork_many 0 "$programs/fork_many"
record mt_arenas 20 "$programs/mt_arenas"
record mt_concurrent 100 "$programs/mt_concurrent"

cd "$work"
record python_import 200 python3 -c \
	'import json, threading; t = threading.Thread(target=json.dumps, args=([1],)); t.start(); t.join()'
printf 'int main(void) { return 0; }\n' >hello.c
record gcc_compile 50 gcc -O2 -c hello.c -o hello.o
record git_commit 50 sh -c 'git init -q repo && cd repo && echo x >f &&
	git add f && git -c user.name=v -c user.email=v@example.org commit -qm m &&
	git log --oneline >/dev/null'
