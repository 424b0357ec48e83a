/* SPDX-License-Identifier: MIT */
/*
 * destroy.c - freeing whole trees and unlinked subtrees: mt_destroy_walk(),
 * __mt_destroy() and mtree_destroy().
 *
 * Entries stored in leaves belong to the user and are never touched; only
 * the nodes are freed.
 */
#include "alloc_internal.h"
#include "internal.h"

/* Give one node back: at once, or after a grace period for RCU readers. */
static void mt_destroy_free_node(struct maple_node *node, bool rcu)
{
	if (rcu)
		mt_node_free_rcu(node);
	else
		mt_node_free(node);
}

/*
 * Last used offset of an internal node whose maximum is unknown (a subtree
 * root handed to mt_destroy_walk(), and every node on its right spine).
 * ma_data_end() needs the max only for a range_64 node with a non-zero
 * pivot[14]: either pivot[14] is the node max, end is 14 and slot 15 holds
 * the metadata with meta.end == 14 (low bits 110), or all 16 slots are
 * used and slot 15 holds a child (low bits 100, MAPLE_ENODE_NULL).
 */
static unsigned char mt_destroy_end(struct maple_node *node,
				    enum maple_type type)
{
	if (type == maple_range_64 && node->mr64.pivot[MAPLE_RANGE64_PIVOTS - 1]) {
		uintptr_t last = (uintptr_t)node->mr64.slot[MAPLE_RANGE64_SLOTS - 1];

		if ((last & 0x7) == MAPLE_ENODE_NULL)
			return MAPLE_RANGE64_SLOTS - 1;
		return MAPLE_RANGE64_PIVOTS - 1;
	}
	/* meta.end is valid, whatever the max. */
	return ma_data_end(node, type, 0);
}

/*
 * Free the subtree under @enode in post-order: the slots of a node are all
 * read before the node itself is handed to the allocator (in RCU mode its
 * rcu_storage words are reused then, and the grace period may end at any
 * time afterwards).  In RCU mode each node is marked dead before anything
 * else, so a reader that still reaches it restarts from the root.
 *
 * NULL child slots are skipped: a partial copy left by a failed __mt_dup()
 * holds zeroed children (no pivots, no slots, end 0) that are freed here as
 * childless nodes.
 */
static unsigned long mt_destroy_subtree(struct maple_enode *enode, bool rcu)
{
	struct maple_node *node = mte_to_node(enode);
	enum maple_type type = mte_node_type(enode);
	unsigned long freed = 1;

	if (rcu)
		ma_set_node_dead(node);

	if (!ma_is_leaf(type)) {
		void **slots = ma_slots(node, type);
		unsigned char end = mt_destroy_end(node, type);
		unsigned char i;

		for (i = 0; i <= end; i++) {
			if (slots[i])
				freed += mt_destroy_subtree(slots[i], rcu);
		}
	}

	mt_destroy_free_node(node, rcu);
	return freed;
}

/**
 * mt_destroy_walk - free every node of the subtree under @enode.
 * @mt: the tree the subtree belonged to (statistics are charged to it).
 * @enode: root of the subtree, already unlinked from the tree.
 * @rcu: true if readers may still be inside the subtree: every node is
 *	marked dead first and freed after a grace period.
 *
 * Leaf entries are not touched.  NULL child slots are skipped, so the
 * zeroed, not yet filled nodes of a partially built tree may be part of
 * the subtree.  The walk recurses once per level (at most
 * MAPLE_HEIGHT_MAX deep) and allocates nothing.
 *
 * Context: the caller holds the tree's write lock (or owns the subtree
 * alone).  Does not sleep.
 * Return: the number of nodes freed (or queued for freeing after a grace
 * period).
 */
unsigned long mt_destroy_walk(struct maple_tree *mt, struct maple_enode *enode,
			      bool rcu)
{
	unsigned long freed = mt_destroy_subtree(enode, rcu);

	mt_stat_inc(mt, nodes_freed, freed);
	return freed;
}

/**
 * __mt_destroy - free all the nodes of a tree and make it empty.
 * @mt: the tree
 *
 * The root is cleared (with a release store) before any node is touched,
 * so a reader that starts afterwards finds an empty tree; in RCU mode the
 * nodes are marked dead and freed after a grace period, so readers already
 * inside the tree restart and find it empty.  The height is reset to 0; the
 * other flags (allocation range, RCU, lock type) are kept, so the tree can
 * be reused.  Leaf entries are not freed.
 *
 * Context: the caller holds the tree's write lock.  Does not sleep.
 * Return: nothing.
 */
void __mt_destroy(struct maple_tree *mt)
{
	void *root = mt->ma_root;

	mt_assert_write_locked(mt);
	mt_write_release(mt->ma_root, NULL);
	mt_set_height(mt, 0);
	mt_gen_bump(mt);
	if (xa_is_node(root))
		mt_destroy_walk(mt, mte_safe_root(root), mt_in_rcu(mt));
}

/**
 * mtree_destroy - free all the nodes of a tree and make it empty.
 * @mt: the tree
 *
 * Locked form of __mt_destroy(): takes the tree's lock around it.
 *
 * Context: takes and releases the tree's internal lock; for a tree made
 * with MT_FLAGS_LOCK_EXTERN the caller must hold the external lock
 * instead.  Does not sleep.
 * Return: nothing.
 */
void mtree_destroy(struct maple_tree *mt)
{
	mtree_lock(mt);
	__mt_destroy(mt);
	mtree_unlock(mt);
}
