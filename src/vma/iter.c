/* SPDX-License-Identifier: MIT */
/*
 * iter.c - the VMA iterator (a ma_state over mm->mm_mt) and VMA lookups:
 * the kernel's vma_next/vma_prev/vma_find, vma_iter_config/prealloc/store
 * and find_vma/find_vma_prev/vma_lookup.
 *
 * Ranges: a VMA [vm_start, vm_end) sits at tree range [vm_start, vm_end-1];
 * vma_iter_config() takes the exclusive end like the kernel's.
 */
#include "vma_internal.h"

/**
 * vma_next - the next VMA after the iterator's position.
 * @vmi: the iterator
 * Return: the VMA, or NULL.
 */
struct vm_area_struct *vma_next(struct vma_iterator *vmi)
{
	return mas_find(&vmi->mas, ULONG_MAX);
}

/**
 * vma_prev - the VMA before the iterator's position.
 * @vmi: the iterator
 * Return: the VMA, or NULL.
 */
struct vm_area_struct *vma_prev(struct vma_iterator *vmi)
{
	return mas_prev(&vmi->mas, 0);
}

/**
 * vma_find - the next VMA that starts before @max (exclusive).
 * @vmi: the iterator
 * @max: the end of the range searched (exclusive)
 * Return: the VMA, or NULL.
 */
struct vm_area_struct *vma_find(struct vma_iterator *vmi, unsigned long max)
{
	if (!max)
		return NULL;
	return mas_find(&vmi->mas, max - 1);
}

/* The VMA at the iterator's index, without moving past it. */
struct vm_area_struct *vma_iter_load(struct vma_iterator *vmi)
{
	return mas_walk(&vmi->mas);
}

/* The next range (VMA or gap) after the current one. */
struct vm_area_struct *vma_iter_next_range(struct vma_iterator *vmi)
{
	return mas_next_range(&vmi->mas, ULONG_MAX);
}

/* The exclusive end of the iterator's current range. */
unsigned long vma_iter_end(struct vma_iterator *vmi)
{
	return vmi->mas.last + 1;
}

/**
 * vma_iter_set - move the iterator to @addr (the next walk starts there).
 * @vmi: the iterator
 * @addr: the address
 */
void vma_iter_set(struct vma_iterator *vmi, unsigned long addr)
{
	mas_set(&vmi->mas, addr);
}

/**
 * vma_iter_config - set the range of the next write, keeping the position
 * (no re-walk if the iterator already stands on the right leaf).
 * @vmi: the iterator
 * @index: first address
 * @last_excl: end address (exclusive)
 */
void vma_iter_config(struct vma_iterator *vmi, unsigned long index,
		     unsigned long last_excl)
{
	__mas_set_range(&vmi->mas, index, last_excl - 1);
}

/**
 * vma_iter_prealloc - reserve the tree nodes to store @vma over the
 * configured range.
 * @vmi: the iterator, configured with vma_iter_config()
 * @vma: the VMA (NULL to reserve for clearing the range)
 * Return: 0 or -ENOMEM.
 */
int vma_iter_prealloc(struct vma_iterator *vmi, struct vm_area_struct *vma)
{
	return mas_preallocate(&vmi->mas, vma, GFP_KERNEL);
}

/**
 * vma_iter_store_new - store @vma over its range with the reserved nodes.
 * @vmi: the iterator after vma_iter_prealloc()
 * @vma: the VMA
 */
void vma_iter_store_new(struct vma_iterator *vmi, struct vm_area_struct *vma)
{
	__mas_set_range(&vmi->mas, vma->vm_start, vma->vm_end - 1);
	mas_store_prealloc(&vmi->mas, vma);
}

/**
 * vma_iter_store_gfp - store @vma over its range, allocating.
 * @vmi: the iterator
 * @vma: the VMA
 * @gfp: allocation context
 * Return: 0 or -ENOMEM (tree unchanged).
 */
int vma_iter_store_gfp(struct vma_iterator *vmi, struct vm_area_struct *vma,
		       gfp_t gfp)
{
	__mas_set_range(&vmi->mas, vma->vm_start, vma->vm_end - 1);
	return mas_store_gfp(&vmi->mas, vma, gfp);
}

/**
 * vma_iter_clear_gfp - remove [start, end) from the tree.
 * @vmi: the iterator
 * @start: first address
 * @end: end address (exclusive)
 * @gfp: allocation context
 * Return: 0 or -ENOMEM (tree unchanged).
 */
int vma_iter_clear_gfp(struct vma_iterator *vmi, unsigned long start,
		       unsigned long end, gfp_t gfp)
{
	__mas_set_range(&vmi->mas, start, end - 1);
	return mas_store_gfp(&vmi->mas, NULL, gfp);
}

/**
 * vma_iter_free - release nodes an iterator reserved but did not use.
 * @vmi: the iterator
 */
void vma_iter_free(struct vma_iterator *vmi)
{
	mas_destroy(&vmi->mas);
}

/**
 * find_vma - the first VMA that ends after @addr.
 * @mm: the mm (locked)
 * @addr: the address
 * Return: the VMA, or NULL.
 */
struct vm_area_struct *find_vma(struct mm_struct *mm, unsigned long addr)
{
	MA_STATE(mas, &mm->mm_mt, addr, addr);

	return mas_find(&mas, ULONG_MAX);
}

/**
 * find_vma_prev - find_vma() and the VMA before it.
 * @mm: the mm (locked)
 * @addr: the address
 * @pprev: receives the VMA before the result (or before @addr if none)
 * Return: the VMA, or NULL.
 */
struct vm_area_struct *find_vma_prev(struct mm_struct *mm, unsigned long addr,
				     struct vm_area_struct **pprev)
{
	MA_STATE(mas, &mm->mm_mt, addr, addr);
	struct vm_area_struct *vma = mas_find(&mas, ULONG_MAX);

	if (vma)
		mas_set(&mas, vma->vm_start);
	else
		mas_set(&mas, addr);
	*pprev = mas_prev(&mas, 0);
	return vma;
}

/**
 * vma_lookup - the VMA holding @addr.
 * @mm: the mm (locked)
 * @addr: the address
 * Return: the VMA, or NULL.
 */
struct vm_area_struct *vma_lookup(struct mm_struct *mm, unsigned long addr)
{
	return mtree_load(&mm->mm_mt, addr);
}
