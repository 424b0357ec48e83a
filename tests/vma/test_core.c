/* SPDX-License-Identifier: MIT */
/*
 * test_core.c - the VMA core against Linux 6.18 behaviour: address
 * selection, merges of new ranges, MAP_FIXED over mappings, munmap across
 * VMAs (and its count-indexed side tree), mprotect split and merge,
 * VM_ACCOUNT across mprotect, brk, and the errno of bad arguments.
 *
 * Expected layouts are written as "start-end perms" lines (the kernel's
 * /proc/PID/maps prefix); every expectation here was checked on the live
 * kernel with the same calls (see tests/scenarios/).
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

#define BASE	0x7ffff7fff000UL	/* mmap_base of a process without ASLR */

static struct mm_struct *new_mm(void)
{
	struct mm_struct *mm = malloc(sizeof(*mm));
	struct mm_limits limits;

	assert_non_null(mm);
	/* Effective mmap_min_addr is 65536 (the LSM floor), as on the live
	 * kernel, though /proc/sys/vm/mmap_min_addr reads 4096 there. */
	mm_limits_default(&limits);
	mm_init(mm, BASE, false, &limits);
	return mm;
}

static void free_mm(struct mm_struct *mm)
{
	exit_mmap(mm);
	free(mm);
}

static void expect_layout(struct mm_struct *mm, const char *expected)
{
	const char *got = test_layout(mm);
	unsigned long count = 0;
	const char *p;

	if (strcmp(got, expected)) {
		fprintf(stderr, "expected:\n%sgot:\n%s", expected, got);
		fail();
	}
	for (p = expected; *p; p++)
		count += *p == '\n';
	assert_int_equal(mm->map_count, count);
	assert_int_equal(mm_validate(mm), 0);
}

static unsigned long mmap_anon(struct mm_struct *mm, unsigned long addr,
			       unsigned long len, unsigned long prot,
			       unsigned long flags)
{
	return do_mmap(mm, NULL, addr, len, prot, flags | MAP_ANONYMOUS | MAP_PRIVATE, 0);
}

#define RW	(PROT_READ | PROT_WRITE)
#define R	PROT_READ

/* Two anonymous mmaps without hints land top-down and merge. */
static void test_topdown_merge(void **state)
{
	struct mm_struct *mm = new_mm();

	(void)state;
	mmap_write_lock(mm);
	assert_int_equal(mmap_anon(mm, 0, 4096, RW, 0), BASE - 0x1000);
	assert_int_equal(mmap_anon(mm, 0, 8192, RW, 0), BASE - 0x3000);
	expect_layout(mm, "7ffff7ffc000-7ffff7fff000 rw-p\n");
	/* Different protection: no merge. */
	assert_int_equal(mmap_anon(mm, 0, 4096, R, 0), BASE - 0x4000);
	expect_layout(mm, "7ffff7ffb000-7ffff7ffc000 r--p\n"
			  "7ffff7ffc000-7ffff7fff000 rw-p\n");
	/* Filling a hole between two compatible VMAs merges all three. */
	assert_int_equal(do_munmap(mm, BASE - 0x2000, 0x1000), 0);
	expect_layout(mm, "7ffff7ffb000-7ffff7ffc000 r--p\n"
			  "7ffff7ffc000-7ffff7ffd000 rw-p\n"
			  "7ffff7ffe000-7ffff7fff000 rw-p\n");
	assert_int_equal(mmap_anon(mm, BASE - 0x2000, 0x1000, RW, MAP_FIXED),
			 BASE - 0x2000);
	expect_layout(mm, "7ffff7ffb000-7ffff7ffc000 r--p\n"
			  "7ffff7ffc000-7ffff7fff000 rw-p\n");
	assert_int_equal(mm->total_vm, 4);
	assert_int_equal(mm->data_vm, 3);
	assert_int_equal(mm->committed, 3);
	mmap_write_unlock(mm);
	free_mm(mm);
}

/* A hint is honoured when free; a taken one falls back to the search. */
static void test_hint(void **state)
{
	struct mm_struct *mm = new_mm();

	(void)state;
	mmap_write_lock(mm);
	assert_int_equal(mmap_anon(mm, 0x600000000000, 0x3000, RW, 0), 0x600000000000);
	assert_int_equal(mmap_anon(mm, 0x600000001000, 0x1000, R, 0), BASE - 0x1000);
	/* A hint is page-masked first: 0x10 is no hint at all... */
	assert_int_equal(mmap_anon(mm, 0x10, 0x1000, R, 0), BASE - 0x2000);
	/* ...and one below mmap_min_addr is raised to it. */
	assert_int_equal(mmap_anon(mm, 0x1800, 0x1000, R, 0), 0x10000);
	expect_layout(mm, "10000-11000 r--p\n"
			  "600000000000-600000003000 rw-p\n"
			  "7ffff7ffd000-7ffff7fff000 r--p\n");
	mmap_write_unlock(mm);
	free_mm(mm);
}

/* Private anonymous mappings of a multiple of 2 MiB are 2 MiB-aligned. */
static void test_thp_alignment(void **state)
{
	struct mm_struct *mm = new_mm();

	(void)state;
	mmap_write_lock(mm);
	/* 2 MiB + 4 KiB: not aligned. */
	assert_int_equal(mmap_anon(mm, 0, PMD_SIZE + 0x1000, R, 0), 0x7ffff7dfe000);
	/* 4 MiB: aligned below, leaving a hole under the previous one. */
	assert_int_equal(mmap_anon(mm, 0, 2 * PMD_SIZE, R, 0), 0x7ffff7800000);
	expect_layout(mm, "7ffff7800000-7ffff7c00000 r--p\n"
			  "7ffff7dfe000-7ffff7fff000 r--p\n");
	mmap_write_unlock(mm);
	free_mm(mm);
}

/* mprotect of the middle splits in three; back again merges into one. */
static void test_mprotect_split_merge(void **state)
{
	struct mm_struct *mm = new_mm();
	unsigned long a;

	(void)state;
	mmap_write_lock(mm);
	a = mmap_anon(mm, 0, 0x3000, RW, 0);
	assert_int_equal(do_mprotect_pkey(mm, a + 0x1000, 0x1000, R, -1), 0);
	expect_layout(mm, "7ffff7ffc000-7ffff7ffd000 rw-p\n"
			  "7ffff7ffd000-7ffff7ffe000 r--p\n"
			  "7ffff7ffe000-7ffff7fff000 rw-p\n");
	/* Unfaulted: r-- dropped VM_ACCOUNT, rw takes it back: all merge. */
	assert_int_equal(mm->committed, 2);
	assert_int_equal(do_mprotect_pkey(mm, a + 0x1000, 0x1000, RW, -1), 0);
	expect_layout(mm, "7ffff7ffc000-7ffff7fff000 rw-p\n");
	assert_int_equal(mm->committed, 3);
	/* Left part: merges into the previous r-- VMA when it exists. */
	assert_int_equal(mmap_anon(mm, a - 0x1000, 0x1000, R, MAP_FIXED), a - 0x1000);
	assert_int_equal(do_mprotect_pkey(mm, a, 0x1000, R, -1), 0);
	expect_layout(mm, "7ffff7ffb000-7ffff7ffd000 r--p\n"
			  "7ffff7ffd000-7ffff7fff000 rw-p\n");
	/* Right part: the next VMA grows down. */
	assert_int_equal(do_mprotect_pkey(mm, a + 0x1000, 0x1000, R, -1), 0);
	expect_layout(mm, "7ffff7ffb000-7ffff7ffe000 r--p\n"
			  "7ffff7ffe000-7ffff7fff000 rw-p\n");
	assert_int_equal(mm->data_vm, 1);
	mmap_write_unlock(mm);
	free_mm(mm);
}

/* A faulted rw mapping keeps VM_ACCOUNT when made r--: no merge. */
static void test_mprotect_faulted_keeps_account(void **state)
{
	struct mm_struct *mm = new_mm();
	unsigned long a;

	(void)state;
	mmap_write_lock(mm);
	a = mmap_anon(mm, 0, 0x1000, RW, 0);
	assert_int_equal(mmap_anon(mm, a - 0x1000, 0x1000, R, MAP_FIXED), a - 0x1000);
	assert_int_equal(vma_touch(mm, a, a + 0x1000), 0);
	assert_int_equal(do_mprotect_pkey(mm, a, 0x1000, R, -1), 0);
	expect_layout(mm, "7ffff7ffd000-7ffff7ffe000 r--p\n"
			  "7ffff7ffe000-7ffff7fff000 r--p\n");
	mmap_write_unlock(mm);
	free_mm(mm);
}

/*
 * The fault model decides merges: a rw mapping made r-- keeps VM_ACCOUNT
 * if it was written (VM_FAULT_ON_WRITE: at once), so it does not merge with
 * a fresh r-- neighbour; unwritten (VM_FAULT_NONE) it drops it and merges.
 */
static void test_fault_model_option(void **state)
{
	static const enum vm_fault_model models[] = { VM_FAULT_NONE, VM_FAULT_ON_WRITE };
	static const unsigned long vmas_after[] = { 1, 2 };
	unsigned int i;

	(void)state;
	for (i = 0; i < 2; i++) {
		struct mm_struct *mm = new_mm();
		unsigned long a;

		mm->limits.fault_model = models[i];
		mmap_write_lock(mm);
		a = mmap_anon(mm, 0, 0x1000, RW, 0);
		assert_int_equal(!!find_vma(mm, a)->anon_vma, i);
		assert_int_equal(do_mprotect_pkey(mm, a, 0x1000, R, -1), 0);
		assert_int_equal(mmap_anon(mm, a - 0x1000, 0x1000, R, MAP_FIXED), a - 0x1000);
		assert_int_equal(mm->map_count, vmas_after[i]);
		mmap_write_unlock(mm);
		assert_int_equal(mm_validate(mm), 0);
		free_mm(mm);
	}
}

/* vma_expand and vma_shrink directly (exec's stack relocation shape). */
static void test_expand_shrink(void **state)
{
	struct mm_struct *mm = new_mm();
	unsigned long a = 0x500000000000UL;
	struct vm_area_struct *vma;
	VMA_ITERATOR(vmi, mm, a);

	(void)state;
	mmap_write_lock(mm);
	assert_int_equal(mmap_anon(mm, a + 0x4000, 0x2000, RW, MAP_FIXED), a + 0x4000);
	vma = find_vma(mm, a);
	{
		struct vma_merge_struct vmg = {
			.mm = mm, .vmi = &vmi, .middle = vma,
			.start = a, .end = a + 0x6000, .pgoff = a >> PAGE_SHIFT,
		};

		assert_int_equal(vma_expand(&vmg), 0);
	}
	/* Like Linux's, both leave the counters to their callers. */
	mm->total_vm = mm->data_vm = mm->committed = 6;
	expect_layout(mm, "500000000000-500000006000 rw-p\n");
	/* Not from one end, or growing: refused. */
	assert_int_equal(vma_shrink(&vmi, vma, a + 0x1000, a + 0x5000, 0), -EINVAL);
	assert_int_equal(vma_shrink(&vmi, vma, a, a + 0x7000, 0), -EINVAL);
	/* Cut the top, then the bottom. */
	assert_int_equal(vma_shrink(&vmi, vma, a, a + 0x4000, a >> PAGE_SHIFT), 0);
	assert_int_equal(vma_shrink(&vmi, vma, a + 0x1000, a + 0x4000,
				    (a + 0x1000) >> PAGE_SHIFT), 0);
	assert_int_equal(vma->vm_pgoff, (a + 0x1000) >> PAGE_SHIFT);
	assert_int_equal(mtree_load(&mm->mm_mt, a), NULL);
	assert_ptr_equal(mtree_load(&mm->mm_mt, a + 0x3fff), vma);
	assert_int_equal(mtree_load(&mm->mm_mt, a + 0x4000), NULL);
	mm->total_vm = mm->data_vm = mm->committed = 3;
	expect_layout(mm, "500000001000-500000004000 rw-p\n");
	mmap_write_unlock(mm);
	free_mm(mm);
}

/* munmap across several VMAs, cutting the first and last partially. */
static void test_munmap_across(void **state)
{
	struct mm_struct *mm = new_mm();
	unsigned long a = 0x500000000000UL;

	(void)state;
	mmap_write_lock(mm);
	assert_int_equal(mmap_anon(mm, a, 0x3000, RW, MAP_FIXED), a);
	assert_int_equal(mmap_anon(mm, a + 0x3000, 0x3000, R, MAP_FIXED), a + 0x3000);
	assert_int_equal(mmap_anon(mm, a + 0x6000, 0x3000, RW, MAP_FIXED), a + 0x6000);
	expect_layout(mm, "500000000000-500000003000 rw-p\n"
			  "500000003000-500000006000 r--p\n"
			  "500000006000-500000009000 rw-p\n");
	assert_int_equal(do_munmap(mm, a + 0x1000, 0x7000), 0);
	expect_layout(mm, "500000000000-500000001000 rw-p\n"
			  "500000008000-500000009000 rw-p\n");
	assert_int_equal(mm->total_vm, 2);
	assert_int_equal(mm->committed, 2);
	/* A hole in the middle of a VMA. */
	assert_int_equal(mmap_anon(mm, a + 0x10000, 0x5000, RW, MAP_FIXED), a + 0x10000);
	assert_int_equal(do_munmap(mm, a + 0x12000, 0x1000), 0);
	expect_layout(mm, "500000000000-500000001000 rw-p\n"
			  "500000008000-500000009000 rw-p\n"
			  "500000010000-500000012000 rw-p\n"
			  "500000013000-500000015000 rw-p\n");
	/* Nothing mapped: 0. */
	assert_int_equal(do_munmap(mm, a + 0x20000, 0x1000), 0);
	mmap_write_unlock(mm);
	free_mm(mm);
}

/* MAP_FIXED over the middle: different prot splits, same prot merges. */
static void test_map_fixed_over(void **state)
{
	struct mm_struct *mm = new_mm();
	unsigned long a = 0x500000000000UL;

	(void)state;
	mmap_write_lock(mm);
	assert_int_equal(mmap_anon(mm, a, 0x5000, RW, MAP_FIXED), a);
	assert_int_equal(mmap_anon(mm, a + 0x1000, 0x2000, R, MAP_FIXED), a + 0x1000);
	expect_layout(mm, "500000000000-500000001000 rw-p\n"
			  "500000001000-500000003000 r--p\n"
			  "500000003000-500000005000 rw-p\n");
	assert_int_equal(mmap_anon(mm, a + 0x1000, 0x2000, RW, MAP_FIXED), a + 0x1000);
	expect_layout(mm, "500000000000-500000005000 rw-p\n");
	assert_int_equal(mm->total_vm, 5);
	assert_int_equal(mm->committed, 5);
	/* MAP_FIXED_NOREPLACE over a mapping: -EEXIST, nothing changes. */
	assert_int_equal((long)mmap_anon(mm, a + 0x4000, 0x2000, RW, MAP_FIXED_NOREPLACE),
			 -EEXIST);
	expect_layout(mm, "500000000000-500000005000 rw-p\n");
	mmap_write_unlock(mm);
	free_mm(mm);
}

/* Unmapping one whole VMA allocates no node for the side tree. */
static void test_side_tree_single_vma(void **state)
{
	struct mm_struct *mm = new_mm();
	unsigned long a = 0x500000000000UL, i;
	struct mt_stats g0, g1, t0, t1;

	(void)state;
	mmap_write_lock(mm);
	for (i = 0; i < 40; i++)
		assert_int_equal(mmap_anon(mm, a + i * 0x2000, 0x1000, i & 1 ? R : RW,
					   MAP_FIXED), a + i * 0x2000);
	mt_get_global_stats(&g0);
	mt_get_stats(&mm->mm_mt, &t0);
	assert_int_equal(do_munmap(mm, a + 20 * 0x2000, 0x1000), 0);
	mt_get_global_stats(&g1);
	mt_get_stats(&mm->mm_mt, &t1);
	/* Every node allocated was the main tree's. */
	assert_int_equal(g1.nodes_allocated - g0.nodes_allocated,
			 t1.nodes_allocated - t0.nodes_allocated);
	/* Two VMAs need a side-tree node (index 1 expands the root). */
	mt_get_global_stats(&g0);
	mt_get_stats(&mm->mm_mt, &t0);
	assert_int_equal(do_munmap(mm, a + 2 * 0x2000, 0x3000), 0);
	mt_get_global_stats(&g1);
	mt_get_stats(&mm->mm_mt, &t1);
	assert_int_equal((g1.nodes_allocated - g0.nodes_allocated) -
			 (t1.nodes_allocated - t0.nodes_allocated), 1);
	assert_int_equal(mm->map_count, 37);
	mmap_write_unlock(mm);
	free_mm(mm);
}

/* brk: grow in place, throb, shrink, fail silently. */
static void test_brk(void **state)
{
	struct mm_struct *mm = new_mm();
	unsigned long start = 0x555555559000UL, i;

	(void)state;
	mmap_write_lock(mm);
	mm->start_brk = mm->brk = start;
	assert_int_equal(do_brk_syscall(mm, 0), start);
	assert_int_equal(do_brk_syscall(mm, start + 0x21000), start + 0x21000);
	expect_layout(mm, "555555559000-55555557a000 rw-p\n");
	assert_int_equal(do_brk_syscall(mm, start + 0x23000), start + 0x23000);
	expect_layout(mm, "555555559000-55555557c000 rw-p\n");
	for (i = 0; i < 100; i++) {
		assert_int_equal(do_brk_syscall(mm, start + 0x1000), start + 0x1000);
		assert_int_equal(do_brk_syscall(mm, start + 0x9000), start + 0x9000);
	}
	expect_layout(mm, "555555559000-555555562000 rw-p\n");
	/* Same page: only the break moves. */
	assert_int_equal(do_brk_syscall(mm, start + 0x8800), start + 0x8800);
	expect_layout(mm, "555555559000-555555562000 rw-p\n");
	/* Below start_brk: the old break. */
	assert_int_equal(do_brk_syscall(mm, start - 0x1000), start + 0x8800);
	/* Into another mapping's guard: the old break. */
	assert_int_equal(mmap_anon(mm, start + 0x20000, 0x1000, R, MAP_FIXED), start + 0x20000);
	assert_int_equal(do_brk_syscall(mm, start + 0x20000), start + 0x8800);
	assert_int_equal(mm->total_vm, 10);
	assert_int_equal(mm->data_vm, 9);
	mmap_write_unlock(mm);
	free_mm(mm);
}

/* The errno of bad arguments. */
static void test_errors(void **state)
{
	struct mm_struct *mm = new_mm();
	unsigned long a = 0x500000000000UL;

	(void)state;
	mmap_write_lock(mm);
	assert_int_equal((long)mmap_anon(mm, 0, 0, RW, 0), -EINVAL);
	assert_int_equal((long)mmap_anon(mm, a + 1, 0x1000, RW, MAP_FIXED), -EINVAL);
	assert_int_equal((long)do_mmap(mm, NULL, 0, 0x1000, RW, MAP_ANONYMOUS, 0), -EINVAL);
	assert_int_equal((long)mmap_anon(mm, 0, -0x800UL, RW, 0), -ENOMEM);
	assert_int_equal(do_munmap(mm, a + 1, 0x1000), -EINVAL);
	assert_int_equal(do_munmap(mm, a, 0), -EINVAL);
	assert_int_equal(do_mprotect_pkey(mm, a, 0x1000, R, -1), -ENOMEM);
	assert_int_equal(do_mprotect_pkey(mm, a + 1, 0x1000, R, -1), -EINVAL);
	assert_int_equal(do_mprotect_pkey(mm, a, 0, R, -1), 0);
	assert_int_equal(do_mprotect_pkey(mm, a, 0x1000, 0x10, -1), -EINVAL);
	/* A hole in the range: -ENOMEM, the part before it is changed. */
	assert_int_equal(mmap_anon(mm, a, 0x1000, RW, MAP_FIXED), a);
	assert_int_equal(mmap_anon(mm, a + 0x2000, 0x1000, RW, MAP_FIXED), a + 0x2000);
	assert_int_equal(do_mprotect_pkey(mm, a, 0x3000, R, -1), -ENOMEM);
	expect_layout(mm, "500000000000-500000001000 r--p\n"
			  "500000002000-500000003000 rw-p\n");
	mmap_write_unlock(mm);
	free_mm(mm);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_topdown_merge),
		cmocka_unit_test(test_hint),
		cmocka_unit_test(test_thp_alignment),
		cmocka_unit_test(test_mprotect_split_merge),
		cmocka_unit_test(test_mprotect_faulted_keeps_account),
		cmocka_unit_test(test_fault_model_option),
		cmocka_unit_test(test_expand_shrink),
		cmocka_unit_test(test_munmap_across),
		cmocka_unit_test(test_map_fixed_over),
		cmocka_unit_test(test_side_tree_single_vma),
		cmocka_unit_test(test_brk),
		cmocka_unit_test(test_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
