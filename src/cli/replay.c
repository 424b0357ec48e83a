/* SPDX-License-Identifier: MIT */
/*
 * replay.c - the replay engine: a strace log read as a stream of events,
 * each applied to the simulated system (src/mm) in log order.
 *
 * DOC: How a log drives the simulator
 *
 *   log ──strace_next()──► event ──call_decode()──► sim_call
 *                                                      │
 *            snapshots of a recording (replay_snap.c)  │ call_apply()
 *            are loaded or compared between events     ▼
 *                                                 src/mm result
 *                                                      │
 *              compared with the logged result ◄───────┘
 *
 * Events are applied when they complete (the line with the result), as
 * the kernel applied them.  A process first seen in the log gets an empty
 * address space; a successful execve gives it a fresh one, filled from
 * the recording's exec snapshot when there is one.  What the log reveals
 * but the simulator cannot know is calibrated from the log itself:
 *  - mmap_base: from the exec snapshot (the top of the mmap area), else
 *    from the first top-down mmap whose address differs;
 *  - the start of the heap: from the exec snapshot's [heap], else from
 *    the first brk(NULL);
 *  - in lenient mode, regions a call uses that nothing created (the
 *    program and loader an exec maps, absent from a plain log) become
 *    placeholder anonymous VMAs, and descriptors used but never opened
 *    become placeholder descriptions of the -y path.  All are counted.
 *
 * A memory call's result that differs from the log's is reported and then
 * followed: the simulator's mapping is moved to (or created at, or removed
 * from) where the kernel put it, so that one difference does not cascade
 * into every later address.  Descriptor and clone calls always follow the
 * log (apply.c).
 *
 * An strace -ff set is merged by timestamp (-t, -tt or -ttt), one parser
 * per file with the pid taken from the file's suffix.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <dirent.h>
#include <libgen.h>

#include "replay_internal.h"

#define PAGE_SIZE_	4096UL
#define PAGE_ALIGN_(x)	(((x) + PAGE_SIZE_ - 1) & ~(PAGE_SIZE_ - 1))
#define PROGRESS_EVERY	4096

/*
 * mmap_base of a process the log never shows exec'ing: where x86-64 puts
 * it with ASLR off and an 8 MiB stack limit (TASK_SIZE - 128 MiB gap).
 */
#define REPLAY_MMAP_BASE	0x7ffff7fff000UL

/* ---- processes ------------------------------------------------------- */

/**
 * replay_proc_get() - the replay's record of a pid, made on first use.
 * @r: the replay
 * @pid: the pid
 *
 * Return: the record, or NULL without memory.
 */
struct replay_proc *replay_proc_get(struct replay *r, int pid)
{
	unsigned int b = (unsigned int)pid % REPLAY_PROC_BUCKETS;
	struct replay_proc *p;

	for (p = r->procs[b]; p; p = p->next)
		if (p->pid == pid)
			return p;
	p = calloc(1, sizeof(*p));
	if (!p)
		return NULL;
	p->pid = pid;
	p->next = r->procs[b];
	r->procs[b] = p;
	return p;
}

static void procs_free(struct replay *r)
{
	struct replay_proc *p, *n;
	unsigned int b;

	for (b = 0; b < REPLAY_PROC_BUCKETS; b++)
		for (p = r->procs[b]; p; p = n) {
			n = p->next;
			free(p);
		}
}

/* The addresses a memory call used: its range, and where the result went. */
static void call_range(const struct sim_call *c, long logged,
		       unsigned long *lo, unsigned long *hi)
{
	const unsigned long *a = c->arg;
	unsigned long len = c->nr == CALL_MREMAP ? a[2] : a[1];

	*lo = *hi = 0;
	if (call_class(c->nr) != CALL_CLASS_MEMORY || c->nr == CALL_MLOCKALL ||
	    c->nr == CALL_MUNLOCKALL)
		return;
	if (c->nr == CALL_BRK) {
		*lo = *hi = (unsigned long)logged;
		*hi += 1;
		return;
	}
	*lo = a[0];
	*hi = a[0] + a[1];	/* mremap: the old range */
	if ((c->nr == CALL_MMAP || c->nr == CALL_MREMAP) && logged > 0) {
		if ((unsigned long)logged < *lo || !*lo)
			*lo = (unsigned long)logged;
		if ((unsigned long)logged + len > *hi)
			*hi = (unsigned long)logged + len;
	}
}

/* Remember a log line for the "lines that led there" of a divergence. */
static void ring_push(struct replay *r, int pid, const struct strace_event *ev,
		      const char *file, const struct sim_call *c, long logged)
{
	struct replay_proc *p = replay_proc_get(r, pid);
	const char *args = ev->args ? ev->args : "";
	unsigned int at;
	char *slot;

	if (!p)
		return;
	at = p->ring_head++ % REPLAY_RING;
	call_range(c, logged, &p->ring[at].lo, &p->ring[at].hi);
	slot = p->ring[at].text;
	if (ev->errname[0])
		snprintf(slot, REPLAY_RING_LEN, "%s:%lu: %u %s(%s) = -1 %s",
			 file, ev->line, ev->pid, ev->name, args, ev->errname);
	else if (ev->ret < 0 || ev->ret > 0xffff)
		snprintf(slot, REPLAY_RING_LEN, "%s:%lu: %u %s(%s) = %#lx",
			 file, ev->line, ev->pid, ev->name, args,
			 (unsigned long)ev->ret);
	else
		snprintf(slot, REPLAY_RING_LEN, "%s:%lu: %u %s(%s) = %ld",
			 file, ev->line, ev->pid, ev->name, args, ev->ret);
}

/**
 * replay_print_ring() - the log lines of a process that led to a layout:
 * the last ones whose calls used addresses in [@lo, @hi), or if none did
 * (or the range is empty), its last lines; oldest first.
 * @r: the replay
 * @out: the stream
 * @pid: the process (thread group) id
 * @lo: first address of interest
 * @hi: end of the range (exclusive)
 */
void replay_print_ring(struct replay *r, FILE *out, int pid,
		       unsigned long lo, unsigned long hi)
{
	struct replay_proc *p = replay_proc_get(r, pid);
	unsigned int i, n, first, shown = 0, pick[REPLAY_RING_SHOWN];
	bool by_range = lo < hi;

	if (!p || !p->ring_head)
		return;
	n = p->ring_head < REPLAY_RING ? p->ring_head : REPLAY_RING;
	first = p->ring_head - n;
again:
	/* newest first into pick[], then printed oldest first */
	for (i = p->ring_head; i != first && shown < REPLAY_RING_SHOWN; i--) {
		unsigned int at = (i - 1) % REPLAY_RING;

		if (by_range && (p->ring[at].hi <= lo || p->ring[at].lo >= hi))
			continue;
		pick[shown++] = at;
	}
	if (!shown && by_range) {
		by_range = false;
		goto again;
	}
	fprintf(out, "log lines of process %d (any of its threads) that led "
		"there%s:\n", pid, by_range ? ", those on the range that differs" :
		"");
	while (shown)
		fprintf(out, "  %s\n", p->ring[pick[--shown]].text);
}

/**
 * replay_show_maps() - a task's layout as /proc/PID/maps text.
 * @t: the task
 * @text: the text, malloc'd
 * @len: its length
 *
 * Return: 0 or -ENOMEM.
 */
int replay_show_maps(struct task *t, char **text, size_t *len)
{
	*len = 0;
	*text = mm_maps_text(vm_task_mm(t), len);
	return *text ? 0 : -ENOMEM;
}

/**
 * replay_early_child() - a child whose first line (or fork snapshot) comes
 * before its parent's clone returned, as a vfork child's always does: the
 * parent is the task with a clone-family call still <unfinished ...>, the
 * latest one if there are several.
 * @r: the replay
 * @pid: the child's pid
 *
 * Return: the new task, or NULL if no clone is in flight (or no memory).
 */
struct task *replay_early_child(struct replay *r, int pid)
{
	const struct strace_pending *best = NULL, *pd;
	unsigned long flags;
	struct replay_proc *p;
	struct task *parent;
	unsigned int i, j;

	for (i = 0; i < r->nr_inputs; i++) {
		for (j = 0; j < r->inputs[i].parser.npending; j++) {
			pd = &r->inputs[i].parser.pending[j];
			if (call_clone_flags(pd->name, pd->prefix ? pd->prefix : "",
					     &flags))
				continue;
			if (!best || pd->line > best->line)
				best = pd;
		}
	}
	if (!best)
		return NULL;
	parent = vm_task_find(r->sim, (int)best->tid);
	if (!parent ||
	    call_clone_flags(best->name, best->prefix ? best->prefix : "",
			     &flags) ||
	    sys_clone(parent, pid, flags) != pid)
		return NULL;
	p = replay_proc_get(r, pid);
	if (p)
		p->early_child = true;
	r->early_children++;
	r->processes++;
	return vm_task_find(r->sim, pid);
}

/*
 * The task of a pid: an early child (above), or, for a pid the log never
 * shows created (the first process), an empty one.
 */
static struct task *task_get(struct replay *r, int pid)
{
	struct task *t = vm_task_find(r->sim, pid);

	if (t)
		return t;
	t = replay_early_child(r, pid);
	if (t)
		return t;
	t = vm_task_create(r->sim, pid, REPLAY_MMAP_BASE, false);
	if (t)
		r->processes++;
	return t;
}

static void write_maps_out(struct replay *r, struct task *t)
{
	char path[PATH_MAX], *text;
	size_t len;
	FILE *f;

	if (!r->opts->maps_out || replay_show_maps(t, &text, &len))
		return;
	snprintf(path, sizeof(path), "%s/%d.maps", r->opts->maps_out,
		 vm_task_pid(t));
	f = fopen(path, "w");
	if (f) {
		bool ok = fwrite(text, 1, len, f) == len;

		if (fclose(f) || !ok)
			f = NULL;
	}
	if (!f) {
		fprintf(stderr, "vmasim: cannot write %s: %s\n", path,
			strerror(errno));
		r->status = 1;
	}
	free(text);
}

/*
 * A process (not a thread) is ending: its layout goes to --maps-out, and
 * to the statistics.
 */
static void process_ends(struct replay *r, struct task *t)
{
	if (vm_task_pid(t) != vm_task_tgid(t))
		return;
	write_maps_out(r, t);
	replay_record_final(r, t);
	if (vm_task_pid(t) == (r->opts->show_pid ? r->opts->show_pid :
			       r->root_pid) && r->opts->print_maps) {
		free(r->root_maps);
		replay_show_maps(t, &r->root_maps, &r->root_maps_len);
	}
}

/* A clone-family call returned @logged: the child, unless made early. */
static void clone_call(struct replay *r, struct replay_input *in,
		       const struct strace_event *ev, struct task *t,
		       const struct sim_call *c, long logged)
{
	struct replay_proc *p;
	long sim;

	struct task *stale;

	stale = logged > 0 ? vm_task_find(r->sim, (int)logged) : NULL;
	if (stale) {
		p = replay_proc_get(r, (int)logged);
		if (p && p->early_child) {
			p->early_child = false;
			return;
		}
		/*
		 * The kernel gave out a pid the simulator still holds: that
		 * process ended without the log saying so (a detach, a cut
		 * log).  End it now.
		 */
		if (stale != t) {
			process_ends(r, stale);
			sys_exit(stale);
			r->stale_tasks++;
		}
	}
	sim = call_apply(t, c, logged, &r->apply);
	if (logged > 0 && sim != logged) {
		fprintf(stderr, "%s:%lu: %s: cannot create pid %ld: %s\n",
			in->name, ev->line, ev->name, logged,
			strerror((int)-sim));
		r->status = 1;
	} else if (logged > 0) {
		r->processes++;
	}
}

/* ---- reporting differences ----------------------------------------- */

static void print_layout_around(struct task *t, unsigned long addr,
				FILE *out)
{
	char *text, *p, *nl;
	size_t len, i, n = 0, hit = 0;
	unsigned long start;
	char *lines[4096];

	if (replay_show_maps(t, &text, &len))
		return;
	for (p = text; *p && n < 4096; p = nl + 1) {
		nl = strchr(p, '\n');
		if (!nl)
			break;
		*nl = '\0';
		lines[n] = p;
		start = strtoul(p, NULL, 16);
		if (start <= addr)
			hit = n;
		n++;
	}
	for (i = hit > 3 ? hit - 3 : 0; i < n && i <= hit + 3; i++)
		fprintf(out, "    %s\n", lines[i]);
	free(text);
}

static void report_result(struct replay *r, struct replay_input *in,
			  const struct strace_event *ev,
			  const struct sim_call *c, long logged, long sim,
			  struct task *t)
{
	FILE *out = stderr;

	if (r->mismatches_reported++ >= r->opts->max_reports && !r->opts->strict)
		return;
	fprintf(out, "%s:%lu: pid %u: %s returned ", in->name, ev->line,
		ev->pid, call_name(c->nr));
	if (logged < 0 && logged > -4096)
		fprintf(out, "%s", ev->errname[0] ? ev->errname : "an error");
	else
		fprintf(out, "%#lx", (unsigned long)logged);
	fprintf(out, " in the log but ");
	if (sim < 0 && sim > -4096)
		fprintf(out, "-%ld (%s)", -sim, strerror((int)-sim));
	else
		fprintf(out, "%#lx", (unsigned long)sim);
	fprintf(out, " in the simulator\n");
	if (!r->opts->strict)
		return;
	fprintf(out, "  the line: %s(%s)\n", ev->name, ev->args);
	fprintf(out, "  simulated layout around %#lx after the call:\n",
		c->arg[0]);
	print_layout_around(t, c->arg[0], out);
	if (logged >= 0 || logged <= -4096) {
		fprintf(out, "  simulated layout around the logged result %#lx:\n",
			(unsigned long)logged);
		print_layout_around(t, (unsigned long)logged, out);
	}
	replay_print_ring(r, out, vm_task_tgid(t), 0, 0);
}

/* ---- memory calls ---------------------------------------------------- */

static bool is_error(long v)
{
	return v < 0 && v >= -4095;
}

/*
 * Fill the holes of [start, end) with placeholder anonymous VMAs; with
 * @first_only, only a hole at @start.
 */
static void fill_holes(struct replay *r, struct task *t, unsigned long start,
		       unsigned long end, unsigned long prot, bool first_only)
{
	struct mm_struct *mm = vm_task_mm(t);
	unsigned long holes[64][2], at = start;
	struct vm_area_struct *vma;
	unsigned int n = 0, i;

	if (!r->opts->lenient || start >= end)
		return;
	mmap_read_lock(mm);
	{
		VMA_ITERATOR(vmi, mm, start);

		while (at < end && n < 64) {
			vma = vma_find(&vmi, end);
			if (!vma) {
				holes[n][0] = at;
				holes[n++][1] = end;
				break;
			}
			if (vma->vm_start > at) {
				holes[n][0] = at;
				holes[n++][1] = vma->vm_start;
			}
			if (first_only)
				break;
			at = vma->vm_end;
		}
	}
	mmap_read_unlock(mm);
	for (i = 0; i < n; i++) {
		if (sys_mmap(t, holes[i][0], holes[i][1] - holes[i][0], prot,
			     MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) ==
		    (long)holes[i][0])
			r->placeholder_vmas++;
	}
}

/* Lenient mode: what must exist for the logged success to make sense. */
static void prepare_memory(struct replay *r, struct task *t,
			   const struct sim_call *c, long logged)
{
	const unsigned long *a = c->arg;
	unsigned long start = a[0] & ~(PAGE_SIZE_ - 1);

	if (is_error(logged))
		return;
	switch (c->nr) {
	case CALL_MPROTECT:
	case CALL_PKEY_MPROTECT:
		fill_holes(r, t, start, PAGE_ALIGN_(a[0] + a[1]), a[2] & 7,
			   false);
		break;
	case CALL_MADVISE:
	case CALL_MLOCK:
	case CALL_MLOCK2:
	case CALL_MUNLOCK:
	case CALL_MSEAL:
		fill_holes(r, t, start, PAGE_ALIGN_(a[0] + a[1]),
			   PROT_READ | PROT_WRITE, false);
		break;
	case CALL_MREMAP:
		/*
		 * A pure move (MREMAP_FIXED, same size) may span several VMAs
		 * and the holes between them (6.17+): only its start must be
		 * mapped.
		 */
		fill_holes(r, t, start, PAGE_ALIGN_(a[0] + a[1]),
			   PROT_READ | PROT_WRITE,
			   (a[3] & MREMAP_FIXED) && a[1] == a[2]);
		break;
	default:
		break;
	}
}

/* brk(NULL) of a heap nobody told us about: the log says where it is. */
static void calibrate_brk(struct replay *r, struct task *t,
			  const struct sim_call *c, long logged)
{
	struct replay_proc *p = replay_proc_get(r, vm_task_tgid(t));
	struct mm_struct *mm = vm_task_mm(t);

	if (!p || p->brk_known || c->arg[0] || is_error(logged))
		return;
	p->brk_known = true;
	mmap_write_lock(mm);
	if (mm->brk == mm->start_brk && mm->brk != (unsigned long)logged) {
		mm->start_brk = (unsigned long)logged;
		mm->brk = (unsigned long)logged;
		r->calibrations++;
	}
	mmap_write_unlock(mm);
}

/*
 * The first top-down mmap after an exec that lands elsewhere than the
 * kernel's: move mmap_base so that it lands there, and redo it.
 */
static long calibrate_base(struct replay *r, struct task *t,
			   const struct sim_call *c, long logged, long sim)
{
	struct replay_proc *p = replay_proc_get(r, vm_task_tgid(t));
	struct mm_struct *mm = vm_task_mm(t);
	const unsigned long *a = c->arg;

	if (!p || p->base_known)
		return sim;
	if (c->nr != CALL_MMAP || a[0] || (a[3] & (MAP_FIXED |
		MAP_FIXED_NOREPLACE | MAP_32BIT)) || is_error(logged))
		return sim;
	p->base_known = true;
	if (sim == logged || mm->legacy_layout)
		return sim;
	if (!is_error(sim))
		sys_munmap(t, (unsigned long)sim, a[1]);
	mmap_write_lock(mm);
	mm->mmap_base = (unsigned long)logged + PAGE_ALIGN_(a[1]);
	mmap_write_unlock(mm);
	r->calibrations++;
	return call_apply(t, c, logged, &r->apply);
}

/*
 * Follow the log after a differing result, so that the difference does
 * not shift every later address: the simulator's mapping is put where
 * the kernel's went, or removed if the kernel refused the call.
 */
static void resync(struct replay *r, struct task *t, const struct sim_call *c,
		   long logged, long sim)
{
	const unsigned long *a = c->arg;
	struct sim_call fixed = *c;
	long ret;

	if (c->nr == CALL_MMAP) {
		if (is_error(logged)) {
			if (!is_error(sim) && !(a[3] & MAP_FIXED))
				sys_munmap(t, (unsigned long)sim, a[1]);
			r->resyncs++;
			return;
		}
		if (!is_error(sim) && !(a[3] & MAP_FIXED))
			sys_munmap(t, (unsigned long)sim, a[1]);
		fixed.arg[0] = (unsigned long)logged;
		fixed.arg[3] = (a[3] & ~MAP_FIXED_NOREPLACE) | MAP_FIXED;
		ret = call_apply(t, &fixed, logged, &r->apply);
		if (ret == logged)
			r->resyncs++;
		return;
	}
	if (c->nr == CALL_MREMAP && !is_error(logged) && !is_error(sim) &&
	    logged != sim) {
		ret = sys_mremap(t, (unsigned long)sim, a[2], a[2],
				 MREMAP_MAYMOVE | MREMAP_FIXED,
				 (unsigned long)logged);
		if (ret == logged)
			r->resyncs++;
	}
}

/*
 * Whether another thread of @t's process had a memory call in flight
 * (<unfinished ...>) when this one completed: then the kernel may have
 * run the two in either order, and a log cannot tell which.
 */
static bool concurrent_call(struct replay *r, struct task *t)
{
	const struct strace_pending *pd;
	struct task *other;
	unsigned int i, j;

	for (i = 0; i < r->nr_inputs; i++) {
		for (j = 0; j < r->inputs[i].parser.npending; j++) {
			pd = &r->inputs[i].parser.pending[j];
			if ((int)pd->tid == vm_task_pid(t) ||
			    call_class(call_lookup(pd->name)) != CALL_CLASS_MEMORY)
				continue;
			other = vm_task_find(r->sim, (int)pd->tid);
			if (other && vm_task_mm(other) == vm_task_mm(t))
				return true;
		}
	}
	return false;
}

static void memory_call(struct replay *r, struct replay_input *in,
			const struct strace_event *ev, struct task *t,
			const struct sim_call *c, long logged)
{
	struct replay_call_stats *cs = &r->calls[c->nr];
	long sim;

	if (c->nr == CALL_SHMAT || c->nr == CALL_SHMDT) {
		cs->not_applied++;
		return;
	}
	prepare_memory(r, t, c, logged);
	if (c->nr == CALL_BRK)
		calibrate_brk(r, t, c, logged);
	sim = call_apply(t, c, logged, &r->apply);
	sim = calibrate_base(r, t, c, logged, sim);
	cs->compared++;
	if (sim == logged) {
		cs->matched++;
		return;
	}
	if (concurrent_call(r, t))
		r->concurrent_mismatches++;
	report_result(r, in, ev, c, logged, sim, t);
	if (r->opts->strict) {
		r->stop = true;
		r->status = 1;
		return;
	}
	resync(r, t, c, logged, sim);
}

/* ---- process calls ------------------------------------------------- */

static void exec_call(struct replay *r, struct task *t, unsigned long line)
{
	struct replay_proc *p;
	long ret;

	ret = sys_execve(t);
	if (ret) {
		fprintf(stderr, "vmasim: execve at line %lu: %s\n", line,
			strerror((int)-ret));
		r->status = 1;
		return;
	}
	r->execs++;
	p = replay_proc_get(r, vm_task_pid(t));
	if (p) {
		p->base_known = false;
		p->brk_known = false;
		p->from_snapshot = false;
	}
	if (r->recording)
		replay_snap_exec(r, t, line);
}

static void exit_group_call(struct replay *r, struct task *t)
{
	struct task *leader = vm_task_find(r->sim, vm_task_tgid(t));

	process_ends(r, leader ? leader : t);
	sys_exit_group(t);
}

static void syscall_event(struct replay *r, struct replay_input *in,
			  struct strace_event *ev)
{
	struct sim_call c;
	char err[256];
	struct task *t;
	long logged;
	int e;

	if (call_decode(ev, &c, err, sizeof(err))) {
		fprintf(stderr, "%s:%lu: %s\n", in->name, ev->line, err);
		r->status = 1;
		return;
	}
	if (r->opts->parse_only) {
		r->calls[c.nr].calls++;
		return;
	}
	if (c.nr == CALL_UNKNOWN) {
		unsigned int i;

		for (i = 0; i < r->nr_unknown; i++)
			if (!strcmp(r->unknown[i].name, ev->name))
				break;
		if (i == r->nr_unknown && i < REPLAY_MAX_UNKNOWN)
			snprintf(r->unknown[r->nr_unknown++].name,
				 STRACE_NAME_LEN, "%s", ev->name);
		if (i < r->nr_unknown)
			r->unknown[i].count++;
		else
			r->unknown_other++;
		return;
	}
	r->calls[c.nr].calls++;
	t = task_get(r, (int)ev->pid);
	if (!t) {
		fprintf(stderr, "%s:%lu: no memory for pid %u\n", in->name,
			ev->line, ev->pid);
		r->status = 1;
		r->stop = true;
		return;
	}
	if (c.nr == CALL_EXIT_GROUP) {
		exit_group_call(r, t);
		return;
	}
	if (c.nr == CALL_EXIT) {
		if (vm_task_pid(t) == vm_task_tgid(t))
			process_ends(r, t);
		sys_exit(t);
		return;
	}
	if (ev->ret_unknown) {
		r->calls[c.nr].not_applied++;
		return;
	}
	logged = ev->ret;
	if (ev->errname[0]) {
		e = call_errno(ev->errname);
		logged = e ? -e : -1;
		r->calls[c.nr].failed++;
	}
	/* the process's ring: any of its threads may have led somewhere */
	ring_push(r, vm_task_tgid(t), ev, in->name, &c, logged);
	switch (call_class(c.nr)) {
	case CALL_CLASS_MEMORY:
		memory_call(r, in, ev, t, &c, logged);
		break;
	case CALL_CLASS_FILE:
		call_apply(t, &c, logged, &r->apply);
		break;
	default:
		if (c.nr == CALL_EXECVE || c.nr == CALL_EXECVEAT) {
			if (!logged)
				exec_call(r, t, ev->line);
			break;
		}
		clone_call(r, in, ev, t, &c, logged);
	}
}

static void exit_event(struct replay *r, const struct strace_event *ev)
{
	struct task *t = vm_task_find(r->sim, (int)ev->pid);

	r->exits++;
	if (!t)
		return;
	if (ev->kind == STRACE_KILLED) {
		exit_group_call(r, t);
		return;
	}
	if (vm_task_pid(t) == vm_task_tgid(t))
		process_ends(r, t);
	sys_exit(t);
}

static void handle_event(struct replay *r, struct replay_input *in,
			 struct strace_event *ev)
{
	r->events++;
	switch (ev->kind) {
	case STRACE_SYSCALL:
		syscall_event(r, in, ev);
		break;
	case STRACE_SIGNAL:
		r->signals++;
		break;
	case STRACE_EXITED:
	case STRACE_KILLED:
		exit_event(r, ev);
		break;
	case STRACE_SUPERSEDED:
		break;
	case STRACE_INCOMPLETE:
		r->incomplete++;
		break;
	}
}

/* ---- inputs ---------------------------------------------------------- */

static bool file_exists(const char *path)
{
	struct stat st;

	return !stat(path, &st) && S_ISREG(st.st_mode);
}

static int input_open(struct replay *r, const char *path, unsigned int pid)
{
	struct replay_input *in;
	void *mem;

	mem = realloc(r->inputs, (r->nr_inputs + 1) * sizeof(*r->inputs));
	if (!mem)
		return -ENOMEM;
	r->inputs = mem;
	in = &r->inputs[r->nr_inputs];
	memset(in, 0, sizeof(*in));
	in->name = strdup(path);
	in->file = fopen(path, "r");
	if (!in->name || !in->file) {
		fprintf(stderr, "vmasim: cannot open %s: %s\n", path,
			strerror(errno));
		if (in->file)
			fclose(in->file);
		free(in->name);
		return -ENOENT;
	}
	strace_parser_init(&in->parser, in->file, in->name, pid);
	r->nr_inputs++;
	return 0;
}

/* PREFIX.PID siblings of an strace -ff file: 1 if found and opened. */
static int open_ff_set(struct replay *r, const char *path)
{
	char dirbuf[PATH_MAX], basebuf[PATH_MAX], full[PATH_MAX * 2];
	const char *dot = strrchr(path, '.'), *dir, *base;
	size_t plen;
	struct dirent *de;
	char *end;
	DIR *d;
	int n = 0, ret;

	if (!dot || !dot[1] || strtoul(dot + 1, &end, 10) == 0 || *end)
		return 0;
	snprintf(dirbuf, sizeof(dirbuf), "%s", path);
	snprintf(basebuf, sizeof(basebuf), "%.*s", (int)(dot - path), path);
	dir = dirname(dirbuf);
	base = basename(basebuf);
	plen = strlen(base);
	d = opendir(dir);
	if (!d)
		return 0;
	while ((de = readdir(d)) != NULL) {
		unsigned long pid;

		if (strncmp(de->d_name, base, plen) || de->d_name[plen] != '.')
			continue;
		pid = strtoul(de->d_name + plen + 1, &end, 10);
		if (!pid || *end || pid > INT_MAX)
			continue;
		snprintf(full, sizeof(full), "%s/%s", dir, de->d_name);
		ret = input_open(r, full, (unsigned int)pid);
		if (ret) {
			closedir(d);
			return ret;
		}
		n++;
	}
	closedir(d);
	return n > 1 ? 1 : 0;
}

/*
 * What NAME.meta of a recording says: root_pid=, and fault_model= when
 * the recording knows how its pages were written (the scenario harness
 * makes every write fault a logged madvise(MADV_POPULATE_WRITE)).
 */
static void read_meta(struct replay *r)
{
	char path[PATH_MAX], line[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s.meta", r->rec_name);
	f = fopen(path, "r");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, "root_pid=", 9))
			r->root_pid = atoi(line + 9);
		else if (!r->opts->fault_model_given &&
			 !strcmp(line, "fault_model=none\n"))
			r->fault_model = VM_FAULT_NONE;
		else if (!r->opts->fault_model_given &&
			 !strcmp(line, "fault_model=write\n"))
			r->fault_model = VM_FAULT_ON_WRITE;
	fclose(f);
}

static int open_inputs(struct replay *r)
{
	const char *trace = r->opts->trace;
	char path[PATH_MAX];
	size_t n = strlen(trace);
	int ret;

	/* a recording, by NAME or by NAME.strace */
	snprintf(path, sizeof(path), "%s.strace", trace);
	if (file_exists(path)) {
		r->rec_name = strdup(trace);
	} else if (n > 7 && !strcmp(trace + n - 7, ".strace")) {
		snprintf(path, sizeof(path), "%.*s.index", (int)(n - 7), trace);
		if (file_exists(path))
			r->rec_name = strndup(trace, n - 7);
	}
	if (r->rec_name) {
		snprintf(path, sizeof(path), "%s.strace", r->rec_name);
		r->recording = true;
		read_meta(r);
		ret = input_open(r, path, 1);
		return ret ? ret : replay_snaps_load(r);
	}
	ret = open_ff_set(r, trace);
	if (ret < 0)
		return ret;
	if (ret > 0)
		return 0;
	while (r->nr_inputs) {
		struct replay_input *in = &r->inputs[--r->nr_inputs];

		strace_parser_release(&in->parser);
		fclose(in->file);
		free(in->name);
	}
	return input_open(r, trace, 1);
}

static void close_inputs(struct replay *r)
{
	unsigned int i;

	for (i = 0; i < r->nr_inputs; i++) {
		strace_parser_release(&r->inputs[i].parser);
		fclose(r->inputs[i].file);
		free(r->inputs[i].name);
	}
	free(r->inputs);
}

/* Read the next event of @in into in->ev; reports malformed lines. */
static void input_fill(struct replay *r, struct replay_input *in)
{
	int ret;

	while (!in->have && !in->done) {
		ret = strace_next(&in->parser, &in->ev);
		if (ret > 0) {
			in->have = true;
		} else if (ret == 0) {
			in->done = true;
		} else {
			fprintf(stderr, "%s\n", in->parser.error);
			r->status = 1;
			if (r->opts->strict)
				in->done = true;
		}
	}
}

/* The input whose next event comes first (-ff: by timestamp). */
static struct replay_input *next_input(struct replay *r)
{
	struct replay_input *best = NULL, *in;
	unsigned int i;

	for (i = 0; i < r->nr_inputs; i++) {
		in = &r->inputs[i];
		input_fill(r, in);
		if (!in->have)
			continue;
		if (!best || (in->ev.has_stamp && best->ev.has_stamp &&
			      in->ev.stamp_us < best->ev.stamp_us))
			best = in;
	}
	return best;
}

static long file_size(FILE *f)
{
	struct stat st;

	return fstat(fileno(f), &st) ? 0 : (long)st.st_size;
}

static void progress(struct replay *r, bool done)
{
	struct replay_input *in = &r->inputs[0];
	long size = file_size(in->file), at = ftell(in->file);

	if (done) {
		fprintf(stderr, "\r%*s\r", 60, "");
		return;
	}
	if (size <= 0 || at < 0)
		return;
	fprintf(stderr, "\rreplay: %3ld%% [%-30.*s] %lu lines", at * 100 / size,
		(int)(at * 30 / size), "##############################",
		in->parser.lineno);
}

/* ---- the run --------------------------------------------------------- */

static void end_all(struct replay *r)
{
	struct task *t;
	size_t i;

	/* processes still alive at the end of the log: their layout now */
	for (i = 0; (t = vm_sim_task(r->sim, i)) != NULL; i++)
		if (vm_task_pid(t) == vm_task_tgid(t))
			process_ends(r, t);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A clone-family call that returned a pid the simulator does not have. */
static bool creates_task(struct replay *r, const struct strace_event *ev)
{
	enum call_nr nr = call_lookup(ev->name);

	return ev->kind == STRACE_SYSCALL && ev->ret > 0 && !ev->errname[0] &&
	       !ev->ret_unknown &&
	       (nr == CALL_CLONE || nr == CALL_CLONE3 || nr == CALL_FORK ||
		nr == CALL_VFORK) &&
	       !vm_task_find(r->sim, (int)ev->ret);
}

static int run_loop(struct replay *r)
{
	struct replay_input *in;
	bool show = r->opts->progress && isatty(STDERR_FILENO) &&
		    r->nr_inputs == 1;

	while (!r->stop && (in = next_input(r)) != NULL) {
		in->have = false;
		if (!r->root_pid)
			r->root_pid = (int)in->ev.pid;
		/*
		 * A clone that creates a task goes before the snapshots taken
		 * while it was in flight: the child's fork snapshot among them
		 * needs the child, and nothing else the clone does shows.
		 */
		if (creates_task(r, &in->ev)) {
			handle_event(r, in, &in->ev);
			if (r->recording)
				replay_snaps_before(r, in->ev.line);
			continue;
		}
		if (r->recording && replay_snaps_before(r, in->ev.line))
			break;
		if (r->stop)
			break;
		handle_event(r, in, &in->ev);
		if (show && !(r->events % PROGRESS_EVERY))
			progress(r, false);
	}
	if (r->recording && !r->stop)
		replay_snaps_before(r, ULONG_MAX);
	if (show)
		progress(r, true);
	return 0;
}

/**
 * replay_run() - replay a log or a recording.
 * @opts: what and how
 * @out: where the final layout and the statistics go
 *
 * Malformed lines are reported on stderr as FILE:LINE: and skipped
 * (--strict stops there).
 *
 * Return: the exit status: 0 when every result (and with @opts->check
 * every snapshot) matched, or without --strict and check, when the log
 * was read whole; 1 otherwise.
 */
int replay_run(const struct replay_opts *opts, FILE *out)
{
	struct mm_limits limits;
	struct replay r;
	unsigned int i;
	double t0;
	int ret;

	memset(&r, 0, sizeof(r));
	r.opts = opts;
	r.out = out;
	r.apply.lenient = opts->lenient;
	r.fault_model = opts->fault_model;
	ret = open_inputs(&r);
	mm_limits_default(&limits);
	limits.fault_model = r.fault_model;
	r.sim = ret ? NULL : vm_sim_new(&limits);
	if (!r.sim) {
		if (!ret)
			fprintf(stderr, "vmasim: out of memory\n");
		close_inputs(&r);
		free(r.snaps);
		free(r.rec_name);
		return 1;
	}
	mt_get_global_stats(&r.tree_before);
	t0 = now();
	run_loop(&r);
	end_all(&r);
	r.seconds = now() - t0;
	for (i = 0; i < r.nr_inputs; i++)
		r.lines += r.inputs[i].parser.lineno;
	r.placeholder_files = r.apply.placeholder_files;

	if (r.mismatches_reported > opts->max_reports && !opts->strict)
		fprintf(stderr, "vmasim: %lu more differing results were not "
			"described (--max-reports)\n",
			r.mismatches_reported - opts->max_reports);
	if (opts->print_maps && !r.root_maps && opts->show_pid)
		fprintf(stderr, "vmasim: pid %d is not in the log\n",
			opts->show_pid);
	if (opts->print_maps && r.root_maps && !opts->json) {
		fprintf(out, "== final layout of pid %d ==\n",
			opts->show_pid ? opts->show_pid : r.root_pid);
		fwrite(r.root_maps, 1, r.root_maps_len, out);
		fputc('\n', out);
	}
	if (opts->json)
		replay_print_json(&r, out);
	else if (opts->check)
		replay_print_summary(&r, out);
	else
		replay_print_stats(&r, out);

	vm_sim_free(r.sim);
	close_inputs(&r);
	procs_free(&r);
	free(r.snaps);
	free(r.rec_name);
	free(r.root_maps);
	if (opts->check || opts->strict) {
		for (i = 0; i < NR_CALLS; i++)
			if (r.calls[i].compared != r.calls[i].matched)
				r.status = 1;
		if (r.snaps_compared != r.snaps_matched)
			r.status = 1;
	}
	return r.status;
}
