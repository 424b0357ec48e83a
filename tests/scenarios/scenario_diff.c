/* SPDX-License-Identifier: MIT */
/*
 * scenario_diff.c - the differential test driver (ctest vma_scenarios_live):
 * runs every scenario of scenarios.c (or those named on the command line)
 * on the live kernel and on the simulator, from the same starting layout,
 * and compares each call's result and the final /proc/PID/maps.
 *
 * Usage: scenario_diff [-v] [-l] [SCENARIO...]
 *   -v  print the calls and layouts of matching scenarios too
 *   -l  list the scenarios and exit
 * Exit: 0 all match, 1 a mismatch, 77 the live side cannot run (skip).
 *
 * DOC: How one scenario runs
 *
 * LIVE: a forked child clears the window SCN_WIN (scenario.h), takes the
 * initial snapshot (open/read of /proc/self/maps into a static buffer) and
 * brk(0), runs the scenario with raw system calls (no malloc or stdio
 * until it is done: a libc allocation would change the layout under the
 * scenario), reads the final snapshot into a second static buffer, and
 * only then writes everything to a pipe.  mlockall(MCL_CURRENT) there
 * faults in and locks all of the child (libc, stack, the static buffers):
 * nothing maps behind the scenario's back, and as root (CAP_IPC_LOCK, what
 * the simulator assumes too) RLIMIT_MEMLOCK does not apply.
 *
 * SIM: an mm made with mm_init() and the machine's mmap_base and limits
 * is loaded with mm_load_maps() from the child's initial snapshot; brk and
 * (without a [heap] line) start_brk come from the child's brk(0).  The
 * child's VMAs were all inherited across fork(), so every loaded VMA that
 * has an anon_vma is marked a fork child's (anon_vma_forked): in Linux
 * its anon_vma chain is not singular and it refuses merges with VMAs that
 * have no anon_vma (mm/vma.c is_mergeable_anon_vma()).  The same scenario
 * runs through libvmasim, with mm_validate() after every call, and
 * mm_show_maps() gives the final layout.
 *
 * A scenario may ask the driver to prepare state the child inherits
 * (SCN_SETUP_HEAP, SCN_SETUP_INHERIT in scenario.h): the driver changes its
 * own address space before the fork and undoes it afterwards.
 *
 * What a snapshot cannot say is guessed: mm_load_maps() takes every
 * anonymous VMA (and every private writable file VMA) as faulted, and the
 * driver then takes them all as inherited with pages.  An inherited VMA
 * that was never written to (an untouched reservation) would merge live
 * with a new neighbour of the same flags but not in the simulator, so the
 * scenarios keep their new mappings from touching inherited ones with the
 * same flags, except where the fork-child rule is the point.
 *
 * COMPARE: each call's result, and the final layouts line by line on
 * start, end, permissions, offset and name (device and inode ignored; a
 * [vsyscall] line is ignored when one side lacks it).
 *
 * DOC: Reproducible layouts, mmap_base and mmap_min_addr
 *
 * The driver re-executes itself once with ADDR_NO_RANDOMIZE (personality)
 * and RLIMIT_STACK at 8 MiB (an unlimited stack rlimit selects the legacy
 * bottom-up layout).  Without randomization x86-64 computes
 * (arch/x86/mm/mmap.c: mmap_base())
 *
 *	mmap_base = PAGE_ALIGN(TASK_SIZE - clamp(rlimit_stack + stack_guard_gap,
 *						 128 MiB, TASK_SIZE / 6 * 5))
 *
 * with TASK_SIZE the end of the [stack] VMA (STACK_TOP without
 * randomization, 0x7ffffffff000); 8 MiB + 1 MiB is below the 128 MiB floor,
 * so mmap_base = 0x7ffff7fff000.  The driver computes this and checks it
 * against its own layout: the program interpreter is the first top-down
 * mapping of a process, so the highest end below the stack is mmap_base.
 * If the two disagree it says so and uses the observed value.
 *
 * The effective mmap_min_addr (the larger of vm.mmap_min_addr and the
 * LSM floor CONFIG_LSM_MMAP_MIN_ADDR; /proc/sys/vm/mmap_min_addr shows only
 * the first) is measured: do_mmap() raises a hint below it to
 * PAGE_ALIGN(mmap_min_addr) (round_hint_to_min()), so an mmap hinted at
 * one page returns it.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/personality.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

/* vma.h defines RLIM_INFINITY too (~0UL, the same value as glibc's). */
#undef RLIM_INFINITY
#include <vmasim/vma.h>

#include "scenario.h"

/*
 * mseal(2) came with Linux 6.10, after this libc's headers; 462 is its
 * number on x86-64 (and on every architecture: it is past the point where
 * the tables were unified).
 */
#ifndef SYS_mseal
#define SYS_mseal	462
#endif

#define SKIP_CODE	77
#define SNAP_MAX	(1UL << 20)
#define STACK_RLIMIT	(8UL << 20)
#define REEXEC_ENV	"VMASIM_SCENARIO_REEXEC"

static bool verbose;

/* What the machine looks like, found once at start-up. */
static unsigned long mmap_base;
static bool legacy_layout;
static struct mm_limits limits;

/* ---- re-exec with a reproducible layout ------------------------------ */

static void skip(const char *why)
{
	printf("SKIP: %s\n", why);
	fflush(stdout);
	exit(SKIP_CODE);
}

static void ensure_layout(char **argv)
{
	struct rlimit rl;
	int persona = personality(0xffffffff);
	bool norand, stack_ok;

	if (persona == -1)
		skip("personality() is not available: cannot turn ASLR off");
	if (getrlimit(RLIMIT_STACK, &rl))
		skip("getrlimit(RLIMIT_STACK) failed");
	norand = persona & ADDR_NO_RANDOMIZE;
	stack_ok = rl.rlim_cur == STACK_RLIMIT;
	if (norand && stack_ok)
		return;
	if (getenv(REEXEC_ENV))
		skip("re-executed, but ASLR is still on or RLIMIT_STACK is not 8 MiB");
	if (!norand && personality(persona | ADDR_NO_RANDOMIZE) == -1)
		skip("personality(ADDR_NO_RANDOMIZE) failed");
	if (!stack_ok) {
		if (rl.rlim_max != RLIM_INFINITY && rl.rlim_max < STACK_RLIMIT)
			skip("the hard RLIMIT_STACK is below 8 MiB");
		rl.rlim_cur = STACK_RLIMIT;
		if (setrlimit(RLIMIT_STACK, &rl))
			skip("setrlimit(RLIMIT_STACK, 8 MiB) failed");
	}
	setenv(REEXEC_ENV, "1", 1);
	execv("/proc/self/exe", argv);
	perror("execv /proc/self/exe");
	skip("cannot re-execute the driver");
}

/* ---- /proc/PID/maps text, without allocating ------------------------- */

/* Read /proc/self/maps into @buf; returns its length or -errno. */
static long read_maps(char *buf, size_t size)
{
	size_t n = 0;
	long r;
	int fd = open("/proc/self/maps", O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	for (;;) {
		if (n == size) {
			close(fd);
			return -ENOSPC;
		}
		r = read(fd, buf + n, size - n);
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

static unsigned long parse_hex(const char **pp)
{
	const char *p = *pp;
	unsigned long v = 0;

	for (;; p++) {
		if (*p >= '0' && *p <= '9')
			v = v * 16 + (unsigned long)(*p - '0');
		else if (*p >= 'a' && *p <= 'f')
			v = v * 16 + (unsigned long)(*p - 'a' + 10);
		else if (*p >= 'A' && *p <= 'F')
			v = v * 16 + (unsigned long)(*p - 'A' + 10);
		else
			break;
	}
	*pp = p;
	return v;
}

/* Does the line [@p, @e) end with @name? */
static bool line_ends_with(const char *p, const char *e, const char *name)
{
	size_t n = strlen(name);

	return (size_t)(e - p) >= n && !memcmp(e - n, name, n);
}

/**
 * struct snap_info - what scenarios need from a snapshot.
 * @heap: the start of the first [heap] line, or 0
 * @stack: the start of the [stack] line, or 0
 * @td_low: the lowest start at or above SCN_TOPDOWN_MIN, or 0
 */
struct snap_info {
	unsigned long heap;
	unsigned long stack;
	unsigned long td_low;
};

/*
 * Scan a snapshot into @si and, if @s is not NULL, the VMA ranges into
 * s->init; no allocation (the live child calls it).
 */
static void snap_scan(const char *snap, size_t len, struct snap_info *si,
		      struct scn *s)
{
	const char *p = snap, *end = snap + len;

	si->heap = si->stack = si->td_low = 0;
	while (p < end) {
		const char *e = memchr(p, '\n', (size_t)(end - p));
		const char *q = p;
		unsigned long start, vend;

		if (!e)
			e = end;
		start = parse_hex(&q);
		q += *q == '-';
		vend = parse_hex(&q);
		if (s && s->nr_init < SCN_MAX_INIT &&
		    !line_ends_with(p, e, "[vsyscall]")) {
			s->init[s->nr_init].start = start;
			s->init[s->nr_init].end = vend;
			s->nr_init++;
		}
		if (!si->heap && line_ends_with(p, e, "[heap]"))
			si->heap = start;
		if (line_ends_with(p, e, "[stack]"))
			si->stack = start;
		if (!si->td_low && start >= SCN_TOPDOWN_MIN)
			si->td_low = start;
		p = e + 1;
	}
}

/* ---- the live side ----------------------------------------------------- */

static long live_ret(long r)
{
	return r == -1 ? -errno : r;
}

static long live_mmap(struct scn *s, unsigned long addr, unsigned long len,
		      unsigned long prot, unsigned long flags)
{
	return live_ret(syscall(SYS_mmap, addr, len, prot, flags, -1L, 0L));
}

static long live_munmap(struct scn *s, unsigned long addr, unsigned long len)
{
	return live_ret(syscall(SYS_munmap, addr, len));
}

static long live_mprotect(struct scn *s, unsigned long addr, unsigned long len,
			  unsigned long prot)
{
	return live_ret(syscall(SYS_mprotect, addr, len, prot));
}

static long live_brk(struct scn *s, unsigned long addr)
{
	return syscall(SYS_brk, addr);
}

static long live_touch(struct scn *s, unsigned long addr, unsigned long len)
{
	unsigned long p;

	for (p = addr & ~(SCN_PAGE - 1); p < addr + len; p += SCN_PAGE)
		*(volatile char *)p = 0;
	return 0;
}

static long live_mremap(struct scn *s, unsigned long addr,
			unsigned long old_len, unsigned long new_len,
			unsigned long flags, unsigned long new_addr)
{
	return live_ret(syscall(SYS_mremap, addr, old_len, new_len, flags,
				new_addr));
}

static long live_madvise(struct scn *s, unsigned long addr, unsigned long len,
			 unsigned long advice)
{
	return live_ret(syscall(SYS_madvise, addr, len, advice));
}

static long live_mlock(struct scn *s, unsigned long addr, unsigned long len,
		       unsigned long flags)
{
	return live_ret(syscall(SYS_mlock2, addr, len, flags));
}

static long live_munlock(struct scn *s, unsigned long addr, unsigned long len)
{
	return live_ret(syscall(SYS_munlock, addr, len));
}

static long live_mlockall(struct scn *s, unsigned long flags)
{
	return live_ret(syscall(SYS_mlockall, flags));
}

static long live_munlockall(struct scn *s)
{
	return live_ret(syscall(SYS_munlockall));
}

static long live_mseal(struct scn *s, unsigned long addr, unsigned long len,
		       unsigned long flags)
{
	return live_ret(syscall(SYS_mseal, addr, len, flags));
}

static const struct scn_ops live_ops = {
	.name = "live",
	.mmap = live_mmap,
	.munmap = live_munmap,
	.mprotect = live_mprotect,
	.brk = live_brk,
	.touch = live_touch,
	.mremap = live_mremap,
	.madvise = live_madvise,
	.mlock = live_mlock,
	.munlock = live_munlock,
	.mlockall = live_mlockall,
	.munlockall = live_munlockall,
	.mseal = live_mseal,
};

/**
 * struct live_hdr - what the child sends first, followed by its struct scn
 * and the two snapshots.
 */
struct live_hdr {
	long len0;
	long len1;
	unsigned long brk0;
};

/* The child's buffers: static, so that the scenario sees no allocation. */
static char child_snap0[SNAP_MAX];
static char child_snap1[SNAP_MAX];
static struct scn child_scn;

static bool write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len) {
		ssize_t r = write(fd, p, len);

		if (r < 0) {
			if (errno == EINTR)
				continue;
			return false;
		}
		p += r;
		len -= (size_t)r;
	}
	return true;
}

static void __attribute__((noreturn)) live_child(const struct scenario *sc, int fd)
{
	struct live_hdr hdr = { 0 };
	struct snap_info si = { 0 };

	/* The window is the scenarios' own (see SCN_WIN). */
	syscall(SYS_munmap, SCN_WIN, SCN_WIN_LEN);
	hdr.len0 = read_maps(child_snap0, SNAP_MAX);
	hdr.brk0 = (unsigned long)syscall(SYS_brk, 0UL);
	if (hdr.len0 > 0)
		snap_scan(child_snap0, (size_t)hdr.len0, &si, &child_scn);
	child_scn.ops = &live_ops;
	child_scn.mmap_base = mmap_base;
	child_scn.brk0 = hdr.brk0;
	child_scn.start_brk = si.heap ? si.heap : hdr.brk0;
	child_scn.stack_start = si.stack;
	child_scn.td_low = si.td_low;
	if (hdr.len0 > 0)
		sc->run(&child_scn);
	hdr.len1 = read_maps(child_snap1, SNAP_MAX);

	if (!write_all(fd, &hdr, sizeof(hdr)) ||
	    !write_all(fd, &child_scn, sizeof(child_scn)) ||
	    (hdr.len0 > 0 && !write_all(fd, child_snap0, (size_t)hdr.len0)) ||
	    (hdr.len1 > 0 && !write_all(fd, child_snap1, (size_t)hdr.len1)))
		_exit(2);
	_exit(0);
}

/**
 * struct run - one scenario's outcome on both sides.
 */
struct run {
	const struct scenario *sc;
	/* live */
	char *snap0;
	size_t len0;
	char *live_maps;
	size_t live_len;
	unsigned long brk0;
	struct scn live;
	/* sim */
	struct scn sim;
	char *sim_maps;
	size_t sim_len;
	long validate_at;	/* first call after which mm_validate failed, or -1 */
	/* failures of the harness itself */
	char error[512];
};

static int run_live(struct run *run)
{
	size_t cap = 2 * SNAP_MAX + sizeof(struct live_hdr) + sizeof(struct scn);
	char *buf = malloc(cap);
	struct live_hdr hdr;
	size_t n = 0;
	int pfd[2], status;
	pid_t pid;

	if (!buf || pipe(pfd)) {
		snprintf(run->error, sizeof(run->error), "no memory or pipe");
		free(buf);
		return -1;
	}
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		snprintf(run->error, sizeof(run->error), "fork: %s", strerror(errno));
		free(buf);
		return -1;
	}
	if (!pid) {
		close(pfd[0]);
		live_child(run->sc, pfd[1]);
	}
	close(pfd[1]);
	for (;;) {
		ssize_t r = read(pfd[0], buf + n, cap - n);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		n += (size_t)r;
		if (n == cap)
			break;
	}
	close(pfd[0]);
	waitpid(pid, &status, 0);
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		if (WIFSIGNALED(status))
			snprintf(run->error, sizeof(run->error),
				 "live child killed by signal %d", WTERMSIG(status));
		else
			snprintf(run->error, sizeof(run->error),
				 "live child exited with %d", WEXITSTATUS(status));
		free(buf);
		return -1;
	}
	if (n < sizeof(hdr) + sizeof(struct scn)) {
		snprintf(run->error, sizeof(run->error), "short output from the child");
		free(buf);
		return -1;
	}
	memcpy(&hdr, buf, sizeof(hdr));
	memcpy(&run->live, buf + sizeof(hdr), sizeof(struct scn));
	if (hdr.len0 <= 0 || hdr.len1 <= 0 ||
	    n != sizeof(hdr) + sizeof(struct scn) + (size_t)hdr.len0 + (size_t)hdr.len1) {
		snprintf(run->error, sizeof(run->error),
			 "the child could not read /proc/self/maps (%ld, %ld)",
			 hdr.len0, hdr.len1);
		free(buf);
		return -1;
	}
	run->brk0 = hdr.brk0;
	run->len0 = (size_t)hdr.len0;
	run->live_len = (size_t)hdr.len1;
	run->snap0 = malloc(run->len0 + 1);
	run->live_maps = malloc(run->live_len + 1);
	if (!run->snap0 || !run->live_maps) {
		snprintf(run->error, sizeof(run->error), "no memory");
		free(buf);
		return -1;
	}
	memcpy(run->snap0, buf + sizeof(hdr) + sizeof(struct scn), run->len0);
	run->snap0[run->len0] = 0;
	memcpy(run->live_maps, buf + sizeof(hdr) + sizeof(struct scn) + run->len0,
	       run->live_len);
	run->live_maps[run->live_len] = 0;
	free(buf);
	return 0;
}

/* ---- the simulator side ------------------------------------------------ */

/**
 * struct sim_side - what the simulator's operations work on.
 * @mm: the simulated address space
 * @validate_at: index of the first call after which mm_validate() failed,
 *	or -1
 */
struct sim_side {
	struct mm_struct *mm;
	long validate_at;
};

static void sim_check(struct scn *s)
{
	struct sim_side *side = s->priv;

	if (side->validate_at < 0 && mm_validate(side->mm)) {
		side->validate_at = s->nr;	/* the call being made now */
		fprintf(stderr, "  (mm_validate failed after call %u)\n", s->nr + 1);
	}
}

static long sim_mmap(struct scn *s, unsigned long addr, unsigned long len,
		     unsigned long prot, unsigned long flags)
{
	struct mm_struct *mm = ((struct sim_side *)s->priv)->mm;
	long r;

	mmap_write_lock(mm);
	r = (long)do_mmap(mm, NULL, addr, len, prot, flags, 0);
	sim_check(s);
	mmap_write_unlock(mm);
	return r;
}

static long sim_munmap(struct scn *s, unsigned long addr, unsigned long len)
{
	struct mm_struct *mm = ((struct sim_side *)s->priv)->mm;
	long r;

	mmap_write_lock(mm);
	r = do_munmap(mm, addr, len);
	sim_check(s);
	mmap_write_unlock(mm);
	return r;
}

static long sim_mprotect(struct scn *s, unsigned long addr, unsigned long len,
			 unsigned long prot)
{
	struct mm_struct *mm = ((struct sim_side *)s->priv)->mm;
	long r;

	mmap_write_lock(mm);
	r = do_mprotect_pkey(mm, addr, len, prot, -1);
	sim_check(s);
	mmap_write_unlock(mm);
	return r;
}

static long sim_brk(struct scn *s, unsigned long addr)
{
	struct mm_struct *mm = ((struct sim_side *)s->priv)->mm;
	long r;

	mmap_write_lock(mm);
	r = (long)do_brk_syscall(mm, addr);
	sim_check(s);
	mmap_write_unlock(mm);
	return r;
}

static long sim_touch(struct scn *s, unsigned long addr, unsigned long len)
{
	struct mm_struct *mm = ((struct sim_side *)s->priv)->mm;
	long r;

	mmap_write_lock(mm);
	r = vma_touch(mm, addr & ~(SCN_PAGE - 1), addr + len);
	sim_check(s);
	mmap_write_unlock(mm);
	return r;
}

static long sim_mremap(struct scn *s, unsigned long addr, unsigned long old_len,
		       unsigned long new_len, unsigned long flags,
		       unsigned long new_addr)
{
	struct mm_struct *mm = ((struct sim_side *)s->priv)->mm;
	long r;

	mmap_write_lock(mm);
	r = (long)do_mremap(mm, addr, old_len, new_len, flags, new_addr);
	sim_check(s);
	mmap_write_unlock(mm);
	return r;
}

static long sim_madvise(struct scn *s, unsigned long addr, unsigned long len,
			unsigned long advice)
{
	struct mm_struct *mm = ((struct sim_side *)s->priv)->mm;
	long r;

	mmap_write_lock(mm);
	r = do_madvise(mm, addr, len, (int)advice);
	sim_check(s);
	mmap_write_unlock(mm);
	return r;
}

static long sim_mlock(struct scn *s, unsigned long addr, unsigned long len,
		      unsigned long flags)
{
	struct mm_struct *mm = ((struct sim_side *)s->priv)->mm;
	long r;

	mmap_write_lock(mm);
	r = do_mlock(mm, addr, len, (unsigned int)flags);
	sim_check(s);
	mmap_write_unlock(mm);
	return r;
}

static long sim_munlock(struct scn *s, unsigned long addr, unsigned long len)
{
	struct mm_struct *mm = ((struct sim_side *)s->priv)->mm;
	long r;

	mmap_write_lock(mm);
	r = do_munlock(mm, addr, len);
	sim_check(s);
	mmap_write_unlock(mm);
	return r;
}

static long sim_mlockall(struct scn *s, unsigned long flags)
{
	struct mm_struct *mm = ((struct sim_side *)s->priv)->mm;
	long r;

	mmap_write_lock(mm);
	r = do_mlockall(mm, (int)flags);
	sim_check(s);
	mmap_write_unlock(mm);
	return r;
}

static long sim_munlockall(struct scn *s)
{
	struct mm_struct *mm = ((struct sim_side *)s->priv)->mm;
	long r;

	mmap_write_lock(mm);
	r = do_munlockall(mm);
	sim_check(s);
	mmap_write_unlock(mm);
	return r;
}

static long sim_mseal(struct scn *s, unsigned long addr, unsigned long len,
		      unsigned long flags)
{
	struct mm_struct *mm = ((struct sim_side *)s->priv)->mm;
	long r;

	mmap_write_lock(mm);
	r = do_mseal(mm, addr, len, flags);
	sim_check(s);
	mmap_write_unlock(mm);
	return r;
}

static const struct scn_ops sim_ops = {
	.name = "sim",
	.mmap = sim_mmap,
	.munmap = sim_munmap,
	.mprotect = sim_mprotect,
	.brk = sim_brk,
	.touch = sim_touch,
	.mremap = sim_mremap,
	.madvise = sim_madvise,
	.mlock = sim_mlock,
	.munlock = sim_munlock,
	.mlockall = sim_mlockall,
	.munlockall = sim_munlockall,
	.mseal = sim_mseal,
};

/* Every inherited VMA with an anon_vma is a fork child's (see the top). */
static void sim_mark_forked(struct mm_struct *mm)
{
	VMA_ITERATOR(vmi, mm, 0);
	struct vm_area_struct *vma;

	mmap_write_lock(mm);
	for_each_vma(vmi, vma)
		if (vma->anon_vma)
			vma->anon_vma_forked = true;
	mmap_write_unlock(mm);
}

static int run_sim(struct run *run)
{
	struct mm_struct *mm = calloc(1, sizeof(*mm));
	struct sim_side side = { .mm = mm, .validate_at = -1 };
	char *err = NULL;
	FILE *in;
	int ret;

	run->validate_at = -1;
	if (!mm) {
		snprintf(run->error, sizeof(run->error), "no memory");
		return -1;
	}
	mm_init(mm, mmap_base, legacy_layout, &limits);
	in = fmemopen(run->snap0, run->len0, "r");
	if (!in) {
		snprintf(run->error, sizeof(run->error), "fmemopen failed");
		free(mm);
		return -1;
	}
	ret = mm_load_maps(mm, in, "initial snapshot", &err);
	fclose(in);
	if (ret) {
		snprintf(run->error, sizeof(run->error), "mm_load_maps: %s (%d)",
			 err ? err : "?", ret);
		free(err);
		exit_mmap(mm);
		free(mm);
		return -1;
	}
	/* The break itself is not in the snapshot: take brk(0). */
	mmap_write_lock(mm);
	mm->start_brk = run->live.start_brk;
	mm->brk = run->brk0;
	mmap_write_unlock(mm);
	sim_mark_forked(mm);

	mmap_write_lock(mm);
	ret = mm_validate(mm);
	mmap_write_unlock(mm);
	if (ret) {
		snprintf(run->error, sizeof(run->error),
			 "the loaded initial snapshot fails mm_validate");
		exit_mmap(mm);
		free(mm);
		return -1;
	}

	run->sim.ops = &sim_ops;
	run->sim.priv = &side;
	run->sim.brk0 = run->live.brk0;
	run->sim.start_brk = run->live.start_brk;
	run->sim.stack_start = run->live.stack_start;
	run->sim.td_low = run->live.td_low;
	run->sim.mmap_base = run->live.mmap_base;
	run->sim.nr_init = run->live.nr_init;
	memcpy(run->sim.init, run->live.init, sizeof(run->sim.init));
	run->sc->run(&run->sim);
	run->sim.priv = NULL;
	run->validate_at = side.validate_at;

	run->sim_maps = mm_maps_text(mm, &run->sim_len);
	exit_mmap(mm);
	free(mm);
	if (!run->sim_maps) {
		snprintf(run->error, sizeof(run->error), "mm_show_maps failed");
		return -1;
	}
	return 0;
}

/* ---- comparing ----------------------------------------------------------- */

/**
 * struct mline - the compared fields of one maps line.
 * @key: "start-end perms offset name", what is compared
 * @text: the whole line, for the report
 */
struct mline {
	char *key;
	char *text;
	bool vsyscall;
};

/* Split maps text into lines; returns how many (the array is malloc'd). */
static size_t parse_lines(const char *text, size_t len, struct mline **out)
{
	const char *p = text, *end = text + len;
	struct mline *lines = NULL;
	size_t n = 0, cap = 0;

	while (p < end) {
		const char *e = memchr(p, '\n', (size_t)(end - p));
		const char *q = p, *name;
		unsigned long start, vend, off;
		char perms[5] = "????";
		int field;

		if (!e)
			e = end;
		if (e == p) {
			p = e + 1;
			continue;
		}
		if (n == cap) {
			cap = cap ? 2 * cap : 64;
			lines = realloc(lines, cap * sizeof(*lines));
			if (!lines)
				abort();
		}
		start = parse_hex(&q);
		q += *q == '-';
		vend = parse_hex(&q);
		while (q < e && *q == ' ')
			q++;
		if (e - q >= 4)
			memcpy(perms, q, 4);
		q += 4;
		while (q < e && *q == ' ')
			q++;
		off = parse_hex(&q);
		/* skip device and inode, then the padding */
		for (field = 0; field < 2; field++) {
			while (q < e && *q == ' ')
				q++;
			while (q < e && *q != ' ')
				q++;
		}
		while (q < e && *q == ' ')
			q++;
		name = q;
		if (asprintf(&lines[n].key, "%lx-%lx %s %08lx %.*s", start, vend,
			     perms, off, (int)(e - name), name) < 0 ||
		    asprintf(&lines[n].text, "%.*s", (int)(e - p), p) < 0)
			abort();
		lines[n].vsyscall = line_ends_with(name, e, "[vsyscall]");
		n++;
		p = e + 1;
	}
	*out = lines;
	return n;
}

static void free_lines(struct mline *lines, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(lines[i].key);
		free(lines[i].text);
	}
	free(lines);
}

/* Drop a [vsyscall] line that the other side lacks. */
static void drop_lone_vsyscall(struct mline *a, size_t *na, struct mline *b,
			       size_t *nb)
{
	bool va = *na && a[*na - 1].vsyscall, vb = *nb && b[*nb - 1].vsyscall;

	if (va && !vb) {
		free(a[*na - 1].key);
		free(a[*na - 1].text);
		(*na)--;
	} else if (vb && !va) {
		free(b[*nb - 1].key);
		free(b[*nb - 1].text);
		(*nb)--;
	}
}

/*
 * A unified-diff-like listing of two layouts (LCS on the keys): " " both,
 * "-" live only, "+" sim only; with @context >= 0 only that many lines
 * around each difference are shown.
 */
static void print_layout_diff(const struct mline *a, size_t na,
			      const struct mline *b, size_t nb, long context)
{
	unsigned int *lcs = calloc((na + 1) * (nb + 1), sizeof(*lcs));
	struct { char op; const char *key; } *ed = calloc(na + nb + 1, sizeof(*ed));
	size_t i, j, n = 0, k;
	long last_shown = -1;

#define L(i, j) lcs[(i) * (nb + 1) + (j)]
	if (!lcs || !ed)
		abort();
	for (i = na; i-- > 0;)
		for (j = nb; j-- > 0;)
			L(i, j) = !strcmp(a[i].key, b[j].key) ? L(i + 1, j + 1) + 1 :
				  L(i + 1, j) > L(i, j + 1) ? L(i + 1, j) : L(i, j + 1);
	i = j = 0;
	while (i < na || j < nb) {
		if (i < na && j < nb && !strcmp(a[i].key, b[j].key)) {
			ed[n].op = ' ';
			ed[n++].key = a[i].key;
			i++;
			j++;
		} else if (i < na && (j == nb || L(i + 1, j) >= L(i, j + 1))) {
			ed[n].op = '-';
			ed[n++].key = a[i].key;
			i++;
		} else {
			ed[n].op = '+';
			ed[n++].key = b[j].key;
			j++;
		}
	}
#undef L
	printf("    --- live\n    +++ sim\n");
	for (k = 0; k < n; k++) {
		bool show = context < 0;
		size_t d;

		for (d = k > (size_t)context ? k - (size_t)context : 0;
		     !show && d < n && d <= k + (size_t)context; d++)
			show = ed[d].op != ' ';
		if (!show)
			continue;
		if (last_shown >= 0 && (size_t)last_shown + 1 != k)
			printf("    ...\n");
		printf("    %c%s\n", ed[k].op, ed[k].key);
		last_shown = (long)k;
	}
	free(ed);
	free(lcs);
}

/* ---- reporting ------------------------------------------------------------ */

static const char *errno_name(long e)
{
	switch (e) {
	case EINVAL: return "EINVAL";
	case ENOMEM: return "ENOMEM";
	case EEXIST: return "EEXIST";
	case EPERM: return "EPERM";
	case EACCES: return "EACCES";
	case EFAULT: return "EFAULT";
	case EAGAIN: return "EAGAIN";
	case EBADF: return "EBADF";
	case ENODEV: return "ENODEV";
	case EOVERFLOW: return "EOVERFLOW";
	case EOPNOTSUPP: return "EOPNOTSUPP";
	default: return NULL;
	}
}

static void fmt_ret(char *buf, size_t size, long r)
{
	if (r < 0 && r >= -4095) {
		const char *name = errno_name(-r);

		if (name)
			snprintf(buf, size, "-%s", name);
		else
			snprintf(buf, size, "%ld", r);
	} else if (r >= 0 && r < 4096) {
		snprintf(buf, size, "%ld", r);
	} else {
		snprintf(buf, size, "%#lx", (unsigned long)r);
	}
}

static void fmt_prot(char *buf, size_t size, unsigned long prot)
{
	static const struct { unsigned long bit; const char *name; } bits[] = {
		{ 0x8, "SEM" }, { SCN_PROT_GROWSDOWN, "GROWSDOWN" },
		{ SCN_PROT_GROWSUP, "GROWSUP" },
	};
	size_t n, i;

	n = (size_t)snprintf(buf, size, "%s%s%s",
			     prot & SCN_PROT_READ ? "R" : "",
			     prot & SCN_PROT_WRITE ? "W" : "",
			     prot & SCN_PROT_EXEC ? "X" : "");
	if (!n)
		n = (size_t)snprintf(buf, size, "NONE");
	prot &= ~(unsigned long)(SCN_PROT_READ | SCN_PROT_WRITE | SCN_PROT_EXEC);
	for (i = 0; i < sizeof(bits) / sizeof(bits[0]); i++)
		if (prot & bits[i].bit) {
			n += (size_t)snprintf(buf + n, size - n, "|%s", bits[i].name);
			prot &= ~bits[i].bit;
		}
	if (prot)
		snprintf(buf + n, size - n, "|%#lx", prot);
}

static void fmt_flags(char *buf, size_t size, unsigned long flags)
{
	static const char *const types[16] = {
		[0] = "NOTYPE", [SCN_MAP_SHARED] = "SHARED",
		[SCN_MAP_PRIVATE] = "PRIVATE",
		[SCN_MAP_SHARED_VALIDATE] = "SHARED_VALIDATE",
		[SCN_MAP_DROPPABLE] = "DROPPABLE",
	};
	static const struct { unsigned long bit; const char *name; } bits[] = {
		{ SCN_MAP_FIXED, "FIXED" }, { SCN_MAP_ANONYMOUS, "ANON" },
		{ SCN_MAP_32BIT, "32BIT" }, { SCN_MAP_GROWSDOWN, "GROWSDOWN" },
		{ SCN_MAP_LOCKED, "LOCKED" }, { SCN_MAP_NORESERVE, "NORESERVE" },
		{ SCN_MAP_POPULATE, "POPULATE" }, { SCN_MAP_STACK, "STACK" },
		{ SCN_MAP_SYNC, "SYNC" },
		{ SCN_MAP_FIXED_NOREPLACE, "FIXED_NOREPLACE" },
	};
	unsigned long type = flags & 0xf;
	size_t n, i;

	if (types[type])
		n = (size_t)snprintf(buf, size, "%s", types[type]);
	else
		n = (size_t)snprintf(buf, size, "TYPE%#lx", type);
	flags &= ~0xfUL;
	for (i = 0; i < sizeof(bits) / sizeof(bits[0]); i++)
		if (flags & bits[i].bit) {
			n += (size_t)snprintf(buf + n, size - n, "|%s", bits[i].name);
			flags &= ~bits[i].bit;
		}
	if (flags)
		snprintf(buf + n, size - n, "|%#lx", flags);
}

/* "A|B|0x..." for the bits of @v named in @bits, else "0". */
struct bit_name {
	unsigned long bit;
	const char *name;
};

static void fmt_bits(char *buf, size_t size, unsigned long v,
		     const struct bit_name *bits, size_t nr)
{
	size_t n = 0, i;

	buf[0] = 0;
	for (i = 0; i < nr && n < size; i++)
		if (v & bits[i].bit) {
			n += (size_t)snprintf(buf + n, size - n, "%s%s",
					      n ? "|" : "", bits[i].name);
			v &= ~bits[i].bit;
		}
	if (n < size && (v || !n))
		snprintf(buf + n, size - n, "%s%#lx", n ? "|" : "", v);
}

static void fmt_mremap_flags(char *buf, size_t size, unsigned long flags)
{
	static const struct bit_name bits[] = {
		{ SCN_MREMAP_MAYMOVE, "MAYMOVE" }, { SCN_MREMAP_FIXED, "FIXED" },
		{ SCN_MREMAP_DONTUNMAP, "DONTUNMAP" },
	};

	fmt_bits(buf, size, flags, bits, sizeof(bits) / sizeof(bits[0]));
}

static void fmt_mcl_flags(char *buf, size_t size, unsigned long flags)
{
	static const struct bit_name bits[] = {
		{ SCN_MCL_CURRENT, "CURRENT" }, { SCN_MCL_FUTURE, "FUTURE" },
		{ SCN_MCL_ONFAULT, "ONFAULT" },
	};

	fmt_bits(buf, size, flags, bits, sizeof(bits) / sizeof(bits[0]));
}

static void fmt_advice(char *buf, size_t size, unsigned long advice)
{
	static const char *const names[] = {
		[SCN_MADV_NORMAL] = "NORMAL", [SCN_MADV_RANDOM] = "RANDOM",
		[SCN_MADV_SEQUENTIAL] = "SEQUENTIAL",
		[SCN_MADV_WILLNEED] = "WILLNEED", [SCN_MADV_DONTNEED] = "DONTNEED",
		[SCN_MADV_FREE] = "FREE", [SCN_MADV_DONTFORK] = "DONTFORK",
		[SCN_MADV_DOFORK] = "DOFORK", [SCN_MADV_HUGEPAGE] = "HUGEPAGE",
		[SCN_MADV_NOHUGEPAGE] = "NOHUGEPAGE",
		[SCN_MADV_DONTDUMP] = "DONTDUMP", [SCN_MADV_DODUMP] = "DODUMP",
		[SCN_MADV_WIPEONFORK] = "WIPEONFORK",
		[SCN_MADV_KEEPONFORK] = "KEEPONFORK",
	};

	if (advice < sizeof(names) / sizeof(names[0]) && names[advice])
		snprintf(buf, size, "MADV_%s", names[advice]);
	else
		snprintf(buf, size, "%lu", advice);
}

static void fmt_call(char *buf, size_t size, const struct scn_rec *r)
{
	char p[64], f[96];

	switch (r->call) {
	case SCN_MMAP:
		fmt_prot(p, sizeof(p), r->arg[2]);
		fmt_flags(f, sizeof(f), r->arg[3]);
		snprintf(buf, size, "mmap(%#lx, %#lx, %s, %s)", r->arg[0], r->arg[1],
			 p, f);
		break;
	case SCN_MUNMAP:
		snprintf(buf, size, "munmap(%#lx, %#lx)", r->arg[0], r->arg[1]);
		break;
	case SCN_MPROTECT:
		fmt_prot(p, sizeof(p), r->arg[2]);
		snprintf(buf, size, "mprotect(%#lx, %#lx, %s)", r->arg[0], r->arg[1], p);
		break;
	case SCN_BRK:
		snprintf(buf, size, "brk(%#lx)", r->arg[0]);
		break;
	case SCN_TOUCH:
		snprintf(buf, size, "touch(%#lx, %#lx)", r->arg[0], r->arg[1]);
		break;
	case SCN_MREMAP:
		fmt_mremap_flags(f, sizeof(f), r->arg[3]);
		if (r->arg[3] & (SCN_MREMAP_FIXED | SCN_MREMAP_DONTUNMAP) ||
		    r->arg[4])
			snprintf(buf, size, "mremap(%#lx, %#lx, %#lx, %s, %#lx)",
				 r->arg[0], r->arg[1], r->arg[2], f, r->arg[4]);
		else
			snprintf(buf, size, "mremap(%#lx, %#lx, %#lx, %s)",
				 r->arg[0], r->arg[1], r->arg[2], f);
		break;
	case SCN_MADVISE:
		fmt_advice(f, sizeof(f), r->arg[2]);
		snprintf(buf, size, "madvise(%#lx, %#lx, %s)", r->arg[0],
			 r->arg[1], f);
		break;
	case SCN_MLOCK:
		if (r->arg[2] == SCN_MLOCK_ONFAULT)
			snprintf(f, sizeof(f), "MLOCK_ONFAULT");
		else
			snprintf(f, sizeof(f), "%#lx", r->arg[2]);
		snprintf(buf, size, "mlock2(%#lx, %#lx, %s)", r->arg[0],
			 r->arg[1], f);
		break;
	case SCN_MUNLOCK:
		snprintf(buf, size, "munlock(%#lx, %#lx)", r->arg[0], r->arg[1]);
		break;
	case SCN_MLOCKALL:
		fmt_mcl_flags(f, sizeof(f), r->arg[0]);
		snprintf(buf, size, "mlockall(%s)", f);
		break;
	case SCN_MUNLOCKALL:
		snprintf(buf, size, "munlockall()");
		break;
	case SCN_MSEAL:
		snprintf(buf, size, "mseal(%#lx, %#lx, %#lx)", r->arg[0],
			 r->arg[1], r->arg[2]);
		break;
	}
}

static bool same_rec(const struct scn_rec *a, const struct scn_rec *b)
{
	return a->call == b->call && !memcmp(a->arg, b->arg, sizeof(a->arg)) &&
	       a->ret == b->ret;
}

static void print_calls(const struct run *run)
{
	unsigned int i, n = run->live.nr > run->sim.nr ? run->live.nr : run->sim.nr;
	char call[256], lr[32], sr[32];

	printf("    calls (live | sim):\n");
	for (i = 0; i < n; i++) {
		const struct scn_rec *l = i < run->live.nr ? &run->live.rec[i] : NULL;
		const struct scn_rec *s = i < run->sim.nr ? &run->sim.rec[i] : NULL;
		bool same = l && s && same_rec(l, s);

		fmt_call(call, sizeof(call), l ? l : s);
		snprintf(lr, sizeof(lr), "-");
		snprintf(sr, sizeof(sr), "-");
		if (l)
			fmt_ret(lr, sizeof(lr), l->ret);
		if (s)
			fmt_ret(sr, sizeof(sr), s->ret);
		printf("    %c %2u %-64s = %-16s | %s", same ? ' ' : '!', i + 1, call,
		       lr, sr);
		if (l && s && !same && (l->call != s->call ||
					memcmp(l->arg, s->arg, sizeof(l->arg)))) {
			fmt_call(call, sizeof(call), s);
			printf("   [sim called %s]", call);
		}
		if (run->validate_at == (long)i)
			printf("   [mm_validate failed]");
		printf("\n");
	}
	if (run->live.overflow || run->sim.overflow)
		printf("    (more than %d calls: the rest were not logged)\n",
		       SCN_MAX_CALLS);
}

/* Compare and report one scenario; returns true if it matches. */
static bool compare(struct run *run)
{
	struct mline *a, *b;
	size_t na, nb, i;
	bool calls_ok = run->live.nr == run->sim.nr, maps_ok;

	for (i = 0; calls_ok && i < run->live.nr; i++)
		calls_ok = same_rec(&run->live.rec[i], &run->sim.rec[i]);
	na = parse_lines(run->live_maps, run->live_len, &a);
	nb = parse_lines(run->sim_maps, run->sim_len, &b);
	drop_lone_vsyscall(a, &na, b, &nb);
	maps_ok = na == nb;
	for (i = 0; maps_ok && i < na; i++)
		maps_ok = !strcmp(a[i].key, b[i].key);

	if (calls_ok && maps_ok && run->validate_at < 0) {
		printf("ok    %s\n", run->sc->name);
		if (verbose) {
			print_calls(run);
			print_layout_diff(a, na, b, nb, -1);
		}
	} else {
		printf("FAIL  %s: %s%s%s%s\n", run->sc->name, run->sc->what,
		       calls_ok ? "" : "; results differ",
		       maps_ok ? "" : "; layouts differ",
		       run->validate_at < 0 ? "" : "; mm_validate failed");
		printf("    start: brk %#lx, start_brk %#lx\n", run->brk0,
		       run->live.start_brk);
		print_calls(run);
		print_layout_diff(a, na, b, nb, verbose ? -1 : 4);
	}
	free_lines(a, na);
	free_lines(b, nb);
	return calls_ok && maps_ok && run->validate_at < 0;
}

/* ---- the machine: mmap_base, mmap_min_addr, limits --------------------- */

static unsigned long read_ulong_file(const char *path, unsigned long dflt)
{
	FILE *f = fopen(path, "r");
	unsigned long v;

	if (!f)
		return dflt;
	if (fscanf(f, "%lu", &v) != 1)
		v = dflt;
	fclose(f);
	return v;
}

/* stack_guard_gap= on the kernel command line (pages), else 256 pages. */
static unsigned long stack_guard_gap(void)
{
	char line[4096];
	unsigned long gap = 256;
	FILE *f = fopen("/proc/cmdline", "r");
	char *p;

	if (f) {
		if (fgets(line, sizeof(line), f)) {
			p = strstr(line, "stack_guard_gap=");
			if (p && (p == line || p[-1] == ' '))
				gap = strtoul(p + strlen("stack_guard_gap="), NULL, 0);
		}
		fclose(f);
	}
	return gap * SCN_PAGE;
}

static unsigned long rlim(int resource)
{
	struct rlimit rl;

	if (getrlimit(resource, &rl) || rl.rlim_cur == RLIM_INFINITY)
		return ~0UL;
	return rl.rlim_cur;
}

/* See "Reproducible layouts" at the top. */
static void find_machine(void)
{
	static char snap[SNAP_MAX];
	long len = read_maps(snap, sizeof(snap));
	unsigned long stack_start = 0, stack_end = 0, highest = 0;
	unsigned long gap, computed, task_size, probe;
	const char *p, *end;

	mm_limits_default(&limits);
	limits.max_map_count = read_ulong_file("/proc/sys/vm/max_map_count", 65530);
	limits.stack_guard_gap = stack_guard_gap();
	limits.rlimit_data = rlim(RLIMIT_DATA);
	limits.rlimit_as = rlim(RLIMIT_AS);
	limits.rlimit_stack = rlim(RLIMIT_STACK);
	limits.rlimit_memlock = rlim(RLIMIT_MEMLOCK);
	limits.overcommit_never =
		read_ulong_file("/proc/sys/vm/overcommit_memory", 0) == 2;

	/* Effective mmap_min_addr: a hint below it is raised to it. */
	probe = (unsigned long)mmap((void *)SCN_PAGE, SCN_PAGE, PROT_NONE,
				    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (probe != (unsigned long)MAP_FAILED) {
		munmap((void *)probe, SCN_PAGE);
		if (probe < SCN_MIB)
			limits.mmap_min_addr = probe;
	}

	if (len <= 0)
		skip("cannot read /proc/self/maps");
	for (p = snap, end = snap + len; p < end;) {
		const char *e = memchr(p, '\n', (size_t)(end - p));
		const char *q = p;
		unsigned long s, t;

		if (!e)
			e = end;
		s = parse_hex(&q);
		q++;
		t = parse_hex(&q);
		if (line_ends_with(p, e, "[stack]")) {
			stack_start = s;
			stack_end = t;
		}
		p = e + 1;
	}
	if (!stack_end)
		skip("no [stack] line in /proc/self/maps");
	for (p = snap; p < end;) {
		const char *e = memchr(p, '\n', (size_t)(end - p));
		const char *q = p;
		unsigned long t;

		if (!e)
			e = end;
		parse_hex(&q);
		q++;
		t = parse_hex(&q);
		if (t <= stack_start - limits.stack_guard_gap && t > highest)
			highest = t;
		p = e + 1;
	}

	legacy_layout = read_ulong_file("/proc/sys/vm/legacy_va_layout", 0) != 0;
	task_size = stack_end;
	gap = STACK_RLIMIT + limits.stack_guard_gap;
	if (gap < 128 * SCN_MIB)
		gap = 128 * SCN_MIB;
	else if (gap > task_size / 6 * 5)
		gap = task_size / 6 * 5;
	computed = (task_size - gap + SCN_PAGE - 1) & ~(SCN_PAGE - 1);
	if (legacy_layout) {
		mmap_base = TASK_UNMAPPED_BASE;
		printf("legacy (bottom-up) layout: mmap_base %#lx\n", mmap_base);
	} else if (computed == highest) {
		mmap_base = computed;
	} else {
		printf("NOTE: computed mmap_base %#lx but the highest mapping below "
		       "the stack ends at %#lx: using the latter\n", computed, highest);
		mmap_base = highest;
	}
	printf("mmap_base %#lx (TASK_SIZE %#lx - gap %#lx; checked against the "
	       "layout), mmap_min_addr %#lx, stack_guard_gap %#lx\n",
	       mmap_base, task_size, gap, limits.mmap_min_addr,
	       limits.stack_guard_gap);
}

/* ---- main -------------------------------------------------------------- */

/*
 * Prepare what the scenario wants to inherit (SCN_SETUP_*); returns the
 * break to restore afterwards, or 0.
 */
static unsigned long parent_setup(const struct scenario *sc, char *error,
				  size_t size)
{
	unsigned long old = 0;

	if (sc->setup & SCN_SETUP_HEAP) {
		unsigned long want;

		old = (unsigned long)syscall(SYS_brk, 0UL);
		want = ((old + SCN_PAGE - 1) & ~(SCN_PAGE - 1)) + 4 * SCN_PAGE;
		if ((unsigned long)syscall(SYS_brk, want) != want) {
			snprintf(error, size, "cannot grow the driver's heap");
			return old;
		}
		memset((void *)old, 1, want - old);
	}
	if (sc->setup & SCN_SETUP_INHERIT) {
		void *p = mmap((void *)SCN_INHERIT, SCN_INHERIT_LEN,
			       PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE,
			       -1, 0);

		if (p == MAP_FAILED)
			snprintf(error, size, "cannot map the inherited region: %s",
				 strerror(errno));
		else
			memset(p, 1, SCN_INHERIT_LEN);
	}
	return old;
}

static void parent_teardown(const struct scenario *sc, unsigned long old_brk)
{
	if (sc->setup & SCN_SETUP_HEAP)
		syscall(SYS_brk, old_brk);
	if (sc->setup & SCN_SETUP_INHERIT)
		munmap((void *)SCN_INHERIT, SCN_INHERIT_LEN);
}

static bool run_one(const struct scenario *sc)
{
	struct run run = { .sc = sc, .validate_at = -1 };
	unsigned long old_brk;
	bool ok = false;

	old_brk = parent_setup(sc, run.error, sizeof(run.error));
	if (run.error[0] || run_live(&run) || run_sim(&run))
		printf("FAIL  %s: %s\n", sc->name, run.error);
	else
		ok = compare(&run);
	parent_teardown(sc, old_brk);
	fflush(stdout);
	free(run.snap0);
	free(run.live_maps);
	free(run.sim_maps);
	return ok;
}

int main(int argc, char **argv)
{
	unsigned int i, total = 0, matched = 0;
	int a, first = 1;

	for (a = 1; a < argc && argv[a][0] == '-'; a++) {
		if (!strcmp(argv[a], "-v")) {
			verbose = true;
		} else if (!strcmp(argv[a], "-l")) {
			for (i = 0; i < nr_scenarios; i++)
				printf("%-32s %s\n", scenarios[i].name,
				       scenarios[i].what);
			return 0;
		} else {
			fprintf(stderr, "usage: %s [-v] [-l] [SCENARIO...]\n", argv[0]);
			return 2;
		}
	}
	first = a;
	for (a = first; a < argc; a++) {
		for (i = 0; i < nr_scenarios; i++)
			if (!strcmp(argv[a], scenarios[i].name))
				break;
		if (i == nr_scenarios) {
			fprintf(stderr, "unknown scenario %s (-l lists them)\n", argv[a]);
			return 2;
		}
	}

	ensure_layout(argv);
	setvbuf(stdout, NULL, _IOLBF, 0);
	find_machine();

	for (i = 0; i < nr_scenarios; i++) {
		bool wanted = first == argc;

		for (a = first; a < argc && !wanted; a++)
			wanted = !strcmp(argv[a], scenarios[i].name);
		if (!wanted)
			continue;
		total++;
		matched += run_one(&scenarios[i]);
	}
	printf("%u/%u scenarios match\n", matched, total);
	return matched == total ? 0 : 1;
}
