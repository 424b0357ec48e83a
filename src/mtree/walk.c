/* SPDX-License-Identifier: MIT */
/*
 * walk.c - descending walks: from the root to the leaf slot holding an
 * index, for readers (RCU-safe, restarting on dead nodes) and writers.
 *
 * Coding conventions in this file:
 *  @mt:    the tree
 *  @mas:   a maple state; mas->index is the index being looked for
 *  @index: an index (inclusive, as are all ranges in the tree)
 *
 * DOC: Reading under RCU
 *
 * A reader loads a node's pivots and slots, then checks that the node is
 * not dead (ma_dead_node() pairs an acquire load of the parent word with
 * the writer's release store that kills the node).  A node is killed only
 * after its replacement is published, so a reader that finds its node alive
 * after reading it has read a state the tree really held.  A reader that
 * finds its node dead starts again from the root.  Dead nodes are freed
 * after a grace period, so a reader inside rcu_read_lock() never touches
 * freed memory.
 */
#include <errno.h>

#include "internal.h"

const unsigned char mt_slots[] = {
	[maple_dense] = MAPLE_NODE_SLOTS,
	[maple_leaf_64] = MAPLE_RANGE64_SLOTS,
	[maple_range_64] = MAPLE_RANGE64_SLOTS,
	[maple_arange_64] = MAPLE_ARANGE64_SLOTS,
};

const unsigned char mt_pivots[] = {
	[maple_dense] = 0,
	[maple_leaf_64] = MAPLE_RANGE64_PIVOTS,
	[maple_range_64] = MAPLE_RANGE64_PIVOTS,
	[maple_arange_64] = MAPLE_ARANGE64_PIVOTS,
};

const unsigned char mt_min_slots[] = {
	[maple_dense] = MAPLE_NODE_SLOTS / 2,
	[maple_leaf_64] = MAPLE_RANGE64_SLOTS / 2 - 2,
	[maple_range_64] = MAPLE_RANGE64_SLOTS / 2 - 2,
	[maple_arange_64] = MAPLE_ARANGE64_SLOTS / 2 - 1,
};

/**
 * ma_find_offset - the slot of a node whose range holds @index.
 * @pivots: the node's pivots
 * @end: the node's last used offset
 * @index: the index, known to lie within the node's range
 *
 * A linear scan: with at most 15 pivots in one or two cache lines it beats
 * a binary search.
 * Return: the offset.
 */
unsigned char ma_find_offset(const unsigned long *pivots, unsigned char end,
			     unsigned long index)
{
	unsigned char offset = 0;

	while (offset < end && mt_read_acquire(pivots[offset]) < index)
		offset++;
	return offset;
}

/**
 * mas_descend_to - walk from the root to the leaf slot holding @index.
 * @mas: the maple state; on return positioned at the slot (ma_active), or
 *	ma_root (single root entry) or ma_none (empty tree).
 * @index: the index to find.
 *
 * Fills mas->node, min, max, offset, end and depth; does not change
 * mas->index or mas->last.  Restarts from the root if it meets a dead node.
 * Context: rcu_read_lock() or the write lock.
 * Return: the entry in the slot (NULL for gaps and for the non-node cases).
 */
void *mas_descend_to(struct ma_state *mas, unsigned long index)
{
	unsigned long first, last;

	return mas_descend(mas, index, &first, &last);
}

/**
 * mas_descend - mas_descend_to() that also returns the slot's range.
 * @mas: the maple state
 * @index: the index to find
 * @first: set to the first index of the slot holding @index
 * @last: set to the last index of that slot
 *
 * The range comes from the same reads of the pivots that chose the slot,
 * made before the slot is read and before the node is found alive; so the
 * range always holds @index and lies within the range the returned entry
 * had in a state the tree held, even while an RCU slot store moves a
 * boundary (it writes the slot, then the pivot).  For an active state the
 * range is never read again after the alive check.
 * Context: rcu_read_lock() or the write lock.
 * Return: the entry in the slot.
 */
void *mas_descend(struct ma_state *mas, unsigned long index, unsigned long *first,
		  unsigned long *last)
{
	struct maple_tree *mt = mas->tree;
	void *root, *entry;

retry:
	mas->gen = mt_gen(mt);
	root = mt_root_acquire(mt);
	if (!xa_is_node(root)) {
		mas->node = NULL;
		mas->min = 0;
		mas->max = ULONG_MAX;
		mas->offset = 0;
		mas->end = 0;
		mas->depth = 0;
		*first = 0;
		*last = ULONG_MAX;
		if (root) {
			mas->status = ma_root;
			if (index == 0) {
				*last = 0;
				return root;
			}
			*first = 1;
			return NULL;
		}
		mas->status = ma_none;
		return NULL;
	}

	{
		struct maple_enode *enode = mte_safe_root(root);
		unsigned long min = 0, max = ULONG_MAX;
		unsigned char depth = 1;

		for (;;) {
			struct maple_node *node = mte_to_node(enode);
			enum maple_type type = mte_node_type(enode);
			unsigned long *pivots = ma_pivots(node, type);
			void **slots = ma_slots(node, type);
			unsigned char end = ma_data_end(node, type, max);
			unsigned long smin = min, smax = max;
			unsigned char offset = 0;

			/* One read of each pivot chooses the slot and gives its
			 * range: a second read could see a moved boundary. */
			while (offset < end) {
				unsigned long piv = mt_read_acquire(pivots[offset]);

				if (piv >= index) {
					smax = piv;
					break;
				}
				smin = piv + 1;
				offset++;
			}

			entry = mt_read_acquire(slots[offset]);
			if (ma_dead_node(node))
				goto retry;
			if (ma_is_leaf(type)) {
				*first = smin;
				*last = smax;
				mas->node = enode;
				mas->min = min;
				mas->max = max;
				mas->offset = offset;
				mas->end = end;
				mas->depth = depth;
				mas->status = ma_active;
				return entry;
			}
			enode = entry;
			min = smin;
			max = smax;
			depth++;
		}
	}
}

/**
 * mas_slot_range - the range of the current slot of an active state.
 * @mas: an active maple state
 * @first: set to the first index of the slot
 * @last: set to the last index of the slot
 */
void mas_slot_range(const struct ma_state *mas, unsigned long *first,
		    unsigned long *last)
{
	struct maple_node *node = mte_to_node(mas->node);
	unsigned long *pivots = ma_pivots(node, mte_node_type(mas->node));

	*first = ma_slot_min(pivots, mas->offset, mas->min);
	*last = ma_slot_max(pivots, mas->offset, mas->end, mas->max);
}

/**
 * mas_slot_entry - the entry in the current slot of an active state.
 * @mas: an active maple state
 * Return: the entry.
 */
void *mas_slot_entry(const struct ma_state *mas)
{
	struct maple_node *node = mte_to_node(mas->node);

	return mt_read_acquire(ma_slots(node, mte_node_type(mas->node))[mas->offset]);
}

/**
 * mas_node_alive - re-check, after reading, that the state's leaf is alive.
 * @mas: an active maple state
 * Return: true if the leaf has not been replaced.
 */
bool mas_node_alive(const struct ma_state *mas)
{
	return !mte_dead_node(mas->node);
}

/**
 * mas_walk - find the entry at mas->index and the range it occupies.
 * @mas: the maple state
 *
 * Sets mas->index and mas->last to the range of the slot holding the
 * index, gaps included: walking into a gap returns NULL with the gap's
 * bounds.  In a tree whose only entry is a root value, index 0 gives
 * [0, 0] and any other index the range [1, ULONG_MAX].
 * Context: rcu_read_lock() or the write lock.
 * Return: the entry, or NULL.
 */
void *mas_walk(struct ma_state *mas)
{
	unsigned long first, last;
	void *entry;

	if (mas->status == ma_error)
		return NULL;
	entry = mas_descend(mas, mas->index, &first, &last);
	mas->index = first;
	mas->last = last;
	if (mas->status == ma_root && first)
		mas->status = ma_none;
	return entry;
}

/**
 * mas_load - the entry at mas->index, without changing index or last.
 * @mas: the maple state
 *
 * Context: rcu_read_lock() or the write lock.
 * Return: the entry, or NULL.
 */
void *mas_load(struct ma_state *mas)
{
	if (mas->status == ma_error)
		return NULL;
	return mas_descend_to(mas, mas->index);
}

/**
 * mtree_lookup - RCU-safe lookup used by mtree_load().
 * @mt: the tree
 * @index: the index
 *
 * Context: rcu_read_lock() or the write lock.
 * Return: the entry at @index, or NULL.
 */
void *mtree_lookup(struct maple_tree *mt, unsigned long index)
{
	MA_STATE(mas, mt, index, index);

	return mas_descend_to(&mas, index);
}
