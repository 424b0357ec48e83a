/* SPDX-License-Identifier: MIT */
/*
 * test_mremap.c - do_mremap() (src/vma/mremap.c) against Linux 6.18:
 * shrinking, growing in place, moving (MREMAP_MAYMOVE, MREMAP_FIXED,
 * MREMAP_DONTUNMAP, several VMAs at once), the page offsets and merges of
 * moved VMAs, every errno, the page counters and mm->committed after each
 * step, and allocation failures at every point of a move.
 *
 * Live verification: unless a test says otherwise, each layout and errno
 * below was first produced on the live kernel (6.18.44, x86-64) by a small
 * C program making the same mmap(MAP_FIXED_NOREPLACE)/mremap calls in the
 * window at 0x500000000000 and reading /proc/self/smaps (ranges, perms,
 * and "ac"/"lo"/"sl" in VmFlags for VM_ACCOUNT/VM_LOCKED/VM_SEALED).
 * "Faulted" means written to: a write there, vma_touch() here.  Where the
 * expectation comes from the kernel source only, the test says so.
 *
 * Layouts are "start-end perms" lines; after every call the counters are
 * checked against their sums over the VMAs (mm_validate() will do that
 * too once it lands; this file does not depend on it).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <mtree/alloc.h>
#include <vmasim/vma.h>

#include "helpers.h"
#include "vma_internal.h"
#include "mremap.h"

#define BASE	0x7ffff7fff000UL	/* mmap_base of a process without ASLR */
#define W	0x500000000000UL	/* the window the live runs used */
#define P	PAGE_SIZE

#define RW	(PROT_READ | PROT_WRITE)
#define R	PROT_READ
#define RWX	(PROT_READ | PROT_WRITE | PROT_EXEC)

/* ---- helpers ------------------------------------------------------- */

static struct mm_struct *new_mm_limits(const struct mm_limits *limits)
{
	struct mm_struct *mm = malloc(sizeof(*mm));
	struct mm_limits def;

	assert_non_null(mm);
	if (!limits) {
		mm_limits_default(&def);
		limits = &def;
	}
	mm_init(mm, BASE, false, limits);
	mmap_write_lock(mm);
	return mm;
}

static struct mm_struct *new_mm(void)
{
	return new_mm_limits(NULL);
}

static void free_mm(struct mm_struct *mm)
{
	mmap_write_unlock(mm);
	exit_mmap(mm);
	free(mm);
}

/* mmap at a fixed, free address (MAP_FIXED_NOREPLACE, as the live runs). */
static void map(struct mm_struct *mm, unsigned long addr, unsigned long len,
		unsigned long prot)
{
	unsigned long ret = do_mmap(mm, NULL, addr, len, prot,
				    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, 0);

	assert_int_equal(ret, addr);
}

static void map_flags(struct mm_struct *mm, unsigned long addr, unsigned long len,
		      unsigned long prot, unsigned long flags)
{
	unsigned long ret = do_mmap(mm, NULL, addr, len, prot,
				    flags | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, 0);

	assert_int_equal(ret, addr);
}

static void touch(struct mm_struct *mm, unsigned long start, unsigned long end)
{
	assert_int_equal(vma_touch(mm, start, end), 0);
}

static long mr(struct mm_struct *mm, unsigned long addr, unsigned long old_len,
	       unsigned long new_len, unsigned long flags, unsigned long new_addr)
{
	return (long)do_mremap(mm, addr, old_len, new_len, flags, new_addr);
}

static struct vm_area_struct *at(struct mm_struct *mm, unsigned long addr)
{
	struct vm_area_struct *vma = vma_lookup(mm, addr);

	assert_non_null(vma);
	return vma;
}

/*
 * The invariants mm_validate() is to check: map_count, the tree, and
 * every counter equal to its sum over the VMAs.
 */
static void check_sums(struct mm_struct *mm)
{
	unsigned long count = 0, total = 0, data = 0, exec = 0, stack = 0;
	unsigned long locked = 0, committed = 0, prev_end = 0;
	VMA_ITERATOR(vmi, mm, 0);
	struct vm_area_struct *vma;

	for_each_vma(vmi, vma) {
		unsigned long pages = vma_pages(vma);

		assert_true(vma->vm_start >= prev_end);
		assert_true(vma->vm_start < vma->vm_end);
		prev_end = vma->vm_end;
		count++;
		total += pages;
		if (is_exec_mapping(vma->vm_flags))
			exec += pages;
		else if (is_stack_mapping(vma->vm_flags))
			stack += pages;
		else if (is_data_mapping(vma->vm_flags))
			data += pages;
		if (vma->vm_flags & VM_LOCKED)
			locked += pages;
		if (vma->vm_flags & VM_ACCOUNT)
			committed += pages;
	}
	assert_int_equal(mm->map_count, count);
	assert_int_equal(mm->total_vm, total);
	assert_int_equal(mm->data_vm, data);
	assert_int_equal(mm->exec_vm, exec);
	assert_int_equal(mm->stack_vm, stack);
	assert_int_equal(mm->locked_vm, locked);
	assert_int_equal(mm->committed, committed);
	assert_int_equal(mt_validate(&mm->mm_mt), 0);
}

/* Compare the layout, then check the counters. */
static void expect(struct mm_struct *mm, const char *expected)
{
	const char *got = test_layout(mm);

	if (strcmp(got, expected)) {
		fprintf(stderr, "expected:\n%sgot:\n%s", expected, got);
		fail();
	}
	check_sums(mm);
}

/* ---- shrinking -------------------------------------------------------- */

static void test_shrink(void **state)
{
	struct mm_struct *mm = new_mm();

	(void)state;
	map(mm, W, 4 * P, RW);
	assert_int_equal(mr(mm, W, 4 * P, 2 * P, 0, 0), W);
	expect(mm, "500000000000-500000002000 rw-p\n");
	assert_int_equal(mm->committed, 2);
	assert_int_equal(mm->data_vm, 2);
	/* Lengths round up to pages: P + 1 is 2 pages, no change. */
	assert_int_equal(mr(mm, W, 2 * P, P + 1, 0, 0), W);
	expect(mm, "500000000000-500000002000 rw-p\n");
	/* The unmapped tail may lie past the VMA: no -EFAULT for a shrink. */
	assert_int_equal(mr(mm, W, 4 * P, 3 * P, 0, 0), W);
	expect(mm, "500000000000-500000002000 rw-p\n");
	free_mm(mm);
}

/* The unmapped tail may cross VMA ends and holes. */
static void test_shrink_across(void **state)
{
	struct mm_struct *mm = new_mm();

	(void)state;
	map(mm, W, 2 * P, RW);
	map(mm, W + 2 * P, 2 * P, R);
	check_sums(mm);
	assert_int_equal(mr(mm, W, 4 * P, P, 0, 0), W);
	expect(mm, "500000000000-500000001000 rw-p\n");
	assert_int_equal(mm->total_vm, 1);
	assert_int_equal(mm->committed, 1);

	map(mm, W + P, P, RW);
	map(mm, W + 3 * P, 2 * P, RW);
	expect(mm, "500000000000-500000002000 rw-p\n"
		   "500000003000-500000005000 rw-p\n");
	assert_int_equal(mr(mm, W, 5 * P, P, 0, 0), W);
	expect(mm, "500000000000-500000001000 rw-p\n");
	free_mm(mm);
}

/* ---- growing in place ------------------------------------------------- */

static void test_expand_in_place(void **state)
{
	struct mm_struct *mm = new_mm();

	(void)state;
	map(mm, W, 2 * P, RW);
	assert_int_equal(mr(mm, W, 2 * P, 4 * P, 0, 0), W);
	expect(mm, "500000000000-500000004000 rw-p\n");
	assert_int_equal(mm->committed, 4);
	assert_int_equal(mm->data_vm, 4);
	/* A read-only, unaccounted mapping grows without a charge (not run
	 * live). */
	map(mm, W + 0x10000, P, R);
	assert_int_equal(mr(mm, W + 0x10000, P, 3 * P, 0, 0), W + 0x10000);
	expect(mm, "500000000000-500000004000 rw-p\n"
		   "500000010000-500000013000 r--p\n");
	assert_int_equal(mm->committed, 4);
	assert_int_equal(mm->total_vm, 7);
	free_mm(mm);
}

/* Growing up to a compatible next VMA swallows it. */
static void test_expand_absorbs_next(void **state)
{
	struct mm_struct *mm = new_mm();
	struct anon_vma *av;

	(void)state;
	map(mm, W, 2 * P, RW);
	map(mm, W + 4 * P, 2 * P, RW);
	assert_int_equal(mr(mm, W, 2 * P, 4 * P, 0, 0), W);
	expect(mm, "500000000000-500000006000 rw-p\n");
	assert_int_equal(mm->committed, 6);
	free_mm(mm);

	/* A faulted next is swallowed too; its anon_vma goes to the result. */
	mm = new_mm();
	map(mm, W, 2 * P, RW);
	map(mm, W + 4 * P, 2 * P, RW);
	touch(mm, W + 4 * P, W + 6 * P);
	av = at(mm, W + 4 * P)->anon_vma;
	assert_int_equal(mr(mm, W, 2 * P, 4 * P, 0, 0), W);
	expect(mm, "500000000000-500000006000 rw-p\n");
	assert_ptr_equal(at(mm, W)->anon_vma, av);
	free_mm(mm);

	/* Both faulted: two anon_vmas cannot merge; only the growth happens. */
	mm = new_mm();
	map(mm, W, 2 * P, RW);
	map(mm, W + 4 * P, 2 * P, RW);
	touch(mm, W, W + 2 * P);
	touch(mm, W + 4 * P, W + 6 * P);
	assert_int_equal(mr(mm, W, 2 * P, 4 * P, 0, 0), W);
	expect(mm, "500000000000-500000004000 rw-p\n"
		   "500000004000-500000006000 rw-p\n");
	assert_int_equal(mm->committed, 6);
	free_mm(mm);
}

/*
 * Growth blocked: -ENOMEM without MREMAP_MAYMOVE, else a move to where
 * mmap would put it (the address here is this mm's top-down choice; the
 * live process moved to its own randomized top).
 */
static void test_expand_blocked(void **state)
{
	struct mm_struct *mm = new_mm();

	(void)state;
	map(mm, W, 2 * P, RW);
	map(mm, W + 2 * P, P, R);
	assert_int_equal(mr(mm, W, 2 * P, 4 * P, 0, 0), -ENOMEM);
	expect(mm, "500000000000-500000002000 rw-p\n"
		   "500000002000-500000003000 r--p\n");
	assert_int_equal(mr(mm, W, 2 * P, 4 * P, MREMAP_MAYMOVE, 0), BASE - 4 * P);
	expect(mm, "500000002000-500000003000 r--p\n"
		   "7ffff7ffb000-7ffff7fff000 rw-p\n");
	/* Never written: the offset follows the new address. */
	assert_int_equal(at(mm, BASE - P)->vm_pgoff, (BASE - 4 * P) >> PAGE_SHIFT);
	assert_int_equal(mm->committed, 4);
	free_mm(mm);

	/* Growing a range that does not end at the VMA's end: a move too. */
	mm = new_mm();
	map(mm, W, 4 * P, RW);
	assert_int_equal(mr(mm, W, 2 * P, 3 * P, 0, 0), -ENOMEM);
	assert_int_equal(mr(mm, W, 2 * P, 3 * P, MREMAP_MAYMOVE, 0), BASE - 3 * P);
	expect(mm, "500000002000-500000004000 rw-p\n"
		   "7ffff7ffc000-7ffff7fff000 rw-p\n");
	assert_int_equal(mm->committed, 5);
	free_mm(mm);

	/* An executable mapping grown by a move: exec_vm follows. */
	mm = new_mm();
	map(mm, W, 2 * P, RWX);
	map(mm, W + 2 * P, P, R);
	assert_int_equal(mr(mm, W, 2 * P, 4 * P, MREMAP_FIXED | MREMAP_MAYMOVE,
			     W + 0x10000), W + 0x10000);
	expect(mm, "500000002000-500000003000 r--p\n"
		   "500000010000-500000014000 rwxp\n");
	assert_int_equal(mm->committed, 4);
	free_mm(mm);
}

/* ---- MREMAP_FIXED ----------------------------------------------------- */

/* The destination is unmapped first, splitting what was there. */
static void test_fixed_over_mapping(void **state)
{
	struct mm_struct *mm = new_mm();

	(void)state;
	map(mm, W, 2 * P, RW);
	map(mm, W + 0x10000, 4 * P, R);
	assert_int_equal(mr(mm, W, 2 * P, 2 * P, MREMAP_FIXED | MREMAP_MAYMOVE,
			     W + 0x11000), W + 0x11000);
	expect(mm, "500000010000-500000011000 r--p\n"
		   "500000011000-500000013000 rw-p\n"
		   "500000013000-500000014000 r--p\n");
	assert_int_equal(mm->committed, 2);
	assert_int_equal(mm->total_vm, 4);
	free_mm(mm);
}

/*
 * Shrink-and-move and grow-and-move.  On the live kernel the shrinking
 * move leaked old_len - new_len pages in Committed_AS (128 MiB shrunk to
 * 4 KiB and unmapped: +131068 kB for good); the model charges nothing.
 */
static void test_fixed_resize(void **state)
{
	struct mm_struct *mm = new_mm();

	(void)state;
	map(mm, W, 4 * P, RW);
	assert_int_equal(mr(mm, W, 4 * P, 2 * P, MREMAP_FIXED | MREMAP_MAYMOVE,
			     W + 0x10000), W + 0x10000);
	expect(mm, "500000010000-500000012000 rw-p\n");
	assert_int_equal(mm->committed, 2);

	assert_int_equal(mr(mm, W + 0x10000, 2 * P, 4 * P,
			     MREMAP_FIXED | MREMAP_MAYMOVE, W), W);
	expect(mm, "500000000000-500000004000 rw-p\n");
	assert_int_equal(mm->committed, 4);

	/* The shrink may cross VMAs, as a plain shrink may. */
	map(mm, W + 4 * P, 2 * P, R);
	assert_int_equal(mr(mm, W, 6 * P, P, MREMAP_FIXED | MREMAP_MAYMOVE,
			     W + 0x10000), W + 0x10000);
	expect(mm, "500000010000-500000011000 rw-p\n");
	assert_int_equal(mm->committed, 1);
	free_mm(mm);
}

/* ---- MREMAP_DONTUNMAP ------------------------------------------------- */

static void test_dontunmap(void **state)
{
	struct mm_struct *mm = new_mm();
	struct vm_area_struct *src;
	struct anon_vma *av;

	(void)state;
	map(mm, W, 2 * P, RW);
	touch(mm, W, W + 2 * P);
	av = at(mm, W)->anon_vma;
	assert_int_equal(mr(mm, W, 2 * P, 2 * P, MREMAP_MAYMOVE | MREMAP_DONTUNMAP,
			     W + 0x10000), W + 0x10000);
	expect(mm, "500000000000-500000002000 rw-p\n"
		   "500000010000-500000012000 rw-p\n");
	/* The source stays accounted (smaps "ac"); the copy is charged. */
	src = at(mm, W);
	assert_true(src->vm_flags & VM_ACCOUNT);
	assert_int_equal(mm->committed, 4);
	/* All of it moved: the source lost its anon_vma to the copy. */
	assert_null(src->anon_vma);
	assert_ptr_equal(at(mm, W + 0x10000)->anon_vma, av);
	free_mm(mm);

	/*
	 * Part of a locked VMA: the whole source VMA loses VM_LOCKED (smaps
	 * loses "lo" on all 4 pages), the copy is locked.  Live VmLck went
	 * 16 -> 24 kB and kept 16 kB after everything was unmapped; the
	 * model keeps locked_vm at the sum (2 pages).
	 */
	mm = new_mm();
	map_flags(mm, W, 4 * P, RW, MAP_PRIVATE | MAP_LOCKED);
	touch(mm, W, W + 4 * P);
	assert_int_equal(mm->locked_vm, 4);
	assert_int_equal(mr(mm, W + P, 2 * P, 2 * P, MREMAP_MAYMOVE | MREMAP_DONTUNMAP,
			     W + 0x10000), W + 0x10000);
	expect(mm, "500000000000-500000004000 rw-p\n"
		   "500000010000-500000012000 rw-p\n");
	src = at(mm, W);
	assert_false(src->vm_flags & VM_LOCKED);
	assert_true(src->vm_flags & VM_ACCOUNT);
	assert_non_null(src->anon_vma);		/* not all of it moved */
	assert_true(at(mm, W + 0x10000)->vm_flags & VM_LOCKED);
	assert_int_equal(mm->locked_vm, 2);
	assert_int_equal(mm->committed, 6);
	free_mm(mm);

	/* Never written: the copy merges at the destination. */
	mm = new_mm();
	map(mm, W, 2 * P, RW);
	map(mm, W + 0x10000, P, RW);
	assert_int_equal(mr(mm, W, 2 * P, 2 * P,
			     MREMAP_MAYMOVE | MREMAP_DONTUNMAP | MREMAP_FIXED,
			     W + 0x11000), W + 0x11000);
	expect(mm, "500000000000-500000002000 rw-p\n"
		   "500000010000-500000013000 rw-p\n");
	assert_int_equal(mm->committed, 5);
	free_mm(mm);

	/* Without MREMAP_FIXED new_addr is a hint, taken when free. */
	mm = new_mm();
	map(mm, W, 2 * P, RW);
	assert_int_equal(mr(mm, W, 2 * P, 2 * P, MREMAP_MAYMOVE | MREMAP_DONTUNMAP,
			     W + 0x20000), W + 0x20000);
	expect(mm, "500000000000-500000002000 rw-p\n"
		   "500000020000-500000022000 rw-p\n");
	assert_int_equal(mm->total_vm, 4);
	free_mm(mm);
}

/*
 * What the dropped anon_vma does: the emptied source moves like a fresh
 * mapping and merges; a partly moved one keeps its anon_vma and does not.
 */
static void test_dontunmap_anon_vma(void **state)
{
	struct mm_struct *mm = new_mm();

	(void)state;
	map(mm, W, P, RW);
	touch(mm, W, W + P);
	assert_int_equal(mr(mm, W, P, P, MREMAP_MAYMOVE | MREMAP_DONTUNMAP | MREMAP_FIXED,
			     W + 0x10000), W + 0x10000);
	map(mm, W + 0x20000, P, RW);
	assert_int_equal(mr(mm, W, P, P, MREMAP_MAYMOVE | MREMAP_FIXED, W + 0x21000),
			 W + 0x21000);
	expect(mm, "500000010000-500000011000 rw-p\n"
		   "500000020000-500000022000 rw-p\n");
	free_mm(mm);

	mm = new_mm();
	map(mm, W, 2 * P, RW);
	touch(mm, W, W + 2 * P);
	assert_int_equal(mr(mm, W, P, P, MREMAP_MAYMOVE | MREMAP_DONTUNMAP | MREMAP_FIXED,
			     W + 0x10000), W + 0x10000);
	map(mm, W + 0x20000, P, RW);
	assert_int_equal(mr(mm, W + P, P, P, MREMAP_MAYMOVE | MREMAP_FIXED, W + 0x21000),
			 W + 0x21000);
	expect(mm, "500000000000-500000001000 rw-p\n"
		   "500000010000-500000011000 rw-p\n"
		   "500000020000-500000021000 rw-p\n"
		   "500000021000-500000022000 rw-p\n");
	free_mm(mm);
}

/* ---- moves and merges at the destination ------------------------------ */

/* Unfaulted: the offset is reset and the moved VMA merges; faulted: not. */
static void test_move_merge_faulted_vs_unfaulted(void **state)
{
	struct mm_struct *mm = new_mm();

	(void)state;
	map(mm, W + 0x20000, P, RW);
	map(mm, W, P, RW);
	assert_int_equal(mr(mm, W, P, P, MREMAP_FIXED | MREMAP_MAYMOVE, W + 0x21000),
			 W + 0x21000);
	expect(mm, "500000020000-500000022000 rw-p\n");
	assert_int_equal(mm->committed, 2);
	free_mm(mm);

	mm = new_mm();
	map(mm, W + 0x20000, P, RW);
	map(mm, W, P, RW);
	touch(mm, W, W + P);
	assert_int_equal(mr(mm, W, P, P, MREMAP_FIXED | MREMAP_MAYMOVE, W + 0x21000),
			 W + 0x21000);
	expect(mm, "500000020000-500000021000 rw-p\n"
		   "500000021000-500000022000 rw-p\n");
	/* It kept its offset, the one of its old address. */
	assert_int_equal(at(mm, W + 0x21000)->vm_pgoff, W >> PAGE_SHIFT);
	assert_int_equal(mm->committed, 2);
	free_mm(mm);

	/* Before a compatible next VMA, and between two of them. */
	mm = new_mm();
	map(mm, W + 0x21000, P, RW);
	map(mm, W, P, RW);
	assert_int_equal(mr(mm, W, P, P, MREMAP_FIXED | MREMAP_MAYMOVE, W + 0x20000),
			 W + 0x20000);
	expect(mm, "500000020000-500000022000 rw-p\n");
	free_mm(mm);

	mm = new_mm();
	map(mm, W + 0x20000, P, RW);
	map(mm, W + 0x22000, P, RW);
	map(mm, W, P, RW);
	assert_int_equal(mr(mm, W, P, P, MREMAP_FIXED | MREMAP_MAYMOVE, W + 0x21000),
			 W + 0x21000);
	expect(mm, "500000020000-500000023000 rw-p\n");
	assert_int_equal(mm->committed, 3);
	free_mm(mm);
}

/*
 * A faulted VMA moved back where its offset fits, next to a fresh VMA:
 * they merge and the result holds the moved pages' anon_vma.  In a fork
 * child (anon_vma inherited with pages) Linux refuses that merge: the
 * live child kept two VMAs.
 */
static void test_move_faulted_back(void **state)
{
	struct mm_struct *mm = new_mm();
	struct anon_vma *av;

	(void)state;
	map(mm, W + P, P, RW);
	touch(mm, W + P, W + 2 * P);
	av = at(mm, W + P)->anon_vma;
	assert_int_equal(mr(mm, W + P, P, P, MREMAP_FIXED | MREMAP_MAYMOVE, W + 0x30000),
			 W + 0x30000);
	map(mm, W, P, RW);
	assert_int_equal(mr(mm, W + 0x30000, P, P, MREMAP_FIXED | MREMAP_MAYMOVE, W + P),
			 W + P);
	expect(mm, "500000000000-500000002000 rw-p\n");
	assert_ptr_equal(at(mm, W)->anon_vma, av);
	free_mm(mm);

	mm = new_mm();
	map(mm, W + P, P, RW);
	touch(mm, W + P, W + 2 * P);
	assert_int_equal(mr(mm, W + P, P, P, MREMAP_FIXED | MREMAP_MAYMOVE, W + 0x30000),
			 W + 0x30000);
	at(mm, W + 0x30000)->anon_vma_forked = true;	/* as after fork() */
	map(mm, W, P, RW);
	assert_int_equal(mr(mm, W + 0x30000, P, P, MREMAP_FIXED | MREMAP_MAYMOVE, W + P),
			 W + P);
	expect(mm, "500000000000-500000001000 rw-p\n"
		   "500000001000-500000002000 rw-p\n");
	assert_true(at(mm, W + P)->anon_vma_forked);
	free_mm(mm);
}

/* A moved, unfaulted range may merge into its own VMA. */
static void test_move_next_to_itself(void **state)
{
	struct mm_struct *mm = new_mm();

	(void)state;
	map(mm, W, 2 * P, RW);
	assert_int_equal(mr(mm, W, P, P, MREMAP_FIXED | MREMAP_MAYMOVE, W + 2 * P),
			 W + 2 * P);
	expect(mm, "500000001000-500000003000 rw-p\n");
	assert_int_equal(mm->committed, 2);
	free_mm(mm);

	mm = new_mm();
	map(mm, W, 2 * P, RW);
	touch(mm, W, W + 2 * P);
	assert_int_equal(mr(mm, W, P, P, MREMAP_FIXED | MREMAP_MAYMOVE, W + 2 * P),
			 W + 2 * P);
	expect(mm, "500000001000-500000002000 rw-p\n"
		   "500000002000-500000003000 rw-p\n");
	assert_int_equal(mm->committed, 2);
	free_mm(mm);

	/* The middle page out and back: three VMAs, then one. */
	mm = new_mm();
	map(mm, W, 3 * P, RW);
	assert_int_equal(mr(mm, W + P, P, P, MREMAP_FIXED | MREMAP_MAYMOVE, W + 0x10000),
			 W + 0x10000);
	expect(mm, "500000000000-500000001000 rw-p\n"
		   "500000002000-500000003000 rw-p\n"
		   "500000010000-500000011000 rw-p\n");
	assert_int_equal(mr(mm, W + 0x10000, P, P, MREMAP_FIXED | MREMAP_MAYMOVE, W + P),
			 W + P);
	expect(mm, "500000000000-500000003000 rw-p\n");
	assert_int_equal(mm->committed, 3);
	free_mm(mm);

	/* The source is the next VMA the copy merges with (and is freed). */
	mm = new_mm();
	map(mm, W, P, RW);
	map(mm, W + 2 * P, P, RW);
	assert_int_equal(mr(mm, W + 2 * P, P, P, MREMAP_FIXED | MREMAP_MAYMOVE, W + P),
			 W + P);
	expect(mm, "500000000000-500000002000 rw-p\n");
	free_mm(mm);

	mm = new_mm();
	map(mm, W, P, RW);
	map(mm, W + 2 * P, 2 * P, RW);
	assert_int_equal(mr(mm, W + 2 * P, P, P, MREMAP_FIXED | MREMAP_MAYMOVE, W + P),
			 W + P);
	expect(mm, "500000000000-500000002000 rw-p\n"
		   "500000003000-500000004000 rw-p\n");
	assert_int_equal(mm->committed, 3);
	free_mm(mm);
}

/* Shared memory keeps its offsets; old_len 0 duplicates a shared VMA. */
static void test_shared(void **state)
{
	struct mm_struct *mm = new_mm();

	(void)state;
	map_flags(mm, W, 4 * P, RW, MAP_SHARED);
	assert_int_equal(mr(mm, W, 2 * P, 2 * P, MREMAP_MAYMOVE | MREMAP_FIXED,
			     W + 0x10000), W + 0x10000);
	expect(mm, "500000002000-500000004000 rw-s\n"
		   "500000010000-500000012000 rw-s\n");
	assert_int_equal(at(mm, W + 0x10000)->vm_pgoff, 0);
	assert_int_equal(mr(mm, W + 0x10000, 2 * P, 2 * P, MREMAP_MAYMOVE | MREMAP_FIXED,
			     W), W);
	expect(mm, "500000000000-500000004000 rw-s\n");
	assert_int_equal(mm->committed, 0);

	map(mm, W + 0x20000, 2 * P, RW);
	assert_int_equal(mr(mm, W + 0x20000, 0, P, MREMAP_MAYMOVE | MREMAP_FIXED,
			     W + 0x30000), -EINVAL);
	assert_int_equal(mr(mm, W, 0, P, MREMAP_MAYMOVE | MREMAP_FIXED, W + 0x30000),
			 W + 0x30000);
	expect(mm, "500000000000-500000004000 rw-s\n"
		   "500000020000-500000022000 rw-p\n"
		   "500000030000-500000031000 rw-s\n");
	assert_ptr_equal(at(mm, W + 0x30000)->vm_file, at(mm, W)->vm_file);
	assert_int_equal(mm->total_vm, 7);
	free_mm(mm);
}

/* ---- the multi-VMA move (6.17+) --------------------------------------- */

static void test_multi_vma_move(void **state)
{
	struct mm_struct *mm = new_mm();

	(void)state;
	map(mm, W + 0x40000, 4 * P, RW);
	map(mm, W + 0x45000, 2 * P, R);
	map(mm, W + 0x49000, 3 * P, RW);
	/* Starts inside the first VMA, ends inside the last: both split. */
	assert_int_equal(mr(mm, W + 0x41000, 0xa000, 0xa000,
			     MREMAP_FIXED | MREMAP_MAYMOVE, W + 0x80000), W + 0x80000);
	expect(mm, "500000040000-500000041000 rw-p\n"
		   "50000004b000-50000004c000 rw-p\n"
		   "500000080000-500000083000 rw-p\n"
		   "500000084000-500000086000 r--p\n"
		   "500000088000-50000008a000 rw-p\n");
	assert_int_equal(mm->committed, 7);

	/* A hole at the start: -EFAULT, nothing moves. */
	assert_int_equal(mr(mm, W + 0x7f000, 0x10000, 0x10000,
			     MREMAP_FIXED | MREMAP_MAYMOVE, W + 0x90000), -EFAULT);
	/* A hole at the end is fine. */
	assert_int_equal(mr(mm, W + 0x80000, 0x10000, 0x10000,
			     MREMAP_FIXED | MREMAP_MAYMOVE, W + 0xa0000), W + 0xa0000);
	expect(mm, "500000040000-500000041000 rw-p\n"
		   "50000004b000-50000004c000 rw-p\n"
		   "5000000a0000-5000000a3000 rw-p\n"
		   "5000000a4000-5000000a6000 r--p\n"
		   "5000000a8000-5000000aa000 rw-p\n");

	/* Only FIXED with equal lengths moves several VMAs. */
	assert_int_equal(mr(mm, W + 0xa0000, 0x6000, 0x6000, MREMAP_MAYMOVE, 0),
			 W + 0xa0000);	/* same size: nothing to do */
	assert_int_equal(mr(mm, W + 0xa0000, 0x6000, 0x7000,
			     MREMAP_MAYMOVE | MREMAP_FIXED, W + 0xc0000), -EFAULT);
	assert_int_equal(mr(mm, W + 0xa0000, 0x6000, 0x2000,
			     MREMAP_MAYMOVE | MREMAP_FIXED, W + 0xc0000), W + 0xc0000);
	expect(mm, "500000040000-500000041000 rw-p\n"
		   "50000004b000-50000004c000 rw-p\n"
		   "5000000a8000-5000000aa000 rw-p\n"
		   "5000000c0000-5000000c2000 rw-p\n");
	assert_int_equal(mm->committed, 6);
	free_mm(mm);
}

static void test_multi_vma_move_more(void **state)
{
	struct mm_struct *mm = new_mm();

	(void)state;
	/* Part of one VMA. */
	map(mm, W, 8 * P, RW);
	assert_int_equal(mr(mm, W + 2 * P, 3 * P, 3 * P, MREMAP_FIXED | MREMAP_MAYMOVE,
			     W + 0x10000), W + 0x10000);
	expect(mm, "500000000000-500000002000 rw-p\n"
		   "500000005000-500000008000 rw-p\n"
		   "500000010000-500000013000 rw-p\n");
	free_mm(mm);

	/* Only the pieces' destinations are unmapped, not the gaps. */
	mm = new_mm();
	map(mm, W, P, RW);
	map(mm, W + 2 * P, P, R);
	map(mm, W + 0x10000, 8 * P, R);
	assert_int_equal(mr(mm, W, 3 * P, 3 * P, MREMAP_FIXED | MREMAP_MAYMOVE,
			     W + 0x11000), W + 0x11000);
	expect(mm, "500000010000-500000011000 r--p\n"
		   "500000011000-500000012000 rw-p\n"
		   "500000012000-500000018000 r--p\n");
	free_mm(mm);

	/* Each piece merges on its own at the destination. */
	mm = new_mm();
	map(mm, W, P, RW);
	map(mm, W + 2 * P, P, RW);
	map(mm, W + 0xf000, P, RW);
	assert_int_equal(mr(mm, W, 3 * P, 3 * P, MREMAP_FIXED | MREMAP_MAYMOVE,
			     W + 0x10000), W + 0x10000);
	expect(mm, "50000000f000-500000011000 rw-p\n"
		   "500000012000-500000013000 rw-p\n");
	free_mm(mm);

	/* A destination right after the range: the first piece merges with
	 * the last source, which then moves on. */
	mm = new_mm();
	map(mm, W, P, RW);
	map(mm, W + 2 * P, P, RW);
	assert_int_equal(mr(mm, W, 3 * P, 3 * P, MREMAP_FIXED | MREMAP_MAYMOVE,
			     W + 3 * P), W + 3 * P);
	expect(mm, "500000003000-500000004000 rw-p\n"
		   "500000005000-500000006000 rw-p\n");
	assert_int_equal(mm->committed, 2);
	free_mm(mm);

	/* Adjacent destination, mixed protections. */
	mm = new_mm();
	map(mm, W + 0x40000, P, RW);
	map(mm, W + 0x42000, P, R);
	assert_int_equal(mr(mm, W + 0x40000, 3 * P, 3 * P, MREMAP_FIXED | MREMAP_MAYMOVE,
			     W + 0x43000), W + 0x43000);
	expect(mm, "500000043000-500000044000 rw-p\n"
		   "500000045000-500000046000 r--p\n");
	free_mm(mm);

	/* A sealed second VMA: -EPERM, the first one stays moved. */
	mm = new_mm();
	map(mm, W, 2 * P, RW);
	map(mm, W + 3 * P, 2 * P, R);
	at(mm, W + 3 * P)->vm_flags |= VM_SEALED;
	assert_int_equal(mr(mm, W, 5 * P, 5 * P, MREMAP_FIXED | MREMAP_MAYMOVE,
			     W + 0x10000), -EPERM);
	expect(mm, "500000003000-500000005000 r--p\n"
		   "500000010000-500000012000 rw-p\n");
	free_mm(mm);
}

/* ---- errors ------------------------------------------------------------ */

static void test_errno_params(void **state)
{
	struct mm_struct *mm = new_mm();
	const char *before = "500000000000-500000002000 rw-p\n";

	(void)state;
	map(mm, W, 2 * P, RW);
	assert_int_equal(mr(mm, W, P, P, 8, 0), -EINVAL);
	assert_int_equal(mr(mm, W + 1, P, P, 0, 0), -EINVAL);
	assert_int_equal(mr(mm, W, P, 0, 0, 0), -EINVAL);
	assert_int_equal(mr(mm, W, P, 1UL << 47, 0, 0), -EINVAL);
	/* new_addr is not looked at without FIXED or DONTUNMAP... */
	assert_int_equal(mr(mm, W, P, P, 0, 1UL << 47), W);
	/* ...and checked with them. */
	assert_int_equal(mr(mm, W, P, P, MREMAP_FIXED | MREMAP_MAYMOVE, 1UL << 47),
			 -EINVAL);
	assert_int_equal(mr(mm, W, P, P, MREMAP_FIXED | MREMAP_MAYMOVE, W + 0x10001),
			 -EINVAL);
	assert_int_equal(mr(mm, W, P, P, MREMAP_FIXED, W + 0x10000), -EINVAL);
	assert_int_equal(mr(mm, W, P, P, MREMAP_DONTUNMAP, W + 0x10000), -EINVAL);
	assert_int_equal(mr(mm, W, P, 2 * P, MREMAP_DONTUNMAP | MREMAP_MAYMOVE,
			     W + 0x10000), -EINVAL);
	assert_int_equal(mr(mm, W, 2 * P, 2 * P, MREMAP_FIXED | MREMAP_MAYMOVE, W + P),
			 -EINVAL);	/* overlap */
	expect(mm, before);
	free_mm(mm);
}

static void test_errno_vma(void **state)
{
	struct mm_struct *mm = new_mm();
	const char *before = "500000000000-500000002000 rw-p\n";

	(void)state;
	map(mm, W, 2 * P, RW);
	/* Nothing mapped at addr. */
	assert_int_equal(mr(mm, W + 0x100000, P, P, 0, 0), -EFAULT);
	assert_int_equal(mr(mm, W + 0x100000, P, 2 * P, MREMAP_MAYMOVE, 0), -EFAULT);
	assert_int_equal(mr(mm, W + 0x100000, P, 2 * P, MREMAP_MAYMOVE | MREMAP_FIXED,
			     W + 0x200000), -EFAULT);
	/* The old range runs past the VMA: -EFAULT when growing or moving... */
	assert_int_equal(mr(mm, W, 3 * P, 4 * P, MREMAP_MAYMOVE, 0), -EFAULT);
	assert_int_equal(mr(mm, W, 3 * P, 3 * P, MREMAP_DONTUNMAP | MREMAP_MAYMOVE,
			     W + 0x10000), -EFAULT);
	/* ...but not when nothing is to be done. */
	assert_int_equal(mr(mm, W, 3 * P, 3 * P, 0, 0), W);
	/* Duplicating a private mapping. */
	assert_int_equal(mr(mm, W, 0, P, MREMAP_MAYMOVE, 0), -EINVAL);
	assert_int_equal(mr(mm, W, 0, P, MREMAP_MAYMOVE | MREMAP_FIXED, W + 0x10000),
			 -EINVAL);
	assert_int_equal(mr(mm, W, 0, 0, MREMAP_MAYMOVE, 0), -EINVAL);
	expect(mm, before);
	free_mm(mm);
}

/* mseal()ed VMAs (VM_SEALED set here directly, on whole VMAs). */
static void test_errno_sealed(void **state)
{
	struct mm_struct *mm = new_mm();

	(void)state;
	map(mm, W - 2 * P, 2 * P, R);
	map(mm, W, 2 * P, RW);
	map(mm, W + 0x20000, 2 * P, RW);
	at(mm, W)->vm_flags |= VM_SEALED;
	assert_int_equal(mr(mm, W, 2 * P, P, 0, 0), -EPERM);
	assert_int_equal(mr(mm, W, 2 * P, 2 * P, 0, 0), -EPERM);
	assert_int_equal(mr(mm, W, 2 * P, 3 * P, 0, 0), -EPERM);
	assert_int_equal(mr(mm, W, 2 * P, 2 * P, MREMAP_FIXED | MREMAP_MAYMOVE,
			     W + 0x10000), -EPERM);
	/* Parameter errors come first. */
	assert_int_equal(mr(mm, W, 2 * P, 2 * P, 8, 0), -EINVAL);
	/* A sealed destination refuses its unmap. */
	assert_int_equal(mr(mm, W + 0x20000, 2 * P, 2 * P, MREMAP_FIXED | MREMAP_MAYMOVE,
			     W), -EPERM);
	assert_int_equal(mr(mm, W + 0x20000, 2 * P, 3 * P, MREMAP_FIXED | MREMAP_MAYMOVE,
			     W), -EPERM);
	/* A shrink whose tail covers a sealed VMA. */
	assert_int_equal(mr(mm, W - 2 * P, 4 * P, P, 0, 0), -EPERM);
	/* Shrinking an unsealed VMA is fine. */
	assert_int_equal(mr(mm, W + 0x20000, 2 * P, P, 0, 0), W + 0x20000);
	check_sums(mm);
	assert_non_null(vma_lookup(mm, W));
	assert_non_null(vma_lookup(mm, W + P));
	free_mm(mm);
}

/*
 * VM_DONTEXPAND special mappings, as [vdso] on the live kernel: no growth
 * (-EFAULT), no DONTUNMAP (-EINVAL), no split by a partial move (-EINVAL),
 * but the whole of it moves.
 */
static void test_errno_special(void **state)
{
	static const struct vm_special_mapping vdso = { .name = "[vdso]" };
	struct mm_struct *mm = new_mm();
	struct vm_area_struct *vma;

	(void)state;
	map(mm, W + 0x40000, 2 * P, PROT_READ | PROT_EXEC);
	vma = at(mm, W + 0x40000);
	vma->vm_special = &vdso;
	vma->vm_flags |= VM_DONTEXPAND;
	assert_int_equal(mr(mm, W + 0x40000, 2 * P, 3 * P, MREMAP_MAYMOVE, 0), -EFAULT);
	assert_int_equal(mr(mm, W + 0x40000, 2 * P, 2 * P,
			     MREMAP_MAYMOVE | MREMAP_DONTUNMAP, W), -EINVAL);
	assert_int_equal(mr(mm, W + 0x40000, P, P, MREMAP_MAYMOVE | MREMAP_FIXED, W),
			 -EINVAL);
	assert_int_equal(mr(mm, W + 0x40000, 2 * P, 2 * P, MREMAP_MAYMOVE | MREMAP_FIXED,
			     W), W);
	expect(mm, "500000000000-500000002000 r-xp\n");
	assert_ptr_equal(at(mm, W)->vm_special, &vdso);
	assert_int_equal(mm->exec_vm, 2);
	free_mm(mm);
}

/*
 * The map_count limits, as the live kernel (max_map_count 65530) showed
 * them relative to the maximum: a named destination (FIXED, DONTUNMAP)
 * needs map_count + 2 < max - 3, any other move map_count < max - 3, a
 * shrink nothing.  Here with max_map_count 20.
 */
static void fill_to(struct mm_struct *mm, unsigned long count)
{
	unsigned long addr = W + 0x1000000;

	while (mm->map_count < count) {
		map(mm, addr, P, ((addr >> PAGE_SHIFT) & 1) ? R : PROT_NONE);
		addr += P;
	}
	assert_int_equal(mm->map_count, count);
}

enum mc_op { MC_FIXED, MC_FIXED_GROW, MC_MAYMOVE, MC_DONTUNMAP, MC_SHRINK };

static long map_count_try(enum mc_op op, unsigned long count)
{
	struct mm_limits limits;
	struct mm_struct *mm;
	long ret = 0;

	mm_limits_default(&limits);
	limits.max_map_count = 20;
	mm = new_mm_limits(&limits);
	map(mm, W, 2 * P, RW);
	map(mm, W + 2 * P, P, R);
	fill_to(mm, count);
	switch (op) {
	case MC_FIXED:
		ret = mr(mm, W, P, P, MREMAP_MAYMOVE | MREMAP_FIXED, W + 0x10000);
		break;
	case MC_FIXED_GROW:
		ret = mr(mm, W, P, 2 * P, MREMAP_MAYMOVE | MREMAP_FIXED, W + 0x10000);
		break;
	case MC_MAYMOVE:
		ret = mr(mm, W, P, 64 * P, MREMAP_MAYMOVE, 0);
		break;
	case MC_DONTUNMAP:
		ret = mr(mm, W, P, P, MREMAP_MAYMOVE | MREMAP_DONTUNMAP, 0);
		break;
	case MC_SHRINK:
		ret = mr(mm, W, 2 * P, P, 0, 0);
		break;
	}
	check_sums(mm);
	free_mm(mm);
	return ret < 0 ? ret : 0;
}

static void test_errno_map_count(void **state)
{
	(void)state;
	assert_int_equal(map_count_try(MC_FIXED, 14), 0);
	assert_int_equal(map_count_try(MC_FIXED, 15), -ENOMEM);
	assert_int_equal(map_count_try(MC_FIXED_GROW, 14), 0);
	assert_int_equal(map_count_try(MC_FIXED_GROW, 15), -ENOMEM);
	assert_int_equal(map_count_try(MC_DONTUNMAP, 14), 0);
	assert_int_equal(map_count_try(MC_DONTUNMAP, 15), -ENOMEM);
	assert_int_equal(map_count_try(MC_MAYMOVE, 16), 0);
	assert_int_equal(map_count_try(MC_MAYMOVE, 17), -ENOMEM);
	assert_int_equal(map_count_try(MC_SHRINK, 20), 0);
}

/* Resource limits (from the kernel source, not run live). */
static void test_errno_limits(void **state)
{
	struct mm_limits limits;
	struct mm_struct *mm;

	(void)state;
	mm_limits_default(&limits);
	limits.rlimit_memlock = 3 * P;
	limits.rlimit_as = 8 * P;
	mm = new_mm_limits(&limits);
	map_flags(mm, W, 2 * P, RW, MAP_PRIVATE | MAP_LOCKED);
	assert_int_equal(mr(mm, W, 2 * P, 3 * P, 0, 0), W);
	assert_int_equal(mr(mm, W, 3 * P, 4 * P, 0, 0), -EAGAIN);
	map(mm, W + 0x10000, 2 * P, RW);
	assert_int_equal(mr(mm, W + 0x10000, 2 * P, 5 * P, 0, 0), W + 0x10000);
	assert_int_equal(mr(mm, W + 0x10000, 5 * P, 6 * P, 0, 0), -ENOMEM);
	/* DONTUNMAP adds a whole copy. */
	assert_int_equal(mr(mm, W + 0x10000, 5 * P, 5 * P,
			     MREMAP_MAYMOVE | MREMAP_DONTUNMAP, W + 0x20000), -ENOMEM);
	expect(mm, "500000000000-500000003000 rw-p\n"
		   "500000010000-500000015000 rw-p\n");
	assert_int_equal(mm->locked_vm, 3);
	free_mm(mm);
}

/* ---- allocation failures ---------------------------------------------- */

typedef void (*scenario_fn)(struct mm_struct *mm);
typedef long (*remap_fn)(struct mm_struct *mm);

static void sc_move_split(struct mm_struct *mm)
{
	map(mm, W, 8 * P, RW);
	touch(mm, W, W + 8 * P);
	map(mm, W + 0x10000, 4 * P, R);
	map(mm, W + 0x20000, P, RW);
}

static long op_fixed_middle(struct mm_struct *mm)
{
	return mr(mm, W + 2 * P, 3 * P, 3 * P, MREMAP_FIXED | MREMAP_MAYMOVE, W + 0x11000);
}

static long op_fixed_shrink(struct mm_struct *mm)
{
	return mr(mm, W + 2 * P, 4 * P, 2 * P, MREMAP_FIXED | MREMAP_MAYMOVE, W + 0x11000);
}

static long op_grow_move(struct mm_struct *mm)
{
	return mr(mm, W + 2 * P, 3 * P, 5 * P, MREMAP_MAYMOVE, 0);
}

static long op_dontunmap(struct mm_struct *mm)
{
	return mr(mm, W + 2 * P, 3 * P, 3 * P, MREMAP_MAYMOVE | MREMAP_DONTUNMAP,
		  W + 0x11000);
}

static long op_multi(struct mm_struct *mm)
{
	return mr(mm, W + 2 * P, 0x20000, 0x20000, MREMAP_FIXED | MREMAP_MAYMOVE,
		  W + 0x40000);
}

static long op_expand(struct mm_struct *mm)
{
	return mr(mm, W + 0x10000, 4 * P, 0x10000, 0, 0);
}

static long op_unfaulted_merge(struct mm_struct *mm)
{
	/* Unfaulted, lands just below itself: merges into its own VMA. */
	return mr(mm, W + 0x20000, P, P, MREMAP_FIXED | MREMAP_MAYMOVE, W + 0x1f000);
}

/*
 * Fail each tree-node allocation of a call in turn (model only): whatever
 * the call returns, the mm stays consistent and nothing leaks (ASan build).
 */
static void fail_each_allocation(scenario_fn setup, remap_fn op)
{
	struct mm_struct *mm = new_mm();
	unsigned long before, allocs, nth, injected, failed = 0;
	long ret;

	setup(mm);
	before = mt_alloc_attempts();
	ret = op(mm);
	allocs = mt_alloc_attempts() - before;
	assert_false(IS_ERR_VALUE((unsigned long)ret));
	assert_true(allocs > 0);
	check_sums(mm);
	free_mm(mm);

	injected = mt_fault_injected();
	for (nth = 1; nth <= allocs; nth++) {
		mm = new_mm();
		setup(mm);
		mt_fault_fail_nth(MT_FAULT_ANY, nth);
		ret = op(mm);
		mt_fault_clear();
		assert_true(!IS_ERR_VALUE((unsigned long)ret) || ret == -ENOMEM);
		failed += ret == -ENOMEM;
		check_sums(mm);
		free_mm(mm);
	}
	/*
	 * Every allocation was failed once.  Some failures never show: a
	 * merge without memory falls back to a new VMA, and a failed unmap
	 * of the source leaves it mapped, as in Linux.
	 */
	assert_int_equal(mt_fault_injected() - injected, allocs);
	if (getenv("VMASIM_VERBOSE"))
		fprintf(stderr, "%lu allocations, %lu calls failed\n", allocs, failed);
}

static void test_allocation_failures(void **state)
{
	(void)state;
	fail_each_allocation(sc_move_split, op_fixed_middle);
	fail_each_allocation(sc_move_split, op_fixed_shrink);
	fail_each_allocation(sc_move_split, op_grow_move);
	fail_each_allocation(sc_move_split, op_dontunmap);
	fail_each_allocation(sc_move_split, op_multi);
	fail_each_allocation(sc_move_split, op_expand);
	fail_each_allocation(sc_move_split, op_unfaulted_merge);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shrink),
		cmocka_unit_test(test_shrink_across),
		cmocka_unit_test(test_expand_in_place),
		cmocka_unit_test(test_expand_absorbs_next),
		cmocka_unit_test(test_expand_blocked),
		cmocka_unit_test(test_fixed_over_mapping),
		cmocka_unit_test(test_fixed_resize),
		cmocka_unit_test(test_dontunmap),
		cmocka_unit_test(test_dontunmap_anon_vma),
		cmocka_unit_test(test_move_merge_faulted_vs_unfaulted),
		cmocka_unit_test(test_move_faulted_back),
		cmocka_unit_test(test_move_next_to_itself),
		cmocka_unit_test(test_shared),
		cmocka_unit_test(test_multi_vma_move),
		cmocka_unit_test(test_multi_vma_move_more),
		cmocka_unit_test(test_errno_params),
		cmocka_unit_test(test_errno_vma),
		cmocka_unit_test(test_errno_sealed),
		cmocka_unit_test(test_errno_special),
		cmocka_unit_test(test_errno_map_count),
		cmocka_unit_test(test_errno_limits),
		cmocka_unit_test(test_allocation_failures),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
