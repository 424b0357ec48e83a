/* SPDX-License-Identifier: MIT */
/*
 * scenarios.c - the scenarios of the differential tests (see scenario.h):
 * merges of new and changed ranges (anon_vma and fork-child rules
 * included), splits, munmap, MAP_FIXED, MAP_FIXED_NOREPLACE, hints, the
 * top-down search (exact fits, the guard gap, the bottom-up fallback), THP
 * alignment, brk, VM_ACCOUNT and VM_NORESERVE, shared anonymous memory,
 * mmap flags that become VMA flags (MAP_STACK, MAP_LOCKED, MAP_SYNC,
 * MAP_DROPPABLE), MAP_POPULATE, MAP_32BIT, the errno of bad arguments,
 * and mremap (shrink, grow in place, moves, MREMAP_FIXED, DONTUNMAP, the
 * multi-VMA move), madvise flag and page advice, mlock/mlock2/munlock,
 * mlockall/munlockall, and mseal.
 * Each runs unchanged on the live kernel and on the simulator; the
 * expected outcome on Linux 6.18 is noted beside it (see
 * /work/shared/LINUX-FACTS.md section 6, and the live runs), but the
 * driver compares the two sides with each other, not with these notes.
 *
 * MAP_FIXED scenarios work inside the private window SCN_WIN; the others
 * take unhinted (top-down) addresses from earlier results, or addresses
 * relative to the initial layout (struct scn: brk0, stack_start, td_low).
 */
#include "scenario.h"

#define P(n)	((unsigned long)(n) * SCN_PAGE)
#define W(n)	(SCN_WIN + P(n))

#define FIXED	(SCN_ANON | SCN_MAP_FIXED)

/* ---- merges of new ranges ------------------------------------------- */

/* Adjacent private anonymous maps with equal flags merge; r-- does not. */
static void merge_adjacent_fixed(struct scn *s)
{
	scn_mmap(s, W(0), P(4), SCN_RW, FIXED);
	scn_mmap(s, W(4), P(4), SCN_RW, FIXED);	/* [W0, W8) rw */
	scn_mmap(s, W(8), P(2), SCN_R, FIXED);	/* apart: r-- */
	scn_mmap(s, W(10), P(2), SCN_R, FIXED);	/* [W8, W12) r-- */
}

/* Unhinted maps go top-down and merge with the one above; a faulted
 * VMA of this process still accepts an unfaulted neighbour. */
static void merge_adjacent_topdown(struct scn *s)
{
	long a;

	a = scn_mmap(s, 0, P(3), SCN_RW, SCN_ANON);
	scn_mmap(s, 0, P(2), SCN_RW, SCN_ANON);	/* a - 2 pages, merged */
	if (a > 0)
		scn_touch(s, (unsigned long)a, P(1));
	scn_mmap(s, 0, P(1), SCN_RW, SCN_ANON);	/* merged again */
	scn_mmap(s, 0, P(1), SCN_R, SCN_ANON);	/* below, apart */
}

/* A map filling the hole between two compatible VMAs: 3 -> 1. */
static void fill_hole_3to1(struct scn *s)
{
	scn_mmap(s, W(0), P(2), SCN_RW, FIXED);
	scn_mmap(s, W(3), P(2), SCN_RW, FIXED);
	scn_mmap(s, W(2), P(1), SCN_RW, FIXED);	/* [W0, W5) */
}

/* The same with both sides faulted (different anon_vmas): only the left
 * merge is possible, 3 -> 2. */
static void fill_hole_faulted(struct scn *s)
{
	scn_mmap(s, W(0), P(2), SCN_RW, FIXED);
	scn_mmap(s, W(3), P(2), SCN_RW, FIXED);
	scn_touch(s, W(0), P(2));
	scn_touch(s, W(3), P(2));
	scn_mmap(s, W(2), P(1), SCN_RW, FIXED);	/* [W0, W3) [W3, W5) */
}

/* MAP_NORESERVE is a flag of its own: rw next to rw|NORESERVE stays
 * apart; two NORESERVE neighbours merge. */
static void noreserve_no_merge(struct scn *s)
{
	scn_mmap(s, W(0), P(2), SCN_RW, FIXED);
	scn_mmap(s, W(2), P(2), SCN_RW, FIXED | SCN_MAP_NORESERVE);
	scn_mmap(s, W(4), P(2), SCN_RW, FIXED | SCN_MAP_NORESERVE);
}

/* Shared anonymous maps are separate shmem files: never merged. */
static void shared_anon_no_merge(struct scn *s)
{
	scn_mmap(s, W(0), P(2), SCN_RW, SCN_SHANON | SCN_MAP_FIXED);
	scn_mmap(s, W(2), P(2), SCN_RW, SCN_SHANON | SCN_MAP_FIXED);
	scn_mmap(s, W(4), P(2), SCN_RW, FIXED);	/* private next to it */
}

/* ---- mprotect: split and merge -------------------------------------- */

/* mprotect of the middle: 3 VMAs; back again: 1. */
static void mprotect_middle_and_back(struct scn *s)
{
	scn_mmap(s, W(0), P(3), SCN_RW, FIXED);
	scn_mprotect(s, W(1), P(1), SCN_R);
	scn_mprotect(s, W(1), P(1), SCN_RW);
}

/* The same on a faulted mapping (the pieces share one anon_vma, and the
 * r-- middle keeps VM_ACCOUNT): 3 then 1 again. */
static void mprotect_middle_faulted(struct scn *s)
{
	scn_mmap(s, W(0), P(3), SCN_RW, FIXED);
	scn_touch(s, W(0), P(3));
	scn_mprotect(s, W(1), P(1), SCN_R);
	scn_mprotect(s, W(1), P(1), SCN_RW);
}

/* mprotect of the left part of a VMA merges it into the previous one. */
static void mprotect_left_merge(struct scn *s)
{
	scn_mmap(s, W(0), P(2), SCN_R, FIXED);
	scn_mmap(s, W(2), P(4), SCN_RW, FIXED);
	scn_mprotect(s, W(2), P(2), SCN_R);	/* [W0, W4) r-- [W4, W6) rw */
}

/* mprotect of the right part: the next VMA grows down over it. */
static void mprotect_right_merge(struct scn *s)
{
	scn_mmap(s, W(0), P(4), SCN_RW, FIXED);
	scn_mmap(s, W(4), P(2), SCN_R, FIXED);
	scn_mprotect(s, W(2), P(2), SCN_R);	/* [W0, W2) rw [W2, W6) r-- */
}

/* A whole middle VMA changed to its neighbours' flags: all three merge. */
static void mprotect_bridge(struct scn *s)
{
	scn_mmap(s, W(0), P(2), SCN_RW, FIXED);
	scn_mmap(s, W(2), P(2), SCN_R, FIXED);
	scn_mmap(s, W(4), P(2), SCN_RW, FIXED);
	scn_mprotect(s, W(2), P(2), SCN_RW);	/* [W0, W6) rw */
}

/* A faulted rw VMA made r-- keeps VM_ACCOUNT: it does not merge with a
 * fresh r-- neighbour. */
static void faulted_rw_to_ro_no_merge(struct scn *s)
{
	scn_mmap(s, W(0), P(2), SCN_RW, FIXED);
	scn_touch(s, W(0), P(2));
	scn_mmap(s, W(2), P(2), SCN_R, FIXED);
	scn_mprotect(s, W(0), P(2), SCN_R);	/* two r-- VMAs */
}

/* Unfaulted, it drops VM_ACCOUNT and merges. */
static void unfaulted_rw_to_ro_merge(struct scn *s)
{
	scn_mmap(s, W(0), P(2), SCN_RW, FIXED);
	scn_mmap(s, W(2), P(2), SCN_R, FIXED);
	scn_mprotect(s, W(0), P(2), SCN_R);	/* one r-- VMA */
}

/* r-- made rw takes VM_ACCOUNT and merges with its rw neighbours, also
 * with a faulted one. */
static void ro_to_rw_merge(struct scn *s)
{
	scn_mmap(s, W(0), P(2), SCN_RW, FIXED);
	scn_mmap(s, W(2), P(2), SCN_R, FIXED);
	scn_mprotect(s, W(2), P(2), SCN_RW);	/* [W0, W4) rw */
	scn_touch(s, W(0), P(4));
	scn_mmap(s, W(4), P(2), SCN_R, FIXED);
	scn_mprotect(s, W(4), P(2), SCN_RW);	/* [W0, W6) rw */
}

/* ---- munmap ----------------------------------------------------------- */

/* munmap across three VMAs, cutting into both end VMAs. */
static void munmap_across(struct scn *s)
{
	scn_mmap(s, W(0), P(4), SCN_RW, FIXED);
	scn_mmap(s, W(4), P(4), SCN_R, FIXED);
	scn_mmap(s, W(8), P(4), SCN_RW, FIXED);
	scn_munmap(s, W(2), P(8));		/* [W0, W2) [W10, W12) */
}

/* munmap of a hole in the middle of one VMA; then the hole is reused by
 * a top-down search if it is the highest fit... or not. */
static void munmap_hole(struct scn *s)
{
	long a;

	scn_mmap(s, W(0), P(8), SCN_RW, FIXED);
	scn_munmap(s, W(3), P(2));		/* [W0, W3) [W5, W8) */
	a = scn_mmap(s, 0, P(4), SCN_RW, SCN_ANON);
	if (a > 0) {
		scn_munmap(s, (unsigned long)a + P(1), P(2));
		scn_mmap(s, 0, P(2), SCN_RW, SCN_ANON);
	}
}

/* ---- MAP_FIXED and MAP_FIXED_NOREPLACE -------------------------------- */

/* MAP_FIXED over the middle with another protection: 3 VMAs. */
static void fixed_middle_other_prot(struct scn *s)
{
	scn_mmap(s, W(0), P(8), SCN_RW, FIXED);
	scn_mmap(s, W(3), P(2), SCN_R, FIXED);
}

/* MAP_FIXED over the middle with the same protection: still 1 VMA. */
static void fixed_middle_same_prot(struct scn *s)
{
	scn_mmap(s, W(0), P(8), SCN_RW, FIXED);
	scn_mmap(s, W(3), P(2), SCN_RW, FIXED);
}

/* The same over a faulted mapping: both remains share the anon_vma, so
 * the new range bridges them: 1 VMA. */
static void fixed_middle_same_prot_faulted(struct scn *s)
{
	scn_mmap(s, W(0), P(8), SCN_RW, FIXED);
	scn_touch(s, W(0), P(8));
	scn_mmap(s, W(3), P(2), SCN_RW, FIXED);
}

/* MAP_FIXED over several VMAs, cutting into both ends. */
static void fixed_over_several(struct scn *s)
{
	scn_mmap(s, W(0), P(2), SCN_RW, FIXED);
	scn_mmap(s, W(2), P(2), SCN_R, FIXED);
	scn_mmap(s, W(4), P(2), SCN_RW, FIXED);
	scn_mmap(s, W(1), P(4), SCN_RW, FIXED);	/* [W0, W6) rw */
	scn_mmap(s, W(6), P(2), SCN_R, FIXED);
	scn_mmap(s, W(5), P(2), SCN_PROT_NONE, FIXED);
}

/* MAP_FIXED_NOREPLACE onto a mapping: -EEXIST; onto free space: fine. */
static void fixed_noreplace(struct scn *s)
{
	scn_mmap(s, W(0), P(4), SCN_RW, FIXED);
	scn_mmap(s, W(2), P(4), SCN_RW, SCN_ANON | SCN_MAP_FIXED_NOREPLACE);
	scn_mmap(s, W(3), P(1), SCN_R, SCN_ANON | SCN_MAP_FIXED_NOREPLACE);
	scn_mmap(s, W(4), P(2), SCN_RW, SCN_ANON | SCN_MAP_FIXED_NOREPLACE);
	scn_mmap(s, W(6) + 8, P(1), SCN_RW, SCN_ANON | SCN_MAP_FIXED_NOREPLACE);
}

/* ---- hints ------------------------------------------------------------ */

/* A free hint is honoured; a taken one falls back to the top-down
 * search; one below mmap_min_addr (64 KiB here) is raised to it. */
static void hints(struct scn *s)
{
	scn_mmap(s, W(0), P(4), SCN_RW, SCN_ANON);	/* W0 */
	scn_mmap(s, W(2), P(1), SCN_R, SCN_ANON);	/* taken: top-down */
	scn_mmap(s, W(4), P(1), SCN_RW, SCN_ANON);	/* free: merged */
	scn_mmap(s, W(4) + 0x123, P(1), SCN_R, SCN_ANON); /* masked, taken */
	scn_mmap(s, 0x1000, P(1), SCN_R, SCN_ANON);	/* -> 0x10000 */
	scn_mmap(s, 0xf000, P(1), SCN_R, SCN_ANON);	/* -> 0x10000: taken */
	scn_mmap(s, 0x11000, P(1), SCN_R, SCN_ANON);	/* honoured, merged */
	scn_mmap(s, 0x20000, P(2), SCN_R, SCN_ANON);	/* honoured */
}

/* A MAP_GROWSDOWN mapping keeps a 1 MiB guard gap below it: a hint in
 * the gap is not honoured; one just below the gap is; MAP_FIXED may go
 * into the gap. */
static void growsdown_guard(struct scn *s)
{
	unsigned long g = SCN_WIN + 64 * SCN_MIB;

	scn_mmap(s, g, P(4), SCN_RW, FIXED | SCN_MAP_GROWSDOWN);
	scn_mmap(s, g - P(4), P(4), SCN_RW, SCN_ANON);	/* moved */
	scn_mmap(s, g - SCN_MIB / 2, P(4), SCN_RW, SCN_ANON); /* moved */
	scn_mmap(s, g - SCN_MIB - P(4), P(4), SCN_R, SCN_ANON); /* honoured */
	scn_mmap(s, g - SCN_MIB - P(5), P(1), SCN_R, SCN_ANON); /* honoured */
	scn_mmap(s, g - P(2), P(2), SCN_R, FIXED);	/* in the gap */
}

/* ---- THP alignment ---------------------------------------------------- */

/* Private anonymous lengths that are multiples of 2 MiB are aligned. */
static void thp_aligned(struct scn *s)
{
	scn_mmap(s, 0, 2 * SCN_MIB, SCN_R, SCN_ANON);
	scn_mmap(s, 0, 4 * SCN_MIB, SCN_R, SCN_ANON);
	scn_mmap(s, 0, 6 * SCN_MIB, SCN_R, SCN_ANON);
	scn_mmap(s, 0, 2 * SCN_MIB, SCN_RW, SCN_ANON);
}

/* Other lengths are not. */
static void thp_unaligned(struct scn *s)
{
	scn_mmap(s, 0, 2 * SCN_MIB + P(1), SCN_R, SCN_ANON);
	scn_mmap(s, 0, 1 * SCN_MIB, SCN_RW, SCN_ANON);
	scn_mmap(s, 0, 3 * SCN_MIB, SCN_R, SCN_ANON);
	scn_mmap(s, 0, 4 * SCN_MIB, SCN_RW, SCN_ANON);	/* aligned below */
}

/* Shared anonymous memory goes through shmem_get_unmapped_area(). */
static void thp_shared_anon(struct scn *s)
{
	scn_mmap(s, 0, 2 * SCN_MIB, SCN_RW, SCN_SHANON);
	scn_mmap(s, 0, 4 * SCN_MIB, SCN_R, SCN_SHANON);
	scn_mmap(s, 0, 2 * SCN_MIB, SCN_R, SCN_ANON);
}

/* ---- brk ------------------------------------------------------------- */

/* sbrk-like: grow and shrink many times, with a fault in between. */
static void brk_throb(struct scn *s)
{
	unsigned long b = s->brk0;
	unsigned int i;

	for (i = 0; i < 12; i++) {
		scn_brk(s, b + (i + 1) * 0x2100);
		scn_brk(s, b + (i / 2) * 0x1000 + 0x10);
		if (i == 5)
			scn_touch(s, (b + SCN_PAGE - 1) & ~(SCN_PAGE - 1), P(2));
	}
	scn_brk(s, b + 0x6000);
	scn_brk(s, b + 0x9000);
	scn_brk(s, 0);
}

/* brk below start_brk fails; a change within the page only moves the
 * break; growth stops one page short of the next mapping. */
static void brk_edges(struct scn *s)
{
	unsigned long b = s->brk0;
	unsigned long top = ((b + SCN_PAGE - 1) & ~(SCN_PAGE - 1)) + P(16);
	long n;

	scn_brk(s, s->start_brk - P(1));	/* fails: old break */
	scn_brk(s, 0);
	n = scn_brk(s, b + 0x1800);
	scn_brk(s, (unsigned long)n + 0x10);	/* same page */
	scn_brk(s, (unsigned long)n - 0x8);	/* same page */
	scn_mmap(s, top, P(2), SCN_R, SCN_ANON | SCN_MAP_FIXED_NOREPLACE);
	scn_brk(s, top - P(1) + 1);		/* would touch it: fails */
	scn_brk(s, top - P(1));			/* one page short: fine */
	scn_brk(s, top + P(4));			/* over it: fails */
	scn_brk(s, b);
}

/* ---- more merges and splits ------------------------------------------- */

/* The middle made rw between two faulted rw VMAs with different
 * anon_vmas: prev and next cannot share, so only the left merge. */
static void mprotect_bridge_faulted(struct scn *s)
{
	scn_mmap(s, W(0), P(2), SCN_RW, FIXED);
	scn_touch(s, W(0), P(2));
	scn_mmap(s, W(3), P(2), SCN_RW, FIXED);
	scn_touch(s, W(3), P(2));
	scn_mmap(s, W(2), P(1), SCN_R, FIXED);
	scn_mprotect(s, W(2), P(1), SCN_RW);	/* [W0, W3) [W3, W5) */
}

/* mprotect across three VMAs, cutting into both ends. */
static void mprotect_span(struct scn *s)
{
	scn_mmap(s, W(0), P(2), SCN_RW, FIXED);
	scn_mmap(s, W(2), P(2), SCN_R, FIXED);
	scn_mmap(s, W(4), P(2), SCN_RW, FIXED);
	scn_mprotect(s, W(1), P(4), SCN_R);	/* rw | r-- x4 | rw */
	scn_mprotect(s, W(0), P(6), SCN_PROT_READ | SCN_PROT_EXEC);
	scn_mprotect(s, W(2), P(2), SCN_PROT_NONE);
	scn_mprotect(s, W(0), P(6), SCN_RW);	/* one rw VMA again */
}

/* MAP_FIXED replacing a whole VMA with its neighbours' flags: 3 -> 1. */
static void fixed_replace_bridges(struct scn *s)
{
	scn_mmap(s, W(0), P(2), SCN_R, FIXED);
	scn_mmap(s, W(2), P(2), SCN_RW, FIXED);
	scn_mmap(s, W(4), P(2), SCN_R, FIXED);
	scn_touch(s, W(2), P(2));
	scn_mmap(s, W(2), P(2), SCN_R, FIXED);	/* [W0, W6) r-- */
}

/* munmap ranges that start or end in holes. */
static void munmap_partial_edges(struct scn *s)
{
	scn_mmap(s, W(2), P(4), SCN_RW, FIXED);
	scn_mmap(s, W(8), P(4), SCN_R, FIXED);
	scn_munmap(s, W(1), P(2));		/* [W3, W6) */
	scn_munmap(s, W(5), P(4));		/* [W3, W5) [W9, W12) */
	scn_munmap(s, W(0), P(16));		/* all gone */
	scn_mmap(s, W(0), P(1), SCN_R, FIXED);
}

/* A faulted region inherited across fork: a new neighbour does not merge
 * with it, but its own pieces (one anon_vma) merge back. */
static void forked_neighbour(struct scn *s)
{
	unsigned long b = SCN_INHERIT;

	scn_mmap(s, b + SCN_INHERIT_LEN, P(2), SCN_RW, FIXED);	/* apart */
	scn_mmap(s, b - P(2), P(2), SCN_RW, FIXED);		/* apart */
	scn_mprotect(s, b + P(1), P(2), SCN_R);		/* split in 3 */
	scn_mprotect(s, b + P(1), P(2), SCN_RW);	/* one again */
	scn_munmap(s, b + P(3), P(1));
	scn_mmap(s, b + P(3), P(1), SCN_RW, FIXED);	/* apart from both */
	scn_mprotect(s, b - P(2), P(4), SCN_R);		/* r-- x2 | r-- x2 */
}

/* mprotect to PROT_NONE: a faulted rw VMA keeps VM_ACCOUNT (no merge
 * with a fresh PROT_NONE neighbour), an unfaulted one drops it (merge);
 * MAP_NORESERVE never takes it. */
static void account_prot_none(struct scn *s)
{
	scn_mmap(s, W(0), P(2), SCN_RW, FIXED);
	scn_touch(s, W(0), P(2));
	scn_mmap(s, W(2), P(2), SCN_PROT_NONE, FIXED);
	scn_mprotect(s, W(0), P(2), SCN_PROT_NONE);	/* apart */
	scn_mmap(s, W(8), P(2), SCN_RW, FIXED);
	scn_mmap(s, W(10), P(2), SCN_PROT_NONE, FIXED);
	scn_mprotect(s, W(8), P(2), SCN_PROT_NONE);	/* merged */
	scn_mmap(s, W(16), P(2), SCN_RW, FIXED | SCN_MAP_NORESERVE);
	scn_mprotect(s, W(16), P(2), SCN_R);
	scn_mmap(s, W(18), P(2), SCN_RW, FIXED | SCN_MAP_NORESERVE);
	scn_mprotect(s, W(16), P(2), SCN_RW);		/* merged */
}

/* Shared anonymous memory is one shmem file: pieces split by mprotect
 * show file offsets and merge back; a new shared mapping over the middle
 * is another file. */
static void shared_anon_split(struct scn *s)
{
	scn_mmap(s, W(0), P(6), SCN_RW, SCN_SHANON | SCN_MAP_FIXED);
	scn_mprotect(s, W(2), P(2), SCN_R);	/* offsets 0, 0x2000, 0x4000 */
	scn_mprotect(s, W(2), P(2), SCN_RW);	/* one again */
	scn_munmap(s, W(1), P(1));
	scn_mmap(s, W(1), P(1), SCN_RW, SCN_SHANON | SCN_MAP_FIXED);
	scn_mmap(s, W(4), P(1), SCN_RW, SCN_SHANON | SCN_MAP_FIXED);
}

/* The top-down search takes the highest gap that fits, also an exact
 * fit, below the lowest mapping. */
static void topdown_exact_fit(struct scn *s)
{
	unsigned long len = 4 * SCN_MIB + P(1);
	long a = scn_mmap(s, 0, 3 * len, SCN_R, SCN_ANON);

	if (a <= 0)
		return;
	scn_munmap(s, (unsigned long)a + len, len);	/* exact hole */
	scn_mmap(s, 0, len + P(1), SCN_RW, SCN_ANON);	/* too big: below */
	scn_mmap(s, 0, len, SCN_RW, SCN_ANON);		/* the hole */
	scn_munmap(s, (unsigned long)a + P(1), P(1));
	scn_mmap(s, (unsigned long)a + P(1), P(1), SCN_RW, SCN_ANON); /* hint */
	scn_mmap(s, (unsigned long)a + P(1), P(2), SCN_RW, SCN_ANON); /* no */
}

/* Nothing fits below mmap_base: the top-down search falls back to a
 * bottom-up one from TASK_UNMAPPED_BASE, which finds the space between
 * mmap_base and the stack (the THP-aligned search too). */
static void topdown_fallback(struct scn *s)
{
	unsigned long from = 0x10000;
	unsigned int i;

	/*
	 * Fill every gap of 16 MiB or more below mmap_base, with r-x
	 * anonymous memory: nothing inherited has those flags, so the fills
	 * merge with no neighbour (whether an inherited VMA has an anon_vma
	 * is not in the snapshot: a PROT_NONE fill would merge live with an
	 * untouched PROT_NONE reservation, such as ASan's).
	 */
	for (i = 0; i <= s->nr_init; i++) {
		unsigned long to = i < s->nr_init ? s->init[i].start : s->mmap_base;

		if (to > s->mmap_base)
			to = s->mmap_base;
		if (to >= from + 16 * SCN_MIB)
			scn_mmap(s, from, to - from,
				 SCN_PROT_READ | SCN_PROT_EXEC,
				 SCN_ANON | SCN_MAP_FIXED_NOREPLACE |
				 SCN_MAP_NORESERVE);
		if (i < s->nr_init && s->init[i].end > from)
			from = s->init[i].end;
		if (from >= s->mmap_base)
			break;
	}
	scn_mmap(s, 0, 64 * SCN_MIB + P(1), SCN_R, SCN_ANON);	/* above base */
	scn_mmap(s, 0, 32 * SCN_MIB, SCN_R, SCN_ANON);		/* THP */
	scn_mmap(s, 0, 16 * SCN_MIB, SCN_R, SCN_ANON);		/* -ENOMEM */
	scn_mmap(s, 0, 4 * SCN_MIB, SCN_R, SCN_ANON);
}

/* ---- mmap flags that become VMA flags ----------------------------------- */

/* MAP_STACK (VM_NOHUGEPAGE), MAP_LOCKED (VM_LOCKED) and MAP_SYNC
 * (VM_SYNC, set for anonymous memory too) keep neighbours apart;
 * MAP_POPULATE is no VMA flag. */
static void map_flag_bits(struct scn *s)
{
	scn_mmap(s, W(0), P(2), SCN_RW, FIXED);
	scn_mmap(s, W(2), P(2), SCN_RW, FIXED | SCN_MAP_STACK);	/* apart */
	scn_mmap(s, W(4), P(2), SCN_RW, FIXED | SCN_MAP_STACK);	/* merged */
	scn_mmap(s, W(6), P(2), SCN_RW, FIXED | SCN_MAP_LOCKED);	/* apart */
	scn_mmap(s, W(8), P(2), SCN_RW, FIXED | SCN_MAP_LOCKED);	/* merged */
	scn_mmap(s, W(10), P(2), SCN_RW, FIXED | SCN_MAP_SYNC);	/* apart */
	scn_mmap(s, W(12), P(2), SCN_RW, FIXED | SCN_MAP_POPULATE); /* apart */
	scn_mmap(s, W(14), P(2), SCN_RW, FIXED);			/* merged */
	scn_mmap(s, 0, 2 * SCN_MIB, SCN_RW, SCN_ANON | SCN_MAP_STACK); /* THP */
}

/* MAP_POPULATE (and MAP_LOCKED) fault the pages in at mmap time: the VMA
 * gets an anon_vma, so made r-- it keeps VM_ACCOUNT and stays apart from
 * a fresh r-- neighbour, like a touched one. */
static void populate_faults(struct scn *s)
{
	scn_mmap(s, W(0), P(2), SCN_RW, FIXED | SCN_MAP_POPULATE);
	scn_mmap(s, W(2), P(2), SCN_R, FIXED);
	scn_mprotect(s, W(0), P(2), SCN_R);			/* apart */
	scn_mmap(s, W(8), P(2), SCN_RW, FIXED | SCN_MAP_LOCKED);
	scn_mmap(s, W(10), P(2), SCN_R, FIXED | SCN_MAP_LOCKED);
	scn_mprotect(s, W(8), P(2), SCN_R);			/* apart */
}

/* MAP_DROPPABLE (6.11+) is a map type of its own: VM_DROPPABLE,
 * VM_NORESERVE, VM_WIPEONFORK, VM_DONTDUMP; not with GROWSDOWN or
 * LOCKED. */
static void map_droppable(struct scn *s)
{
	unsigned long drop = SCN_MAP_DROPPABLE | SCN_MAP_ANONYMOUS;

	scn_mmap(s, W(0), P(2), SCN_RW, drop | SCN_MAP_FIXED);
	scn_mmap(s, W(2), P(2), SCN_RW, drop | SCN_MAP_FIXED);	/* merged */
	scn_mmap(s, W(4), P(2), SCN_RW, FIXED);			/* apart */
	scn_mmap(s, 0, P(1), SCN_RW, drop | SCN_MAP_GROWSDOWN);	/* -EINVAL */
	scn_mmap(s, 0, P(1), SCN_RW, drop | SCN_MAP_LOCKED);	/* -EINVAL */
}

/* MAP_SHARED_VALIDATE is for files: do_mmap()'s switch for anonymous
 * memory knows MAP_SHARED, MAP_DROPPABLE and MAP_PRIVATE only: -EINVAL. */
static void map_shared_validate(struct scn *s)
{
	scn_mmap(s, W(0), P(2), SCN_RW,
		 SCN_MAP_SHARED_VALIDATE | SCN_MAP_ANONYMOUS | SCN_MAP_FIXED);
	scn_mmap(s, W(4), P(2), SCN_RW,		/* an unknown flag too */
		 SCN_MAP_SHARED_VALIDATE | SCN_MAP_ANONYMOUS | SCN_MAP_FIXED |
		 0x200000);
}

/* MAP_32BIT: x86-64 searches bottom-up in [1 GiB, 2 GiB)
 * (arch_get_unmapped_area_topdown() goes to the bottom-up allocator,
 * find_start_end() gives the window); a 2 MiB length is THP-aligned in
 * it too. */
static void map_32bit(struct scn *s)
{
	scn_mmap(s, 0, P(1), SCN_RW, SCN_ANON | SCN_MAP_32BIT);
	scn_mmap(s, 0, P(2), SCN_RW, SCN_ANON | SCN_MAP_32BIT);
	scn_mmap(s, 0x50000000, P(1), SCN_R, SCN_ANON | SCN_MAP_32BIT);
	scn_mmap(s, W(0), P(1), SCN_R, SCN_ANON | SCN_MAP_32BIT); /* not taken */
	scn_mmap(s, 0, 2 * SCN_MIB, SCN_R, SCN_ANON | SCN_MAP_32BIT);
	scn_mmap(s, W(0), P(1), SCN_R, FIXED | SCN_MAP_32BIT);	/* fixed */
}

/* Two growsdown VMAs merge like any others; the guard gap of the lower
 * one still keeps hints away. */
static void growsdown_merge(struct scn *s)
{
	unsigned long g = SCN_WIN + 64 * SCN_MIB;

	scn_mmap(s, g, P(4), SCN_RW, FIXED | SCN_MAP_GROWSDOWN);
	scn_mmap(s, g - P(4), P(4), SCN_RW, FIXED | SCN_MAP_GROWSDOWN);
	scn_mmap(s, g - P(6), P(2), SCN_RW, FIXED);		/* apart */
	scn_mprotect(s, g - P(2), P(4), SCN_R);			/* 3 pieces */
	scn_munmap(s, g - P(6), P(2));
	scn_mmap(s, g - SCN_MIB - P(1), P(1), SCN_R, SCN_ANON);	/* in gap */
}

/* ---- placement: hints near the stack, the guard gap in searches -------- */

/* Hints above mmap_base are honoured when free; one inside the stack's
 * guard gap, one crossing TASK_SIZE or one above 47 bits is not. */
static void hint_high(struct scn *s)
{
	scn_mmap(s, 0x7ffff8100000UL, P(2), SCN_RW, SCN_ANON);	/* honoured */
	scn_mmap(s, s->stack_start - P(2), P(2), SCN_R, SCN_ANON);
	scn_mmap(s, s->stack_start - SCN_MIB - P(2), P(2), SCN_R, SCN_ANON);
	scn_mmap(s, 0x7fffffffe000UL, P(4), SCN_R, SCN_ANON);
	scn_mmap(s, 0x800000000000UL, P(1), SCN_R, SCN_ANON);
	scn_mmap(s, 0x7ffff8100000UL, P(2), SCN_R, SCN_ANON);	/* taken */
}

/* The top-down search itself skips a growsdown VMA's guard gap: a VMA
 * placed in the free space just below the lowest mapping makes the next
 * large search land 1 MiB lower than it otherwise would. */
static void guard_gap_search(struct scn *s)
{
	unsigned long g = s->td_low - P(8);

	scn_mmap(s, g, P(4), SCN_RW, FIXED | SCN_MAP_GROWSDOWN);
	scn_mmap(s, 0, 4 * SCN_MIB + P(1), SCN_R, SCN_ANON);
	scn_mmap(s, 0, 4 * SCN_MIB + P(1), SCN_R, SCN_ANON);
	scn_munmap(s, g, P(4));
	scn_mmap(s, 0, 4 * SCN_MIB + P(3), SCN_R, SCN_ANON);
}

/* MAP_FIXED below the 64 KiB search floor: allowed here.  The floor
 * (mmap_min_addr, raised to CONFIG_LSM_MMAP_MIN_ADDR) bounds hints and
 * searches; MAP_FIXED only meets security_mmap_addr(), where the
 * capability LSM checks vm.mmap_min_addr (4096 here) and SELinux, not
 * running here, would check the LSM floor. */
static void fixed_below_min_addr(struct scn *s)
{
	scn_mmap(s, 0x2000, P(2), SCN_R, FIXED);
	scn_mmap(s, 0x8000, P(8), SCN_R, FIXED);	/* up to 0x10000 */
	scn_mmap(s, 0x1000, P(1), SCN_R, SCN_ANON);	/* hint: raised */
}

/* A faulted 2 MiB-aligned mapping with a 2 MiB hole punched at an odd
 * offset: the padded THP search cannot use the hole. */
static void thp_after_hole(struct scn *s)
{
	long a = scn_mmap(s, 0, 4 * SCN_MIB, SCN_RW, SCN_ANON);

	if (a <= 0)
		return;
	scn_munmap(s, (unsigned long)a + SCN_MIB, 2 * SCN_MIB);
	scn_mmap(s, 0, 2 * SCN_MIB, SCN_RW, SCN_ANON);
	scn_mmap(s, 0, 2 * SCN_MIB - P(1), SCN_R, SCN_ANON);	/* in the hole */
	scn_mmap(s, 0, 8 * SCN_MIB, SCN_R, SCN_ANON);
}

/* brk stops short of a growsdown VMA's guard gap. */
static void brk_guard(struct scn *s)
{
	unsigned long b = (s->brk0 + SCN_PAGE - 1) & ~(SCN_PAGE - 1);
	unsigned long g = b + 4 * SCN_MIB;

	scn_mmap(s, g, P(4), SCN_RW, FIXED | SCN_MAP_GROWSDOWN);
	scn_brk(s, g - SCN_MIB - P(1) + 1);	/* fails */
	scn_brk(s, g - SCN_MIB - P(1));		/* fine */
	scn_brk(s, s->brk0);
}

/* An mmap right after the heap merges with it (and is named [heap]);
 * brk then cannot grow over it, but may shrink into it. */
static void brk_into_mmap(struct scn *s)
{
	unsigned long b = (s->brk0 + SCN_PAGE - 1) & ~(SCN_PAGE - 1);

	scn_brk(s, b + P(2));
	scn_mmap(s, b + P(2), P(3), SCN_RW, FIXED);	/* merges: [heap] */
	scn_brk(s, b + P(3));				/* fails */
	scn_brk(s, b + P(1));				/* shrinks into it */
	scn_brk(s, b + P(2));				/* grows back */
	scn_munmap(s, b + P(2), P(3));
	scn_brk(s, s->brk0);
}

/* The heap with a hole in it: brk extends the piece that ends at the
 * break, and a shrink unmaps across the hole. */
static void brk_after_munmap(struct scn *s)
{
	unsigned long b = (s->brk0 + SCN_PAGE - 1) & ~(SCN_PAGE - 1);

	scn_brk(s, b + P(4));
	scn_touch(s, b, P(4));
	scn_munmap(s, b + P(1), P(1));
	scn_brk(s, b + P(6));
	scn_brk(s, b + P(1) - 8);
	scn_brk(s, s->brk0);
}

/* An mprotect()ed heap: brk cannot extend a VMA with other flags, so it
 * adds one; shrinking unmaps across both. */
static void brk_after_mprotect(struct scn *s)
{
	unsigned long b = (s->brk0 + SCN_PAGE - 1) & ~(SCN_PAGE - 1);

	scn_brk(s, b + P(4));
	scn_mprotect(s, b + P(2), P(2), SCN_R);
	scn_brk(s, b + P(6));
	scn_brk(s, b + P(8));
	scn_brk(s, b + P(1));
	scn_brk(s, s->brk0);
}

/* An inherited, faulted heap is a fork child's: brk cannot expand it and
 * adds a VMA of its own (two [heap] lines); that one then grows. */
static void brk_forked_heap(struct scn *s)
{
	unsigned long b = s->brk0;

	scn_brk(s, b + P(2));
	scn_touch(s, b, P(1));
	scn_brk(s, b + P(4));
	scn_brk(s, b - P(1));		/* into the inherited part */
	scn_brk(s, b + P(1));
	scn_brk(s, b);
}

/* ---- errors ----------------------------------------------------------- */

/* munmap: unaligned start and zero length are -EINVAL, an empty range 0. */
static void err_munmap(struct scn *s)
{
	scn_mmap(s, W(0), P(4), SCN_RW, FIXED);
	scn_munmap(s, W(0) + 1, P(1));		/* -EINVAL */
	scn_munmap(s, W(0), 0);			/* -EINVAL */
	scn_munmap(s, W(100), P(1));		/* 0, nothing there */
	scn_munmap(s, 0x7ffffffff000UL, P(2));	/* -EINVAL: past TASK_SIZE */
	scn_munmap(s, W(0), P(1) + 1);		/* 0: two pages go */
	scn_munmap(s, W(2), ~0UL - W(2));	/* -EINVAL: too long */
	scn_mprotect(s, W(2), P(1) + 1, SCN_R);	/* two pages */
}

/* mprotect of an unmapped range: -ENOMEM; unaligned: -EINVAL; len 0: 0. */
static void err_mprotect_unmapped(struct scn *s)
{
	scn_mprotect(s, W(0), P(1), SCN_R);	/* -ENOMEM */
	scn_mmap(s, W(1), P(2), SCN_RW, FIXED);
	scn_mprotect(s, W(0), P(2), SCN_R);	/* -ENOMEM: starts in a hole */
	scn_mprotect(s, W(1) + 1, P(1), SCN_R);	/* -EINVAL */
	scn_mprotect(s, W(1), 0, SCN_R);		/* 0 */
	scn_mprotect(s, W(2), P(2), SCN_R);	/* -ENOMEM, W2 changed */
	scn_mprotect(s, W(1), ~0UL & ~(SCN_PAGE - 1), SCN_RW); /* wraps */
	scn_mprotect(s, W(1), 1UL << 46, SCN_RW);	/* -ENOMEM, W1.. done */
}

/* mprotect over a hole: -ENOMEM, the part before the hole is changed. */
static void err_mprotect_hole(struct scn *s)
{
	scn_mmap(s, W(0), P(2), SCN_RW, FIXED);
	scn_mmap(s, W(3), P(2), SCN_RW, FIXED);
	scn_mprotect(s, W(0), P(5), SCN_R);	/* [W0, W2) r-- [W3, W5) rw */
	scn_mmap(s, W(6), P(2), SCN_RW, FIXED);
	scn_mprotect(s, W(4), P(4), SCN_R);	/* W4 r--, W6 untouched */
}

/* mmap: len 0 and a missing map type are -EINVAL, and so are an
 * unaligned MAP_FIXED address and a growsdown shared mapping. */
static void err_mmap_args(struct scn *s)
{
	scn_mmap(s, 0, 0, SCN_RW, SCN_ANON);			/* -EINVAL */
	scn_mmap(s, 0, P(1), SCN_RW, SCN_MAP_ANONYMOUS);	/* -EINVAL */
	scn_mmap(s, W(0) + 8, P(1), SCN_RW, FIXED);		/* -EINVAL */
	scn_mmap(s, 0, P(1), SCN_RW,
		 SCN_SHANON | SCN_MAP_GROWSDOWN);		/* -EINVAL */
	scn_mmap(s, 0, ~0UL - 10, SCN_RW, SCN_ANON);		/* -ENOMEM */
	scn_mmap(s, 0, 1UL << 47, SCN_RW, SCN_ANON);		/* -ENOMEM */
	scn_mmap(s, 0x7fffffffe000UL, P(4), SCN_RW, FIXED);	/* -ENOMEM */
	scn_mmap(s, W(0), P(1), SCN_RW, FIXED);			/* fine */
}

/* mprotect with bits outside READ|WRITE|EXEC|SEM: -EINVAL. */
static void err_mprotect_bad_prot(struct scn *s)
{
	scn_mmap(s, W(0), P(4), SCN_RW, FIXED);
	scn_mprotect(s, W(0), P(1), 0x10);		/* -EINVAL */
	scn_mprotect(s, W(0), P(1), 0x80 | SCN_R);	/* -EINVAL */
	scn_mprotect(s, W(1), P(1), 0x8 | SCN_R);	/* PROT_SEM: fine */
}

/* PROT_GROWSDOWN on a VMA that does not grow down, or with GROWSUP:
 * -EINVAL; on a growsdown VMA it extends the range to the VMA's start. */
static void err_prot_growsdown(struct scn *s)
{
	unsigned long g = SCN_WIN + 64 * SCN_MIB;

	scn_mmap(s, W(0), P(4), SCN_RW, FIXED);
	scn_mprotect(s, W(2), P(1), SCN_R | SCN_PROT_GROWSDOWN);	/* -EINVAL */
	scn_mprotect(s, W(0), P(1),
		     SCN_R | SCN_PROT_GROWSDOWN | SCN_PROT_GROWSUP);	/* -EINVAL */
	scn_mprotect(s, W(0), P(1), SCN_R | SCN_PROT_GROWSUP);	/* -EINVAL */
	scn_mmap(s, g, P(4), SCN_RW, FIXED | SCN_MAP_GROWSDOWN);
	scn_mprotect(s, g + P(2), P(1), SCN_R | SCN_PROT_GROWSDOWN); /* [g, g+3) */
}

/* ---- mremap -------------------------------------------------------------- */

#define MAYMOVE		SCN_MREMAP_MAYMOVE
#define MFIXED		(SCN_MREMAP_MAYMOVE | SCN_MREMAP_FIXED)
#define DONTUNMAP	SCN_MREMAP_DONTUNMAP

/* Shrinking unmaps the tail, in place; a shrink may end inside a VMA it
 * shares with a faulted head; the same length is a no-op. */
static void mremap_shrink(struct scn *s)
{
	scn_mmap(s, W(0), P(6), SCN_RW, FIXED);
	scn_mremap(s, W(0), P(6), P(4), 0, 0);		/* [W0, W4) */
	scn_touch(s, W(0), P(4));
	scn_mremap(s, W(1), P(3), P(1), MAYMOVE, 0);	/* [W0, W2) */
	scn_mremap(s, W(0), P(2), P(2), 0, 0);		/* nothing */
	scn_mremap(s, W(0), P(2) - 8, P(1) + 1, 0, 0);	/* lengths rounded */
}

/* Growing in place when the room after the VMA is free (faulted or
 * not); once mprotect split it, only the last piece has room to grow. */
static void mremap_expand_in_place(struct scn *s)
{
	scn_mmap(s, W(0), P(2), SCN_RW, FIXED);
	scn_mremap(s, W(0), P(2), P(4), 0, 0);		/* [W0, W4) */
	scn_touch(s, W(0), P(4));
	scn_mremap(s, W(0), P(4), P(6), 0, 0);		/* [W0, W6) */
	scn_mprotect(s, W(4), P(2), SCN_R);
	scn_mremap(s, W(4), P(2), P(3), 0, 0);		/* r-- grows */
	scn_mremap(s, W(0), P(4), P(5), 0, 0);		/* -ENOMEM */
}

/* Growing up to the start of a compatible next VMA swallows it (3 -> 1);
 * an incompatible or differently faulted next stays apart. */
static void mremap_expand_absorb_next(struct scn *s)
{
	scn_mmap(s, W(0), P(2), SCN_RW, FIXED);
	scn_mmap(s, W(4), P(2), SCN_RW, FIXED);
	scn_mremap(s, W(0), P(2), P(4), 0, 0);		/* [W0, W6) */
	scn_mmap(s, W(16), P(2), SCN_RW, FIXED);
	scn_mmap(s, W(20), P(2), SCN_R, FIXED);
	scn_mremap(s, W(16), P(2), P(4), 0, 0);		/* rw | r-- */
	scn_mmap(s, W(32), P(2), SCN_RW, FIXED);
	scn_mmap(s, W(36), P(2), SCN_RW, FIXED);
	scn_touch(s, W(32), P(2));
	scn_touch(s, W(36), P(2));
	scn_mremap(s, W(32), P(2), P(4), 0, 0);		/* 2 anon_vmas: apart */
}

/* A VMA that cannot grow in place: -ENOMEM without MREMAP_MAYMOVE, moved
 * (top-down) with it; the source range is gone. */
static void mremap_maymove(struct scn *s)
{
	long a;

	scn_mmap(s, W(0), P(2), SCN_RW, FIXED);
	scn_touch(s, W(0), P(2));
	scn_mmap(s, W(2), P(1), SCN_R, FIXED);		/* the blocker */
	scn_mremap(s, W(0), P(2), P(4), 0, 0);		/* -ENOMEM */
	a = scn_mremap(s, W(0), P(2), P(4), MAYMOVE, 0);	/* moved */
	if (a > 0) {
		scn_mremap(s, (unsigned long)a, P(4), P(6), MAYMOVE, 0);
		scn_mmap(s, W(0), P(1), SCN_R, SCN_ANON | SCN_MAP_FIXED_NOREPLACE);
	}
	/* Unfaulted, moved top-down: a new offset, may merge there. */
	scn_mmap(s, W(8), P(2), SCN_RW, FIXED);
	scn_mmap(s, W(10), P(1), SCN_R, FIXED);
	scn_mremap(s, W(8), P(2), P(3), MAYMOVE, 0);
}

/* MREMAP_FIXED over existing mappings unmaps them first, also when it
 * shrinks or grows the range; moving onto part of itself, FIXED without
 * MAYMOVE and an unaligned new address are -EINVAL. */
static void mremap_fixed_over(struct scn *s)
{
	scn_mmap(s, W(0), P(2), SCN_RW, FIXED);
	scn_touch(s, W(0), P(2));
	scn_mmap(s, W(8), P(4), SCN_R, FIXED);
	scn_mremap(s, W(0), P(2), P(2), MFIXED, W(9));	/* r-- | rw | r-- */
	scn_mremap(s, W(9), P(2), P(2), MFIXED, W(10));	/* -EINVAL: overlap */
	scn_mremap(s, W(9), P(2), P(1), MFIXED, W(20));	/* shrink and move */
	scn_mremap(s, W(8), P(1), P(3), MFIXED, W(19));	/* grow, over W20 */
	scn_mremap(s, W(11), P(1), P(1), SCN_MREMAP_FIXED, W(30)); /* -EINVAL */
	scn_mremap(s, W(11), P(1), P(1), MFIXED, W(30) + 8);	/* -EINVAL */
}

/*
 * MREMAP_DONTUNMAP moves the pages but keeps the source VMA: to a top-down
 * address, or a fixed one; with another length, or without MAYMOVE,
 * -EINVAL.  The source loses its anon_vma (dontunmap_complete()), so the
 * second move is an unfaulted one: its copy takes the offset of W8, and an
 * unfaulted VMA moved to W10 merges with it.  Shared anonymous memory
 * keeps its shmem file in both places.
 */
static void mremap_dontunmap(struct scn *s)
{
	scn_mmap(s, W(0), P(2), SCN_RW, FIXED);
	scn_touch(s, W(0), P(2));
	scn_mremap(s, W(0), P(2), P(2), MAYMOVE | DONTUNMAP, 0);
	scn_mremap(s, W(0), P(2), P(2), MFIXED | DONTUNMAP, W(8));
	scn_mremap(s, W(0), P(2), P(3), MAYMOVE | DONTUNMAP, 0); /* -EINVAL */
	scn_mremap(s, W(0), P(2), P(2), DONTUNMAP, 0);	/* -EINVAL */
	scn_mmap(s, W(16), P(2), SCN_RW, FIXED);	/* unfaulted */
	scn_mremap(s, W(16), P(2), P(2), MFIXED | DONTUNMAP, W(10));
	scn_mmap(s, W(24), P(2), SCN_RW, SCN_SHANON | SCN_MAP_FIXED);
	scn_mremap(s, W(24), P(2), P(2), MFIXED | DONTUNMAP, W(28));
}

/* An unfaulted anonymous VMA moved next to a compatible one takes the
 * offset of its new place and merges with it (on either side). */
static void mremap_move_unfaulted_merge(struct scn *s)
{
	scn_mmap(s, W(0), P(2), SCN_RW, FIXED);
	scn_mmap(s, W(8), P(2), SCN_RW, FIXED);
	scn_mremap(s, W(8), P(2), P(2), MFIXED, W(2));	/* [W0, W4) */
	scn_mmap(s, W(16), P(2), SCN_RW, FIXED);
	scn_mremap(s, W(16), P(2), P(2), MFIXED, W(6));	/* [W6, W8) */
	scn_mremap(s, W(6), P(2), P(2), MFIXED, W(4));	/* [W0, W6) */
	scn_touch(s, W(0), P(6));
	scn_mmap(s, W(16), P(2), SCN_RW, FIXED);
	scn_mremap(s, W(16), P(2), P(2), MFIXED, W(6));	/* [W0, W8) */
}

/* A faulted one keeps its offset (and anon_vma): no merge where it goes,
 * next to an unfaulted or a faulted neighbour; moved back to where it
 * came from, it fits again. */
static void mremap_move_faulted_no_merge(struct scn *s)
{
	scn_mmap(s, W(0), P(2), SCN_RW, FIXED);
	scn_mmap(s, W(8), P(2), SCN_RW, FIXED);
	scn_touch(s, W(8), P(2));
	scn_mremap(s, W(8), P(2), P(2), MFIXED, W(2));	/* apart */
	scn_touch(s, W(0), P(2));
	scn_mmap(s, W(16), P(2), SCN_RW, FIXED);
	scn_touch(s, W(16), P(2));
	scn_mremap(s, W(16), P(2), P(2), MFIXED, W(4));	/* apart */
	scn_mmap(s, W(24), P(4), SCN_RW, FIXED);
	scn_touch(s, W(24), P(4));
	scn_mremap(s, W(26), P(2), P(2), MFIXED, W(40));
	scn_mremap(s, W(40), P(2), P(2), MFIXED, W(26));	/* back: merged */
}

/* 6.17+: MREMAP_FIXED with the same length moves every VMA of a range
 * that has holes, keeping the holes; the ends may cut VMAs; with another
 * length it is -EFAULT; with DONTUNMAP every source VMA stays. */
static void mremap_multi_vma(struct scn *s)
{
	scn_mmap(s, W(0), P(2), SCN_RW, FIXED);
	scn_mmap(s, W(3), P(2), SCN_R, FIXED);
	scn_mmap(s, W(6), P(2), SCN_RW, FIXED);
	scn_touch(s, W(6), P(2));
	scn_mremap(s, W(0), P(8), P(8), MFIXED, W(32));	/* three moved */
	scn_mremap(s, W(33), P(6), P(6), MFIXED, W(64));	/* cuts both ends */
	scn_mremap(s, W(64), P(8), P(9), MFIXED, W(96));	/* -EFAULT: grows */
	scn_mremap(s, W(64), P(6), P(6), MFIXED | DONTUNMAP, W(96)); /* 3 */
}

/* -EFAULT: nothing mapped at the address, a grown range that runs past
 * its VMA, a move that starts in a hole (one that ends in a hole is a
 * multi-VMA move); a shrink may cross VMAs. */
static void mremap_efault(struct scn *s)
{
	scn_mremap(s, W(100), P(1), P(2), MAYMOVE, 0);	/* -EFAULT */
	scn_mmap(s, W(0), P(2), SCN_RW, FIXED);
	scn_mmap(s, W(2), P(2), SCN_R, FIXED);
	scn_mremap(s, W(0), P(4), P(6), MAYMOVE, 0);	/* across VMAs */
	scn_mremap(s, W(1), P(2), P(2), MAYMOVE, 0);	/* same len: nothing */
	scn_mremap(s, W(0), P(4), P(2), 0, 0);		/* shrink: fine */
	scn_mmap(s, W(9), P(2), SCN_RW, FIXED);
	scn_mremap(s, W(8), P(3), P(3), MFIXED, W(32));	/* starts in a hole */
	scn_mremap(s, W(9), P(3), P(3), MFIXED, W(32));	/* ends in one: ok */
	scn_mremap(s, W(2), P(1), P(1), MFIXED, W(40));	/* -EFAULT: hole */
}

/* Argument errors: -EINVAL for an unaligned address, new_len 0, unknown
 * flags, FIXED without MAYMOVE. */
static void mremap_einval(struct scn *s)
{
	scn_mmap(s, W(0), P(4), SCN_RW, FIXED);
	scn_mremap(s, W(0) + 8, P(1), P(2), MAYMOVE, 0);
	scn_mremap(s, W(0), P(1), 0, MAYMOVE, 0);
	scn_mremap(s, W(0), P(1), P(2), 0x10, 0);
	scn_mremap(s, W(0), P(1), P(1), SCN_MREMAP_FIXED, W(8));
	scn_mremap(s, W(0), 0, P(2), MAYMOVE, 0);	/* old_len 0: private */
	scn_mremap(s, W(0), P(4), ~0UL & ~(SCN_PAGE - 1), MAYMOVE, 0);
}

/* ---- madvise ------------------------------------------------------------ */

/* MADV_DONTFORK (VM_DONTCOPY) on the middle splits it; DOFORK merges. */
static void madvise_dontfork(struct scn *s)
{
	scn_mmap(s, W(0), P(3), SCN_RW, FIXED);
	scn_madvise(s, W(1), P(1), SCN_MADV_DONTFORK);	/* 3 VMAs */
	scn_madvise(s, W(1), P(1), SCN_MADV_DONTFORK);	/* unchanged */
	scn_madvise(s, W(1), P(1), SCN_MADV_DOFORK);	/* 1 again */
	scn_touch(s, W(0), P(3));
	scn_madvise(s, W(0), P(2), SCN_MADV_DONTFORK);	/* 2 VMAs */
	scn_mmap(s, W(3), P(1), SCN_RW, FIXED);		/* merges right */
	scn_madvise(s, W(0), P(4), SCN_MADV_DOFORK);	/* 1 again */
}

/* MADV_WIPEONFORK: private anonymous memory only; shared anonymous
 * memory (shmem) is -EINVAL.  KEEPONFORK undoes it. */
static void madvise_wipeonfork(struct scn *s)
{
	scn_mmap(s, W(0), P(2), SCN_RW, SCN_SHANON | SCN_MAP_FIXED);
	scn_madvise(s, W(0), P(1), SCN_MADV_WIPEONFORK);	/* -EINVAL */
	scn_mmap(s, W(4), P(4), SCN_RW, FIXED);
	scn_madvise(s, W(5), P(2), SCN_MADV_WIPEONFORK);	/* 3 VMAs */
	scn_madvise(s, W(4), P(4), SCN_MADV_KEEPONFORK);	/* 1 again */
	scn_madvise(s, W(0), P(2), SCN_MADV_KEEPONFORK);	/* no-op */
}

/* Flag advice over a hole: every mapped part is advised, then -ENOMEM;
 * the parts show it by staying apart from a fresh neighbour. */
static void madvise_hole(struct scn *s)
{
	scn_mmap(s, W(0), P(2), SCN_RW, FIXED);
	scn_mmap(s, W(3), P(2), SCN_RW, FIXED);
	scn_madvise(s, W(0), P(5), SCN_MADV_DONTFORK);	/* -ENOMEM */
	scn_mmap(s, W(2), P(1), SCN_RW, FIXED);		/* apart from both */
	scn_madvise(s, W(0), P(5), SCN_MADV_DOFORK);	/* 0, one VMA */
	scn_madvise(s, W(4), P(4), SCN_MADV_DONTDUMP);	/* -ENOMEM, W4 split */
	scn_madvise(s, W(8), P(2), SCN_MADV_DONTDUMP);	/* -ENOMEM */
}

/* Page advice leaves the layout alone: DONTNEED, FREE, WILLNEED; a hole
 * is still -ENOMEM; bad advice or an unaligned start is -EINVAL. */
static void madvise_dontneed(struct scn *s)
{
	scn_mmap(s, W(0), P(4), SCN_RW, FIXED);
	scn_touch(s, W(0), P(4));
	scn_madvise(s, W(1), P(2), SCN_MADV_DONTNEED);
	scn_madvise(s, W(0), P(1), SCN_MADV_FREE);
	scn_madvise(s, W(0), P(4), SCN_MADV_WILLNEED);
	scn_madvise(s, W(2), P(4), SCN_MADV_DONTNEED);	/* -ENOMEM */
	scn_madvise(s, W(0), P(1), 999);		/* -EINVAL */
	scn_madvise(s, W(0) + 8, P(1), SCN_MADV_DONTNEED);	/* -EINVAL */
	scn_madvise(s, W(0), 0, SCN_MADV_DONTNEED);		/* 0 */
	scn_mmap(s, W(4), P(2), SCN_RW, FIXED);		/* still merges */
}

/* Other flag advice: DONTDUMP, HUGEPAGE, RANDOM, SEQUENTIAL split off
 * their ranges and their opposites merge them back. */
static void madvise_flag_advice(struct scn *s)
{
	scn_mmap(s, W(0), P(8), SCN_RW, FIXED);
	scn_madvise(s, W(1), P(1), SCN_MADV_DONTDUMP);
	scn_madvise(s, W(3), P(1), SCN_MADV_HUGEPAGE);
	scn_madvise(s, W(5), P(1), SCN_MADV_RANDOM);
	scn_madvise(s, W(6), P(1), SCN_MADV_SEQUENTIAL);	/* 8 VMAs */
	scn_madvise(s, W(0), P(8), SCN_MADV_DODUMP);
	scn_madvise(s, W(0), P(8), SCN_MADV_NORMAL);		/* 3 VMAs */
	scn_madvise(s, W(3), P(1), SCN_MADV_NOHUGEPAGE);	/* still 3 */
}

/* ---- mlock ------------------------------------------------------------- */

/* mlock of the middle: 3 VMAs (the middle populated); munlock: 1. */
static void mlock_middle(struct scn *s)
{
	scn_mmap(s, W(0), P(3), SCN_RW, FIXED);
	scn_mlock(s, W(1), P(1), 0);			/* 3 VMAs */
	scn_munlock(s, W(1), P(1));			/* 1 again */
	scn_mlock(s, W(0) + 8, P(1), 0);		/* [W0, W2): rounded */
	scn_munlock(s, W(0), P(3));
	scn_mprotect(s, W(0), P(3), SCN_R);		/* faulted: apart */
	scn_mmap(s, W(3), P(1), SCN_R, FIXED);
}

/* mlock2(MLOCK_ONFAULT): VM_LOCKED | VM_LOCKONFAULT, not populated, so
 * its piece still drops VM_ACCOUNT when made r--; a plain mlock next to
 * it is another flag set. */
static void mlock_onfault(struct scn *s)
{
	scn_mmap(s, W(0), P(4), SCN_RW, FIXED);
	scn_mlock(s, W(0), P(2), SCN_MLOCK_ONFAULT);	/* 2 VMAs */
	scn_mlock(s, W(2), P(2), 0);			/* still 2 */
	scn_mlock(s, W(0), P(1), 0x2);			/* -EINVAL */
	scn_munlock(s, W(0), P(4));			/* 1 */
	scn_mlock(s, W(4), 0, SCN_MLOCK_ONFAULT);	/* 0 */
	scn_mmap(s, W(8), P(2), SCN_RW, FIXED);
	scn_mlock(s, W(8), P(2), SCN_MLOCK_ONFAULT);
	scn_munlock(s, W(8), P(2));
	scn_mprotect(s, W(8), P(2), SCN_R);
	scn_mmap(s, W(10), P(2), SCN_R, FIXED);		/* merges */
}

/* mlock errors: a hole gives -ENOMEM after locking what comes before;
 * PROT_NONE memory is locked but not populated: -ENOMEM; munlock over a
 * hole unlocks (and merges) what comes before it. */
static void mlock_errors(struct scn *s)
{
	scn_mmap(s, W(0), P(2), SCN_RW, FIXED);
	scn_mmap(s, W(3), P(2), SCN_RW, FIXED);
	scn_mlock(s, W(1), P(4), 0);			/* -ENOMEM */
	scn_mmap(s, W(2), P(1), SCN_RW, FIXED);
	scn_mmap(s, W(8), P(2), SCN_PROT_NONE, FIXED);
	scn_mlock(s, W(8), P(1), 0);			/* -ENOMEM */
	scn_mlock(s, W(100), P(1), 0);			/* -ENOMEM */
	scn_munlock(s, W(0), P(10));			/* -ENOMEM */
}

/*
 * mlockall(MCL_CURRENT | MCL_FUTURE) locks every VMA and the ones mapped
 * afterwards (populated); munlockall ends both.  On the live side
 * MCL_CURRENT faults in the whole child: with a huge initial layout
 * (sanitizer shadow reservations) only MCL_FUTURE is used, on both sides.
 */
static void mlockall_future(struct scn *s)
{
	unsigned long total = 0, flags = SCN_MCL_CURRENT | SCN_MCL_FUTURE;
	unsigned int i;

	for (i = 0; i < s->nr_init; i++)
		total += s->init[i].end - s->init[i].start;
	if (total > 1024 * SCN_MIB)
		flags = SCN_MCL_FUTURE;

	scn_mlockall(s, 0);				/* -EINVAL */
	scn_mlockall(s, SCN_MCL_ONFAULT);		/* -EINVAL */
	scn_mlockall(s, flags);
	scn_mmap(s, W(0), P(2), SCN_RW, FIXED);		/* locked, populated */
	scn_mmap(s, W(2), P(2), SCN_RW, FIXED);		/* merged */
	scn_munlockall(s);
	scn_mmap(s, W(4), P(2), SCN_RW, FIXED);		/* merged */
	scn_mlock(s, W(6), P(2), 0);			/* -ENOMEM */
	scn_mlockall(s, SCN_MCL_FUTURE | SCN_MCL_ONFAULT);
	scn_mmap(s, W(6), P(2), SCN_RW, FIXED);		/* apart: LOCKONFAULT */
	scn_mlockall(s, SCN_MCL_FUTURE);
	scn_mmap(s, W(8), P(2), SCN_RW, FIXED);		/* apart: LOCKED */
	scn_munlockall(s);	/* W6 merges back; W8, populated, stays apart */
}

/* ---- mseal -------------------------------------------------------------- */

/* mseal of the middle splits it; the sealed part refuses munmap,
 * mprotect, MAP_FIXED and mremap (-EPERM), also as part of a larger
 * range; sealing the whole merges the sealed rw pieces; discarding advice
 * is refused on sealed read-only anonymous memory only. */
static void mseal_middle(struct scn *s)
{
	scn_mmap(s, W(0), P(3), SCN_RW, FIXED);
	scn_mseal(s, W(1), P(1), 0);			/* 3 VMAs */
	scn_munmap(s, W(1), P(1));			/* -EPERM */
	scn_mprotect(s, W(1), P(1), SCN_R);		/* -EPERM */
	scn_munmap(s, W(0), P(3));			/* -EPERM, none gone */
	scn_mmap(s, W(1), P(1), SCN_R, FIXED);		/* -EPERM */
	scn_mremap(s, W(1), P(1), P(1), MFIXED, W(8));	/* -EPERM */
	scn_mremap(s, W(1), P(1), P(2), MAYMOVE, 0);	/* -EPERM */
	scn_mprotect(s, W(0), P(1), SCN_R);		/* fine */
	scn_mseal(s, W(0), P(3), 0);			/* 2 VMAs */
	scn_mprotect(s, W(2), P(1), SCN_R);		/* -EPERM */
	scn_madvise(s, W(1), P(1), SCN_MADV_DONTNEED);	/* rw: fine */
	scn_madvise(s, W(0), P(1), SCN_MADV_DONTNEED);	/* r-- anon: -EPERM */
}

/* mseal with a hole in the range: -ENOMEM and nothing sealed; bad flags,
 * unaligned start: -EINVAL; len 0: 0. */
static void mseal_hole(struct scn *s)
{
	scn_mmap(s, W(0), P(2), SCN_RW, FIXED);
	scn_mmap(s, W(3), P(2), SCN_RW, FIXED);
	scn_mseal(s, W(0), P(5), 0);			/* -ENOMEM */
	scn_mseal(s, W(1), P(1), 1);			/* -EINVAL */
	scn_mseal(s, W(1) + 8, P(1), 0);		/* -EINVAL */
	scn_mseal(s, W(1), 0, 0);			/* 0 */
	scn_mseal(s, W(9), P(1), 0);			/* -ENOMEM */
	scn_munmap(s, W(0), P(5));			/* 0: nothing sealed */
	scn_mmap(s, W(0), P(2), SCN_RW, FIXED);
	scn_mseal(s, W(1), P(1) - 8, 0);		/* len rounded up */
	scn_munmap(s, W(0), P(1));			/* fine */
	scn_mmap(s, W(2), P(2), SCN_RW, FIXED);
	scn_mseal(s, W(2), P(2), 0);			/* merges with W1 */
}

#define SCENARIO(fn, what)		{ #fn, what, fn, 0 }
#define SCENARIO_SETUP(fn, what, setup)	{ #fn, what, fn, setup }

const struct scenario scenarios[] = {
	SCENARIO(merge_adjacent_fixed, "adjacent anonymous maps merge"),
	SCENARIO(merge_adjacent_topdown,
		 "top-down maps merge with the one above"),
	SCENARIO(fill_hole_3to1, "a map filling a hole merges both sides"),
	SCENARIO(fill_hole_faulted, "different anon_vmas: only the left merge"),
	SCENARIO(noreserve_no_merge, "MAP_NORESERVE rw next to rw stays apart"),
	SCENARIO(shared_anon_no_merge, "shared anonymous maps never merge"),
	SCENARIO(mprotect_middle_and_back, "3 VMAs then 1"),
	SCENARIO(mprotect_middle_faulted, "3 VMAs then 1, faulted"),
	SCENARIO(mprotect_left_merge, "left part merges into prev"),
	SCENARIO(mprotect_right_merge, "right part merges into next"),
	SCENARIO(mprotect_bridge, "middle VMA bridges both neighbours"),
	SCENARIO(faulted_rw_to_ro_no_merge,
		 "faulted rw made r-- keeps VM_ACCOUNT"),
	SCENARIO(unfaulted_rw_to_ro_merge, "unfaulted rw made r-- merges"),
	SCENARIO(ro_to_rw_merge, "r-- made rw merges with rw"),
	SCENARIO(munmap_across, "munmap across VMAs cutting both ends"),
	SCENARIO(munmap_hole, "munmap of a hole in the middle"),
	SCENARIO(fixed_middle_other_prot, "MAP_FIXED over the middle: 3 VMAs"),
	SCENARIO(fixed_middle_same_prot, "MAP_FIXED over the middle: 1 VMA"),
	SCENARIO(fixed_middle_same_prot_faulted, "the same, faulted: 1 VMA"),
	SCENARIO(fixed_over_several, "MAP_FIXED over several VMAs"),
	SCENARIO(fixed_noreplace, "MAP_FIXED_NOREPLACE: -EEXIST on overlap"),
	SCENARIO(hints, "hints honoured, taken, below mmap_min_addr"),
	SCENARIO(growsdown_guard, "the stack guard gap moves hinted maps"),
	SCENARIO(thp_aligned, "2/4/6 MiB anonymous maps are 2 MiB-aligned"),
	SCENARIO(thp_unaligned, "2 MiB+4 KiB, 1 MiB, 3 MiB are not aligned"),
	SCENARIO(thp_shared_anon, "shared anonymous 2 MiB and 4 MiB"),
	SCENARIO(brk_throb, "brk grows and shrinks many times"),
	SCENARIO(brk_edges, "brk below start, same page, next mapping"),
	SCENARIO(mprotect_bridge_faulted,
		 "different anon_vmas: left merge only"),
	SCENARIO(mprotect_span, "mprotect across three VMAs"),
	SCENARIO(fixed_replace_bridges,
		 "MAP_FIXED over a whole VMA merges 3 -> 1"),
	SCENARIO(munmap_partial_edges, "munmap starting or ending in holes"),
	SCENARIO_SETUP(forked_neighbour, "inherited faulted VMA: no merge",
		       SCN_SETUP_INHERIT),
	SCENARIO(account_prot_none, "PROT_NONE and VM_ACCOUNT / NORESERVE"),
	SCENARIO(shared_anon_split, "shared anon pieces: offsets, remerge"),
	SCENARIO(topdown_exact_fit, "top-down search: highest fit, exact fit"),
	SCENARIO(topdown_fallback, "no room below mmap_base: bottom-up"),
	SCENARIO(map_flag_bits, "MAP_STACK/LOCKED/SYNC are VMA flags"),
	SCENARIO(populate_faults, "MAP_POPULATE/LOCKED fault the pages"),
	SCENARIO(map_droppable, "MAP_DROPPABLE mappings"),
	SCENARIO(map_shared_validate, "MAP_SHARED_VALIDATE, anonymous"),
	SCENARIO(map_32bit, "MAP_32BIT: bottom-up in [1 GiB, 2 GiB)"),
	SCENARIO(growsdown_merge, "growsdown VMAs merge, keep the guard"),
	SCENARIO(hint_high, "hints above mmap_base and near the stack"),
	SCENARIO(guard_gap_search, "top-down search skips the guard gap"),
	SCENARIO(fixed_below_min_addr, "MAP_FIXED below 64 KiB"),
	SCENARIO(thp_after_hole, "THP-aligned search around a punched hole"),
	SCENARIO(brk_guard, "brk stops short of a guard gap"),
	SCENARIO(brk_into_mmap, "an mmap after the heap joins it"),
	SCENARIO(brk_after_munmap, "brk over a heap with a hole"),
	SCENARIO(brk_after_mprotect, "brk next to an mprotect()ed heap"),
	SCENARIO_SETUP(brk_forked_heap, "inherited faulted heap: new VMA",
		       SCN_SETUP_HEAP),
	SCENARIO(err_munmap, "munmap unaligned, len 0, nothing mapped"),
	SCENARIO(err_mprotect_unmapped, "mprotect of unmapped ranges: -ENOMEM"),
	SCENARIO(err_mprotect_hole,
		 "mprotect over a hole: -ENOMEM, first part done"),
	SCENARIO(err_mmap_args, "mmap len 0, no map type, unaligned: -EINVAL"),
	SCENARIO(err_mprotect_bad_prot, "mprotect with bad prot bits: -EINVAL"),
	SCENARIO(err_prot_growsdown, "PROT_GROWSDOWN misuse: -EINVAL"),
	SCENARIO(mremap_shrink, "mremap shrinks in place"),
	SCENARIO(mremap_expand_in_place, "mremap grows into free room"),
	SCENARIO(mremap_expand_absorb_next,
		 "mremap grows up to a compatible next: merged"),
	SCENARIO(mremap_maymove, "blocked: -ENOMEM, moved with MAYMOVE"),
	SCENARIO(mremap_fixed_over, "MREMAP_FIXED over existing mappings"),
	SCENARIO(mremap_dontunmap, "MREMAP_DONTUNMAP keeps the source VMA"),
	SCENARIO(mremap_move_unfaulted_merge,
		 "unfaulted VMA moved next to a neighbour merges"),
	SCENARIO(mremap_move_faulted_no_merge,
		 "faulted VMA moved next to a neighbour stays apart"),
	SCENARIO(mremap_multi_vma, "6.17+ move of several VMAs and holes"),
	SCENARIO(mremap_efault, "mremap of unmapped or spanning ranges"),
	SCENARIO(mremap_einval, "mremap argument errors: -EINVAL"),
	SCENARIO(madvise_dontfork, "DONTFORK splits, DOFORK merges back"),
	SCENARIO(madvise_wipeonfork, "WIPEONFORK: -EINVAL on shared anon"),
	SCENARIO(madvise_hole, "flag advice over a hole: -ENOMEM, applied"),
	SCENARIO(madvise_dontneed, "page advice leaves the layout"),
	SCENARIO(madvise_flag_advice, "DONTDUMP/HUGEPAGE/RANDOM split, merge"),
	SCENARIO(mlock_middle, "mlock of the middle: 3 VMAs, munlock: 1"),
	SCENARIO(mlock_onfault, "mlock2(MLOCK_ONFAULT) is not populated"),
	SCENARIO(mlock_errors, "mlock over a hole or PROT_NONE: -ENOMEM"),
	SCENARIO(mlockall_future, "mlockall(CURRENT|FUTURE), munlockall"),
	SCENARIO(mseal_middle, "sealed middle refuses munmap/mprotect"),
	SCENARIO(mseal_hole, "mseal over a hole: -ENOMEM, nothing sealed"),
};

const unsigned int nr_scenarios = sizeof(scenarios) / sizeof(scenarios[0]);
