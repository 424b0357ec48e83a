/* SPDX-License-Identifier: MIT */
/*
 * prealloc.c - where a write's nodes come from: mas_preallocate(), the
 * store entry points of the advanced API (mas_store, mas_store_gfp,
 * mas_store_prealloc, mas_erase) and mas_destroy().
 *
 * Coding conventions in this file:
 *  @mas:   the maple state; mas->alloc is a stack of reserved nodes linked
 *          through node->free_next, mas->alloc_count its depth
 *  @entry: what the pending write stores
 *  @gfp:   allocation context (GFP_KERNEL may block, GFP_NOWAIT may not)
 *
 * DOC: Exact preallocation
 *
 * mas_preallocate() walks to the write, decides its store type exactly as
 * the store will (mas_wr_prepare()), and counts its nodes: 0 for exact
 * fit, slot store and append; 0 (or 1 in RCU mode) for a node store; for
 * split, rebalance and spanning store the number that a dry run of the
 * rebuild (rebuild.c) makes, which is the number the real run makes on the
 * same tree.  The request is therefore never more than Linux 6.18's bound
 * for the same write type, and every node is used.
 *
 * DOC: The contract between mas_preallocate() and mas_store_prealloc()
 *
 * Between the two calls the caller must keep holding the write lock and
 * must not change the tree through any other state, and must store the
 * same entry class (NULL vs non-NULL) over the same range.  The store
 * re-classifies the write from the current tree (reusing the leaf found by
 * mas_preallocate(), without walking from the root again).  If the
 * contract was broken and the write now needs more nodes than were
 * reserved, Linux 6.18 would crash (an empty sheaf yields NULL); here the
 * store allocates the missing nodes with GFP_NOWAIT, or without fault
 * injection if that fails, counts each one in
 * mt_stats.prealloc_fallbacks, and completes.  mas_store_prealloc()
 * therefore never fails.  Unused reserved nodes are freed by mas_destroy()
 * (called by mas_store_prealloc() itself) and counted as prealloc_unused.
 */
#include <errno.h>

#include "alloc_internal.h"
#include "internal.h"

#define MT_BULK_BATCH	32

/**
 * mas_alloc_nodes - reserve @count more nodes on the state.
 * @mas: the maple state
 * @count: nodes to add
 * @gfp: allocation context
 *
 * Return: 0, or -ENOMEM (nodes of earlier batches stay on the state).
 */
int mas_alloc_nodes(struct ma_state *mas, unsigned long count, gfp_t gfp)
{
	struct maple_node *batch[MT_BULK_BATCH];

	while (count) {
		size_t n = count < MT_BULK_BATCH ? count : MT_BULK_BATCH, i;

		if (mt_node_alloc_bulk(gfp, n, batch))
			return -ENOMEM;
		for (i = 0; i < n; i++) {
			batch[i]->free_next = mas->alloc;
			mas->alloc = batch[i];
		}
		mas->alloc_count += n;
		mt_stat_inc(mas->tree, nodes_allocated, n);
		count -= n;
	}
	return 0;
}

/**
 * mas_pop_node - take a zeroed node for a write.
 * @mas: the maple state
 *
 * Takes a reserved node; if none is left (a count was wrong, or the
 * preallocation contract was broken) allocates one, counted as a fallback.
 * Return: a zeroed node, never NULL.
 */
struct maple_node *mas_pop_node(struct ma_state *mas)
{
	struct maple_node *node = mas->alloc;

	if (node) {
		mas->alloc = node->free_next;
		node->free_next = NULL;
		mas->alloc_count--;
		return node;
	}
	mt_stat_inc(mas->tree, prealloc_fallbacks, 1);
	node = mt_node_alloc(GFP_NOWAIT);
	if (!node)
		node = mt_node_alloc(GFP_NOWAIT | __GFP_NOFAIL);
	mt_stat_inc(mas->tree, nodes_allocated, 1);
	return node;
}

/**
 * mas_free_old - free a node the tree no longer links to.
 * @mt: the tree
 * @node: the node
 *
 * In RCU mode the node is marked dead and freed after a grace period.
 */
void mas_free_old(struct maple_tree *mt, struct maple_node *node)
{
	if (mt_in_rcu(mt)) {
		ma_set_node_dead(node);
		mt_node_free_rcu(node);
	} else {
		mt_node_free(node);
	}
	mt_stat_inc(mt, nodes_freed, 1);
}

/**
 * mas_destroy - free the nodes still reserved on a state.
 * @mas: the maple state
 *
 * Call after mas_preallocate() if the write is not done after all, and
 * after a series of mas_store() calls on a preallocated state.
 * Context: any; the nodes are private to the state.
 */
void mas_destroy(struct ma_state *mas)
{
	unsigned long n = mas->alloc_count;

	while (mas->alloc) {
		struct maple_node *node = mas->alloc;

		mas->alloc = node->free_next;
		node->free_next = NULL;
		mt_node_free(node);
	}
	mas->alloc_count = 0;
	mas->node_request = 0;
	if (n) {
		if (mas->mas_flags & MA_STATE_PREALLOC)
			mt_stat_inc(mas->tree, prealloc_unused, n);
		mt_stat_inc(mas->tree, nodes_freed, n);
	}
	mas->mas_flags &= ~MA_STATE_PREALLOC;
}

/*
 * Put the state on the write's leaf: the slot holding mas->index, with the
 * leaf's end read afresh (an in-place write may have changed it).
 */
static void mas_wr_to_leaf(struct ma_wr_state *wr)
{
	struct ma_state *mas = wr->mas;
	struct mt_level *lv = &wr->left.lvl[wr->left.height];
	struct maple_node *node = mte_to_node(lv->enode);

	mas->node = lv->enode;
	mas->min = lv->min;
	mas->max = lv->max;
	mas->end = ma_data_end(node, maple_leaf_64, lv->max);
	mas->offset = ma_find_offset(ma_pivots(node, maple_leaf_64), mas->end,
				     mas->index);
	mas->gen = mt_gen(mas->tree);
	mas->status = ma_active;
}

/* Leave the state after a write: on the leaf for in-place writes (so an
 * iteration can continue without a walk), paused otherwise. */
static void mas_wr_leave(struct ma_wr_state *wr)
{
	struct ma_state *mas = wr->mas;

	switch (mas->store_type) {
	case wr_exact_fit:
	case wr_append:
	case wr_slot_store:
		break;
	case wr_node_store:
		if (!mt_in_rcu(mas->tree))
			break;
		/* fall through */
	default:
		mas->status = ma_pause;
		mas->node = NULL;
		return;
	}
	mas_wr_to_leaf(wr);
}

/* Position the state on the write's leaf after mas_preallocate(). */
static void mas_wr_park(struct ma_wr_state *wr)
{
	struct ma_state *mas = wr->mas;

	if (!wr->left.height) {
		mas->status = ma_start;
		mas->node = NULL;
		return;
	}
	mas_wr_to_leaf(wr);
}

static void mas_set_err(struct ma_state *mas, int err)
{
	mas->status = ma_error;
	mas->error = err;
	mas->node = NULL;
}

/**
 * mas_preallocate - reserve exactly the nodes a pending store will use.
 * @mas: the maple state, with mas->index/last set to the range to write
 * @entry: the entry that will be stored (NULL-ness and range decide the
 *	store type)
 * @gfp: allocation context
 *
 * Classifies the write and reserves its nodes; sets mas->store_type and
 * mas->node_request and leaves the state on the write's leaf so that
 * mas_store_prealloc() does not walk again.  For NULL writes the range is
 * widened over neighbouring NULL ranges.  Counts per store type are in
 * mt_get_stats() (requested, Linux 6.18's count, the 2023 worst case).
 * Context: the write lock, held until mas_store_prealloc() or
 * mas_destroy().  See the contract in docs/mtree.md.
 * Return: 0, -ENOMEM (nothing reserved), or -EINVAL for index > last.
 */
int mas_preallocate(struct ma_state *mas, void *entry, gfp_t gfp)
{
	struct ma_wr_state wr;
	struct maple_tree *mt = mas->tree;
	enum store_type type;
	unsigned long count;
	int ret;

	mt_assert_write_locked(mt);
	ret = mas_wr_prepare(&wr, mas, entry);
	if (ret)
		return ret;
	type = mas->store_type;
	count = mas_wr_node_count(&wr);

	mt_stat_inc(mt, prealloc_calls[type], 1);
	mt_stat_inc(mt, prealloc_requested[type], count);
	mt_stat_inc(mt, prealloc_worst[type], 1 + 3 * (unsigned long)mt_height(mt));
	mt_stat_inc(mt, prealloc_linux[type], mas_wr_linux_count(&wr));

	mas->node_request = count;
	if (count > mas->alloc_count) {
		ret = mas_alloc_nodes(mas, count - mas->alloc_count, gfp);
		if (ret) {
			mas_destroy(mas);
			mas->store_type = wr_invalid;
			mas_reset(mas);
			return ret;
		}
	}
	mas->mas_flags |= MA_STATE_PREALLOC;
	mas_wr_park(&wr);
	return 0;
}

/* Classify and run a write with whatever the state holds. */
static int mas_wr_run(struct ma_state *mas, void *entry, struct ma_wr_state *wr,
		      bool reserve, gfp_t gfp)
{
	int ret = mas_wr_prepare(wr, mas, entry);

	if (ret) {
		mas_set_err(mas, ret);
		return ret;
	}
	if (reserve) {
		unsigned long count = mas_wr_node_count(wr);

		if (count > mas->alloc_count &&
		    mas_alloc_nodes(mas, count - mas->alloc_count, gfp)) {
			mas_destroy(mas);
			mas_set_err(mas, -ENOMEM);
			return -ENOMEM;
		}
	}
	mas_wr_commit(wr);
	mas_wr_leave(wr);
	return 0;
}

/**
 * mas_store_prealloc - store with the nodes reserved by mas_preallocate().
 * @mas: the maple state, as left by mas_preallocate() (the range may be
 *	re-set with __mas_set_range(), which keeps the position)
 * @entry: the entry
 *
 * Never fails: a shortfall (only possible if the preallocation contract
 * was broken) is allocated on the spot and counted as a fallback.  Frees
 * unused reserved nodes.
 * Context: the write lock, held since mas_preallocate().
 */
void mas_store_prealloc(struct ma_state *mas, void *entry)
{
	struct ma_wr_state wr;
	unsigned long before = mas->alloc_count;

	mt_assert_write_locked(mas->tree);
	if (!mas_wr_run(mas, entry, &wr, false, GFP_NOWAIT))
		mt_stat_inc(mas->tree, prealloc_used[mas->store_type],
			    before - mas->alloc_count);
	mas->store_type = wr_invalid;
	mas_destroy(mas);
}

/**
 * mas_store - store @entry over mas->index .. mas->last.
 * @mas: the maple state
 * @entry: the entry (may be NULL: erases the range)
 *
 * Uses nodes reserved by mas_preallocate() if any (and keeps the rest for
 * later stores: call mas_destroy() at the end); otherwise allocates with
 * GFP_NOWAIT.
 * Context: the write lock.
 * Return: the entry that was at mas->index; on failure the state is in
 * error (mas_is_err()) and the tree unchanged.
 */
void *mas_store(struct ma_state *mas, void *entry)
{
	struct ma_wr_state wr;
	bool prealloc = mas->mas_flags & MA_STATE_PREALLOC;

	mt_assert_write_locked(mas->tree);
	if (mas_wr_run(mas, entry, &wr, !prealloc, GFP_NOWAIT))
		return NULL;
	if (!prealloc)
		mas_destroy(mas);
	mas->store_type = wr_invalid;
	return wr.old;
}

/**
 * mas_store_gfp - store @entry over mas->index .. mas->last, allocating
 * with @gfp.
 * @mas: the maple state
 * @entry: the entry
 * @gfp: allocation context
 *
 * Context: the write lock (never dropped: nodes are allocated before the
 * tree is touched).
 * Return: 0, -ENOMEM (tree unchanged), or -EINVAL for index > last.
 */
int mas_store_gfp(struct ma_state *mas, void *entry, gfp_t gfp)
{
	struct ma_wr_state wr;
	int ret;

	mt_assert_write_locked(mas->tree);
	ret = mas_wr_run(mas, entry, &wr, true, gfp);
	mas->store_type = wr_invalid;
	mas_destroy(mas);
	return ret;
}

/**
 * mas_erase - erase the entry holding mas->index.
 * @mas: the maple state
 *
 * Stores NULL over the whole range of the entry found at mas->index.
 * Context: the write lock.
 * Return: the erased entry, or NULL if there was none (or on -ENOMEM, with
 * the state in error and the tree unchanged).
 */
void *mas_erase(struct ma_state *mas)
{
	void *entry;

	mt_assert_write_locked(mas->tree);
	if (mas->status == ma_error)
		mas_reset(mas);
	mas->status = ma_start;
	entry = mas_walk(mas);
	if (!entry)
		return NULL;
	if (mas_store_gfp(mas, NULL, GFP_KERNEL))
		return NULL;
	return entry;
}
