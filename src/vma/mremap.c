/* SPDX-License-Identifier: MIT */
/*
 * mremap.c - mremap(2) as Linux 6.18 does it (mm/mremap.c): shrinking in
 * place, growing in place (and swallowing a compatible next VMA), moving
 * with MREMAP_MAYMOVE, MREMAP_FIXED and MREMAP_DONTUNMAP, the 6.17+ move
 * of several VMAs in one call, and copy_vma(), which places the moved
 * range at its destination (merging it there when it can).
 *
 * DOC: How a call is dispatched
 *
 * After the argument checks (check_mremap_params()), a call is one of:
 *
 *  - a pure move (MREMAP_FIXED, old_len == new_len): remap_move() walks
 *    every VMA of [addr, addr + old_len) and moves each one by itself,
 *    keeping the gaps between them; a hole at the very start is -EFAULT;
 *  - a call with a new address (MREMAP_FIXED or MREMAP_DONTUNMAP):
 *    mremap_to() unmaps the destination (FIXED), shrinks the source first
 *    if asked to, then moves;
 *  - anything else, mremap_at(): same size does nothing; shrinking unmaps
 *    the tail, which may cross VMAs and holes; growing extends the VMA in
 *    place when [addr, addr + old_len) ends at its end and the room after
 *    it is free, and moves it otherwise (MREMAP_MAYMOVE, else -ENOMEM).
 *
 * A move (move_vma()) copies the VMA to the destination (copy_vma()), then
 * unmaps the source range, or with MREMAP_DONTUNMAP keeps it but clears
 * VM_LOCKED/VM_LOCKONFAULT on it.  The copy gets the source's page offset,
 * except that an anonymous VMA that was never written to (no anon_vma)
 * gets new_addr >> PAGE_SHIFT, so that it can merge with fresh anonymous
 * neighbours at the destination; a written one keeps its old offset and so
 * normally never merges there.
 *
 * DOC: Accounting across a move
 *
 * The page counters (total_vm, data_vm, exec_vm, stack_vm, locked_vm) and
 * mm->committed, the pages charged for VM_ACCOUNT VMAs, always equal their
 * sums over the VMAs afterwards:
 *
 *  - growing charges the extra pages; a plain move charges nothing;
 *    MREMAP_DONTUNMAP charges the whole new length, the source keeping its
 *    own charge (and its VM_ACCOUNT, as Linux 6.18.44 does: smaps still
 *    shows "ac" on it);
 *  - unmapping the source must not uncharge pages the copy now holds, so
 *    VM_ACCOUNT is taken off the source VMA for the munmap and put back on
 *    the pieces that stay.  Those pieces are looked up again by address:
 *    the munmap may have freed the VMA structure that was the source.
 *
 * Where Linux 6.18's own counters drift, the model keeps the sums instead
 * (each seen on the live kernel): MREMAP_FIXED that shrinks and moves
 * charges old_len - new_len pages to Committed_AS that nothing ever
 * uncharges, and MREMAP_DONTUNMAP of a VM_LOCKED VMA leaves VmLck counting
 * the source pages it unlocked.
 */
#include "madvise.h"
#include "vma_internal.h"
#include "mremap.h"

enum remap_type {
	REMAP_NO_RESIZE,	/* old_len == new_len */
	REMAP_SHRINK,		/* old_len > new_len */
	REMAP_EXPAND,		/* old_len < new_len */
};

/*
 * struct vma_remap - one mremap() operation (Linux's vma_remap_struct).
 * @mm: the address space
 * @addr, @old_len, @new_len, @flags, @new_addr: the arguments, lengths
 *	page aligned; updated as the operation goes (a shrink before a move
 *	sets @old_len to @new_len; remap_move() sets them per VMA)
 * @vma: the VMA at @addr, or NULL once an unmap may have freed it
 * @delta: |old_len - new_len| as first computed
 * @type: shrink, expand or neither
 * @charged: pages added to mm->committed for this step
 */
struct vma_remap {
	struct mm_struct *mm;
	unsigned long addr;
	unsigned long old_len;
	unsigned long new_len;
	unsigned long flags;
	unsigned long new_addr;
	struct vm_area_struct *vma;
	unsigned long delta;
	enum remap_type type;
	unsigned long charged;
};

static inline unsigned long remap_err(int err)
{
	return (unsigned long)(long)err;
}

/* Does the call name a destination (so it always moves)? */
static bool remap_implies_new_addr(const struct vma_remap *vrm)
{
	return vrm->flags & (MREMAP_FIXED | MREMAP_DONTUNMAP);
}

static bool remap_overlaps(const struct vma_remap *vrm)
{
	unsigned long old_end = vrm->addr + vrm->old_len;
	unsigned long new_end = vrm->new_addr + vrm->new_len;

	return old_end > vrm->new_addr && new_end > vrm->addr;
}

/* map_count + extra must stay below max_map_count - 3 (signed: small max). */
static bool remap_map_count_ok(const struct mm_struct *mm, long extra)
{
	return (long)mm->map_count + extra < (long)mm->limits.max_map_count - 3;
}

/* Linux's mlock_future_ok(): the mlock limit, for a locked VMA growing. */
static bool mlock_future_ok(const struct mm_struct *mm, vm_flags_t flags,
			    unsigned long bytes)
{
	unsigned long limit = mm->limits.rlimit_memlock;

	if (!(flags & VM_LOCKED) || limit == RLIM_INFINITY)
		return true;
	return (bytes >> PAGE_SHIFT) + mm->locked_vm <= limit >> PAGE_SHIFT;
}

/*
 * check_mremap_params - the checks on the arguments alone, in Linux's
 * order.  The new address is looked at only when the call names one
 * (FIXED or DONTUNMAP): without them Linux 6.18.44 ignores it, even out of
 * range.
 */
static int check_mremap_params(const struct vma_remap *vrm)
{
	if (vrm->flags & ~(MREMAP_FIXED | MREMAP_MAYMOVE | MREMAP_DONTUNMAP))
		return -EINVAL;
	if (!PAGE_ALIGNED(vrm->addr))
		return -EINVAL;
	/* A zero old_len is allowed (duplicating a shared mapping). */
	if (!vrm->new_len || vrm->new_len > TASK_SIZE)
		return -EINVAL;
	if (!remap_implies_new_addr(vrm))
		return 0;
	if (vrm->new_addr > TASK_SIZE - vrm->new_len)
		return -EINVAL;
	if (!PAGE_ALIGNED(vrm->new_addr))
		return -EINVAL;
	if (!(vrm->flags & MREMAP_MAYMOVE))
		return -EINVAL;
	if ((vrm->flags & MREMAP_DONTUNMAP) && vrm->old_len != vrm->new_len)
		return -EINVAL;
	if (remap_overlaps(vrm))
		return -EINVAL;
	/* Both unmaps (destination, source) may split a VMA in three. */
	if (!remap_map_count_ok(vrm->mm, 2))
		return -ENOMEM;
	return 0;
}

/*
 * check_prep_vma - the checks against the VMA at vrm->addr; also sets
 * vrm->delta and vrm->type.
 */
static int check_prep_vma(struct vma_remap *vrm)
{
	struct vm_area_struct *vma = vrm->vma;
	struct mm_struct *mm = vrm->mm;
	unsigned long old_len, new_len, pgoff;

	if (!vma)
		return -EFAULT;
	if (vma_is_sealed(vma))
		return -EPERM;

	if (vrm->old_len > vrm->new_len) {
		vrm->delta = vrm->old_len - vrm->new_len;
		vrm->type = REMAP_SHRINK;
	} else {
		vrm->delta = vrm->new_len - vrm->old_len;
		vrm->type = vrm->delta ? REMAP_EXPAND : REMAP_NO_RESIZE;
	}
	if (!remap_implies_new_addr(vrm))
		vrm->new_addr = vrm->addr;

	/* The rest only matters when new address space gets mapped. */
	if (vrm->type != REMAP_EXPAND && !remap_implies_new_addr(vrm))
		return 0;

	old_len = vrm->old_len;
	new_len = vrm->new_len;
	/* Duplicating a private mapping (old_len 0) makes no sense. */
	if (!old_len && !(vma->vm_flags & (VM_SHARED | VM_MAYSHARE)))
		return -EINVAL;
	if ((vrm->flags & MREMAP_DONTUNMAP) &&
	    (vma->vm_flags & (VM_DONTEXPAND | VM_PFNMAP)))
		return -EINVAL;
	/* A shrink may cross VMA ends: only what stays must be in this VMA. */
	if (vrm->type == REMAP_SHRINK)
		old_len = new_len;
	if (old_len > vma->vm_end - vrm->addr)
		return -EFAULT;
	if (new_len == old_len)
		return 0;

	/* Growing. */
	pgoff = vma->vm_pgoff + ((vrm->addr - vma->vm_start) >> PAGE_SHIFT);
	if (pgoff + (new_len >> PAGE_SHIFT) < pgoff)
		return -EINVAL;
	if (vma->vm_flags & (VM_DONTEXPAND | VM_PFNMAP))
		return -EFAULT;
	if (!mlock_future_ok(mm, vma->vm_flags, vrm->delta))
		return -EAGAIN;
	if (!may_expand_vm(mm, vma->vm_flags, vrm->delta >> PAGE_SHIFT))
		return -ENOMEM;
	return 0;
}

/* Charge @pages to mm->committed if the VMA being remapped is accounted. */
static void remap_charge(struct vma_remap *vrm, unsigned long pages)
{
	vrm->charged = 0;
	if (!(vrm->vma->vm_flags & VM_ACCOUNT))
		return;
	vrm->mm->committed += pages;
	vrm->charged = pages;
}

static void remap_uncharge(struct vma_remap *vrm)
{
	vrm->mm->committed -= vrm->charged;
	vrm->charged = 0;
}

/* Count @pages more of the remapped VMA's kind in the page counters. */
static void remap_stat_account(struct vma_remap *vrm, unsigned long pages)
{
	struct vm_area_struct *vma = vrm->vma;

	vm_stat_account(vrm->mm, vma->vm_flags, (long)pages);
	if (vma->vm_flags & VM_LOCKED)
		vrm->mm->locked_vm += pages;
}

/*
 * remap_set_new_addr - choose the destination: new_addr itself with
 * MREMAP_FIXED, new_addr as a hint with MREMAP_DONTUNMAP alone, else any
 * free range, as mmap() would choose it for the same file and offset.
 */
static int remap_set_new_addr(struct vma_remap *vrm)
{
	struct vm_area_struct *vma = vrm->vma;
	unsigned long pgoff = vma->vm_pgoff + ((vrm->addr - vma->vm_start) >> PAGE_SHIFT);
	unsigned long hint = remap_implies_new_addr(vrm) ? vrm->new_addr : 0;
	unsigned long map_flags = 0, res;

	if (vrm->flags & MREMAP_FIXED)
		map_flags |= MAP_FIXED;
	if (vma->vm_flags & VM_MAYSHARE)
		map_flags |= MAP_SHARED;
	res = get_unmapped_area(vrm->mm, vma->vm_file, hint, vrm->new_len, pgoff,
				map_flags, vma->vm_flags);
	if (IS_ERR_VALUE(res))
		return (int)(long)res;
	vrm->new_addr = res;
	return 0;
}

/*
 * copy_vma - make [vrm->new_addr, + new_len) a copy of the source range
 * [vrm->addr, ...) of *@vmap: merge it with the VMAs around the
 * destination if they are compatible, else insert a new VMA.
 * @vrm: the operation; the destination is free
 * @vmap: the source VMA; replaced by the merged VMA if the copy merged
 *	into the source itself (an unfaulted VMA moved next to itself)
 *
 * Return: the VMA now covering the destination, or NULL without memory.
 */
static struct vm_area_struct *copy_vma(struct vma_remap *vrm,
				       struct vm_area_struct **vmap)
{
	struct vm_area_struct *vma = *vmap, *new_vma, *prev, *next;
	struct mm_struct *mm = vrm->mm;
	unsigned long addr = vrm->new_addr, end = addr + vrm->new_len;
	unsigned long vma_start = vma->vm_start;
	unsigned long pgoff = vma->vm_pgoff + ((vrm->addr - vma->vm_start) >> PAGE_SHIFT);
	VMA_ITERATOR(vmi, mm, addr);
	struct vma_merge_struct vmg;

	/* Never written: take the offset a fresh mapping there would get. */
	if (vma_is_anonymous(vma) && !vma->anon_vma)
		pgoff = addr >> PAGE_SHIFT;

	next = find_vma_prev(mm, addr, &prev);
	if (next && next->vm_start < end)
		return NULL;	/* the caller made room: cannot happen */

	vmg = (struct vma_merge_struct){
		.mm = mm,
		.vmi = &vmi,
		.prev = prev,
		.next = next,
		.start = addr,
		.end = end,
		.pgoff = pgoff,
		.vm_flags = vma->vm_flags,
		.file = vma->vm_file,
		.anon_vma = vma->anon_vma,
		.anon_name = vma->anon_name,
		.copied_from = vma,
	};
	vma_iter_set(&vmi, addr);
	new_vma = vma_merge_new_range(&vmg);
	if (new_vma) {
		/* The source itself may have been the VMA that grew. */
		if (vma_start >= new_vma->vm_start && vma_start < new_vma->vm_end)
			*vmap = new_vma;
		return new_vma;
	}

	/* No merge (or no memory for one, which Linux does not report). */
	new_vma = vm_area_dup(vma);
	if (!new_vma)
		return NULL;
	new_vma->vm_start = addr;
	new_vma->vm_end = end;
	new_vma->vm_pgoff = pgoff;
	vma_iter_config(&vmi, addr, end);
	if (vma_iter_prealloc(&vmi, new_vma)) {
		remove_vma(new_vma);
		return NULL;
	}
	vma_iter_store_new(&vmi, new_vma);
	mm->map_count++;
	return new_vma;
}

/* The checks before a VMA is moved (Linux's prep_move_vma). */
static int prep_move_vma(struct vma_remap *vrm)
{
	struct vm_area_struct *vma = vrm->vma;

	/* The copy and the source unmap may add two VMAs. */
	if (!remap_map_count_ok(vrm->mm, 0))
		return -ENOMEM;
	/* Special mappings cannot be split (their may_split hook). */
	if (vma->vm_special &&
	    (vma->vm_start != vrm->addr || vma->vm_end != vrm->addr + vrm->old_len))
		return -EINVAL;
	return 0;
}

/*
 * unmap_source_vma - unmap the source range once its copy is in place,
 * without uncharging the pages the copy now holds.
 */
static void unmap_source_vma(struct vma_remap *vrm)
{
	struct mm_struct *mm = vrm->mm;
	struct vm_area_struct *vma = vrm->vma, *piece;
	unsigned long addr = vrm->addr, end = addr + vrm->old_len;
	unsigned long vm_start = vma->vm_start, vm_end = vma->vm_end;
	bool accountable = vma->vm_flags & VM_ACCOUNT;
	int err;

	if (!vrm->old_len)
		return;		/* a duplicated shared mapping: nothing moved */
	if (accountable)
		vma->vm_flags &= ~VM_ACCOUNT;
	err = do_munmap(mm, addr, vrm->old_len);
	vrm->vma = NULL;	/* may have been freed */
	if (!accountable)
		return;

	if (err) {
		/*
		 * Out of memory splitting: the source stays mapped (perhaps
		 * split).  Linux then charges its pages again; the model also
		 * gives its pieces back their flag so the sums stay right.
		 */
		VMA_ITERATOR(vmi, mm, vm_start);

		for_each_vma_range(vmi, piece, vm_end)
			piece->vm_flags |= VM_ACCOUNT;
		mm->committed += vrm->old_len >> PAGE_SHIFT;
		return;
	}
	if (vm_start < addr) {
		piece = vma_lookup(mm, addr - 1);
		if (piece)
			piece->vm_flags |= VM_ACCOUNT;
	}
	if (vm_end > end) {
		piece = vma_lookup(mm, end);
		if (piece)
			piece->vm_flags |= VM_ACCOUNT;
	}
}

/*
 * dontunmap_complete - MREMAP_DONTUNMAP keeps the source VMA: it can no
 * longer be locked (its pages went), and if all of it moved its anon_vma
 * is dropped.  Linux 6.18.44 keeps VM_ACCOUNT on it, and changes its
 * flags in place, without a merge, even when that makes it mergeable.
 */
static void dontunmap_complete(struct vma_remap *vrm, struct vm_area_struct *new_vma)
{
	struct vm_area_struct *vma = vrm->vma;

	/* Linux leaves these pages in locked_vm; the model keeps the sum. */
	if (vma->vm_flags & VM_LOCKED)
		vrm->mm->locked_vm -= vma_pages(vma);
	vma->vm_flags &= ~VM_LOCKED_MASK;
	if (new_vma != vma && vrm->addr == vma->vm_start &&
	    vrm->addr + vrm->old_len == vma->vm_end && vma->anon_vma)
		vma_unlink_anon_vma(vma);
	/* changed in place: Linux does not try to merge it with neighbours */
	vma->merge_exempt = true;
}

/*
 * move_vma - move [vrm->addr, + old_len) of vrm->vma to vrm->new_addr,
 * growing it to new_len.
 */
static unsigned long move_vma(struct vma_remap *vrm)
{
	struct vm_area_struct *vma = vrm->vma, *new_vma;
	unsigned long pages;
	int err;

	err = prep_move_vma(vrm);
	if (err)
		return remap_err(err);

	/*
	 * Linux charges vrm->delta here, which after a MREMAP_FIXED shrink
	 * is the part already unmapped (and uncharged): a leak.  Charge
	 * only what the move adds.
	 */
	if (vrm->flags & MREMAP_DONTUNMAP)
		pages = vrm->new_len >> PAGE_SHIFT;
	else if (vrm->new_len > vrm->old_len)
		pages = (vrm->new_len - vrm->old_len) >> PAGE_SHIFT;
	else
		pages = 0;
	remap_charge(vrm, pages);

	new_vma = copy_vma(vrm, &vma);
	if (!new_vma) {
		remap_uncharge(vrm);
		return remap_err(-ENOMEM);
	}
	vrm->vma = vma;

	remap_stat_account(vrm, vrm->new_len >> PAGE_SHIFT);
	if (vrm->flags & MREMAP_DONTUNMAP)
		dontunmap_complete(vrm, new_vma);
	else
		unmap_source_vma(vrm);
	return vrm->new_addr;
}

/*
 * shrink_vma - unmap [addr + new_len, addr + old_len), which may cross
 * VMAs and holes; with @relookup, find the VMA at addr again.
 */
static int shrink_vma(struct vma_remap *vrm, bool relookup)
{
	int err;

	err = do_munmap(vrm->mm, vrm->addr + vrm->new_len, vrm->old_len - vrm->new_len);
	vrm->vma = NULL;
	if (err)
		return err;
	if (relookup) {
		vrm->vma = vma_lookup(vrm->mm, vrm->addr);
		if (!vrm->vma)
			return -EFAULT;
	}
	return 0;
}

/*
 * mremap_to - move to a named address: MREMAP_FIXED (the destination is
 * unmapped first, as MAP_FIXED does) or MREMAP_DONTUNMAP.
 */
static unsigned long mremap_to(struct vma_remap *vrm)
{
	struct mm_struct *mm = vrm->mm;
	int err;

	if (vrm->flags & MREMAP_FIXED) {
		err = do_munmap(mm, vrm->new_addr, vrm->new_len);
		vrm->vma = NULL;
		if (err)
			return remap_err(err);
		/* The unmap may have split (and freed) the source VMA. */
		vrm->vma = vma_lookup(mm, vrm->addr);
		if (!vrm->vma)
			return remap_err(-EFAULT);
	}

	if (vrm->type == REMAP_SHRINK) {
		err = shrink_vma(vrm, true);
		if (err)
			return remap_err(err);
		vrm->old_len = vrm->new_len;
	}

	if ((vrm->flags & MREMAP_DONTUNMAP) &&
	    !may_expand_vm(mm, vrm->vma->vm_flags, vrm->old_len >> PAGE_SHIFT))
		return remap_err(-ENOMEM);

	err = remap_set_new_addr(vrm);
	if (err)
		return remap_err(err);
	return move_vma(vrm);
}

/* May the VMA grow by @delta bytes where it is? */
static bool vma_expandable(struct mm_struct *mm, struct vm_area_struct *vma,
			   unsigned long delta)
{
	unsigned long end = vma->vm_end + delta;
	VMA_ITERATOR(vmi, mm, vma->vm_end);

	if (end < vma->vm_end)
		return false;
	if (vma_find(&vmi, end))
		return false;
	/* The MAP_FIXED checks of get_unmapped_area() (TASK_SIZE). */
	if (get_unmapped_area(mm, NULL, vma->vm_start, end - vma->vm_start, 0,
			      MAP_FIXED, 0) & ~PAGE_MASK)
		return false;
	return true;
}

/*
 * expand_vma_in_place - grow vrm->vma by vrm->delta where it is (Linux's
 * vma_merge_extend(): a new range after the VMA merged into it, which also
 * swallows the next VMA if that one is compatible and now adjacent).
 */
static int expand_vma_in_place(struct vma_remap *vrm)
{
	struct vm_area_struct *vma = vrm->vma, *next;
	struct mm_struct *mm = vrm->mm;
	VMA_ITERATOR(vmi, mm, vma->vm_end);
	struct vma_merge_struct vmg;

	remap_charge(vrm, vrm->delta >> PAGE_SHIFT);
	next = vma_find(&vmi, ULONG_MAX);
	vmg = (struct vma_merge_struct){
		.mm = mm,
		.vmi = &vmi,
		.prev = vma,
		.next = next,
		.start = vma->vm_end,
		.end = vma->vm_end + vrm->delta,
		.pgoff = vma->vm_pgoff + vma_pages(vma),
		.vm_flags = vma->vm_flags,
		.file = vma->vm_file,
		.anon_vma = vma->anon_vma,
		.anon_name = vma->anon_name,
	};
	vma_iter_set(&vmi, vma->vm_end);
	vma = vma_merge_new_range(&vmg);
	if (!vma) {
		remap_uncharge(vrm);
		return -ENOMEM;
	}
	vrm->vma = vma;
	remap_stat_account(vrm, vrm->delta >> PAGE_SHIFT);
	return 0;
}

/* Grow without a named address: in place if possible, else move. */
static unsigned long expand_vma(struct vma_remap *vrm)
{
	struct vm_area_struct *vma = vrm->vma;
	int err;

	if (vma->vm_end - vrm->addr == vrm->old_len &&
	    vma_expandable(vrm->mm, vma, vrm->delta)) {
		err = expand_vma_in_place(vrm);
		return err ? remap_err(err) : vrm->addr;
	}
	if (!(vrm->flags & MREMAP_MAYMOVE))
		return remap_err(-ENOMEM);
	err = remap_set_new_addr(vrm);
	if (err)
		return remap_err(err);
	return move_vma(vrm);
}

/* Resize where it is, moving only to grow (MREMAP_MAYMOVE). */
static unsigned long mremap_at(struct vma_remap *vrm)
{
	int err;

	switch (vrm->type) {
	case REMAP_NO_RESIZE:
		return vrm->addr;
	case REMAP_SHRINK:
		err = shrink_vma(vrm, false);
		return err ? remap_err(err) : vrm->addr;
	case REMAP_EXPAND:
		return expand_vma(vrm);
	}
	return remap_err(-EINVAL);
}

/*
 * remap_move - MREMAP_FIXED with old_len == new_len (6.17+): move every
 * VMA of [addr, addr + old_len), each on its own, splitting the first and
 * last as needed; the gaps between them are kept at the destination.  The
 * range must start with a VMA.  On an error the VMAs already moved stay
 * moved.
 */
static unsigned long remap_move(struct vma_remap *vrm)
{
	unsigned long start = vrm->addr, end = vrm->addr + vrm->old_len;
	unsigned long target = vrm->new_addr, last_end = 0;
	unsigned long res = remap_err(-EFAULT);
	VMA_ITERATOR(vmi, vrm->mm, start);
	struct vm_area_struct *vma;
	bool seen = false;

	for_each_vma_range(vmi, vma, end) {
		unsigned long from = vma->vm_start > start ? vma->vm_start : start;
		unsigned long to = vma->vm_end < end ? vma->vm_end : end;
		unsigned long gap, moved;
		int err;

		if (!seen && start < vma->vm_start)
			return remap_err(-EFAULT);
		gap = seen ? vma->vm_start - last_end : 0;
		last_end = vma->vm_end;

		vrm->vma = vma;
		vrm->addr = from;
		vrm->new_addr = target + gap;
		vrm->old_len = vrm->new_len = to - from;

		err = check_prep_vma(vrm);
		moved = err ? remap_err(err) : mremap_to(vrm);
		if (IS_ERR_VALUE(moved))
			return moved;
		if (!seen)
			res = moved;
		seen = true;
		target = moved + vrm->new_len;
		/* The tree changed under the iterator: walk again from here. */
		vma_iter_set(&vmi, to);
	}
	return res;
}

/* do_mremap() without the population of locked memory that grew. */
static unsigned long __do_mremap(struct mm_struct *mm, unsigned long addr,
				 unsigned long old_len, unsigned long new_len,
				 unsigned long flags, unsigned long new_addr)
{
	struct vma_remap vrm = {
		.mm = mm,
		.addr = addr,
		.old_len = PAGE_ALIGN(old_len),
		.new_len = PAGE_ALIGN(new_len),
		.flags = flags,
		.new_addr = new_addr,
	};
	int err;

	mmap_assert_write_locked(mm);
	err = check_mremap_params(&vrm);
	if (err)
		return remap_err(err);

	if ((flags & MREMAP_FIXED) && vrm.old_len == vrm.new_len)
		return remap_move(&vrm);

	vrm.vma = vma_lookup(mm, addr);
	err = check_prep_vma(&vrm);
	if (err)
		return remap_err(err);
	if (remap_implies_new_addr(&vrm))
		return mremap_to(&vrm);
	return mremap_at(&vrm);
}

/**
 * do_mremap - mremap(2) on an mm, as Linux 6.18.
 * @mm: the mm (write-locked)
 * @addr: the old address (page aligned)
 * @old_len: the old length (rounded up to pages; 0 duplicates a shared
 *	mapping)
 * @new_len: the new length (rounded up to pages)
 * @flags: MREMAP_MAYMOVE, MREMAP_FIXED, MREMAP_DONTUNMAP
 * @new_addr: the destination with MREMAP_FIXED, a hint with
 *	MREMAP_DONTUNMAP alone, ignored otherwise
 *
 * Context: mmap_lock held for writing.
 * Return: the (new) address of the mapping, or -errno: -EINVAL for bad
 * arguments, -EFAULT if nothing is mapped at @addr or the range runs past
 * its VMA (or starts in a hole, for a multi-VMA move), -EPERM for sealed
 * VMAs, -ENOMEM if it cannot grow in place without MREMAP_MAYMOVE, for the
 * map_count limit, RLIMIT_AS/RLIMIT_DATA or lack of memory, -EAGAIN for
 * the mlock limit.
 */
unsigned long do_mremap(struct mm_struct *mm, unsigned long addr,
			unsigned long old_len, unsigned long new_len,
			unsigned long flags, unsigned long new_addr)
{
	struct vm_area_struct *vma = vma_lookup(mm, addr);
	bool locked = vma && (vma->vm_flags & VM_LOCKED);
	unsigned long ret = __do_mremap(mm, addr, old_len, new_len, flags, new_addr);

	/* Linux's populate_expand: the grown part of locked memory faults in. */
	if (!IS_ERR_VALUE(ret) && PAGE_ALIGN(new_len) > PAGE_ALIGN(old_len)) {
		if (locked)
			mm_populate(mm, ret + PAGE_ALIGN(old_len),
				    PAGE_ALIGN(new_len) - PAGE_ALIGN(old_len));
		vma_fault_model_write(mm, ret + PAGE_ALIGN(old_len),
				      ret + PAGE_ALIGN(new_len));
	}
	return ret;
}
