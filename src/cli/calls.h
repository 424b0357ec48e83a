/* SPDX-License-Identifier: MIT */
/*
 * calls.h - the syscalls vmasim understands, decoded from the text strace
 * prints into numbers (struct sim_call), and applied to a simulated task.
 *
 * Decoding is shared by everything that reads strace syntax: `replay` and
 * `check` read logs, `scenario` reads scenario files and, with --kernel,
 * issues the very same calls for real.  apply.h runs a decoded call on
 * src/mm.
 */
#ifndef VMASIM_CLI_CALLS_H
#define VMASIM_CLI_CALLS_H

#include <stdbool.h>
#include <stddef.h>

#include "strace.h"

/* The modelled calls, in the order of the recording format's list. */
enum call_nr {
	CALL_UNKNOWN,
	/* memory: they change or query a layout */
	CALL_MMAP,
	CALL_MUNMAP,
	CALL_MREMAP,
	CALL_MPROTECT,
	CALL_PKEY_MPROTECT,
	CALL_BRK,
	CALL_MADVISE,
	CALL_MLOCK,
	CALL_MLOCK2,
	CALL_MUNLOCK,
	CALL_MLOCKALL,
	CALL_MUNLOCKALL,
	CALL_MSEAL,
	CALL_SHMAT,
	CALL_SHMDT,
	/* descriptors: they create, copy or drop open file descriptions */
	CALL_OPEN,
	CALL_OPENAT,
	CALL_OPENAT2,
	CALL_CREAT,
	CALL_CLOSE,
	CALL_CLOSE_RANGE,
	CALL_DUP,
	CALL_DUP2,
	CALL_DUP3,
	CALL_FCNTL,
	CALL_MEMFD_CREATE,
	/* processes */
	CALL_CLONE,
	CALL_CLONE3,
	CALL_FORK,
	CALL_VFORK,
	CALL_EXECVE,
	CALL_EXECVEAT,
	CALL_EXIT,
	CALL_EXIT_GROUP,
	NR_CALLS,
};

enum call_class {
	CALL_CLASS_NONE,
	CALL_CLASS_MEMORY,
	CALL_CLASS_FILE,
	CALL_CLASS_PROCESS,
};

#define CALL_MAX_ARGS	6

/**
 * struct sim_call - one decoded call.
 * @nr: which call
 * @arg: its arguments as the kernel gets them (clone, clone3: arg[0] is
 *	the flags word; openat2: arg[2] is how.flags; fork: none; vfork:
 *	none; execve: none)
 * @path: open, openat, openat2, creat: the file's path as a maps line
 *	would print it (the -y path of the returned descriptor when the log
 *	has one, else the path argument); memfd_create: the name; execve,
 *	execveat: the program; else empty
 * @fdpath: for each argument decorated by -y, its path, else NULL
 *	(pointers into the event: valid until the next strace_next())
 */
struct sim_call {
	enum call_nr nr;
	unsigned long arg[CALL_MAX_ARGS];
	char path[4096];
	const char *fdpath[CALL_MAX_ARGS];
};

enum call_nr call_lookup(const char *name);
const char *call_name(enum call_nr nr);
enum call_class call_class(enum call_nr nr);
int call_decode(const struct strace_event *ev, struct sim_call *c,
		char *err, size_t errlen);
int call_unescape(const char *s, char *out, size_t outlen);
int call_errno(const char *name);
int call_clone_flags(const char *name, const char *args, unsigned long *flags);

#endif /* VMASIM_CLI_CALLS_H */
