/* SPDX-License-Identifier: MIT */
/*
 * test_maps.c - tests of /proc/PID/maps I/O (src/vma/maps.c) and of the
 * mm validator (src/vma/validate.c): real snapshots load and print back
 * byte for byte, with the state a running process would have; malformed
 * snapshots give "NAME:LINE: ..." and leave the mm empty; mm_validate()
 * passes on loaded snapshots and catches hand-made corruption;
 * vma_is_mergeable() follows Linux 6.18's rules.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <vmasim/vma.h>

#include "helpers.h"

/*
 * /proc/self/maps of a small program run on the live Linux 6.18 kernel
 * (x86-64, glibc 2.36): a brk heap; a shared read-only mapping of a file
 * whose name has a space, unlinked; a memfd and shared anonymous memory;
 * a file whose name has a newline; an anonymous page at a fixed address;
 * a PROT_NONE guard below a read-write region; a written private file
 * mapping; one file mapped through two open()s at adjacent addresses and
 * contiguous offsets (not merged: two open file descriptions); a
 * MAP_GROWSDOWN mapping; the RELRO splits of the program, libc and ld.so.
 */
static const char live_snapshot[] =
	"560365692000-560365693000 r--p 00000000 fe:00 10952967                   /tmp/livemaps/snap\n"
	"560365693000-560365694000 r-xp 00001000 fe:00 10952967                   /tmp/livemaps/snap\n"
	"560365694000-560365695000 r--p 00002000 fe:00 10952967                   /tmp/livemaps/snap\n"
	"560365695000-560365696000 r--p 00002000 fe:00 10952967                   /tmp/livemaps/snap\n"
	"560365696000-560365697000 rw-p 00003000 fe:00 10952967                   /tmp/livemaps/snap\n"
	"56038a02e000-56038a04f000 rw-p 00000000 00:00 0                          [heap]\n"
	"600000000000-600000001000 r--p 00000000 00:00 0 \n"
	"600000100000-600000102000 r--s 00000000 fe:00 10952949                   /tmp/livemaps/st/twice\n"
	"600000102000-600000104000 r--s 00002000 fe:00 10952949                   /tmp/livemaps/st/twice\n"
	"7f48eeb32000-7f48eeb36000 rw-p 00000000 00:00 0 \n"
	"7f48eeb36000-7f48eeb37000 ---p 00000000 00:00 0 \n"
	"7f48eeb37000-7f48eeb46000 rw-p 00000000 00:00 0 \n"
	"7f48eeb46000-7f48eeb49000 rw-p 00000000 00:00 0 \n"
	"7f48eeb49000-7f48eeb6f000 r--p 00000000 fe:00 332835                     /usr/lib/x86_64-linux-gnu/libc.so.6\n"
	"7f48eeb6f000-7f48eecc5000 r-xp 00026000 fe:00 332835                     /usr/lib/x86_64-linux-gnu/libc.so.6\n"
	"7f48eecc5000-7f48eed18000 r--p 0017c000 fe:00 332835                     /usr/lib/x86_64-linux-gnu/libc.so.6\n"
	"7f48eed18000-7f48eed1c000 r--p 001cf000 fe:00 332835                     /usr/lib/x86_64-linux-gnu/libc.so.6\n"
	"7f48eed1c000-7f48eed1e000 rw-p 001d3000 fe:00 332835                     /usr/lib/x86_64-linux-gnu/libc.so.6\n"
	"7f48eed1e000-7f48eed2b000 rw-p 00000000 00:00 0 \n"
	"7f48eed2e000-7f48eed31000 rw-p 00000000 fe:00 10952939                   /tmp/livemaps/st/data\n"
	"7f48eed31000-7f48eed32000 r--s 00000000 fe:00 10952938                   /tmp/livemaps/st/weird\\012name\n"
	"7f48eed32000-7f48eed33000 rw-s 00000000 00:01 1025                       /dev/zero (deleted)\n"
	"7f48eed33000-7f48eed35000 rw-s 00000000 00:01 1024                       /memfd:arena \"x\" (deleted)\n"
	"7f48eed35000-7f48eed36000 r--s 00000000 fe:00 10952871                   /tmp/livemaps/st/tmpfile with space (deleted)\n"
	"7f48eed36000-7f48eed38000 rw-p 00000000 00:00 0 \n"
	"7f48eed38000-7f48eed3c000 r--p 00000000 00:00 0                          [vvar]\n"
	"7f48eed3c000-7f48eed3e000 r--p 00000000 00:00 0                          [vvar_vclock]\n"
	"7f48eed3e000-7f48eed40000 r-xp 00000000 00:00 0                          [vdso]\n"
	"7f48eed40000-7f48eed41000 r--p 00000000 fe:00 332383                     /usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2\n"
	"7f48eed41000-7f48eed67000 r-xp 00001000 fe:00 332383                     /usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2\n"
	"7f48eed67000-7f48eed71000 r--p 00027000 fe:00 332383                     /usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2\n"
	"7f48eed71000-7f48eed73000 r--p 00031000 fe:00 332383                     /usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2\n"
	"7f48eed73000-7f48eed75000 rw-p 00033000 fe:00 332383                     /usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2\n"
	"7ffff9e05000-7ffff9e26000 rw-p 00000000 00:00 0                          [stack]\n"
	"ffffffffff600000-ffffffffff601000 --xp 00000000 00:00 0                  [vsyscall]\n";

/*
 * /proc/self/maps on the live kernel after: one read-only page ending at
 * start_brk, brk grown by one page ([heap]), one read-only page starting at
 * the new brk and one two pages above it.  The pages that only touch the
 * heap are not named [heap]: vma_is_initial_heap() is strict.
 */
static const char live_heap_edges[] =
	"55b56a0a5000-55b56a0a6000 r--p 00000000 fe:00 10953190                   /tmp/livemaps/heaptest\n"
	"55b56a0a6000-55b56a0a7000 r-xp 00001000 fe:00 10953190                   /tmp/livemaps/heaptest\n"
	"55b56a0a7000-55b56a0a8000 r--p 00002000 fe:00 10953190                   /tmp/livemaps/heaptest\n"
	"55b56a0a8000-55b56a0a9000 r--p 00002000 fe:00 10953190                   /tmp/livemaps/heaptest\n"
	"55b56a0a9000-55b56a0aa000 rw-p 00003000 fe:00 10953190                   /tmp/livemaps/heaptest\n"
	"55b582f75000-55b582f76000 r--p 00000000 00:00 0 \n"
	"55b582f76000-55b582f77000 rw-p 00000000 00:00 0                          [heap]\n"
	"55b582f77000-55b582f78000 r--p 00000000 00:00 0 \n"
	"55b582f7a000-55b582f7b000 r--p 00000000 00:00 0 \n"
	"7f5f87052000-7f5f87055000 rw-p 00000000 00:00 0 \n"
	"7f5f87055000-7f5f8707b000 r--p 00000000 fe:00 332835                     /usr/lib/x86_64-linux-gnu/libc.so.6\n"
	"7f5f8707b000-7f5f871d1000 r-xp 00026000 fe:00 332835                     /usr/lib/x86_64-linux-gnu/libc.so.6\n"
	"7f5f871d1000-7f5f87224000 r--p 0017c000 fe:00 332835                     /usr/lib/x86_64-linux-gnu/libc.so.6\n"
	"7f5f87224000-7f5f87228000 r--p 001cf000 fe:00 332835                     /usr/lib/x86_64-linux-gnu/libc.so.6\n"
	"7f5f87228000-7f5f8722a000 rw-p 001d3000 fe:00 332835                     /usr/lib/x86_64-linux-gnu/libc.so.6\n"
	"7f5f8722a000-7f5f87237000 rw-p 00000000 00:00 0 \n"
	"7f5f87242000-7f5f87244000 rw-p 00000000 00:00 0 \n"
	"7f5f87244000-7f5f87248000 r--p 00000000 00:00 0                          [vvar]\n"
	"7f5f87248000-7f5f8724a000 r--p 00000000 00:00 0                          [vvar_vclock]\n"
	"7f5f8724a000-7f5f8724c000 r-xp 00000000 00:00 0                          [vdso]\n"
	"7f5f8724c000-7f5f8724d000 r--p 00000000 fe:00 332383                     /usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2\n"
	"7f5f8724d000-7f5f87273000 r-xp 00001000 fe:00 332383                     /usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2\n"
	"7f5f87273000-7f5f8727d000 r--p 00027000 fe:00 332383                     /usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2\n"
	"7f5f8727d000-7f5f8727f000 r--p 00031000 fe:00 332383                     /usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2\n"
	"7f5f8727f000-7f5f87281000 rw-p 00033000 fe:00 332383                     /usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2\n"
	"7fff22a59000-7fff22a7a000 rw-p 00000000 00:00 0                          [stack]\n"
	"ffffffffff600000-ffffffffff601000 --xp 00000000 00:00 0                  [vsyscall]\n";

/* Where things are in live_snapshot. */
#define SNAP_HEAP_START		0x56038a02e000UL
#define SNAP_HEAP_END		0x56038a04f000UL
#define SNAP_STACK_START	0x7ffff9e05000UL
#define SNAP_STACK_END		0x7ffff9e26000UL
#define SNAP_LIBC_RO		0x7f48eecc5000UL	/* r--p 0017c000 */
#define SNAP_LIBC_RELRO		0x7f48eed18000UL	/* r--p 001cf000 */
#define SNAP_LIBC_TEXT		0x7f48eeb6f000UL
#define SNAP_TWICE_1		0x600000100000UL
#define SNAP_TWICE_2		0x600000102000UL
#define SNAP_WEIRD		0x7f48eed31000UL
#define SNAP_DEV_ZERO		0x7f48eed32000UL
#define SNAP_MEMFD		0x7f48eed33000UL
#define SNAP_DELETED		0x7f48eed35000UL
#define SNAP_DATA		0x7f48eed2e000UL	/* rw-p st/data */
#define SNAP_VVAR		0x7f48eed38000UL
#define SNAP_VVAR_VCLOCK	0x7f48eed3c000UL
#define SNAP_VDSO		0x7f48eed3e000UL
#define SNAP_ANON_RO		0x600000000000UL

static struct vm_area_struct *lookup(struct mm_struct *mm, unsigned long addr)
{
	struct vm_area_struct *vma;

	mmap_read_lock(mm);
	vma = vma_lookup(mm, addr);
	mmap_read_unlock(mm);
	assert_non_null(vma);
	return vma;
}

static unsigned long count_lines(const char *s)
{
	unsigned long n = 0;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

/* The live snapshot loads and prints back byte for byte. */
static void test_live_snapshot_round_trip(void **state)
{
	struct mm_struct *mm = test_mm_load(live_snapshot);
	char *shown = test_show_maps(mm);

	(void)state;
	assert_string_equal(shown, live_snapshot);
	/* Every line but [vsyscall] is a VMA. */
	assert_int_equal(mm->map_count, count_lines(live_snapshot) - 1);
	assert_mm_valid(mm);
	free(shown);
	test_mm_free(mm);
}

/* What a loaded VMA has that its line does not show. */
static void test_live_snapshot_state(void **state)
{
	struct mm_struct *mm = test_mm_load(live_snapshot);
	struct vm_area_struct *vma, *other;

	(void)state;
	assert_int_equal(mm->start_brk, SNAP_HEAP_START);
	assert_int_equal(mm->brk, SNAP_HEAP_END);
	assert_true(mm->start_stack > SNAP_STACK_START &&
		    mm->start_stack < SNAP_STACK_END);

	/* smaps: "rd wr mr mw me gd ac" */
	vma = lookup(mm, SNAP_STACK_START);
	assert_int_equal(vma->vm_flags, VM_READ | VM_WRITE | VM_MAYREAD |
			 VM_MAYWRITE | VM_MAYEXEC | VM_GROWSDOWN | VM_ACCOUNT);
	assert_non_null(vma->anon_vma);
	assert_int_equal(mm->stack_vm,
			 (SNAP_STACK_END - SNAP_STACK_START) >> PAGE_SHIFT);

	/* smaps: "rd wr mr mw me ac" */
	vma = lookup(mm, SNAP_HEAP_START);
	assert_int_equal(vma->vm_flags, VM_READ | VM_WRITE | VM_MAYREAD |
			 VM_MAYWRITE | VM_MAYEXEC | VM_ACCOUNT);
	assert_int_equal(vma->vm_pgoff, SNAP_HEAP_START >> PAGE_SHIFT);

	/* smaps: "rd ex mr mw me de" */
	vma = lookup(mm, SNAP_VDSO);
	assert_int_equal(vma->vm_flags, VM_READ | VM_EXEC | VM_MAYREAD |
			 VM_MAYWRITE | VM_MAYEXEC | VM_DONTEXPAND);
	assert_non_null(vma->vm_special);
	assert_string_equal(vma->vm_special->name, "[vdso]");
	assert_null(vma->anon_vma);

	/* smaps: "rd mr pf io de dd", both */
	vma = lookup(mm, SNAP_VVAR);
	assert_int_equal(vma->vm_flags, VM_READ | VM_MAYREAD | VM_PFNMAP |
			 VM_IO | VM_DONTEXPAND | VM_DONTDUMP);
	assert_string_equal(vma->vm_special->name, "[vvar]");
	vma = lookup(mm, SNAP_VVAR_VCLOCK);
	assert_int_equal(vma->vm_flags, VM_READ | VM_MAYREAD | VM_PFNMAP |
			 VM_IO | VM_DONTEXPAND | VM_DONTDUMP);
	assert_string_equal(vma->vm_special->name, "[vvar_vclock]");

	/* RELRO: smaps shows "rd mr mw me ac" after "rd mr mw me". */
	other = lookup(mm, SNAP_LIBC_RO);
	vma = lookup(mm, SNAP_LIBC_RELRO);
	assert_int_equal(other->vm_flags, VM_READ | VM_MAYREAD | VM_MAYWRITE |
			 VM_MAYEXEC);
	assert_null(other->anon_vma);
	assert_int_equal(vma->vm_flags, VM_READ | VM_MAYREAD | VM_MAYWRITE |
			 VM_MAYEXEC | VM_ACCOUNT);
	assert_non_null(vma->anon_vma);
	/* One open file description for the five lines of libc. */
	assert_ptr_equal(vma->vm_file, other->vm_file);
	assert_ptr_equal(vma->vm_file, lookup(mm, SNAP_LIBC_TEXT)->vm_file);
	assert_int_equal(vma->vm_file->f_count, 5);
	assert_string_equal(vma->vm_file->path,
			    "/usr/lib/x86_64-linux-gnu/libc.so.6");
	assert_int_equal(vma->vm_pgoff, 0x1cf000 >> PAGE_SHIFT);
	assert_int_equal(vma->vm_file->dev_major, 0xfe);
	assert_int_equal(vma->vm_file->ino, 332835);

	/* Adjacent, contiguous, same file: two open file descriptions. */
	vma = lookup(mm, SNAP_TWICE_1);
	other = lookup(mm, SNAP_TWICE_2);
	assert_ptr_not_equal(vma->vm_file, other->vm_file);
	assert_int_not_equal(vma->vm_file->f_id, other->vm_file->f_id);
	assert_string_equal(vma->vm_file->path, other->vm_file->path);
	assert_int_equal(vma->vm_file->ino, other->vm_file->ino);

	/* A shared read-only file: smaps "rd mr me ms", no sh, no mw. */
	vma = lookup(mm, SNAP_WEIRD);
	assert_int_equal(vma->vm_flags, VM_READ | VM_MAYREAD | VM_MAYEXEC |
			 VM_MAYSHARE);
	assert_string_equal(vma->vm_file->path, "/tmp/livemaps/st/weird\nname");
	assert_false(vma->vm_file->writable);

	/* Shared anonymous memory and a memfd: shmem, read-write. */
	vma = lookup(mm, SNAP_DEV_ZERO);
	assert_int_equal(vma->vm_flags, VM_READ | VM_WRITE | VM_MAYREAD |
			 VM_MAYWRITE | VM_MAYEXEC | VM_SHARED | VM_MAYSHARE);
	assert_true(vma->vm_file->shmem);
	assert_true(vma->vm_file->deleted);
	assert_true(vma->vm_file->writable);
	assert_string_equal(vma->vm_file->path, "/dev/zero");
	assert_null(vma->anon_vma);
	vma = lookup(mm, SNAP_MEMFD);
	assert_true(vma->vm_file->shmem);
	assert_string_equal(vma->vm_file->path, "/memfd:arena \"x\"");

	vma = lookup(mm, SNAP_DELETED);
	assert_true(vma->vm_file->deleted);
	assert_false(vma->vm_file->shmem);
	assert_string_equal(vma->vm_file->path,
			    "/tmp/livemaps/st/tmpfile with space");

	/* A written private file mapping. */
	vma = lookup(mm, SNAP_DATA);
	assert_int_equal(vma->vm_flags, VM_READ | VM_WRITE | VM_MAYREAD |
			 VM_MAYWRITE | VM_MAYEXEC | VM_ACCOUNT);
	assert_non_null(vma->anon_vma);

	vma = lookup(mm, SNAP_ANON_RO);
	assert_int_equal(vma->vm_flags, VM_READ | VM_MAYREAD | VM_MAYWRITE |
			 VM_MAYEXEC);
	assert_int_equal(vma->vm_pgoff, SNAP_ANON_RO >> PAGE_SHIFT);
	assert_non_null(vma->anon_vma);

	test_mm_free(mm);
}

/* The live heap corner cases print back, and brk moves the [heap] name. */
static void test_live_heap_edges(void **state)
{
	struct mm_struct *mm = test_mm_load(live_heap_edges);
	char *shown = test_show_maps(mm);

	(void)state;
	assert_string_equal(shown, live_heap_edges);
	assert_int_equal(mm->start_brk, 0x55b582f76000UL);
	assert_int_equal(mm->brk, 0x55b582f77000UL);
	assert_mm_valid(mm);
	free(shown);

	/* brk one byte into the page above: that page is heap too. */
	mm->brk = 0x55b582f77001UL;
	shown = test_show_maps(mm);
	assert_non_null(strstr(shown,
		"55b582f77000-55b582f78000 r--p 00000000 00:00 0                          [heap]\n"));
	assert_non_null(strstr(shown,
		"55b582f75000-55b582f76000 r--p 00000000 00:00 0 \n"));
	free(shown);

	/* An empty heap names nothing, not even a VMA at start_brk. */
	mm->brk = mm->start_brk;
	shown = test_show_maps(mm);
	assert_null(strstr(shown, "[heap]"));
	free(shown);
	mm->brk = 0x55b582f77000UL;
	test_mm_free(mm);
}

/* vma_is_initial_stack() is inclusive at both ends. */
static void test_stack_edges(void **state)
{
	static const char maps[] =
		"7fff00000000-7fff00001000 r--p 00000000 00:00 0 \n"
		"7fff00001000-7fff00022000 rw-p 00000000 00:00 0                          [stack]\n"
		"7fff00022000-7fff00023000 r--p 00000000 00:00 0 \n";
	struct mm_struct *mm = test_mm_load(maps);

	(void)state;
	assert_mm_valid(mm);
	assert_int_equal(mm->stack_vm, 0x21);
	mm->start_stack = 0x7fff00001000UL;
	assert_maps(mm,
		"7fff00000000-7fff00001000 r--p 0 [stack]\n"
		"7fff00001000-7fff00022000 rw-p 0 [stack]\n"
		"7fff00022000-7fff00023000 r--p 0\n");
	mm->start_stack = 0x7fff00022000UL;
	assert_maps(mm,
		"7fff00000000-7fff00001000 r--p 0\n"
		"7fff00001000-7fff00022000 rw-p 0 [stack]\n"
		"7fff00022000-7fff00023000 r--p 0 [stack]\n");
	test_mm_free(mm);
}

/* Two [stack] lines meeting at start_stack load back. */
static void test_two_stack_lines(void **state)
{
	static const char maps[] =
		"7ffffffdd000-7ffffffde000 r--p 00000000 00:00 0                          [stack]\n"
		"7ffffffde000-7ffffffff000 rw-p 00000000 00:00 0                          [stack]\n"
		"ffffffffff600000-ffffffffff601000 --xp 00000000 00:00 0                  [vsyscall]\n";
	struct mm_struct *mm = test_mm_load(maps);
	char *shown = test_show_maps(mm);

	(void)state;
	assert_string_equal(shown, maps);
	assert_int_equal(mm->start_stack, 0x7ffffffde000UL);
	free(shown);
	test_mm_free(mm);
}

/* Named anonymous memory ([anon:NAME], [anon_shmem:NAME]) round-trips. */
static void test_anon_names(void **state)
{
	static const char maps[] =
		"00010000-00012000 rw-p 00000000 00:00 0                                  [anon:arena one]\n"
		"00012000-00013000 rw-p 00000000 00:00 0                                  [anon:arena one]\n"
		"00013000-00014000 rw-s 00000000 00:01 7                                  [anon_shmem:sh]\n"
		"ffffffffff600000-ffffffffff601000 --xp 00000000 00:00 0                  [vsyscall]\n";
	struct mm_struct *mm = test_mm_load(maps);
	struct vm_area_struct *vma;
	char *shown = test_show_maps(mm);

	(void)state;
	assert_string_equal(shown, maps);
	vma = lookup(mm, 0x10000);
	assert_string_equal(vma->anon_name, "arena one");
	vma = lookup(mm, 0x13000);
	assert_string_equal(vma->anon_name, "sh");
	assert_non_null(vma->vm_file);
	assert_true(vma->vm_file->shmem);
	assert_string_equal(vma->vm_file->path, "/dev/zero");
	assert_mm_valid(mm);
	free(shown);
	test_mm_free(mm);
}

/* Loose spacing, no [vsyscall], no final newline: read, printed canonically. */
static void test_tolerant_input(void **state)
{
	static const char maps[] =
		"400000-401000 R-XP 00000000 fe:00 12 /bin/x y\n"
		"401000-402000 rw-p 0 00:00 0\n"
		"7ffffffde000-7ffffffff000 rw-p 00000000 00:00 0 [stack]";
	static const char canonical[] =
		"00400000-00401000 r-xp 00000000 fe:00 12                                 /bin/x y\n"
		"00401000-00402000 rw-p 00000000 00:00 0 \n"
		"7ffffffde000-7ffffffff000 rw-p 00000000 00:00 0                          [stack]\n"
		"ffffffffff600000-ffffffffff601000 --xp 00000000 00:00 0                  [vsyscall]\n";
	struct mm_struct *mm;
	char *err = NULL, *shown;
	FILE *in;

	(void)state;
	/* Upper-case permissions are not what the kernel writes. */
	mm = test_mm_new();
	in = fmemopen((void *)maps, strlen(maps), "r");
	assert_int_equal(mm_load_maps(mm, in, "t", &err), -EINVAL);
	fclose(in);
	assert_string_equal(err, "t:1: bad permissions \"R-XP\"");
	free(err);
	test_mm_free(mm);

	mm = test_mm_load(maps + strlen("400000-401000 R-XP 00000000 fe:00 12 /bin/x y\n"));
	test_mm_free(mm);

	mm = test_mm_load("400000-401000 r-xp 00000000 fe:00 12 /bin/x y\n"
			  "401000-402000 rw-p 0 00:00 0\n"
			  "7ffffffde000-7ffffffff000 rw-p 00000000 00:00 0 [stack]");
	shown = test_show_maps(mm);
	assert_string_equal(shown, canonical);
	free(shown);
	test_mm_free(mm);
}

/* An empty snapshot is an empty mm. */
static void test_empty_snapshot(void **state)
{
	struct mm_struct *mm = test_mm_load("");
	char *shown = test_show_maps(mm);

	(void)state;
	assert_string_equal(shown,
		"ffffffffff600000-ffffffffff601000 --xp 00000000 00:00 0                  [vsyscall]\n");
	assert_int_equal(mm->map_count, 0);
	assert_mm_valid(mm);
	free(shown);
	test_mm_free(mm);
}

struct bad_snapshot {
	const char *maps;
	const char *error;
};

#define ANON(range)	range " r--p 00000000 00:00 0 \n"

static const struct bad_snapshot bad_snapshots[] = {
	{ "zz-1000 r--p 00000000 00:00 0 \n", "t:1: bad start address" },
	{ "1000 r--p 00000000 00:00 0 \n",
	  "t:1: expected '-' after the start address" },
	{ "1000-q r--p 00000000 00:00 0 \n", "t:1: bad end address" },
	{ "1000-2000r--p 00000000 00:00 0 \n",
	  "t:1: expected a space after the end address" },
	{ "10000000000000000-2000 r--p 00000000 00:00 0 \n",
	  "t:1: bad start address" },
	{ "1000-2000 rwzp 00000000 00:00 0 \n",
	  "t:1: bad permissions \"rwzp\"" },
	{ "1000-2000 r--q 00000000 00:00 0 \n",
	  "t:1: bad permissions \"r--q\"" },
	{ "1000-2000 r-- 00000000 00:00 0 \n",
	  "t:1: bad permissions \"r-- \"" },
	{ "1000-2000 r--p\n", "t:1: bad permissions \"r--p\"" },
	{ "1000-2000 r--p 0000000g 00:00 0 \n", "t:1: bad offset" },
	{ "1000-2000 r--p 00000000 0000 0 \n", "t:1: bad device" },
	{ "1000-2000 r--p 00000000 00:00 x \n", "t:1: bad inode" },
	{ "1000-2000 r--p 00000000 00:00 0x\n",
	  "t:1: expected a space after the inode" },
	{ "1000-2000 r--p 00000000 00:00 99999999999999999999999 \n",
	  "t:1: bad inode" },
	{ "2000-1000 r--p 00000000 00:00 0 \n",
	  "t:1: end 1000 is not above start 2000" },
	{ "2000-2000 r--p 00000000 00:00 0 \n",
	  "t:1: end 2000 is not above start 2000" },
	{ "1000-1800 r--p 00000000 00:00 0 \n",
	  "t:1: range 1000-1800 is not page aligned" },
	{ "800000000000-800000001000 r--p 00000000 00:00 0 \n",
	  "t:1: range 800000000000-800000001000 ends above TASK_SIZE" },
	{ "1000-2000 r--p 00001000 00:00 0 \n",
	  "t:1: a mapping without a file has offset 1000" },
	{ "1000-2000 r--p 00000000 fe:00 12 \n",
	  "t:1: a mapping without a file has device fe:00 inode 12" },
	{ "1000-2000 rw-s 00000000 00:00 0 \n",
	  "t:1: a mapping without a file cannot be shared" },
	{ "1000-2000 r--p 00000800 fe:00 1 /x\n",
	  "t:1: offset 800 is not page aligned" },
	{ ANON("1000-3000") ANON("2000-4000"),
	  "t:2: range 2000-4000 overlaps or precedes line 1" },
	{ ANON("5000-6000") ANON("1000-2000"),
	  "t:2: range 1000-2000 overlaps or precedes line 1" },
	{ ANON("1000-2000") "\n" ANON("3000-4000"), "t:2: empty line" },
	{ "1000-2000 r--p 00000000 00:00 0 [foo]\n",
	  "t:1: unknown special name \"[foo]\"" },
	{ "1000-2000 r--p 00000000 00:00 0 [anon:]\n",
	  "t:1: bad anonymous name \"[anon:]\"" },
	{ "1000-2000 r--p 00000000 00:00 0 [anon:x\n",
	  "t:1: bad anonymous name \"[anon:x\"" },
	{ "1000-2000 rw-p 00000000 00:01 3 [heap]\n",
	  "t:1: \"[heap]\" with a device or inode" },
	{ "1000-2000 rw-p 00000000 00:01 3 [anon_shmem:x]\n",
	  "t:1: [anon_shmem:...] must be shared" },
	{ "1000-2000 rw-s 00000000 00:01 3 [anon_shmem:x\n",
	  "t:1: bad anonymous name \"[anon_shmem:x\"" },
	{ "1000-2000 rw-p 00000000 00:00 0 [vvar]\n",
	  "t:1: [vvar] cannot have permissions rw-p" },
	{ "1000-2000 rw-p 00000000 00:00 0 [heap]\n"
	  "2000-3000 rw-p 00000000 00:00 0 \n"
	  "3000-4000 rw-p 00000000 00:00 0 [heap]\n",
	  "t:2: this line would be shown as \"[heap]\"" },
	{ "1000-2000 rw-p 00000000 00:00 0 [heap]\n"
	  "2000-3000 rw-p 00000000 00:00 0 [anon:x]\n"
	  "3000-4000 rw-p 00000000 00:00 0 [heap]\n",
	  "t:2: this line would be shown as \"[heap]\"" },
	{ ANON("1000-2000")
	  "2000-3000 rw-p 00000000 00:00 0 [stack]\n"
	  ANON("3000-4000")
	  "5000-6000 rw-p 00000000 00:00 0 [stack]\n",
	  "t:4: more than one [stack]" },
	{ ANON("1000-2000")
	  "ffffffffff600000-ffffffffff601000 --xp 00000000 00:00 0 [vsyscall]\n"
	  ANON("3000-4000"),
	  "t:3: line after [vsyscall]" },
	{ "ffffffffff600000-ffffffffff602000 --xp 00000000 00:00 0 [vsyscall]\n",
	  "t:1: [vsyscall] is not at ffffffffff600000-ffffffffff601000" },
	/* Good lines first: the mm must still end up empty. */
	{ "00400000-00401000 r-xp 00000000 fe:00 12 /bin/x\n"
	  "00600000-00601000 rw-p 00000000 00:00 0 [heap]\n"
	  "7ffffffde000-7ffffffff000 rw-p 00000000 00:00 0 [stack]\n"
	  "7ffffffff000-7fffffffe000 r--p 00000000 00:00 0 \n",
	  "t:4: end 7fffffffe000 is not above start 7ffffffff000" },
};

/* Each malformed snapshot gives its message and leaves the mm empty. */
static void test_malformed(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad_snapshots) / sizeof(bad_snapshots[0]); i++) {
		const struct bad_snapshot *bad = &bad_snapshots[i];
		struct mm_struct *mm = test_mm_new();
		char *err = (char *)"not touched";
		FILE *in;
		int ret;

		in = fmemopen((void *)bad->maps, strlen(bad->maps), "r");
		assert_non_null(in);
		ret = mm_load_maps(mm, in, "t", &err);
		fclose(in);
		if (ret != -EINVAL || !err || strcmp(err, bad->error)) {
			print_error("snapshot %zu:\n%s\nexpected -EINVAL \"%s\", got %d \"%s\"\n",
				    i, bad->maps, bad->error, ret,
				    err ? err : "(null)");
			fail();
		}
		free(err);
		assert_int_equal(mm->map_count, 0);
		assert_true(mtree_empty(&mm->mm_mt));
		assert_int_equal(mm->total_vm, 0);
		assert_int_equal(mm->data_vm, 0);
		assert_int_equal(mm->stack_vm, 0);
		assert_int_equal(mm->exec_vm, 0);
		assert_int_equal(mm->committed, 0);
		assert_int_equal(mm->start_brk, 0);
		assert_int_equal(mm->brk, 0);
		assert_int_equal(mm->start_stack, 0);
		assert_mm_valid(mm);
		test_mm_free(mm);
	}
}

/* Without @err, a failure still returns -EINVAL; a full mm is refused. */
static void test_load_errors_misc(void **state)
{
	static const char bad[] = "1000-0 r--p 00000000 00:00 0 \n";
	struct mm_struct *mm = test_mm_new();
	char *err = NULL;
	FILE *in;

	(void)state;
	in = fmemopen((void *)bad, strlen(bad), "r");
	assert_int_equal(mm_load_maps(mm, in, "t", NULL), -EINVAL);
	fclose(in);
	test_mm_free(mm);

	mm = test_mm_load(live_heap_edges);
	in = fmemopen((void *)live_heap_edges, strlen(live_heap_edges), "r");
	assert_int_equal(mm_load_maps(mm, in, "again", &err), -EINVAL);
	fclose(in);
	assert_string_equal(err, "again: the mm already has VMAs");
	free(err);
	assert_int_equal(mm->map_count, count_lines(live_heap_edges) - 1);
	assert_int_equal(mm->brk, 0x55b582f77000UL);
	assert_mm_valid(mm);
	test_mm_free(mm);
}

/* A stream that cannot be written gives an error, not a short listing. */
static void test_show_write_error(void **state)
{
	struct mm_struct *mm = test_mm_load(live_heap_edges);
	FILE *out = fopen("/dev/null", "r");
	int ret;

	(void)state;
	assert_non_null(out);
	mmap_read_lock(mm);
	ret = mm_show_maps(mm, out);
	mmap_read_unlock(mm);
	assert_true(ret < 0);
	fclose(out);
	test_mm_free(mm);
}

/* assert_maps() compares start, end, perms, offset and name only. */
static void test_assert_maps(void **state)
{
	struct mm_struct *mm = test_mm_load(live_heap_edges);

	(void)state;
	assert_maps(mm,
		"55b56a0a5000-55b56a0a6000 r--p 00000000 /tmp/livemaps/heaptest\n"
		"55b56a0a6000-55b56a0a7000 r-xp 00001000 /tmp/livemaps/heaptest\n"
		"55b56a0a7000-55b56a0a8000 r--p 00002000 /tmp/livemaps/heaptest\n"
		"55b56a0a8000-55b56a0a9000 r--p 00002000 /tmp/livemaps/heaptest\n"
		"55b56a0a9000-55b56a0aa000 rw-p 3000 /tmp/livemaps/heaptest\n"
		"55b582f75000-55b582f76000 r--p 0\n"
		"55b582f76000-55b582f77000 rw-p 0 [heap]\n"
		"55b582f77000-55b582f78000 r--p 0\n"
		"55b582f7a000-55b582f7b000 r--p 0\n"
		"7f5f87052000-7f5f87055000 rw-p 0\n"
		"7f5f87055000-7f5f8707b000 r--p 00000000 /usr/lib/x86_64-linux-gnu/libc.so.6\n"
		"7f5f8707b000-7f5f871d1000 r-xp 00026000 /usr/lib/x86_64-linux-gnu/libc.so.6\n"
		"7f5f871d1000-7f5f87224000 r--p 0017c000 /usr/lib/x86_64-linux-gnu/libc.so.6\n"
		"7f5f87224000-7f5f87228000 r--p 001cf000 /usr/lib/x86_64-linux-gnu/libc.so.6\n"
		"7f5f87228000-7f5f8722a000 rw-p 001d3000 /usr/lib/x86_64-linux-gnu/libc.so.6\n"
		"7f5f8722a000-7f5f87237000 rw-p 0\n"
		"7f5f87242000-7f5f87244000 rw-p 0\n"
		"7f5f87244000-7f5f87248000 r--p 0 [vvar]\n"
		"7f5f87248000-7f5f8724a000 r--p 0 [vvar_vclock]\n"
		"7f5f8724a000-7f5f8724c000 r-xp 0 [vdso]\n"
		"7f5f8724c000-7f5f8724d000 r--p 00000000 /usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2\n"
		"7f5f8724d000-7f5f87273000 r-xp 00001000 /usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2\n"
		"7f5f87273000-7f5f8727d000 r--p 00027000 /usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2\n"
		"7f5f8727d000-7f5f8727f000 r--p 00031000 /usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2\n"
		"7f5f8727f000-7f5f87281000 rw-p 00033000 /usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2\n"
		"7fff22a59000-7fff22a7a000 rw-p 0 [stack]\n");
	test_mm_free(mm);
}

/* Store @vma by hand, as a buggy VMA operation might. */
static void store_by_hand(struct mm_struct *mm, unsigned long first,
			  unsigned long last, struct vm_area_struct *vma)
{
	MA_STATE(mas, &mm->mm_mt, first, last);

	mmap_write_lock(mm);
	assert_int_equal(mas_store_gfp(&mas, vma, GFP_KERNEL), 0);
	mmap_write_unlock(mm);
}

static int validate(struct mm_struct *mm)
{
	int ret;

	mmap_read_lock(mm);
	ret = mm_validate(mm);
	mmap_read_unlock(mm);
	return ret;
}

/* mm_validate() catches corrupted counters, ranges and mergeable pairs. */
static void test_validate_catches(void **state)
{
	static const char maps[] =
		ANON("00010000-00012000")
		ANON("00012000-00013000")
		"00020000-00021000 rw-p 00000000 00:00 0 \n";
	static const char maps_and_gate[] =
		ANON("00010000-00012000")
		ANON("00012000-00013000")
		"00020000-00021000 rw-p 00000000 00:00 0 \n"
		"ffffffffff600000-ffffffffff601000 --xp 00000000 00:00 0                  [vsyscall]\n";
	struct mm_struct *mm = test_mm_load(maps);
	struct vm_area_struct *a = lookup(mm, 0x10000);
	struct vm_area_struct *b = lookup(mm, 0x12000);
	struct vm_area_struct *c = lookup(mm, 0x20000);
	struct anon_vma *saved;
	struct vm_area_struct extra;
	char *shown;
	unsigned long *counters[] = {
		&mm->total_vm, &mm->data_vm, &mm->exec_vm, &mm->stack_vm,
		&mm->locked_vm, &mm->committed,
	};
	size_t i;

	(void)state;
	assert_int_equal(validate(mm), 0);

	/* Wrong map_count. */
	mm->map_count++;
	assert_int_equal(validate(mm), -EINVAL);
	mm->map_count--;

	/* Each counter off by one. */
	for (i = 0; i < sizeof(counters) / sizeof(counters[0]); i++) {
		(*counters[i])++;
		assert_int_equal(validate(mm), -EINVAL);
		(*counters[i])--;
	}
	assert_int_equal(validate(mm), 0);

	/* Two neighbours Linux would have merged: one anon_vma.  Loaded VMAs
	 * are merge_exempt (a snapshot may hold unmerged neighbours); these
	 * two play VMAs made by a merging operation. */
	a->merge_exempt = false;
	b->merge_exempt = false;
	saved = b->anon_vma;
	b->anon_vma = a->anon_vma;
	assert_int_equal(validate(mm), -EINVAL);
	/* ... unless it came across a fork and the other has none. */
	b->anon_vma = NULL;
	assert_int_equal(validate(mm), -EINVAL);
	a->anon_vma_forked = true;
	assert_int_equal(validate(mm), 0);
	a->anon_vma_forked = false;
	b->anon_vma = saved;

	/* A VMA whose fields disagree with its tree range, overlapping. */
	a->vm_end = 0x12800;
	assert_int_equal(validate(mm), -EINVAL);
	a->vm_end = 0x12000;
	/* Not page aligned, in tree and fields alike. */
	c->vm_end = 0x20800;
	store_by_hand(mm, 0x20000, 0x207ff, c);
	assert_int_equal(validate(mm), -EINVAL);
	store_by_hand(mm, 0x20000, 0x20fff, c);
	c->vm_end = 0x21000;
	/* Owned by another mm. */
	c->vm_mm = NULL;
	assert_int_equal(validate(mm), -EINVAL);
	c->vm_mm = mm;
	assert_int_equal(validate(mm), 0);

	/* A VMA stored by hand without map_count and counters. */
	memset(&extra, 0, sizeof(extra));
	extra.vm_start = 0x30000;
	extra.vm_end = 0x31000;
	extra.vm_flags = VM_READ | VM_MAYREAD;
	extra.vm_mm = mm;
	extra.vm_pgoff = 0x30;
	store_by_hand(mm, 0x30000, 0x30fff, &extra);
	assert_int_equal(validate(mm), -EINVAL);
	mm->map_count++;
	mm->total_vm++;
	assert_int_equal(validate(mm), 0);
	/* One VMA stored over a range that overlaps its neighbour's fields. */
	extra.vm_start = 0x20000;
	store_by_hand(mm, 0x30000, 0x30fff, NULL);
	store_by_hand(mm, 0x21000, 0x30fff, &extra);
	assert_int_equal(validate(mm), -EINVAL);
	store_by_hand(mm, 0x21000, 0x30fff, NULL);
	mm->map_count--;
	mm->total_vm--;
	assert_int_equal(validate(mm), 0);

	/* What a failed fork leaves: not a valid mm, skipped by show. */
	store_by_hand(mm, 0x40000, 0x40fff, XA_ZERO_ENTRY);
	assert_int_equal(validate(mm), -EINVAL);
	shown = test_show_maps(mm);
	assert_string_equal(shown, maps_and_gate);
	free(shown);
	store_by_hand(mm, 0x40000, 0x40fff, NULL);
	assert_int_equal(validate(mm), 0);

	test_mm_free(mm);
}

static void set_vma(struct vm_area_struct *vma, unsigned long start,
		    unsigned long end, vm_flags_t flags)
{
	memset(vma, 0, sizeof(*vma));
	vma->vm_start = start;
	vma->vm_end = end;
	vma->vm_pgoff = start >> PAGE_SHIFT;
	vma->vm_flags = flags;
}

/* Linux 6.18's merge rules, one at a time. */
static void test_vma_is_mergeable(void **state)
{
	static const struct vm_special_mapping special = { .name = "[x]" };
	const vm_flags_t rw = VM_READ | VM_WRITE | VM_MAYREAD | VM_MAYWRITE |
			      VM_MAYEXEC | VM_ACCOUNT;
	struct vm_file file1 = { .f_count = 2, .f_id = 1, .path = (char *)"/f" };
	struct vm_file file2 = { .f_count = 2, .f_id = 2, .path = (char *)"/f" };
	struct anon_vma av1 = { .refcount = 1, .id = 1 };
	struct anon_vma av2 = { .refcount = 1, .id = 2 };
	struct vm_area_struct a, b;

	(void)state;
	set_vma(&a, 0x10000, 0x12000, rw);
	set_vma(&b, 0x12000, 0x13000, rw);
	assert_true(vma_is_mergeable(&a, &b));

	/* Not adjacent. */
	b.vm_start = 0x13000;
	b.vm_end = 0x14000;
	b.vm_pgoff = 0x12;
	assert_false(vma_is_mergeable(&a, &b));
	set_vma(&b, 0x12000, 0x13000, rw);

	/* Flags: any difference but VM_SOFTDIRTY. */
	b.vm_flags = rw & ~VM_ACCOUNT;
	assert_false(vma_is_mergeable(&a, &b));
	b.vm_flags = rw | VM_SOFTDIRTY;
	assert_true(vma_is_mergeable(&a, &b));
	b.vm_flags = rw;
	a.vm_flags = b.vm_flags = rw | VM_DONTEXPAND;
	assert_false(vma_is_mergeable(&a, &b));
	a.vm_flags = b.vm_flags = rw | VM_PFNMAP;
	assert_false(vma_is_mergeable(&a, &b));
	a.vm_flags = b.vm_flags = rw;

	/* Offsets must be contiguous, for anonymous memory too. */
	b.vm_pgoff++;
	assert_false(vma_is_mergeable(&a, &b));
	b.vm_pgoff = 0x12;

	/* The same open file description, not the same path. */
	a.vm_file = &file1;
	assert_false(vma_is_mergeable(&a, &b));
	b.vm_file = &file2;
	assert_false(vma_is_mergeable(&a, &b));
	b.vm_file = &file1;
	assert_true(vma_is_mergeable(&a, &b));
	a.vm_pgoff = 0;
	b.vm_pgoff = 2;
	assert_true(vma_is_mergeable(&a, &b));
	b.vm_pgoff = 3;
	assert_false(vma_is_mergeable(&a, &b));
	set_vma(&a, 0x10000, 0x12000, rw);
	set_vma(&b, 0x12000, 0x13000, rw);

	/* anon_vma: NULL and NULL, the same, one NULL unless forked. */
	a.anon_vma = &av1;
	assert_true(vma_is_mergeable(&a, &b));
	b.anon_vma = &av2;
	assert_false(vma_is_mergeable(&a, &b));
	b.anon_vma = &av1;
	assert_true(vma_is_mergeable(&a, &b));
	a.anon_vma_forked = true;
	assert_true(vma_is_mergeable(&a, &b));
	b.anon_vma = NULL;
	assert_false(vma_is_mergeable(&a, &b));
	a.anon_vma_forked = false;
	a.anon_vma = NULL;
	b.anon_vma = &av2;
	b.anon_vma_forked = true;
	assert_false(vma_is_mergeable(&a, &b));
	b.anon_vma_forked = false;
	assert_true(vma_is_mergeable(&a, &b));
	b.anon_vma = NULL;

	/* Anon names: equal strings, or both none. */
	a.anon_name = (char *)"x";
	assert_false(vma_is_mergeable(&a, &b));
	b.anon_name = (char *)"y";
	assert_false(vma_is_mergeable(&a, &b));
	b.anon_name = strdup("x");
	assert_true(vma_is_mergeable(&a, &b));
	free(b.anon_name);
	a.anon_name = b.anon_name = NULL;

	/* Special mappings never merge. */
	a.vm_special = b.vm_special = &special;
	assert_false(vma_is_mergeable(&a, &b));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_live_snapshot_round_trip),
		cmocka_unit_test(test_live_snapshot_state),
		cmocka_unit_test(test_live_heap_edges),
		cmocka_unit_test(test_stack_edges),
		cmocka_unit_test(test_two_stack_lines),
		cmocka_unit_test(test_anon_names),
		cmocka_unit_test(test_tolerant_input),
		cmocka_unit_test(test_empty_snapshot),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_load_errors_misc),
		cmocka_unit_test(test_show_write_error),
		cmocka_unit_test(test_assert_maps),
		cmocka_unit_test(test_validate_catches),
		cmocka_unit_test(test_vma_is_mergeable),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
