/* SPDX-License-Identifier: MIT */
/*
 * strace.h - streaming parser of strace logs: the event model and the
 * argument helpers.  See /work/shared/STRACE.md for the grammar.
 */
#ifndef VMASIM_CLI_STRACE_H
#define VMASIM_CLI_STRACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#define STRACE_MAX_ARGS		8
#define STRACE_NAME_LEN		32
#define STRACE_ERROR_LEN	256
#define STRACE_MAX_PENDING	1024

enum strace_kind {
	STRACE_SYSCALL,		/* a completed call */
	STRACE_SIGNAL,		/* --- SIGxxx {...} --- or --- stopped by SIGxxx --- */
	STRACE_EXITED,		/* +++ exited with N +++ (status) */
	STRACE_KILLED,		/* +++ killed by SIGxxx +++ (signame) */
	STRACE_SUPERSEDED,	/* +++ superseded by execve in pid N +++ (status = N) */
	STRACE_INCOMPLETE,	/* an unfinished call that never resumed */
};

/**
 * struct strace_event - one event of a log
 * @kind: what it is
 * @pid: the tid on whose behalf the event happened
 * @line: number of the line that completed the event (1-based)
 * @name: syscall name (SYSCALL, INCOMPLETE)
 * @args: raw argument text, unfinished and resumed parts joined
 * @nargs: number of entries of @argv
 * @argv: arguments split at top-level commas, blanks trimmed
 * @ret: return value (SYSCALL)
 * @ret_unknown: the return was "?"
 * @errname: errno name ("ENOMEM") of a failing call, else ""
 * @signame: signal name (SIGNAL, KILLED)
 * @status: exit status (EXITED), new leader pid (SUPERSEDED)
 * @core_dumped: KILLED with "(core dumped)"
 * @fdpath: for each argument printed as FD<PATH> by -y, PATH unescaped
 *          (without "(deleted)"), else NULL
 * @fd_deleted: bit i set when argument i's path was followed by "(deleted)"
 * @ret_path: the path -y printed after a returned descriptor, else NULL
 * @ret_deleted: @ret_path was followed by "(deleted)"
 * @has_stamp: the line had a -t, -tt or -ttt timestamp
 * @stamp_us: that timestamp in microseconds (of the day for -t/-tt, of the
 *            epoch for -ttt); -r deltas are not stamps
 *
 * String members point into the parser and stay valid until the next
 * strace_next() call.
 */
struct strace_event {
	enum strace_kind kind;
	unsigned int pid;
	unsigned long line;
	char name[STRACE_NAME_LEN];
	const char *args;
	unsigned int nargs;
	const char *argv[STRACE_MAX_ARGS];
	long ret;
	bool ret_unknown;
	char errname[STRACE_NAME_LEN];
	char signame[STRACE_NAME_LEN];
	long status;
	bool core_dumped;
	const char *fdpath[STRACE_MAX_ARGS];
	unsigned int fd_deleted;
	const char *ret_path;
	bool ret_deleted;
	bool has_stamp;
	unsigned long long stamp_us;
};

/* A call printed with <unfinished ...>, waiting for its resumed part. */
struct strace_pending {
	unsigned int tid;
	unsigned int changed_to;	/* <pid changed to N ...>, else 0 */
	unsigned long line;
	char name[STRACE_NAME_LEN];
	char *prefix;			/* malloc'd argument text so far */
};

/**
 * struct strace_parser - state of one log being read
 *
 * Fields are private to strace.c except @error, which holds
 * "NAME:LINE: what is wrong" after strace_next() returned -EINVAL.
 */
struct strace_parser {
	FILE *in;
	const char *name;
	unsigned int default_pid;
	unsigned long lineno;
	char *line;
	size_t line_cap;
	bool replay;		/* re-process @line before reading more */
	bool eof;
	char *raw;		/* event argument text */
	size_t raw_cap;
	char *split;		/* NUL-separated copy of @raw for argv */
	size_t split_cap;
	char *paths;		/* unescaped fd paths of the event */
	size_t paths_cap;
	size_t paths_used;
	struct strace_pending pending[STRACE_MAX_PENDING];
	unsigned int npending;
	char error[STRACE_ERROR_LEN];
};

void strace_parser_init(struct strace_parser *p, FILE *in, const char *name,
			unsigned int default_pid);
void strace_parser_release(struct strace_parser *p);
int strace_next(struct strace_parser *p, struct strace_event *ev);

int strace_arg_fd(const struct strace_event *ev, unsigned int i, int *fd,
		  const char **path);
int strace_arg_ulong(const struct strace_event *ev, unsigned int i,
		     unsigned long *val);
int strace_parse_ulong(const char *s, unsigned long *val);

#endif /* VMASIM_CLI_STRACE_H */
