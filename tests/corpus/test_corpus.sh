#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# test_corpus.sh VMASIM CORPUS_DIR - `vmasim check` on every recording of
# the corpus: every snapshot and every result must match.
set -uo pipefail

vmasim=$1
corpus=$2
fails=0
n=0

for strace in "$corpus"/*.strace; do
	name=${strace%.strace}
	n=$((n + 1))
	if ! "$vmasim" check "$name"; then
		echo "FAIL: $name"
		fails=$((fails + 1))
	fi
done
[ "$n" -gt 0 ] || { echo "no recordings in $corpus"; exit 1; }
echo "$((n - fails))/$n recordings check"
[ "$fails" -eq 0 ]
