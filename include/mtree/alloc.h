/* SPDX-License-Identifier: MIT */
/*
 * alloc.h - the maple node cache's public knobs: fault injection and
 * global node accounting.
 *
 * Every node of every tree comes from one cache of 256-byte, 256-byte
 * aligned objects on jemalloc.  Tests make allocations fail on purpose with
 * the calls below; the cache counts every attempt so a test can first count
 * the allocations of an operation and then fail each one in turn.
 */
#ifndef MTREE_ALLOC_H
#define MTREE_ALLOC_H

#include <stdbool.h>

#include <mtree/gfp.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Which allocations a fault rule applies to. */
#define MT_FAULT_KERNEL	0x1u	/* allocations that may block (GFP_KERNEL) */
#define MT_FAULT_NOWAIT	0x2u	/* allocations that may not (GFP_NOWAIT) */
#define MT_FAULT_ANY	(MT_FAULT_KERNEL | MT_FAULT_NOWAIT)

/**
 * mt_fault_fail_nth - fail the nth matching node allocation from now on.
 * @kinds: MT_FAULT_KERNEL, MT_FAULT_NOWAIT or both.
 * @nth: 1 fails the very next matching allocation; 0 disables the rule.
 *
 * One-shot: after it fires, allocations succeed again.  A bulk allocation of
 * k nodes counts as k allocations; if any of them fails, the bulk call
 * fails as a whole and frees what it got.
 */
void mt_fault_fail_nth(unsigned int kinds, unsigned long nth);

/**
 * mt_fault_fail_random - fail each matching allocation with probability p.
 * @kinds: MT_FAULT_KERNEL, MT_FAULT_NOWAIT or both.
 * @p: probability in [0, 1]; 0 disables the rule.
 * @seed: seed of the rule's private generator (reproducible runs).
 */
void mt_fault_fail_random(unsigned int kinds, double p, unsigned long seed);

/** mt_fault_clear - remove every fault rule. */
void mt_fault_clear(void);

/**
 * mt_fault_injected - number of allocations failed on purpose so far.
 * Return: the count since the process started.
 */
unsigned long mt_fault_injected(void);

/**
 * mt_alloc_attempts - node allocations attempted so far (all trees).
 * Return: a monotonically increasing count; used to number allocation
 * sites for exhaustive fault injection.
 */
unsigned long mt_alloc_attempts(void);

/**
 * mt_nodes_live - nodes allocated and not yet freed, across all trees.
 * Nodes waiting for an RCU grace period count as live; call
 * mt_rcu_barrier() first for an exact leak check.
 * Return: the number of live nodes.
 */
long mt_nodes_live(void);

#ifdef __cplusplus
}
#endif

#endif /* MTREE_ALLOC_H */
