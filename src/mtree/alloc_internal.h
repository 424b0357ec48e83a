/* SPDX-License-Identifier: MIT */
/*
 * alloc_internal.h - the node cache as seen by the rest of src/mtree.
 *
 * A small kmem_cache on jemalloc: 256-byte objects aligned to 256 bytes,
 * zeroed on allocation, counted globally, failing on demand (see
 * <mtree/alloc.h>).  Set up on first use; no init call.
 */
#ifndef MTREE_ALLOC_INTERNAL_H
#define MTREE_ALLOC_INTERNAL_H

#include <stddef.h>

#include <mtree/gfp.h>

struct maple_node;

/**
 * mt_node_alloc - allocate one zeroed node.
 * @gfp: GFP_KERNEL or GFP_NOWAIT (decides which fault rules apply).
 * Return: the node, or NULL on (possibly injected) failure.
 */
struct maple_node *mt_node_alloc(gfp_t gfp);

/**
 * mt_node_alloc_bulk - allocate @n zeroed nodes, all or nothing.
 * @gfp: allocation context.
 * @n: number of nodes.
 * @out: array of at least @n pointers, filled on success.
 * Return: 0, or -ENOMEM with nothing allocated.
 */
int mt_node_alloc_bulk(gfp_t gfp, size_t n, struct maple_node **out);

/** mt_node_free - free a node no reader can reach. */
void mt_node_free(struct maple_node *node);

/**
 * mt_node_free_rcu - free a node after an RCU grace period.
 * @node: a node already unlinked (and, in RCU mode, marked dead).
 * The node's rcu_storage words are overwritten; its parent word is not.
 */
void mt_node_free_rcu(struct maple_node *node);

/* Global counters, read by stats.c for mt_get_global_stats(). */
unsigned long mt_alloc_global_allocated(void);
unsigned long mt_alloc_global_freed(void);

#endif /* MTREE_ALLOC_INTERNAL_H */
