#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# replay_speed.sh VMASIM [RUNS] TRACE... - how fast `vmasim replay` goes,
# against its own baseline in the same run: --parse-only reads and decodes
# the same log without simulating anything, so the ratio is the cost of
# the simulation itself.  Prints, per trace, the median over RUNS runs
# (default 5) of lines per second for both, their ratio, and the peak RSS
# of the full replay (the log is streamed, so it should not grow with the
# log's length).  Then a synthetic log of 2,000,000 lines (mmap/munmap/
# mprotect cycles, written by this script) shows the streaming.
set -euo pipefail

vmasim=$1
shift
runs=5
if [[ ${1:-} =~ ^[0-9]+$ ]]; then
	runs=$1
	shift
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# A long log: one process mapping, splitting and unmapping in a cycle.
python3 - "$tmp/synthetic.strace" <<'PY'
import sys
base = 0x7ffff7fbd000
with open(sys.argv[1], "w") as f:
    f.write('100  execve("/bin/x", ["x"], 0x7ffc0 /* 1 vars */) = 0\n')
    n = 1
    while n < 2000000:
        a = base - 0x10000
        f.write(f'100  mmap(NULL, 65536, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = {a:#x}\n')
        f.write(f'100  mprotect({a + 0x4000:#x}, 16384, PROT_READ) = 0\n')
        f.write(f'100  mprotect({a + 0x4000:#x}, 16384, PROT_READ|PROT_WRITE) = 0\n')
        f.write(f'100  munmap({a:#x}, 65536) = 0\n')
        n += 4
    f.write('100  exit_group(0) = ?\n100  +++ exited with 0 +++\n')
PY

measure() {
	python3 - "$runs" "$@" <<'PY'
import json, resource, statistics, subprocess, sys
runs = int(sys.argv[1])
cmd = sys.argv[2:]
rates = []
for _ in range(runs):
    out = subprocess.run(cmd, check=False, capture_output=True, text=True).stdout
    d = json.loads(out)
    rates.append(d["lines"] / d["seconds"] if d["seconds"] > 0 else 0)
rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(f"{statistics.median(rates):.0f} {d['lines']} {rss}")
PY
}

printf '%-28s %9s %14s %14s %7s %9s\n' trace lines "parse lines/s" "replay lines/s" ratio "peak RSS"
for trace in "$@" "$tmp/synthetic.strace"; do
	read -r parse lines _ < <(measure "$vmasim" replay --json --parse-only "$trace")
	read -r full _ rss < <(measure "$vmasim" replay --json "$trace")
	printf '%-28s %9s %14s %14s %7.2f %7s kB\n' "$(basename "$trace")" "$lines" \
		"$parse" "$full" "$(awk -v a="$full" -v b="$parse" 'BEGIN { print a / b }')" "$rss"
done
