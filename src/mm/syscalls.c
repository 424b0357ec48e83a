/* SPDX-License-Identifier: MIT */
/*
 * syscalls.c - the memory syscalls of <vmasim/mm.h>: mmap, munmap,
 * mremap, mprotect, pkey_mprotect, brk, madvise, mlock, mlock2, munlock,
 * mlockall, munlockall and mseal.  Each does what the kernel's syscall
 * entry does before the VMA layer (x86 sys_mmap's offset check,
 * ksys_mmap_pgoff's descriptor lookup, mlock2's flag check), calls the
 * do_* function of src/vma with the task's mmap_lock held for writing.
 * Population after MAP_POPULATE and locked mappings (Linux's
 * vm_mmap_pgoff, brk and mremap) is done by those do_* functions.
 */
#include <errno.h>

#include "madvise.h"
#include "mm_internal.h"

/* Huge page sizes x86-64 offers (2 MiB, 1 GiB), as log2 in MAP_HUGE_*. */
#define MAP_HUGE_SHIFT		26
#define MAP_HUGE_MASK		0x3fUL
#define MAP_HUGE_2MB_LOG	21
#define MAP_HUGE_1GB_LOG	30

static struct mm_struct *task_mm(struct task *t)
{
	return &t->mm->mm;
}

/*
 * Linux's fget() for mmap: the description behind @fd with a reference,
 * or NULL if @fd is not open or was opened with O_PATH.
 */
static struct vm_file *mmap_fget(struct task *t, int fd)
{
	struct files_struct *files = t->files;

	if (fd < 0 || (unsigned int)fd >= files->max_fds ||
	    !files->fd[fd].file || (files->fd[fd].flags & FDE_PATH))
		return NULL;
	return get_file(files->fd[fd].file);
}

/* Linux's ksys_mmap_pgoff() and vm_mmap_pgoff(). */
static long ksys_mmap_pgoff(struct task *t, unsigned long addr,
			    unsigned long len, unsigned long prot,
			    unsigned long flags, int fd, unsigned long pgoff)
{
	struct mm_struct *mm = task_mm(t);
	struct vm_file *file = NULL;
	unsigned long ret;

	if (!(flags & MAP_ANONYMOUS)) {
		file = mmap_fget(t, fd);
		if (!file)
			return -EBADF;
		/* No hugetlbfs files exist here. */
		if (flags & MAP_HUGETLB) {
			fput(file);
			return -EINVAL;
		}
	} else if (flags & MAP_HUGETLB) {
		unsigned long log = (flags >> MAP_HUGE_SHIFT) & MAP_HUGE_MASK;

		if (log && log != MAP_HUGE_2MB_LOG && log != MAP_HUGE_1GB_LOG)
			return -EINVAL;
		/*
		 * hugetlb_file_setup() reserves the pages at once: with none
		 * in the pool that fails, except for a length of 0, which
		 * do_mmap() then refuses.
		 */
		return len ? -ENOMEM : -EINVAL;
	}

	mmap_write_lock(mm);
	ret = do_mmap(mm, file, addr, len, prot, flags, pgoff);
	mmap_write_unlock(mm);
	fput(file);
	return (long)ret;
}

/**
 * sys_mmap - mmap(2) (x86-64 sys_mmap: the offset in bytes).
 * @t: the calling task
 * @addr: hint or fixed address
 * @len: length
 * @prot: PROT_* bits
 * @flags: MAP_* flags
 * @fd: descriptor; ignored with MAP_ANONYMOUS
 * @off: offset in bytes
 *
 * Context: takes the task's mmap_lock for writing.
 * Return: the address, or -errno.
 */
long sys_mmap(struct task *t, unsigned long addr, unsigned long len,
	      unsigned long prot, unsigned long flags, int fd,
	      unsigned long off)
{
	if (off & ~PAGE_MASK)
		return -EINVAL;
	return ksys_mmap_pgoff(t, addr, len, prot, flags, fd,
			       off >> PAGE_SHIFT);
}

/**
 * sys_munmap - munmap(2).
 * @t: the calling task
 * @addr: start
 * @len: length
 *
 * Context: takes the task's mmap_lock for writing.
 * Return: 0 or -errno.
 */
long sys_munmap(struct task *t, unsigned long addr, unsigned long len)
{
	struct mm_struct *mm = task_mm(t);
	int ret;

	mmap_write_lock(mm);
	ret = do_munmap(mm, addr, len);
	mmap_write_unlock(mm);
	return ret;
}

/**
 * sys_mremap - mremap(2).
 * @t: the calling task
 * @addr: old address
 * @old_len: old length
 * @new_len: new length
 * @flags: MREMAP_* flags
 * @new_addr: destination
 *
 * Context: takes the task's mmap_lock for writing.
 * Return: the new address, or -errno.
 */
long sys_mremap(struct task *t, unsigned long addr, unsigned long old_len,
		unsigned long new_len, unsigned long flags,
		unsigned long new_addr)
{
	struct mm_struct *mm = task_mm(t);
	unsigned long ret;

	mmap_write_lock(mm);
	ret = do_mremap(mm, addr, old_len, new_len, flags, new_addr);
	mmap_write_unlock(mm);
	return (long)ret;
}

/**
 * sys_pkey_mprotect - pkey_mprotect(2).
 * @t: the calling task
 * @start: start
 * @len: length
 * @prot: PROT_* bits
 * @pkey: protection key, -1 for none
 *
 * Context: takes the task's mmap_lock for writing.
 * Return: 0 or -errno.
 */
long sys_pkey_mprotect(struct task *t, unsigned long start, unsigned long len,
		       unsigned long prot, int pkey)
{
	struct mm_struct *mm = task_mm(t);
	int ret;

	mmap_write_lock(mm);
	ret = do_mprotect_pkey(mm, start, len, prot, pkey);
	mmap_write_unlock(mm);
	return ret;
}

/**
 * sys_mprotect - mprotect(2).
 * @t: the calling task
 * @start: start
 * @len: length
 * @prot: PROT_* bits
 *
 * Context: takes the task's mmap_lock for writing.
 * Return: 0 or -errno.
 */
long sys_mprotect(struct task *t, unsigned long start, unsigned long len,
		  unsigned long prot)
{
	return sys_pkey_mprotect(t, start, len, prot, -1);
}

/**
 * sys_brk - brk(2).
 * @t: the calling task
 * @brk: the requested break
 *
 * Context: takes the task's mmap_lock for writing.
 * Return: the new break, or the old one on failure.
 */
long sys_brk(struct task *t, unsigned long brk)
{
	struct mm_struct *mm = task_mm(t);
	unsigned long ret;

	mmap_write_lock(mm);
	ret = do_brk_syscall(mm, brk);
	mmap_write_unlock(mm);
	return (long)ret;
}

/**
 * sys_madvise - madvise(2).
 * @t: the calling task
 * @start: start
 * @len: length
 * @behavior: MADV_* advice
 *
 * Context: takes the task's mmap_lock for writing.
 * Return: 0 or -errno.
 */
long sys_madvise(struct task *t, unsigned long start, unsigned long len,
		 int behavior)
{
	struct mm_struct *mm = task_mm(t);
	int ret;

	mmap_write_lock(mm);
	ret = do_madvise(mm, start, len, behavior);
	mmap_write_unlock(mm);
	return ret;
}

/**
 * sys_mlock2 - mlock2(2).
 * @t: the calling task
 * @start: start
 * @len: length
 * @flags: 0 or MLOCK_ONFAULT
 *
 * Context: takes the task's mmap_lock for writing.
 * Return: 0 or -errno.
 */
long sys_mlock2(struct task *t, unsigned long start, unsigned long len,
		unsigned int flags)
{
	struct mm_struct *mm = task_mm(t);
	int ret;

	mmap_write_lock(mm);
	ret = do_mlock(mm, start, len, flags);	/* checks @flags itself */
	mmap_write_unlock(mm);
	return ret;
}

/**
 * sys_mlock - mlock(2).
 * @t: the calling task
 * @start: start
 * @len: length
 *
 * Context: takes the task's mmap_lock for writing.
 * Return: 0 or -errno.
 */
long sys_mlock(struct task *t, unsigned long start, unsigned long len)
{
	return sys_mlock2(t, start, len, 0);
}

/**
 * sys_munlock - munlock(2).
 * @t: the calling task
 * @start: start
 * @len: length
 *
 * Context: takes the task's mmap_lock for writing.
 * Return: 0 or -errno.
 */
long sys_munlock(struct task *t, unsigned long start, unsigned long len)
{
	struct mm_struct *mm = task_mm(t);
	int ret;

	mmap_write_lock(mm);
	ret = do_munlock(mm, start, len);
	mmap_write_unlock(mm);
	return ret;
}

/**
 * sys_mlockall - mlockall(2).
 * @t: the calling task
 * @flags: MCL_* flags
 *
 * Context: takes the task's mmap_lock for writing.
 * Return: 0 or -EINVAL.
 */
long sys_mlockall(struct task *t, int flags)
{
	struct mm_struct *mm = task_mm(t);
	int ret;

	mmap_write_lock(mm);
	ret = do_mlockall(mm, flags);	/* checks @flags itself */
	mmap_write_unlock(mm);
	return ret;
}

/**
 * sys_munlockall - munlockall(2).
 * @t: the calling task
 *
 * Context: takes the task's mmap_lock for writing.
 * Return: 0.
 */
long sys_munlockall(struct task *t)
{
	struct mm_struct *mm = task_mm(t);
	int ret;

	mmap_write_lock(mm);
	ret = do_munlockall(mm);
	mmap_write_unlock(mm);
	return ret;
}

/**
 * sys_mseal - mseal(2).
 * @t: the calling task
 * @start: start
 * @len: length
 * @flags: must be 0
 *
 * Context: takes the task's mmap_lock for writing.
 * Return: 0 or -errno.
 */
long sys_mseal(struct task *t, unsigned long start, unsigned long len,
	       unsigned long flags)
{
	struct mm_struct *mm = task_mm(t);
	int ret;

	mmap_write_lock(mm);
	ret = do_mseal(mm, start, len, flags);
	mmap_write_unlock(mm);
	return ret;
}
