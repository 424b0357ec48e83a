#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# quickstart.sh - first contact on a fresh Debian machine: install what is
# missing, build the release preset, and run the main job: replay a bundled
# recording of a real program (Python importing json and starting a
# thread, recorded with `vmasim record`) on the simulator, printing its
# final layout as /proc/PID/maps would and the replay's statistics, then
# check every snapshot of that recording against the simulation.
set -euo pipefail

cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
cmake --preset release >/dev/null
cmake --build --preset release -j"${VMASIM_JOBS:-2}"
build/release/vmasim replay --no-progress "$@" tests/corpus/python_import
echo
exec build/release/vmasim check tests/corpus/python_import
