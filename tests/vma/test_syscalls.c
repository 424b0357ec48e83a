/* SPDX-License-Identifier: MIT */
/*
 * test_syscalls.c - the syscall API of <vmasim/mm.h> (src/mm): descriptors
 * and the open file descriptions mappings belong to (two open()s never
 * merge, a dup()ed descriptor does, a mapping outlives its descriptor),
 * the descriptor syscalls' numbering and errno, memfd names, fork/clone
 * (copied or shared address spaces and descriptor tables, thread groups),
 * vfork until execve, execve's fresh address space and close-on-exec,
 * exit of the last user, the memory syscalls passing through to the VMA
 * layer, the errno of bad arguments, and -ENOMEM with nothing lost at
 * every allocation of fork, execve, mmap and open.
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
#include <mtree/rcu.h>
#include <vmasim/mm.h>
#include <vmasim/vma.h>

#include "helpers.h"
#include "fork.h"
#include "../../src/mm/mm_internal.h"

#define PG	PAGE_SIZE
#define A	0x10000000UL		/* a free area for MAP_FIXED */
#define B	0x20000000UL		/* another */
#define R	PROT_READ
#define RW	(PROT_READ | PROT_WRITE)
#define PRIV	(MAP_PRIVATE | MAP_FIXED)
#define ANON	(MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED)

#define LIB	"/usr/lib/libfoo.so"

/* ---- helpers ------------------------------------------------------------ */

static struct vm_sim *sim_new(void)
{
	struct vm_sim *sim = vm_sim_new(NULL);

	assert_non_null(sim);
	return sim;
}

static struct task *task_new(struct vm_sim *sim, int pid)
{
	struct task *t = vm_task_create(sim, pid, TEST_MMAP_BASE, false);

	assert_non_null(t);
	return t;
}

static void sim_free(struct vm_sim *sim)
{
	vm_sim_free(sim);
	/* Nodes freed after a grace period go before the leak check. */
	mt_rcu_barrier();
}

static int open_lib(struct task *t)
{
	int fd = vm_open(t, -1, LIB, O_RDONLY, 8, 1, 4242);

	assert_true(fd >= 0);
	return fd;
}

/* mmap() that must succeed at exactly @addr. */
static void map_at(struct task *t, unsigned long addr, unsigned long len,
		   unsigned long prot, unsigned long flags, int fd,
		   unsigned long off)
{
	assert_int_equal(sys_mmap(t, addr, len, prot, flags, fd, off),
			 (long)addr);
}

static char *maps_of(struct task *t)
{
	return test_show_maps(vm_task_mm(t));
}

static void assert_same_maps(struct task *a, struct task *b)
{
	char *ma = maps_of(a), *mb = maps_of(b);

	assert_string_equal(ma, mb);
	free(ma);
	free(mb);
}

static long live_nodes(void)
{
	mt_rcu_barrier();
	return mt_nodes_live();
}

/* ---- file identity ------------------------------------------------------ */

static void test_two_opens_do_not_merge(void **state)
{
	struct vm_sim *sim = sim_new();
	struct task *t = task_new(sim, 100);
	int fd1 = open_lib(t), fd2 = open_lib(t), fd3;

	assert_int_equal(fd1, 0);
	assert_int_equal(fd2, 1);
	assert_ptr_not_equal(vm_fd_get(t, fd1), vm_fd_get(t, fd2));

	/* Same path, contiguous offsets, two descriptions: two VMAs. */
	map_at(t, A, PG, R, PRIV, fd1, 0);
	map_at(t, A + PG, PG, R, PRIV, fd2, PG);

	/* A dup()ed descriptor is the same description: one VMA. */
	fd3 = sys_dup(t, fd1);
	assert_int_equal(fd3, 2);
	assert_ptr_equal(vm_fd_get(t, fd3), vm_fd_get(t, fd1));
	map_at(t, B, PG, R, PRIV, fd1, 0);
	map_at(t, B + PG, PG, R, PRIV, fd3, PG);

	assert_maps(vm_task_mm(t),
		    "10000000-10001000 r--p 00000000 " LIB "\n"
		    "10001000-10002000 r--p 00001000 " LIB "\n"
		    "20000000-20002000 r--p 00000000 " LIB "\n");
	assert_mm_valid(vm_task_mm(t));
	sim_free(sim);
}

static void test_dup_variants_merge(void **state)
{
	struct vm_sim *sim = sim_new();
	struct task *t = task_new(sim, 100);
	int fd = open_lib(t);

	assert_int_equal(sys_dup2(t, fd, 7), 7);
	assert_int_equal(sys_dup3(t, fd, 8, O_CLOEXEC), 8);
	assert_int_equal(sys_fcntl_dupfd(t, fd, 20, false), 20);
	assert_int_equal(sys_fcntl(t, fd, F_DUPFD_CLOEXEC, 20), 21);

	map_at(t, A, PG, R, PRIV, fd, 0);
	map_at(t, A + PG, PG, R, PRIV, 7, PG);
	map_at(t, A + 2 * PG, PG, R, PRIV, 8, 2 * PG);
	map_at(t, A + 3 * PG, PG, R, PRIV, 20, 3 * PG);
	map_at(t, A + 4 * PG, PG, R, PRIV, 21, 4 * PG);
	assert_maps(vm_task_mm(t), "10000000-10005000 r--p 00000000 " LIB "\n");
	sim_free(sim);
}

static void test_mapping_survives_close(void **state)
{
	struct vm_sim *sim = sim_new();
	struct task *t = task_new(sim, 100);
	int fd = open_lib(t);
	struct vm_file *file = vm_fd_get(t, fd);

	map_at(t, A, 2 * PG, R, PRIV, fd, 0);
	assert_int_equal(file->f_count, 2);	/* descriptor + VMA */
	assert_int_equal(sys_close(t, fd), 0);
	assert_null(vm_fd_get(t, fd));
	assert_int_equal(file->f_count, 1);
	assert_int_equal(sys_close(t, fd), -EBADF);

	/* Gone for mmap, still mapped. */
	assert_int_equal(sys_mmap(t, B, PG, R, PRIV, fd, 0), -EBADF);
	assert_maps(vm_task_mm(t), "10000000-10002000 r--p 00000000 " LIB "\n");

	/* Splitting and unmapping the orphaned mapping is fine. */
	assert_int_equal(sys_munmap(t, A, PG), 0);
	assert_maps(vm_task_mm(t), "10001000-10002000 r--p 00001000 " LIB "\n");
	assert_int_equal(sys_munmap(t, A + PG, PG), 0);
	assert_maps(vm_task_mm(t), "");
	sim_free(sim);
}

/* ---- descriptor numbering and errno ------------------------------------- */

static void test_fd_numbers(void **state)
{
	struct vm_sim *sim = sim_new();
	struct task *t = task_new(sim, 100);
	struct vm_file *file;
	int i;

	for (i = 0; i < 5; i++)
		assert_int_equal(sys_open(t, "/etc/passwd", O_RDONLY, 0), i);
	assert_int_equal(sys_close(t, 1), 0);
	assert_int_equal(sys_close(t, 3), 0);
	assert_int_equal(sys_open(t, "/etc/group", O_RDONLY, 0), 1);
	assert_int_equal(sys_dup(t, 0), 3);
	assert_int_equal(sys_dup(t, 0), 5);

	/* dup2/dup3 argument checks. */
	assert_int_equal(sys_dup2(t, 0, 0), 0);
	assert_int_equal(sys_dup2(t, 9, 9), -EBADF);
	assert_int_equal(sys_dup2(t, 9, 10), -EBADF);
	assert_int_equal(sys_dup2(t, 0, -1), -EBADF);
	assert_int_equal(sys_dup2(t, 0, (int)VM_NOFILE_DEFAULT), -EBADF);
	assert_int_equal(sys_dup3(t, 0, 0, 0), -EINVAL);
	assert_int_equal(sys_dup3(t, 0, 10, 1), -EINVAL);
	assert_int_equal(sys_dup3(t, 9, 10, 0), -EBADF);

	/* dup2 over an open descriptor closes it. */
	file = vm_fd_get(t, 1);
	assert_int_equal(sys_dup2(t, 0, 1), 1);
	assert_ptr_equal(vm_fd_get(t, 1), vm_fd_get(t, 0));
	assert_ptr_not_equal(vm_fd_get(t, 1), file);

	/* fcntl. */
	assert_int_equal(sys_fcntl(t, 9, F_GETFD, 0), -EBADF);
	assert_int_equal(sys_fcntl_dupfd(t, 9, 0, false), -EBADF);
	assert_int_equal(sys_fcntl_dupfd(t, 0, VM_NOFILE_DEFAULT, false),
			 -EINVAL);
	assert_int_equal(sys_fcntl(t, 0, F_GETFD, 0), 0);
	assert_int_equal(sys_fcntl(t, 0, F_SETFD, FD_CLOEXEC), 0);
	assert_int_equal(sys_fcntl(t, 0, F_GETFD, 0), FD_CLOEXEC);
	assert_int_equal(sys_fcntl(t, 0, 4 /* F_SETFL */, 0), -EINVAL);
	/* A duplicate never inherits close-on-exec. */
	assert_int_equal(sys_dup(t, 0), 6);
	assert_int_equal(sys_fcntl(t, 6, F_GETFD, 0), 0);

	/* An explicit descriptor, as a replay installs it. */
	assert_int_equal(vm_open(t, 5000, "/x", O_RDWR, 0, 0, 0), 5000);
	assert_non_null(vm_fd_get(t, 5000));
	assert_int_equal(vm_open(t, -2, "/x", O_RDWR, 0, 0, 0), -EBADF);
	assert_int_equal(vm_open(t, (int)VM_NR_OPEN, "/x", O_RDWR, 0, 0, 0),
			 -EBADF);
	assert_int_equal(vm_open(t, -1, NULL, O_RDWR, 0, 0, 0), -EFAULT);
	file = vm_file_new("/y", 0, 0, 0, true, false);
	assert_non_null(file);
	assert_int_equal(vm_fd_install(t, -2, file), -EBADF);
	assert_int_equal(vm_fd_install(t, 77, file), 77);
	assert_ptr_equal(vm_fd_get(t, 77), file);

	/* RLIMIT_NOFILE bounds the lowest-free allocations only. */
	assert_int_equal(vm_task_set_nofile(t, 8), 0);
	assert_int_equal(vm_task_set_nofile(t, VM_NR_OPEN + 1), -EPERM);
	assert_int_equal(sys_open(t, "/z", O_RDONLY, 0), 7);
	assert_int_equal(sys_open(t, "/z", O_RDONLY, 0), -EMFILE);
	assert_int_equal(sys_dup(t, 0), -EMFILE);
	assert_int_equal(vm_open(t, 900, "/z", O_RDONLY, 0, 0, 0), 900);
	assert_int_equal(vm_task_set_nofile(t, VM_NOFILE_DEFAULT), 0);

	/* close_range. */
	assert_int_equal(sys_close_range(t, 5, 4, 0), -EINVAL);
	assert_int_equal(sys_close_range(t, 0, 10, 8), -EINVAL);
	assert_int_equal(sys_close_range(t, 2, 3, CLOSE_RANGE_CLOEXEC), 0);
	assert_int_equal(sys_fcntl(t, 2, F_GETFD, 0), FD_CLOEXEC);
	assert_int_equal(sys_fcntl(t, 3, F_GETFD, 0), FD_CLOEXEC);
	assert_int_equal(sys_close_range(t, 4, ~0U, 0), 0);
	for (i = 4; i < 6000; i++)
		assert_null(vm_fd_get(t, i));
	assert_non_null(vm_fd_get(t, 3));
	assert_int_equal(sys_open(t, "/z", O_RDONLY, 0), 4);
	sim_free(sim);
}

static void test_open_modes(void **state)
{
	struct vm_sim *sim = sim_new();
	struct task *t = task_new(sim, 100);
	int ro = sys_open(t, "/f", O_RDONLY, 0);
	int wo = sys_open(t, "/f", O_WRONLY, 0);
	int rw = sys_open(t, "/f", O_RDWR | O_CREAT | O_TRUNC, 0644);
	int path = sys_open(t, "/f", O_PATH, 0);

	assert_true(vm_fd_get(t, ro)->readable && !vm_fd_get(t, ro)->writable);
	assert_true(!vm_fd_get(t, wo)->readable && vm_fd_get(t, wo)->writable);
	assert_true(vm_fd_get(t, rw)->readable && vm_fd_get(t, rw)->writable);

	/* Shared writable needs a writable description; any needs read. */
	assert_int_equal(sys_mmap(t, A, PG, RW, MAP_SHARED | MAP_FIXED, ro, 0),
			 -EACCES);
	assert_int_equal(sys_mmap(t, A, PG, R, PRIV, wo, 0), -EACCES);
	map_at(t, A, PG, RW, MAP_SHARED | MAP_FIXED, rw, 0);
	/* O_PATH descriptors cannot be mapped, even through a duplicate. */
	assert_int_equal(sys_mmap(t, B, PG, R, PRIV, path, 0), -EBADF);
	assert_int_equal(sys_mmap(t, B, PG, R, PRIV, sys_dup(t, path), 0),
			 -EBADF);
	assert_maps(vm_task_mm(t), "10000000-10001000 rw-s 00000000 /f\n");
	sim_free(sim);
}

static void test_memfd(void **state)
{
	struct vm_sim *sim = sim_new();
	struct task *t = task_new(sim, 100);
	char name[300];
	char *maps;
	int fd;

	fd = sys_memfd_create(t, "buf", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	assert_int_equal(fd, 0);
	assert_int_equal(sys_fcntl(t, fd, F_GETFD, 0), FD_CLOEXEC);
	map_at(t, A, 2 * PG, RW, MAP_SHARED | MAP_FIXED, fd, 0);
	map_at(t, A + 2 * PG, PG, R, PRIV, fd, 2 * PG);
	assert_maps(vm_task_mm(t),
		    "10000000-10002000 rw-s 00000000 /memfd:buf (deleted)\n"
		    "10002000-10003000 r--p 00002000 /memfd:buf (deleted)\n");
	maps = maps_of(t);
	assert_non_null(strstr(maps, "rw-s 00000000 00:01 "));
	free(maps);

	/* Two memfds of one name are two files. */
	assert_int_equal(sys_memfd_create(t, "buf", 0), 1);
	assert_ptr_not_equal(vm_fd_get(t, 0), vm_fd_get(t, 1));
	assert_int_not_equal(vm_fd_get(t, 0)->ino, vm_fd_get(t, 1)->ino);

	/* Names up to 249 bytes; known flags only. */
	memset(name, 'x', sizeof(name));
	name[249] = '\0';
	assert_int_equal(sys_memfd_create(t, name, 0), 2);
	name[249] = 'x';
	name[250] = '\0';
	assert_int_equal(sys_memfd_create(t, name, 0), -EINVAL);
	assert_int_equal(sys_memfd_create(t, NULL, 0), -EFAULT);
	assert_int_equal(sys_memfd_create(t, "x", 0x100), -EINVAL);
	assert_int_equal(sys_memfd_create(t, "x", MFD_EXEC | MFD_NOEXEC_SEAL),
			 -EINVAL);
	sim_free(sim);
}

/* ---- errno of bad arguments --------------------------------------------- */

static void test_errno(void **state)
{
	struct vm_sim *sim = sim_new();
	struct task *t = task_new(sim, 100);
	int fd = open_lib(t);

	map_at(t, A, 4 * PG, RW, ANON, -1, 0);

	/* mmap: offset, descriptor, hugetlb. */
	assert_int_equal(sys_mmap(t, B, PG, R, PRIV, fd, 1), -EINVAL);
	assert_int_equal(sys_mmap(t, B, PG, R, PRIV, fd, PG + 8), -EINVAL);
	assert_int_equal(sys_mmap(t, B, PG, R, ANON, -1, 100), -EINVAL);
	assert_int_equal(sys_mmap(t, B, PG, R, PRIV, 42, 0), -EBADF);
	assert_int_equal(sys_mmap(t, B, PG, R, PRIV, -1, 0), -EBADF);
	assert_int_equal(sys_mmap(t, B, PG, R, PRIV | MAP_HUGETLB, fd, 0),
			 -EINVAL);
	assert_int_equal(sys_mmap(t, B, PMD_SIZE, RW, ANON | MAP_HUGETLB,
				  -1, 0), -ENOMEM);
	assert_int_equal(sys_mmap(t, B, PG, R, PRIV, fd, 0), (long)B);
	assert_int_equal(sys_munmap(t, B, PG), 0);
	/* With MAP_ANONYMOUS the descriptor is not looked at. */
	map_at(t, B, PG, R, ANON, 42, 0);
	assert_int_equal(sys_munmap(t, B, PG), 0);

	/* mlock2, mlockall, and the VMA layer's own checks. */
	assert_int_equal(sys_mlock2(t, A, PG, 2), -EINVAL);
	assert_int_equal(sys_mlock2(t, A, PG, ~0U), -EINVAL);
	assert_int_equal(sys_mlockall(t, 0), -EINVAL);
	assert_int_equal(sys_mlockall(t, MCL_ONFAULT), -EINVAL);
	assert_int_equal(sys_mlockall(t, 8), -EINVAL);
	assert_int_equal(sys_munmap(t, A + 1, PG), -EINVAL);
	assert_int_equal(sys_mprotect(t, A + 1, PG, R), -EINVAL);
	assert_int_equal(sys_mprotect(t, B, PG, R), -ENOMEM);
	assert_int_equal(sys_pkey_mprotect(t, A, PG, R, 5), -EINVAL);
	assert_int_equal(sys_madvise(t, A, PG, 12345), -EINVAL);
	assert_int_equal(sys_mseal(t, A, PG, 1), -EINVAL);
	assert_int_equal(sys_mremap(t, A, PG, 2 * PG, 8, 0), -EINVAL);
	assert_int_equal(sys_mremap(t, B, PG, 2 * PG, MREMAP_MAYMOVE, 0),
			 -EFAULT);

	/* Nothing moved. */
	assert_maps(vm_task_mm(t), "10000000-10004000 rw-p 00000000\n");
	assert_mm_valid(vm_task_mm(t));
	sim_free(sim);
}

/* ---- memory syscalls pass through --------------------------------------- */

static void test_memory_calls(void **state)
{
	struct vm_sim *sim = sim_new();
	struct task *t = task_new(sim, 100);
	struct mm_struct *mm = vm_task_mm(t);
	long addr;

	map_at(t, A, 4 * PG, RW, ANON, -1, 0);
	assert_int_equal(sys_mprotect(t, A + PG, PG, R), 0);
	assert_int_equal(sys_madvise(t, A + 3 * PG, PG, MADV_DONTFORK), 0);
	assert_maps(mm,
		    "10000000-10001000 rw-p 00000000\n"
		    "10001000-10002000 r--p 00000000\n"
		    "10002000-10003000 rw-p 00000000\n"
		    "10003000-10004000 rw-p 00000000\n");
	assert_int_equal(sys_madvise(t, A + 3 * PG, PG, MADV_DOFORK), 0);
	/* no protection keys on the default CPU: even key 0 is refused */
	assert_int_equal(sys_pkey_mprotect(t, A + PG, PG, RW, 0), -EINVAL);
	assert_int_equal(sys_pkey_mprotect(t, A + PG, PG, RW, -1), 0);
	assert_maps(mm, "10000000-10004000 rw-p 00000000\n");
	mm->limits.pkeys = true;
	assert_int_equal(sys_pkey_mprotect(t, A + PG, PG, RW, 0), 0);
	assert_int_equal(sys_pkey_mprotect(t, A + PG, PG, RW, 1), -EINVAL);
	mm->limits.pkeys = false;

	/* mlock / munlock split and merge; mlockall/munlockall. */
	assert_int_equal(sys_mlock(t, A + PG, PG), 0);
	assert_true(vma_lookup(mm, A + PG)->vm_flags & VM_LOCKED);
	assert_int_equal(mm->locked_vm, 1);
	assert_int_equal(sys_munlock(t, A, 4 * PG), 0);
	assert_int_equal(sys_mlock2(t, A, PG, MLOCK_ONFAULT), 0);
	assert_true(vma_lookup(mm, A)->vm_flags & VM_LOCKONFAULT);
	assert_int_equal(sys_munlockall(t), 0);
	assert_maps(mm, "10000000-10004000 rw-p 00000000\n");
	assert_int_equal(mm->locked_vm, 0);
	assert_int_equal(sys_mlockall(t, MCL_CURRENT), 0);
	assert_true(vma_lookup(mm, A)->vm_flags & VM_LOCKED);
	assert_int_equal(sys_munlockall(t), 0);

	/* mremap: grow in place, then move. */
	assert_int_equal(sys_mremap(t, A, 4 * PG, 6 * PG, 0, 0), (long)A);
	assert_maps(mm, "10000000-10006000 rw-p 00000000\n");
	addr = sys_mremap(t, A, 6 * PG, 6 * PG,
			  MREMAP_MAYMOVE | MREMAP_FIXED, B);
	assert_int_equal(addr, (long)B);
	assert_maps(mm, "20000000-20006000 rw-p 00000000\n");

	/* mseal: the sealed range refuses munmap and mprotect. */
	assert_int_equal(sys_mseal(t, B, PG, 0), 0);
	assert_int_equal(sys_munmap(t, B, PG), -EPERM);
	assert_int_equal(sys_mprotect(t, B, PG, R), -EPERM);
	assert_int_equal(sys_munmap(t, B + PG, 5 * PG), 0);
	assert_maps(mm, "20000000-20001000 rw-p 00000000\n");
	assert_mm_valid(mm);
	sim_free(sim);
}

static void test_brk(void **state)
{
	static const char snapshot[] =
		"555555554000-555555556000 r--p 00000000 08:01 100"
		"                        /usr/bin/true\n"
		"555555556000-555555559000 rw-p 00000000 00:00 0"
		"                          [heap]\n";
	struct vm_sim *sim = sim_new();
	struct task *t = task_new(sim, 100);
	struct mm_struct *mm = vm_task_mm(t);
	FILE *in = fmemopen((void *)snapshot, strlen(snapshot), "r");

	assert_non_null(in);
	assert_int_equal(mm_load_maps(mm, in, "brk", NULL), 0);
	fclose(in);
	assert_int_equal(sys_brk(t, 0), 0x555555559000L);
	assert_int_equal(sys_brk(t, 0x55555555b000UL), 0x55555555b000L);
	/* Below start_brk: refused, the old break returned. */
	assert_int_equal(sys_brk(t, 0x1000), 0x55555555b000L);
	assert_maps(mm,
		    "555555554000-555555556000 r--p 00000000 /usr/bin/true\n"
		    "555555556000-55555555b000 rw-p 00000000 [heap]\n");
	assert_int_equal(sys_brk(t, 0x555555557000UL), 0x555555557000L);
	assert_maps(mm,
		    "555555554000-555555556000 r--p 00000000 /usr/bin/true\n"
		    "555555556000-555555557000 rw-p 00000000 [heap]\n");
	assert_mm_valid(mm);
	sim_free(sim);
}

/* Populating write-faults: the faulted VMA then keeps VM_ACCOUNT. */
static void test_populate(void **state)
{
	struct vm_sim *sim = sim_new();
	struct task *t = task_new(sim, 100);
	struct mm_struct *mm = vm_task_mm(t);

	map_at(t, A, PG, RW, ANON, -1, 0);
	map_at(t, B, PG, RW, ANON | MAP_POPULATE, -1, 0);
	map_at(t, B + 0x100000, PG, RW, ANON | MAP_LOCKED, -1, 0);
	assert_null(vma_lookup(mm, A)->anon_vma);
	assert_non_null(vma_lookup(mm, B)->anon_vma);
	assert_non_null(vma_lookup(mm, B + 0x100000)->anon_vma);
	/* MAP_POPULATE | MAP_NONBLOCK does not populate. */
	map_at(t, B + 0x200000, PG, RW, ANON | MAP_POPULATE | MAP_NONBLOCK,
	       -1, 0);
	assert_null(vma_lookup(mm, B + 0x200000)->anon_vma);
	/* Under mlockall(MCL_FUTURE) every new mapping is populated. */
	assert_int_equal(sys_mlockall(t, MCL_FUTURE), 0);
	map_at(t, B + 0x300000, PG, RW, ANON, -1, 0);
	assert_non_null(vma_lookup(mm, B + 0x300000)->anon_vma);
	assert_true(vma_lookup(mm, B + 0x300000)->vm_flags & VM_LOCKED);
	assert_mm_valid(mm);
	sim_free(sim);
}

/* ---- fork and clone ----------------------------------------------------- */

static void test_fork(void **state)
{
	struct vm_sim *sim = sim_new();
	struct task *p = task_new(sim, 100), *c;
	int fd = open_lib(p);
	struct vm_file *file = vm_fd_get(p, fd);

	map_at(p, A, PG, R, PRIV, fd, 0);
	map_at(p, B, 4 * PG, RW, ANON | MAP_POPULATE, -1, 0);
	assert_int_equal(sys_madvise(p, B + 3 * PG, PG, MADV_DONTFORK), 0);
	assert_int_equal(sys_mlock(p, B, PG), 0);

	assert_int_equal(sys_fork(p, 101), 101);
	c = vm_task_find(sim, 101);
	assert_non_null(c);
	assert_int_equal(vm_task_pid(c), 101);
	assert_int_equal(vm_task_tgid(c), 101);
	assert_int_equal(vm_task_vfork_parent(c), 0);
	assert_ptr_not_equal(vm_task_mm(c), vm_task_mm(p));
	assert_int_equal(sys_fork(p, 101), -EEXIST);
	assert_int_equal(sys_fork(p, 0), -EINVAL);

	/* Same layout minus MADV_DONTFORK; VM_LOCKED not inherited. */
	assert_maps(vm_task_mm(c),
		    "10000000-10001000 r--p 00000000 " LIB "\n"
		    "20000000-20001000 rw-p 00000000\n"
		    "20001000-20003000 rw-p 00000000\n");
	assert_false(vma_lookup(vm_task_mm(c), B)->vm_flags & VM_LOCKED);
	assert_mm_valid(vm_task_mm(c));

	/* The descriptor table is a copy holding the same description. */
	assert_ptr_equal(vm_fd_get(c, fd), file);
	assert_int_equal(file->f_count, 4);	/* 2 descriptors, 2 VMAs */
	map_at(c, A + PG, PG, R, PRIV, fd, PG);
	assert_int_equal(sys_close(c, fd), 0);
	assert_ptr_equal(vm_fd_get(p, fd), file);

	/* Changes in the child stay in the child. */
	assert_int_equal(sys_munmap(c, B, PG), 0);
	assert_int_equal(sys_mprotect(c, B + PG, PG, R), 0);
	map_at(c, B + 0x100000, PG, RW, ANON, -1, 0);
	assert_maps(vm_task_mm(c),
		    "10000000-10002000 r--p 00000000 " LIB "\n"
		    "20001000-20002000 r--p 00000000\n"
		    "20002000-20003000 rw-p 00000000\n"
		    "20100000-20101000 rw-p 00000000\n");
	assert_maps(vm_task_mm(p),
		    "10000000-10001000 r--p 00000000 " LIB "\n"
		    "20000000-20001000 rw-p 00000000\n"
		    "20001000-20003000 rw-p 00000000\n"
		    "20003000-20004000 rw-p 00000000\n");
	assert_mm_valid(vm_task_mm(p));
	assert_int_equal(vm_sim_nr_tasks(sim), 2);
	assert_ptr_equal(vm_sim_task(sim, 0), p);
	assert_ptr_equal(vm_sim_task(sim, 1), c);
	assert_null(vm_sim_task(sim, 2));
	sim_free(sim);
}

static void test_fork_then_merge(void **state)
{
	struct vm_sim *sim = sim_new();
	struct task *p = task_new(sim, 100), *c;

	/* Fork after fork: the copies are independent. */
	map_at(p, A, PG, RW, ANON, -1, 0);
	assert_int_equal(sys_fork(p, 101), 101);
	c = vm_task_find(sim, 101);
	assert_int_equal(sys_fork(c, 102), 102);
	assert_same_maps(p, c);
	assert_same_maps(c, vm_task_find(sim, 102));
	/* Unfaulted inherited memory still merges in the child. */
	map_at(c, A + PG, PG, RW, ANON, -1, 0);
	assert_maps(vm_task_mm(c), "10000000-10002000 rw-p 00000000\n");
	assert_maps(vm_task_mm(p), "10000000-10001000 rw-p 00000000\n");
	sim_free(sim);
}

static void test_clone_thread(void **state)
{
	const unsigned long thread_flags = CLONE_VM | CLONE_FS | CLONE_FILES |
					   CLONE_SIGHAND | CLONE_THREAD;
	struct vm_sim *sim = sim_new();
	struct task *p = task_new(sim, 100), *th;
	int fd;

	map_at(p, A, PG, RW, ANON, -1, 0);
	assert_int_equal(sys_clone(p, 101, thread_flags), 101);
	th = vm_task_find(sim, 101);
	assert_ptr_equal(vm_task_mm(th), vm_task_mm(p));
	assert_int_equal(vm_task_tgid(th), 100);

	/* A mapping made by the thread is the process's. */
	map_at(th, B, PG, R, ANON, -1, 0);
	assert_non_null(vma_lookup(vm_task_mm(p), B));
	/* So is a descriptor (CLONE_FILES). */
	fd = sys_open(th, "/t", O_RDONLY, 0);
	assert_ptr_equal(vm_fd_get(p, fd), vm_fd_get(th, fd));
	assert_int_equal(sys_close(p, fd), 0);
	assert_null(vm_fd_get(th, fd));

	/* The thread exits: the address space stays with the process. */
	sys_exit(th);
	assert_null(vm_task_find(sim, 101));
	assert_maps(vm_task_mm(p),
		    "10000000-10001000 rw-p 00000000\n"
		    "20000000-20001000 r--p 00000000\n");

	/* Flags Linux refuses. */
	assert_int_equal(sys_clone(p, 102, CLONE_VM | CLONE_THREAD), -EINVAL);
	assert_int_equal(sys_clone(p, 102, CLONE_SIGHAND), -EINVAL);
	assert_int_equal(sys_clone(p, 102, CLONE_FS | CLONE_NEWNS), -EINVAL);
	assert_int_equal(vm_sim_nr_tasks(sim), 1);

	/* exit_group takes every thread with it. */
	assert_int_equal(sys_clone(p, 102, thread_flags), 102);
	assert_int_equal(sys_clone(p, 103, thread_flags), 103);
	assert_int_equal(sys_fork(p, 104), 104);
	sys_exit_group(vm_task_find(sim, 102));
	assert_int_equal(vm_sim_nr_tasks(sim), 1);
	assert_non_null(vm_task_find(sim, 104));
	sim_free(sim);
}

/* fork with CLONE_FILES: a shared table without a shared address space. */
static void test_clone_files(void **state)
{
	struct vm_sim *sim = sim_new();
	struct task *p = task_new(sim, 100), *c;
	int fd = open_lib(p);

	assert_int_equal(sys_clone(p, 101, CLONE_FILES), 101);
	c = vm_task_find(sim, 101);
	assert_ptr_not_equal(vm_task_mm(c), vm_task_mm(p));
	assert_int_equal(sys_close(c, fd), 0);
	assert_null(vm_fd_get(p, fd));
	/* CLOSE_RANGE_UNSHARE gives the child its own table first. */
	fd = open_lib(p);
	assert_int_equal(sys_close_range(c, 0, ~0U, CLOSE_RANGE_UNSHARE), 0);
	assert_null(vm_fd_get(c, fd));
	assert_non_null(vm_fd_get(p, fd));
	sim_free(sim);
}

static void test_vfork_exec(void **state)
{
	static const char image[] =
		"555555554000-555555556000 r--p 00000000 08:01 100"
		"                        /usr/bin/true\n"
		"7ffffffde000-7ffffffff000 rw-p 00000000 00:00 0"
		"                          [stack]\n";
	struct vm_sim *sim = sim_new();
	struct task *p = task_new(sim, 100), *c;
	char *before;
	FILE *in;

	map_at(p, A, PG, RW, ANON, -1, 0);
	assert_int_equal(sys_clone(p, 101, CLONE_VM | CLONE_VFORK), 101);
	c = vm_task_find(sim, 101);
	assert_ptr_equal(vm_task_mm(c), vm_task_mm(p));
	assert_int_equal(vm_task_vfork_parent(c), 100);
	assert_int_equal(vm_task_tgid(c), 101);

	/* Before exec the child works on the parent's address space. */
	map_at(c, B, PG, R, ANON, -1, 0);
	assert_non_null(vma_lookup(vm_task_mm(p), B));
	before = maps_of(p);

	assert_int_equal(sys_execve(c), 0);
	assert_ptr_not_equal(vm_task_mm(c), vm_task_mm(p));
	assert_int_equal(vm_task_vfork_parent(c), 0);
	assert_int_equal(vm_task_mm(c)->map_count, 0);
	assert_int_equal(vm_task_mm(c)->mmap_base, TEST_MMAP_BASE);
	assert_maps(vm_task_mm(c), "");
	{
		char *after = maps_of(p);

		assert_string_equal(before, after);
		free(after);
	}
	free(before);

	/* The replayer loads the exec snapshot into the fresh mm. */
	in = fmemopen((void *)image, strlen(image), "r");
	assert_non_null(in);
	assert_int_equal(mm_load_maps(vm_task_mm(c), in, "exec", NULL), 0);
	fclose(in);
	assert_maps(vm_task_mm(c),
		    "555555554000-555555556000 r--p 00000000 /usr/bin/true\n"
		    "7ffffffde000-7ffffffff000 rw-p 00000000 [stack]\n");
	sys_exit(c);
	assert_maps(vm_task_mm(p),
		    "10000000-10001000 rw-p 00000000\n"
		    "20000000-20001000 r--p 00000000\n");
	sim_free(sim);
}

/* vfork child exits without exec: the parent keeps everything. */
static void test_vfork_exit(void **state)
{
	struct vm_sim *sim = sim_new();
	struct task *p = task_new(sim, 100), *c;

	map_at(p, A, PG, RW, ANON, -1, 0);
	assert_int_equal(sys_clone(p, 101, CLONE_VM | CLONE_VFORK), 101);
	c = vm_task_find(sim, 101);
	sys_exit(c);
	assert_maps(vm_task_mm(p), "10000000-10001000 rw-p 00000000\n");
	assert_mm_valid(vm_task_mm(p));
	sim_free(sim);
}

static void test_execve_cloexec(void **state)
{
	struct vm_sim *sim = sim_new();
	struct task *p = task_new(sim, 100), *c;
	struct vm_file *keep;

	assert_int_equal(sys_memfd_create(p, "m", MFD_CLOEXEC), 0);
	assert_int_equal(sys_memfd_create(p, "n", 0), 1);
	assert_int_equal(sys_open(p, "/s", O_RDONLY, 0), 2);
	assert_int_equal(vm_open(p, 3, "/a", O_RDONLY | O_CLOEXEC, 0, 0, 0), 3);
	assert_int_equal(vm_open(p, 4, "/b", O_RDONLY, 0, 0, 0), 4);
	assert_int_equal(sys_dup3(p, 4, 5, O_CLOEXEC), 5);
	assert_int_equal(sys_fcntl_dupfd(p, 4, 0, false), 6);
	assert_int_equal(sys_fcntl(p, 6, F_SETFD, FD_CLOEXEC), 0);
	keep = vm_fd_get(p, 4);
	map_at(p, A, PG, RW, ANON, -1, 0);
	assert_int_equal(sys_mlockall(p, MCL_FUTURE), 0);

	/* posix_spawn-like: shares the table, so exec unshares it. */
	assert_int_equal(sys_clone(p, 101, CLONE_VM | CLONE_VFORK |
				   CLONE_FILES), 101);
	c = vm_task_find(sim, 101);
	assert_int_equal(sys_execve(c), 0);
	assert_null(vm_fd_get(c, 0));
	assert_non_null(vm_fd_get(c, 1));
	assert_non_null(vm_fd_get(c, 2));
	assert_null(vm_fd_get(c, 3));
	assert_ptr_equal(vm_fd_get(c, 4), keep);
	assert_null(vm_fd_get(c, 5));
	assert_null(vm_fd_get(c, 6));
	/* The parent's table is untouched. */
	assert_non_null(vm_fd_get(p, 0));
	assert_non_null(vm_fd_get(p, 3));
	assert_non_null(vm_fd_get(p, 5));
	assert_non_null(vm_fd_get(p, 6));
	/* mlockall(MCL_FUTURE) does not survive exec. */
	assert_int_equal(vm_task_mm(c)->def_flags & VM_LOCKED, 0);
	assert_true(vm_task_mm(p)->def_flags & VM_LOCKED);

	/* A thread that execs takes the leader's pid, the others go. */
	assert_int_equal(sys_clone(c, 102, CLONE_VM | CLONE_FILES |
				   CLONE_SIGHAND | CLONE_THREAD), 102);
	assert_int_equal(sys_clone(c, 103, CLONE_VM | CLONE_FILES |
				   CLONE_SIGHAND | CLONE_THREAD), 103);
	c = vm_task_find(sim, 103);
	assert_int_equal(sys_execve(c), 0);
	assert_int_equal(vm_task_pid(c), 101);
	assert_ptr_equal(vm_task_find(sim, 101), c);
	assert_null(vm_task_find(sim, 102));
	assert_null(vm_task_find(sim, 103));
	assert_int_equal(vm_sim_nr_tasks(sim), 2);
	assert_ptr_equal(vm_fd_get(c, 4), keep);
	sim_free(sim);
}

/* ---- tear-down and allocation failure ----------------------------------- */

static void test_exit_frees_mm(void **state)
{
	long live = live_nodes();
	struct vm_sim *sim = sim_new();
	struct task *p = task_new(sim, 100), *c;
	struct mm_struct *mm;
	unsigned long i;

	for (i = 0; i < 500; i++)
		map_at(p, A + 2 * i * PG, PG, i & 1 ? R : RW, ANON, -1, 0);
	assert_int_equal(sys_fork(p, 101), 101);
	c = vm_task_find(sim, 101);
	assert_int_equal(sys_clone(c, 102, CLONE_VM | CLONE_SIGHAND |
				   CLONE_THREAD), 102);
	assert_true(live_nodes() > live);

	/* The parent goes: the child's copy is intact. */
	sys_exit(p);
	mm = vm_task_mm(c);
	assert_int_equal(mm->map_count, 500);
	assert_mm_valid(mm);
	/* One of two users goes: nothing is freed. */
	sys_exit(c);
	assert_int_equal(mm->map_count, 500);
	assert_mm_valid(mm);
	/* The last one: everything is (ASan checks the VMAs and files). */
	sys_exit(vm_task_find(sim, 102));
	assert_int_equal(vm_sim_nr_tasks(sim), 0);
	assert_int_equal(live_nodes(), live);
	sim_free(sim);
}

/* A parent with enough VMAs for a tree of several levels, and a file. */
static struct task *busy_parent(struct vm_sim *sim, int *fd)
{
	struct task *p = task_new(sim, 100);
	unsigned long i;

	*fd = open_lib(p);
	for (i = 0; i < 300; i++)
		map_at(p, A + 2 * i * PG, PG, R, PRIV, *fd, i * PG);
	map_at(p, B, 4 * PG, RW, ANON | MAP_POPULATE, -1, 0);
	return p;
}

/* Check one failed sys_fork(): nothing created, the parent as it was. */
static void assert_fork_failed(struct vm_sim *sim, struct task *p,
			       long ret, const char *maps,
			       struct vm_file *file, unsigned long f_count)
{
	char *now;

	assert_int_equal(ret, -ENOMEM);
	assert_int_equal(vm_sim_nr_tasks(sim), 1);
	assert_null(vm_task_find(sim, 200));
	assert_int_equal(file->f_count, f_count);
	now = maps_of(p);
	assert_string_equal(now, maps);
	free(now);
}

static void test_fork_enomem(void **state)
{
	struct vm_sim *sim = sim_new();
	struct task *p;
	struct vm_file *file;
	unsigned long f_count, n;
	long live, ret;
	char *maps;
	int fd;

	p = busy_parent(sim, &fd);
	file = vm_fd_get(p, fd);
	f_count = file->f_count;
	maps = maps_of(p);
	live = live_nodes();

	/* Every maple node allocation of the fork. */
	for (n = 1;; n++) {
		mt_fault_fail_nth(MT_FAULT_ANY, n);
		ret = sys_fork(p, 200);
		mt_fault_clear();
		if (ret == 200)
			break;
		assert_fork_failed(sim, p, ret, maps, file, f_count);
		assert_int_equal(live_nodes(), live);
	}
	assert_true(n > 1);
	sys_exit(vm_task_find(sim, 200));

	/* Every VMA-side allocation of dup_mmap(). */
	for (n = 1;; n++) {
		vmasim_fail_vma_dup_nth = (int)n;
		ret = sys_fork(p, 200);
		vmasim_fail_vma_dup_nth = 0;
		if (ret == 200)
			break;
		assert_fork_failed(sim, p, ret, maps, file, f_count);
	}
	assert_true(n > 300);
	sys_exit(vm_task_find(sim, 200));

	/* Every allocation of src/mm (table slot, task, fd table, mm). */
	for (n = 1;; n++) {
		vmasim_fail_sim_alloc_nth = (int)n;
		ret = sys_fork(p, 200);
		vmasim_fail_sim_alloc_nth = 0;
		if (ret == 200)
			break;
		assert_fork_failed(sim, p, ret, maps, file, f_count);
	}
	assert_true(n > 2);
	assert_same_maps(p, vm_task_find(sim, 200));
	sys_exit(vm_task_find(sim, 200));
	assert_int_equal(live_nodes(), live);
	free(maps);
	sim_free(sim);
}

static void test_execve_open_enomem(void **state)
{
	struct vm_sim *sim = sim_new();
	struct task *p, *c;
	unsigned long n;
	char *maps;
	long ret;
	int fd;

	p = busy_parent(sim, &fd);
	assert_int_equal(vm_open(p, 9, "/c", O_RDONLY | O_CLOEXEC, 0, 0, 0), 9);
	assert_int_equal(sys_clone(p, 101, CLONE_VM | CLONE_VFORK |
				   CLONE_FILES), 101);
	c = vm_task_find(sim, 101);
	maps = maps_of(p);

	/* execve: the new mm, the unshared table. */
	for (n = 1;; n++) {
		vmasim_fail_sim_alloc_nth = (int)n;
		ret = sys_execve(c);
		vmasim_fail_sim_alloc_nth = 0;
		if (!ret)
			break;
		assert_int_equal(ret, -ENOMEM);
		assert_ptr_equal(vm_task_mm(c), vm_task_mm(p));
		assert_int_equal(vm_task_vfork_parent(c), 100);
		assert_non_null(vm_fd_get(c, 9));
	}
	assert_true(n > 1);
	assert_null(vm_fd_get(c, 9));
	assert_non_null(vm_fd_get(p, 9));

	/* mmap: every node allocation, the layout unchanged on failure. */
	for (n = 1;; n++) {
		char *now;

		mt_fault_fail_nth(MT_FAULT_ANY, n);
		ret = sys_mmap(p, 0, 3 * PG, RW, MAP_PRIVATE | MAP_ANONYMOUS,
			       -1, 0);
		mt_fault_clear();
		if (ret > 0)
			break;
		assert_int_equal(ret, -ENOMEM);
		now = maps_of(p);
		assert_string_equal(now, maps);
		free(now);
	}
	assert_true(n > 1);
	assert_mm_valid(vm_task_mm(p));

	/* open and dup when the table must grow. */
	vmasim_fail_sim_alloc_nth = 1;
	assert_int_equal(vm_open(p, 64, "/d", O_RDONLY, 0, 0, 0), -ENOMEM);
	vmasim_fail_sim_alloc_nth = 1;
	assert_int_equal(sys_dup2(p, fd, 100), -ENOMEM);
	vmasim_fail_sim_alloc_nth = 1;
	assert_int_equal(sys_fcntl_dupfd(p, fd, 70, false), -ENOMEM);
	vmasim_fail_sim_alloc_nth = 0;
	assert_null(vm_fd_get(p, 64));
	assert_null(vm_fd_get(p, 100));
	assert_int_equal(sys_fcntl_dupfd(p, fd, 70, false), 70);
	free(maps);
	sim_free(sim);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_two_opens_do_not_merge),
		cmocka_unit_test(test_dup_variants_merge),
		cmocka_unit_test(test_mapping_survives_close),
		cmocka_unit_test(test_fd_numbers),
		cmocka_unit_test(test_open_modes),
		cmocka_unit_test(test_memfd),
		cmocka_unit_test(test_errno),
		cmocka_unit_test(test_memory_calls),
		cmocka_unit_test(test_brk),
		cmocka_unit_test(test_populate),
		cmocka_unit_test(test_fork),
		cmocka_unit_test(test_fork_then_merge),
		cmocka_unit_test(test_clone_thread),
		cmocka_unit_test(test_clone_files),
		cmocka_unit_test(test_vfork_exec),
		cmocka_unit_test(test_vfork_exit),
		cmocka_unit_test(test_execve_cloexec),
		cmocka_unit_test(test_exit_frees_mm),
		cmocka_unit_test(test_fork_enomem),
		cmocka_unit_test(test_execve_open_enomem),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
