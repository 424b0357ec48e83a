/* SPDX-License-Identifier: MIT */
/*
 * madvise.c - madvise(2) as Linux 6.18's mm/madvise.c: argument checks,
 * the walk over the VMAs of the range (madvise_walk_vmas), the advice that
 * changes vm_flags through vma_modify_flags() (merge or split, like
 * mprotect), the VMA-level errors of the other advice, the mseal() rule
 * for discarding advice, and the few advice that change what the model
 * tracks (anon_vma) without changing the layout.
 *
 * DOC: What each advice does to the model
 *
 * Flag advice (madvise_update_vma): NORMAL, SEQUENTIAL, RANDOM, DONTFORK,
 * DOFORK, WIPEONFORK, KEEPONFORK, DONTDUMP, DODUMP, MERGEABLE,
 * UNMERGEABLE, HUGEPAGE, NOHUGEPAGE.  The new flags are computed per VMA;
 * if they equal the old ones nothing happens, otherwise [start, end) of
 * the VMA is merged with a neighbour or split off and given them.  A
 * special mapping ([vdso], [vvar]) cannot be split: a flag change on part
 * of one fails with -EINVAL, on the whole of it succeeds.
 *
 * Page advice leaves the layout alone and only checks the VMA:
 * WILLNEED (never fails), COLD/PAGEOUT (-EINVAL on VM_LOCKED, VM_PFNMAP,
 * VM_HUGETLB), DONTNEED/DONTNEED_LOCKED/FREE (-EINVAL on VM_PFNMAP, on
 * VM_LOCKED except DONTNEED_LOCKED, and FREE on anything not anonymous),
 * REMOVE (-EINVAL on VM_LOCKED or without a file, -EACCES unless shared
 * and writable), GUARD_INSTALL (-EINVAL on VM_SPECIAL, VM_HUGETLB,
 * VM_LOCKED; an anonymous VMA gets its anon_vma, anon_vma_prepare()),
 * GUARD_REMOVE (-EINVAL on VM_SPECIAL, VM_HUGETLB), COLLAPSE (see
 * madvise_collapse()), POPULATE_READ/WRITE (madvise_populate(): its own
 * walk, stopping with -ENOMEM at the first hole; a write fault on a
 * private mapping gives it an anon_vma).
 *
 * Not modelled: the live 6.18.44 kernel also marks a VMA VM_MAYBE_GUARD
 * ("gu" in smaps VmFlags) on GUARD_INSTALL, without splitting it; vma.h
 * has no such flag and /proc/PID/maps does not show it.  MADV_HWPOISON
 * and MADV_SOFT_OFFLINE are invalid (-EINVAL) because the live kernel is
 * built without CONFIG_MEMORY_FAILURE.  Page state (which pages are
 * resident, swapped, huge) is not modelled, so COLLAPSE is approximated.
 */
#include "vma_internal.h"
#include "madvise.h"

/*
 * struct madvise_behavior - the advice being applied (Linux's struct of
 * the same name): @start/@end is the part of @vma being advised, @prev the
 * VMA before it (or @vma itself when @start > vma->vm_start).
 */
struct madvise_behavior {
	struct mm_struct *mm;
	int behavior;
	unsigned long start;
	unsigned long end;
	struct vm_area_struct *prev;
	struct vm_area_struct *vma;
};

static bool madvise_behavior_valid(int behavior)
{
	switch (behavior) {
	case MADV_DOFORK:
	case MADV_DONTFORK:
	case MADV_NORMAL:
	case MADV_SEQUENTIAL:
	case MADV_RANDOM:
	case MADV_REMOVE:
	case MADV_WILLNEED:
	case MADV_DONTNEED:
	case MADV_DONTNEED_LOCKED:
	case MADV_FREE:
	case MADV_COLD:
	case MADV_PAGEOUT:
	case MADV_POPULATE_READ:
	case MADV_POPULATE_WRITE:
	case MADV_MERGEABLE:		/* CONFIG_KSM=y */
	case MADV_UNMERGEABLE:
	case MADV_HUGEPAGE:		/* CONFIG_TRANSPARENT_HUGEPAGE=y */
	case MADV_NOHUGEPAGE:
	case MADV_COLLAPSE:
	case MADV_DONTDUMP:
	case MADV_DODUMP:
	case MADV_WIPEONFORK:
	case MADV_KEEPONFORK:
	case MADV_GUARD_INSTALL:
	case MADV_GUARD_REMOVE:
		return true;
	default:
		/* HWPOISON, SOFT_OFFLINE: CONFIG_MEMORY_FAILURE is off. */
		return false;
	}
}

/* Advice that discards data, refused on sealed read-only anonymous memory. */
static bool madvise_is_discard(int behavior)
{
	switch (behavior) {
	case MADV_FREE:
	case MADV_DONTNEED:
	case MADV_DONTNEED_LOCKED:
	case MADV_REMOVE:
	case MADV_DONTFORK:
	case MADV_WIPEONFORK:
	case MADV_GUARD_INSTALL:
		return true;
	default:
		return false;
	}
}

/*
 * Linux's can_madvise_modify(): a sealed VMA refuses discarding advice
 * only if it is anonymous and the caller could not write to it anyway.
 * File mappings are always allowed (for the sake of sealed .text).
 */
static bool madvise_can_modify(const struct madvise_behavior *madv)
{
	const struct vm_area_struct *vma = madv->vma;

	if (!vma_is_sealed(vma) || !madvise_is_discard(madv->behavior))
		return true;
	if (!vma_is_anonymous(vma))
		return true;
	return vma->vm_flags & VM_WRITE;
}

/*
 * Linux's madvise_update_vma(): give [start, end) of the VMA @new_flags,
 * merging or splitting; nothing at all if the flags do not change.
 */
static int madvise_update_vma(struct madvise_behavior *madv,
			      vm_flags_t new_flags)
{
	struct vm_area_struct *vma = madv->vma;
	VMA_ITERATOR(vmi, madv->mm, madv->start);

	if (new_flags == vma->vm_flags)
		return 0;
	vma = vma_modify_flags(&vmi, madv->prev, vma, madv->start, madv->end,
			       new_flags);
	if (IS_ERR_VMA(vma))
		return PTR_ERR_VMA(vma);
	madv->vma = vma;
	vma->vm_flags = new_flags;
	return 0;
}

/* mm/ksm.c:vma_ksm_compatible(): where MADV_MERGEABLE is not ignored. */
static bool madvise_ksm_compatible(const struct vm_area_struct *vma)
{
	return !(vma->vm_flags & (VM_SHARED | VM_MAYSHARE | VM_PFNMAP | VM_IO |
				  VM_DONTEXPAND | VM_HUGETLB | VM_MIXEDMAP |
				  VM_DROPPABLE));
}

/*
 * ksm_madvise(): MERGEABLE sets VM_MERGEABLE where KSM can work and is
 * silently ignored elsewhere; UNMERGEABLE clears it.  Neither fails here
 * (unmerging pages can only fail for lack of memory).
 */
static vm_flags_t madvise_ksm_flags(const struct vm_area_struct *vma,
				    int behavior, vm_flags_t flags)
{
	if (behavior == MADV_MERGEABLE) {
		if ((flags & VM_MERGEABLE) || !madvise_ksm_compatible(vma))
			return flags;
		return flags | VM_MERGEABLE;
	}
	return flags & ~VM_MERGEABLE;
}

/*
 * MADV_DONTNEED, DONTNEED_LOCKED, FREE: madvise_dontneed_free_valid_vma()
 * and the anonymous-only rule of FREE.  Zapping pages changes nothing the
 * model keeps.
 */
static int madvise_dontneed_free(const struct madvise_behavior *madv)
{
	const struct vm_area_struct *vma = madv->vma;
	vm_flags_t forbidden = VM_PFNMAP;

	if (vma->vm_flags & VM_HUGETLB) {
		/* Huge page alignment is not modelled: accept DONTNEED*. */
		return madv->behavior == MADV_FREE ? -EINVAL : 0;
	}
	if (madv->behavior != MADV_DONTNEED_LOCKED)
		forbidden |= VM_LOCKED;
	if (vma->vm_flags & forbidden)
		return -EINVAL;
	if (madv->behavior == MADV_FREE && !vma_is_anonymous(vma))
		return -EINVAL;
	return 0;
}

/* MADV_REMOVE: punch a hole in the backing file of a shared mapping. */
static int madvise_remove(const struct madvise_behavior *madv)
{
	const struct vm_area_struct *vma = madv->vma;

	if (vma->vm_flags & VM_LOCKED)
		return -EINVAL;
	if (!vma->vm_file)
		return -EINVAL;
	/* vma_is_shared_maywrite() */
	if ((vma->vm_flags & (VM_SHARED | VM_MAYWRITE)) !=
	    (VM_SHARED | VM_MAYWRITE))
		return -EACCES;
	/* The file system is assumed to support FALLOC_FL_PUNCH_HOLE. */
	return 0;
}

/* can_madv_lru_vma(): MADV_COLD and MADV_PAGEOUT. */
static int madvise_cold_pageout(const struct madvise_behavior *madv)
{
	if (madv->vma->vm_flags & (VM_LOCKED | VM_PFNMAP | VM_HUGETLB))
		return -EINVAL;
	return 0;
}

/*
 * MADV_GUARD_INSTALL: refused on special, hugetlb and mlocked VMAs.  The
 * guard markers are page table entries, so an anonymous VMA needs its
 * anon_vma (anon_vma_prepare()): the model marks it faulted.  Live 6.18:
 * an anonymous VMA moved by mremap after a guard install keeps its pgoff
 * (it has an anon_vma); a private file VMA does not get one (a fork
 * child's new neighbour still merges with it).
 */
static int madvise_guard_install(const struct madvise_behavior *madv)
{
	struct vm_area_struct *vma = madv->vma;

	if (vma->vm_flags & (VM_SPECIAL | VM_HUGETLB | VM_LOCKED))
		return -EINVAL;
	if (vma_is_anonymous(vma) && !vma->anon_vma)
		return vma_anon_prepare(madv->mm, madv->start, madv->end);
	return 0;
}

/* MADV_GUARD_REMOVE: allowed on mlocked VMAs, it discards nothing. */
static int madvise_guard_remove(const struct madvise_behavior *madv)
{
	if (madv->vma->vm_flags & (VM_SPECIAL | VM_HUGETLB))
		return -EINVAL;
	return 0;
}

/*
 * MADV_COLLAPSE (mm/khugepaged.c:madvise_collapse()), approximated.  Only
 * anonymous memory collapses on the live kernel (shmem and file THP are
 * off), and only when THP is allowed for the VMA: not VM_NOHUGEPAGE or
 * special, an anon_vma already there (thp_vma_allowable_order() refuses
 * an anonymous VMA never faulted), and room in the VMA for one aligned
 * PMD.  A range holding no whole PMD then succeeds trivially.  Whether
 * each PMD of the range has pages cannot be known here: a faulted VMA is
 * assumed to collapse.  Live 6.18: unfaulted 4 MiB anonymous VMA -EINVAL;
 * the same after one write, 2 MiB of it collapsed 0, all 4 MiB -EINVAL
 * (the second PMD was empty); a 4-page VMA -EINVAL.
 */
static int madvise_collapse(const struct madvise_behavior *madv)
{
	const struct vm_area_struct *vma = madv->vma;

	if (!vma_is_anonymous(vma) || !vma->anon_vma)
		return -EINVAL;
	if (vma->vm_flags & (VM_NOHUGEPAGE | VM_SPECIAL | VM_HUGETLB))
		return -EINVAL;
	if (vma->vm_end - vma->vm_start < PMD_SIZE ||
	    ((vma->vm_end - PMD_SIZE) & ~(PMD_SIZE - 1)) < vma->vm_start)
		return -EINVAL;
	return 0;
}

/*
 * Linux's madvise_vma_behavior(): apply the advice to [start, end) of one
 * VMA.  The sealing check comes first, then the advice's own checks.
 */
static int madvise_vma_behavior(struct madvise_behavior *madv)
{
	struct vm_area_struct *vma = madv->vma;
	vm_flags_t new_flags = vma->vm_flags;
	int error;

	if (!madvise_can_modify(madv))
		return -EPERM;

	switch (madv->behavior) {
	case MADV_REMOVE:
		return madvise_remove(madv);
	case MADV_WILLNEED:
		return 0;
	case MADV_COLD:
	case MADV_PAGEOUT:
		return madvise_cold_pageout(madv);
	case MADV_FREE:
	case MADV_DONTNEED:
	case MADV_DONTNEED_LOCKED:
		return madvise_dontneed_free(madv);
	case MADV_COLLAPSE:
		return madvise_collapse(madv);
	case MADV_GUARD_INSTALL:
		return madvise_guard_install(madv);
	case MADV_GUARD_REMOVE:
		return madvise_guard_remove(madv);

	/* The rest change vm_flags, through madvise_update_vma(). */
	case MADV_NORMAL:
		new_flags &= ~(VM_RAND_READ | VM_SEQ_READ);
		break;
	case MADV_SEQUENTIAL:
		new_flags = (new_flags & ~VM_RAND_READ) | VM_SEQ_READ;
		break;
	case MADV_RANDOM:
		new_flags = (new_flags & ~VM_SEQ_READ) | VM_RAND_READ;
		break;
	case MADV_DONTFORK:
		new_flags |= VM_DONTCOPY;
		break;
	case MADV_DOFORK:
		/* 6.18 tests VM_IO only (live: DOFORK on [vdso] gives 0). */
		if (new_flags & VM_IO)
			return -EINVAL;
		new_flags &= ~VM_DONTCOPY;
		break;
	case MADV_WIPEONFORK:
		/* Anonymous private memory only. */
		if (vma->vm_file || (new_flags & VM_SHARED))
			return -EINVAL;
		new_flags |= VM_WIPEONFORK;
		break;
	case MADV_KEEPONFORK:
		if (new_flags & VM_DROPPABLE)
			return -EINVAL;
		new_flags &= ~VM_WIPEONFORK;
		break;
	case MADV_DONTDUMP:
		new_flags |= VM_DONTDUMP;
		break;
	case MADV_DODUMP:
		if ((!(new_flags & VM_HUGETLB) && (new_flags & VM_SPECIAL)) ||
		    (new_flags & VM_DROPPABLE))
			return -EINVAL;
		new_flags &= ~VM_DONTDUMP;
		break;
	case MADV_MERGEABLE:
	case MADV_UNMERGEABLE:
		new_flags = madvise_ksm_flags(vma, madv->behavior, new_flags);
		break;
	case MADV_HUGEPAGE:
		/* hugepage_madvise() never refuses (live: even on [vdso]). */
		new_flags = (new_flags & ~VM_NOHUGEPAGE) | VM_HUGEPAGE;
		break;
	case MADV_NOHUGEPAGE:
		new_flags = (new_flags & ~VM_HUGEPAGE) | VM_NOHUGEPAGE;
		break;
	default:
		return -EINVAL;
	}

	error = madvise_update_vma(madv, new_flags);
	/* Out of kernel memory is reported as "try again". */
	if (error == -ENOMEM)
		error = -EAGAIN;
	return error;
}

/*
 * Linux's madvise_walk_vmas(): advise each VMA overlapping [start, end).
 * A hole does not stop the walk: the VMAs after it are advised too, and
 * -ENOMEM is returned at the end.  An error from a VMA stops the walk;
 * what was done to earlier VMAs stays.
 */
static int madvise_walk_vmas(struct madvise_behavior *madv, unsigned long start,
			     unsigned long last_end)
{
	struct mm_struct *mm = madv->mm;
	struct vm_area_struct *vma, *prev;
	unsigned long end;
	int unmapped_error = 0;
	int error;

	vma = find_vma_prev(mm, start, &prev);
	if (vma && start > vma->vm_start)
		prev = vma;

	for (;;) {
		if (!vma)
			return -ENOMEM;
		if (start < vma->vm_start) {
			unmapped_error = -ENOMEM;
			start = vma->vm_start;
			if (start >= last_end)
				break;
		}
		end = vma->vm_end < last_end ? vma->vm_end : last_end;

		madv->start = start;
		madv->end = end;
		madv->prev = prev;
		madv->vma = vma;
		error = madvise_vma_behavior(madv);
		if (error)
			return error;
		/* The VMA may have been merged into a neighbour, or split. */
		vma = madv->vma;
		prev = vma;
		if (end < vma->vm_end)
			end = vma->vm_end;
		if (end >= last_end)
			break;
		vma = find_vma(mm, vma->vm_end);
		start = end;
	}
	return unmapped_error;
}

/*
 * MADV_POPULATE_READ/WRITE (madvise_populate() and faultin_page_range()):
 * not the VMA walk above.  Each VMA from start on must be there (else
 * -ENOMEM, after populating the earlier ones) and allow the access
 * without forcing (else -EINVAL): VM_READ to read, VM_WRITE to write,
 * never VM_IO/VM_PFNMAP.  A write fault on a private mapping breaks COW
 * and gives it an anon_vma; reads change nothing the model keeps.
 */
static int madvise_populate(struct mm_struct *mm, unsigned long start,
			    unsigned long end, bool write)
{
	while (start < end) {
		struct vm_area_struct *vma = vma_lookup(mm, start);
		unsigned long next;
		int error;

		if (!vma)
			return -ENOMEM;
		if (vma->vm_flags & (VM_IO | VM_PFNMAP))
			return -EINVAL;
		if (!(vma->vm_flags & (write ? VM_WRITE : VM_READ)))
			return -EINVAL;
		next = vma->vm_end < end ? vma->vm_end : end;
		if (write && !(vma->vm_flags & VM_SHARED) && !vma->anon_vma) {
			error = vma_touch(mm, start, next);
			if (error)
				return error == -EFAULT ? -ENOMEM : error;
		}
		start = next;
	}
	return 0;
}

/**
 * do_madvise - madvise(2) on an mm, as Linux 6.18.
 * @mm: the mm (write-locked)
 * @start: first address; must be page aligned
 * @len: length, rounded up to whole pages
 * @behavior: MADV_* value (madvise.h)
 *
 * The advice that changes vm_flags (NORMAL, SEQUENTIAL, RANDOM, DONTFORK,
 * DOFORK, WIPEONFORK, KEEPONFORK, DONTDUMP, DODUMP, MERGEABLE,
 * UNMERGEABLE, HUGEPAGE, NOHUGEPAGE) merges or splits through
 * vma_modify_flags(); the other valid advice leaves the layout alone.
 * Unmapped parts of the range do not stop the advice: every mapped part
 * is advised and then -ENOMEM is returned.  An error on one VMA stops
 * there, keeping what was done before it.
 *
 * Context: mmap_lock held for writing (Linux takes it for reading for the
 * page advice; the outcome is the same).
 * Return: 0; -EINVAL (invalid advice, unaligned @start, @len wrapping,
 * or refused by a VMA); -ENOMEM (unmapped parts); -EPERM (discarding
 * advice on sealed read-only anonymous memory); -EACCES (MADV_REMOVE on
 * a mapping that is not shared-writable); -EAGAIN (out of memory while
 * splitting or merging).
 */
int do_madvise(struct mm_struct *mm, unsigned long start, unsigned long len,
	       int behavior)
{
	struct madvise_behavior madv = {
		.mm = mm,
		.behavior = behavior,
	};
	unsigned long len_aligned;

	mmap_assert_write_locked(mm);
	if (!madvise_behavior_valid(behavior))
		return -EINVAL;
	if (!PAGE_ALIGNED(start))
		return -EINVAL;
	len_aligned = PAGE_ALIGN(len);
	/* A "negative" length rounds up to 0. */
	if (len && !len_aligned)
		return -EINVAL;
	if (start + len_aligned < start)
		return -EINVAL;
	if (!len_aligned)
		return 0;

	if (behavior == MADV_POPULATE_READ || behavior == MADV_POPULATE_WRITE)
		return madvise_populate(mm, start, start + len_aligned,
					behavior == MADV_POPULATE_WRITE);
	return madvise_walk_vmas(&madv, start, start + len_aligned);
}
