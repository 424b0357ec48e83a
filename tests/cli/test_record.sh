#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# test_record.sh VMASIM SOURCE_DIR BINARY_DIR - `vmasim record`.
#
# Each deterministic program of tests/cli/record runs twice with ASLR off,
# under `vmasim record` and under `strace -f -y -o FILE -e trace=LIST`
# (strace 6.1), from the same directory with the same environment; the two
# logs must be byte for byte the same after strace_cmp.py has normalised
# what two runs cannot share (pids, the tracer's envp pointer on line 1,
# SIGCHLD CPU times, pipe/shm/tmpfile numbers; see strace_cmp.py), and the
# exit statuses must agree.  vfork's interleaving is the scheduler's: that
# log is compared task by task.  Multithreaded and multi-process programs
# (pthreads, gcc, python3, git) are recorded and their recordings checked
# by rec_check (parse, index, snapshots, creation order).  Then -s, the
# snapshot contents, and the errors.  Exit 77 (skip) when strace, ptrace,
# setarch -R or python3 is missing.
set -uo pipefail

vmasim=$1
src=$2
progs=$3/tests/cli/record
cmp=$src/tests/cli/record/strace_cmp.py
check=$progs/rec_check
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0

fail() {
	echo "FAIL: $*"
	fails=$((fails + 1))
}

skip() {
	echo "SKIP: $*"
	exit 77
}

command -v strace >/dev/null || skip "strace is not installed (scripts/install-deps.sh)"
command -v python3 >/dev/null || skip "python3 is not installed"
"$progs/rec_can_ptrace" ||
	skip "ptrace is not permitted here (no CAP_SYS_PTRACE, or seccomp)"
setarch -R true 2>/dev/null || skip "setarch -R (ASLR off) is not permitted here"

# strace 6.1 rejects "mseal" in the list (it prints it as syscall_0x1ce
# anyway); strace_cmp.py drops those lines on both sides.
trace=mmap,munmap,mremap,mprotect,pkey_mprotect,brk,madvise,mlock,mlock2
trace=$trace,munlock,mlockall,munlockall,mseal,shmat,shmdt,open,openat
trace=$trace,openat2,creat,close,close_range,dup,dup2,dup3,fcntl
trace=$trace,memfd_create,clone,clone3,fork,vfork,execve,execveat,exit_group
strace -o /dev/null -e trace=mseal true 2>/dev/null || trace=${trace/,mseal/}

work=$tmp/work
rec=$tmp/rec

fresh_work() {
	rm -rf "$work"
	mkdir -p "$work" "$rec"
}

# record NAME [vmasim options] -- PROG ARGS: vmasim's run, status in $v_rc.
# Both tracers give the program the same descriptors: stdin and stdout on
# /dev/null, stderr on $tmp/stderr (their paths appear in the logs).
record() {
	local name=$1
	shift
	fresh_work
	(cd "$work" && exec setarch -R "$vmasim" record -o "$rec/$name" "$@" \
		</dev/null >/dev/null 2>"$tmp/stderr")
	v_rc=$?
	cp "$tmp/stderr" "$tmp/$name.err"
}

# both NAME PROG ARGS: strace's run then vmasim's, in the same directory
both() {
	local name=$1
	shift
	fresh_work
	(cd "$work" && exec setarch -R strace -f -y -o "$tmp/$name.st" \
		-e trace="$trace" "$@" </dev/null >/dev/null 2>"$tmp/stderr")
	s_rc=$?
	record "$name" -- "$@"
	[ "$s_rc" = "$v_rc" ] ||
		fail "$name: exit status $v_rc under vmasim, $s_rc under strace"
}

well_formed() {
	if ! "$check" "$rec/$1" >"$tmp/$1.check"; then
		fail "$1: recording not well-formed"
		cat "$tmp/$1.check"
		return 1
	fi
	echo "$(cat "$tmp/$1.check")"
}

compare() {
	local mode=$1 name=$2

	if python3 "$cmp" "$mode" "$tmp/$name.st" "$rec/$name.strace" \
		>"$tmp/$name.diff"; then
		echo "ok $name: $mode match with strace ($(wc -l <"$rec/$name.strace") lines)"
	else
		fail "$name: log differs from strace's ($mode)"
		head -40 "$tmp/$name.diff"
	fi
}

# ---- byte for byte against strace -----------------------------------------

both rec_mem "$progs/rec_mem"
[ "$v_rc" = 3 ] || fail "rec_mem: exit status $v_rc, not 3"
compare exact rec_mem
well_formed rec_mem

both rec_fork "$progs/rec_fork"
[ "$v_rc" = 0 ] || fail "rec_fork: exit status $v_rc"
compare exact rec_fork
well_formed rec_fork

both rec_kill "$progs/rec_kill"
[ "$v_rc" = 143 ] || fail "rec_kill: exit status $v_rc, not 128 + SIGTERM"
compare exact rec_kill
grep -q '+++ killed by SIGTERM +++' "$rec/rec_kill.strace" ||
	fail "rec_kill: no '+++ killed by SIGTERM +++'"
well_formed rec_kill

both rec_vfork "$progs/rec_vfork"
compare tasks rec_vfork
well_formed rec_vfork

both true /bin/true
compare exact true
well_formed true

# A pipeline: bash forks both sides, which exec; compared task by task.
if [ -x /bin/bash ]; then
	both pipe /bin/bash -c '/bin/ls / | /usr/bin/wc -l'
	compare tasks pipe
	well_formed pipe
fi

if command -v git >/dev/null; then
	both git git --version
	compare exact git
	well_formed git
fi

# The comparison itself must see a difference.
sed '5s/= 0x/= 0x1/' "$rec/rec_mem.strace" >"$tmp/doctored.strace"
python3 "$cmp" exact "$tmp/rec_mem.st" "$tmp/doctored.strace" >/dev/null &&
	fail "strace_cmp.py did not see a doctored result"

# ---- what the recording holds ---------------------------------------------

idx=$rec/rec_mem.index
[ "$(cut -d' ' -f3 "$idx" | tr '\n' ' ')" = "exec exit " ] ||
	fail "rec_mem: snapshots $(cut -d' ' -f3 "$idx" | tr '\n' ' '), not exec exit"
[ "$(head -1 "$idx" | cut -d' ' -f4)" = 1 ] ||
	fail "rec_mem: the exec snapshot is not indexed at line 1"
root=$(sed -n 's/^root_pid=//p' "$rec/rec_mem.meta")
[ "$(head -1 "$idx" | cut -d' ' -f1)" = "$root" ] || fail "rec_mem: exec snapshot pid is not root_pid"
grep -q "/rec_mem\$" "$rec/rec_mem.maps/$root.0.maps" ||
	fail "rec_mem: the exec snapshot does not map the program"
grep -q 'memfd:arena' "$rec/rec_mem.maps/$root.0.maps" &&
	fail "rec_mem: the exec snapshot already has the memfd mapping"
grep -q '/memfd:arena "x" <1> (deleted)$' "$rec/rec_mem.maps/$root.1.maps" ||
	fail "rec_mem: the exit snapshot lacks the memfd mapping"
grep -q '^command=.*/rec_mem$' "$rec/rec_mem.meta" || fail "rec_mem: meta command"
grep -q '^snapshot_every=0$' "$rec/rec_mem.meta" || fail "rec_mem: meta snapshot_every"
grep -q "^kernel=$(uname -r)\$" "$rec/rec_mem.meta" || fail "rec_mem: meta kernel"
grep -q '^recorder=vmasim ' "$rec/rec_mem.meta" || fail "rec_mem: meta recorder"

# fork: one snapshot per child before it runs, after its parent's line
kinds=$(cut -d' ' -f3 "$rec/rec_fork.index" | sort | uniq -c | tr -s ' \n' ' ')
[ "$kinds" = " 1 exec 3 exit 2 fork " ] || fail "rec_fork: snapshots$kinds"

# vfork: the child's snapshot follows its parent's "vfork( <unfinished ...>"
line=$(awk '$3 == "fork" { print $4 }' "$rec/rec_vfork.index")
sed -n "${line}p" "$rec/rec_vfork.strace" | grep -q 'vfork( <unfinished ...>$' ||
	fail "rec_vfork: fork snapshot not right after the open vfork line"

# -s: periodic snapshots, the log unchanged
record rec_mem_s -s 3 -- "$progs/rec_mem"
if ! python3 "$cmp" exact "$rec/rec_mem.strace" "$rec/rec_mem_s.strace" \
	>"$tmp/rec_mem_s.diff"; then
	fail "rec_mem -s 3: the log changed"
	head -20 "$tmp/rec_mem_s.diff"
fi
mem=$(grep -cE '^[0-9]+ +(mmap|munmap|mremap|mprotect|pkey_mprotect|brk|madvise|mlock|mlock2|munlock|mlockall|munlockall|mseal|shmat|shmdt)\(' \
	"$rec/rec_mem_s.strace")
periodic=$(grep -c ' periodic ' "$rec/rec_mem_s.index")
[ "$periodic" = $((mem / 3)) ] ||
	fail "rec_mem -s 3: $periodic periodic snapshots for $mem memory calls"
grep -q '^snapshot_every=3$' "$rec/rec_mem_s.meta" || fail "-s 3: meta snapshot_every"
well_formed rec_mem_s

# ---- multithreaded and real programs: well-formed recordings ---------------

record threads -s 10 -- "$progs/rec_threads"
[ "$v_rc" = 0 ] || fail "rec_threads: exit status $v_rc"
well_formed threads
tids=$(grep -E '^[0-9]+ +munmap\(' "$rec/threads.strace" | cut -d' ' -f1 | sort -u | wc -l)
[ "$tids" -ge 4 ] || fail "rec_threads: munmap from $tids threads, not 4"
grep -q -- '--- stopped by SIGSTOP ---' "$rec/threads.strace" ||
	fail "rec_threads: no group stop"
grep -q ' periodic ' "$rec/threads.index" || fail "rec_threads: no periodic snapshot"

record threads_exec -- "$progs/rec_threads" exec
[ "$v_rc" = 0 ] || fail "rec_threads exec: exit status $v_rc"
well_formed threads_exec
grep -q '+++ superseded by execve in pid [0-9]* +++' "$rec/threads_exec.strace" ||
	fail "rec_threads exec: no 'superseded by execve' line"
grep -q '<... execve resumed>) *= 0$' "$rec/threads_exec.strace" ||
	fail "rec_threads exec: no resumed execve"

for i in 1 2 3; do
	record spawn -s 20 -- "$progs/rec_spawn"
	[ "$v_rc" = 0 ] || fail "rec_spawn: exit status $v_rc"
	well_formed spawn || break
done
forks=$(grep -c ' fork ' "$rec/spawn.index")
[ "$forks" = 30 ] || fail "rec_spawn: $forks fork snapshots, not 30"

if command -v gcc >/dev/null; then
	echo 'int twice(int x) { return 2 * x; }' >"$tmp/small.c"
	record gcc -- gcc -c "$tmp/small.c" -o "$tmp/small.o"
	[ "$v_rc" = 0 ] || fail "gcc -c: exit status $v_rc"
	well_formed gcc
	for p in cc1 as; do
		pid=$(grep -E "^[0-9]+ +(<\.\.\. )?execve(\(\"[^\"]*/$p\"| resumed>).*= 0\$" \
			"$rec/gcc.strace" | tail -1 | cut -d' ' -f1)
		[ -n "$pid" ] && grep -q "^$pid [0-9]* exec " "$rec/gcc.index" ||
			fail "gcc -c: no exec snapshot of $p"
	done
fi

record python -- python3 -c 'import json'
[ "$v_rc" = 0 ] || fail "python3: exit status $v_rc"
well_formed python

if command -v git >/dev/null; then
	record git_status -- git -C "$src" status --short
	[ "$v_rc" = 0 ] || fail "git status: exit status $v_rc"
	well_formed git_status
fi

# ---- usage and errors ------------------------------------------------------

"$vmasim" record --help >"$tmp/help" 2>&1 && grep -q '^usage: vmasim record' "$tmp/help" ||
	fail "record --help"
"$vmasim" record -- /bin/true >/dev/null 2>&1
[ $? = 2 ] || fail "no -o: not exit 2"
"$vmasim" record -o "$tmp/x" >/dev/null 2>&1
[ $? = 2 ] || fail "no command: not exit 2"
"$vmasim" record -o "$tmp/x" -s nope -- /bin/true >/dev/null 2>&1
[ $? = 2 ] || fail "-s nope: not exit 2"
"$vmasim" record -o "$tmp/" -- /bin/true >/dev/null 2>&1
[ $? = 2 ] || fail "-o DIR/ without NAME: not exit 2"
(cd "$tmp" && "$vmasim" record -o plain -- /bin/true >/dev/null 2>&1) &&
	[ -s "$tmp/plain.strace" ] && [ -s "$tmp/plain.index" ] || fail "-o NAME alone"
"$vmasim" record -o "$tmp/x" -- no-such-command-here >/dev/null 2>"$tmp/err"
[ $? = 1 ] && grep -q "cannot find executable 'no-such-command-here'" "$tmp/err" ||
	fail "missing command: $(cat "$tmp/err")"
"$vmasim" record -o /proc/no/such/dir/x -- /bin/true >/dev/null 2>"$tmp/err"
[ $? = 1 ] && grep -q 'cannot create' "$tmp/err" ||
	fail "unwritable OUT: $(cat "$tmp/err")"
"$vmasim" record -o "$tmp/x" -- "$src/README.md" >/dev/null 2>"$tmp/err"
[ $? = 1 ] && grep -q 'cannot exec' "$tmp/err" ||
	fail "not executable: $(cat "$tmp/err")"

if [ "$fails" -ne 0 ]; then
	echo "$fails failure(s)"
	exit 1
fi
echo "all record tests passed"
