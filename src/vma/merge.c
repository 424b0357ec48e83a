/* SPDX-License-Identifier: MIT */
/*
 * merge.c - merging, expanding and splitting VMAs, as Linux 6.18's
 * mm/vma.c does: vma_merge_new_range() for new ranges (mmap, brk),
 * vma_merge_existing_range() for changes to part of a VMA (mprotect),
 * vma_expand(), __split_vma() and vma_modify_flags().
 *
 * DOC: The merge cases
 *
 * New range [start, end) between prev and next (mmap, brk):
 *
 *   prev   new   next          result
 *   AAAA  ****   BBBB      ->  AAAA****BBBB   both: prev absorbs new+next
 *   AAAA  ****   xxxx      ->  AAAA****       left: prev grows
 *   xxxx  ****   BBBB      ->      ****BBBB   right: next grows down
 *   (brk's just_expand mode only ever grows prev.)
 *
 * Existing range [start, end) inside middle, new flags (mprotect):
 *
 *   prev  middle  next
 *   AAAA  ******  BBBB     both (whole middle): prev absorbs middle+next
 *   AAAA  ***---           left (start == middle start): prev grows to
 *                          end, middle shrinks from the left (or goes)
 *         ---***  BBBB     right (end == middle end): next grows down to
 *                          start, middle shrinks from the right (or goes)
 *         -***-            strictly inside: no merge; the caller splits
 *
 * Compatibility (vmg_can_merge_with()): equal flags (VM_SOFTDIRTY aside),
 * the same open file description, contiguous page offsets (for anonymous
 * memory too), equal names, and anon_vmas that can be shared: both equal,
 * or one missing and the other not inherited across fork with pages.
 * VM_SPECIAL never merges.
 */
#include "vma_internal.h"

static bool vma_fork_child(const struct vm_area_struct *vma)
{
	return vma && vma->anon_vma && vma->anon_vma_forked;
}

static bool names_equal(const char *a, const char *b)
{
	if (!a || !b)
		return a == b;
	return !strcmp(a, b);
}

/**
 * vmg_mergeable_anon - Linux's is_mergeable_anon_vma(): may @tgt and the
 * range (whose VMA is @src, if any, with anon_vma @src_anon) share one
 * anon_vma?
 * @tgt: the VMA that would absorb the range
 * @src: the VMA the range comes from, or NULL for a new range
 * @src_anon: the range's anon_vma
 * @copied_from: for mremap's copy, the VMA the pages come from, or NULL
 * Return: true if compatible.
 */
bool vmg_mergeable_anon(const struct vm_area_struct *tgt,
			const struct vm_area_struct *src,
			const struct anon_vma *src_anon,
			const struct vm_area_struct *copied_from)
{
	if (!tgt->anon_vma && src_anon)
		return !vma_fork_child(src) && !vma_fork_child(copied_from);
	if (tgt->anon_vma && !src_anon)
		return !vma_fork_child(tgt);
	return src_anon == tgt->anon_vma;
}

/* Can the range described by @vmg merge with @tgt on its left
 * (@merge_next false: tgt is prev) or right (tgt is next)? */
static bool vmg_can_merge_with(const struct vma_merge_struct *vmg,
			       const struct vm_area_struct *tgt, bool merge_next)
{
	unsigned long pglen = (vmg->end - vmg->start) >> PAGE_SHIFT;

	if ((tgt->vm_flags ^ vmg->vm_flags) & ~VM_SOFTDIRTY)
		return false;
	if (tgt->vm_file != vmg->file || tgt->vm_special)
		return false;
	if (!names_equal(tgt->anon_name, vmg->anon_name))
		return false;
	if (!vmg_mergeable_anon(tgt, vmg->middle, vmg->anon_vma, vmg->copied_from))
		return false;
	if (merge_next)
		return tgt->vm_pgoff == vmg->pgoff + pglen;
	return tgt->vm_pgoff + vma_pages(tgt) == vmg->pgoff;
}

static bool vmg_can_merge_left(const struct vma_merge_struct *vmg)
{
	return vmg->prev && vmg->prev->vm_end == vmg->start &&
	       vmg_can_merge_with(vmg, vmg->prev, false);
}

static bool vmg_can_merge_right(const struct vma_merge_struct *vmg, bool left)
{
	const struct vm_area_struct *next = vmg->next, *prev = vmg->prev;

	if (!next || vmg->end != next->vm_start || !vmg_can_merge_with(vmg, next, true))
		return false;
	if (!left)
		return true;
	/* prev and next must also be able to share one anon_vma. */
	return !prev->anon_vma || !next->anon_vma || prev->anon_vma == next->anon_vma;
}

/* Give @dst the anon_vma of @src if it has none (Linux's dup_anon_vma). */
static void dup_anon_vma(struct vm_area_struct *dst, const struct vm_area_struct *src)
{
	if (src && src->anon_vma && !dst->anon_vma)
		vma_set_anon_vma(dst, src->anon_vma);
}

/*
 * Make @target cover [vmg->start, vmg->end) at vmg->pgoff, store it over
 * that range (overwriting what it absorbs) and drop the VMAs it swallowed
 * whole (@remove, @remove2; NULL if none).  Returns -ENOMEM with nothing
 * changed if the tree cannot reserve its nodes.
 */
static int commit_merge(struct vma_merge_struct *vmg, struct vm_area_struct *target,
			struct vm_area_struct *remove, struct vm_area_struct *remove2)
{
	struct vma_iterator *vmi = vmg->vmi;

	vma_iter_config(vmi, vmg->start, vmg->end);
	if (vma_iter_prealloc(vmi, target)) {
		vmg->nomem = true;
		return -ENOMEM;
	}
	target->vm_start = vmg->start;
	target->vm_end = vmg->end;
	target->vm_pgoff = vmg->pgoff;
	vma_iter_store_new(vmi, target);
	if (remove) {
		remove_vma(remove);
		vmg->mm->map_count--;
	}
	if (remove2) {
		remove_vma(remove2);
		vmg->mm->map_count--;
	}
	vmg->target = target;
	return 0;
}

/**
 * vma_expand - grow vmg->middle over [vmg->start, vmg->end), absorbing
 * vmg->next if the range ends where next ends.
 * @vmg: the merge state
 *
 * Context: mmap_lock held for writing.
 * Return: 0, or -ENOMEM with nothing changed.
 */
int vma_expand(struct vma_merge_struct *vmg)
{
	struct vm_area_struct *middle = vmg->middle, *next = vmg->next;
	struct vm_area_struct *remove = NULL;
	bool had_anon = middle->anon_vma != NULL;

	if (next && next != middle && vmg->end == next->vm_end) {
		remove = next;
		dup_anon_vma(middle, next);
	}
	/* mremap: the VMA that takes the moved pages takes their anon_vma. */
	dup_anon_vma(middle, vmg->copied_from);
	if (commit_merge(vmg, middle, remove, NULL)) {
		if (!had_anon && middle->anon_vma)
			vma_unlink_anon_vma(middle);
		return -ENOMEM;
	}
	return 0;
}

/**
 * vma_merge_new_range - merge a new range [vmg->start, vmg->end) with
 * vmg->prev and/or vmg->next if compatible (mmap, brk).
 * @vmg: the merge state; flags, file, pgoff of the range; just_expand for
 *	brk
 *
 * Context: mmap_lock held for writing.
 * Return: the VMA now covering the range, or NULL (no merge, or -ENOMEM
 * with vmg->nomem set).
 */
struct vm_area_struct *vma_merge_new_range(struct vma_merge_struct *vmg)
{
	struct vm_area_struct *prev = vmg->prev, *next = vmg->next;
	bool left, right;

	vmg->nomem = false;
	vmg->middle = NULL;
	if ((vmg->vm_flags & VM_SPECIAL) || (!prev && !next))
		return NULL;

	left = vmg_can_merge_left(vmg);
	right = !vmg->just_expand && vmg_can_merge_right(vmg, left);
	if (right) {
		vmg->end = next->vm_end;
		vmg->middle = next;
	}
	if (left) {
		vmg->start = prev->vm_start;
		vmg->middle = prev;
		vmg->pgoff = prev->vm_pgoff;
	}
	if (vmg->middle && !vma_expand(vmg))
		return vmg->middle;
	return NULL;
}

/**
 * vma_shrink - shrink @vma to [@start, @end) from one end, as Linux's
 * vma_shrink() (exec's relocate_vma_down): the cut-off part leaves the
 * tree with one NULL store, then the VMA's range and offset change.
 * @vmi: an iterator of the mm
 * @vma: the VMA
 * @start: new start (vma->vm_start, or above it if @end == vm_end)
 * @end: new end (vma->vm_end, or below it if @start == vm_start)
 * @pgoff: the offset in pages for @start
 *
 * Context: mmap_lock held for writing.
 * Return: 0, -EINVAL if the range is not @vma shrunk from one end, or
 * -ENOMEM with nothing changed.
 */
int vma_shrink(struct vma_iterator *vmi, struct vm_area_struct *vma,
	       unsigned long start, unsigned long end, unsigned long pgoff)
{
	unsigned long cut_start, cut_end;

	if (start >= end || start < vma->vm_start || end > vma->vm_end ||
	    (start != vma->vm_start && end != vma->vm_end))
		return -EINVAL;
	if (start == vma->vm_start && end == vma->vm_end)
		return 0;
	if (start > vma->vm_start) {
		cut_start = vma->vm_start;
		cut_end = start;
	} else {
		cut_start = end;
		cut_end = vma->vm_end;
	}
	vma_iter_config(vmi, cut_start, cut_end);
	if (vma_iter_prealloc(vmi, NULL))
		return -ENOMEM;
	__mas_set_range(&vmi->mas, cut_start, cut_end - 1);
	mas_store_prealloc(&vmi->mas, NULL);
	vma->vm_start = start;
	vma->vm_end = end;
	vma->vm_pgoff = pgoff;
	return 0;
}

/**
 * __split_vma - split @vma at @addr; no map_count limit check.
 * @vmi: an iterator of the mm
 * @vma: the VMA, which strictly contains @addr
 * @addr: the split address (page aligned)
 * @new_below: the new VMA is the lower part (else the upper part)
 *
 * Context: mmap_lock held for writing.
 * Return: 0, -EINVAL for special mappings, -ENOMEM with nothing changed.
 */
int __split_vma(struct vma_iterator *vmi, struct vm_area_struct *vma,
		unsigned long addr, int new_below)
{
	struct vm_area_struct *new;

	if (vma->vm_special)
		return -EINVAL;
	new = vm_area_dup(vma);
	if (!new)
		return -ENOMEM;
	if (new_below) {
		new->vm_end = addr;
	} else {
		new->vm_start = addr;
		new->vm_pgoff += (addr - vma->vm_start) >> PAGE_SHIFT;
	}
	vma_iter_config(vmi, new->vm_start, new->vm_end);
	if (vma_iter_prealloc(vmi, new)) {
		remove_vma(new);
		return -ENOMEM;
	}
	if (new_below) {
		vma->vm_start = addr;
		vma->vm_pgoff += (addr - new->vm_start) >> PAGE_SHIFT;
	} else {
		vma->vm_end = addr;
	}
	vma_iter_store_new(vmi, new);
	vma->vm_mm->map_count++;
	return 0;
}

/**
 * split_vma - __split_vma() that refuses when map_count is at the limit.
 * @vmi: an iterator of the mm
 * @vma: the VMA
 * @addr: the split address
 * @new_below: the new VMA is the lower part
 * Return: 0 or -errno.
 */
int split_vma(struct vma_iterator *vmi, struct vm_area_struct *vma,
	      unsigned long addr, int new_below)
{
	if (vma->vm_mm->map_count >= vma->vm_mm->limits.max_map_count)
		return -ENOMEM;
	return __split_vma(vmi, vma, addr, new_below);
}

/*
 * vma_merge_existing_range - merge [start, end) of vmg->middle, about to
 * get vmg->vm_flags, with prev and/or next (see DOC above).
 */
static struct vm_area_struct *vma_merge_existing_range(struct vma_merge_struct *vmg)
{
	struct vm_area_struct *middle = vmg->middle, *prev = vmg->prev, *next;
	unsigned long start = vmg->start, end = vmg->end;
	bool left_side = start == middle->vm_start, right_side = end == middle->vm_end;
	bool merge_left, merge_right, merge_both;
	struct vm_area_struct *res;
	int err;

	vmg->nomem = false;
	if ((vmg->vm_flags & VM_SPECIAL) || (!left_side && !right_side))
		return NULL;

	next = NULL;
	if (right_side) {
		MA_STATE(mas, &vmg->mm->mm_mt, middle->vm_end, middle->vm_end);

		next = mas_find(&mas, ULONG_MAX);
	}
	vmg->next = next;
	if (prev == middle)
		prev = NULL;
	vmg->prev = prev;

	merge_left = left_side && vmg_can_merge_left(vmg);
	merge_right = right_side && vmg_can_merge_right(vmg, merge_left);
	merge_both = merge_left && merge_right;
	if (!merge_left && !merge_right)
		return NULL;

	if (merge_both) {
		vmg->start = prev->vm_start;
		vmg->end = next->vm_end;
		vmg->pgoff = prev->vm_pgoff;
		dup_anon_vma(prev, next->anon_vma ? next : middle);
		err = commit_merge(vmg, prev, middle, next);
		res = prev;
	} else if (merge_left) {
		bool had_anon = prev->anon_vma != NULL;

		vmg->start = prev->vm_start;
		vmg->pgoff = prev->vm_pgoff;
		dup_anon_vma(prev, middle);
		err = commit_merge(vmg, prev, right_side ? middle : NULL, NULL);
		if (!err && !right_side) {
			middle->vm_pgoff += (end - middle->vm_start) >> PAGE_SHIFT;
			middle->vm_start = end;
		} else if (err && !had_anon && prev->anon_vma) {
			vma_unlink_anon_vma(prev);
		}
		res = prev;
	} else {
		unsigned long pglen = (end - start) >> PAGE_SHIFT;
		bool had_anon = next->anon_vma != NULL;

		vmg->end = next->vm_end;
		vmg->pgoff = next->vm_pgoff - pglen;
		dup_anon_vma(next, middle);
		err = commit_merge(vmg, next, left_side ? middle : NULL, NULL);
		if (!err && !left_side)
			middle->vm_end = start;
		else if (err && !had_anon && next->anon_vma)
			vma_unlink_anon_vma(next);
		res = next;
	}
	return err ? NULL : res;
}

/**
 * vma_modify_flags - give [start, end) of @vma the flags @new_flags:
 * merge with a neighbour if possible, else split @vma so that exactly the
 * range remains in it.  The caller then sets the flags on the result.
 * @vmi: an iterator of the mm
 * @prev: the VMA before @vma (or @vma itself if @start > vm_start)
 * @vma: the VMA holding the range
 * @start: first address
 * @end: end address (exclusive)
 * @new_flags: the flags the range will have
 *
 * Context: mmap_lock held for writing.
 * Return: the VMA covering [start, end) (merged or split), or an error
 * pointer (IS_ERR_VMA) with -ENOMEM.
 */
struct vm_area_struct *vma_modify_flags(struct vma_iterator *vmi,
					struct vm_area_struct *prev,
					struct vm_area_struct *vma, unsigned long start,
					unsigned long end, vm_flags_t new_flags)
{
	struct vma_merge_struct vmg = {
		.mm = vma->vm_mm,
		.vmi = vmi,
		.prev = prev,
		.middle = vma,
		.start = start,
		.end = end,
		.pgoff = vma->vm_pgoff + ((start - vma->vm_start) >> PAGE_SHIFT),
		.vm_flags = new_flags,
		.file = vma->vm_file,
		.anon_vma = vma->anon_vma,
		.anon_name = vma->anon_name,
	};
	struct vm_area_struct *merged = vma_merge_existing_range(&vmg);
	int err;

	if (merged)
		return merged;
	if (vmg.nomem)
		return ERR_VMA(-ENOMEM);
	if (vma->vm_start < start) {
		err = split_vma(vmi, vma, start, 1);
		if (err)
			return ERR_VMA(err);
	}
	if (vma->vm_end > end) {
		err = split_vma(vmi, vma, end, 0);
		if (err)
			return ERR_VMA(err);
	}
	return vma;
}

/**
 * vma_is_mergeable - could @a (left) and @b (right, adjacent) be one VMA
 * under Linux 6.18's rules?
 * @a: the left VMA
 * @b: the right VMA, starting where @a ends
 *
 * The rules of vma_merge_new_range() with @b as the range and @a as prev.
 * Return: true if a merge of the two would be allowed.
 */
bool vma_is_mergeable(const struct vm_area_struct *a, const struct vm_area_struct *b)
{
	struct vma_merge_struct vmg = {
		.middle = (struct vm_area_struct *)b,
		.start = b->vm_start,
		.end = b->vm_end,
		.pgoff = b->vm_pgoff,
		.vm_flags = b->vm_flags,
		.file = b->vm_file,
		.anon_vma = b->anon_vma,
		.anon_name = b->anon_name,
	};

	if (a->vm_end != b->vm_start || (b->vm_flags & VM_SPECIAL) || b->vm_special)
		return false;
	return vmg_can_merge_with(&vmg, a, false);
}
