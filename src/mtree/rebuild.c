/* SPDX-License-Identifier: MIT */
/*
 * rebuild.c - the structural write paths: node store in RCU mode, split
 * (with push into a sibling), rebalance and spanning store.  They share one
 * bottom-up algorithm, which also runs "dry" to count the nodes a write
 * needs, so that mas_preallocate() reserves exactly what the store uses.
 *
 * Coding conventions in this file:
 *  @wr:  the prepared write (internal.h)
 *  @rb:  the rebuild in progress (struct mt_rebuild below)
 *  @d:   a level: 1 is the root, wr->left.height the leaves
 *  @big: the slots of the level being rebuilt (rebuild.h)
 *  L, R: the original paths to the leaves of mas->index and mas->last
 *  OL, OR: the outer edges of the run of nodes being replaced, per level
 *
 * DOC: The level loop
 *
 *  level d:    ... [OL]  [L] xxxxxxxxxxxx [R]  [OR] ...     run being replaced
 *                    \     \                /     /
 *  big:         OL's slots + L's left part + new + R's right part + OR's
 *
 * 1. At the leaves, big = the slots of L before the write, the remnant of
 *    the slot cut by mas->index, the new entry, the remnant cut by
 *    mas->last, and R's slots after it.  Leaves strictly between L and R
 *    are overwritten and dropped whole.
 * 2. If big is deficient (fewer than mt_min_slots + 1 slots), a
 *    neighbouring node at this level is pulled in: OL or OR moves outwards
 *    by one node.  A sibling under the same parent is preferred (left,
 *    then right); a cousin under another parent only if there is none.
 * 3. If the run is now the whole level, or this is the root level, the
 *    result becomes the new root (one node, or k nodes under a new root,
 *    or, for an internal level holding one child, that child).  Done.
 * 4. Otherwise big is cut into k = 1..3 nodes of balanced size.  A split
 *    (k = 2) whose parent is full first pushes into a sibling with room:
 *    the sibling joins the run, and the parent keeps its slot count.
 * 5. If one node replaces one node, it is published with a single pointer
 *    store in the parent (gaps above are updated in place).  Done.
 * 6. Else the parent level's big = the parent of OL's slots before the run,
 *    the k new nodes, the parent of OR's slots after it; go up (2).
 *
 * Nothing visible changes before the publication in 3 or 5: new nodes are
 * private until then.  After it, every replaced node is marked dead and
 * freed (after a grace period in RCU mode), and dropped subtrees are
 * destroyed.  Reused children get their parent words rewritten before the
 * publication; readers only ever compare a parent word with the node itself
 * (the dead test), so that is safe.
 *
 * Invariants on exit: every non-root node sufficient, an internal root with
 * at least two children, pivots ascending, no two adjacent NULL slots (the
 * write was widened over its NULL neighbours before), gaps exact.
 */
#include "internal.h"
#include "rebuild.h"

#define MT_MAX_SINGLES	(6 * (MAPLE_HEIGHT_MAX + 1))
#define MT_MAX_DROPS	(2 * (MAPLE_HEIGHT_MAX + 1))

/* A run of slots of one node whose subtrees the write overwrote. */
struct mt_drop {
	struct maple_enode *parent;
	unsigned char from;
	unsigned char to;
};

struct mt_rebuild {
	struct ma_wr_state *wr;
	struct maple_tree *mt;
	bool commit;
	enum maple_type itype;
	struct mt_path *l, *r;
	struct mt_path ol, or;
	unsigned long used;
	struct maple_enode *singles[MT_MAX_SINGLES];
	unsigned int nr_singles;
	struct mt_drop drops[MT_MAX_DROPS];
	unsigned int nr_drops;
};

/* ---- filling nodes -------------------------------------------------- */

/**
 * mt_node_fill - write slots of a big node into a fresh node.
 * @mt: the tree (decides whether gaps are kept)
 * @node: a zeroed node; its parent word is set by the caller
 * @type: the node's type
 * @b: the slots
 * @start: first slot of @b to take
 * @n: number of slots to take (1 .. mt_slots[type])
 * @min: the node's minimum
 * @max: the node's maximum (== b->last[start + n - 1])
 *
 * Return: the largest gap in the node (0 in trees without gap tracking).
 */
unsigned long mt_node_fill(struct maple_tree *mt, struct maple_node *node,
			   enum maple_type type, const struct mt_big *b,
			   unsigned char start, unsigned char n, unsigned long min,
			   unsigned long max)
{
	unsigned long *pivots = ma_pivots(node, type);
	void **slots = ma_slots(node, type);
	unsigned char end = n - 1, i;
	unsigned long max_gap = 0;
	unsigned char gap_off = 0;

	assert(n >= 1 && n <= mt_slots[type]);
	for (i = 0; i < n; i++) {
		slots[i] = b->slot[start + i];
		if (i < end)
			pivots[i] = b->last[start + i];
	}
	if (end < mt_pivots[type])
		pivots[end] = max;

	if (type == maple_arange_64) {
		unsigned long *gaps = node->ma64.gap;

		for (i = 0; i < n; i++) {
			gaps[i] = b->gap[start + i];
			if (gaps[i] > max_gap) {
				max_gap = gaps[i];
				gap_off = i;
			}
		}
		node->ma64.meta.end = end;
		node->ma64.meta.gap = gap_off;
		return max_gap;
	}
	if (end < mt_slots[type] - 1)
		node->mr64.meta.end = end;
	if (type == maple_leaf_64 && mt_is_alloc(mt)) {
		unsigned long first = min;

		for (i = 0; i < n; i++) {
			unsigned long last = b->last[start + i];

			if (!b->slot[start + i] && last - first + 1 > max_gap)
				max_gap = last - first + 1;
			first = last + 1;
		}
	}
	return max_gap;
}

/**
 * mt_node_rewrite - rewrite slots of a live leaf in place (not RCU mode).
 * @node: the leaf
 * @type: its type
 * @b: the leaf's new slots (all of them)
 * @from: first slot to write
 * @to: last slot to write (the slots outside [from, to] are unchanged in @b)
 * @old_end: the leaf's end before the write
 * @max: the leaf's maximum
 */
void mt_node_rewrite(struct maple_node *node, enum maple_type type,
		     const struct mt_big *b, unsigned char from, unsigned char to,
		     unsigned char old_end, unsigned long max)
{
	unsigned long *pivots = ma_pivots(node, type);
	void **slots = ma_slots(node, type);
	unsigned char end = b->count - 1, i;

	if (to > end)
		to = end;
	if (old_end == mt_slots[type] - 1 && end < old_end)
		slots[old_end] = NULL;	/* clears the metadata's storage */
	for (i = from; i <= to; i++) {
		slots[i] = b->slot[i];
		if (i < end)
			pivots[i] = b->last[i];
	}
	for (i = end + 1; i <= old_end; i++) {
		if (i < mt_slots[type] - 1)
			slots[i] = NULL;
		if (i < mt_pivots[type])
			pivots[i] = 0;
	}
	if (end < mt_pivots[type])
		pivots[end] = max;
	if (end < mt_slots[type] - 1)
		node->mr64.meta.end = end;
}

/* Append slots [from, to] of a node at level @lv to @b. */
static void mt_big_copy(struct mt_big *b, const struct mt_level *lv,
			unsigned char from, unsigned char to)
{
	struct maple_node *node = mte_to_node(lv->enode);
	enum maple_type type = mte_node_type(lv->enode);
	unsigned long *pivots = ma_pivots(node, type);
	void **slots = ma_slots(node, type);
	unsigned long *gaps = ma_gaps(node, type);
	unsigned char i;

	if (from > to || to > lv->end)
		return;
	for (i = from; i <= to; i++)
		mt_big_push(b, slots[i], ma_slot_max(pivots, i, lv->end, lv->max),
			    gaps ? gaps[i] : 0);
}

/**
 * mt_big_leaf_write - the slots of the write's leaf level after the write.
 * @wr: the prepared write
 * @b: filled with L's slots before the write, the remnants, the new entry
 *	and R's slots after it
 */
void mt_big_leaf_write(struct ma_wr_state *wr, struct mt_big *b)
{
	struct ma_state *mas = wr->mas;
	struct mt_path *rp = wr->spanning ? &wr->right : &wr->left;
	struct mt_level *lv = &wr->left.lvl[wr->left.height];
	struct mt_level *rv = &rp->lvl[rp->height];
	unsigned long *lpiv = ma_pivots(mte_to_node(lv->enode), maple_leaf_64);
	unsigned long *rpiv = ma_pivots(mte_to_node(rv->enode), maple_leaf_64);
	void **lslots = ma_slots(mte_to_node(lv->enode), maple_leaf_64);
	void **rslots = ma_slots(mte_to_node(rv->enode), maple_leaf_64);
	unsigned char loff = ma_find_offset(lpiv, lv->end, mas->index);
	unsigned char roff = ma_find_offset(rpiv, rv->end, mas->last);
	unsigned long r_min = ma_slot_min(lpiv, loff, lv->min);
	unsigned long end_piv = ma_slot_max(rpiv, roff, rv->end, rv->max);

	b->count = 0;
	if (loff)
		mt_big_copy(b, lv, 0, loff - 1);
	if (mas->index > r_min)
		mt_big_push(b, lslots[loff], mas->index - 1, 0);
	mt_big_push(b, wr->entry, mas->last, 0);
	if (mas->last < end_piv)
		mt_big_push(b, rslots[roff], end_piv, 0);
	if (roff < rv->end)
		mt_big_copy(b, rv, roff + 1, rv->end);
}

/* ---- bookkeeping of what the rebuild replaces ------------------------ */

static void rb_single(struct mt_rebuild *rb, struct maple_enode *enode)
{
	unsigned int i;

	if (!rb->commit)
		return;
	for (i = 0; i < rb->nr_singles; i++)
		if (mte_to_node(rb->singles[i]) == mte_to_node(enode))
			return;
	assert(rb->nr_singles < MT_MAX_SINGLES);
	rb->singles[rb->nr_singles++] = enode;
}

static void rb_drop(struct mt_rebuild *rb, struct maple_enode *parent,
		    int from, int to)
{
	if (!rb->commit || from > to)
		return;
	assert(rb->nr_drops < MT_MAX_DROPS);
	rb->drops[rb->nr_drops].parent = parent;
	rb->drops[rb->nr_drops].from = from;
	rb->drops[rb->nr_drops].to = to;
	rb->nr_drops++;
}

/* Level @d is replaced: L[d] and R[d] go, and the subtrees strictly
 * between them are dropped (found through their parents at d - 1). */
static void rb_level_done(struct mt_rebuild *rb, unsigned char d)
{
	struct mt_level *pl, *pr;

	rb_single(rb, rb->l->lvl[d].enode);
	rb_single(rb, rb->r->lvl[d].enode);
	if (d == 1)
		return;
	pl = &rb->l->lvl[d - 1];
	pr = &rb->r->lvl[d - 1];
	if (pl->enode == pr->enode) {
		rb_drop(rb, pl->enode, pl->offset + 1, (int)pr->offset - 1);
	} else {
		rb_drop(rb, pl->enode, pl->offset + 1, pl->end);
		rb_drop(rb, pr->enode, 0, (int)pr->offset - 1);
	}
}

/* ---- moving the run's edges outwards -------------------------------- */

static int rb_left_pivot_level(const struct mt_path *p, unsigned char d)
{
	int j;

	for (j = d - 1; j >= 1; j--)
		if (p->lvl[j].offset > 0)
			return j;
	return 0;
}

static int rb_right_pivot_level(const struct mt_path *p, unsigned char d)
{
	int j;

	for (j = d - 1; j >= 1; j--)
		if (p->lvl[j].offset < p->lvl[j].end)
			return j;
	return 0;
}

/* Re-derive levels j+1 .. d of @p below a changed offset at level j,
 * following the rightmost (@rightmost) or leftmost children. */
static void rb_descend(struct mt_rebuild *rb, struct mt_path *p, int j,
		       unsigned char d, bool rightmost)
{
	int i;

	for (i = j + 1; i <= d; i++) {
		struct mt_level *up = &p->lvl[i - 1];
		struct mt_level *lv = &p->lvl[i];
		struct maple_node *pnode = mte_to_node(up->enode);
		unsigned long *pivots = ma_pivots(pnode, rb->itype);
		struct maple_enode *child = ma_slots(pnode, rb->itype)[up->offset];

		/* Levels above d that the path leaves are consumed too. */
		if (i < d)
			rb_single(rb, lv->enode);
		lv->enode = child;
		lv->min = ma_slot_min(pivots, up->offset, up->min);
		lv->max = ma_slot_max(pivots, up->offset, up->end, up->max);
		lv->end = ma_data_end(mte_to_node(child), mte_node_type(child), lv->max);
		lv->offset = rightmost ? lv->end : 0;
	}
}

/* Pull the node left of OL[d] into the run; prepend its slots to @big. */
static void rb_pull_left(struct mt_rebuild *rb, struct mt_big *big, unsigned char d)
{
	int j = rb_left_pivot_level(&rb->ol, d);
	struct mt_big tmp;
	unsigned char i;

	rb->ol.lvl[j].offset--;
	rb_descend(rb, &rb->ol, j, d, true);
	tmp.count = 0;
	mt_big_copy(&tmp, &rb->ol.lvl[d], 0, rb->ol.lvl[d].end);
	rb_single(rb, rb->ol.lvl[d].enode);
	for (i = 0; i < big->count; i++)
		mt_big_push(&tmp, big->slot[i], big->last[i], big->gap[i]);
	*big = tmp;
}

/* Pull the node right of OR[d] into the run; append its slots to @big. */
static void rb_pull_right(struct mt_rebuild *rb, struct mt_big *big, unsigned char d)
{
	int j = rb_right_pivot_level(&rb->or, d);

	rb->or.lvl[j].offset++;
	rb_descend(rb, &rb->or, j, d, false);
	mt_big_copy(big, &rb->or.lvl[d], 0, rb->or.lvl[d].end);
	rb_single(rb, rb->or.lvl[d].enode);
}

/* Node count (slots) of the sibling at @offset of the parent level @up. */
static unsigned char rb_child_count(struct mt_rebuild *rb, const struct mt_level *up,
				    unsigned char offset)
{
	struct maple_node *pnode = mte_to_node(up->enode);
	unsigned long *pivots = ma_pivots(pnode, rb->itype);
	struct maple_enode *child = ma_slots(pnode, rb->itype)[offset];
	unsigned long max = ma_slot_max(pivots, offset, up->end, up->max);

	return ma_data_end(mte_to_node(child), mte_node_type(child), max) + 1;
}

/* ---- making nodes ---------------------------------------------------- */

/*
 * Cut @big into @k balanced nodes of @type covering [@min, ...].  In a dry
 * run only count them.  The new nodes are appended to @up (the parent
 * level's big) as children, with their maxima and gaps.
 */
static void rb_make(struct mt_rebuild *rb, const struct mt_big *big,
		    enum maple_type type, unsigned char k, unsigned long min,
		    struct mt_big *up, struct maple_node **made)
{
	unsigned char start = 0, i;

	rb->used += k;
	for (i = 0; i < k; i++) {
		unsigned char n = big->count / k + (i < big->count % k);
		unsigned long max = big->last[start + n - 1];
		unsigned long gap = 0;

		if (rb->commit) {
			struct maple_node *node = mas_pop_node(rb->wr->mas);

			gap = mt_node_fill(rb->mt, node, type, big, start, n, min, max);
			if (!ma_is_leaf(type)) {
				unsigned char c;

				for (c = 0; c < n; c++)
					mt_write_once(mte_to_node(big->slot[start + c])->parent,
						      mt_mk_parent(node, c));
			}
			made[i] = node;
			mt_big_push(up, mt_mk_node(node, type), max, gap);
		} else {
			made[i] = NULL;
			mt_big_push(up, NULL, max, 0);
		}
		start += n;
		min = max + 1;
	}
}

/* Publish @enode as the tree's root at height @height. */
static void rb_set_root(struct mt_rebuild *rb, struct maple_enode *enode,
			unsigned char height)
{
	struct maple_tree *mt = rb->mt;

	mt_write_once(mte_to_node(enode)->parent, mt_mk_root_parent(mt));
	mt_set_height(mt, height);
	mt_write_release(mt->ma_root, mte_mk_root(enode));
}

/* Step 3: the run is the whole level @d (or @d is the root level). */
static void rb_finalize(struct mt_rebuild *rb, struct mt_big *big, unsigned char d,
			enum maple_type type, unsigned long min)
{
	unsigned char h = rb->l->height, j;
	struct maple_node *made[3];
	struct mt_big up;

	up.count = 0;
	if (!ma_is_leaf(type) && big->count == 1) {
		if (rb->commit)
			rb_set_root(rb, big->slot[0], h - d);
	} else if (big->count <= mt_slots[type]) {
		rb_make(rb, big, type, 1, min, &up, made);
		if (rb->commit)
			rb_set_root(rb, up.slot[0], h - d + 1);
	} else {
		unsigned char k = big->count <= 2 * mt_slots[type] ? 2 : 3;
		struct mt_big top;

		top.count = 0;
		rb_make(rb, big, type, k, min, &up, made);
		rb_make(rb, &up, rb->itype, 1, min, &top, made);
		if (rb->commit)
			rb_set_root(rb, top.slot[0], h - d + 2);
	}

	/* Everything at and above level d is replaced. */
	for (j = d; j >= 1; j--) {
		rb_level_done(rb, j);
		rb_single(rb, rb->ol.lvl[j].enode);
		rb_single(rb, rb->or.lvl[j].enode);
	}
}

/* Step 5: one new node replaces one node: store it in the parent. */
static void rb_replace(struct mt_rebuild *rb, const struct mt_level *up,
		       const struct mt_big *made_up, struct maple_node *made)
{
	struct maple_node *pnode = mte_to_node(up->enode);
	void **slots = ma_slots(pnode, rb->itype);

	if (!rb->commit)
		return;
	made->parent = mt_mk_parent(pnode, up->offset);
	mt_write_release(slots[up->offset], made_up->slot[0]);
	if (mt_is_alloc(rb->mt)) {
		unsigned long *pivots = ma_pivots(pnode, rb->itype);

		mas_update_gap_from(rb->mt, made_up->slot[0],
				    ma_slot_min(pivots, up->offset, up->min),
				    made_up->last[0]);
	}
}

/* Free (or queue for freeing) everything the rebuild replaced. */
static void rb_release(struct mt_rebuild *rb)
{
	bool rcu = mt_in_rcu(rb->mt);
	unsigned int i;

	for (i = 0; i < rb->nr_drops; i++) {
		struct mt_drop *dr = &rb->drops[i];
		void **slots = ma_slots(mte_to_node(dr->parent), rb->itype);
		unsigned char s;

		for (s = dr->from; s <= dr->to; s++)
			mt_destroy_walk(rb->mt, slots[s], rcu);
	}
	for (i = 0; i < rb->nr_singles; i++)
		mas_free_old(rb->mt, mte_to_node(rb->singles[i]));
}

/**
 * mas_wr_rebuild - perform, or count, a structural write.
 * @wr: a prepared write of type node store (RCU), split, rebalance or
 *	spanning store
 * @commit: false for a dry run that only counts nodes
 *
 * Context: the write lock.  With @commit, the state must hold enough nodes
 * (a dry run told how many); a shortfall is served by mas_pop_node()'s
 * fallback.
 * Return: the number of new nodes the write uses.
 */
unsigned long mas_wr_rebuild(struct ma_wr_state *wr, bool commit)
{
	static __thread struct mt_rebuild rb_tls;
	struct mt_rebuild *rb = &rb_tls;
	struct mt_big big, up;
	unsigned char h = wr->left.height, d = h;
	unsigned long min;
	struct maple_node *made[3];

	rb->wr = wr;
	rb->mt = wr->mas->tree;
	rb->commit = commit;
	rb->itype = mt_internal_type(rb->mt);
	rb->l = &wr->left;
	rb->r = wr->spanning ? &wr->right : &wr->left;
	memcpy(rb->ol.lvl, rb->l->lvl, sizeof(rb->l->lvl[0]) * (h + 1));
	memcpy(rb->or.lvl, rb->r->lvl, sizeof(rb->r->lvl[0]) * (h + 1));
	rb->ol.height = rb->or.height = h;
	rb->used = 0;
	rb->nr_singles = 0;
	rb->nr_drops = 0;

	mt_big_leaf_write(wr, &big);
	min = rb->ol.lvl[h].min;

	for (;;) {
		enum maple_type type = d == h ? maple_leaf_64 : rb->itype;
		unsigned char cap = mt_slots[type];
		struct mt_level *pl, *pr;
		unsigned char k;

		if (d > 1 && big.count < mt_min_slots[type] + 1) {
			int left = rb_left_pivot_level(&rb->ol, d);
			int right = rb_right_pivot_level(&rb->or, d);

			/* A sibling under the same parent keeps the rebuild
			 * to one parent; a cousin only if there is none. */
			if (left == d - 1 || (left && right != d - 1)) {
				rb_pull_left(rb, &big, d);
				min = rb->ol.lvl[d].min;
			} else if (right) {
				rb_pull_right(rb, &big, d);
			}
		}
		if (d == 1 || (!rb_left_pivot_level(&rb->ol, d) &&
			       !rb_right_pivot_level(&rb->or, d))) {
			rb_finalize(rb, &big, d, type, min);
			break;
		}

		k = big.count <= cap ? 1 : big.count <= 2 * cap ? 2 : 3;
		pl = &rb->ol.lvl[d - 1];
		pr = &rb->or.lvl[d - 1];
		if (k == 2 && pl->enode == pr->enode && pl->offset == pr->offset &&
		    pl->end == mt_slots[rb->itype] - 1) {
			/* Split under a full parent: push into a sibling. */
			if (pl->offset > 0 &&
			    rb_child_count(rb, pl, pl->offset - 1) + big.count <= 2 * cap) {
				rb_pull_left(rb, &big, d);
				min = rb->ol.lvl[d].min;
				if (commit)
					mt_stat_inc(rb->mt, rebalance_pushes, 1);
			} else if (pr->offset < pr->end &&
				   rb_child_count(rb, pr, pr->offset + 1) + big.count <= 2 * cap) {
				rb_pull_right(rb, &big, d);
				if (commit)
					mt_stat_inc(rb->mt, rebalance_pushes, 1);
			}
		}

		up.count = 0;
		rb_make(rb, &big, type, k, min, &up, made);
		rb_level_done(rb, d);
		rb_single(rb, rb->ol.lvl[d].enode);
		rb_single(rb, rb->or.lvl[d].enode);

		pl = &rb->ol.lvl[d - 1];
		pr = &rb->or.lvl[d - 1];
		if (k == 1 && pl->enode == pr->enode && pl->offset == pr->offset) {
			rb_replace(rb, pl, &up, made[0]);
			break;
		}

		/* Step 6: the parent level's slots around the new nodes. */
		big.count = 0;
		if (pl->offset)
			mt_big_copy(&big, pl, 0, pl->offset - 1);
		{
			unsigned char i;

			for (i = 0; i < up.count; i++)
				mt_big_push(&big, up.slot[i], up.last[i], up.gap[i]);
		}
		if (pr->offset < pr->end)
			mt_big_copy(&big, pr, pr->offset + 1, pr->end);
		min = pl->min;
		d--;
	}

	if (commit)
		rb_release(rb);
	return rb->used;
}
