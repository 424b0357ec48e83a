/* SPDX-License-Identifier: MIT */
/*
 * scenario.h - the scenario API of the differential tests: one scenario is
 * a function that drives an address space through a table of operations
 * (struct scn_ops), so that the same code runs on the live kernel (raw
 * system calls in a forked child) and on the simulator (libvmasim).  Every
 * call's result is logged in order, for the driver (scenario_diff.c) to
 * compare.
 *
 * Rules for scenario code (it runs in a child that must not change its
 * own layout behind the scenario's back):
 *  - no libc calls that may allocate (malloc, stdio, ...): only the
 *    scn_*() wrappers below and plain arithmetic;
 *  - deterministic given the starting layout: addresses are either fixed
 *    (inside the private window SCN_WIN) or taken from earlier results;
 *  - the stack use stays small (the [stack] VMA must not grow).
 */
#ifndef VMASIM_TESTS_SCENARIO_H
#define VMASIM_TESTS_SCENARIO_H

#include <stdbool.h>

#define SCN_PAGE	0x1000UL
#define SCN_MIB		0x100000UL

/*
 * A private window for MAP_FIXED scenarios: nothing lives there.  The live
 * child unmaps [SCN_WIN, + SCN_WIN_LEN) before its initial snapshot, for
 * runtimes that reserve address space there (ThreadSanitizer keeps
 * 0x340000000000-0x550000000000 PROT_NONE), so holes in it are holes.
 */
#define SCN_WIN		0x500000000000UL
#define SCN_WIN_LEN	0x40000000UL

/*
 * Where the driver maps, before forking, the faulted rw region that
 * SCN_SETUP_INHERIT scenarios find already there (SCN_INHERIT_LEN bytes).
 */
#define SCN_INHERIT	0x520000000000UL
#define SCN_INHERIT_LEN	0x8000UL

/* VMAs at or above this address belong to the top-down mmap area. */
#define SCN_TOPDOWN_MIN	0x700000000000UL

/* mmap(2)/mprotect(2) values (x86-64), the same for both sides. */
#define SCN_PROT_NONE		0x0
#define SCN_PROT_READ		0x1
#define SCN_PROT_WRITE		0x2
#define SCN_PROT_EXEC		0x4
#define SCN_PROT_GROWSDOWN	0x01000000
#define SCN_PROT_GROWSUP	0x02000000
#define SCN_RW			(SCN_PROT_READ | SCN_PROT_WRITE)
#define SCN_R			SCN_PROT_READ

#define SCN_MAP_SHARED		0x01
#define SCN_MAP_PRIVATE		0x02
#define SCN_MAP_SHARED_VALIDATE	0x03
#define SCN_MAP_DROPPABLE	0x08
#define SCN_MAP_FIXED		0x10
#define SCN_MAP_ANONYMOUS	0x20
#define SCN_MAP_32BIT		0x40
#define SCN_MAP_GROWSDOWN	0x0100
#define SCN_MAP_LOCKED		0x2000
#define SCN_MAP_NORESERVE	0x4000
#define SCN_MAP_POPULATE	0x8000
#define SCN_MAP_STACK		0x20000
#define SCN_MAP_SYNC		0x80000
#define SCN_MAP_FIXED_NOREPLACE	0x100000

#define SCN_ANON	(SCN_MAP_PRIVATE | SCN_MAP_ANONYMOUS)
#define SCN_SHANON	(SCN_MAP_SHARED | SCN_MAP_ANONYMOUS)

/* mremap(2) flags. */
#define SCN_MREMAP_MAYMOVE	0x1
#define SCN_MREMAP_FIXED	0x2
#define SCN_MREMAP_DONTUNMAP	0x4

/* madvise(2) advice (include/uapi/asm-generic/mman-common.h). */
#define SCN_MADV_NORMAL		0
#define SCN_MADV_RANDOM		1
#define SCN_MADV_SEQUENTIAL	2
#define SCN_MADV_WILLNEED	3
#define SCN_MADV_DONTNEED	4
#define SCN_MADV_FREE		8
#define SCN_MADV_DONTFORK	10
#define SCN_MADV_DOFORK		11
#define SCN_MADV_HUGEPAGE	14
#define SCN_MADV_NOHUGEPAGE	15
#define SCN_MADV_DONTDUMP	16
#define SCN_MADV_DODUMP		17
#define SCN_MADV_WIPEONFORK	18
#define SCN_MADV_KEEPONFORK	19

/* mlock2(2) and mlockall(2) flags. */
#define SCN_MLOCK_ONFAULT	0x1
#define SCN_MCL_CURRENT		0x1
#define SCN_MCL_FUTURE		0x2
#define SCN_MCL_ONFAULT		0x4

enum scn_call {
	SCN_MMAP,
	SCN_MUNMAP,
	SCN_MPROTECT,
	SCN_BRK,
	SCN_TOUCH,
	SCN_MREMAP,
	SCN_MADVISE,
	SCN_MLOCK,
	SCN_MUNLOCK,
	SCN_MLOCKALL,
	SCN_MUNLOCKALL,
	SCN_MSEAL,
};

/**
 * struct scn_rec - one logged call.
 * @call: which operation
 * @arg: its arguments (mmap: addr, len, prot, flags; munmap, touch and
 *	munlock: addr, len; mprotect: addr, len, prot; brk: addr; mremap:
 *	addr, old_len, new_len, flags, new_addr; madvise: addr, len, advice;
 *	mlock: addr, len, flags; mlockall: flags; mseal: addr, len, flags;
 *	munlockall: none)
 * @ret: the result: an address, 0, or -errno
 */
struct scn_rec {
	enum scn_call call;
	unsigned long arg[5];
	long ret;
};

struct scn;

/**
 * struct scn_ops - the operations a scenario may use.  Each returns what
 * the system call returns, with failures as -errno (brk never fails: it
 * returns the old break).
 * @name: "live" or "sim"
 * @mmap: anonymous mmap (fd -1, offset 0)
 * @munmap: munmap
 * @mprotect: mprotect (pkey -1)
 * @brk: brk
 * @touch: write one byte to every page of [addr, addr + len), which gives
 *	anonymous VMAs their anon_vma; 0 (the live side cannot report an
 *	unmapped page: it would crash the child)
 * @mremap: mremap (@new_addr is passed whatever the flags)
 * @madvise: madvise
 * @mlock: mlock2 (flags 0 is mlock)
 * @munlock: munlock
 * @mlockall: mlockall; on the live side MCL_CURRENT faults in (and locks)
 *	the whole child, libc and stack included, until munlockall
 * @munlockall: munlockall
 * @mseal: mseal (there is no unseal: the seal lasts until the child or
 *	the simulated mm goes away)
 */
struct scn_ops {
	const char *name;
	long (*mmap)(struct scn *s, unsigned long addr, unsigned long len,
		     unsigned long prot, unsigned long flags);
	long (*munmap)(struct scn *s, unsigned long addr, unsigned long len);
	long (*mprotect)(struct scn *s, unsigned long addr, unsigned long len,
			 unsigned long prot);
	long (*brk)(struct scn *s, unsigned long addr);
	long (*touch)(struct scn *s, unsigned long addr, unsigned long len);
	long (*mremap)(struct scn *s, unsigned long addr, unsigned long old_len,
		       unsigned long new_len, unsigned long flags,
		       unsigned long new_addr);
	long (*madvise)(struct scn *s, unsigned long addr, unsigned long len,
			unsigned long advice);
	long (*mlock)(struct scn *s, unsigned long addr, unsigned long len,
		      unsigned long flags);
	long (*munlock)(struct scn *s, unsigned long addr, unsigned long len);
	long (*mlockall)(struct scn *s, unsigned long flags);
	long (*munlockall)(struct scn *s);
	long (*mseal)(struct scn *s, unsigned long addr, unsigned long len,
		      unsigned long flags);
};

#define SCN_MAX_CALLS	256
#define SCN_MAX_INIT	1024

/* A VMA's range in the initial snapshot: [start, end). */
struct scn_range {
	unsigned long start;
	unsigned long end;
};

/**
 * struct scn - one run of a scenario on one side.
 * @ops: the side's operations
 * @priv: the side's private data (the simulated mm)
 * @start_brk: the heap's start, from the initial snapshot (the [heap]
 *	line's start, else @brk0)
 * @brk0: the break when the scenario starts (brk(0))
 * @stack_start: the start of the [stack] VMA in the initial snapshot
 * @td_low: the lowest start of a VMA at or above SCN_TOPDOWN_MIN in the
 *	initial snapshot: below it, top-down searches find free space
 * @mmap_base: where top-down searches start
 * @nr_init: VMAs in the initial snapshot (at most SCN_MAX_INIT are kept)
 * @init: their ranges, ascending ([vsyscall] excluded)
 * @nr: calls logged
 * @overflow: more than SCN_MAX_CALLS calls were made (not logged)
 * @rec: the log
 */
struct scn {
	const struct scn_ops *ops;
	void *priv;
	unsigned long start_brk;
	unsigned long brk0;
	unsigned long stack_start;
	unsigned long td_low;
	unsigned long mmap_base;
	unsigned int nr_init;
	struct scn_range init[SCN_MAX_INIT];
	unsigned int nr;
	bool overflow;
	struct scn_rec rec[SCN_MAX_CALLS];
};

static inline long scn_log5(struct scn *s, enum scn_call call, unsigned long a0,
			    unsigned long a1, unsigned long a2, unsigned long a3,
			    unsigned long a4, long ret)
{
	struct scn_rec *r;

	if (s->nr >= SCN_MAX_CALLS) {
		s->overflow = true;
		return ret;
	}
	r = &s->rec[s->nr++];
	r->call = call;
	r->arg[0] = a0;
	r->arg[1] = a1;
	r->arg[2] = a2;
	r->arg[3] = a3;
	r->arg[4] = a4;
	r->ret = ret;
	return ret;
}

static inline long scn_log(struct scn *s, enum scn_call call, unsigned long a0,
			   unsigned long a1, unsigned long a2, unsigned long a3,
			   long ret)
{
	return scn_log5(s, call, a0, a1, a2, a3, 0, ret);
}

static inline long scn_mmap(struct scn *s, unsigned long addr, unsigned long len,
			    unsigned long prot, unsigned long flags)
{
	return scn_log(s, SCN_MMAP, addr, len, prot, flags,
		       s->ops->mmap(s, addr, len, prot, flags));
}

static inline long scn_munmap(struct scn *s, unsigned long addr, unsigned long len)
{
	return scn_log(s, SCN_MUNMAP, addr, len, 0, 0, s->ops->munmap(s, addr, len));
}

static inline long scn_mprotect(struct scn *s, unsigned long addr,
				unsigned long len, unsigned long prot)
{
	return scn_log(s, SCN_MPROTECT, addr, len, prot, 0,
		       s->ops->mprotect(s, addr, len, prot));
}

static inline long scn_brk(struct scn *s, unsigned long addr)
{
	return scn_log(s, SCN_BRK, addr, 0, 0, 0, s->ops->brk(s, addr));
}

static inline long scn_touch(struct scn *s, unsigned long addr, unsigned long len)
{
	return scn_log(s, SCN_TOUCH, addr, len, 0, 0, s->ops->touch(s, addr, len));
}

static inline long scn_mremap(struct scn *s, unsigned long addr,
			      unsigned long old_len, unsigned long new_len,
			      unsigned long flags, unsigned long new_addr)
{
	return scn_log5(s, SCN_MREMAP, addr, old_len, new_len, flags, new_addr,
			s->ops->mremap(s, addr, old_len, new_len, flags,
				       new_addr));
}

static inline long scn_madvise(struct scn *s, unsigned long addr,
			       unsigned long len, unsigned long advice)
{
	return scn_log(s, SCN_MADVISE, addr, len, advice, 0,
		       s->ops->madvise(s, addr, len, advice));
}

static inline long scn_mlock(struct scn *s, unsigned long addr,
			     unsigned long len, unsigned long flags)
{
	return scn_log(s, SCN_MLOCK, addr, len, flags, 0,
		       s->ops->mlock(s, addr, len, flags));
}

static inline long scn_munlock(struct scn *s, unsigned long addr,
			       unsigned long len)
{
	return scn_log(s, SCN_MUNLOCK, addr, len, 0, 0,
		       s->ops->munlock(s, addr, len));
}

static inline long scn_mlockall(struct scn *s, unsigned long flags)
{
	return scn_log(s, SCN_MLOCKALL, flags, 0, 0, 0, s->ops->mlockall(s, flags));
}

static inline long scn_munlockall(struct scn *s)
{
	return scn_log(s, SCN_MUNLOCKALL, 0, 0, 0, 0, s->ops->munlockall(s));
}

static inline long scn_mseal(struct scn *s, unsigned long addr,
			     unsigned long len, unsigned long flags)
{
	return scn_log(s, SCN_MSEAL, addr, len, flags, 0,
		       s->ops->mseal(s, addr, len, flags));
}

/*
 * What the driver prepares in its own address space before forking the
 * live child, so that the child inherits it (fork-child VMAs: their
 * anon_vma chains are not singular):
 *  SCN_SETUP_HEAP     grow the heap by 4 pages and write to them
 *  SCN_SETUP_INHERIT  map [SCN_INHERIT, + SCN_INHERIT_LEN) rw and write to it
 * Both are undone after the scenario.
 */
#define SCN_SETUP_HEAP		0x1
#define SCN_SETUP_INHERIT	0x2

/**
 * struct scenario - one named scenario.
 * @name: short name (command-line argument of scenario_diff)
 * @what: one line saying what it checks
 * @run: the scenario
 * @setup: SCN_SETUP_* flags
 */
struct scenario {
	const char *name;
	const char *what;
	void (*run)(struct scn *s);
	unsigned int setup;
};

extern const struct scenario scenarios[];
extern const unsigned int nr_scenarios;

#endif /* VMASIM_TESTS_SCENARIO_H */
