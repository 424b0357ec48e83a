/* SPDX-License-Identifier: MIT */
/*
 * helpers.h - test helpers for cmocka tests of the VMA layer: making and
 * freeing an mm, comparing its /proc/PID/maps output with an expected
 * layout, and asserting its invariants.
 *
 * An expected layout is one line per VMA, in address order:
 *
 *	START-END PERMS OFFSET [NAME]
 *
 * e.g. "7ffff7ff9000-7ffff7ffb000 rw-p 00000000 [anon:buf]".  Numbers are
 * hex without "0x", of any width; device and inode are left out; the name
 * is the rest of the line (a path, "[heap]", ...), none for an anonymous
 * VMA.  Leading and trailing blanks and empty lines are ignored, so a
 * layout can be written as one indented string literal per line.  The
 * [vsyscall] line that mm_show_maps() always prints is not compared.
 *
 * assert_maps() and assert_mm_valid() are macros so that a failure names
 * the test's file and line.
 */
#ifndef VMASIM_TESTS_VMA_HELPERS_H
#define VMASIM_TESTS_VMA_HELPERS_H

#include <vmasim/vma.h>

/* The mmap_base the helpers give a new mm (top-down layout). */
#define TEST_MMAP_BASE	0x7ffff7fff000UL

/**
 * test_mm_new - a new, empty mm: mm_init() with mmap_base TEST_MMAP_BASE,
 * the top-down layout and the default limits.  Fails the test if out of
 * memory.
 * Return: the mm; free it with test_mm_free().
 */
struct mm_struct *test_mm_new(void);

/**
 * test_mm_free - exit_mmap() and free an mm made by test_mm_new().
 * @mm: the mm, or NULL
 */
void test_mm_free(struct mm_struct *mm);

/**
 * test_mm_load - a new mm loaded from a maps snapshot in a string; fails
 * the test (printing the loader's message) if it does not load.
 * @maps: the snapshot
 * Return: the mm; free it with test_mm_free().
 */
struct mm_struct *test_mm_load(const char *maps);

/**
 * test_show_maps - mm_show_maps() into a string.
 * @mm: the mm
 * Return: the malloc'd output; fails the test on error.
 */
char *test_show_maps(struct mm_struct *mm);

/**
 * test_layout - the layout as "start-end perms" lines (addresses in
 * lower-case hex without padding), for tests that compare only ranges and
 * permissions.  Takes no lock: the caller holds mmap_lock or the mm is
 * quiescent.
 * @mm: the mm
 * Return: a static buffer, overwritten by the next call.
 */
const char *test_layout(struct mm_struct *mm);

void assert_maps_at(struct mm_struct *mm, const char *expected,
		    const char *file, int line);
void assert_mm_valid_at(struct mm_struct *mm, const char *file, int line);

/**
 * assert_maps - compare an mm's layout with @expected (format above); on a
 * difference print both side by side and fail the test.
 * @mm: the mm (not locked by the caller)
 * @expected: the expected layout
 */
#define assert_maps(mm, expected) \
	assert_maps_at((mm), (expected), __FILE__, __LINE__)

/**
 * assert_mm_valid - mm_validate() under mmap_lock; on failure print the
 * layout and fail the test.
 * @mm: the mm (not locked by the caller)
 */
#define assert_mm_valid(mm) assert_mm_valid_at((mm), __FILE__, __LINE__)

#endif /* VMASIM_TESTS_VMA_HELPERS_H */
