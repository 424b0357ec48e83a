/* SPDX-License-Identifier: MIT */
/*
 * munmap.c - removing ranges of an address space, as Linux 6.18's
 * do_vmi_munmap()/do_vmi_align_munmap() do; also the gathering step that
 * mmap over existing mappings uses.
 *
 * DOC: The side tree
 *
 * Unmapping [start, end) happens in three steps:
 *  1. gather: split the VMAs at start and end if they stick out, then move
 *     every VMA of the range into a side maple tree keyed by a running
 *     count (0, 1, 2, ...), adding up their pages for the counters.  The
 *     VMAs stay in the main tree: nothing is visible yet, and a failure
 *     can put everything back (splits already made stay, as in Linux);
 *  2. clear: one NULL store over [start, end) in the main tree;
 *  3. complete: subtract the counters, free the gathered VMAs, destroy the
 *     side tree.
 * Keyed by count, the first VMA lands at index 0, which a maple tree keeps
 * in its root pointer: unmapping a single VMA allocates no side-tree node.
 * mmap_region() stops after step 1 and lets its new VMA overwrite the
 * range instead of step 2, so a failed MAP_FIXED leaves the old mappings.
 */
#include "vma_internal.h"

void init_vma_munmap(struct vma_munmap_struct *vms, struct vma_iterator *vmi,
		     struct vm_area_struct *vma, unsigned long start,
		     unsigned long end)
{
	memset(vms, 0, sizeof(*vms));
	vms->vmi = vmi;
	vms->vma = vma;
	vms->start = start;
	vms->end = end;
	mt_init_flags(&vms->mt_detach, MT_FLAGS_LOCK_EXTERN);
	vms->mas_detach = (struct ma_state)MA_STATE_INIT(&vms->mt_detach, 0, 0);
}

/*
 * Put the VMAs of a failed gather back: they never left the main tree, so
 * only the side tree goes.
 */
void vms_abort_munmap_vmas(struct vma_munmap_struct *vms)
{
	__mt_destroy(&vms->mt_detach);
}

/**
 * vms_gather_munmap_vmas - step 1: split at the edges and collect the
 * VMAs of [vms->start, vms->end) into the side tree.
 * @vms: the munmap state, from init_vma_munmap() with vms->vma the first
 *	VMA overlapping the range
 *
 * Context: mmap_lock held for writing.
 * Return: 0; -ENOMEM (map_count limit, allocation) or -EPERM (sealed), with
 * the side tree emptied.
 */
int vms_gather_munmap_vmas(struct vma_munmap_struct *vms)
{
	struct mm_struct *mm = vms->vma->vm_mm;
	struct vm_area_struct *vma = vms->vma, *next;
	VMA_ITERATOR(vmi, mm, vms->start);
	int error;

	if (vms->start > vma->vm_start) {
		/* A hole in the middle needs two splits: check the limit. */
		if (vms->end < vma->vm_end && mm->map_count >= mm->limits.max_map_count)
			return -ENOMEM;
		if (vma_is_sealed(vma))
			return -EPERM;
		error = __split_vma(&vmi, vma, vms->start, 1);
		if (error)
			return error;
	}

	vma_iter_set(&vmi, vms->start);
	vms->prev = vma_prev(&vmi);
	vma_iter_set(&vmi, vms->start);
	for_each_vma_range(vmi, next, vms->end) {
		unsigned long nrpages;

		if (vma_is_sealed(next)) {
			error = -EPERM;
			goto fail;
		}
		if (next->vm_end > vms->end) {
			error = __split_vma(&vmi, next, vms->end, 0);
			if (error)
				goto fail;
		}
		mas_set(&vms->mas_detach, vms->vma_count++);
		error = mas_store_gfp(&vms->mas_detach, next, GFP_KERNEL);
		if (error)
			goto fail;
		nrpages = vma_pages(next);
		vms->nr_pages += nrpages;
		if (next->vm_flags & VM_LOCKED)
			vms->locked_vm += nrpages;
		if (next->vm_flags & VM_ACCOUNT)
			vms->nr_accounted += nrpages;
		if (is_exec_mapping(next->vm_flags))
			vms->exec_vm += nrpages;
		else if (is_stack_mapping(next->vm_flags))
			vms->stack_vm += nrpages;
		else if (is_data_mapping(next->vm_flags))
			vms->data_vm += nrpages;
		/* Continue after the (possibly shortened) VMA. */
		vma_iter_set(&vmi, next->vm_end);
	}
	vma_iter_set(&vmi, vms->end);
	vms->next = vma_find(&vmi, ULONG_MAX);
	/* The tree changed under the caller's iterator (splits): reset it, as
	 * Linux's gather does, before the range is cleared through it. */
	vma_iter_set(vms->vmi, vms->start);
	return 0;

fail:
	/* Linux keeps the splits made so far; their pieces stay unmerged. */
	if (vms->prev && vms->prev->vm_end == vms->start) {
		struct vm_area_struct *piece = find_vma(mm, vms->start);

		vms->prev->merge_exempt = true;
		if (piece)
			piece->merge_exempt = true;
	}
	vms->vma_count = 0;
	vms_abort_munmap_vmas(vms);
	vma_iter_set(vms->vmi, vms->start);
	return error;
}

/**
 * vms_complete_munmap_vmas - step 3: uncharge and free the gathered VMAs.
 * @mm: the mm
 * @vms: the munmap state; its VMAs are no longer in the main tree
 */
void vms_complete_munmap_vmas(struct mm_struct *mm, struct vma_munmap_struct *vms)
{
	struct vm_area_struct *vma;

	mm->map_count -= vms->vma_count;
	mm->locked_vm -= vms->locked_vm;
	mm->total_vm -= vms->nr_pages;
	mm->exec_vm -= vms->exec_vm;
	mm->stack_vm -= vms->stack_vm;
	mm->data_vm -= vms->data_vm;
	mm->committed -= vms->nr_accounted;
	mas_set(&vms->mas_detach, 0);
	mas_for_each(&vms->mas_detach, vma, ULONG_MAX)
		remove_vma(vma);
	__mt_destroy(&vms->mt_detach);
}

/**
 * do_vmi_align_munmap - unmap the page-aligned [start, end) whose first
 * VMA is @vma.
 * @vmi: an iterator of the mm
 * @vma: the first VMA overlapping the range
 * @mm: the mm
 * @start: first address
 * @end: end address (exclusive)
 *
 * Context: mmap_lock held for writing.
 * Return: 0 or -errno (-ENOMEM, -EPERM); on failure the VMAs are all still
 * mapped (edge splits may remain).
 */
int do_vmi_align_munmap(struct vma_iterator *vmi, struct vm_area_struct *vma,
			struct mm_struct *mm, unsigned long start, unsigned long end)
{
	struct vma_munmap_struct vms;
	int error;

	init_vma_munmap(&vms, vmi, vma, start, end);
	error = vms_gather_munmap_vmas(&vms);
	if (error)
		return error;
	error = vma_iter_clear_gfp(vmi, start, end, GFP_KERNEL);
	if (error) {
		vms_abort_munmap_vmas(&vms);
		return error;
	}
	vms_complete_munmap_vmas(mm, &vms);
	return 0;
}

/**
 * do_vmi_munmap - munmap(2): check the range, then unmap it.
 * @vmi: an iterator of the mm
 * @mm: the mm
 * @start: first address (page aligned)
 * @len: length (rounded up to pages)
 *
 * Context: mmap_lock held for writing.
 * Return: 0 (also when nothing was mapped), -EINVAL for a bad range,
 * -ENOMEM, -EPERM.
 */
int do_vmi_munmap(struct vma_iterator *vmi, struct mm_struct *mm,
		  unsigned long start, unsigned long len)
{
	struct vm_area_struct *vma;
	unsigned long end;

	mmap_assert_write_locked(mm);
	if (!PAGE_ALIGNED(start) || start > TASK_SIZE || len > TASK_SIZE - start)
		return -EINVAL;
	end = start + PAGE_ALIGN(len);
	if (end == start)
		return -EINVAL;
	vma_iter_set(vmi, start);
	vma = vma_find(vmi, end);
	if (!vma)
		return 0;
	return do_vmi_align_munmap(vmi, vma, mm, start, end);
}

/**
 * do_munmap - munmap(2) on an mm.
 * @mm: the mm (write-locked)
 * @start: first address
 * @len: length
 * Return: as do_vmi_munmap().
 */
int do_munmap(struct mm_struct *mm, unsigned long start, unsigned long len)
{
	VMA_ITERATOR(vmi, mm, start);

	return do_vmi_munmap(&vmi, mm, start, len);
}
