/* SPDX-License-Identifier: MIT */
/*
 * scenario_int.h - what the files of `vmasim scenario` share: a parsed
 * scenario file and its steps, the variables and the expression evaluator
 * (scenario_parse.c), and the live child that runs calls on the real
 * kernel (scenario_live.c).  scenario.c drives them.
 *
 * Coding conventions in these files:
 *  @sf	a parsed scenario file (struct scn_file)
 *  @st	one step of it: a call, a directive or an expect block
 *  @vars	the variables ($name) bound so far
 *  @lp	the live child (struct live_proc)
 *  Ranges are [start, end): end is exclusive everywhere.
 */
#ifndef VMASIM_CLI_SCENARIO_INT_H
#define VMASIM_CLI_SCENARIO_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "calls.h"

#define SCN_NAME_LEN		32
#define SCN_MAX_WINDOWS		16

/* ---- variables -------------------------------------------------------- */

/**
 * struct scn_var - one $name.
 * @name: without the '$'
 * @value: what it stands for in expressions
 * @path: the file it names in an expect line's path field (bound by
 *	`file`, or by a call that returns a descriptor), malloc'd, or NULL
 * @is_file: it was bound by `file` or a descriptor call (known when the
 *	file is parsed, before it runs)
 * @dynamic: its value is only known when the scenario runs (parse time)
 */
struct scn_var {
	char name[SCN_NAME_LEN];
	unsigned long value;
	char *path;
	bool is_file;
	bool dynamic;
};

/**
 * struct scn_vars - the variables bound so far, in binding order.
 * @v: the array
 * @nr: entries in use
 * @cap: entries allocated
 */
struct scn_vars {
	struct scn_var *v;
	size_t nr;
	size_t cap;
};

struct scn_var *scn_var_find(const struct scn_vars *vars, const char *name);
int scn_var_set(struct scn_vars *vars, const char *name, unsigned long value,
		const char *path, bool is_file, bool dynamic);
void scn_vars_release(struct scn_vars *vars);

/* How a number without 0x reads: as strace prints it, or as maps does. */
enum scn_radix {
	SCN_DECIMAL,	/* calls and directives: 4096, 0x1000 */
	SCN_HEX,	/* expect lines: 1000 and 0x1000 are both 4096 */
};

int scn_eval(const char *text, enum scn_radix radix,
	     const struct scn_vars *vars, bool static_only,
	     unsigned long *val, char *err, size_t errlen);

/* ---- a parsed scenario ------------------------------------------------ */

enum scn_step_kind {
	SCN_STEP_CALL,		/* [$x =] NAME(ARGS) [= RESULT] */
	SCN_STEP_SET,		/* $x = EXPR */
	SCN_STEP_TOUCH,		/* touch ADDR LEN */
	SCN_STEP_FILE,		/* file $f SIZE */
	SCN_STEP_WINDOW,	/* window ADDR LEN | window none */
	SCN_STEP_EXPECT,	/* expect: and its lines */
};

/**
 * struct scn_expect_line - one line of an expect block, unevaluated.
 * @lineno: where it is
 * @start: START expression (hex numbers)
 * @end: END expression
 * @perms: "rw-p"
 * @offset: OFFSET expression, or NULL when the line has none (then the
 *	offset is not compared)
 * @path: "" for none, a path or [name] as maps prints it, or "$name"
 *	(maybe followed by more text) for a file variable's path
 */
struct scn_expect_line {
	unsigned long lineno;
	char *start;
	char *end;
	char perms[5];
	char *offset;
	char *path;
};

/**
 * struct scn_step - one thing a scenario does.
 * @kind: which
 * @lineno: its line (the expect: line for an expect block)
 * @text: the line as written, comment and blanks trimmed
 * @bind: CALL and SET: "$x =" binds x; FILE: the file's variable
 * @rbind: CALL: "= $x" with x not bound yet binds x to the result
 * @call: CALL: "NAME(ARGS)" as written
 * @result: CALL: the text after " = ", or NULL when none is stated
 * @nr: CALL: which call
 * @e1: SET: the value; TOUCH, WINDOW: the address; FILE: the size
 * @e2: TOUCH, WINDOW: the length
 * @none: WINDOW: `window none`
 * @lines: EXPECT: its lines, in order
 * @nr_lines: EXPECT: how many
 */
struct scn_step {
	enum scn_step_kind kind;
	unsigned long lineno;
	char *text;
	char bind[SCN_NAME_LEN];
	char rbind[SCN_NAME_LEN];
	char *call;
	char *result;
	enum call_nr nr;
	char *e1;
	char *e2;
	bool none;
	struct scn_expect_line *lines;
	size_t nr_lines;
};

/**
 * struct scn_file - a whole scenario file.
 * @name: the file name, for messages
 * @steps: its steps in order
 * @nr_steps: how many
 * @windows: every `window` directive's [start, end), which the live
 *	child clears before the scenario starts
 * @nr_windows: how many
 */
struct scn_file {
	const char *name;
	struct scn_step *steps;
	size_t nr_steps;
	unsigned long windows[SCN_MAX_WINDOWS][2];
	size_t nr_windows;
};

int scn_parse(struct scn_file *sf, const char *name, FILE *in,
	      char *err, size_t errlen);
void scn_file_release(struct scn_file *sf);

/**
 * struct scn_expected - the result a call line states.
 * @check: a result is stated and must be checked
 * @any_error: "= -1" without an errno name: any failure will do
 * @value: otherwise the exact result; "= -1 ENAME" is -ENAME
 */
struct scn_expected {
	bool check;
	bool any_error;
	long value;
};

int scn_decode_call(const struct scn_step *st, const struct scn_vars *vars,
		    struct sim_call *c, struct scn_expected *exp,
		    char *err, size_t errlen);
const char *scn_errno_name(long err);

/* ---- the live child (scenario_live.c) --------------------------------- */

/**
 * struct live_proc - a child process running calls on the live kernel.
 * @pid: its pid, 0 when not running
 * @req_fd: the pipe requests go down
 * @rep_fd: the pipe replies come up
 * @why: why it could not start or stopped answering
 */
struct live_proc {
	pid_t pid;
	int req_fd;
	int rep_fd;
	char why[256];
};

/* The child's descriptors for the two pipes (scenario calls must not use them). */
#define LIVE_REQ_FD	100
#define LIVE_REP_FD	101

/* Startup results of live_start() besides 0. */
#define LIVE_ERROR	(-1)	/* something broke: @why */
#define LIVE_CANNOT	1	/* this machine cannot run it (@why): skip */

int live_start(struct live_proc *lp);
int live_syscall(struct live_proc *lp, long nr, const unsigned long arg[6],
		 int path_arg, const char *path, long *ret);
int live_touch(struct live_proc *lp, unsigned long start, unsigned long end,
	       unsigned long *fault);
int live_maps(struct live_proc *lp, char **text, size_t *len,
	      unsigned long *brk);
void live_stop(struct live_proc *lp);
int live_child_main(void) __attribute__((noreturn));

#endif /* VMASIM_CLI_SCENARIO_INT_H */
