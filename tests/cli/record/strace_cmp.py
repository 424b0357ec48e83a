#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
#
# strace_cmp.py MODE EXPECTED ACTUAL - compare two `strace -f -o` logs of
# the same program (one written by strace, one by `vmasim record`) after
# normalising what cannot be the same in two runs:
#   - pids and tids: renamed P1, P2, ... in order of first appearance
#     (line prefixes, fork/clone results, si_pid=, parent_tid=[...],
#     "execve in pid N", "pid changed to N"); a prefix keeps its width;
#   - the envp pointer of the command's own execve (line 1): it points into
#     the tracer's copy of its environment, which differs between tracers;
#   - si_utime= and si_stime= of SIGCHLD (CPU time);
#   - kernel object numbers: pipe:[N], socket:[N], the #N of O_TMPFILE
#     files, and shmat's shmid (system-wide IPC ids); on such lines the
#     padding before " = " is dropped, as the numbers' widths move it;
#   - mseal: strace 6.1 does not know it and writes syscall_0x1ce(...),
#     even when it is not in the -e trace= list; those lines are dropped
#     from both sides.
# MODE exact compares the normalised logs line by line.  MODE tasks first
# joins every "<unfinished ...>" with its "<... resumed>" part and then
# compares each task's own sequence of calls, naming tasks by how they were
# created (P1, P1.1 = the first child of P1, ...), so that logs differing
# only in how the tasks' lines interleave compare equal; which child a
# SIGCHLD names is left out there too, as which child exits first is the
# scheduler's choice (a shell pipeline's two children).
# Exit status: 0 equal, 1 different (a diff is printed), 2 usage.
import difflib
import re
import sys

PREFIX = re.compile(r'^(\d+)( +)(.*)$')
CREATE = re.compile(r'^(?:clone3?|fork|vfork|<\.\.\. (?:clone3?|fork|vfork) '
                    r'resumed>).* = (\d+)$')
PID_REFS = re.compile(r'(si_pid=|parent_tid=\[|execve in pid |'
                      r'pid changed to )(\d+)')
MSEAL = re.compile(r'^(?:mseal|syscall_0x1ce)\(')
ENVP = re.compile(r'0x[0-9a-f]+( /\* \d+ vars? \*/)')


def read_lines(path):
    with open(path, 'rb') as f:
        return f.read().decode('latin-1').split('\n')[:-1]


def fixed(body, first):
    """Normalisations that do not depend on pids."""
    if first:
        body = ENVP.sub(r'ENVP\1', body, count=1)
    body = re.sub(r'(si_[us]time=)\d+( /\* [0-9.]+ s \*/)?', r'\1T', body)
    # numbers of kernel objects: their width moves the result column
    new = re.sub(r'(pipe|socket):\[\d+\]', r'\1:[N]', body)
    new = re.sub(r'/#\d+>', '/#N>', new)
    new = re.sub(r'^shmat\(\d+,', 'shmat(ID,', new)
    if new != body:
        new = re.sub(r'\) +=( |$)', r') =\1', new)
    return new


class Names:
    """pid -> P1, P2, ... in order of first appearance."""

    def __init__(self):
        self.map = {}

    def get(self, pid):
        if pid not in self.map:
            self.map[pid] = 'P%d' % (len(self.map) + 1)
        return self.map[pid]


def rename_refs(body, name_of):
    body = PID_REFS.sub(lambda m: m.group(1) + name_of(m.group(2)), body)
    m = CREATE.match(body)
    if m:
        body = body[:m.start(1)] + name_of(m.group(1))
    return body


def parse(path):
    """[(pid, body)] with the pid-independent normalisations applied."""
    out = []
    for i, line in enumerate(read_lines(path)):
        m = PREFIX.match(line)
        if not m:
            out.append((None, line))
            continue
        body = fixed(m.group(3), i == 0)
        if MSEAL.match(body):
            continue
        out.append((m.group(1), body, len(m.group(1) + m.group(2))))
    return out


def exact(path):
    names = Names()
    out = []
    for entry in parse(path):
        if entry[0] is None:
            out.append(entry[1])
            continue
        pid, body, width = entry
        name = names.get(pid)
        body = rename_refs(body, names.get)
        out.append('%-*s %s' % (width - 1, name, body))
    return out


def tasks(path):
    """{task name: [joined calls]}, tasks named by their creation."""
    seqs, pending, order = {}, {}, []
    for entry in parse(path):
        if entry[0] is None:
            continue
        pid, body, _ = entry
        if pid not in seqs:
            seqs[pid] = []
            order.append(pid)
        if body.endswith(' <unfinished ...>'):
            pending[pid] = body[:-len(' <unfinished ...>')]
            continue
        m = re.match(r'^<\.\.\. \S+ resumed>(.*)$', body)
        if m and pid in pending:
            body = pending.pop(pid) + m.group(1)
        seqs[pid].append(re.sub(r'\) +=( |$)', r') =\1', body))
    for pid, body in pending.items():
        seqs[pid].append(body + ' <unfinished ...>')
    names = {}
    if order:
        todo = [(order[0], 'P1')]
        while todo:
            pid, name = todo.pop()
            names[pid] = name
            k = 0
            for body in seqs.get(pid, []):
                m = CREATE.match(body)
                if m and m.group(1) != '0' and m.group(1) in seqs:
                    k += 1
                    todo.append((m.group(1), '%s.%d' % (name, k)))
    out = {}
    for pid, seq in seqs.items():
        name = names.get(pid, 'orphan-' + pid)
        out[name] = [re.sub(r'^(--- SIGCHLD \{.*si_pid=)[^,]*', r'\1P?',
                            rename_refs(b, lambda p: names.get(p, 'X')))
                     for b in seq]
    return out


def flatten(t):
    lines = []
    for name in sorted(t):
        lines.append('== task %s' % name)
        lines.extend(t[name])
    return lines


def main():
    if len(sys.argv) != 4 or sys.argv[1] not in ('exact', 'tasks'):
        sys.stderr.write('usage: strace_cmp.py exact|tasks EXPECTED ACTUAL\n')
        return 2
    mode, a, b = sys.argv[1:]
    if mode == 'exact':
        la, lb = exact(a), exact(b)
    else:
        la, lb = flatten(tasks(a)), flatten(tasks(b))
    if la == lb:
        return 0
    sys.stdout.writelines(l + '\n' for l in
                          difflib.unified_diff(la, lb, a, b, lineterm='', n=2))
    return 1


if __name__ == '__main__':
    sys.exit(main())
