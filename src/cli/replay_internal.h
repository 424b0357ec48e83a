/* SPDX-License-Identifier: MIT */
/*
 * replay_internal.h - the state of one replay, shared by the engine
 * (replay.c), the snapshots of recordings (replay_snap.c) and the
 * statistics (replay_stats.c).  Not for other users.
 */
#ifndef VMASIM_CLI_REPLAY_INTERNAL_H
#define VMASIM_CLI_REPLAY_INTERNAL_H

#include <stdbool.h>
#include <stdio.h>

#include <mtree/maple_tree.h>
#include <vmasim/mm.h>

#include "apply.h"
#include "calls.h"
#include "replay.h"
#include "strace.h"

#define REPLAY_RING		32	/* log lines kept per process */
#define REPLAY_RING_SHOWN	8	/* ... of which a divergence shows */
#define REPLAY_RING_LEN		200	/* characters kept per line */
#define REPLAY_PROC_BUCKETS	1024
#define REPLAY_MAX_UNKNOWN	64	/* distinct unmodelled names counted */

/* One log of the replay: the trace, or one file of an -ff set. */
struct replay_input {
	struct strace_parser parser;
	FILE *file;
	char *name;
	struct strace_event ev;		/* the next event, if @have */
	bool have;
	bool done;
};

/* What the replay knows of a pid beyond src/mm's task. */
struct replay_proc {
	struct replay_proc *next;	/* hash chain */
	int pid;
	bool base_known;	/* mmap_base calibrated or from a snapshot */
	bool brk_known;		/* start_brk from a snapshot or brk(NULL) */
	bool from_snapshot;	/* the current image came from a snapshot */
	bool early_child;	/* cloned before the parent's clone returned */
	unsigned int ring_head;
	struct {
		unsigned long lo, hi;	/* addresses the call used, [lo, hi) */
		char text[REPLAY_RING_LEN];
	} ring[REPLAY_RING];
};

/* One entry of NAME.index. */
struct replay_snap {
	int pid;
	unsigned int seq;
	char kind[16];
	unsigned long line;
	unsigned long index_line;
};

struct replay_call_stats {
	unsigned long calls;		/* completed calls in the log */
	unsigned long failed;		/* of which failed for real */
	unsigned long compared;		/* results compared */
	unsigned long matched;		/* ... that were equal */
	unsigned long not_applied;	/* incomplete, or not simulated */
};

struct replay_unknown {
	char name[STRACE_NAME_LEN];
	unsigned long count;
};

/* The layout and tree of a process as it ended. */
struct replay_final {
	int pid;
	unsigned long map_count;
	unsigned int height;
	unsigned long nodes;
};

struct replay {
	const struct replay_opts *opts;
	FILE *out;
	struct vm_sim *sim;
	struct apply_opts apply;
	struct replay_input *inputs;
	unsigned int nr_inputs;
	bool recording;		/* NAME.strace with NAME.index */
	char *rec_name;		/* NAME of a recording */
	int root_pid;
	enum vm_fault_model fault_model;	/* the one in force */

	struct replay_snap *snaps;
	size_t nr_snaps, next_snap;

	struct replay_proc *procs[REPLAY_PROC_BUCKETS];

	/* counters */
	unsigned long lines, events, signals, exits, incomplete;
	unsigned long processes, execs, snapshot_execs;
	unsigned long placeholder_vmas, placeholder_files, calibrations;
	unsigned long resyncs, early_children;
	unsigned long stale_tasks;	/* ended without a line: pid reused */
	unsigned long concurrent_mismatches;	/* with a sibling call in flight */
	unsigned long snaps_compared, snaps_matched;
	unsigned long snaps_stack_only;	/* differing only in [stack]'s start */
	unsigned long mismatches_reported;
	struct replay_call_stats calls[NR_CALLS];
	struct replay_unknown unknown[REPLAY_MAX_UNKNOWN];
	unsigned int nr_unknown;
	unsigned long unknown_other;	/* beyond REPLAY_MAX_UNKNOWN names */
	struct mt_stats tree_before;
	struct replay_final root_final, largest_final;
	unsigned int max_height;
	double seconds;

	char *root_maps;	/* the root process's final layout */
	size_t root_maps_len;
	bool stop;		/* --strict hit a difference */
	bool first_divergence_shown;
	int status;		/* exit status so far */
};

struct replay_proc *replay_proc_get(struct replay *r, int pid);
struct task *replay_early_child(struct replay *r, int pid);
int replay_show_maps(struct task *t, char **text, size_t *len);
void replay_print_ring(struct replay *r, FILE *out, int pid,
		       unsigned long lo, unsigned long hi);

int replay_snaps_load(struct replay *r);
int replay_snaps_before(struct replay *r, unsigned long line);
int replay_snap_exec(struct replay *r, struct task *t, unsigned long line);
void replay_calibrate_from_layout(struct replay *r, struct task *t);

void replay_record_final(struct replay *r, struct task *t);
void replay_print_stats(struct replay *r, FILE *out);
void replay_print_summary(struct replay *r, FILE *out);
void replay_print_json(struct replay *r, FILE *out);

#endif /* VMASIM_CLI_REPLAY_INTERNAL_H */
