/* SPDX-License-Identifier: MIT */
/*
 * test_madvise_mlock_mseal.c - madvise(2), mlock(2)/mlock2(2)/munlock(2),
 * mlockall(2)/munlockall(2) and mseal(2) against Linux 6.18: layouts and
 * flags after each call, errno values, mm->locked_vm and mm->def_flags,
 * and the anon_vma the model gives VMAs that Linux would have faulted.
 *
 * Every expectation marked "live" was checked on the live kernel
 * (6.18.44, x86-64, root) with the same calls in a small C program,
 * reading /proc/self/smaps: the flag names used in the layouts below are
 * the smaps VmFlags mnemonics (lo lf sr rr dc wf dd hg nh mg sl), in the
 * kernel's order.  Whether an anonymous VMA has an anon_vma was seen
 * live by moving it with mremap(MREMAP_FIXED) next to a fresh mapping:
 * without one its pgoff is reset and the two merge.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <vmasim/vma.h>

#include "helpers.h"
#include "madvise.h"
#include "vma_internal.h"

#define A	0x10000000UL		/* a fixed address for the mappings */
#define PG	PAGE_SIZE
#define RW	(PROT_READ | PROT_WRITE)
#define R	PROT_READ

/* The flags this file is about, with their smaps names, in bit order. */
static const struct {
	vm_flags_t flag;
	const char *name;
} flag_names[] = {
	{ VM_LOCKED, "lo" },
	{ VM_SEQ_READ, "sr" },
	{ VM_RAND_READ, "rr" },
	{ VM_DONTCOPY, "dc" },
	{ VM_LOCKONFAULT, "lf" },
	{ VM_WIPEONFORK, "wf" },
	{ VM_DONTDUMP, "dd" },
	{ VM_HUGEPAGE, "hg" },
	{ VM_NOHUGEPAGE, "nh" },
	{ VM_MERGEABLE, "mg" },
	{ VM_SEALED, "sl" },
};

/* The layout as "start-end perms [flags]" lines. */
static const char *layout(struct mm_struct *mm)
{
	static char buf[1 << 14];
	VMA_ITERATOR(vmi, mm, 0);
	struct vm_area_struct *vma;
	size_t n = 0, i;

	buf[0] = 0;
	for_each_vma(vmi, vma) {
		n += snprintf(buf + n, sizeof(buf) - n, "%lx-%lx %c%c%c%c",
			      vma->vm_start, vma->vm_end,
			      vma->vm_flags & VM_READ ? 'r' : '-',
			      vma->vm_flags & VM_WRITE ? 'w' : '-',
			      vma->vm_flags & VM_EXEC ? 'x' : '-',
			      vma->vm_flags & VM_MAYSHARE ? 's' : 'p');
		for (i = 0; i < sizeof(flag_names) / sizeof(flag_names[0]); i++)
			if (vma->vm_flags & flag_names[i].flag)
				n += snprintf(buf + n, sizeof(buf) - n, " %s",
					      flag_names[i].name);
		n += snprintf(buf + n, sizeof(buf) - n, "\n");
	}
	return buf;
}

/*
 * Compare the layout and the VMA count, and check every invariant
 * (mm_validate) unless @validate is false: a failed munmap keeps its
 * split, leaving two mergeable neighbours, which mm_validate refuses.
 */
#define expect_layout(mm, expected) \
	expect_layout_at((mm), (expected), true, __LINE__)
#define expect_layout_unmerged(mm, expected) \
	expect_layout_at((mm), (expected), false, __LINE__)

static void expect_layout_at(struct mm_struct *mm, const char *expected,
			     bool validate, int line)
{
	const char *got = layout(mm);
	unsigned long count = 0;
	const char *p;

	if (strcmp(got, expected)) {
		print_error("line %d: expected:\n%sgot:\n%s", line, expected, got);
		fail();
	}
	for (p = expected; *p; p++)
		count += *p == '\n';
	assert_int_equal(mm->map_count, count);
	if (validate)
		assert_int_equal(mm_validate(mm), 0);
	else
		assert_int_equal(mt_validate(&mm->mm_mt), 0);
}

static unsigned long map_anon(struct mm_struct *mm, unsigned long addr,
			      unsigned long pages, unsigned long prot)
{
	unsigned long ret = do_mmap(mm, NULL, addr, pages * PG, prot,
				    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, 0);

	assert_int_equal(ret, addr);
	return ret;
}

static unsigned long map_file(struct mm_struct *mm, struct vm_file *file,
			      unsigned long addr, unsigned long pages,
			      unsigned long prot, unsigned long flags,
			      unsigned long pgoff)
{
	unsigned long ret = do_mmap(mm, file, addr, pages * PG, prot,
				    flags | MAP_FIXED, pgoff);

	assert_int_equal(ret, addr);
	return ret;
}

static struct vm_area_struct *vma_at(struct mm_struct *mm, unsigned long addr)
{
	struct vm_area_struct *vma = vma_lookup(mm, addr);

	assert_non_null(vma);
	return vma;
}

/* ---- madvise: flag advice -------------------------------------------- */

/* Live: DONTFORK on the middle page splits in three; DOFORK merges back. */
static void test_madvise_dontfork_split_merge(void **state)
{
	struct mm_struct *mm = test_mm_new();

	(void)state;
	mmap_write_lock(mm);
	map_anon(mm, A, 3, RW);
	assert_int_equal(do_madvise(mm, A + PG, PG, MADV_DONTFORK), 0);
	expect_layout(mm, "10000000-10001000 rw-p\n"
			  "10001000-10002000 rw-p dc\n"
			  "10002000-10003000 rw-p\n");
	/* Advice that changes nothing leaves the split alone. */
	assert_int_equal(do_madvise(mm, A + PG, PG, MADV_DONTFORK), 0);
	assert_int_equal(mm->map_count, 3);
	assert_int_equal(do_madvise(mm, A + PG, PG, MADV_DOFORK), 0);
	expect_layout(mm, "10000000-10003000 rw-p\n");
	/* Extending the advice to the left neighbour merges into it. */
	assert_int_equal(do_madvise(mm, A, PG, MADV_DONTDUMP), 0);
	assert_int_equal(do_madvise(mm, A + PG, PG, MADV_DONTDUMP), 0);
	expect_layout(mm, "10000000-10002000 rw-p dd\n"
			  "10002000-10003000 rw-p\n");
	assert_int_equal(do_madvise(mm, A, 3 * PG, MADV_DODUMP), 0);
	expect_layout(mm, "10000000-10003000 rw-p\n");
	mmap_write_unlock(mm);
	test_mm_free(mm);
}

/* Live: SEQUENTIAL and RANDOM replace each other; NORMAL clears both. */
static void test_madvise_readahead(void **state)
{
	struct mm_struct *mm = test_mm_new();

	(void)state;
	mmap_write_lock(mm);
	map_anon(mm, A, 3, RW);
	assert_int_equal(do_madvise(mm, A + PG, PG, MADV_SEQUENTIAL), 0);
	expect_layout(mm, "10000000-10001000 rw-p\n"
			  "10001000-10002000 rw-p sr\n"
			  "10002000-10003000 rw-p\n");
	assert_int_equal(do_madvise(mm, A + PG, PG, MADV_RANDOM), 0);
	expect_layout(mm, "10000000-10001000 rw-p\n"
			  "10001000-10002000 rw-p rr\n"
			  "10002000-10003000 rw-p\n");
	assert_int_equal(do_madvise(mm, A, 3 * PG, MADV_NORMAL), 0);
	expect_layout(mm, "10000000-10003000 rw-p\n");
	mmap_write_unlock(mm);
	test_mm_free(mm);
}

/*
 * Live: WIPEONFORK only on private anonymous memory (-EINVAL on a private
 * file, a shared file and shared anonymous memory); across
 * [anon][file][anon] the first part is advised, then -EINVAL stops the
 * walk before the last VMA.
 */
static void test_madvise_wipeonfork(void **state)
{
	struct mm_struct *mm = test_mm_new();
	struct vm_file *file = vm_file_new("/tmp/f", 254, 0, 42, true, true);

	(void)state;
	assert_non_null(file);
	mmap_write_lock(mm);
	map_file(mm, file, A, 2, RW, MAP_PRIVATE, 0);
	map_file(mm, file, A + 4 * PG, 2, RW, MAP_SHARED, 0);
	assert_int_equal(do_mmap(mm, NULL, A + 8 * PG, 2 * PG, RW,
				 MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED, 0),
			 A + 8 * PG);
	assert_int_equal(do_madvise(mm, A, PG, MADV_WIPEONFORK), -EINVAL);
	assert_int_equal(do_madvise(mm, A + 4 * PG, PG, MADV_WIPEONFORK), -EINVAL);
	assert_int_equal(do_madvise(mm, A + 8 * PG, PG, MADV_WIPEONFORK), -EINVAL);
	expect_layout(mm, "10000000-10002000 rw-p\n"
			  "10004000-10006000 rw-s\n"
			  "10008000-1000a000 rw-s\n");

	map_anon(mm, A + 16 * PG, 2, RW);
	map_file(mm, file, A + 18 * PG, 2, RW, MAP_PRIVATE, 0);
	map_anon(mm, A + 20 * PG, 2, RW);
	assert_int_equal(do_madvise(mm, A + 17 * PG, 4 * PG, MADV_WIPEONFORK),
			 -EINVAL);
	expect_layout(mm, "10000000-10002000 rw-p\n"
			  "10004000-10006000 rw-s\n"
			  "10008000-1000a000 rw-s\n"
			  "10010000-10011000 rw-p\n"
			  "10011000-10012000 rw-p wf\n"
			  "10012000-10014000 rw-p\n"
			  "10014000-10016000 rw-p\n");
	assert_int_equal(do_madvise(mm, A + 16 * PG, 2 * PG, MADV_KEEPONFORK), 0);
	assert_int_equal(mm->map_count, 6);
	mmap_write_unlock(mm);
	fput(file);
	test_mm_free(mm);
}

/*
 * Live: a hole does not stop madvise.  Both mapped parts of the range
 * are advised, then -ENOMEM; holes at both ends too.
 */
static void test_madvise_hole(void **state)
{
	struct mm_struct *mm = test_mm_new();

	(void)state;
	mmap_write_lock(mm);
	map_anon(mm, A, 2, RW);
	map_anon(mm, A + 3 * PG, 2, RW);
	assert_int_equal(do_madvise(mm, A + PG, 3 * PG, MADV_DONTFORK), -ENOMEM);
	expect_layout(mm, "10000000-10001000 rw-p\n"
			  "10001000-10002000 rw-p dc\n"
			  "10003000-10004000 rw-p dc\n"
			  "10004000-10005000 rw-p\n");
	assert_int_equal(do_madvise(mm, A - PG, 7 * PG, MADV_DONTDUMP), -ENOMEM);
	expect_layout(mm, "10000000-10001000 rw-p dd\n"
			  "10001000-10002000 rw-p dc dd\n"
			  "10003000-10004000 rw-p dc dd\n"
			  "10004000-10005000 rw-p dd\n");
	/* Page advice reports the hole the same way. */
	assert_int_equal(do_madvise(mm, A, 5 * PG, MADV_DONTNEED), -ENOMEM);
	assert_int_equal(do_madvise(mm, A + 2 * PG, PG, MADV_DONTNEED), -ENOMEM);
	assert_int_equal(do_madvise(mm, A, 5 * PG, MADV_WILLNEED), -ENOMEM);
	assert_int_equal(do_madvise(mm, A, 5 * PG, MADV_COLD), -ENOMEM);
	assert_int_equal(do_madvise(mm, A, 5 * PG, MADV_GUARD_REMOVE), -ENOMEM);
	assert_int_equal(mm->map_count, 4);
	mmap_write_unlock(mm);
	test_mm_free(mm);
}

/* Live: the argument checks. */
static void test_madvise_args(void **state)
{
	struct mm_struct *mm = test_mm_new();

	(void)state;
	mmap_write_lock(mm);
	map_anon(mm, A, 3, RW);
	assert_int_equal(do_madvise(mm, A, 0, MADV_DONTFORK), 0);
	assert_int_equal(do_madvise(mm, A + 1, PG, MADV_DONTFORK), -EINVAL);
	assert_int_equal(do_madvise(mm, A, PG, 5), -EINVAL);
	assert_int_equal(do_madvise(mm, A, PG, 7), -EINVAL);
	assert_int_equal(do_madvise(mm, A, PG, 26), -EINVAL);
	assert_int_equal(do_madvise(mm, A, PG, 104), -EINVAL);
	assert_int_equal(do_madvise(mm, A, PG, -1), -EINVAL);
	/* Live: no CONFIG_MEMORY_FAILURE, so these are invalid advice. */
	assert_int_equal(do_madvise(mm, A, PG, MADV_HWPOISON), -EINVAL);
	assert_int_equal(do_madvise(mm, A, PG, MADV_SOFT_OFFLINE), -EINVAL);
	/* A length rounding up to 0, and a range wrapping around. */
	assert_int_equal(do_madvise(mm, A, -1UL, MADV_NORMAL), -EINVAL);
	assert_int_equal(do_madvise(mm, A, -2 * PG, MADV_NORMAL), -EINVAL);
	/* Nothing mapped: -ENOMEM, unless the length is 0. */
	assert_int_equal(do_madvise(mm, A + 100 * PG, 0, MADV_NORMAL), 0);
	assert_int_equal(do_madvise(mm, A + 100 * PG, PG, MADV_NORMAL), -ENOMEM);
	assert_int_equal(do_madvise(mm, A + 100 * PG, PG, MADV_DONTNEED), -ENOMEM);
	assert_int_equal(do_madvise(mm, A + 100 * PG, PG, MADV_POPULATE_READ),
			 -ENOMEM);
	expect_layout(mm, "10000000-10003000 rw-p\n");
	/* The length is rounded up to a page. */
	assert_int_equal(do_madvise(mm, A, 1, MADV_DONTFORK), 0);
	expect_layout(mm, "10000000-10001000 rw-p dc\n"
			  "10001000-10003000 rw-p\n");
	mmap_write_unlock(mm);
	test_mm_free(mm);
}

/*
 * Live: the page advice leaves the layout alone; their VMA checks.
 */
static void test_madvise_page_advice(void **state)
{
	struct mm_struct *mm = test_mm_new();
	struct vm_file *file = vm_file_new("/tmp/f", 254, 0, 42, true, true);
	static const int harmless[] = {
		MADV_DONTNEED, MADV_FREE, MADV_WILLNEED, MADV_COLD,
		MADV_PAGEOUT, MADV_DONTNEED_LOCKED, MADV_GUARD_REMOVE,
	};
	size_t i;

	(void)state;
	assert_non_null(file);
	mmap_write_lock(mm);
	map_anon(mm, A, 3, RW);
	for (i = 0; i < sizeof(harmless) / sizeof(harmless[0]); i++)
		assert_int_equal(do_madvise(mm, A + PG, PG, harmless[i]), 0);
	/* REMOVE needs a shared writable file (shmem for shared anon). */
	assert_int_equal(do_madvise(mm, A + PG, PG, MADV_REMOVE), -EINVAL);
	expect_layout(mm, "10000000-10003000 rw-p\n");

	map_file(mm, file, A + 4 * PG, 2, RW, MAP_PRIVATE, 0);
	map_file(mm, file, A + 8 * PG, 2, RW, MAP_SHARED, 0);
	assert_int_equal(do_mmap(mm, NULL, A + 12 * PG, 2 * PG, RW,
				 MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED, 0),
			 A + 12 * PG);
	assert_int_equal(do_madvise(mm, A + 4 * PG, PG, MADV_REMOVE), -EACCES);
	assert_int_equal(do_madvise(mm, A + 8 * PG, PG, MADV_REMOVE), 0);
	assert_int_equal(do_madvise(mm, A + 12 * PG, PG, MADV_REMOVE), 0);
	/* FREE: anonymous private memory only. */
	assert_int_equal(do_madvise(mm, A + 4 * PG, PG, MADV_FREE), -EINVAL);
	assert_int_equal(do_madvise(mm, A + 12 * PG, PG, MADV_FREE), -EINVAL);

	/* Locked memory refuses what would drop pages. */
	assert_int_equal(do_mlock(mm, A, 3 * PG, 0), 0);
	assert_int_equal(do_madvise(mm, A, PG, MADV_DONTNEED), -EINVAL);
	assert_int_equal(do_madvise(mm, A, PG, MADV_DONTNEED_LOCKED), 0);
	assert_int_equal(do_madvise(mm, A, PG, MADV_FREE), -EINVAL);
	assert_int_equal(do_madvise(mm, A, PG, MADV_COLD), -EINVAL);
	assert_int_equal(do_madvise(mm, A, PG, MADV_PAGEOUT), -EINVAL);
	assert_int_equal(do_madvise(mm, A, PG, MADV_GUARD_INSTALL), -EINVAL);
	assert_int_equal(do_madvise(mm, A, PG, MADV_GUARD_REMOVE), 0);
	assert_int_equal(do_madvise(mm, A, PG, MADV_WILLNEED), 0);
	assert_int_equal(do_madvise(mm, A, PG, MADV_REMOVE), -EINVAL);
	expect_layout(mm, "10000000-10003000 rw-p lo\n"
			  "10004000-10006000 rw-p\n"
			  "10008000-1000a000 rw-s\n"
			  "1000c000-1000e000 rw-s\n");
	mmap_write_unlock(mm);
	fput(file);
	test_mm_free(mm);
}

/*
 * Live: MERGEABLE marks private anonymous memory and is ignored (0, no
 * flag) on shared memory; HUGEPAGE and NOHUGEPAGE replace each other.
 */
static void test_madvise_ksm_thp(void **state)
{
	struct mm_struct *mm = test_mm_new();

	(void)state;
	mmap_write_lock(mm);
	map_anon(mm, A, 4, RW);
	assert_int_equal(do_madvise(mm, A + PG, PG, MADV_MERGEABLE), 0);
	assert_int_equal(do_madvise(mm, A + PG, 2 * PG, MADV_MERGEABLE), 0);
	expect_layout(mm, "10000000-10001000 rw-p\n"
			  "10001000-10003000 rw-p mg\n"
			  "10003000-10004000 rw-p\n");
	assert_int_equal(do_madvise(mm, A, 4 * PG, MADV_UNMERGEABLE), 0);
	expect_layout(mm, "10000000-10004000 rw-p\n");
	assert_int_equal(do_madvise(mm, A + PG, PG, MADV_HUGEPAGE), 0);
	expect_layout(mm, "10000000-10001000 rw-p\n"
			  "10001000-10002000 rw-p hg\n"
			  "10002000-10004000 rw-p\n");
	assert_int_equal(do_madvise(mm, A + PG, PG, MADV_NOHUGEPAGE), 0);
	expect_layout(mm, "10000000-10001000 rw-p\n"
			  "10001000-10002000 rw-p nh\n"
			  "10002000-10004000 rw-p\n");

	assert_int_equal(do_mmap(mm, NULL, A + 8 * PG, 2 * PG, RW,
				 MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED, 0),
			 A + 8 * PG);
	assert_int_equal(do_madvise(mm, A + 8 * PG, PG, MADV_MERGEABLE), 0);
	assert_int_equal(do_madvise(mm, A + 8 * PG, 2 * PG, MADV_NOHUGEPAGE), 0);
	expect_layout(mm, "10000000-10001000 rw-p\n"
			  "10001000-10002000 rw-p nh\n"
			  "10002000-10004000 rw-p\n"
			  "10008000-1000a000 rw-s nh\n");
	mmap_write_unlock(mm);
	test_mm_free(mm);
}

static const char special_maps[] =
	"7ffff7fc1000-7ffff7fc5000 r--p 00000000 00:00 0          [vvar]\n"
	"7ffff7fc5000-7ffff7fc7000 r--p 00000000 00:00 0          [vvar_vclock]\n"
	"7ffff7fc7000-7ffff7fc9000 r-xp 00000000 00:00 0          [vdso]\n";

#define VVAR	0x7ffff7fc1000UL
#define VDSO	0x7ffff7fc7000UL

/*
 * Live: special mappings cannot be split, so advice changing the flags of
 * part of one fails with -EINVAL while the whole one is fine.  [vvar] is
 * VM_IO|VM_PFNMAP, [vdso] only VM_DONTEXPAND: DOFORK is refused on
 * VM_IO alone in 6.18, so it succeeds on [vdso].  mlock skips both.
 */
static void test_madvise_special(void **state)
{
	struct mm_struct *mm = test_mm_load(special_maps);

	(void)state;
	mmap_write_lock(mm);
	assert_int_equal(do_madvise(mm, VDSO, PG, MADV_DOFORK), 0);
	assert_int_equal(do_madvise(mm, VDSO, PG, MADV_DONTFORK), -EINVAL);
	assert_int_equal(do_madvise(mm, VDSO, PG, MADV_DODUMP), -EINVAL);
	assert_int_equal(do_madvise(mm, VDSO, PG, MADV_DONTDUMP), -EINVAL);
	assert_int_equal(do_madvise(mm, VDSO, PG, MADV_HUGEPAGE), -EINVAL);
	assert_int_equal(do_madvise(mm, VDSO, PG, MADV_WIPEONFORK), -EINVAL);
	assert_int_equal(do_madvise(mm, VDSO, PG, MADV_MERGEABLE), 0);
	assert_int_equal(do_madvise(mm, VDSO, PG, MADV_GUARD_INSTALL), -EINVAL);
	assert_int_equal(do_madvise(mm, VVAR, PG, MADV_DOFORK), -EINVAL);
	assert_int_equal(do_madvise(mm, VVAR, PG, MADV_DODUMP), -EINVAL);
	assert_int_equal(do_madvise(mm, VVAR, PG, MADV_DONTDUMP), 0);
	assert_int_equal(do_madvise(mm, VVAR, PG, MADV_DONTNEED), -EINVAL);
	assert_int_equal(do_madvise(mm, VVAR, PG, MADV_MERGEABLE), 0);
	assert_int_equal(do_madvise(mm, VVAR, PG, MADV_HUGEPAGE), -EINVAL);
	assert_int_equal(do_madvise(mm, VVAR, PG, MADV_POPULATE_READ), -EINVAL);
	expect_layout(mm, "7ffff7fc1000-7ffff7fc5000 r--p dd\n"
			  "7ffff7fc5000-7ffff7fc7000 r--p dd\n"
			  "7ffff7fc7000-7ffff7fc9000 r-xp\n");

	assert_int_equal(do_mlock(mm, VDSO, PG, 0), 0);
	assert_int_equal(do_mlock(mm, VVAR, 8 * PG, 0), 0);
	assert_int_equal(mm->locked_vm, 0);

	assert_int_equal(do_madvise(mm, VDSO, 2 * PG, MADV_DONTFORK), 0);
	assert_int_equal(do_madvise(mm, VDSO, 2 * PG, MADV_HUGEPAGE), 0);
	assert_int_equal(do_madvise(mm, VDSO, 2 * PG, MADV_DONTDUMP), 0);
	assert_int_equal(do_madvise(mm, VDSO, 2 * PG, MADV_WIPEONFORK), 0);
	assert_int_equal(do_mseal(mm, VDSO, PG, 0), -EINVAL);
	assert_int_equal(do_mseal(mm, VDSO, 2 * PG, 0), 0);
	expect_layout(mm, "7ffff7fc1000-7ffff7fc5000 r--p dd\n"
			  "7ffff7fc5000-7ffff7fc7000 r--p dd\n"
			  "7ffff7fc7000-7ffff7fc9000 r-xp dc wf dd hg sl\n");
	mmap_write_unlock(mm);
	test_mm_free(mm);
}

/*
 * Live: on sealed read-only anonymous memory the discarding advice
 * (DONTNEED, FREE, DONTNEED_LOCKED, REMOVE, DONTFORK, WIPEONFORK,
 * GUARD_INSTALL) gives -EPERM; the rest still works and may split the
 * sealed VMA.  Sealed writable memory takes any advice.
 */
static void test_madvise_sealed(void **state)
{
	struct mm_struct *mm = test_mm_new();
	static const int discard[] = {
		MADV_DONTNEED, MADV_FREE, MADV_DONTNEED_LOCKED, MADV_REMOVE,
		MADV_DONTFORK, MADV_WIPEONFORK, MADV_GUARD_INSTALL,
	};
	size_t i;

	(void)state;
	mmap_write_lock(mm);
	map_anon(mm, A, 4, R);
	map_anon(mm, A + 8 * PG, 4, RW);
	assert_int_equal(do_mseal(mm, A, 4 * PG, 0), 0);
	assert_int_equal(do_mseal(mm, A + 8 * PG, 4 * PG, 0), 0);
	for (i = 0; i < sizeof(discard) / sizeof(discard[0]); i++)
		assert_int_equal(do_madvise(mm, A, PG, discard[i]), -EPERM);
	assert_int_equal(do_madvise(mm, A, PG, MADV_DOFORK), 0);
	assert_int_equal(do_madvise(mm, A, PG, MADV_COLD), 0);
	assert_int_equal(do_madvise(mm, A + PG, PG, MADV_RANDOM), 0);
	assert_int_equal(do_madvise(mm, A + 8 * PG, PG, MADV_DONTNEED), 0);
	assert_int_equal(do_madvise(mm, A + 9 * PG, PG, MADV_DONTFORK), 0);
	expect_layout(mm, "10000000-10001000 r--p sl\n"
			  "10001000-10002000 r--p rr sl\n"
			  "10002000-10004000 r--p sl\n"
			  "10008000-10009000 rw-p sl\n"
			  "10009000-1000a000 rw-p dc sl\n"
			  "1000a000-1000c000 rw-p sl\n");
	assert_int_equal(do_madvise(mm, A, 12 * PG, MADV_DONTNEED), -EPERM);

	/* [dc][plain][sealed]: the plain part merges left, then -EPERM. */
	map_anon(mm, A + 20 * PG, 4, R);
	assert_int_equal(do_madvise(mm, A + 20 * PG, PG, MADV_DONTFORK), 0);
	assert_int_equal(do_mseal(mm, A + 22 * PG, 2 * PG, 0), 0);
	assert_int_equal(do_madvise(mm, A + 20 * PG, 4 * PG, MADV_DONTFORK), -EPERM);
	expect_layout(mm, "10000000-10001000 r--p sl\n"
			  "10001000-10002000 r--p rr sl\n"
			  "10002000-10004000 r--p sl\n"
			  "10008000-10009000 rw-p sl\n"
			  "10009000-1000a000 rw-p dc sl\n"
			  "1000a000-1000c000 rw-p sl\n"
			  "10014000-10016000 r--p dc\n"
			  "10016000-10018000 r--p sl\n");
	mmap_write_unlock(mm);
	test_mm_free(mm);
}

/*
 * Live: POPULATE_WRITE write-faults (the VMA gets an anon_vma),
 * POPULATE_READ does not; PROT_NONE refuses both, a read-only mapping
 * POPULATE_WRITE, with -EINVAL; a hole stops the walk with -ENOMEM, the
 * VMAs after it untouched.
 */
static void test_madvise_populate(void **state)
{
	struct mm_struct *mm = test_mm_new();

	(void)state;
	mmap_write_lock(mm);
	map_anon(mm, A, 1, RW);
	map_anon(mm, A + 2 * PG, 1, RW);
	map_anon(mm, A + 4 * PG, 1, PROT_NONE);
	map_anon(mm, A + 6 * PG, 1, R);
	assert_int_equal(do_madvise(mm, A, PG, MADV_POPULATE_READ), 0);
	assert_null(vma_at(mm, A)->anon_vma);
	assert_int_equal(do_madvise(mm, A, 3 * PG, MADV_POPULATE_WRITE), -ENOMEM);
	assert_non_null(vma_at(mm, A)->anon_vma);
	assert_null(vma_at(mm, A + 2 * PG)->anon_vma);
	assert_int_equal(do_madvise(mm, A + 4 * PG, PG, MADV_POPULATE_READ), -EINVAL);
	assert_int_equal(do_madvise(mm, A + 4 * PG, PG, MADV_POPULATE_WRITE), -EINVAL);
	assert_int_equal(do_madvise(mm, A + 6 * PG, PG, MADV_POPULATE_WRITE), -EINVAL);
	assert_int_equal(do_madvise(mm, A + 6 * PG, PG, MADV_POPULATE_READ), 0);
	assert_null(vma_at(mm, A + 6 * PG)->anon_vma);
	expect_layout(mm, "10000000-10001000 rw-p\n"
			  "10002000-10003000 rw-p\n"
			  "10004000-10005000 ---p\n"
			  "10006000-10007000 r--p\n");
	mmap_write_unlock(mm);
	test_mm_free(mm);
}

/*
 * Live: GUARD_INSTALL gives an anonymous VMA its anon_vma, not a private
 * file VMA; PROT_NONE memory takes guards; the layout does not change.
 */
static void test_madvise_guard(void **state)
{
	struct mm_struct *mm = test_mm_new();
	struct vm_file *file = vm_file_new("/tmp/f", 254, 0, 42, true, true);

	(void)state;
	assert_non_null(file);
	mmap_write_lock(mm);
	map_anon(mm, A, 2, RW);
	map_file(mm, file, A + 4 * PG, 2, RW, MAP_PRIVATE, 0);
	map_anon(mm, A + 8 * PG, 2, PROT_NONE);
	assert_int_equal(do_madvise(mm, A, PG, MADV_GUARD_INSTALL), 0);
	assert_int_equal(do_madvise(mm, A + 4 * PG, PG, MADV_GUARD_INSTALL), 0);
	assert_int_equal(do_madvise(mm, A + 8 * PG, PG, MADV_GUARD_INSTALL), 0);
	assert_non_null(vma_at(mm, A)->anon_vma);
	assert_null(vma_at(mm, A + 4 * PG)->anon_vma);
	assert_non_null(vma_at(mm, A + 8 * PG)->anon_vma);
	assert_int_equal(do_madvise(mm, A, 10 * PG, MADV_GUARD_REMOVE), -ENOMEM);
	expect_layout(mm, "10000000-10002000 rw-p\n"
			  "10004000-10006000 rw-p\n"
			  "10008000-1000a000 ---p\n");
	mmap_write_unlock(mm);
	fput(file);
	test_mm_free(mm);
}

/*
 * Live: COLLAPSE needs a faulted anonymous VMA with room for an aligned
 * 2 MiB page: -EINVAL before the first write, 0 after it; -EINVAL for a
 * small VMA, a NOHUGEPAGE one and shared memory.
 */
static void test_madvise_collapse(void **state)
{
	struct mm_struct *mm = test_mm_new();
	unsigned long big = 0x40000000UL;

	(void)state;
	mmap_write_lock(mm);
	map_anon(mm, A, 4, RW);
	map_anon(mm, big, 1024, RW);
	assert_int_equal(do_madvise(mm, A, 4 * PG, MADV_COLLAPSE), -EINVAL);
	assert_int_equal(do_madvise(mm, big, 512 * PG, MADV_COLLAPSE), -EINVAL);
	assert_int_equal(vma_touch(mm, big, big + PG), 0);
	assert_int_equal(do_madvise(mm, big, 512 * PG, MADV_COLLAPSE), 0);
	assert_int_equal(do_madvise(mm, big, PG, MADV_COLLAPSE), 0);
	assert_int_equal(vma_touch(mm, A, A + PG), 0);
	assert_int_equal(do_madvise(mm, A, 4 * PG, MADV_COLLAPSE), -EINVAL);
	assert_int_equal(do_madvise(mm, big, 1024 * PG, MADV_NOHUGEPAGE), 0);
	assert_int_equal(do_madvise(mm, big, 512 * PG, MADV_COLLAPSE), -EINVAL);
	assert_int_equal(do_mmap(mm, NULL, 0x80000000UL, PMD_SIZE, RW,
				 MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED, 0),
			 0x80000000UL);
	assert_int_equal(do_madvise(mm, 0x80000000UL, PMD_SIZE, MADV_COLLAPSE),
			 -EINVAL);
	expect_layout(mm, "10000000-10004000 rw-p\n"
			  "40000000-40400000 rw-p nh\n"
			  "80000000-80200000 rw-s\n");
	mmap_write_unlock(mm);
	test_mm_free(mm);
}

/* ---- mlock ----------------------------------------------------------- */

/*
 * Live: mlock of the middle page splits in three and charges one page
 * (VmLck 4 kB); munlock merges back; mlock2(MLOCK_ONFAULT) adds "lf";
 * mlock over it drops "lf" without charging again; unknown mlock2 flags
 * give -EINVAL.
 */
static void test_mlock_middle(void **state)
{
	struct mm_struct *mm = test_mm_new();

	(void)state;
	mmap_write_lock(mm);
	map_anon(mm, A, 3, RW);
	assert_int_equal(do_mlock(mm, A + PG, PG, 0), 0);
	expect_layout(mm, "10000000-10001000 rw-p\n"
			  "10001000-10002000 rw-p lo\n"
			  "10002000-10003000 rw-p\n");
	assert_int_equal(mm->locked_vm, 1);
	assert_int_equal(do_munlock(mm, A + PG, PG), 0);
	expect_layout(mm, "10000000-10003000 rw-p\n");
	assert_int_equal(mm->locked_vm, 0);

	assert_int_equal(do_mlock(mm, A + PG, PG, MLOCK_ONFAULT), 0);
	expect_layout(mm, "10000000-10001000 rw-p\n"
			  "10001000-10002000 rw-p lo lf\n"
			  "10002000-10003000 rw-p\n");
	assert_int_equal(mm->locked_vm, 1);
	assert_int_equal(do_mlock(mm, A + PG, PG, 0), 0);
	expect_layout(mm, "10000000-10001000 rw-p\n"
			  "10001000-10002000 rw-p lo\n"
			  "10002000-10003000 rw-p\n");
	assert_int_equal(mm->locked_vm, 1);
	assert_int_equal(do_mlock(mm, A, PG, 2), -EINVAL);
	assert_int_equal(do_mlock(mm, A, PG, 3), -EINVAL);
	assert_int_equal(do_mlock(mm, A, 3 * PG, 0), 0);
	expect_layout(mm, "10000000-10003000 rw-p lo\n");
	assert_int_equal(mm->locked_vm, 3);
	mmap_write_unlock(mm);
	test_mm_free(mm);
}

/*
 * Live: mlock rounds the start down and the length up, so mlock(p + 1, 0)
 * locks one page; a length rounding up to 0 locks nothing and succeeds;
 * a range wrapping around gives -EINVAL.
 */
static void test_mlock_rounding(void **state)
{
	struct mm_struct *mm = test_mm_new();

	(void)state;
	mmap_write_lock(mm);
	map_anon(mm, A, 3, RW);
	assert_int_equal(do_mlock(mm, A + 1, 0, 0), 0);
	expect_layout(mm, "10000000-10001000 rw-p lo\n"
			  "10001000-10003000 rw-p\n");
	assert_int_equal(do_munlock(mm, A, 3 * PG), 0);
	assert_int_equal(do_mlock(mm, A + PG + 10, 100, 0), 0);
	expect_layout(mm, "10000000-10001000 rw-p\n"
			  "10001000-10002000 rw-p lo\n"
			  "10002000-10003000 rw-p\n");
	assert_int_equal(do_munlock(mm, A + PG + 10, 1), 0);
	assert_int_equal(do_mlock(mm, A, 0, 0), 0);
	assert_int_equal(do_mlock(mm, A, -1UL, 0), 0);
	assert_int_equal(do_mlock(mm, A, -2 * PG, 0), -EINVAL);
	assert_int_equal(do_mlock(mm, A + PG, -PG, 0), -EINVAL);
	expect_layout(mm, "10000000-10003000 rw-p\n");
	assert_int_equal(mm->locked_vm, 0);
	mmap_write_unlock(mm);
	test_mm_free(mm);
}

/*
 * Live: a hole gives -ENOMEM and what came before it stays (un)locked;
 * an unmapped start gives -ENOMEM, as does munlock of unmapped memory
 * (but not with length 0).
 */
static void test_mlock_hole(void **state)
{
	struct mm_struct *mm = test_mm_new();

	(void)state;
	mmap_write_lock(mm);
	map_anon(mm, A, 2, RW);
	map_anon(mm, A + 3 * PG, 2, RW);
	assert_int_equal(do_mlock(mm, A + PG, 3 * PG, 0), -ENOMEM);
	expect_layout(mm, "10000000-10001000 rw-p\n"
			  "10001000-10002000 rw-p lo\n"
			  "10003000-10005000 rw-p\n");
	assert_int_equal(mm->locked_vm, 1);
	assert_int_equal(do_munlock(mm, A, 5 * PG), -ENOMEM);
	expect_layout(mm, "10000000-10002000 rw-p\n"
			  "10003000-10005000 rw-p\n");
	assert_int_equal(mm->locked_vm, 0);
	assert_int_equal(do_mlock(mm, A - PG, 2 * PG, 0), -ENOMEM);
	assert_int_equal(do_mlock(mm, A + 50 * PG, PG, 0), -ENOMEM);
	assert_int_equal(do_munlock(mm, A + 50 * PG, PG), -ENOMEM);
	assert_int_equal(do_munlock(mm, A + 50 * PG, 0), 0);
	expect_layout(mm, "10000000-10002000 rw-p\n"
			  "10003000-10005000 rw-p\n");
	mmap_write_unlock(mm);
	test_mm_free(mm);
}

/*
 * Live: mlock write-faults private writable memory (it gets an anon_vma);
 * MLOCK_ONFAULT does not.  PROT_NONE memory is locked and charged (VmLck
 * 8 kB for two pages) but cannot be populated: -ENOMEM, and populating
 * stops there, leaving the VMA after it unfaulted.
 */
static void test_mlock_populate(void **state)
{
	struct mm_struct *mm = test_mm_new();

	(void)state;
	mmap_write_lock(mm);
	map_anon(mm, A, 1, RW);
	map_anon(mm, A + 2 * PG, 1, RW);
	map_anon(mm, A + 4 * PG, 2, PROT_NONE);
	map_anon(mm, A + 6 * PG, 1, RW);
	assert_int_equal(do_mlock(mm, A, PG, MLOCK_ONFAULT), 0);
	assert_null(vma_at(mm, A)->anon_vma);
	assert_int_equal(do_mlock(mm, A + 2 * PG, PG, 0), 0);
	assert_non_null(vma_at(mm, A + 2 * PG)->anon_vma);
	assert_int_equal(do_mlock(mm, A + 4 * PG, 3 * PG, 0), -ENOMEM);
	assert_null(vma_at(mm, A + 6 * PG)->anon_vma);
	expect_layout(mm, "10000000-10001000 rw-p lo lf\n"
			  "10002000-10003000 rw-p lo\n"
			  "10004000-10006000 ---p lo\n"
			  "10006000-10007000 rw-p lo\n");
	assert_int_equal(mm->locked_vm, 5);
	mmap_write_unlock(mm);
	test_mm_free(mm);
}

/*
 * Live: locked neighbours merge, whether locked by mlock or mapped with
 * MAP_LOCKED; munmap uncharges locked_vm.
 */
static void test_mlock_merge(void **state)
{
	struct mm_struct *mm = test_mm_new();

	(void)state;
	mmap_write_lock(mm);
	map_anon(mm, A, 4, RW);
	assert_int_equal(do_mlock(mm, A, 2 * PG, 0), 0);
	expect_layout(mm, "10000000-10002000 rw-p lo\n"
			  "10002000-10004000 rw-p\n");
	assert_int_equal(do_mlock(mm, A + 2 * PG, 2 * PG, 0), 0);
	expect_layout(mm, "10000000-10004000 rw-p lo\n");
	assert_int_equal(do_mmap(mm, NULL, A + 4 * PG, 2 * PG, RW,
				 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_LOCKED, 0),
			 A + 4 * PG);
	expect_layout(mm, "10000000-10006000 rw-p lo\n");
	assert_int_equal(mm->locked_vm, 6);
	assert_int_equal(do_munmap(mm, A + PG, 2 * PG), 0);
	assert_int_equal(mm->locked_vm, 4);
	expect_layout(mm, "10000000-10001000 rw-p lo\n"
			  "10003000-10006000 rw-p lo\n");
	mmap_write_unlock(mm);
	test_mm_free(mm);
}

/*
 * Live: mlockall's flag checks; MCL_FUTURE locks later mappings only
 * ("lo", and "lf" with MCL_ONFAULT); munlockall unlocks everything and
 * clears def_flags; MCL_CURRENT locks every mapping, and a later call
 * without MCL_FUTURE stops locking new ones; MCL_FUTURE alone after that
 * leaves the current VMAs locked.
 */
static void test_mlockall(void **state)
{
	struct mm_struct *mm = test_mm_new();

	(void)state;
	mmap_write_lock(mm);
	map_anon(mm, A, 2, RW);
	assert_int_equal(do_mlockall(mm, 0), -EINVAL);
	assert_int_equal(do_mlockall(mm, MCL_ONFAULT), -EINVAL);
	assert_int_equal(do_mlockall(mm, 8), -EINVAL);
	assert_int_equal(mm->def_flags, 0);

	assert_int_equal(do_mlockall(mm, MCL_FUTURE), 0);
	assert_int_equal(mm->def_flags, VM_LOCKED);
	map_anon(mm, A + 4 * PG, 2, RW);
	map_anon(mm, A + 6 * PG, 2, R);
	expect_layout(mm, "10000000-10002000 rw-p\n"
			  "10004000-10006000 rw-p lo\n"
			  "10006000-10008000 r--p lo\n");
	assert_int_equal(mm->locked_vm, 4);
	/* A locked private writable mapping is populated by mmap in Linux. */

	assert_int_equal(do_mlockall(mm, MCL_FUTURE | MCL_ONFAULT), 0);
	assert_int_equal(mm->def_flags, VM_LOCKED | VM_LOCKONFAULT);
	map_anon(mm, A + 10 * PG, 2, RW);
	assert_int_equal(do_munlockall(mm), 0);
	assert_int_equal(mm->def_flags, 0);
	assert_int_equal(mm->locked_vm, 0);
	expect_layout(mm, "10000000-10002000 rw-p\n"
			  "10004000-10006000 rw-p\n"
			  "10006000-10008000 r--p\n"
			  "1000a000-1000c000 rw-p\n");

	map_anon(mm, A + 20 * PG, 2, RW);
	assert_int_equal(do_mlockall(mm, MCL_CURRENT | MCL_ONFAULT), 0);
	assert_int_equal(mm->def_flags, 0);
	assert_null(vma_at(mm, A)->anon_vma);
	map_anon(mm, A + 30 * PG, 2, RW);
	expect_layout(mm, "10000000-10002000 rw-p lo lf\n"
			  "10004000-10006000 rw-p lo lf\n"
			  "10006000-10008000 r--p lo lf\n"
			  "1000a000-1000c000 rw-p lo lf\n"
			  "10014000-10016000 rw-p lo lf\n"
			  "1001e000-10020000 rw-p\n");
	assert_int_equal(mm->locked_vm, 10);

	assert_int_equal(do_mlockall(mm, MCL_CURRENT), 0);
	assert_int_equal(mm->locked_vm, 12);
	/* MCL_CURRENT populates: private writable memory is write-faulted. */
	assert_non_null(vma_at(mm, A)->anon_vma);
	assert_null(vma_at(mm, A + 6 * PG)->anon_vma);
	assert_int_equal(do_mlockall(mm, MCL_FUTURE), 0);
	expect_layout(mm, "10000000-10002000 rw-p lo\n"
			  "10004000-10006000 rw-p lo\n"
			  "10006000-10008000 r--p lo\n"
			  "1000a000-1000c000 rw-p lo\n"
			  "10014000-10016000 rw-p lo\n"
			  "1001e000-10020000 rw-p lo\n");
	assert_int_equal(mm->def_flags, VM_LOCKED);
	mmap_write_unlock(mm);
	test_mm_free(mm);
}

/* munlockall merges neighbours that only the lock kept apart. */
static void test_munlockall_merges(void **state)
{
	struct mm_struct *mm = test_mm_new();

	(void)state;
	mmap_write_lock(mm);
	map_anon(mm, A, 6, RW);
	assert_int_equal(do_mlock(mm, A + PG, PG, 0), 0);
	assert_int_equal(do_mlock(mm, A + 3 * PG, PG, MLOCK_ONFAULT), 0);
	assert_int_equal(mm->map_count, 5);
	assert_int_equal(do_munlockall(mm), 0);
	expect_layout(mm, "10000000-10006000 rw-p\n");
	assert_int_equal(mm->locked_vm, 0);
	mmap_write_unlock(mm);
	test_mm_free(mm);
}

/* ---- mseal ------------------------------------------------------------- */

/*
 * Live: mseal's argument checks; sealing the middle splits in three;
 * munmap and mprotect of sealed memory give -EPERM and change nothing;
 * the unsealed parts can still be unmapped; mlock still works.
 */
static void test_mseal_basic(void **state)
{
	struct mm_struct *mm = test_mm_new();

	(void)state;
	mmap_write_lock(mm);
	map_anon(mm, A, 3, RW);
	assert_int_equal(do_mseal(mm, A, PG, 1), -EINVAL);
	assert_int_equal(do_mseal(mm, A + 1, PG, 0), -EINVAL);
	assert_int_equal(do_mseal(mm, A, 0, 0), 0);
	assert_int_equal(do_mseal(mm, A, -1UL, 0), -EINVAL);
	assert_int_equal(do_mseal(mm, A, -2 * PG, 0), -EINVAL);
	assert_int_equal(do_mseal(mm, A + 50 * PG, 0, 0), 0);
	expect_layout(mm, "10000000-10003000 rw-p\n");

	assert_int_equal(do_mseal(mm, A + PG, PG, 0), 0);
	expect_layout(mm, "10000000-10001000 rw-p\n"
			  "10001000-10002000 rw-p sl\n"
			  "10002000-10003000 rw-p\n");
	assert_int_equal(do_munmap(mm, A + PG, PG), -EPERM);
	assert_int_equal(do_munmap(mm, A, 3 * PG), -EPERM);
	assert_int_equal(do_mprotect_pkey(mm, A + PG, PG, R, -1), -EPERM);
	assert_int_equal(do_mmap(mm, NULL, A, 2 * PG, R,
				 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, 0),
			 (unsigned long)-EPERM);
	expect_layout(mm, "10000000-10001000 rw-p\n"
			  "10001000-10002000 rw-p sl\n"
			  "10002000-10003000 rw-p\n");
	assert_int_equal(do_munmap(mm, A, PG), 0);
	assert_int_equal(do_mmap(mm, NULL, A, PG, R,
				 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, 0), A);
	assert_int_equal(do_mlock(mm, A, 2 * PG, 0), 0);
	/* Sealing sealed memory again is a no-op. */
	assert_int_equal(do_mseal(mm, A + PG, PG, 0), 0);
	expect_layout(mm, "10000000-10001000 r--p lo\n"
			  "10001000-10002000 rw-p lo sl\n"
			  "10002000-10003000 rw-p\n");
	assert_int_equal(mm->locked_vm, 2);
	mmap_write_unlock(mm);
	test_mm_free(mm);
}

/* Live: any hole in the range gives -ENOMEM and nothing is sealed. */
static void test_mseal_hole(void **state)
{
	struct mm_struct *mm = test_mm_new();

	(void)state;
	mmap_write_lock(mm);
	map_anon(mm, A, 2, RW);
	map_anon(mm, A + 3 * PG, 2, RW);
	assert_int_equal(do_mseal(mm, A, 5 * PG, 0), -ENOMEM);
	assert_int_equal(do_mseal(mm, A - PG, 3 * PG, 0), -ENOMEM);
	assert_int_equal(do_mseal(mm, A + PG, 4 * PG, 0), -ENOMEM);
	assert_int_equal(do_mseal(mm, A + 3 * PG, 3 * PG, 0), -ENOMEM);
	assert_int_equal(do_mseal(mm, A + 2 * PG, PG, 0), -ENOMEM);
	expect_layout(mm, "10000000-10002000 rw-p\n"
			  "10003000-10005000 rw-p\n");
	mmap_write_unlock(mm);
	test_mm_free(mm);
}

/* Live: sealed neighbours with equal flags merge. */
static void test_mseal_merge(void **state)
{
	struct mm_struct *mm = test_mm_new();

	(void)state;
	mmap_write_lock(mm);
	map_anon(mm, A, 4, RW);
	assert_int_equal(do_mseal(mm, A + PG, PG, 0), 0);
	assert_int_equal(do_mseal(mm, A, PG, 0), 0);
	expect_layout(mm, "10000000-10002000 rw-p sl\n"
			  "10002000-10004000 rw-p\n");
	assert_int_equal(do_mseal(mm, A, 4 * PG, 0), 0);
	expect_layout(mm, "10000000-10004000 rw-p sl\n");
	mmap_write_unlock(mm);
	test_mm_free(mm);
}

/*
 * Live: mprotect over [unsealed][sealed] changes the unsealed VMA, then
 * fails with -EPERM; munmap over [unsealed][sealed] starting inside the
 * first VMA fails with -EPERM and keeps the split it made.
 */
static void test_mseal_partial(void **state)
{
	struct mm_struct *mm = test_mm_new();

	(void)state;
	mmap_write_lock(mm);
	map_anon(mm, A, 2, RW);
	map_anon(mm, A + 2 * PG, 2, R);
	assert_int_equal(do_mseal(mm, A + 2 * PG, 2 * PG, 0), 0);
	assert_int_equal(do_mprotect_pkey(mm, A, 4 * PG, R, -1), -EPERM);
	expect_layout(mm, "10000000-10002000 r--p\n"
			  "10002000-10004000 r--p sl\n");

	map_anon(mm, A + 8 * PG, 3, RW);
	map_anon(mm, A + 11 * PG, 2, R);
	assert_int_equal(do_mseal(mm, A + 11 * PG, 2 * PG, 0), 0);
	assert_int_equal(do_munmap(mm, A + 9 * PG, 4 * PG), -EPERM);
	/* Live: the two rw-p VMAs stay apart though they could merge. */
	expect_layout_unmerged(mm, "10000000-10002000 r--p\n"
			  "10002000-10004000 r--p sl\n"
			  "10008000-10009000 rw-p\n"
			  "10009000-1000b000 rw-p\n"
			  "1000b000-1000d000 r--p sl\n");
	mmap_write_unlock(mm);
	test_mm_free(mm);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_madvise_dontfork_split_merge),
		cmocka_unit_test(test_madvise_readahead),
		cmocka_unit_test(test_madvise_wipeonfork),
		cmocka_unit_test(test_madvise_hole),
		cmocka_unit_test(test_madvise_args),
		cmocka_unit_test(test_madvise_page_advice),
		cmocka_unit_test(test_madvise_ksm_thp),
		cmocka_unit_test(test_madvise_special),
		cmocka_unit_test(test_madvise_sealed),
		cmocka_unit_test(test_madvise_populate),
		cmocka_unit_test(test_madvise_guard),
		cmocka_unit_test(test_madvise_collapse),
		cmocka_unit_test(test_mlock_middle),
		cmocka_unit_test(test_mlock_rounding),
		cmocka_unit_test(test_mlock_hole),
		cmocka_unit_test(test_mlock_populate),
		cmocka_unit_test(test_mlock_merge),
		cmocka_unit_test(test_mlockall),
		cmocka_unit_test(test_munlockall_merges),
		cmocka_unit_test(test_mseal_basic),
		cmocka_unit_test(test_mseal_hole),
		cmocka_unit_test(test_mseal_merge),
		cmocka_unit_test(test_mseal_partial),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
