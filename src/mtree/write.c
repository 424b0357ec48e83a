/* SPDX-License-Identifier: MIT */
/*
 * write.c - deciding what a write is, and the write paths that change the
 * tree in place.
 *
 * Coding conventions in this file:
 *  @mt:  the tree
 *  @mas: the maple state; mas->index/mas->last: the range written
 *  @wr:  the write state (struct ma_wr_state, internal.h)
 *
 * DOC: Store types
 *
 * Every write is first classified (mas_wr_prepare()), in the order Linux
 * 6.18 uses, then carried out by one path:
 *
 *   wr_store_root      the tree has no node: set the root value, or expand
 *                      the root into a leaf (1 node)
 *   wr_new_root        the write covers [0, ULONG_MAX]: one leaf or empty
 *   wr_spanning_store  the range crosses a leaf boundary   (rebuild.c)
 *   wr_exact_fit       the range is exactly one slot: one pointer store
 *   wr_rebalance       the leaf would drop below minimum   (rebuild.c)
 *   wr_split_store     the leaf would overflow            (rebuild.c)
 *   wr_append          (not RCU) the write is in the leaf's last slot: the
 *                      new slots go after the end, in place
 *   wr_slot_store      the slot count is unchanged: rewrite the touched
 *                      slots in place (in RCU mode only if just one
 *                      boundary between two slots moves)
 *   wr_node_store      anything else within one leaf: rewrite the leaf in
 *                      place (not RCU) or replace it (RCU, rebuild.c)
 *
 * DOC: NULL writes
 *
 * A NULL write first grows over the NULL ranges next to it, in its leaf
 * and across leaf edges, so the tree never holds two adjacent NULL ranges
 * (anywhere, not just within a node).  Every maximal gap is then one slot,
 * which is what makes the gap search in gap.c exact.
 *
 * DOC: In-place writes under RCU
 *
 * In RCU mode a reader may be inside the leaf while it is written.  Only
 * two in-place writes are allowed then: an exact fit (one aligned pointer
 * store) and a slot store that moves one boundary between two slots; for
 * the latter the slot is stored before the pivot, so that a reader sees,
 * for every index, either the old or the new entry.
 */
#include <errno.h>
#include <stdlib.h>

#include "internal.h"
#include "rebuild.h"

#ifdef MT_DEBUG
/*
 * Debug builds validate the whole tree after every write when the
 * environment has VMASIM_VALIDATE=1 (O(n) per write: for tests).
 */
static void mt_debug_validate_write(struct maple_tree *mt)
{
	static int enabled = -1;
	int on = __atomic_load_n(&enabled, __ATOMIC_RELAXED);

	if (on < 0) {
		const char *v = getenv("VMASIM_VALIDATE");

		on = v && *v && *v != '0';
		__atomic_store_n(&enabled, on, __ATOMIC_RELAXED);
	}
	if (on && mt_validate(mt))
		abort();
}
#else
static inline void mt_debug_validate_write(struct maple_tree *mt)
{
	(void)mt;
}
#endif

/**
 * mt_path_fill - walk from the root to the leaf holding @index.
 * @mt: the tree; its root is a node
 * @index: the index
 * @p: the path to fill
 *
 * Context: the write lock.
 */
void mt_path_fill(struct maple_tree *mt, unsigned long index, struct mt_path *p)
{
	struct maple_enode *enode = mte_safe_root(mt->ma_root);
	unsigned long min = 0, max = ULONG_MAX;
	unsigned char depth = 1;

	for (;;) {
		struct maple_node *node = mte_to_node(enode);
		enum maple_type type = mte_node_type(enode);
		unsigned long *pivots = ma_pivots(node, type);
		struct mt_level *lv = &p->lvl[depth];

		lv->enode = enode;
		lv->min = min;
		lv->max = max;
		lv->end = ma_data_end(node, type, max);
		lv->offset = ma_find_offset(pivots, lv->end, index);
		if (ma_is_leaf(type)) {
			p->height = depth;
			return;
		}
		min = ma_slot_min(pivots, lv->offset, min);
		max = ma_slot_max(pivots, lv->offset, lv->end, max);
		enode = ma_slots(node, type)[lv->offset];
		depth++;
	}
}

/*
 * Rebuild the path to the leaf the state points at by climbing parent
 * words: the walk that found the leaf is not repeated.  Returns false if
 * the state does not describe a live leaf of this tree holding @index.
 */
static bool mt_path_from_state(struct ma_state *mas, unsigned long index,
			       struct mt_path *p)
{
	struct maple_tree *mt = mas->tree;
	struct maple_enode *chain[MAPLE_HEIGHT_MAX + 1];
	unsigned char slots[MAPLE_HEIGHT_MAX + 1];
	enum maple_type itype = mt_internal_type(mt);
	unsigned int n = 0, d;
	struct maple_enode *enode = mas->node;

	if (mas->status != ma_active || !enode || mas->gen != mt_gen(mt) ||
	    !mte_is_leaf(enode) || index < mas->min || index > mas->max ||
	    mte_dead_node(enode))
		return false;

	while (!mte_is_root(enode)) {
		if (n >= MAPLE_HEIGHT_MAX)
			return false;
		chain[n] = enode;
		slots[n] = mte_parent_slot(enode);
		enode = mt_mk_node(mte_parent(enode), itype);
		n++;
	}
	chain[n] = enode;
	if (mte_safe_root(mt->ma_root) != enode)
		return false;

	/* chain[n] is the root, chain[0] the leaf; fill top-down. */
	p->height = n + 1;
	{
		unsigned long min = 0, max = ULONG_MAX;

		for (d = 1; d <= p->height; d++) {
			struct maple_enode *e = chain[n + 1 - d];
			struct maple_node *node = mte_to_node(e);
			enum maple_type type = mte_node_type(e);
			unsigned long *pivots = ma_pivots(node, type);
			struct mt_level *lv = &p->lvl[d];

			lv->enode = e;
			lv->min = min;
			lv->max = max;
			lv->end = ma_data_end(node, type, max);
			if (d == p->height) {
				lv->offset = ma_find_offset(pivots, lv->end, index);
				break;
			}
			lv->offset = slots[n - d];
			min = ma_slot_min(pivots, lv->offset, min);
			max = ma_slot_max(pivots, lv->offset, lv->end, max);
		}
	}
	return p->lvl[p->height].min == mas->min && p->lvl[p->height].max == mas->max;
}

static inline struct mt_level *mt_leaf(struct mt_path *p)
{
	return &p->lvl[p->height];
}

static inline void **mt_level_slots(const struct mt_level *lv)
{
	return ma_slots(mte_to_node(lv->enode), mte_node_type(lv->enode));
}

static inline unsigned long *mt_level_pivots(const struct mt_level *lv)
{
	return ma_pivots(mte_to_node(lv->enode), mte_node_type(lv->enode));
}

/* Range of the slot holding @index (or the entry) in a leaf level. */
static void *mt_leaf_slot(const struct mt_level *lv, unsigned char offset,
			  unsigned long *first, unsigned long *last)
{
	unsigned long *pivots = mt_level_pivots(lv);

	*first = ma_slot_min(pivots, offset, lv->min);
	*last = ma_slot_max(pivots, offset, lv->end, lv->max);
	return mt_level_slots(lv)[offset];
}

/*
 * Widen a NULL write over the NULL ranges beside it.  Neighbours inside the
 * leaf are read directly; across a leaf edge the neighbouring range is
 * looked up from the root (rare: only when the write touches the edge).
 * Returns true if the range left its leaves (the paths must be re-walked).
 */
static bool mas_wr_extend_null(struct ma_wr_state *wr, struct mt_path *right)
{
	struct ma_state *mas = wr->mas;
	struct mt_level *lv = mt_leaf(&wr->left);
	struct mt_level *rv = mt_leaf(right);
	unsigned long first, last;
	bool moved = false;
	void *entry;

	/* Left side. */
	entry = mt_leaf_slot(lv, lv->offset, &first, &last);
	if (!entry) {
		mas->index = first;
	} else if (mas->index == first && lv->offset > 0 &&
		   !mt_leaf_slot(lv, lv->offset - 1, &first, &last)) {
		mas->index = first;
	}
	if (mas->index == lv->min && lv->min > 0) {
		MA_STATE(tmp, mas->tree, lv->min - 1, lv->min - 1);

		if (!mas_walk(&tmp)) {
			mas->index = tmp.index;
			moved = true;
		}
	}

	/* Right side. */
	{
		unsigned char off = ma_find_offset(mt_level_pivots(rv), rv->end, mas->last);

		entry = mt_leaf_slot(rv, off, &first, &last);
		if (!entry) {
			mas->last = last;
		} else if (mas->last == last && off < rv->end &&
			   !mt_leaf_slot(rv, off + 1, &first, &last)) {
			mas->last = last;
		}
	}
	if (mas->last == rv->max && rv->max < ULONG_MAX) {
		MA_STATE(tmp, mas->tree, rv->max + 1, rv->max + 1);

		if (!mas_walk(&tmp)) {
			mas->last = tmp.last;
			moved = true;
		}
	}
	return moved;
}

/* Linux 6.18's vacant and sufficient heights along the left path, over
 * the internal nodes above the write (above the split point if spanning). */
static void mas_wr_heights(struct ma_wr_state *wr, unsigned char limit)
{
	enum maple_type itype = mt_internal_type(wr->mas->tree);
	unsigned char d;

	wr->vacant_height = 0;
	wr->sufficient_height = 0;
	for (d = 1; d <= limit; d++) {
		unsigned char end = wr->left.lvl[d].end;

		if (end < mt_slots[itype] - 1)
			wr->vacant_height = d;
		if (d == 1) {
			if (end > 2)
				wr->sufficient_height = 1;
		} else if (end > mt_min_slots[itype] + 1) {
			wr->sufficient_height = d;
		}
	}
}

/*
 * Decide the store type of a write to a tree that has nodes, with both
 * paths filled and the range final.
 */
static enum store_type mas_wr_classify(struct ma_wr_state *wr)
{
	struct ma_state *mas = wr->mas;
	struct mt_level *lv = mt_leaf(&wr->left);
	unsigned char h = wr->left.height;
	unsigned char old_count, removed, added, d, lca;
	unsigned long dummy;

	if (wr->spanning) {
		lca = 1;
		for (d = 1; d <= h; d++) {
			if (wr->left.lvl[d].enode != wr->right.lvl[d].enode)
				break;
			lca = d;
		}
		mas_wr_heights(wr, lca - 1);
		/* Linux counts [0, ULONG_MAX] over several leaves as a spanning
		 * store; it is carried out as a new root (see mas_wr_commit). */
		return wr_spanning_store;
	}

	mas_wr_heights(wr, h - 1);
	wr->offset = lv->offset;
	wr->content = mt_leaf_slot(lv, wr->offset, &wr->r_min, &dummy);
	wr->offset_end = ma_find_offset(mt_level_pivots(lv), lv->end, mas->last);
	mt_leaf_slot(lv, wr->offset_end, &dummy, &wr->end_piv);

	old_count = lv->end + 1;
	removed = wr->offset_end - wr->offset + 1;
	added = (mas->index > wr->r_min) + 1 + (mas->last < wr->end_piv);
	wr->new_count = old_count - removed + added;

	if (wr->offset == wr->offset_end && mas->index == wr->r_min &&
	    mas->last == wr->end_piv)
		return wr_exact_fit;
	if (mas->index == 0 && mas->last == ULONG_MAX)
		return wr_new_root;
	if (h > 1 && wr->new_count < mt_min_slots[maple_leaf_64] + 1)
		return wr_rebalance;
	if (wr->new_count > mt_slots[maple_leaf_64])
		return wr_split_store;
	if (!mt_in_rcu(mas->tree) && wr->offset == lv->end)
		return wr_append;
	if (wr->new_count == old_count &&
	    (!mt_in_rcu(mas->tree) || wr->offset_end - wr->offset == 1))
		return wr_slot_store;
	return wr_node_store;
}

/**
 * mas_wr_prepare - walk to the place of a write and decide its store type.
 * @wr: the write state to fill
 * @mas: the maple state; mas->index/last is the range, widened here for
 *	NULL writes
 * @entry: what will be written
 *
 * If @mas already points at the live leaf holding mas->index (after a
 * walk or a mas_preallocate() of the same range) the path is rebuilt from
 * parent words instead of walking down again.
 * Context: the write lock.
 * Return: 0, or -EINVAL for an inverted range.
 */
int mas_wr_prepare(struct ma_wr_state *wr, struct ma_state *mas, void *entry)
{
	struct maple_tree *mt = mas->tree;

	if (mas->index > mas->last)
		return -EINVAL;
	wr->mas = mas;
	wr->entry = entry;
	wr->spanning = false;
	wr->vacant_height = 0;
	wr->sufficient_height = 0;
	wr->content = NULL;

	if (!xa_is_node(mt->ma_root)) {
		wr->left.height = 0;
		wr->content = (mas->index == 0) ? mt->ma_root : NULL;
		wr->old = wr->content;
		mas->store_type = wr_store_root;
		return 0;
	}

	if (!mt_path_from_state(mas, mas->index, &wr->left)) {
		mt_path_fill(mt, mas->index, &wr->left);
		mt_stat_inc(mt, write_walks, 1);
	}
	wr->spanning = mas->last > mt_leaf(&wr->left)->max;
	if (wr->spanning)
		mt_path_fill(mt, mas->last, &wr->right);

	{
		unsigned long first, last;

		wr->old = mt_leaf_slot(mt_leaf(&wr->left),
				       mt_leaf(&wr->left)->offset, &first, &last);
	}

	if (!entry) {
		unsigned long index = mas->index, last = mas->last;

		if (mas_wr_extend_null(wr, wr->spanning ? &wr->right : &wr->left)) {
			if (mas->index != index)
				mt_path_fill(mt, mas->index, &wr->left);
			wr->spanning = mas->last > mt_leaf(&wr->left)->max;
			if (wr->spanning)
				mt_path_fill(mt, mas->last, &wr->right);
		} else if (mas->last != last && !wr->spanning) {
			wr->spanning = mas->last > mt_leaf(&wr->left)->max;
			if (wr->spanning)
				mt_path_fill(mt, mas->last, &wr->right);
		}
		/* The left leaf's offset must follow a widened index. */
		if (mas->index != index) {
			struct mt_level *lv = mt_leaf(&wr->left);

			lv->offset = ma_find_offset(mt_level_pivots(lv), lv->end,
						    mas->index);
		}
	}
	mas->store_type = mas_wr_classify(wr);
	return 0;
}

/**
 * mas_wr_node_count - nodes the prepared write will take from the state.
 * @wr: a prepared write
 *
 * Exact: the structural writes are planned by a dry run of the very code
 * that performs them (mas_wr_rebuild() with commit == false).
 * Return: the number of nodes.
 */
unsigned long mas_wr_node_count(struct ma_wr_state *wr)
{
	struct ma_state *mas = wr->mas;

	switch (mas->store_type) {
	case wr_store_root:
		if (!wr->entry)
			return 0;
		if (mas->index == 0 && mas->last == 0 && !xa_is_internal(wr->entry))
			return 0;
		return 1;
	case wr_new_root:
		return wr->entry ? 1 : 0;
	case wr_exact_fit:
	case wr_slot_store:
	case wr_append:
		return 0;
	case wr_node_store:
		if (!mt_in_rcu(mas->tree))
			return 0;
		return mas_wr_rebuild(wr, false);
	case wr_spanning_store:
		if (mas->index == 0 && mas->last == ULONG_MAX)
			return wr->entry ? 1 : 0;
		return mas_wr_rebuild(wr, false);
	case wr_split_store:
	case wr_rebalance:
		return mas_wr_rebuild(wr, false);
	default:
		return 0;
	}
}

/**
 * mas_wr_linux_count - what Linux 6.18 would preallocate for this write.
 * @wr: a prepared write
 *
 * Linux 6.18's mas_prealloc_calc() rules, from the vacant and sufficient
 * heights: see docs/mtree.md.  Used for statistics only.
 * Return: the number of nodes.
 */
unsigned long mas_wr_linux_count(const struct ma_wr_state *wr)
{
	const struct ma_state *mas = wr->mas;
	unsigned long h = mt_height(mas->tree);
	unsigned long v = wr->vacant_height, s = wr->sufficient_height;
	unsigned long top = s < v ? s : v;

	switch (mas->store_type) {
	case wr_new_root:
		return 1;
	case wr_store_root:
		if (mas->index == 0 && mas->last == 0 && !xa_is_internal(wr->entry))
			return 0;
		return 1;
	case wr_spanning_store:
		return 3 * (h - top) + 1;
	case wr_split_store:
		return 2 * (h - v) + 1;
	case wr_rebalance:
		return 2 * (h - top) + 1;
	case wr_node_store:
		return mt_in_rcu(mas->tree) ? 1 : 0;
	default:
		return 0;
	}
}

/* ---- the write paths ------------------------------------------------ */

static void mas_wr_store_root(struct ma_wr_state *wr)
{
	struct ma_state *mas = wr->mas;
	struct maple_tree *mt = mas->tree;
	void *root = mt->ma_root;
	struct mt_big b;
	struct maple_node *node;

	if (!wr->entry) {
		if (root && mas->index == 0)
			mt_write_release(mt->ma_root, NULL);
		return;
	}
	if (mas->index == 0 && mas->last == 0 && !xa_is_internal(wr->entry)) {
		mt_write_release(mt->ma_root, wr->entry);
		return;
	}

	b.count = 0;
	if (root && mas->index > 0) {
		mt_big_push(&b, root, 0, 0);
		if (mas->index > 1)
			mt_big_push(&b, NULL, mas->index - 1, 0);
	} else if (mas->index > 0) {
		mt_big_push(&b, NULL, mas->index - 1, 0);
	}
	mt_big_push(&b, wr->entry, mas->last, 0);
	if (mas->last < ULONG_MAX)
		mt_big_push(&b, NULL, ULONG_MAX, 0);

	node = mas_pop_node(mas);
	node->parent = mt_mk_root_parent(mt);
	mt_node_fill(mt, node, maple_leaf_64, &b, 0, b.count, 0, ULONG_MAX);
	mt_set_height(mt, 1);
	mt_write_release(mt->ma_root, mte_mk_root(mt_mk_node(node, maple_leaf_64)));
}

static void mas_wr_new_root(struct ma_wr_state *wr)
{
	struct ma_state *mas = wr->mas;
	struct maple_tree *mt = mas->tree;
	struct maple_enode *old = mte_safe_root(mt->ma_root);

	if (wr->entry) {
		struct maple_node *node = mas_pop_node(mas);
		struct mt_big b;

		b.count = 0;
		mt_big_push(&b, wr->entry, ULONG_MAX, 0);
		node->parent = mt_mk_root_parent(mt);
		mt_node_fill(mt, node, maple_leaf_64, &b, 0, 1, 0, ULONG_MAX);
		mt_set_height(mt, 1);
		mt_write_release(mt->ma_root,
				 mte_mk_root(mt_mk_node(node, maple_leaf_64)));
	} else {
		mt_set_height(mt, 0);
		mt_write_release(mt->ma_root, NULL);
	}
	mt_destroy_walk(mt, old, mt_in_rcu(mt));
}

static void mas_wr_leaf_changed(struct ma_wr_state *wr)
{
	struct mt_level *lv = mt_leaf(&wr->left);

	if (mt_is_alloc(wr->mas->tree))
		mas_update_gap_from(wr->mas->tree, lv->enode, lv->min, lv->max);
}

static void mas_wr_exact_fit(struct ma_wr_state *wr)
{
	struct mt_level *lv = mt_leaf(&wr->left);
	void **slots = mt_level_slots(lv);
	bool was_null = !slots[wr->offset];

	mt_write_release(slots[wr->offset], wr->entry);
	if (was_null != !wr->entry)
		mas_wr_leaf_changed(wr);
}

/* Non-RCU in-place rewrite of slots [from, to] of the leaf from the
 * planned contents, then the end bookkeeping. */
static void mas_wr_rewrite(struct ma_wr_state *wr, unsigned char from, unsigned char to)
{
	struct mt_level *lv = mt_leaf(&wr->left);
	struct maple_node *node = mte_to_node(lv->enode);
	struct mt_big b;

	mt_big_leaf_write(wr, &b);
	mt_node_rewrite(node, maple_leaf_64, &b, from, to, lv->end, lv->max);
	mas_wr_leaf_changed(wr);
}

/* RCU-safe slot store: one boundary between slots offset and offset + 1
 * moves.  Slot first, then pivot (see DOC above). */
static void mas_wr_slot_store_rcu(struct ma_wr_state *wr)
{
	struct ma_state *mas = wr->mas;
	struct mt_level *lv = mt_leaf(&wr->left);
	void **slots = mt_level_slots(lv);
	unsigned long *pivots = mt_level_pivots(lv);

	if (mas->index > wr->r_min) {
		/* [r_min, index - 1] keeps its entry; the write takes the rest. */
		mt_write_release(slots[wr->offset + 1], wr->entry);
		mt_write_release(pivots[wr->offset], mas->index - 1);
	} else {
		mt_write_release(slots[wr->offset], wr->entry);
		mt_write_release(pivots[wr->offset], mas->last);
	}
	mas_wr_leaf_changed(wr);
}

/**
 * mas_wr_commit - carry out a prepared write.
 * @wr: a write prepared by mas_wr_prepare(), with enough nodes on the state
 *
 * Context: the write lock.
 */
void mas_wr_commit(struct ma_wr_state *wr)
{
	struct ma_state *mas = wr->mas;
	bool rcu = mt_in_rcu(mas->tree);

	/* Every write but an exact fit replaces nodes or changes a leaf's
	 * slots: states positioned before it must walk again. */
	if (mas->store_type != wr_exact_fit)
		mt_gen_bump(mas->tree);

	switch (mas->store_type) {
	case wr_store_root:
		mas_wr_store_root(wr);
		break;
	case wr_new_root:
		mas_wr_new_root(wr);
		break;
	case wr_exact_fit:
		mas_wr_exact_fit(wr);
		break;
	case wr_append:
		mas_wr_rewrite(wr, wr->offset, wr->new_count - 1);
		break;
	case wr_slot_store:
		if (rcu)
			mas_wr_slot_store_rcu(wr);
		else
			mas_wr_rewrite(wr, wr->offset, wr->offset_end);
		break;
	case wr_node_store:
		if (rcu)
			mas_wr_rebuild(wr, true);
		else
			mas_wr_rewrite(wr, wr->offset, wr->new_count - 1);
		break;
	case wr_spanning_store:
		if (mas->index == 0 && mas->last == ULONG_MAX)
			mas_wr_new_root(wr);
		else
			mas_wr_rebuild(wr, true);
		break;
	case wr_split_store:
	case wr_rebalance:
		mas_wr_rebuild(wr, true);
		break;
	default:
		break;
	}
	mt_stat_inc(mas->tree, stores[mas->store_type], 1);
	mt_debug_validate_write(mas->tree);
}
