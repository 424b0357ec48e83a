/* SPDX-License-Identifier: MIT */
/*
 * internal.h - functions shared between the files of src/mtree.
 *
 * Which file owns what:
 *   node.h        layout, encodings, accessors
 *   alloc.c       node cache on jemalloc, fault injection (alloc_internal.h)
 *   rcu.c         liburcu glue: read lock wrappers, deferred frees
 *   walk.c        descending walks, mas_walk/mas_load, lookups
 *   iter.c        mas_next/prev/find and their normal-API forms
 *   write.c       store type selection and the in-place write paths
 *   rebuild.c     node store, split, rebalance, spanning store, new root
 *   prealloc.c    mas_preallocate, node reservations, mas_destroy
 *   gap.c         gap bookkeeping and mas_empty_area(_rev)
 *   tree.c        normal API (mtree_*), locks, flags, statistics
 *   dup.c         __mt_dup / mtree_dup
 *   destroy.c     freeing whole trees and subtrees
 *   debug.c       mt_validate, mt_dump (text and DOT)
 */
#ifndef MTREE_INTERNAL_H
#define MTREE_INTERNAL_H

#include <mtree/rcu.h>

#include "node.h"

/* Debug-build assertion that the writer holds the tree's lock. */
#ifdef MT_DEBUG
#define mt_assert_write_locked(mt)	assert(mt_write_locked(mt))
#else
#define mt_assert_write_locked(mt)	((void)(mt))
#endif

/**
 * mt_destroy_walk - free every node of the subtree under @enode.
 * @mt: the tree the subtree belonged to (statistics are charged to it).
 * @enode: root of the subtree, already unlinked from the tree.
 * @rcu: true if readers may still be inside the subtree: every node is
 *	marked dead first and freed after a grace period.
 *
 * Leaf entries are not touched.
 * Return: the number of nodes freed (or queued).
 */
unsigned long mt_destroy_walk(struct maple_tree *mt, struct maple_enode *enode,
			      bool rcu);

/*
 * struct mt_level - one node on a root-to-leaf path.
 * @enode: the node; @min/@max: its range; @end: its last used offset;
 * @offset: the slot the path takes (at the leaf: the slot holding the index).
 */
struct mt_level {
	struct maple_enode *enode;
	unsigned long min;
	unsigned long max;
	unsigned char end;
	unsigned char offset;
};

/* A root-to-leaf path: lvl[1] is the root, lvl[height] the leaf. */
struct mt_path {
	struct mt_level lvl[MAPLE_HEIGHT_MAX + 1];
	unsigned char height;
};

/*
 * struct ma_wr_state - everything a write decides before it changes the
 * tree.  Filled by mas_wr_prepare() (write.c); consumed by the write paths.
 *
 * @mas: the state; mas->index/last hold the final range of the write
 *	(NULL writes are first widened over neighbouring NULL ranges).
 * @entry: what is written.
 * @left: path to the leaf holding mas->index.
 * @right: path to the leaf holding mas->last (== @left unless spanning).
 * @offset: slot of mas->index in the left leaf.
 * @offset_end: slot of mas->last in the right leaf.
 * @r_min: first index of slot @offset; @end_piv: last index of @offset_end.
 * @content: entry of slot @offset of the left leaf (after widening).
 * @old: entry at the original mas->index before the write (what
 *	mas_store() returns).
 * @spanning: the range crosses from the left leaf into another.
 * @new_count: slots in the leaf after a non-spanning write.
 * @vacant_height, @sufficient_height: depths (root = 1) of the deepest
 *	internal node above the write with a free slot / able to lose a slot,
 *	computed as Linux 6.18 does; 0 if none.  Only for prealloc_linux.
 */
struct ma_wr_state {
	struct ma_state *mas;
	void *entry;
	struct mt_path left;
	struct mt_path right;
	unsigned char offset;
	unsigned char offset_end;
	unsigned long r_min;
	unsigned long end_piv;
	void *content;
	void *old;
	bool spanning;
	unsigned char new_count;
	unsigned char vacant_height;
	unsigned char sufficient_height;
};

/* walk.c */
unsigned char ma_find_offset(const unsigned long *pivots, unsigned char end,
			     unsigned long index);
void *mas_descend_to(struct ma_state *mas, unsigned long index);
void *mas_descend(struct ma_state *mas, unsigned long index, unsigned long *first,
		  unsigned long *last);
void mas_slot_range(const struct ma_state *mas, unsigned long *first,
		    unsigned long *last);
void *mas_slot_entry(const struct ma_state *mas);
bool mas_node_alive(const struct ma_state *mas);
void *mtree_lookup(struct maple_tree *mt, unsigned long index);

/* write.c */
int mas_wr_prepare(struct ma_wr_state *wr, struct ma_state *mas, void *entry);
void mas_wr_commit(struct ma_wr_state *wr);
unsigned long mas_wr_node_count(struct ma_wr_state *wr);
unsigned long mas_wr_linux_count(const struct ma_wr_state *wr);
void mt_path_fill(struct maple_tree *mt, unsigned long index, struct mt_path *p);

/* rebuild.c */
unsigned long mas_wr_rebuild(struct ma_wr_state *wr, bool commit);

/* prealloc.c */
struct maple_node *mas_pop_node(struct ma_state *mas);
int mas_alloc_nodes(struct ma_state *mas, unsigned long count, gfp_t gfp);
void mas_free_old(struct maple_tree *mt, struct maple_node *node);

/* gap.c */
unsigned long ma_leaf_max_gap(struct maple_node *node, unsigned long min,
			      unsigned long max, unsigned char end);
unsigned long ma_node_max_gap(struct maple_node *node, enum maple_type type,
			      unsigned long min, unsigned long max, unsigned char end);
void ma_set_max_gap_meta(struct maple_node *node, unsigned char end);
void mas_update_gap_from(struct maple_tree *mt, struct maple_enode *enode,
			 unsigned long min, unsigned long max);

/* Global statistics (stats in tree.c): add @n to a global counter too. */
void mt_stat_add(struct maple_tree *mt, size_t field_offset, unsigned long n);
#define mt_stat_inc(mt, field, n) \
	mt_stat_add((mt), offsetof(struct mt_stats, field), (n))

#endif /* MTREE_INTERNAL_H */
