/* SPDX-License-Identifier: MIT */
/*
 * scenario_live.c - the live child of `vmasim scenario`: a process of its
 * own that runs a scenario's calls for real, one request at a time, and
 * reads its own /proc/self/maps on demand.
 *
 * DOC: A reproducible process
 *
 * Scenarios that let the kernel choose addresses ($a = mmap(NULL, ...))
 * only mean something if the simulator starts from the very layout the
 * kernel places them in.  So the child is not a fork of vmasim (whose
 * layout depends on everything it did before): it is a fresh execution of
 * /proc/self/exe with ASLR off (personality(ADDR_NO_RANDOMIZE)) and
 * RLIMIT_STACK at 8 MiB (an unlimited stack would select the legacy
 * layout), always with the same arguments, environment and descriptors:
 *
 *   vmasim (parent)                     live child
 *   ---------------                     ----------
 *   pipe, pipe, fork ------------------> pipes to fds 100 (requests) and
 *                                        101 (replies), every other fd
 *                                        above 2 closed, personality,
 *                                        setrlimit, execv(/proc/self/exe
 *                                        scenario --live-child)
 *   <------------------------------------ hello
 *   munmap(window) for each window ----> syscall(SYS_munmap, ...)
 *   maps --------------------------------> /proc/self/maps, brk(0)
 *   ... one request per step ...
 *   exit ---------------------------------> _exit(0)
 *
 * Every run of `vmasim scenario`, with or without --kernel, starts such a
 * child and takes the same first steps, so the layout the simulator loads
 * (without --kernel) is the one the calls meet (with --kernel).
 *
 * Between requests the child only uses read(2) and write(2) on its pipes,
 * raw syscall(2)s and static buffers: nothing allocates, so nothing maps
 * behind the scenario's back.  A touch is madvise(MADV_POPULATE_WRITE),
 * or where that fails, one byte written per page; a page that faults
 * (SIGSEGV, SIGBUS) is caught with siglongjmp() and reported.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/personality.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "scenario_int.h"

#define LIVE_PAGE		4096UL
#define LIVE_STACK_RLIMIT	(8UL << 20)
#define LIVE_PATH_MAX		4096
#define LIVE_MAPS_MAX		(1UL << 20)

enum live_op {
	LIVE_OP_SYSCALL = 1,
	LIVE_OP_TOUCH,
	LIVE_OP_MAPS,
	LIVE_OP_EXIT,
};

/* Where the child's startup failed (struct live_rep.stage). */
enum live_stage {
	LIVE_STAGE_NONE,
	LIVE_STAGE_FDS,
	LIVE_STAGE_PERSONALITY,
	LIVE_STAGE_RLIMIT,
	LIVE_STAGE_EXEC,
};

/**
 * struct live_req - one request to the child.
 * @op: what to do
 * @path_arg: LIVE_OP_SYSCALL: the argument that is @path's address, or -1
 * @nr: LIVE_OP_SYSCALL: the syscall number
 * @arg: LIVE_OP_SYSCALL: its arguments; LIVE_OP_TOUCH: start and end
 * @path: a path or name argument, NUL-terminated
 */
struct live_req {
	unsigned int op;
	int path_arg;
	long nr;
	unsigned long arg[6];
	char path[LIVE_PATH_MAX];
};

/**
 * struct live_rep - one reply; LIVE_OP_MAPS replies are followed by @len
 * bytes of maps text.
 * @ret: the result, or -errno; for the hello, -errno of a failed startup
 * @aux: LIVE_OP_MAPS: brk(0); LIVE_OP_TOUCH: the address that faulted
 * @len: bytes following
 * @stage: the hello: where startup failed (enum live_stage)
 */
struct live_rep {
	long ret;
	unsigned long aux;
	unsigned long len;
	int stage;
};

/* ---- both sides ----------------------------------------------------------- */

static bool write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;
	ssize_t r;

	while (len) {
		r = write(fd, p, len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return false;
		p += r;
		len -= (size_t)r;
	}
	return true;
}

static bool read_all(int fd, void *buf, size_t len)
{
	char *p = buf;
	ssize_t r;

	while (len) {
		r = read(fd, p, len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return false;
		p += r;
		len -= (size_t)r;
	}
	return true;
}

/* ---- the child ---------------------------------------------------------- */

/* Static, so that serving a request never allocates. */
static struct live_req child_req;
static struct live_rep child_rep;
static char child_maps[LIVE_MAPS_MAX];
static sigjmp_buf touch_env;
static volatile sig_atomic_t touch_armed;
static volatile unsigned long touch_fault;

static void touch_handler(int sig, siginfo_t *si, void *uctx)
{
	if (!touch_armed) {
		/* a real crash: die of it */
		signal(sig, SIG_DFL);
		return;
	}
	touch_fault = (unsigned long)si->si_addr;
	siglongjmp(touch_env, 1);
}

/*
 * Write-fault every page of [start, end): with madvise(MADV_POPULATE_WRITE)
 * when it succeeds, so that a recording of the run (vmasim record) shows
 * the faults a log otherwise never has; else one byte per page, which
 * finds the address that faults: -EFAULT with it.
 */
__attribute__((no_sanitize("address")))
static long child_touch(unsigned long start, unsigned long end)
{
	volatile unsigned long addr = start & ~(LIVE_PAGE - 1);

	if (end > addr && !syscall(SYS_madvise, addr, end - addr,
				   23 /* MADV_POPULATE_WRITE */))
		return 0;
	if (sigsetjmp(touch_env, 1)) {
		touch_armed = 0;
		child_rep.aux = touch_fault;
		return -EFAULT;
	}
	for (; addr < end; addr += LIVE_PAGE) {
		touch_armed = 1;
		*(volatile char *)addr = 0;
		touch_armed = 0;
	}
	return 0;
}

/* /proc/self/maps into child_maps: its length, or -errno. */
static long child_read_maps(void)
{
	size_t n = 0;
	ssize_t r;
	int fd = open("/proc/self/maps", O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	for (;;) {
		if (n == sizeof(child_maps)) {
			close(fd);
			return -ENOSPC;
		}
		r = read(fd, child_maps + n, sizeof(child_maps) - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			r = -errno;
			close(fd);
			return r;
		}
		if (!r)
			break;
		n += (size_t)r;
	}
	close(fd);
	return (long)n;
}

static void child_serve(void)
{
	unsigned long *a = child_req.arg;
	long r;

	switch (child_req.op) {
	case LIVE_OP_SYSCALL:
		if (child_req.path_arg >= 0 && child_req.path_arg < 6) {
			child_req.path[LIVE_PATH_MAX - 1] = '\0';
			a[child_req.path_arg] = (unsigned long)child_req.path;
		}
		r = syscall(child_req.nr, a[0], a[1], a[2], a[3], a[4], a[5]);
		child_rep.ret = r == -1 ? -errno : r;
		break;
	case LIVE_OP_TOUCH:
		child_rep.ret = child_touch(a[0], a[1]);
		break;
	case LIVE_OP_MAPS:
		r = child_read_maps();
		if (r < 0)
			child_rep.ret = r;
		else
			child_rep.len = (unsigned long)r;
		child_rep.aux = (unsigned long)syscall(SYS_brk, 0UL);
		break;
	case LIVE_OP_EXIT:
		_exit(0);
	default:
		child_rep.ret = -EINVAL;
		break;
	}
}

/**
 * live_child_main - the live child's main loop (`vmasim scenario
 * --live-child`, run only by live_start()): says hello, then serves
 * requests until told to exit or the parent goes away.
 *
 * Context: the process made by live_start(); never returns.
 */
int live_child_main(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = touch_handler;
	sa.sa_flags = SA_SIGINFO;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGSEGV, &sa, NULL);
	sigaction(SIGBUS, &sa, NULL);

	memset(&child_rep, 0, sizeof(child_rep));
	if (!write_all(LIVE_REP_FD, &child_rep, sizeof(child_rep)))
		_exit(1);
	for (;;) {
		if (!read_all(LIVE_REQ_FD, &child_req, sizeof(child_req)))
			_exit(0);
		memset(&child_rep, 0, sizeof(child_rep));
		child_serve();
		if (!write_all(LIVE_REP_FD, &child_rep, sizeof(child_rep)) ||
		    !write_all(LIVE_REP_FD, child_maps, child_rep.len))
			_exit(1);
	}
}

/* In the forked child: report a failed startup step, and die. */
static void __attribute__((noreturn)) exec_fail(int fd, enum live_stage stage)
{
	struct live_rep rep = { .ret = -errno, .stage = stage };

	write_all(fd, &rep, sizeof(rep));
	_exit(127);
}

/* In the forked child: become the live child (see the top of the file). */
static void __attribute__((noreturn)) live_exec(int req, int rep)
{
	char *argv[] = { "vmasim", "scenario", "--live-child", NULL };
	struct rlimit rl;
	int a, b, i, persona;

	a = fcntl(req, F_DUPFD_CLOEXEC, LIVE_REP_FD + 1);
	b = fcntl(rep, F_DUPFD_CLOEXEC, LIVE_REP_FD + 1);
	if (a < 0 || b < 0)
		exec_fail(rep, LIVE_STAGE_FDS);
	if (dup2(a, LIVE_REQ_FD) < 0 || dup2(b, LIVE_REP_FD) < 0)
		exec_fail(b, LIVE_STAGE_FDS);
	if (close_range(3, LIVE_REQ_FD - 1, 0) ||
	    close_range(LIVE_REP_FD + 1, ~0U, 0))
		exec_fail(LIVE_REP_FD, LIVE_STAGE_FDS);
	for (i = 0; i < 3; i++)
		if (fcntl(i, F_GETFD) < 0 && open("/dev/null", O_RDWR) != i)
			exec_fail(LIVE_REP_FD, LIVE_STAGE_FDS);

	persona = personality(0xffffffff);
	if (persona == -1)
		exec_fail(LIVE_REP_FD, LIVE_STAGE_PERSONALITY);
	if (!(persona & ADDR_NO_RANDOMIZE) &&
	    personality((unsigned long)persona | ADDR_NO_RANDOMIZE) == -1)
		exec_fail(LIVE_REP_FD, LIVE_STAGE_PERSONALITY);

	if (getrlimit(RLIMIT_STACK, &rl))
		exec_fail(LIVE_REP_FD, LIVE_STAGE_RLIMIT);
	if (rl.rlim_cur != LIVE_STACK_RLIMIT) {
		if (rl.rlim_max != RLIM_INFINITY && rl.rlim_max < LIVE_STACK_RLIMIT) {
			errno = EPERM;
			exec_fail(LIVE_REP_FD, LIVE_STAGE_RLIMIT);
		}
		rl.rlim_cur = LIVE_STACK_RLIMIT;
		if (setrlimit(RLIMIT_STACK, &rl))
			exec_fail(LIVE_REP_FD, LIVE_STAGE_RLIMIT);
	}
	execv("/proc/self/exe", argv);
	exec_fail(LIVE_REP_FD, LIVE_STAGE_EXEC);
}

/* ---- the parent ----------------------------------------------------------- */

static void close_fds(struct live_proc *lp)
{
	if (lp->req_fd >= 0)
		close(lp->req_fd);
	if (lp->rep_fd >= 0)
		close(lp->rep_fd);
	lp->req_fd = lp->rep_fd = -1;
}

/* The child stopped answering: reap it and say how it ended. */
static int dead(struct live_proc *lp, const char *during)
{
	int status;

	close_fds(lp);
	if (lp->pid > 0 && waitpid(lp->pid, &status, 0) == lp->pid) {
		if (WIFSIGNALED(status))
			snprintf(lp->why, sizeof(lp->why),
				 "the live child died of signal %d (%s) during %s",
				 WTERMSIG(status), strsignal(WTERMSIG(status)),
				 during);
		else
			snprintf(lp->why, sizeof(lp->why),
				 "the live child exited with status %d during %s",
				 WEXITSTATUS(status), during);
	} else {
		snprintf(lp->why, sizeof(lp->why),
			 "the live child stopped answering during %s", during);
	}
	lp->pid = 0;
	return LIVE_ERROR;
}

static int exchange(struct live_proc *lp, const struct live_req *req,
		    struct live_rep *rep, const char *what)
{
	if (!lp->pid) {
		snprintf(lp->why, sizeof(lp->why), "the live child is not running");
		return LIVE_ERROR;
	}
	if (!write_all(lp->req_fd, req, sizeof(*req)) ||
	    !read_all(lp->rep_fd, rep, sizeof(*rep)))
		return dead(lp, what);
	return 0;
}

/**
 * live_start - start a live child (see "A reproducible process").
 * @lp: filled in
 *
 * Context: forks; the parent should ignore SIGPIPE.
 * Return: 0 with the child running; LIVE_CANNOT when this machine cannot
 * give it a reproducible layout (personality() or the stack rlimit
 * refused, /proc/self/exe not executable): @lp->why says why; LIVE_ERROR
 * for other failures (@lp->why).
 */
int live_start(struct live_proc *lp)
{
	static const char *const stages[] = {
		[LIVE_STAGE_NONE] = "start-up",
		[LIVE_STAGE_FDS] = "moving its descriptors",
		[LIVE_STAGE_PERSONALITY] = "personality(ADDR_NO_RANDOMIZE) (turning ASLR off)",
		[LIVE_STAGE_RLIMIT] = "setting RLIMIT_STACK to 8 MiB",
		[LIVE_STAGE_EXEC] = "executing /proc/self/exe",
	};
	struct live_rep hello;
	int req[2], rep[2];
	pid_t pid;

	memset(lp, 0, sizeof(*lp));
	lp->req_fd = lp->rep_fd = -1;
	if (pipe2(req, O_CLOEXEC))
		goto sys_error;
	if (pipe2(rep, O_CLOEXEC)) {
		close(req[0]);
		close(req[1]);
		goto sys_error;
	}
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		close(req[0]);
		close(req[1]);
		close(rep[0]);
		close(rep[1]);
		goto sys_error;
	}
	if (!pid)
		live_exec(req[0], rep[1]);
	close(req[0]);
	close(rep[1]);
	lp->pid = pid;
	lp->req_fd = req[1];
	lp->rep_fd = rep[0];

	if (!read_all(lp->rep_fd, &hello, sizeof(hello)))
		return dead(lp, "start-up");
	if (hello.ret < 0) {
		int stage = hello.stage >= 0 && hello.stage <= LIVE_STAGE_EXEC ?
			    hello.stage : LIVE_STAGE_NONE;

		snprintf(lp->why, sizeof(lp->why), "the live child failed %s: %s",
			 stages[stage], strerror((int)-hello.ret));
		close_fds(lp);
		waitpid(lp->pid, NULL, 0);
		lp->pid = 0;
		return stage == LIVE_STAGE_FDS ? LIVE_ERROR : LIVE_CANNOT;
	}
	return 0;

sys_error:
	snprintf(lp->why, sizeof(lp->why), "cannot start the live child: %s",
		 strerror(errno));
	return LIVE_ERROR;
}

/**
 * live_syscall - run one system call in the live child.
 * @lp: the child
 * @nr: the syscall number
 * @arg: its six arguments
 * @path_arg: the argument to replace by the child's copy of @path, or -1
 * @path: a path or name (shorter than 4096 bytes), or NULL
 * @ret: its result, or -errno
 *
 * Context: blocks until the child answers.
 * Return: 0, or LIVE_ERROR (@lp->why) if the child died.
 */
int live_syscall(struct live_proc *lp, long nr, const unsigned long arg[6],
		 int path_arg, const char *path, long *ret)
{
	static struct live_req req;
	struct live_rep rep;

	memset(&req, 0, sizeof(req));
	req.op = LIVE_OP_SYSCALL;
	req.nr = nr;
	memcpy(req.arg, arg, sizeof(req.arg));
	req.path_arg = path ? path_arg : -1;
	if (path) {
		if (strlen(path) >= sizeof(req.path)) {
			snprintf(lp->why, sizeof(lp->why), "path too long");
			return LIVE_ERROR;
		}
		strcpy(req.path, path);
	}
	if (exchange(lp, &req, &rep, "a system call"))
		return LIVE_ERROR;
	*ret = rep.ret;
	return 0;
}

/**
 * live_touch - write one byte to every page of [@start, @end) in the
 * live child.
 * @lp: the child
 * @start: first address
 * @end: end address (exclusive)
 * @fault: the address that faulted, when one did
 *
 * Context: blocks until the child answers.
 * Return: 0 when every page was written, 1 when one faulted (@fault),
 * LIVE_ERROR (@lp->why) if the child died.
 */
int live_touch(struct live_proc *lp, unsigned long start, unsigned long end,
	       unsigned long *fault)
{
	static struct live_req req;
	struct live_rep rep;

	memset(&req, 0, sizeof(req));
	req.op = LIVE_OP_TOUCH;
	req.arg[0] = start;
	req.arg[1] = end;
	if (exchange(lp, &req, &rep, "a touch"))
		return LIVE_ERROR;
	if (rep.ret) {
		*fault = rep.aux;
		return 1;
	}
	return 0;
}

/**
 * live_maps - the live child's /proc/self/maps and break.
 * @lp: the child
 * @text: the maps text, malloc'd and NUL-terminated
 * @len: its length
 * @brk: brk(0) in the child
 *
 * Context: blocks until the child answers; allocates.
 * Return: 0, or LIVE_ERROR (@lp->why).
 */
int live_maps(struct live_proc *lp, char **text, size_t *len,
	      unsigned long *brk)
{
	static struct live_req req;
	struct live_rep rep;
	char *buf;

	memset(&req, 0, sizeof(req));
	req.op = LIVE_OP_MAPS;
	if (exchange(lp, &req, &rep, "reading maps"))
		return LIVE_ERROR;
	if (rep.ret < 0) {
		snprintf(lp->why, sizeof(lp->why),
			 "the live child cannot read /proc/self/maps: %s",
			 strerror((int)-rep.ret));
		return LIVE_ERROR;
	}
	buf = malloc(rep.len + 1);
	if (!buf) {
		snprintf(lp->why, sizeof(lp->why), "out of memory");
		return LIVE_ERROR;
	}
	if (!read_all(lp->rep_fd, buf, rep.len)) {
		free(buf);
		return dead(lp, "reading maps");
	}
	buf[rep.len] = '\0';
	*text = buf;
	*len = rep.len;
	*brk = rep.aux;
	return 0;
}

/**
 * live_stop - tell the live child to exit, and reap it.
 * @lp: the child (may have died or never started)
 *
 * Context: blocks until it is gone.
 */
void live_stop(struct live_proc *lp)
{
	static struct live_req req;

	if (lp->pid > 0) {
		memset(&req, 0, sizeof(req));
		req.op = LIVE_OP_EXIT;
		write_all(lp->req_fd, &req, sizeof(req));
		close_fds(lp);
		waitpid(lp->pid, NULL, 0);
	}
	close_fds(lp);
	lp->pid = 0;
}
