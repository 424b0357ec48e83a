/* SPDX-License-Identifier: MIT */
/*
 * dup.c - duplicating a whole tree node by node: __mt_dup() and mtree_dup().
 *
 * DOC: Duplication
 *
 * The copy is built in one depth-first pre-order pass over the source.
 * Every source node is copied whole into a node allocated beforehand; the
 * copy then gets its own parent word and, if it is internal, a fresh child
 * node for each of its slots, all allocated in one bulk call before the
 * pass descends.  Leaf entries are copied as they are.  The copy has the
 * source's exact shape, pivots, gaps and metadata, at a cost linear in the
 * number of nodes.
 *
 * A node of the copy is therefore always in one of two states: complete
 * (copied, with all its children allocated and linked), or still zeroed as
 * it came from the allocator (a child whose turn has not come).  A failed
 * allocation leaves the node being filled zeroed, so the partial copy can
 * be freed with mt_destroy_walk(), which skips the NULL slots of zeroed
 * internal nodes.  The new tree's root is published only once the copy is
 * complete.
 */
#include <errno.h>

#include "alloc_internal.h"
#include "internal.h"

/* One level of the pre-order pass: a source node and its copy. */
struct mt_dup_level {
	struct maple_node *src;
	struct maple_node *dst;
	enum maple_type type;
	unsigned long max;	/* the node's maximum, for ma_data_end() */
	unsigned char end;	/* last used offset of both nodes */
	unsigned char next;	/* next child offset to copy */
};

/*
 * Fill the zeroed node @lvl->dst from @lvl->src and give it the parent word
 * @parent; for an internal node, first allocate every child of the copy in
 * one bulk call.  On failure @lvl->dst is left zeroed.
 */
static int mt_dup_node(struct maple_tree *new, struct mt_dup_level *lvl,
		       struct maple_pnode *parent, gfp_t gfp)
{
	struct maple_node *children[MAPLE_RANGE64_SLOTS];
	void **src_slots, **dst_slots;
	unsigned char i;
	int ret;

	lvl->end = ma_data_end(lvl->src, lvl->type, lvl->max);
	lvl->next = 0;
	if (!ma_is_leaf(lvl->type)) {
		ret = mt_node_alloc_bulk(gfp, lvl->end + 1, children);
		if (ret)
			return ret;
		mt_stat_inc(new, nodes_allocated, lvl->end + 1);
	}

	memcpy(lvl->dst, lvl->src, sizeof(*lvl->dst));
	lvl->dst->parent = parent;
	if (ma_is_leaf(lvl->type))
		return 0;

	src_slots = ma_slots(lvl->src, lvl->type);
	dst_slots = ma_slots(lvl->dst, lvl->type);
	for (i = 0; i <= lvl->end; i++)
		dst_slots[i] = mt_mk_node(children[i], mte_node_type(src_slots[i]));
	return 0;
}

/* Step from @up to its next child, @down, and fill the child's copy. */
static int mt_dup_descend(struct maple_tree *new, struct mt_dup_level *up,
			  struct mt_dup_level *down, gfp_t gfp)
{
	unsigned char offset = up->next++;
	struct maple_enode *src = ma_slots(up->src, up->type)[offset];
	struct maple_enode *dst = ma_slots(up->dst, up->type)[offset];

	down->src = mte_to_node(src);
	down->dst = mte_to_node(dst);
	down->type = mte_node_type(src);
	down->max = ma_slot_max(ma_pivots(up->src, up->type), offset, up->end,
				up->max);
	return mt_dup_node(new, down, mt_mk_parent(up->dst, offset), gfp);
}

/* Copy the flags (height included) and publish @root in @new. */
static void mt_dup_publish(const struct maple_tree *mt, struct maple_tree *new,
			   void *root)
{
	mt_write_once(new->ma_flags, mt->ma_flags);
	mt_write_release(new->ma_root, root);
}

/* Copy every node under the source root @src_root into @new. */
static int mt_dup_nodes(struct maple_tree *mt, struct maple_tree *new,
			struct maple_enode *src_root, gfp_t gfp)
{
	struct mt_dup_level stack[MAPLE_HEIGHT_MAX];
	struct maple_enode *dst_root;
	struct maple_node *node;
	unsigned int depth = 0;
	int ret;

	node = mt_node_alloc(gfp);
	if (!node)
		return -ENOMEM;
	mt_stat_inc(new, nodes_allocated, 1);
	dst_root = mt_mk_node(node, mte_node_type(src_root));

	stack[0].src = mte_to_node(src_root);
	stack[0].dst = node;
	stack[0].type = mte_node_type(src_root);
	stack[0].max = ULONG_MAX;
	ret = mt_dup_node(new, &stack[0], mt_mk_root_parent(new), gfp);
	while (!ret) {
		struct mt_dup_level *lvl = &stack[depth];

		if (!ma_is_leaf(lvl->type) && lvl->next <= lvl->end) {
			assert(depth + 1 < MAPLE_HEIGHT_MAX);
			ret = mt_dup_descend(new, lvl, &stack[depth + 1], gfp);
			if (!ret)
				depth++;
			continue;
		}
		if (!depth)
			break;
		depth--;
	}

	if (ret) {
		mt_destroy_walk(new, dst_root, false);
		return ret;
	}
	mt_dup_publish(mt, new, mte_mk_root(dst_root));
	return 0;
}

/**
 * __mt_dup - duplicate a tree into an empty one, node by node.
 * @mt: the source tree
 * @new: the target tree: empty, with the same attributes as @mt
 * @gfp: allocation context for the new nodes (GFP_KERNEL may block)
 *
 * Builds a copy of @mt with exactly the same shape (see the DOC comment of
 * dup.c), copies the flags of @mt (height included) into @new and then
 * publishes the copy's root.  Leaf entries are copied as they are: the
 * objects they point to are shared.  Node allocations are charged to
 * @new's statistics, and so are the frees of a failed attempt.
 *
 * Context: takes no lock: the caller holds the write locks of both trees.
 * May block if @gfp allows it.
 * Return: 0 on success; -EINVAL if mt_attr() differs between the trees or
 * @new is not empty; -ENOMEM if a node allocation failed, in which case
 * every node allocated for the copy has been freed and @new is left empty
 * and unchanged.
 */
int __mt_dup(struct maple_tree *mt, struct maple_tree *new, gfp_t gfp)
{
	void *root;

	mt_assert_write_locked(mt);
	mt_assert_write_locked(new);
	if (mt_attr(mt) != mt_attr(new) || !mtree_empty(new))
		return -EINVAL;

	root = mt->ma_root;
	if (!xa_is_node(root)) {
		/* Empty or a single entry at index 0: nothing to allocate. */
		mt_dup_publish(mt, new, root);
		return 0;
	}
	return mt_dup_nodes(mt, new, mte_safe_root(root), gfp);
}

/**
 * mtree_dup - duplicate a tree into an empty one, node by node.
 * @mt: the source tree
 * @new: the target tree: empty, with the same attributes as @mt
 * @gfp: allocation context for the new nodes (GFP_KERNEL may block)
 *
 * Locked form of __mt_dup(): takes @new's lock, then @mt's, and releases
 * them in the opposite order.
 *
 * Context: takes and releases both trees' internal locks (for trees made
 * with MT_FLAGS_LOCK_EXTERN the caller holds the external locks instead).
 * May block if @gfp allows it.
 * Return: 0 on success; -EINVAL if mt_attr() differs between the trees,
 * @new is not empty or @new is @mt; -ENOMEM if a node allocation failed,
 * in which case nothing is leaked and @new is left empty and unchanged.
 */
int mtree_dup(struct maple_tree *mt, struct maple_tree *new, gfp_t gfp)
{
	int ret;

	/* Taking the same lock twice would deadlock. */
	if (mt == new)
		return -EINVAL;

	mtree_lock(new);
	mtree_lock(mt);
	ret = __mt_dup(mt, new, gfp);
	mtree_unlock(mt);
	mtree_unlock(new);
	return ret;
}
