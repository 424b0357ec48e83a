/* SPDX-License-Identifier: MIT */
/*
 * replay_snap.c - the snapshots of a recording during a replay: reading
 * NAME.index, loading exec snapshots as a process's starting image, and
 * (for `check`) comparing fork, periodic and exit snapshots with the
 * simulated layout at their line.
 *
 * An index entry's line is the last log line written before the snapshot
 * was taken, so the snapshot applies after that line's event and before
 * the next one's.  An exec snapshot belongs to the execve on its line: it
 * is loaded when that execve is replayed, into the fresh address space.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "mapscmp.h"
#include "replay_internal.h"

static const char *const snap_kinds[] = { "exec", "fork", "periodic", "exit" };

static int snap_cmp(const void *a, const void *b)
{
	const struct replay_snap *x = a, *y = b;

	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	return x->index_line < y->index_line ? -1 :
	       x->index_line > y->index_line;
}

static bool known_kind(const char *kind)
{
	size_t i;

	for (i = 0; i < sizeof(snap_kinds) / sizeof(snap_kinds[0]); i++)
		if (!strcmp(kind, snap_kinds[i]))
			return true;
	return false;
}

/**
 * replay_snaps_load() - read NAME.index of a recording.
 * @r: the replay (r->rec_name set)
 *
 * Return: 0; -EINVAL for a malformed line (reported as FILE:LINE:);
 * -ENOMEM.  A missing index is an empty one.
 */
int replay_snaps_load(struct replay *r)
{
	char path[PATH_MAX], line[256], extra[2];
	unsigned long lineno = 0;
	size_t cap = 0;
	FILE *f;
	void *mem;

	snprintf(path, sizeof(path), "%s.index", r->rec_name);
	f = fopen(path, "r");
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f)) {
		struct replay_snap s = { 0 };

		lineno++;
		if (line[0] == '\n' || line[0] == '#')
			continue;
		if (sscanf(line, "%d %u %15s %lu %1s", &s.pid, &s.seq, s.kind,
			   &s.line, extra) != 4 || s.pid <= 0 ||
		    !known_kind(s.kind)) {
			fprintf(stderr, "%s:%lu: expected 'PID SEQ KIND LINE' "
				"with KIND exec, fork, periodic or exit\n",
				path, lineno);
			fclose(f);
			return -EINVAL;
		}
		s.index_line = lineno;
		if (r->nr_snaps == cap) {
			cap = cap ? 2 * cap : 64;
			mem = realloc(r->snaps, cap * sizeof(*r->snaps));
			if (!mem) {
				fclose(f);
				return -ENOMEM;
			}
			r->snaps = mem;
		}
		r->snaps[r->nr_snaps++] = s;
	}
	fclose(f);
	/* an index without entries leaves r->snaps NULL: no qsort(NULL) */
	if (r->nr_snaps)
		qsort(r->snaps, r->nr_snaps, sizeof(*r->snaps), snap_cmp);
	return 0;
}

static void snap_path(struct replay *r, const struct replay_snap *s,
		      char *path, size_t len)
{
	snprintf(path, len, "%s.maps/%d.%u.maps", r->rec_name, s->pid, s->seq);
}

/**
 * replay_calibrate_from_layout() - mmap_base from a loaded layout: the end
 * of the highest mapping below the stack, where the kernel put the
 * program interpreter top-down from mmap_base at exec.
 * @r: the replay
 * @t: the task, its layout just loaded
 */
void replay_calibrate_from_layout(struct replay *r, struct task *t)
{
	struct mm_struct *mm = vm_task_mm(t);
	struct vm_area_struct *vma, *stack = NULL;
	unsigned long base = 0;
	struct replay_proc *p;

	mmap_write_lock(mm);
	{
		VMA_ITERATOR(vmi, mm, 0);

		for_each_vma(vmi, vma)
			if (vma->vm_flags & VM_GROWSDOWN)
				stack = vma;
	}
	if (stack) {
		VMA_ITERATOR(vmi, mm, 0);

		for_each_vma(vmi, vma)
			if (vma->vm_end <= stack->vm_start && vma->vm_end > base)
				base = vma->vm_end;
	}
	if (base && !mm->legacy_layout)
		mm->mmap_base = base;
	mmap_write_unlock(mm);
	p = replay_proc_get(r, vm_task_pid(t));
	if (p) {
		p->base_known = base != 0;
		p->brk_known = mm->start_brk != 0;
		p->from_snapshot = true;
	}
}

/**
 * replay_snap_exec() - load the exec snapshot of an execve just replayed.
 * @r: the replay
 * @t: the task, with the fresh address space of sys_execve()
 * @line: the log line of the execve
 *
 * Return: 1 when a snapshot was loaded, 0 when there is none (the process
 * starts empty), -EINVAL when it cannot be read (reported).
 */
int replay_snap_exec(struct replay *r, struct task *t, unsigned long line)
{
	char path[PATH_MAX], *err = NULL;
	struct replay_snap *s;
	size_t i;
	FILE *f;
	int ret;

	for (i = r->next_snap; i < r->nr_snaps && r->snaps[i].line <= line; i++) {
		s = &r->snaps[i];
		if (s->line != line || s->pid != vm_task_pid(t) ||
		    strcmp(s->kind, "exec"))
			continue;
		s->kind[0] = '\0';	/* consumed */
		snap_path(r, s, path, sizeof(path));
		f = fopen(path, "r");
		if (!f) {
			fprintf(stderr, "vmasim: cannot open %s: %s\n", path,
				strerror(errno));
			r->status = 1;
			return -EINVAL;
		}
		ret = mm_load_maps(vm_task_mm(t), f, path, &err);
		fclose(f);
		if (ret) {
			fprintf(stderr, "%s\n", err ? err : path);
			free(err);
			r->status = 1;
			return -EINVAL;
		}
		r->snapshot_execs++;
		replay_calibrate_from_layout(r, t);
		return 1;
	}
	return 0;
}

static char *read_file(const char *path, size_t *len)
{
	char *text = NULL;
	size_t cap = 0, n;
	FILE *f = fopen(path, "r");
	void *mem;

	*len = 0;
	if (!f)
		return NULL;
	for (;;) {
		if (*len + 4096 > cap) {
			cap = cap ? 2 * cap : 65536;
			mem = realloc(text, cap);
			if (!mem) {
				free(text);
				fclose(f);
				return NULL;
			}
			text = mem;
		}
		n = fread(text + *len, 1, cap - *len - 1, f);
		*len += n;
		if (!n)
			break;
	}
	fclose(f);
	text[*len] = '\0';
	return text;
}

static void show_divergence(struct replay *r, const struct replay_snap *s,
			    const char *path, const struct maps_layout *want,
			    const struct maps_layout *got)
{
	char name[PATH_MAX + 64];
	unsigned long lo = 0, hi = 0;
	FILE *out = r->out;
	size_t k;

	if (r->first_divergence_shown)
		return;
	r->first_divergence_shown = true;
	fprintf(out, "first divergence: %s snapshot of pid %d after log line %lu\n",
		s->kind, s->pid, s->line);
	snprintf(name, sizeof(name), "%s (recorded)", path);
	maps_layout_diff(out, want, name, got, "simulated");
	/* the range of the first lines that differ */
	k = maps_layout_first_difference(want, got);
	if (k < want->nr) {
		lo = want->lines[k].start;
		hi = want->lines[k].end;
	}
	if (k < got->nr) {
		lo = lo < hi && lo < got->lines[k].start ? lo : got->lines[k].start;
		hi = hi > got->lines[k].end ? hi : got->lines[k].end;
	}
	replay_print_ring(r, out, s->pid, lo, hi);
}

static void compare_snapshot(struct replay *r, const struct replay_snap *s)
{
	struct maps_layout want, got;
	char path[PATH_MAX], *wtext, *gtext = NULL;
	size_t wlen, glen = 0;
	struct task *t;
	bool equal;

	snap_path(r, s, path, sizeof(path));
	r->snaps_compared++;
	wtext = read_file(path, &wlen);
	if (!wtext) {
		fprintf(stderr, "vmasim: cannot read %s\n", path);
		r->status = 1;
		return;
	}
	if (maps_layout_parse(&want, wtext, wlen)) {
		fprintf(stderr, "%s: not a /proc/PID/maps snapshot\n", path);
		free(wtext);
		r->status = 1;
		return;
	}
	t = vm_task_find(r->sim, s->pid);
	if (!t && !strcmp(s->kind, "fork"))
		t = replay_early_child(r, s->pid);
	if (t)
		replay_show_maps(t, &gtext, &glen);
	if (maps_layout_parse(&got, gtext ? gtext : "", glen)) {
		maps_layout_release(&want);
		free(wtext);
		free(gtext);
		return;
	}
	equal = maps_layout_equal(&want, &got);
	if (equal)
		r->snaps_matched++;
	else if (maps_layout_equal_but_stack(&want, &got))
		r->snaps_stack_only++;
	else if (!t)
		fprintf(r->out, "%s: pid %d does not exist in the simulator at "
			"line %lu\n", path, s->pid, s->line);
	else
		show_divergence(r, s, path, &want, &got);
	maps_layout_release(&want);
	maps_layout_release(&got);
	free(wtext);
	free(gtext);
}

/**
 * replay_snaps_before() - handle the snapshots taken before log line @line.
 * @r: the replay
 * @line: the line of the event about to be replayed (ULONG_MAX at the end)
 *
 * Exec snapshots are consumed by replay_snap_exec(); one left here had no
 * replayed execve and is ignored.  With opts->check, the others are
 * compared.
 *
 * Return: 0.
 */
int replay_snaps_before(struct replay *r, unsigned long line)
{
	struct replay_snap *s;

	while (r->next_snap < r->nr_snaps &&
	       r->snaps[r->next_snap].line < line) {
		s = &r->snaps[r->next_snap++];
		if (!s->kind[0] || !strcmp(s->kind, "exec"))
			continue;
		if (r->opts->check)
			compare_snapshot(r, s);
	}
	return 0;
}
