/* SPDX-License-Identifier: MIT */
/*
 * apply.h - running a decoded call (struct sim_call) on a simulated task,
 * following the log where the log knows more than the simulator: which
 * descriptor an open() got, which pid a clone() gave its child.
 */
#ifndef VMASIM_CLI_APPLY_H
#define VMASIM_CLI_APPLY_H

#include <stdbool.h>

#include "calls.h"

struct task;

/**
 * struct apply_opts - how call_apply() treats what the simulator lacks.
 * @lenient: install a placeholder description for a descriptor the log
 *	shows with a -y path but the simulator never saw opened (inherited
 *	from before the log started)
 * @placeholder_files: counts those placeholders
 */
struct apply_opts {
	bool lenient;
	unsigned long placeholder_files;
};

long call_apply(struct task *t, const struct sim_call *c, long recorded,
		struct apply_opts *opts);

#endif /* VMASIM_CLI_APPLY_H */
