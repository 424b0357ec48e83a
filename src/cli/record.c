/* SPDX-License-Identifier: MIT */
/*
 * record.c - `vmasim record`: run a program under ptrace and record its
 * memory and descriptor syscalls, with /proc/PID/maps snapshots.
 *
 * Design.  The recorder is a small strace: it starts the command the way
 * strace does (the child stops itself, is seized with
 * TRACESYSGOOD|TRACEEXEC|TRACEEXIT|TRACEFORK|TRACEVFORK|TRACECLONE|
 * EXITKILL, then execs) and follows every task it creates.  It waits for
 * events with wait4(__WALL), taking every event ready at once and
 * handling them in order, and writes NAME.strace with strace's rules for
 * a shared log (strace -f -o): every line starts with the tid ("%-5u "),
 * the result is aligned on column 40, a line left open by a call in
 * progress is closed with " <unfinished ...>" when another line must be
 * written, and its end then starts "<... NAME resumed>".  How each call's
 * arguments are written is record_fmt.c's business.  The log is hidden
 * until the command's first execve, as strace hides its own start-up.
 * Signals are passed on to the tracee; a stopping signal is shown as
 * "--- stopped by SIG ---" and the tracee is left stopped with
 * PTRACE_LISTEN until it is continued.
 *
 * Snapshots.  A snapshot copies /proc/TID/maps into
 * NAME.maps/<pid>.<seq>.maps, where <pid> is the process (thread group)
 * id and <seq> counts that pid's snapshots from 0 (counters are never
 * reset, so a reused pid cannot overwrite an older file), and adds the
 * line "<pid> <seq> <kind> <line>" to NAME.index, <line> being the number
 * of complete lines of NAME.strace at that moment.  Kinds:
 *   exec      at the syscall-exit stop of a successful execve/execveat;
 *   fork      for a new child of fork, vfork or clone without CLONE_VM,
 *             while it is still stopped at its first stop;
 *   periodic  with -s N, after every N memory calls of a process (the
 *             count starts again at each exec);
 *   exit      at the syscall-entry stop of exit_group, or, for a process
 *             that ends otherwise (a signal, its last thread's exit), at
 *             its last thread's PTRACE_EVENT_EXIT stop.
 * Lines and snapshots follow creation order: a new task (process or
 * thread) is kept stopped at its first stop until the line of the clone,
 * fork or vfork that created it is complete, so no line or snapshot of a
 * task comes before the line that creates it.  The exception is vfork
 * (and clone with CLONE_VFORK), whose caller only returns once the child
 * has exec'd or exited: the child starts at once, after the caller's open
 * "vfork(" line is closed with " <unfinished ...>".
 * One memory call at a time.  strace writes a call's result when it sees
 * the call's exit, and two threads' calls running at once may complete in
 * the kernel in one order and be written in the other, which no replay
 * can untangle (an munmap written after the mmap that reused its range).
 * So the recorder runs the calls that change a process's layout (mmap ...
 * shmdt, and the fork or clone without CLONE_VM that copies it) one at a
 * time per process: a thread entering one while another thread of its
 * process is inside one waits, stopped at its syscall entry (its entry is
 * already written, as strace would), and threads get in in arrival order.
 * The log's order of results is then the kernel's order of changes.  A
 * snapshot waits for the same quiet moment, so it never sees a call half
 * done.  A thread kept stopped that gets killed meanwhile is let go at
 * once.  The price is that a memory call that blocks until another
 * thread of its process makes one would deadlock (say, a page fault in
 * mmap(MAP_POPULATE) served by a userfaultfd thread that maps memory);
 * no such program is known to us.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include "record.h"
#include "record_fmt.h"

#ifndef VMASIM_VERSION
#define VMASIM_VERSION "0.1.0"
#endif

#define AUDIT_ARCH_X86_64_VAL	0xc000003eu
#define X32_SYSCALL_BIT		0x40000000UL
#define SYSCALL_TRAP		(SIGTRAP | 0x80)
#define CLONE_VM_BIT		0x100UL
#define CLONE_THREAD_BIT	0x10000UL

/* The traced calls, as the strace command line that writes the same log. */
#define TRACE_LIST "mmap,munmap,mremap,mprotect,pkey_mprotect,brk,madvise," \
	"mlock,mlock2,munlock,mlockall,munlockall,mseal,shmat,shmdt,open," \
	"openat,openat2,creat,close,close_range,dup,dup2,dup3,fcntl," \
	"memfd_create,clone,clone3,fork,vfork,execve,execveat,exit_group"

enum snap_kind {
	SNAP_NONE,
	SNAP_PERIODIC,
	SNAP_EXIT,
};

/* Why a stopped tracee is not restarted yet. */
#define HOLD_CHILD	0x1	/* new task: its creator's line is not done */
#define HOLD_SNAP	0x2	/* waits for a snapshot of its process */
#define HOLD_GATE	0x4	/* waits to start a memory call */

/* A thread group: what snapshots and -s counting are about. */
struct rec_proc {
	pid_t tgid;
	unsigned int refs;		/* tracees pointing here */
	unsigned long mem_calls;	/* memory calls since exec */
	enum snap_kind snap;		/* pending snapshot, waiting for quiet */
	pid_t snap_tid;			/* whose /proc/TID/maps to read */
	bool exit_snapped;
};

struct tracee {
	pid_t pid;
	struct rec_proc *proc;		/* NULL until we know its group */
	int curcol;			/* 0: no line of ours is open */
	bool hide_log;			/* before the command's first execve */
	bool check_exec;		/* that execve is in progress */
	bool in_syscall;
	bool exiting;			/* PTRACE_EVENT_EXIT seen */
	bool filtered;			/* the current call is not traced */
	bool gated;			/* the current call goes through the gate */
	unsigned long ticket;		/* its place in the gate's queue */
	bool reprint;			/* write "<... resumed>" at exit */
	struct rec_call call;
	/* creation */
	bool started;			/* first stop seen */
	pid_t creator;			/* tid whose clone made us, 0 unknown */
	bool creator_done;		/* that clone's line is complete */
	bool vforked;
	bool fork_snapshot;		/* take a "fork" snapshot at release */
	unsigned long clone_flags;	/* of the call being made, if a clone */
	/* restart */
	unsigned int hold;		/* HOLD_* */
	bool pending;			/* a restart waits for hold == 0 */
	int pend_op;
	int pend_sig;
};

struct seq_slot {
	pid_t pid;
	unsigned int next;
};

struct recorder {
	/* options */
	const char *out_prefix;
	unsigned long snap_every;
	char **cmd;
	const char *meta[16];		/* --meta KEY=VALUE, in order */
	unsigned int nmeta;
	/* output */
	FILE *log;
	FILE *index;
	int maps_dir;
	char *maps_dir_name;
	unsigned long lines;		/* complete lines written */
	bool write_error;
	/* tracees */
	struct tracee **tr;
	size_t ntr;
	size_t tr_cap;
	struct tracee *printing;	/* whose line the log ends with */
	unsigned long tickets;		/* gate tickets given */
	pid_t root_pid;
	int exit_code;
	int exit_signal;
	bool root_done;
	/* snapshot counters, open addressing on pid */
	struct seq_slot *seq;
	size_t seq_cap;
	size_t seq_used;
	/* scratch text */
	struct rec_text text;
	char *maps_buf;
	size_t maps_cap;
};

/* ---- usage and messages --------------------------------------------- */

/**
 * record_usage - print the usage of `vmasim record`.
 * @out: the stream
 */
void record_usage(FILE *out)
{
	fputs("usage: vmasim record -o OUT/NAME [-s N] [-m KEY=VALUE] -- CMD [ARGS...]\n"
	      "\n"
	      "Run CMD under ptrace, following every fork, vfork, clone and\n"
	      "exec, and record its memory and descriptor syscalls:\n"
	      "  OUT/NAME.strace  the calls, written exactly as strace 6.1 writes\n"
	      "                   them with -f -y -o FILE -e trace=LIST, LIST:\n"
	      "      mmap munmap mremap mprotect pkey_mprotect brk madvise mlock\n"
	      "      mlock2 munlock mlockall munlockall mseal shmat shmdt open\n"
	      "      openat openat2 creat close close_range dup dup2 dup3 fcntl\n"
	      "      memfd_create clone clone3 fork vfork execve execveat\n"
	      "      exit_group\n"
	      "  OUT/NAME.maps/   PID.SEQ.maps, copies of /proc/PID/maps: after\n"
	      "                   each execve, for each new child before it\n"
	      "                   runs, at exit, and every N memory calls\n"
	      "  OUT/NAME.index   one line per snapshot: PID SEQ KIND LINE, KIND\n"
	      "                   one of exec, fork, periodic, exit, LINE the\n"
	      "                   last line of NAME.strace written before it\n"
	      "  OUT/NAME.meta    key=value: root_pid, command, kernel, ...\n"
	      "SEQ counts each PID's snapshots from 0.  Memory calls of one\n"
	      "process are run one at a time, so that the log's order is the\n"
	      "kernel's.\n"
	      "\n"
	      "Options:\n"
	      "  -o, --output OUT/NAME      where to write (OUT is created)\n"
	      "  -s, --snapshot-every N     also snapshot a process after every\n"
	      "                             N memory calls (default: never)\n"
	      "  -m, --meta KEY=VALUE       add a line to NAME.meta (up to 16),\n"
	      "                             e.g. fault_model=none for a program\n"
	      "                             whose write faults are all logged\n"
	      "  -h, --help                 show this help and exit\n"
	      "\n"
	      "Exit status: that of CMD (128 + N when signal N killed it), 1 if\n"
	      "the recording could not be made, 2 on a usage error.\n", out);
}

static void usage_hint(void)
{
	fputs("usage: vmasim record -o OUT/NAME [-s N] [-m KEY=VALUE] -- CMD [ARGS...]\n"
	      "Try 'vmasim record --help' for more information.\n", stderr);
}

__attribute__((format(printf, 1, 2)))
static void rec_error(const char *fmt, ...)
{
	va_list ap;

	fputs("vmasim record: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* ---- the log: lines, prefixes, alignment ---------------------------- */

static void log_write(struct recorder *r, struct tracee *t, const char *s,
		      size_t n)
{
	const char *p = s;

	if (n && fwrite(s, 1, n, r->log) != n)
		r->write_error = true;
	if (t)
		t->curcol += n;
	while ((p = memchr(p, '\n', s + n - p))) {
		r->lines++;
		p++;
	}
}

static void log_puts(struct recorder *r, struct tracee *t, const char *s)
{
	log_write(r, t, s, strlen(s));
}

/*
 * Close the open line of whoever printed last, as strace does before
 * another line; its end will then be written as "<... NAME resumed>".
 */
static void close_open_line(struct recorder *r)
{
	struct tracee *p = r->printing;

	if (p && p->curcol) {
		log_puts(r, p, " <unfinished ...>\n");
		p->curcol = 0;
		r->printing = NULL;
	}
}

static void print_leader(struct recorder *r, struct tracee *t)
{
	char pfx[32];

	close_open_line(r);
	r->printing = t;
	t->curcol = 0;
	snprintf(pfx, sizeof(pfx), "%-5u ", (unsigned int)t->pid);
	log_puts(r, t, pfx);
}

static void line_ended(struct recorder *r, struct tracee *t)
{
	t->curcol = 0;
	if (fflush(r->log))
		r->write_error = true;
	if (r->printing) {
		r->printing->curcol = 0;
		r->printing = NULL;
	}
}

static void tab_to_result(struct recorder *r, struct tracee *t)
{
	static const char spaces[] = "                                        ";

	if (t->curcol < REC_RESULT_COLUMN)
		log_write(r, t, spaces, REC_RESULT_COLUMN - t->curcol);
}

static void print_resume(struct recorder *r, struct tracee *t)
{
	char buf[64];

	if (r->printing != t || t->reprint) {
		t->reprint = false;
		print_leader(r, t);
		snprintf(buf, sizeof(buf), "<... %s resumed>",
			 t->call.sc->name);
		log_puts(r, t, buf);
	}
	r->printing = t;
}

/* ---- snapshots ------------------------------------------------------ */

static unsigned int *seq_counter(struct recorder *r, pid_t pid)
{
	size_t i;

	if (r->seq_used * 2 >= r->seq_cap) {
		size_t cap = r->seq_cap ? r->seq_cap * 2 : 64;
		struct seq_slot *old = r->seq;
		size_t old_cap = r->seq_cap;
		struct seq_slot *tab = calloc(cap, sizeof(*tab));

		if (!tab)
			return NULL;
		r->seq = tab;
		r->seq_cap = cap;
		for (i = 0; i < old_cap; i++) {
			size_t j = (unsigned int)old[i].pid % cap;

			if (!old[i].pid)
				continue;
			while (tab[j].pid)
				j = (j + 1) % cap;
			tab[j] = old[i];
		}
		free(old);
	}
	i = (unsigned int)pid % r->seq_cap;
	while (r->seq[i].pid && r->seq[i].pid != pid)
		i = (i + 1) % r->seq_cap;
	if (!r->seq[i].pid) {
		r->seq[i].pid = pid;
		r->seq_used++;
	}
	return &r->seq[i].next;
}

/* Read all of /proc/TID/maps; returns its length, 0 when unreadable. */
static size_t read_maps(struct recorder *r, pid_t tid)
{
	char path[64];
	size_t len = 0;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/maps", tid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	for (;;) {
		if (r->maps_cap - len < 65536) {
			size_t cap = r->maps_cap ? r->maps_cap * 2 : 262144;
			char *buf = realloc(r->maps_buf, cap);

			if (!buf) {
				len = 0;
				break;
			}
			r->maps_buf = buf;
			r->maps_cap = cap;
		}
		n = read(fd, r->maps_buf + len, r->maps_cap - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (n < 0)
				len = 0;
			break;
		}
		len += n;
	}
	close(fd);
	return len;
}

static bool write_file_at(int dir, const char *name, const char *buf,
			  size_t len)
{
	int fd = openat(dir, name, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
			0644);
	size_t done = 0;

	if (fd < 0)
		return false;
	while (done < len) {
		ssize_t n = write(fd, buf + done, len - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		done += n;
	}
	return !close(fd) && done == len;
}

static const char *const snap_names[] = {
	[SNAP_PERIODIC] = "periodic", [SNAP_EXIT] = "exit",
};

/*
 * Copy /proc/@tid/maps as the next snapshot of process @pid and index it
 * after the lines written so far.  A vanished process is skipped.
 */
static void take_snapshot(struct recorder *r, pid_t pid, pid_t tid,
			  const char *kind)
{
	unsigned int *next = seq_counter(r, pid);
	size_t len = read_maps(r, tid);
	char name[64];

	if (!next || !len)
		return;
	snprintf(name, sizeof(name), "%d.%u.maps", pid, *next);
	if (!write_file_at(r->maps_dir, name, r->maps_buf, len)) {
		rec_error("cannot write %s/%s: %s", r->maps_dir_name, name,
			  strerror(errno));
		r->write_error = true;
		return;
	}
	if (fprintf(r->index, "%d %u %s %lu\n", pid, *next, kind,
		    r->lines) < 0 || fflush(r->index))
		r->write_error = true;
	(*next)++;
}

/* ---- tracee table --------------------------------------------------- */

static struct tracee *find_tracee(struct recorder *r, pid_t pid)
{
	size_t i;

	for (i = 0; i < r->ntr; i++)
		if (r->tr[i]->pid == pid)
			return r->tr[i];
	return NULL;
}

static struct tracee *add_tracee(struct recorder *r, pid_t pid)
{
	struct tracee *t;

	if (r->ntr == r->tr_cap) {
		size_t cap = r->tr_cap ? r->tr_cap * 2 : 16;
		struct tracee **tr = realloc(r->tr, cap * sizeof(*tr));

		if (!tr)
			return NULL;
		r->tr = tr;
		r->tr_cap = cap;
	}
	t = calloc(1, sizeof(*t));
	if (!t)
		return NULL;
	t->pid = pid;
	r->tr[r->ntr++] = t;
	return t;
}

static struct rec_proc *proc_get(struct rec_proc *p)
{
	if (p)
		p->refs++;
	return p;
}

static void proc_put(struct rec_proc *p)
{
	if (p && !--p->refs)
		free(p);
}

/* The process object of thread group @tgid, shared by its tracees. */
static struct rec_proc *proc_of(struct recorder *r, pid_t tgid)
{
	struct rec_proc *p;
	size_t i;

	for (i = 0; i < r->ntr; i++)
		if (r->tr[i]->proc && r->tr[i]->proc->tgid == tgid)
			return proc_get(r->tr[i]->proc);
	p = calloc(1, sizeof(*p));
	if (!p)
		return NULL;
	p->tgid = tgid;
	return proc_get(p);
}

static void drop_tracee(struct recorder *r, struct tracee *t)
{
	size_t i;

	if (r->printing == t) {
		if (t->curcol)
			log_puts(r, t, " <detached ...>\n");
		r->printing = NULL;
	}
	for (i = 0; i < r->ntr; i++) {
		if (r->tr[i] == t) {
			r->tr[i] = r->tr[--r->ntr];
			break;
		}
	}
	proc_put(t->proc);
	free(t);
}

/* ---- restarting ----------------------------------------------------- */

static void do_restart(struct tracee *t, int op, int sig)
{
	if (t->hold) {
		t->pending = true;
		t->pend_op = op;
		t->pend_sig = sig;
		return;
	}
	t->pending = false;
	if (ptrace(op, t->pid, NULL, (void *)(long)sig) < 0 && errno != ESRCH)
		rec_error("ptrace(%d, %d): %s", op, t->pid, strerror(errno));
}

static void release(struct tracee *t, unsigned int why)
{
	t->hold &= ~why;
	if (!t->hold && t->pending)
		do_restart(t, t->pend_op, t->pend_sig);
}

/*
 * The gate of a process: one memory call at a time.  A thread whose call
 * changes the layout (a memory call, or a fork that copies it) is "gated";
 * it runs only when no other gated call of its process runs and no
 * snapshot is pending, so the log's order of results is the order in
 * which the kernel made the changes, and a snapshot sees no call half
 * done.
 */
static bool proc_busy(struct recorder *r, struct rec_proc *p)
{
	size_t i;

	for (i = 0; i < r->ntr; i++) {
		struct tracee *t = r->tr[i];

		if (t->proc == p && t->gated && !(t->hold & HOLD_GATE))
			return true;
	}
	return false;
}

static void release_all(struct recorder *r, struct rec_proc *p,
			unsigned int why)
{
	size_t i;

	for (i = 0; i < r->ntr; i++)
		if (r->tr[i]->proc == p && (r->tr[i]->hold & why))
			release(r->tr[i], why);
}

static void drop_snapshot(struct recorder *r, struct rec_proc *p)
{
	p->snap = SNAP_NONE;
	p->snap_tid = 0;
	release_all(r, p, HOLD_SNAP);
}

/* Take a pending snapshot, or let the next gated call in, when quiet. */
static void pump(struct recorder *r, struct rec_proc *p)
{
	struct tracee *next = NULL;
	size_t i;

	if (!p || proc_busy(r, p))
		return;
	if (p->snap != SNAP_NONE) {
		take_snapshot(r, p->tgid, p->snap_tid, snap_names[p->snap]);
		if (p->snap == SNAP_EXIT)
			p->exit_snapped = true;
		drop_snapshot(r, p);
	}
	for (i = 0; i < r->ntr; i++) {
		struct tracee *t = r->tr[i];

		if (t->proc == p && (t->hold & HOLD_GATE) &&
		    (!next || t->ticket < next->ticket))
			next = t;
	}
	if (next)
		release(next, HOLD_GATE);
}

/* Ask for a snapshot of @t's process; @t waits for it, stopped. */
static void request_snapshot(struct recorder *r, struct tracee *t,
			     enum snap_kind kind)
{
	struct rec_proc *p = t->proc;

	if (!p)
		return;
	if (kind > p->snap)
		p->snap = kind;
	if (!p->snap_tid)
		p->snap_tid = t->pid;
	t->hold |= HOLD_SNAP;
	pump(r, p);
}

/* @t enters a gated call: it waits its turn. */
static void enter_gate(struct recorder *r, struct tracee *t)
{
	t->gated = true;
	t->ticket = ++r->tickets;
	t->hold |= HOLD_GATE;
	pump(r, t->proc);
}

/*
 * A held tracee stopped again: it was killed (another thread's exit_group
 * or exec) and is leaving; holding it any longer would block the kernel.
 */
static void unhold_leaving(struct recorder *r, struct tracee *t)
{
	struct rec_proc *p = t->proc;

	t->hold &= ~(HOLD_GATE | HOLD_SNAP);
	t->pending = false;
	t->gated = false;
	if (p && p->snap_tid == t->pid)
		drop_snapshot(r, p);
	pump(r, p);
}

/* ---- new tasks ------------------------------------------------------ */

/* Let a new child run: its "fork" snapshot first, if it has one. */
static void release_child(struct recorder *r, struct tracee *c)
{
	if (!(c->hold & HOLD_CHILD))
		return;
	if (c->fork_snapshot) {
		/* a vfork child comes after its caller's "vfork(" line */
		if (c->vforked && r->printing && r->printing->pid == c->creator)
			close_open_line(r);
		c->fork_snapshot = false;
		take_snapshot(r, c->pid, c->pid, "fork");
	}
	release(c, HOLD_CHILD);
}

static bool link_child(struct recorder *r, struct tracee *c,
		       struct tracee *parent, int event)
{
	unsigned long flags = parent->clone_flags;

	c->creator = parent->pid;
	c->vforked = event == PTRACE_EVENT_VFORK;
	if (event == PTRACE_EVENT_FORK)
		flags &= ~(CLONE_VM_BIT | CLONE_THREAD_BIT);
	if (event == PTRACE_EVENT_VFORK)
		flags = (flags | CLONE_VM_BIT) & ~CLONE_THREAD_BIT;
	c->creator_done = c->vforked;
	c->fork_snapshot = c->vforked || !(flags & CLONE_VM_BIT);
	proc_put(c->proc);
	c->proc = NULL;
	if (flags & CLONE_THREAD_BIT)
		c->proc = proc_get(parent->proc);
	else
		c->proc = proc_of(r, c->pid);
	return c->proc != NULL;
}

/* PTRACE_EVENT_FORK/VFORK/CLONE on the creator @t. */
static void on_clone_event(struct recorder *r, struct tracee *t, int event)
{
	unsigned long msg = 0;
	struct tracee *c;

	if (ptrace(PTRACE_GETEVENTMSG, t->pid, NULL, &msg) < 0 || !msg)
		return;
	c = find_tracee(r, (pid_t)msg);
	if (!c) {
		c = add_tracee(r, (pid_t)msg);
		if (!c)
			return;
		c->hold = HOLD_CHILD;
	}
	if (!link_child(r, c, t, event))
		return;
	if (c->started && c->creator_done)
		release_child(r, c);
}

/* The creator's clone line is complete: its children may run. */
static void creator_done(struct recorder *r, struct tracee *t)
{
	size_t i;

	for (i = 0; i < r->ntr; i++) {
		struct tracee *c = r->tr[i];

		if (c->creator != t->pid || c->creator_done)
			continue;
		c->creator_done = true;
		if (c->started)
			release_child(r, c);
	}
}

/* A task's thread group and parent process, from /proc/TID/status. */
static void read_ids(pid_t tid, pid_t *tgid, pid_t *ppid)
{
	char path[64], line[256];
	FILE *f;

	*tgid = tid;
	*ppid = 0;
	snprintf(path, sizeof(path), "/proc/%d/status", tid);
	f = fopen(path, "re");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		sscanf(line, "Tgid: %d", tgid);
		sscanf(line, "PPid: %d", ppid);
	}
	fclose(f);
}

static pid_t read_tgid(pid_t tid)
{
	pid_t tgid, ppid;

	read_ids(tid, &tgid, &ppid);
	return tgid;
}

/* Is a task of thread group @tgid still traced (able to report)? */
static bool group_traced(struct recorder *r, pid_t tgid)
{
	size_t i;

	for (i = 0; i < r->ntr; i++)
		if (r->tr[i]->proc && r->tr[i]->proc->tgid == tgid)
			return true;
	return false;
}

/*
 * After a death, children whose creator will never write its line, or
 * whose creation event never came, are let go.
 */
static void release_orphans(struct recorder *r, pid_t dead)
{
	size_t i;

	for (i = 0; i < r->ntr; i++) {
		struct tracee *c = r->tr[i];
		pid_t tgid, ppid;

		if (!(c->hold & HOLD_CHILD) || !c->started)
			continue;
		if (c->creator && c->creator != dead)
			continue;
		if (!c->creator) {
			/* its creator's group, if still traced, will report */
			read_ids(c->pid, &tgid, &ppid);
			if (group_traced(r, tgid != c->pid ? tgid : ppid))
				continue;
		}
		if (!c->proc)
			c->proc = proc_of(r, read_tgid(c->pid));
		if (!c->creator)
			c->fork_snapshot = c->proc && c->proc->tgid == c->pid;
		release_child(r, c);
	}
}

/*
 * The first stop of a task: a new child is kept there until the line
 * that creates it is complete (at once for a vfork child).
 */
static void first_stop(struct recorder *r, struct tracee *t, int event)
{
	t->started = true;
	t->hold |= HOLD_CHILD;
	if (event != PTRACE_EVENT_STOP || (t->creator && t->creator_done)) {
		if (!t->proc)
			t->proc = proc_of(r, read_tgid(t->pid));
		release_child(r, t);
	}
}

/* ---- syscalls ------------------------------------------------------- */

static void log_text(struct recorder *r, struct tracee *t)
{
	if (r->text.oom) {
		rec_error("out of memory");
		r->write_error = true;
		return;
	}
	log_write(r, t, r->text.s ? r->text.s : "", r->text.len);
	rec_text_reset(&r->text);
}

/* The clone flags of the call @t is entering, for its children. */
static unsigned long entry_clone_flags(struct tracee *t)
{
	uint64_t flags = 0;

	switch (t->call.sc->nr) {
	case SYS_clone:
		return t->call.arg[0];
	case SYS_clone3:
		if (t->call.arg[1] >= 8 &&
		    !rec_mem_read(t->pid, t->call.arg[0], &flags, 8))
			return flags;
		return 0;
	}
	return 0;
}

/* Does @t's call change its process's layout, or copy it (fork)? */
static bool changes_layout(const struct tracee *t)
{
	const struct rec_syscall *sc = t->call.sc;

	if (sc->flags & REC_SC_MEM)
		return true;
	switch (sc->nr) {
	case SYS_fork:
		return true;
	case SYS_clone:
	case SYS_clone3:
		return !(t->clone_flags & CLONE_VM_BIT);
	}
	return false;
}

static void syscall_entry(struct recorder *r, struct tracee *t,
			  const struct __ptrace_syscall_info *info)
{
	const struct rec_syscall *sc = NULL;
	struct rec_proc *p = t->proc;

	t->in_syscall = true;
	if (info->arch == AUDIT_ARCH_X86_64_VAL &&
	    !(info->entry.nr & X32_SYSCALL_BIT))
		sc = rec_syscall_find((long)info->entry.nr);
	if (t->hide_log && sc && (sc->flags & REC_SC_EXEC)) {
		t->hide_log = false;
		t->check_exec = true;
	}
	t->filtered = t->hide_log || !sc;
	if (t->filtered)
		return;
	memset(&t->call, 0, sizeof(t->call));
	t->call.tid = t->pid;
	t->call.nr = (long)info->entry.nr;
	t->call.sc = sc;
	memcpy(t->call.arg, info->entry.args, sizeof(t->call.arg));
	print_leader(r, t);
	rec_call_entry(&t->call, &r->text);
	log_text(r, t);
	if (sc->flags & REC_SC_CLONE)
		t->clone_flags = entry_clone_flags(t);
	if (sc->flags & REC_SC_EXIT)
		request_snapshot(r, t, SNAP_EXIT);
	else if (p && changes_layout(t))
		enter_gate(r, t);
}

static void after_exit_line(struct recorder *r, struct tracee *t)
{
	const struct rec_syscall *sc = t->call.sc;
	struct rec_proc *p = t->proc;

	if (sc->flags & REC_SC_CLONE)
		creator_done(r, t);
	if (!p)
		return;
	if ((sc->flags & REC_SC_EXEC) && !t->call.err) {
		p->mem_calls = 0;
		take_snapshot(r, p->tgid, t->pid, "exec");
	}
	if (sc->flags & REC_SC_MEM) {
		p->mem_calls++;
		if (r->snap_every && !(p->mem_calls % r->snap_every))
			request_snapshot(r, t, SNAP_PERIODIC);
	}
	pump(r, p);
}

static void syscall_exit(struct recorder *r, struct tracee *t,
			 const struct __ptrace_syscall_info *info)
{
	struct rec_call *c = &t->call;

	if (!t->in_syscall)
		return;
	t->in_syscall = false;
	t->gated = false;
	if (t->filtered)
		return;
	if (t->check_exec) {
		/* the command's first exec failed: hide the log again */
		t->check_exec = false;
		t->hide_log = true;
	}
	c->rval = info->exit.rval;
	c->err = info->exit.is_error ? (int)-info->exit.rval : 0;
	print_resume(r, t);
	rec_call_exit(c, &r->text);
	rec_text_puts(&r->text, ") ");
	log_text(r, t);
	tab_to_result(r, t);
	rec_text_puts(&r->text, "= ");
	rec_call_result(c, &r->text);
	rec_text_puts(&r->text, "\n");
	log_text(r, t);
	line_ended(r, t);
	after_exit_line(r, t);
}

static void on_syscall_stop(struct recorder *r, struct tracee *t)
{
	struct __ptrace_syscall_info info;

	if (ptrace(PTRACE_GET_SYSCALL_INFO, t->pid, (void *)sizeof(info),
		   &info) < 0)
		return;	/* gone: its death is reported next */
	if (info.op == PTRACE_SYSCALL_INFO_ENTRY)
		syscall_entry(r, t, &info);
	else if (info.op == PTRACE_SYSCALL_INFO_EXIT)
		syscall_exit(r, t, &info);
	do_restart(t, PTRACE_SYSCALL, 0);
}

/* ---- other stops ---------------------------------------------------- */

static void on_signal(struct recorder *r, struct tracee *t, int sig)
{
	siginfo_t si;
	char buf[16];

	if (ptrace(PTRACE_GETSIGINFO, t->pid, NULL, &si) < 0) {
		do_restart(t, PTRACE_SYSCALL, sig);
		return;
	}
	if (!t->hide_log) {
		print_leader(r, t);
		rec_text_printf(&r->text, "--- %s ",
				rec_signame(sig, buf, sizeof(buf)));
		rec_print_siginfo(t->pid, &si, &r->text);
		rec_text_puts(&r->text, " ---\n");
		log_text(r, t);
		line_ended(r, t);
	}
	do_restart(t, PTRACE_SYSCALL, sig);
}

static void on_group_stop(struct recorder *r, struct tracee *t, int sig)
{
	char buf[16];

	if (!t->hide_log) {
		print_leader(r, t);
		rec_text_printf(&r->text, "--- stopped by %s ---\n",
				rec_signame(sig, buf, sizeof(buf)));
		log_text(r, t);
		line_ended(r, t);
	}
	do_restart(t, PTRACE_LISTEN, 0);
}

/* PTRACE_EVENT_EXIT: a call cut short by the task's end gets "= ?". */
static void on_event_exit(struct recorder *r, struct tracee *t)
{
	struct rec_proc *p = t->proc;
	size_t i, live = 0;

	if (t->in_syscall && !t->filtered && !t->hide_log) {
		if (r->printing && r->printing != t && r->printing->curcol) {
			log_puts(r, r->printing, " <unfinished ...>\n");
			r->printing->curcol = 0;
		}
		print_resume(r, t);
		if (!t->call.decoded)
			log_puts(r, t, " <unfinished ...>");
		log_puts(r, t, ") ");
		tab_to_result(r, t);
		log_puts(r, t, "= ?\n");
		line_ended(r, t);
	}
	t->exiting = true;
	if (!p || p->exit_snapped || t->hide_log)
		return;
	for (i = 0; i < r->ntr; i++)
		if (r->tr[i]->proc == p && !r->tr[i]->exiting)
			live++;
	if (!live) {
		take_snapshot(r, p->tgid, t->pid, "exit");
		p->exit_snapped = true;
	}
}

/*
 * PTRACE_EVENT_EXEC.  An exec from a thread other than the leader makes
 * the thread take the leader's pid; strace says so in the log.
 */
static struct tracee *on_event_exec(struct recorder *r, struct tracee *t)
{
	unsigned long old = 0;
	struct tracee *ex;
	char buf[96];

	t->check_exec = false;
	if (t->proc && t->proc->snap != SNAP_NONE)
		drop_snapshot(r, t->proc);
	if (ptrace(PTRACE_GETEVENTMSG, t->pid, NULL, &old) < 0 || !old ||
	    (pid_t)old == t->pid)
		return t;
	ex = find_tracee(r, (pid_t)old);
	if (!ex)
		return t;
	if (ex->curcol) {
		snprintf(buf, sizeof(buf), " <pid changed to %d ...>\n",
			 t->pid);
		log_puts(r, NULL, buf);
	}
	ex->curcol = t->curcol;
	t->curcol = 0;
	ex->pid = t->pid;
	t->pid = 0;
	drop_tracee(r, t);
	print_leader(r, ex);
	snprintf(buf, sizeof(buf), "+++ superseded by execve in pid %lu +++\n",
		 old);
	log_puts(r, ex, buf);
	line_ended(r, ex);
	ex->reprint = true;
	return ex;
}

static void on_death(struct recorder *r, struct tracee *t, int status)
{
	struct rec_proc *p = proc_get(t->proc);
	pid_t pid = t->pid;
	char buf[96], sig[16];

	print_leader(r, t);
	if (WIFEXITED(status))
		snprintf(buf, sizeof(buf), "+++ exited with %d +++\n",
			 WEXITSTATUS(status));
	else
		snprintf(buf, sizeof(buf), "+++ killed by %s %s+++\n",
			 rec_signame(WTERMSIG(status), sig, sizeof(sig)),
			 WCOREDUMP(status) ? "(core dumped) " : "");
	log_puts(r, t, buf);
	line_ended(r, t);
	if (pid == r->root_pid && !r->root_done) {
		r->root_done = true;
		if (WIFEXITED(status))
			r->exit_code = WEXITSTATUS(status);
		else
			r->exit_signal = WTERMSIG(status);
	}
	if (p && p->snap_tid == pid)
		drop_snapshot(r, p);	/* its thread is gone: give it up */
	drop_tracee(r, t);
	if (p) {
		pump(r, p);
		proc_put(p);
	}
	release_orphans(r, pid);
}

static bool is_stop_signal(int sig)
{
	return sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN ||
	       sig == SIGTTOU;
}

static void on_stop(struct recorder *r, struct tracee *t, int status)
{
	int sig = WSTOPSIG(status);
	int event = (unsigned int)status >> 16;

	if (!t->started) {
		first_stop(r, t, event);
	} else if (t->hold) {
		/* killed while we held it: it must go on, to its end */
		t->pending = false;
		t->creator_done = true;
		release_child(r, t);
		unhold_leaving(r, t);
	}
	switch (event) {
	case 0:
		if (sig == SYSCALL_TRAP)
			on_syscall_stop(r, t);
		else
			on_signal(r, t, sig);
		return;
	case PTRACE_EVENT_STOP:
		if (is_stop_signal(sig))
			on_group_stop(r, t, sig);
		else
			do_restart(t, PTRACE_SYSCALL, 0);
		return;
	case PTRACE_EVENT_EXEC:
		t = on_event_exec(r, t);
		break;
	case PTRACE_EVENT_EXIT:
		on_event_exit(r, t);
		break;
	case PTRACE_EVENT_FORK:
	case PTRACE_EVENT_VFORK:
	case PTRACE_EVENT_CLONE:
		on_clone_event(r, t, event);
		break;
	}
	do_restart(t, PTRACE_SYSCALL, 0);
}

static void dispatch(struct recorder *r, pid_t pid, int status)
{
	struct tracee *t = find_tracee(r, pid);

	if (!t) {
		if (!WIFSTOPPED(status))
			return;	/* not ours */
		t = add_tracee(r, pid);
		if (!t) {
			rec_error("out of memory");
			r->write_error = true;
			return;
		}
	}
	if (WIFSTOPPED(status))
		on_stop(r, t, status);
	else
		on_death(r, t, status);
}

/* ---- the event loop ------------------------------------------------- */

struct wait_event {
	pid_t pid;
	int status;
};

/*
 * Wait for the next events: block for one, then take every other one
 * already there, and handle them in order, as strace does.
 */
static int event_loop(struct recorder *r)
{
	struct wait_event *ev = NULL;
	size_t cap = 0;

	for (;;) {
		size_t n = 0, i;
		int status;
		pid_t pid = wait4(-1, &status, __WALL, NULL);

		if (pid < 0) {
			if (errno == EINTR)
				continue;
			if (errno == ECHILD)
				break;
			rec_error("wait4: %s", strerror(errno));
			free(ev);
			return -1;
		}
		do {
			if (n == cap) {
				size_t c2 = cap ? cap * 2 : 16;
				struct wait_event *e2 = realloc(ev, c2 * sizeof(*e2));

				if (!e2) {
					free(ev);
					rec_error("out of memory");
					return -1;
				}
				ev = e2;
				cap = c2;
			}
			ev[n].pid = pid;
			ev[n++].status = status;
			pid = wait4(-1, &status, __WALL | WNOHANG, NULL);
		} while (pid > 0);
		for (i = 0; i < n; i++)
			dispatch(r, ev[i].pid, ev[i].status);
	}
	free(ev);
	return 0;
}

/* ---- starting the command ------------------------------------------- */

static bool executable_file(const char *path)
{
	struct stat st;

	return !stat(path, &st) && S_ISREG(st.st_mode) && (st.st_mode & 0111);
}

/* The path strace would exec for @name: @name itself if it has a '/'. */
static char *resolve_command(const char *name)
{
	const char *path = getenv("PATH");
	char *buf;

	if (strchr(name, '/'))
		return strdup(name);
	buf = malloc(PATH_MAX);
	if (!buf)
		return NULL;
	while (path && *path) {
		const char *colon = strchr(path, ':');
		size_t n = colon ? (size_t)(colon - path) : strlen(path);
		size_t len;

		if (!n) {
			if (!getcwd(buf, PATH_MAX))
				goto next;
			len = strlen(buf);
		} else if (n < PATH_MAX) {
			memcpy(buf, path, n);
			len = n;
		} else {
			goto next;
		}
		if (len && buf[len - 1] != '/')
			buf[len++] = '/';
		if (len + strlen(name) < PATH_MAX) {
			strcpy(buf + len, name);
			if (executable_file(buf))
				return buf;
		}
next:
		path += colon ? n + 1 : n;
	}
	free(buf);
	return NULL;
}

/* Replace stdin and stdout by /dev/null, so pipes end with the tracee. */
static void detach_std_fds(void)
{
	int fd = open("/dev/null", O_RDWR);

	if (fd < 0)
		return;
	dup2(fd, 0);
	dup2(fd, 1);
	if (fd > 1)
		close(fd);
}

static int start_command(struct recorder *r, const char *path)
{
	const unsigned long opts = PTRACE_O_TRACESYSGOOD | PTRACE_O_TRACEEXEC |
		PTRACE_O_TRACEEXIT | PTRACE_O_TRACECLONE | PTRACE_O_TRACEFORK |
		PTRACE_O_TRACEVFORK | PTRACE_O_EXITKILL;
	struct tracee *t;
	int status;
	pid_t pid;

	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		rec_error("fork: %s", strerror(errno));
		return -1;
	}
	if (!pid) {
		kill(getpid(), SIGSTOP);
		execv(path, r->cmd);
		rec_error("cannot exec '%s': %s", path, strerror(errno));
		_exit(1);
	}
	while (waitpid(pid, &status, WSTOPPED) < 0) {
		if (errno != EINTR) {
			rec_error("waitpid: %s", strerror(errno));
			return -1;
		}
	}
	if (!WIFSTOPPED(status) || WSTOPSIG(status) != SIGSTOP) {
		kill(pid, SIGKILL);
		rec_error("unexpected wait status %#x", status);
		return -1;
	}
	if (ptrace(PTRACE_SEIZE, pid, NULL, (void *)opts) < 0) {
		rec_error("ptrace(PTRACE_SEIZE, %d): %s", pid, strerror(errno));
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
		return -1;
	}
	kill(pid, SIGCONT);
	t = add_tracee(r, pid);
	if (!t)
		return -1;
	t->started = true;
	t->hide_log = true;
	t->proc = proc_of(r, pid);
	r->root_pid = pid;
	detach_std_fds();
	signal(SIGINT, SIG_IGN);
	signal(SIGQUIT, SIG_IGN);
	signal(SIGPIPE, SIG_IGN);
	signal(SIGTTOU, SIG_IGN);
	signal(SIGTTIN, SIG_IGN);
	return 0;
}

/* ---- output files --------------------------------------------------- */

static int mkdir_p(const char *dir)
{
	char *p, *copy = strdup(dir);
	int ret = 0;

	if (!copy)
		return -1;
	for (p = copy + 1; ; p++) {
		if (*p && *p != '/')
			continue;
		char c = *p;

		*p = '\0';
		if (mkdir(copy, 0755) && errno != EEXIST) {
			ret = -1;
			break;
		}
		*p = c;
		if (!c)
			break;
	}
	free(copy);
	if (!ret) {
		struct stat st;

		if (stat(dir, &st) || !S_ISDIR(st.st_mode)) {
			errno = ENOTDIR;
			ret = -1;
		}
	}
	return ret;
}

static char *cat2(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	char *s = malloc(la + lb + 1);

	if (s) {
		memcpy(s, a, la);
		memcpy(s + la, b, lb + 1);
	}
	return s;
}

/* Remove snapshots of an earlier recording under the same name. */
static void clear_old_snapshots(int dir)
{
	int fd = dup(dir);
	DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
	struct dirent *e;

	if (!d) {
		if (fd >= 0)
			close(fd);
		return;
	}
	while ((e = readdir(d))) {
		int pid;
		unsigned int seq;
		char end;

		if (sscanf(e->d_name, "%d.%u.map%c", &pid, &seq, &end) == 3 &&
		    end == 's')
			unlinkat(dir, e->d_name, 0);
	}
	closedir(d);
}

static FILE *open_out(const char *prefix, const char *suffix)
{
	char *name = cat2(prefix, suffix);
	FILE *f = name ? fopen(name, "we") : NULL;

	if (!f)
		rec_error("cannot create %s: %s", name ? name : suffix,
			  strerror(errno));
	free(name);
	return f;
}

static int open_outputs(struct recorder *r)
{
	char *dir = strdup(r->out_prefix);
	char *slash = dir ? strrchr(dir, '/') : NULL;

	if (!dir)
		return -1;
	if (slash && slash != dir) {
		*slash = '\0';
		if (mkdir_p(dir)) {
			rec_error("cannot create directory %s: %s", dir,
				  strerror(errno));
			free(dir);
			return -1;
		}
	}
	free(dir);
	r->maps_dir_name = cat2(r->out_prefix, ".maps");
	if (!r->maps_dir_name)
		return -1;
	if (mkdir(r->maps_dir_name, 0755) && errno != EEXIST) {
		rec_error("cannot create directory %s: %s", r->maps_dir_name,
			  strerror(errno));
		return -1;
	}
	r->maps_dir = open(r->maps_dir_name, O_RDONLY | O_DIRECTORY |
			   O_CLOEXEC);
	if (r->maps_dir < 0) {
		rec_error("cannot open directory %s: %s", r->maps_dir_name,
			  strerror(errno));
		return -1;
	}
	clear_old_snapshots(r->maps_dir);
	r->log = open_out(r->out_prefix, ".strace");
	r->index = r->log ? open_out(r->out_prefix, ".index") : NULL;
	return r->log && r->index ? 0 : -1;
}

/* A value of NAME.meta: one line, control characters escaped. */
static void meta_value(FILE *f, const char *s)
{
	for (; *s; s++) {
		unsigned char c = *s;

		if (c == '\\')
			fputs("\\\\", f);
		else if (c == '\n')
			fputs("\\n", f);
		else if (c < ' ' || c == 0x7f)
			fprintf(f, "\\%03o", c);
		else
			fputc(c, f);
	}
}

static int write_meta(struct recorder *r)
{
	FILE *f = open_out(r->out_prefix, ".meta");
	struct utsname u;
	unsigned int i;
	char sig[16];
	char **a;

	if (!f)
		return -1;
	fprintf(f, "root_pid=%d\ncommand=", r->root_pid);
	for (a = r->cmd; *a; a++) {
		if (a != r->cmd)
			fputc(' ', f);
		meta_value(f, *a);
	}
	fprintf(f, "\nkernel=%s\n", uname(&u) ? "unknown" : u.release);
	fprintf(f, "recorder=vmasim %s\n", VMASIM_VERSION);
	fprintf(f, "snapshot_every=%lu\n", r->snap_every);
	fputs("snapshot_seq=per-pid\n", f);
	fputs("format=strace-6.1 -f -y\n", f);
	fputs("trace=" TRACE_LIST "\n", f);
	for (i = 0; i < r->nmeta; i++)
		fprintf(f, "%s\n", r->meta[i]);
	if (r->exit_signal)
		fprintf(f, "killed_by=%s\n",
			rec_signame(r->exit_signal, sig, sizeof(sig)));
	else
		fprintf(f, "exit_status=%d\n", r->exit_code);
	if (fclose(f)) {
		rec_error("cannot write %s.meta: %s", r->out_prefix,
			  strerror(errno));
		return -1;
	}
	return 0;
}

static int close_outputs(struct recorder *r)
{
	int ret = r->write_error ? -1 : 0;

	if (!r->log && !r->index && r->maps_dir < 0)
		return 0;

	if (r->log && fclose(r->log))
		ret = -1;
	if (r->index && fclose(r->index))
		ret = -1;
	r->log = NULL;
	r->index = NULL;
	if (ret)
		rec_error("cannot write the recording %s: %s", r->out_prefix,
			  errno ? strerror(errno) : "write error");
	if (r->maps_dir >= 0)
		close(r->maps_dir);
	r->maps_dir = -1;
	return ret;
}

static void free_recorder(struct recorder *r)
{
	while (r->ntr)
		drop_tracee(r, r->tr[0]);
	free(r->tr);
	free(r->seq);
	free(r->maps_buf);
	free(r->maps_dir_name);
	rec_text_free(&r->text);
}

/* ---- the command ---------------------------------------------------- */

static int parse_args(struct recorder *r, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "snapshot-every", required_argument, NULL, 's' },
		{ "meta", required_argument, NULL, 'm' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	char *end;
	int c;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+o:s:m:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'o':
			r->out_prefix = optarg;
			break;
		case 's':
			errno = 0;
			r->snap_every = strtoul(optarg, &end, 10);
			if (errno || *end || !*optarg || optarg[0] == '-') {
				rec_error("-s wants a number, not '%s'", optarg);
				return 2;
			}
			break;
		case 'm':
			if (!strchr(optarg, '=') || optarg[0] == '=' ||
			    strchr(optarg, '\n') || r->nmeta == 16) {
				rec_error("--meta wants KEY=VALUE on one line (at "
					  "most 16), not '%s'", optarg);
				return 2;
			}
			r->meta[r->nmeta++] = optarg;
			break;
		case 'h':
			record_usage(stdout);
			return fflush(stdout) ? 1 : 0;
		default:
			rec_error("unknown option or missing argument: '%s'",
				  argv[optind - 1]);
			usage_hint();
			return 2;
		}
	}
	if (!r->out_prefix || optind >= argc) {
		rec_error(!r->out_prefix ? "-o OUT/NAME is required"
					 : "no command to run");
		usage_hint();
		return 2;
	}
	end = strrchr(r->out_prefix, '/');
	if (!*(end ? end + 1 : r->out_prefix)) {
		rec_error("-o '%s' has no NAME after its directory",
			  r->out_prefix);
		usage_hint();
		return 2;
	}
	r->cmd = argv + optind;
	return -1;
}

/**
 * cmd_record - run `vmasim record -o OUT/NAME [-s N] -- CMD [ARGS...]`.
 * @argc: number of arguments, counting "record" itself
 * @argv: the arguments, argv[0] being "record"
 *
 * Return: the exit status of CMD (128 + signal number when a signal
 * killed it), 1 when the recording could not be made, 2 on a usage error.
 */
int cmd_record(int argc, char **argv)
{
	struct recorder r = { .maps_dir = -1 };
	char *path;
	int ret = parse_args(&r, argc, argv);

	if (ret >= 0)
		return ret;
	path = resolve_command(r.cmd[0]);
	if (!path) {
		rec_error("cannot find executable '%s'", r.cmd[0]);
		return 1;
	}
	if (!executable_file(path) && access(path, F_OK)) {
		rec_error("cannot stat '%s': %s", path, strerror(errno));
		free(path);
		return 1;
	}
	ret = 1;
	if (open_outputs(&r) || start_command(&r, path))
		goto out;
	if (event_loop(&r))
		goto out;
	if (close_outputs(&r) || write_meta(&r))
		goto out;
	ret = r.exit_signal ? 128 + r.exit_signal : r.exit_code;
out:
	close_outputs(&r);
	free_recorder(&r);
	free(path);
	return ret;
}
