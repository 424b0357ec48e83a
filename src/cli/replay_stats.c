/* SPDX-License-Identifier: MIT */
/*
 * replay_stats.c - what a replay measured, as text for people and as
 * JSON for machines: calls by type and how their results compared, the
 * layouts and trees processes ended with, node allocations, and the
 * maple tree's preallocations per store type (requested, used, Linux
 * 6.18's rule and the 2023 worst case 1 + 3 * height).
 */
#include <stdio.h>
#include <string.h>

#include "replay_internal.h"

static const char *const store_names[MT_STORE_TYPES] = {
	"invalid", "new_root", "store_root", "exact_fit", "spanning_store",
	"split_store", "rebalance", "append", "node_store", "slot_store",
};

/**
 * replay_record_final() - note the layout and tree a process ends with.
 * @r: the replay
 * @t: the process (its leader)
 */
void replay_record_final(struct replay *r, struct task *t)
{
	struct mm_struct *mm = vm_task_mm(t);
	struct replay_final f;
	struct mt_stats st;

	mmap_read_lock(mm);
	mt_get_stats(&mm->mm_mt, &st);
	f.pid = vm_task_pid(t);
	f.map_count = mm->map_count;
	f.height = mt_height(&mm->mm_mt);
	f.nodes = st.nodes_allocated - st.nodes_freed;
	mmap_read_unlock(mm);
	if (f.pid == r->root_pid)
		r->root_final = f;
	if (f.map_count >= r->largest_final.map_count)
		r->largest_final = f;
	if (f.height > r->max_height)
		r->max_height = f.height;
}

/* The global tree counters since the replay started. */
static void tree_delta(const struct replay *r, struct mt_stats *d)
{
	const unsigned long *b = (const unsigned long *)&r->tree_before;
	unsigned long *a = (unsigned long *)d;
	size_t i;

	mt_get_global_stats(d);
	for (i = 0; i < sizeof(*d) / sizeof(unsigned long); i++)
		a[i] -= b[i];
}

static void totals(const struct replay *r, unsigned long *compared,
		   unsigned long *matched)
{
	unsigned int i;

	*compared = *matched = 0;
	for (i = 0; i < NR_CALLS; i++) {
		*compared += r->calls[i].compared;
		*matched += r->calls[i].matched;
	}
}

static double pct(unsigned long a, unsigned long b)
{
	return b ? 100.0 * (double)a / (double)b : 100.0;
}

/**
 * replay_print_stats() - the statistics as text.
 * @r: the replay, finished
 * @out: the stream
 */
void replay_print_stats(struct replay *r, FILE *out)
{
	unsigned long compared, matched, unknown = r->unknown_other;
	const struct replay_call_stats *c;
	struct mt_stats d;
	unsigned int i;

	totals(r, &compared, &matched);
	tree_delta(r, &d);
	fprintf(out, "== replay of %s ==\n", r->opts->trace);
	fprintf(out, "lines %lu, events %lu, %.3f s (%.0f lines/s)\n",
		r->lines, r->events, r->seconds,
		r->seconds > 0 ? (double)r->lines / r->seconds : 0.0);
	fprintf(out, "processes %lu, execs %lu (%lu from snapshots), "
		"signals %lu, exits %lu, incomplete calls %lu\n",
		r->processes, r->execs, r->snapshot_execs, r->signals,
		r->exits, r->incomplete);
	if (r->recording && r->opts->check)
		fprintf(out, "%lu/%lu snapshots match, ", r->snaps_matched,
			r->snaps_compared);
	fprintf(out, "%lu/%lu results match (%.2f%%)", matched, compared,
		pct(matched, compared));
	if (r->concurrent_mismatches)
		fprintf(out, "; %lu of the %lu differences raced with a call of "
			"another thread (order unknown)",
			r->concurrent_mismatches, compared - matched);
	fputc('\n', out);
	fprintf(out, "calibrations %lu, resyncs after a difference %lu, "
		"children seen before their clone returned %lu\n"
		"placeholder VMAs %lu, placeholder files %lu, tasks ended "
		"unlogged (pid reused) %lu\n",
		r->calibrations, r->resyncs, r->early_children,
		r->placeholder_vmas, r->placeholder_files, r->stale_tasks);

	fprintf(out, "\n%-14s %9s %8s %9s %9s %8s\n", "call", "count",
		"failed", "compared", "matched", "skipped");
	for (i = 1; i < NR_CALLS; i++) {
		c = &r->calls[i];
		if (!c->calls)
			continue;
		fprintf(out, "%-14s %9lu %8lu %9lu %9lu %8lu\n",
			call_name((enum call_nr)i), c->calls, c->failed,
			c->compared, c->matched, c->not_applied);
	}
	for (i = 0; i < r->nr_unknown; i++)
		unknown += r->unknown[i].count;
	if (unknown) {
		fprintf(out, "not modelled (skipped): %lu:", unknown);
		for (i = 0; i < r->nr_unknown; i++)
			fprintf(out, " %s %lu", r->unknown[i].name,
				r->unknown[i].count);
		fputc('\n', out);
	}

	fprintf(out, "\nroot pid %d: %lu VMAs, tree height %u, %lu nodes\n",
		r->root_final.pid, r->root_final.map_count,
		r->root_final.height, r->root_final.nodes);
	fprintf(out, "largest: pid %d: %lu VMAs, tree height %u, %lu nodes; "
		"highest tree %u\n", r->largest_final.pid,
		r->largest_final.map_count, r->largest_final.height,
		r->largest_final.nodes, r->max_height);
	fprintf(out, "tree nodes allocated %lu, freed %lu, write walks %lu, "
		"prealloc fallbacks %lu\n", d.nodes_allocated, d.nodes_freed,
		d.write_walks, d.prealloc_fallbacks);
	fprintf(out, "\n%-15s %8s %8s %9s %8s %8s %9s\n", "store type",
		"stores", "preallocs", "requested", "used", "linux", "worst");
	for (i = 1; i < MT_STORE_TYPES; i++) {
		if (!d.stores[i] && !d.prealloc_calls[i])
			continue;
		fprintf(out, "%-15s %8lu %8lu %9lu %8lu %8lu %9lu\n",
			store_names[i], d.stores[i], d.prealloc_calls[i],
			d.prealloc_requested[i], d.prealloc_used[i],
			d.prealloc_linux[i], d.prealloc_worst[i]);
	}
}

/**
 * replay_print_summary() - the one-line verdict of `vmasim check`.
 * @r: the replay, finished
 * @out: the stream
 */
void replay_print_summary(struct replay *r, FILE *out)
{
	unsigned long compared, matched;

	totals(r, &compared, &matched);
	fprintf(out, "%s: %lu/%lu snapshots match, %lu/%lu results match "
		"(%lu lines, %.0f lines/s)\n", r->opts->trace, r->snaps_matched,
		r->snaps_compared, matched, compared, r->lines,
		r->seconds > 0 ? (double)r->lines / r->seconds : 0.0);
	if (r->snaps_stack_only)
		fprintf(out, "%lu of the %lu differing snapshots differ only in "
			"where [stack] starts (stack growth on page faults is "
			"not in a log)\n", r->snaps_stack_only,
			r->snaps_compared - r->snaps_matched);
}

static void json_final(FILE *out, const char *key,
		       const struct replay_final *f)
{
	fprintf(out, "  \"%s\": {\"pid\": %d, \"vmas\": %lu, \"height\": %u, "
		"\"nodes\": %lu},\n", key, f->pid, f->map_count, f->height,
		f->nodes);
}

/* A JSON string; names here are identifiers and paths. */
static void json_string(FILE *out, const char *s)
{
	fputc('"', out);
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			fprintf(out, "\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			fprintf(out, "\\u%04x", (unsigned char)*s);
		else
			fputc(*s, out);
	}
	fputc('"', out);
}

/**
 * replay_print_json() - the statistics as one JSON object.
 * @r: the replay, finished
 * @out: the stream
 */
void replay_print_json(struct replay *r, FILE *out)
{
	unsigned long compared, matched;
	const struct replay_call_stats *c;
	const char *sep = "";
	struct mt_stats d;
	unsigned int i;

	totals(r, &compared, &matched);
	tree_delta(r, &d);
	fputs("{\n  \"trace\": ", out);
	json_string(out, r->opts->trace);
	fprintf(out, ",\n  \"lines\": %lu,\n  \"events\": %lu,\n"
		"  \"seconds\": %.6f,\n  \"processes\": %lu,\n"
		"  \"execs\": %lu,\n  \"snapshot_execs\": %lu,\n"
		"  \"signals\": %lu,\n  \"exits\": %lu,\n"
		"  \"incomplete\": %lu,\n",
		r->lines, r->events, r->seconds, r->processes, r->execs,
		r->snapshot_execs, r->signals, r->exits, r->incomplete);
	fprintf(out, "  \"results\": {\"compared\": %lu, \"matched\": %lu, "
		"\"concurrent\": %lu},\n", compared, matched,
		r->concurrent_mismatches);
	fprintf(out, "  \"snapshots\": {\"compared\": %lu, \"matched\": %lu, "
		"\"stack_only\": %lu},\n", r->snaps_compared, r->snaps_matched,
		r->snaps_stack_only);
	fprintf(out, "  \"early_children\": %lu,\n", r->early_children);
	fprintf(out, "  \"stale_tasks\": %lu,\n", r->stale_tasks);
	fprintf(out, "  \"calibrations\": %lu,\n  \"resyncs\": %lu,\n"
		"  \"placeholder_vmas\": %lu,\n  \"placeholder_files\": %lu,\n",
		r->calibrations, r->resyncs, r->placeholder_vmas,
		r->placeholder_files);
	fputs("  \"calls\": {", out);
	for (i = 1; i < NR_CALLS; i++) {
		c = &r->calls[i];
		if (!c->calls)
			continue;
		fprintf(out, "%s\n    \"%s\": {\"count\": %lu, \"failed\": %lu, "
			"\"compared\": %lu, \"matched\": %lu, \"skipped\": %lu}",
			sep, call_name((enum call_nr)i), c->calls, c->failed,
			c->compared, c->matched, c->not_applied);
		sep = ",";
	}
	fputs("\n  },\n  \"not_modelled\": {", out);
	sep = "";
	for (i = 0; i < r->nr_unknown; i++) {
		fprintf(out, "%s\n    ", sep);
		json_string(out, r->unknown[i].name);
		fprintf(out, ": %lu", r->unknown[i].count);
		sep = ",";
	}
	if (r->unknown_other)
		fprintf(out, "%s\n    \"(other)\": %lu", sep, r->unknown_other);
	fputs("\n  },\n", out);
	json_final(out, "root", &r->root_final);
	json_final(out, "largest", &r->largest_final);
	fprintf(out, "  \"max_height\": %u,\n", r->max_height);
	fprintf(out, "  \"tree\": {\"nodes_allocated\": %lu, \"nodes_freed\": %lu, "
		"\"write_walks\": %lu, \"prealloc_unused\": %lu, "
		"\"prealloc_fallbacks\": %lu, \"stores\": {",
		d.nodes_allocated, d.nodes_freed, d.write_walks,
		d.prealloc_unused, d.prealloc_fallbacks);
	sep = "";
	for (i = 1; i < MT_STORE_TYPES; i++) {
		if (!d.stores[i] && !d.prealloc_calls[i])
			continue;
		fprintf(out, "%s\n    \"%s\": {\"stores\": %lu, \"preallocs\": %lu, "
			"\"requested\": %lu, \"used\": %lu, \"linux\": %lu, "
			"\"worst\": %lu}", sep, store_names[i], d.stores[i],
			d.prealloc_calls[i], d.prealloc_requested[i],
			d.prealloc_used[i], d.prealloc_linux[i],
			d.prealloc_worst[i]);
		sep = ",";
	}
	fputs("\n  }}\n}\n", out);
}
