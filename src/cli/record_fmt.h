/* SPDX-License-Identifier: MIT */
/*
 * record_fmt.h - the text of `vmasim record`'s log: the traced syscalls
 * of x86-64 and how each one's arguments and result are written, the
 * symbol tables behind them, and the --- SIG {siginfo} --- lines, all in
 * the exact format of `strace -f -y` 6.1.
 *
 * A call is written in two parts, as strace writes it: what is known at
 * syscall entry (the name and the arguments read then) and, at syscall
 * exit, the rest of the arguments (only for calls that return data
 * through memory, such as clone3's parent_tid) and the result.  The tracer
 * (record.c) owns lines, prefixes, alignment and unfinished/resumed pairs;
 * this module only turns one call into text.
 */
#ifndef VMASIM_CLI_RECORD_FMT_H
#define VMASIM_CLI_RECORD_FMT_H

#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* strace's default -s: strings longer than this are cut with "...". */
#define REC_MAX_STRLEN		32

/* Column the " = result" part is aligned to (strace -a default). */
#define REC_RESULT_COLUMN	40

/**
 * struct rec_text - a growable, always NUL-terminated string
 * @s: the text, or NULL before the first append
 * @len: its length
 * @cap: bytes allocated
 *
 * An allocation failure is remembered in @oom and the text stops growing;
 * the tracer checks it once per line.
 */
struct rec_text {
	char *s;
	size_t len;
	size_t cap;
	bool oom;
};

void rec_text_reset(struct rec_text *t);
void rec_text_free(struct rec_text *t);
void rec_text_puts(struct rec_text *t, const char *s);
void rec_text_putn(struct rec_text *t, const char *s, size_t n);
__attribute__((format(printf, 2, 3)))
void rec_text_printf(struct rec_text *t, const char *fmt, ...);

/* What the result of a call is printed as. */
enum rec_rval {
	REC_RV_DEC,		/* signed decimal */
	REC_RV_HEX,		/* 0x... (0 as "0") */
	REC_RV_FD,		/* a descriptor, with its -y path */
	REC_RV_PID,		/* a pid or tid, decimal */
};

/* Classes of traced calls, for the tracer. */
#define REC_SC_MEM	0x1	/* changes the layout: -s counts these */
#define REC_SC_EXEC	0x2	/* execve, execveat */
#define REC_SC_EXIT	0x4	/* exit_group: never returns */
#define REC_SC_CLONE	0x8	/* creates a task */

/**
 * struct rec_call - one traced call being written
 * @tid: the calling thread: its memory and /proc/TID/fd are read
 * @nr: x86-64 syscall number
 * @arg: the six arguments
 * @rval: return value at exit (the raw register: -errno on failure)
 * @err: errno of a failed call, 0 on success
 * @decoded: every argument was written at entry (strace's RVAL_DECODED)
 * @rv: how the result is printed
 * @aux: text written after the result in parentheses, or "" for none
 * @sc: the call's table entry
 */
struct rec_call {
	pid_t tid;
	long nr;
	unsigned long arg[6];
	long rval;
	int err;
	bool decoded;
	enum rec_rval rv;
	char aux[512];
	const struct rec_syscall *sc;
};

/**
 * struct rec_syscall - a traced syscall
 * @nr: x86-64 number
 * @name: name as strace prints it
 * @flags: REC_SC_* classes
 * @entry: writes the arguments known at entry; sets @decoded and @rv
 * @exit: writes the rest (called only when not @decoded); may change @rv
 *        and set @aux
 */
struct rec_syscall {
	long nr;
	const char *name;
	unsigned int flags;
	void (*entry)(struct rec_call *c, struct rec_text *t);
	void (*exit)(struct rec_call *c, struct rec_text *t);
};

const struct rec_syscall *rec_syscall_find(long nr);
void rec_call_entry(struct rec_call *c, struct rec_text *t);
void rec_call_exit(struct rec_call *c, struct rec_text *t);
void rec_call_result(const struct rec_call *c, struct rec_text *t);

const char *rec_signame(int sig, char *buf, size_t size);
void rec_print_siginfo(pid_t tid, const siginfo_t *si, struct rec_text *t);
void rec_quote(struct rec_text *t, const char *s, size_t n, bool quotes,
	       const char *escape);

int rec_mem_read(pid_t tid, unsigned long addr, void *buf, size_t len);

#endif /* VMASIM_CLI_RECORD_FMT_H */
