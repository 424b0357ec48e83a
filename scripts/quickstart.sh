#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# quickstart.sh - first contact on a fresh Debian machine: install what is
# missing, build the release preset, and run the main job.
#
# Until the vmasim command exists (record/replay/check), the main job is the
# maple tree benchmark on 50,000 ranges: lookup and store speed against a
# sorted-array baseline, and the preallocation table (nodes requested per
# store type beside Linux 6.18's rule and the 2023 worst case).
set -euo pipefail

cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
cmake --preset release >/dev/null
cmake --build --preset release -j"${VMASIM_JOBS:-2}"
exec build/release/bench/bench_mtree -n 50000 -r 3 "$@"
