/* SPDX-License-Identifier: MIT */
/*
 * gap.c - gaps: keeping the per-child largest-gap values of allocation
 * range trees up to date, and searching for free ranges
 * (mas_empty_area, mas_empty_area_rev).
 *
 * Coding conventions in this file:
 *  @mt:   the tree
 *  @mas:  the maple state; mas->index/last receive the found range
 *  @min, @max: the search window (inclusive)
 *  @size: the number of indices wanted
 *
 * DOC: Gaps
 *
 * A gap is a NULL slot; its size is the number of indices it covers.
 * Because NULL writes absorb their NULL neighbours (write.c), every maximal
 * run of NULL indices is exactly one slot, so "the largest gap below a
 * child" is simply the largest NULL slot in that subtree.  Allocation-range
 * internal nodes keep it per child in gap[] and the offset of the largest
 * in meta.gap; leaves compute theirs on demand.  After a write, the new
 * value climbs towards the root only while it changes something.
 *
 * The search descends left to right (or right to left), skipping children
 * whose gap is smaller than @size, and checks candidate NULL slots against
 * the window.  A child whose gap is big enough may still fail once its gap
 * is clipped to the window, so the search backtracks; it never visits more
 * than the two window edges' paths plus the subtrees that can succeed.
 */
#include <errno.h>

#include "internal.h"

/**
 * ma_leaf_max_gap - the largest NULL slot of a leaf.
 * @node: the leaf
 * @min: its minimum
 * @max: its maximum
 * @end: its last used offset
 *
 * Return: the size of the largest gap (0 if none).
 */
unsigned long ma_leaf_max_gap(struct maple_node *node, unsigned long min,
			      unsigned long max, unsigned char end)
{
	unsigned long *pivots = node->mr64.pivot;
	void **slots = node->mr64.slot;
	unsigned long gap = 0, first = min;
	unsigned char i;

	for (i = 0; i <= end; i++) {
		unsigned long last = ma_slot_max(pivots, i, end, max);

		if (!slots[i] && last - first + 1 > gap)
			gap = last - first + 1;
		first = last + 1;
	}
	return gap;
}

/**
 * ma_node_max_gap - the largest gap anywhere below a node.
 * @node: the node
 * @type: its type
 * @min: its minimum
 * @max: its maximum
 * @end: its last used offset
 *
 * Return: the gap size; 0 for range_64 nodes (no gap tracking).
 */
unsigned long ma_node_max_gap(struct maple_node *node, enum maple_type type,
			      unsigned long min, unsigned long max, unsigned char end)
{
	if (ma_is_leaf(type))
		return ma_leaf_max_gap(node, min, max, end);
	if (type == maple_arange_64)
		return node->ma64.gap[node->ma64.meta.gap];
	return 0;
}

/**
 * ma_set_max_gap_meta - recompute meta.gap of an arange node.
 * @node: an arange_64 node
 * @end: its last used offset
 */
void ma_set_max_gap_meta(struct maple_node *node, unsigned char end)
{
	unsigned char i, off = 0;

	for (i = 1; i <= end; i++)
		if (node->ma64.gap[i] > node->ma64.gap[off])
			off = i;
	node->ma64.meta.gap = off;
}

/**
 * mas_update_gap_from - propagate a node's new largest gap to the root.
 * @mt: an allocation-range tree
 * @enode: the node whose contents changed (already in the tree)
 * @min: its minimum
 * @max: its maximum
 *
 * Context: the write lock.  Readers never read gaps, so the parents are
 * updated in place even in RCU mode.
 */
void mas_update_gap_from(struct maple_tree *mt, struct maple_enode *enode,
			 unsigned long min, unsigned long max)
{
	struct maple_node *node = mte_to_node(enode);
	enum maple_type type = mte_node_type(enode);
	unsigned long gap;

	if (!mt_is_alloc(mt))
		return;
	gap = ma_node_max_gap(node, type, min, max, ma_data_end(node, type, max));
	while (!ma_is_root(node)) {
		struct maple_node *parent = mte_parent(mt_mk_node(node, type));
		unsigned char slot = mte_parent_slot(mt_mk_node(node, type));
		unsigned char pend = parent->ma64.meta.end;
		unsigned long old_max = parent->ma64.gap[parent->ma64.meta.gap];

		if (parent->ma64.gap[slot] == gap)
			return;
		parent->ma64.gap[slot] = gap;
		ma_set_max_gap_meta(parent, pend);
		gap = parent->ma64.gap[parent->ma64.meta.gap];
		if (gap == old_max)
			return;
		node = parent;
		type = maple_arange_64;
	}
}

/* ---- searching ------------------------------------------------------- */

struct mt_gap_search {
	unsigned long wmin;
	unsigned long wmax;
	unsigned long size;
	bool rev;
	unsigned long index;	/* result */
	unsigned long last;
};

/* Does the NULL range [first, last], clipped to the window, hold size? */
static bool mt_gap_fits(struct mt_gap_search *gs, unsigned long first,
			unsigned long last)
{
	unsigned long lo = first > gs->wmin ? first : gs->wmin;
	unsigned long hi = last < gs->wmax ? last : gs->wmax;

	if (lo > hi || hi - lo < gs->size - 1)
		return false;
	if (gs->rev) {
		gs->last = hi;
		gs->index = hi - (gs->size - 1);
	} else {
		gs->index = lo;
		gs->last = lo + (gs->size - 1);
	}
	return true;
}

static bool mt_gap_walk(struct mt_gap_search *gs, struct maple_enode *enode,
			unsigned long min, unsigned long max)
{
	struct maple_node *node = mte_to_node(enode);
	enum maple_type type = mte_node_type(enode);
	unsigned long *pivots = ma_pivots(node, type);
	void **slots = ma_slots(node, type);
	unsigned long *gaps = ma_gaps(node, type);
	unsigned char end = ma_data_end(node, type, max);
	int i, step = gs->rev ? -1 : 1;

	for (i = gs->rev ? end : 0; i >= 0 && i <= end; i += step) {
		unsigned long first = ma_slot_min(pivots, i, min);
		unsigned long last = ma_slot_max(pivots, i, end, max);

		if (last < gs->wmin) {
			if (gs->rev)
				break;
			continue;
		}
		if (first > gs->wmax) {
			if (!gs->rev)
				break;
			continue;
		}
		if (ma_is_leaf(type)) {
			if (!slots[i] && mt_gap_fits(gs, first, last))
				return true;
			continue;
		}
		if (gaps && gaps[i] < gs->size)
			continue;
		if (mt_gap_walk(gs, slots[i], first, last))
			return true;
	}
	return false;
}

static int mas_empty_area_dir(struct ma_state *mas, unsigned long min,
			      unsigned long max, unsigned long size, bool rev)
{
	struct maple_tree *mt = mas->tree;
	struct mt_gap_search gs = { .wmin = min, .wmax = max, .size = size, .rev = rev };
	void *root = mt->ma_root;
	bool found;

	if (min > max || size == 0 || max - min < size - 1)
		return -EINVAL;
	if (mas->status == ma_error)
		return -EINVAL;

	if (!root) {
		found = mt_gap_fits(&gs, 0, ULONG_MAX);
	} else if (!xa_is_node(root)) {
		found = mt_gap_fits(&gs, 1, ULONG_MAX);
	} else {
		found = mt_gap_walk(&gs, mte_safe_root(root), 0, ULONG_MAX);
	}
	if (!found) {
		mas->status = ma_none;
		return -EBUSY;
	}
	mas->index = gs.index;
	mas->last = gs.last;
	mas->status = ma_start;
	mas->node = NULL;
	return 0;
}

/**
 * mas_empty_area - the lowest free range of @size indices in [@min, @max].
 * @mas: the maple state; on success mas->index/last hold the range
 * @min: the lowest index the range may start at
 * @max: the highest index the range may end at
 * @size: the number of indices wanted
 *
 * The range starts at the start of the lowest fitting gap, or at @min if
 * that gap begins below it.  In a tree whose only entry is a root value,
 * index 0 is taken.
 * Context: the write lock (or rcu_read_lock() if a stale answer is fine).
 * Return: 0, -EBUSY if nothing fits, -EINVAL if @min > @max, @size is 0 or
 * the window is smaller than @size.
 */
int mas_empty_area(struct ma_state *mas, unsigned long min, unsigned long max,
		   unsigned long size)
{
	return mas_empty_area_dir(mas, min, max, size, false);
}

/**
 * mas_empty_area_rev - the highest free range of @size indices in
 * [@min, @max].
 * @mas: the maple state; on success mas->index/last hold the range
 * @min: the lowest index the range may start at
 * @max: the highest index the range may end at
 * @size: the number of indices wanted
 *
 * The range ends at the end of the highest fitting gap, or at @max if that
 * gap ends above it.
 * Context: the write lock (or rcu_read_lock() if a stale answer is fine).
 * Return: 0, -EBUSY if nothing fits, -EINVAL as for mas_empty_area().
 */
int mas_empty_area_rev(struct ma_state *mas, unsigned long min,
		       unsigned long max, unsigned long size)
{
	return mas_empty_area_dir(mas, min, max, size, true);
}
