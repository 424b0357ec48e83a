/* SPDX-License-Identifier: MIT */
/*
 * apply.c - one decoded call on the simulator (src/mm).
 *
 * Memory calls run as they are: their results are what vmasim predicts and
 * what replay compares with the log.  Descriptor and clone calls follow the
 * log instead, because their outcome depends on state a log does not show
 * (descriptors inherited from before it began, pids the kernel chose): an
 * open() that returned 5 installs its description at 5, a clone() that
 * returned 1234 creates task 1234, and a call that failed for real is not
 * run.  Exec and exit are the caller's: they need the process table and
 * the snapshots.
 */
#include <errno.h>

#include <vmasim/mm.h>

#include "apply.h"

/*
 * Lenient mode: a descriptor the log shows as FD<PATH> that the simulator
 * never saw opened gets a read-write placeholder description of PATH.
 */
static void ensure_fd(struct task *t, int fd, const char *path,
		      struct apply_opts *opts)
{
	if (!opts->lenient || fd < 0 || !path || vm_fd_get(t, fd))
		return;
	if (vm_open(t, fd, path, O_RDWR, 0, 0, 0) == fd)
		opts->placeholder_files++;
}

/* Put @newfd where the log says the call put it. */
static long move_fd(struct task *t, long got, long recorded, bool cloexec)
{
	long ret;

	if (got < 0 || got == recorded)
		return got;
	ret = sys_dup3(t, (int)got, (int)recorded, cloexec ? O_CLOEXEC : 0);
	sys_close(t, (int)got);
	return ret;
}

static long apply_memory(struct task *t, const struct sim_call *c,
			 struct apply_opts *opts)
{
	const unsigned long *a = c->arg;

	switch (c->nr) {
	case CALL_MMAP:
		if (!(a[3] & MAP_ANONYMOUS))
			ensure_fd(t, (int)a[4], c->fdpath[4], opts);
		return sys_mmap(t, a[0], a[1], a[2], a[3], (int)a[4], a[5]);
	case CALL_MUNMAP:
		return sys_munmap(t, a[0], a[1]);
	case CALL_MREMAP:
		return sys_mremap(t, a[0], a[1], a[2], a[3], a[4]);
	case CALL_MPROTECT:
		return sys_mprotect(t, a[0], a[1], a[2]);
	case CALL_PKEY_MPROTECT:
		return sys_pkey_mprotect(t, a[0], a[1], a[2], (int)a[3]);
	case CALL_BRK:
		return sys_brk(t, a[0]);
	case CALL_MADVISE:
		return sys_madvise(t, a[0], a[1], (int)a[2]);
	case CALL_MLOCK:
		return sys_mlock(t, a[0], a[1]);
	case CALL_MLOCK2:
		return sys_mlock2(t, a[0], a[1], (unsigned int)a[2]);
	case CALL_MUNLOCK:
		return sys_munlock(t, a[0], a[1]);
	case CALL_MLOCKALL:
		return sys_mlockall(t, (int)a[0]);
	case CALL_MUNLOCKALL:
		return sys_munlockall(t);
	case CALL_MSEAL:
		return sys_mseal(t, a[0], a[1], a[2]);
	default:
		/* shmat/shmdt: System V segments are not simulated */
		return -ENOSYS;
	}
}

static long apply_file(struct task *t, const struct sim_call *c,
		       long recorded, struct apply_opts *opts)
{
	const unsigned long *a = c->arg;
	int flags;

	switch (c->nr) {
	case CALL_OPEN:
	case CALL_CREAT:
		flags = (int)a[1];
		goto open;
	case CALL_OPENAT:
	case CALL_OPENAT2:
		flags = (int)a[2];
open:
		if (recorded < 0)
			return recorded;
		return vm_open(t, (int)recorded, c->path, flags, 0, 0, 0);
	case CALL_CLOSE:
		ensure_fd(t, (int)a[0], c->fdpath[0], opts);
		return sys_close(t, (int)a[0]);
	case CALL_CLOSE_RANGE:
		return sys_close_range(t, (unsigned int)a[0],
				       (unsigned int)a[1], (unsigned int)a[2]);
	case CALL_MEMFD_CREATE:
		if (recorded < 0)
			return recorded;
		return move_fd(t, sys_memfd_create(t, c->path,
						   (unsigned int)a[1]),
			       recorded, a[1] & MFD_CLOEXEC);
	default:
		break;
	}

	/* the dup family and fcntl: the source must be there */
	ensure_fd(t, (int)a[0], c->fdpath[0], opts);
	if (recorded < 0 && c->nr != CALL_FCNTL)
		return recorded;
	switch (c->nr) {
	case CALL_DUP:
		return sys_dup3(t, (int)a[0], (int)recorded, 0);
	case CALL_DUP2:
		return sys_dup2(t, (int)a[0], (int)a[1]);
	case CALL_DUP3:
		return sys_dup3(t, (int)a[0], (int)a[1], (int)a[2]);
	default:	/* CALL_FCNTL */
		if (a[1] == F_DUPFD || a[1] == F_DUPFD_CLOEXEC) {
			if (recorded < 0)
				return recorded;
			return sys_dup3(t, (int)a[0], (int)recorded,
					a[1] == F_DUPFD_CLOEXEC ? O_CLOEXEC : 0);
		}
		return sys_fcntl(t, (int)a[0], (unsigned int)a[1], a[2]);
	}
}

static long apply_clone(struct task *t, const struct sim_call *c,
			long recorded)
{
	unsigned long flags = c->arg[0];

	if (recorded <= 0)
		return recorded;
	if (c->nr == CALL_FORK)
		flags = 0;
	else if (c->nr == CALL_VFORK)
		flags = CLONE_VM | CLONE_VFORK;
	return sys_clone(t, (int)recorded, flags);
}

/**
 * call_apply() - run one decoded call on a task.
 * @t: the calling task
 * @c: the call (not execve, execveat, exit or exit_group: see above)
 * @recorded: what the call returned for real (descriptor and clone calls
 *	follow it; memory calls ignore it)
 * @opts: leniency, and its counters
 *
 * Context: takes the task's mmap_lock as the sys_*() calls do.
 * Return: the simulator's result: an address, a descriptor, a pid, 0 or
 * -errno; -ENOSYS for calls the simulator does not model (shmat, shmdt,
 * exec and exit).
 */
long call_apply(struct task *t, const struct sim_call *c, long recorded,
		struct apply_opts *opts)
{
	switch (call_class(c->nr)) {
	case CALL_CLASS_MEMORY:
		return apply_memory(t, c, opts);
	case CALL_CLASS_FILE:
		return apply_file(t, c, recorded, opts);
	case CALL_CLASS_PROCESS:
		if (c->nr == CALL_CLONE || c->nr == CALL_CLONE3 ||
		    c->nr == CALL_FORK || c->nr == CALL_VFORK)
			return apply_clone(t, c, recorded);
		return -ENOSYS;
	case CALL_CLASS_NONE:
		break;
	}
	return -ENOSYS;
}
