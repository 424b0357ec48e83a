#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# test_record_fresh.sh VMASIM BUILD_DIR - record the scenario files run on
# the live kernel (vmasim scenario --kernel) afresh on this machine and
# check the recording: the live kernel of the machine running the tests is
# the oracle.  Skipped (77) only when ptrace is not permitted here.
set -uo pipefail

vmasim=$1
build=$2
here=$(cd "$(dirname "$0")" && pwd)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

# shellcheck source=../cli/record/can_record.sh
. "$here/../cli/record/can_record.sh"
can_record "$build"
VMASIM_CORPUS_SCENARIOS_ONLY=1 "$here/make_corpus.sh" "$vmasim" "$build" "$out" ||
	exit 1
"$here/test_corpus.sh" "$vmasim" "$out"
