/* SPDX-License-Identifier: MIT */
/*
 * test_brk_fork.c - the brk1 and brk2 patterns of the maple tree's review
 * (will-it-scale; seeds/004): brk in a forked child whose heap was faulted
 * in the parent.
 *
 * The child's heap is a fork child's VMA (its anon_vma chain is not
 * singular), which a new range without an anon_vma may not merge into.
 * So in the child:
 *  - brk1: throbbing between 0 and 1 extra page creates and destroys a
 *    second heap VMA every time (the -33% regression Mel Gorman measured);
 *  - brk2: throbbing between 1 and 2 extra pages expands and shrinks that
 *    second VMA, which has no anon_vma of its own, in place.
 * In the parent the same calls just grow and shrink the one heap VMA.
 * (Checked live by tests/scenarios: brk next to an inherited faulted heap
 * makes a second [heap] VMA.)
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>

#include <cmocka.h>

#include <vmasim/vma.h>

#include "helpers.h"
#include "vma_internal.h"

#define HEAP	0x555555559000UL

static struct mm_struct *parent_with_heap(void)
{
	struct mm_struct *mm = test_mm_new();

	mmap_write_lock(mm);
	mm->start_brk = mm->brk = HEAP;
	assert_int_equal(do_brk_syscall(mm, HEAP + 0x21000), HEAP + 0x21000);
	assert_int_equal(vma_touch(mm, HEAP, HEAP + 0x21000), 0);
	mmap_write_unlock(mm);
	return mm;
}

static struct mm_struct *fork_of(struct mm_struct *parent)
{
	struct mm_struct *child = malloc(sizeof(*child));

	assert_non_null(child);
	mm_init(child, parent->mmap_base, parent->legacy_layout, &parent->limits);
	assert_int_equal(dup_mmap(child, parent), 0);
	return child;
}

static void test_brk1_in_child(void **state)
{
	struct mm_struct *parent = parent_with_heap();
	struct mm_struct *child = fork_of(parent);
	unsigned long top = HEAP + 0x21000, i;

	(void)state;
	mmap_write_lock(child);
	for (i = 0; i < 50; i++) {
		assert_int_equal(do_brk_syscall(child, top + 0x1000), top + 0x1000);
		/* A second VMA: the inherited heap cannot grow. */
		assert_int_equal(child->map_count, 2);
		assert_int_equal(do_brk_syscall(child, top), top);
		assert_int_equal(child->map_count, 1);
	}
	mmap_write_unlock(child);
	assert_mm_valid(child);

	/* The parent's own heap just grows and shrinks. */
	mmap_write_lock(parent);
	assert_int_equal(do_brk_syscall(parent, top + 0x1000), top + 0x1000);
	assert_int_equal(parent->map_count, 1);
	assert_int_equal(do_brk_syscall(parent, top), top);
	assert_int_equal(parent->map_count, 1);
	mmap_write_unlock(parent);
	assert_mm_valid(parent);

	test_mm_free(child);
	test_mm_free(parent);
}

static void test_brk2_in_child(void **state)
{
	struct mm_struct *parent = parent_with_heap();
	struct mm_struct *child = fork_of(parent);
	unsigned long top = HEAP + 0x21000, i;

	(void)state;
	mmap_write_lock(child);
	assert_int_equal(do_brk_syscall(child, top + 0x1000), top + 0x1000);
	assert_int_equal(child->map_count, 2);
	for (i = 0; i < 50; i++) {
		/* The second VMA (no anon_vma) expands and shrinks in place. */
		assert_int_equal(do_brk_syscall(child, top + 0x2000), top + 0x2000);
		assert_int_equal(child->map_count, 2);
		assert_int_equal(do_brk_syscall(child, top + 0x1000), top + 0x1000);
		assert_int_equal(child->map_count, 2);
	}
	assert_int_equal(child->total_vm, 0x22);
	mmap_write_unlock(child);
	/* The helpers take mmap_lock for reading themselves. */
	assert_maps(child, "555555559000-55555557a000 rw-p 00000000 [heap]\n"
			   "55555557a000-55555557b000 rw-p 00000000 [heap]\n");
	assert_mm_valid(child);
	test_mm_free(child);
	test_mm_free(parent);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_brk1_in_child),
		cmocka_unit_test(test_brk2_in_child),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
