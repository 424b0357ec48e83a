/* SPDX-License-Identifier: MIT */
/*
 * replay.h - the replay engine behind `vmasim replay` and `vmasim check`:
 * a strace log (or a recording) driven call by call through src/mm, with
 * every modelled call's result compared with the log's, and, for `check`,
 * every snapshot of a recording compared with the simulated layout.
 */
#ifndef VMASIM_CLI_REPLAY_H
#define VMASIM_CLI_REPLAY_H

#include <stdbool.h>
#include <stdio.h>

#include <vmasim/vma.h>

/**
 * struct replay_opts - what to replay and how.
 * @trace: a recording NAME, NAME.strace, a plain strace log, or one file
 *	of an strace -ff set (its siblings are found by name)
 * @strict: stop at the first result that differs
 * @lenient: create placeholder VMAs and descriptions for what a log uses
 *	but never created (1), or not (0)
 * @check: compare every fork, periodic and exit snapshot of a recording
 * @json: statistics as JSON instead of text
 * @progress: a progress bar on stderr
 * @print_maps: print the final layout of the root process (or of
 *	@show_pid) on @out
 * @show_pid: the process whose final layout @print_maps prints, 0 for
 *	the root process (NAME.meta's root_pid, else the log's first pid)
 * @maps_out: a directory for each process's final layout (PID.maps)
 * @fault_model: when private writable pages count as written
 * @fault_model_given: @fault_model was chosen by the user; else a
 *	recording's NAME.meta may choose (fault_model=none|write)
 * @max_reports: how many differing results to describe (the rest are
 *	counted)
 * @parse_only: read and decode the log but apply nothing (the baseline
 *	of the replay benchmark)
 */
struct replay_opts {
	const char *trace;
	bool strict;
	bool lenient;
	bool check;
	bool json;
	bool progress;
	bool print_maps;
	int show_pid;
	const char *maps_out;
	enum vm_fault_model fault_model;
	bool fault_model_given;
	unsigned int max_reports;
	bool parse_only;
};

int replay_run(const struct replay_opts *opts, FILE *out);

int cmd_replay(int argc, char **argv);
int cmd_check(int argc, char **argv);

#endif /* VMASIM_CLI_REPLAY_H */
