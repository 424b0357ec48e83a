/* SPDX-License-Identifier: MIT */
/*
 * rebuild.h - the "big node": a flat list of slots used while nodes are
 * rebuilt, and the helpers that turn it into real nodes.  Internal to
 * src/mtree (write.c, rebuild.c).
 */
#ifndef MTREE_REBUILD_H
#define MTREE_REBUILD_H

#include "internal.h"

/*
 * Enough for the widest level of any write: a spanning store gathers at
 * most two full nodes plus the new entry and two split remnants (35), a
 * rebalance a deficient node plus one neighbour (22).
 */
#define MT_BIG_SLOTS	48

/*
 * struct mt_big - slots of one tree level being rebuilt.
 * @slot: entries (leaf level) or encoded children (internal levels)
 * @last: inclusive upper bound of each slot's range
 * @gap: internal levels of allocation-range trees: largest gap below
 * @count: slots used
 */
struct mt_big {
	void *slot[MT_BIG_SLOTS];
	unsigned long last[MT_BIG_SLOTS];
	unsigned long gap[MT_BIG_SLOTS];
	unsigned char count;
};

static inline void mt_big_push(struct mt_big *b, void *slot, unsigned long last,
			       unsigned long gap)
{
	assert(b->count < MT_BIG_SLOTS);
	b->slot[b->count] = slot;
	b->last[b->count] = last;
	b->gap[b->count] = gap;
	b->count++;
}

unsigned long mt_node_fill(struct maple_tree *mt, struct maple_node *node,
			   enum maple_type type, const struct mt_big *b,
			   unsigned char start, unsigned char n, unsigned long min,
			   unsigned long max);
void mt_big_leaf_write(struct ma_wr_state *wr, struct mt_big *b);
void mt_node_rewrite(struct maple_node *node, enum maple_type type,
		     const struct mt_big *b, unsigned char from, unsigned char to,
		     unsigned char old_end, unsigned long max);

#endif /* MTREE_REBUILD_H */
