/* SPDX-License-Identifier: MIT */
/*
 * mprotect.c - mprotect(2) and pkey_mprotect(2), as Linux 6.18's
 * do_mprotect_pkey() and mprotect_fixup(): per VMA of the range, compute
 * the new flags, adjust VM_ACCOUNT, then merge or split (vma_modify_flags).
 *
 * DOC: VM_ACCOUNT across mprotect
 *
 * Making a private mapping writable that is not yet charged (none of
 * VM_ACCOUNT, VM_WRITE, VM_HUGETLB, VM_SHARED, VM_NORESERVE) charges it and
 * adds VM_ACCOUNT.  Making an anonymous VMA that was never written to (no
 * anon_vma) unwritable drops VM_ACCOUNT again; a faulted one keeps it.
 * Because VM_ACCOUNT is a flag, it decides merges: a faulted rw mapping
 * made r-- does not merge with a fresh r-- neighbour.
 */
#include "vma_internal.h"

static int mprotect_fixup(struct vma_iterator *vmi, struct vm_area_struct *vma,
			  struct vm_area_struct **pprev, unsigned long start,
			  unsigned long end, vm_flags_t newflags)
{
	struct mm_struct *mm = vma->vm_mm;
	vm_flags_t oldflags = vma->vm_flags;
	long nrpages = (end - start) >> PAGE_SHIFT;
	unsigned long charged = 0;

	if (vma_is_sealed(vma))
		return -EPERM;
	if (newflags == oldflags) {
		*pprev = vma;
		return 0;
	}
	if (newflags & VM_WRITE) {
		if (!may_expand_vm(mm, newflags, nrpages) &&
		    may_expand_vm(mm, oldflags, nrpages))
			return -ENOMEM;
		if (!(oldflags & (VM_ACCOUNT | VM_WRITE | VM_HUGETLB | VM_SHARED |
				  VM_NORESERVE))) {
			charged = nrpages;
			newflags |= VM_ACCOUNT;
		}
	} else if ((oldflags & VM_ACCOUNT) && vma_is_anonymous(vma) && !vma->anon_vma) {
		newflags &= ~VM_ACCOUNT;
	}

	vma = vma_modify_flags(vmi, *pprev, vma, start, end, newflags);
	if (IS_ERR_VMA(vma))
		return PTR_ERR_VMA(vma);
	*pprev = vma;
	vma->vm_flags = newflags;
	mm->committed += charged;
	if ((oldflags & VM_ACCOUNT) && !(newflags & VM_ACCOUNT))
		mm->committed -= nrpages;
	vm_stat_account(mm, oldflags, -nrpages);
	vm_stat_account(mm, newflags, nrpages);
	return 0;
}

/**
 * do_mprotect_pkey - mprotect(2) / pkey_mprotect(2).
 * @mm: the mm (write-locked)
 * @start: first address (page aligned)
 * @len: length (rounded up to pages)
 * @prot: PROT_* bits, possibly with PROT_GROWSDOWN
 * @pkey: protection key, or -1 for mprotect(2); only key 0 is allocated,
 *	and only with limits.pkeys
 *
 * Changes made to earlier VMAs stay when a later one fails, as in Linux.
 * Return: 0, -EINVAL, -ENOMEM (unmapped hole or limits), -EACCES, -EPERM.
 */
int do_mprotect_pkey(struct mm_struct *mm, unsigned long start,
		     unsigned long len, unsigned long prot, int pkey)
{
	unsigned long grows = prot & (PROT_GROWSDOWN | PROT_GROWSUP);
	unsigned long end, nstart, tmp;
	struct vm_area_struct *vma, *prev;
	VMA_ITERATOR(vmi, mm, start);
	int error;

	mmap_assert_write_locked(mm);
	prot &= ~(PROT_GROWSDOWN | PROT_GROWSUP);
	if (grows == (PROT_GROWSDOWN | PROT_GROWSUP))
		return -EINVAL;
	if (!PAGE_ALIGNED(start))
		return -EINVAL;
	if (!len)
		return 0;
	len = PAGE_ALIGN(len);
	end = start + len;
	if (end <= start)
		return -ENOMEM;
	if (prot & ~(PROT_READ | PROT_WRITE | PROT_EXEC | PROT_SEM))
		return -EINVAL;
	/* only key 0 exists, and only on a CPU with protection keys */
	if (pkey != -1 && (pkey != 0 || !mm->limits.pkeys))
		return -EINVAL;

	vma = vma_find(&vmi, end);
	if (!vma)
		return -ENOMEM;
	if (grows & PROT_GROWSDOWN) {
		if (vma->vm_start >= end)
			return -ENOMEM;
		start = vma->vm_start;
		if (!(vma->vm_flags & VM_GROWSDOWN))
			return -EINVAL;
	} else if (vma->vm_start > start) {
		return -ENOMEM;
	} else if (grows & PROT_GROWSUP) {
		return -EINVAL;
	}
	vma_iter_set(&vmi, vma->vm_start);
	prev = vma_prev(&vmi);
	if (start > vma->vm_start)
		prev = vma;

	nstart = start;
	tmp = vma->vm_start;
	error = 0;
	vma_iter_set(&vmi, start);
	for_each_vma_range(vmi, vma, end) {
		vm_flags_t newflags;

		if (vma->vm_start != tmp) {
			error = -ENOMEM;
			break;
		}
		newflags = calc_vm_prot_bits(prot) | (vma->vm_flags & ~VM_ACCESS_FLAGS);
		/* VM_MAY* shifted onto VM_*: every requested right must be allowed. */
		if ((newflags & ~(newflags >> 4)) & VM_ACCESS_FLAGS) {
			error = -EACCES;
			break;
		}
		tmp = vma->vm_end < end ? vma->vm_end : end;
		error = mprotect_fixup(&vmi, vma, &prev, nstart, tmp, newflags);
		if (error)
			break;
		/* prev is now the VMA covering [nstart, tmp) (vma may be gone). */
		if ((prev->vm_flags & VM_WRITE) && !(prev->vm_flags & VM_SHARED))
			vma_fault_model_write(mm, nstart, tmp);
		tmp = prev->vm_end < end ? prev->vm_end : end;
		nstart = tmp;
		vma_iter_set(&vmi, tmp);
	}
	if (!error && tmp < end)
		error = -ENOMEM;
	return error;
}
