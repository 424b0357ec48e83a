/* SPDX-License-Identifier: MIT */
/*
 * mlock.c - mlock(2), mlock2(2), munlock(2), mlockall(2) and munlockall(2)
 * as Linux 6.18's mm/mlock.c (apply_vma_lock_flags, mlock_fixup,
 * apply_mlockall_flags), and the page population that follows them
 * (mm/gup.c:__mm_populate, declared in madvise.h).
 *
 * DOC: Locking in the model
 *
 * Locking is a flag change: VM_LOCKED (and VM_LOCKONFAULT for mlock2
 * MLOCK_ONFAULT / MCL_ONFAULT) set or cleared on [start, end) of each VMA
 * through vma_modify_flags(), so it splits and merges like mprotect.
 * mm->locked_vm grows by the pages newly locked and shrinks by the pages
 * unlocked.  VM_SPECIAL, VM_HUGETLB and VM_DROPPABLE VMAs are skipped
 * silently (never locked, not counted).  A hole in the range gives
 * -ENOMEM, and what was done to the VMAs before the hole stays.
 *
 * mlock() then populates the range: a private writable VMA is
 * write-faulted (it gets an anon_vma, which changes later merges); a
 * PROT_NONE VMA cannot be populated and makes mlock() return -ENOMEM,
 * though it stays locked.  VM_LOCKONFAULT VMAs are not populated.
 *
 * DOC: RLIMIT_MEMLOCK
 *
 * The simulated process is taken to hold CAP_IPC_LOCK (the recordings run
 * as root), so limits.rlimit_memlock is never enforced: neither here nor
 * by MAP_LOCKED in mmap.c.  Linux would otherwise refuse mlock() with
 * -ENOMEM and mlockall(MCL_CURRENT) with -ENOMEM past the limit.
 */
#include "vma_internal.h"
#include "madvise.h"

/*
 * Linux's mlock_fixup(): give [start, end) of @vma the lock flags in
 * @newflags, counting locked_vm.  Special, hugetlb and droppable VMAs and
 * unchanged flags are left alone.  *@prev becomes the VMA now covering the
 * range (or @vma if nothing was done).
 */
static int mlock_fixup(struct vma_iterator *vmi, struct vm_area_struct *vma,
		       struct vm_area_struct **prev, unsigned long start,
		       unsigned long end, vm_flags_t newflags)
{
	struct mm_struct *mm = vma->vm_mm;
	vm_flags_t oldflags = vma->vm_flags;
	long nr_pages;

	if (newflags == oldflags ||
	    (oldflags & (VM_SPECIAL | VM_HUGETLB | VM_DROPPABLE))) {
		/* Neither VM_LOCKED nor VM_LOCKONFAULT, and no counting. */
		*prev = vma;
		return 0;
	}

	vma = vma_modify_flags(vmi, *prev, vma, start, end, newflags);
	if (IS_ERR_VMA(vma))
		return PTR_ERR_VMA(vma);

	nr_pages = (end - start) >> PAGE_SHIFT;
	if (!(newflags & VM_LOCKED))
		nr_pages = -nr_pages;
	else if (oldflags & VM_LOCKED)
		nr_pages = 0;
	mm->locked_vm += nr_pages;

	vma->vm_flags = newflags;
	*prev = vma;
	return 0;
}

/*
 * Linux's apply_vma_lock_flags(): set the lock flags @flags (0 to unlock)
 * on every VMA of [start, start + len).  @start and @len are page aligned.
 */
static int apply_vma_lock_flags(struct mm_struct *mm, unsigned long start,
				unsigned long len, vm_flags_t flags)
{
	unsigned long nstart, end, tmp;
	struct vm_area_struct *vma, *prev;
	VMA_ITERATOR(vmi, mm, start);

	end = start + len;
	if (end < start)
		return -EINVAL;
	if (end == start)
		return 0;
	vma = vma_iter_load(&vmi);
	if (!vma)
		return -ENOMEM;
	prev = vma_prev(&vmi);
	if (start > vma->vm_start)
		prev = vma;

	nstart = start;
	tmp = vma->vm_start;
	vma_iter_set(&vmi, start);
	for_each_vma_range(vmi, vma, end) {
		vm_flags_t newflags;
		int error;

		/* A hole: earlier VMAs keep their new flags. */
		if (vma->vm_start != tmp)
			return -ENOMEM;
		newflags = (vma->vm_flags & ~VM_LOCKED_MASK) | flags;
		tmp = vma->vm_end < end ? vma->vm_end : end;
		error = mlock_fixup(&vmi, vma, &prev, nstart, tmp, newflags);
		if (error)
			return error;
		tmp = prev->vm_end;
		nstart = tmp;
		vma_iter_set(&vmi, tmp);
	}
	if (tmp < end)
		return -ENOMEM;
	return 0;
}

/*
 * populate_vma_page_range(): fault in [start, end) of @vma.  Only a write
 * fault changes the model: it happens for private writable mappings.
 */
static int populate_vma_page_range(struct mm_struct *mm,
				   struct vm_area_struct *vma,
				   unsigned long start, unsigned long end)
{
	int error;

	if (vma->vm_flags & VM_LOCKONFAULT)
		return 0;
	/* PROT_NONE memory is never faulted in. */
	if (!(vma->vm_flags & VM_ACCESS_FLAGS))
		return -EFAULT;
	/* Shared or read-only memory takes read faults only. */
	if ((vma->vm_flags & (VM_WRITE | VM_SHARED)) != VM_WRITE ||
	    vma->anon_vma)
		return 0;
	error = vma_touch(mm, start, end);
	return error == -EFAULT ? 0 : error;
}

/**
 * __mm_populate - fault in a range after mlock or mmap, as Linux's
 * __mm_populate().
 * @mm: the mm (write-locked)
 * @start: first address (page aligned)
 * @len: length (page aligned)
 * @ignore_errors: go on with the next VMA after a failure
 *
 * Holes are skipped; VM_IO/VM_PFNMAP VMAs are not populated; a
 * VM_LOCKONFAULT VMA is left to fault on access; a PROT_NONE VMA fails
 * with -EFAULT; a private writable VMA is write-faulted and so gets an
 * anon_vma (vma_touch()).
 *
 * Return: 0, or the first error when @ignore_errors is false: -EFAULT
 * (PROT_NONE) or -ENOMEM.
 */
int __mm_populate(struct mm_struct *mm, unsigned long start,
		  unsigned long len, bool ignore_errors)
{
	unsigned long end = start + len, nstart, nend;
	struct vm_area_struct *vma;
	VMA_ITERATOR(vmi, mm, start);
	int ret = 0;

	mmap_assert_write_locked(mm);
	for (nstart = start; nstart < end; nstart = nend) {
		vma_iter_set(&vmi, nstart);
		vma = vma_find(&vmi, end);
		if (!vma)
			break;
		nend = vma->vm_end < end ? vma->vm_end : end;
		if (vma->vm_flags & (VM_IO | VM_PFNMAP))
			continue;
		if (nstart < vma->vm_start)
			nstart = vma->vm_start;
		ret = populate_vma_page_range(mm, vma, nstart, nend);
		if (ret) {
			if (ignore_errors) {
				ret = 0;
				continue;
			}
			break;
		}
	}
	return ret;
}

/**
 * do_mlock - mlock(2) and mlock2(2).
 * @mm: the mm (write-locked)
 * @start: first address; rounded down to a page (the length grows by the
 *	part of the page before @start)
 * @len: length, rounded up to whole pages
 * @flags: 0 or MLOCK_ONFAULT (madvise.h); anything else is -EINVAL
 *
 * Locks every VMA of the range (VM_LOCKED, plus VM_LOCKONFAULT with
 * MLOCK_ONFAULT), splitting and merging, then populates the range.
 * A @len that rounds up to 0 locks nothing and succeeds.
 *
 * Return: 0; -EINVAL (bad @flags, range wrapping past the end of the
 * address space); -ENOMEM (part of the range unmapped, earlier VMAs stay
 * locked; a PROT_NONE VMA that could not be populated, which stays
 * locked; or out of memory while splitting or merging).
 */
int do_mlock(struct mm_struct *mm, unsigned long start, unsigned long len,
	     unsigned int flags)
{
	vm_flags_t vm_flags = VM_LOCKED;
	int error;

	mmap_assert_write_locked(mm);
	if (flags & ~MLOCK_ONFAULT)
		return -EINVAL;
	if (flags & MLOCK_ONFAULT)
		vm_flags |= VM_LOCKONFAULT;

	len = PAGE_ALIGN(len + (start & ~PAGE_MASK));
	start &= PAGE_MASK;
	/* CAP_IPC_LOCK: RLIMIT_MEMLOCK is not checked (see the DOC above). */
	error = apply_vma_lock_flags(mm, start, len, vm_flags);
	if (error)
		return error;

	/* __mlock_posix_error_return(): EFAULT -> ENOMEM, ENOMEM -> EAGAIN. */
	error = __mm_populate(mm, start, len, false);
	if (error == -EFAULT)
		return -ENOMEM;
	if (error == -ENOMEM)
		return -EAGAIN;
	return error;
}

/**
 * do_munlock - munlock(2).
 * @mm: the mm (write-locked)
 * @start: first address; rounded down to a page
 * @len: length, rounded up to whole pages
 *
 * Clears VM_LOCKED and VM_LOCKONFAULT on every VMA of the range,
 * splitting and merging, and uncharges mm->locked_vm.
 *
 * Return: 0; -EINVAL (range wrapping); -ENOMEM (part of the range
 * unmapped, earlier VMAs stay unlocked, or out of memory).
 */
int do_munlock(struct mm_struct *mm, unsigned long start, unsigned long len)
{
	mmap_assert_write_locked(mm);
	len = PAGE_ALIGN(len + (start & ~PAGE_MASK));
	start &= PAGE_MASK;
	return apply_vma_lock_flags(mm, start, len, 0);
}

/*
 * Linux's apply_mlockall_flags(): MCL_FUTURE goes to mm->def_flags (and
 * leaves the current VMAs alone unless MCL_CURRENT is given too); each
 * call replaces the lock bits of def_flags.  MCL_CURRENT sets, and
 * @flags 0 (munlockall) clears, the lock flags of every VMA; errors on
 * single VMAs are ignored.
 */
static void apply_mlockall_flags(struct mm_struct *mm, int flags)
{
	struct vm_area_struct *vma, *prev = NULL;
	VMA_ITERATOR(vmi, mm, 0);
	vm_flags_t to_add = 0;

	mm->def_flags &= ~VM_LOCKED_MASK;
	if (flags & MCL_FUTURE) {
		mm->def_flags |= VM_LOCKED;
		if (flags & MCL_ONFAULT)
			mm->def_flags |= VM_LOCKONFAULT;
		if (!(flags & MCL_CURRENT))
			return;
	}
	if (flags & MCL_CURRENT) {
		to_add |= VM_LOCKED;
		if (flags & MCL_ONFAULT)
			to_add |= VM_LOCKONFAULT;
	}

	for_each_vma(vmi, vma) {
		vm_flags_t newflags;

		newflags = (vma->vm_flags & ~VM_LOCKED_MASK) | to_add;
		if (mlock_fixup(&vmi, vma, &prev, vma->vm_start, vma->vm_end,
				newflags))
			prev = vma;	/* unchanged, still in the tree */
		/* @vma may have been merged away: go on after @prev. */
		vma_iter_set(&vmi, prev->vm_end);
	}
}

/**
 * do_mlockall - mlockall(2).
 * @mm: the mm (write-locked)
 * @flags: MCL_CURRENT and/or MCL_FUTURE, optionally with MCL_ONFAULT
 *	(madvise.h)
 *
 * MCL_FUTURE makes mm->def_flags carry VM_LOCKED (and VM_LOCKONFAULT with
 * MCL_ONFAULT), so later mmap and brk lock their memory; a call without
 * MCL_FUTURE clears those bits again.  MCL_CURRENT locks every VMA now
 * (special mappings excepted) and populates the whole address space,
 * ignoring errors.
 *
 * Return: 0, or -EINVAL if @flags is 0, only MCL_ONFAULT, or has unknown
 * bits.
 */
int do_mlockall(struct mm_struct *mm, int flags)
{
	mmap_assert_write_locked(mm);
	if (!flags || (flags & ~(MCL_CURRENT | MCL_FUTURE | MCL_ONFAULT)) ||
	    flags == MCL_ONFAULT)
		return -EINVAL;
	/* CAP_IPC_LOCK: no RLIMIT_MEMLOCK check against total_vm. */
	apply_mlockall_flags(mm, flags);
	if (flags & MCL_CURRENT)
		mm_populate(mm, 0, TASK_SIZE);
	return 0;
}

/**
 * do_munlockall - munlockall(2): clear VM_LOCKED and VM_LOCKONFAULT from
 * mm->def_flags and from every VMA (merging where that was the only
 * difference); mm->locked_vm drops accordingly.
 * @mm: the mm (write-locked)
 *
 * Return: 0.
 */
int do_munlockall(struct mm_struct *mm)
{
	mmap_assert_write_locked(mm);
	apply_mlockall_flags(mm, 0);
	return 0;
}
