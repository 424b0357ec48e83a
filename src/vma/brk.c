/* SPDX-License-Identifier: MIT */
/*
 * brk.c - brk(2), as Linux 6.18: grow the heap by expanding the VMA that
 * ends at the old break (do_brk_flags in just_expand mode: never merging
 * with the next VMA), or by a new anonymous VMA; shrink with a munmap of
 * [new break, old break).  The call never fails with an errno: it returns
 * the new break, or the old one if it could not move.
 */
#include "madvise.h"
#include "vma_internal.h"

static int do_brk_flags(struct vma_iterator *vmi, struct vm_area_struct *vma,
			unsigned long addr, unsigned long len)
{
	struct mm_struct *mm = vmi_mm(vmi);
	vm_flags_t vm_flags;

	vm_flags = VM_DATA_DEFAULT_FLAGS | VM_ACCOUNT | mm->def_flags;
	if (!may_expand_vm(mm, vm_flags, len >> PAGE_SHIFT))
		return -ENOMEM;
	if (mm->map_count > mm->limits.max_map_count)
		return -ENOMEM;

	if (vma && vma->vm_end == addr) {
		struct vma_merge_struct vmg = {
			.mm = mm, .vmi = vmi, .prev = vma,
			.start = addr, .end = addr + len, .pgoff = addr >> PAGE_SHIFT,
			.vm_flags = vm_flags, .just_expand = true,
		};

		if (vma_merge_new_range(&vmg))
			goto out;
		if (vmg.nomem)
			return -ENOMEM;
	}
	vma = vm_area_alloc(mm);
	if (!vma)
		return -ENOMEM;
	vma->vm_start = addr;
	vma->vm_end = addr + len;
	vma->vm_pgoff = addr >> PAGE_SHIFT;
	vma->vm_flags = vm_flags;
	/* Linux stores a new brk VMA without trying to merge it. */
	vma->merge_exempt = true;
	if (vma_iter_store_gfp(vmi, vma, GFP_KERNEL)) {
		vm_area_free(vma);
		return -ENOMEM;
	}
	mm->map_count++;
out:
	mm->total_vm += len >> PAGE_SHIFT;
	mm->data_vm += len >> PAGE_SHIFT;
	mm->committed += len >> PAGE_SHIFT;
	if (vm_flags & VM_LOCKED)
		mm->locked_vm += len >> PAGE_SHIFT;
	return 0;
}

/**
 * do_brk_syscall - brk(2).
 * @mm: the mm (write-locked)
 * @brk: the requested break (0 asks for the current one)
 *
 * Return: the new break, or the unchanged old one on any failure.
 */
unsigned long do_brk_syscall(struct mm_struct *mm, unsigned long brk)
{
	unsigned long newbrk, oldbrk, origbrk = mm->brk;
	struct vm_area_struct *brkvma, *next;
	VMA_ITERATOR(vmi, mm, 0);

	mmap_assert_write_locked(mm);
	if (brk < mm->start_brk)
		goto out;
	if (mm->limits.rlimit_data != RLIM_INFINITY &&
	    (brk - mm->start_brk) + (mm->end_data - mm->start_data) >
		    mm->limits.rlimit_data)
		goto out;

	newbrk = PAGE_ALIGN(brk);
	oldbrk = PAGE_ALIGN(mm->brk);
	if (oldbrk == newbrk) {
		mm->brk = brk;
		return brk;
	}

	if (brk <= mm->brk) {
		/* Shrink: the range must start inside a brk VMA. */
		vma_iter_set(&vmi, newbrk);
		brkvma = vma_find(&vmi, oldbrk);
		if (!brkvma || brkvma->vm_start >= oldbrk)
			goto out;
		mm->brk = brk;
		if (do_vmi_align_munmap(&vmi, brkvma, mm, newbrk, oldbrk))
			goto out;
		return brk;
	}

	/* Grow: the area must be mappable (MAP_FIXED checks)... */
	if (newbrk - oldbrk > TASK_SIZE || oldbrk > TASK_SIZE - (newbrk - oldbrk))
		goto out;
	/* ...and stay clear of the next VMA's guard gap. */
	vma_iter_set(&vmi, oldbrk);
	next = vma_find(&vmi, newbrk + PAGE_SIZE + mm->limits.stack_guard_gap);
	if (next && newbrk + PAGE_SIZE > vm_start_gap(next))
		goto out;
	vma_iter_set(&vmi, oldbrk);
	brkvma = vma_prev(&vmi);
	if (brkvma && brkvma->vm_start < mm->start_brk)
		brkvma = NULL;
	if (do_brk_flags(&vmi, brkvma, oldbrk, newbrk - oldbrk) < 0)
		goto out;
	mm->brk = brk;
	if (mm->def_flags & VM_LOCKED)
		mm_populate(mm, oldbrk, newbrk - oldbrk);
	vma_fault_model_write(mm, oldbrk, newbrk);
	return brk;
out:
	mm->brk = origbrk;
	return origbrk;
}
