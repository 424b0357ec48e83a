/* SPDX-License-Identifier: MIT */
/*
 * mseal.c - mseal(2) as Linux 6.18's mm/mseal.c: check that the whole
 * range is mapped, then set VM_SEALED on every VMA of it through
 * vma_modify_flags() (so sealing part of a VMA splits it, and sealed
 * neighbours with equal flags merge).
 *
 * DOC: What a seal refuses, and where
 *
 * VM_SEALED is checked by the operations it blocks, not here: munmap and
 * MAP_FIXED over a sealed VMA (munmap.c, -EPERM), mprotect (mprotect.c,
 * -EPERM per VMA: earlier VMAs of the range keep their new protection),
 * mremap, and discarding madvise on sealed read-only anonymous memory
 * (madvise.c).  Flag-only changes are still allowed on sealed VMAs and
 * still split them: mlock, and advice such as MADV_RANDOM (live 6.18).
 * There is no unseal.
 */
#include "vma_internal.h"

/*
 * Linux's range_contains_unmapped(): is any page of [start, end) outside
 * every VMA?
 */
static bool mseal_range_contains_unmapped(struct mm_struct *mm,
					  unsigned long start,
					  unsigned long end)
{
	struct vm_area_struct *vma;
	unsigned long prev_end = start;
	VMA_ITERATOR(vmi, mm, start);

	for_each_vma_range(vmi, vma, end) {
		if (vma->vm_start > prev_end)
			return true;
		prev_end = vma->vm_end;
	}
	return prev_end < end;
}

/*
 * Linux's mseal_apply(): seal each VMA of [start, end), which is known to
 * be fully mapped.  Already sealed VMAs are left alone.
 */
static int mseal_apply(struct mm_struct *mm, unsigned long start,
		       unsigned long end)
{
	struct vm_area_struct *vma, *prev;
	unsigned long curr_start = start;
	VMA_ITERATOR(vmi, mm, start);

	vma = vma_iter_load(&vmi);
	prev = vma_prev(&vmi);
	if (start > vma->vm_start)
		prev = vma;

	vma_iter_set(&vmi, start);
	for_each_vma_range(vmi, vma, end) {
		unsigned long curr_end = vma->vm_end < end ? vma->vm_end : end;

		if (!(vma->vm_flags & VM_SEALED)) {
			vm_flags_t new_flags = vma->vm_flags | VM_SEALED;

			vma = vma_modify_flags(&vmi, prev, vma, curr_start,
					       curr_end, new_flags);
			if (IS_ERR_VMA(vma))
				return PTR_ERR_VMA(vma);
			vma->vm_flags = new_flags;
		}
		prev = vma;
		curr_start = curr_end;
		vma_iter_set(&vmi, curr_end);
	}
	return 0;
}

/**
 * do_mseal - mseal(2): seal [start, start + len).
 * @mm: the mm (write-locked)
 * @start: first address; must be page aligned
 * @len: length, rounded up to whole pages
 * @flags: reserved, must be 0
 *
 * Every VMA of the range gets VM_SEALED, splitting VMAs that stick out of
 * the range (a special mapping cannot be split: -EINVAL) and merging with
 * sealed neighbours.  Nothing is sealed unless the whole range is mapped.
 * Sealing sealed memory again is a no-op.  Sealed VMAs then refuse
 * munmap, mprotect, mremap, MAP_FIXED and discarding madvise with -EPERM.
 *
 * Return: 0 (also for @len 0); -EINVAL (@flags, unaligned @start, @len
 * rounding up to 0, range wrapping, or an unsplittable VMA); -ENOMEM
 * (part of the range unmapped, checked before anything is sealed; or out
 * of memory while splitting).
 */
int do_mseal(struct mm_struct *mm, unsigned long start, unsigned long len,
	     unsigned long flags)
{
	unsigned long len_aligned, end;

	mmap_assert_write_locked(mm);
	if (flags)
		return -EINVAL;
	if (!PAGE_ALIGNED(start))
		return -EINVAL;
	len_aligned = PAGE_ALIGN(len);
	/* A "negative" length rounds up to 0. */
	if (len && !len_aligned)
		return -EINVAL;
	end = start + len_aligned;
	if (end < start)
		return -EINVAL;
	if (end == start)
		return 0;

	if (mseal_range_contains_unmapped(mm, start, end))
		return -ENOMEM;
	return mseal_apply(mm, start, end);
}
