/* SPDX-License-Identifier: MIT */
/*
 * madvise.h - the user-visible constants of madvise(2), mlock(2)/mlock2(2)
 * and mlockall(2) (include/uapi/asm-generic/mman-common.h and mman.h,
 * the values x86-64 uses), and the page population helper that mlock(2),
 * mlockall(2), MAP_LOCKED and MAP_POPULATE share (Linux's __mm_populate(),
 * implemented in mlock.c).
 *
 * Owned by madvise.c / mlock.c / mseal.c; not part of vma_internal.h so
 * that the core files do not depend on it.
 */
#ifndef VMASIM_MADVISE_H
#define VMASIM_MADVISE_H

#include <stdbool.h>

#include <vmasim/vma.h>

/* madvise(2) advice. */
#define MADV_NORMAL		0	/* no further special treatment */
#define MADV_RANDOM		1	/* expect random page references */
#define MADV_SEQUENTIAL		2	/* expect sequential access */
#define MADV_WILLNEED		3	/* will need these pages */
#define MADV_DONTNEED		4	/* do not need these pages */
#define MADV_FREE		8	/* free lazily, under pressure */
#define MADV_REMOVE		9	/* remove pages and backing store */
#define MADV_DONTFORK		10	/* do not inherit across fork */
#define MADV_DOFORK		11	/* do inherit across fork */
#define MADV_MERGEABLE		12	/* KSM may merge the pages */
#define MADV_UNMERGEABLE	13	/* KSM may not merge them */
#define MADV_HUGEPAGE		14	/* back with huge pages */
#define MADV_NOHUGEPAGE		15	/* no huge pages */
#define MADV_DONTDUMP		16	/* leave out of core dumps */
#define MADV_DODUMP		17	/* undo MADV_DONTDUMP */
#define MADV_WIPEONFORK		18	/* zeroed in a fork child */
#define MADV_KEEPONFORK		19	/* undo MADV_WIPEONFORK */
#define MADV_COLD		20	/* deactivate the pages */
#define MADV_PAGEOUT		21	/* reclaim the pages */
#define MADV_POPULATE_READ	22	/* prefault page tables readable */
#define MADV_POPULATE_WRITE	23	/* prefault page tables writable */
#define MADV_DONTNEED_LOCKED	24	/* DONTNEED, locked too */
#define MADV_COLLAPSE		25	/* collapse to huge pages */
#define MADV_HWPOISON		100	/* MEMORY_FAILURE only */
#define MADV_SOFT_OFFLINE	101	/* MEMORY_FAILURE only */
#define MADV_GUARD_INSTALL	102	/* install guard regions */
#define MADV_GUARD_REMOVE	103	/* remove guard regions */

/* mlock2(2) flags. */
#define MLOCK_ONFAULT		0x01	/* lock pages on fault */

/* mlockall(2) flags. */
#define MCL_CURRENT		1	/* lock all current mappings */
#define MCL_FUTURE		2	/* lock all future mappings */
#define MCL_ONFAULT		4	/* lock pages when faulted in */

/**
 * __mm_populate - fault in [start, start + len) as Linux's __mm_populate()
 * does after mlock(2), mlockall(MCL_CURRENT), MAP_LOCKED and MAP_POPULATE.
 * @mm: the mm (write-locked)
 * @start: first address (page aligned)
 * @len: length (page aligned)
 * @ignore_errors: carry on with the next VMA after a failure (mmap and
 *	mlockall do; mlock does not)
 *
 * Populating only matters to the model through write faults: a private
 * writable VMA, which populate write-faults to break COW, gets its
 * anon_vma (vma_touch()).  VM_IO/VM_PFNMAP VMAs are skipped, VM_LOCKONFAULT
 * ones are left unfaulted, and a PROT_NONE VMA fails with -EFAULT.
 *
 * Return: 0, -EFAULT (a PROT_NONE VMA) or -ENOMEM.
 */
int __mm_populate(struct mm_struct *mm, unsigned long start,
		  unsigned long len, bool ignore_errors);

/**
 * mm_populate - __mm_populate() that ignores errors, as mmap(2) uses it.
 * @mm: the mm (write-locked)
 * @start: first address (page aligned)
 * @len: length (page aligned)
 */
static inline void mm_populate(struct mm_struct *mm, unsigned long start,
			       unsigned long len)
{
	(void)__mm_populate(mm, start, len, true);
}

#endif /* VMASIM_MADVISE_H */
