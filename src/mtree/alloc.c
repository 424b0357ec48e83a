/* SPDX-License-Identifier: MIT */
/*
 * alloc.c - the maple node cache: allocation and freeing of 256-byte nodes,
 * global node accounting, and fault injection.
 *
 * Implements <mtree/alloc.h> (fault knobs, counters) and alloc_internal.h
 * (mt_node_alloc, mt_node_alloc_bulk, mt_node_free, mt_node_free_rcu).
 *
 * DOC: Node cache
 *
 * Every node is 256 bytes, aligned to 256 (node.h keeps tags in the low
 * 8 bits of node pointers) and zeroed on allocation.  Two back ends, chosen
 * at build time:
 *
 *  - MT_USE_JEMALLOC: nodes come from a jemalloc arena of their own, made on
 *    first use with the "arenas.create" mallctl - our kmem_cache - through
 *    jemalloc's thread caches, which play the part of the slab allocator's
 *    per-CPU caches.  A thread cache may hand back a 256-byte object first
 *    carved from another arena, so the arena's statistics describe node
 *    memory closely but not exactly; bypassing the caches
 *    (MALLOCX_TCACHE_NONE) would make them exact at 2.5 times the cost of
 *    an alloc+free pair (131 ns against 53 ns on the development machine).
 *    If the arena cannot be made, the default arenas are used.
 *  - otherwise: aligned_alloc() and memset().  Sanitizer builds use this one,
 *    so that ASan/LSan/TSan see each node as its own heap object.
 *
 * Nothing is cached on top of the back end: a freed node goes straight back,
 * so a use after free or a leak is the back end's (or the sanitizer's) to
 * find.  MT_DEBUG builds also fill freed nodes with POISON_FREE bytes.
 *
 * DOC: Counters
 *
 *   attempts  every node asked for that was allowed to fail, including
 *             those that then failed (a __GFP_NOFAIL request is not an
 *             attempt: fault rules never see it, see below)
 *   injected  attempts failed on purpose by a fault rule
 *   allocated nodes handed out
 *   freed     nodes given back (by mt_node_free() or an RCU callback)
 *
 *   mt_nodes_live() = allocated - freed
 *
 * A bulk allocation of n nodes is n attempts.  All counters are C11 atomics
 * shared by every thread and every tree, bumped with release and read with
 * acquire ordering: whoever sees a node's free counted also sees its
 * allocation counted, so mt_nodes_live() never goes below the truth.
 *
 * DOC: Fault injection
 *
 * Each allocation is of one kind: MT_FAULT_KERNEL if its gfp allows direct
 * reclaim (GFP_KERNEL), MT_FAULT_NOWAIT otherwise (GFP_NOWAIT).  Each kind
 * is governed by at most one fail-nth rule and at most one random rule.
 * Setting a rule for some kinds takes those kinds away from the older rules;
 * a rule set for both kinds at once has a single countdown (or generator)
 * that both kinds advance:
 *
 *   mt_fault_fail_nth(MT_FAULT_ANY, 3)       K N K N ...
 *                                            1 2 3      <- the 3rd fails
 *   mt_fault_fail_nth(MT_FAULT_KERNEL, 2)    K N K N ...
 *                                            1   2      <- the 2nd K fails
 *
 * On each attempt of kind k, the fail-nth rule of k counts down first; if it
 * does not fire, the random rule of k draws from its private splitmix64
 * generator.  A rule's countdown and generator advance only on attempts of
 * its kinds, so the same seed and the same sequence of allocations give the
 * same failures.  The rule state sits under a mutex; an atomic "armed" flag,
 * true while any rule exists, keeps the lock off the path when no rule is
 * set.
 *
 * __GFP_NOFAIL (internal to libmtree, for the preallocation fallback that
 * the API promises cannot fail) bypasses the rules and the attempt counter,
 * so that "count the attempts of an operation, then fail each in turn"
 * numbers exactly the allocations that may fail.  If the back end itself
 * runs out of memory on such a request, the process aborts.
 */
#include <urcu/urcu-bp.h>	/* first: its name map must not meet <mtree/rcu.h> */

#include <assert.h>
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef MT_USE_JEMALLOC
#include <jemalloc/jemalloc.h>
#endif

#include <mtree/alloc.h>

#include "alloc_internal.h"
#include "node.h"
#include "rcu_internal.h"

#define POISON_FREE	0x6b

/* mt_node_free_rcu() keeps liburcu's rcu_head in the node's rcu_storage. */
_Static_assert(sizeof(struct rcu_head) <= sizeof(((struct maple_node *)0)->rcu_storage),
	       "struct rcu_head must fit in maple_node.rcu_storage");
_Static_assert(_Alignof(struct rcu_head) <= _Alignof(unsigned long),
	       "struct rcu_head must be placeable in maple_node.rcu_storage");

/* ---- counters ------------------------------------------------------- */

static atomic_ulong mt_count_attempts;
static atomic_ulong mt_count_injected;
static atomic_ulong mt_count_allocated;
static atomic_ulong mt_count_freed;

static inline void mt_count(atomic_ulong *counter)
{
	atomic_fetch_add_explicit(counter, 1, memory_order_release);
}

static inline unsigned long mt_count_read(atomic_ulong *counter)
{
	return atomic_load_explicit(counter, memory_order_acquire);
}

/* ---- fault rules ---------------------------------------------------- */

/* Rules of each type: each kind belongs to one of them at most. */
#define MT_FAULT_RULES	2

struct mt_fault_nth {
	unsigned int kinds;	/* 0: slot unused */
	unsigned long left;	/* matching attempts until (and with) the failure */
};

struct mt_fault_random {
	unsigned int kinds;	/* 0: slot unused */
	double p;		/* in (0, 1] */
	uint64_t state;		/* splitmix64 state */
};

static pthread_mutex_t mt_fault_lock = PTHREAD_MUTEX_INITIALIZER;
static struct mt_fault_nth mt_fault_nth_rules[MT_FAULT_RULES];
static struct mt_fault_random mt_fault_random_rules[MT_FAULT_RULES];
static atomic_bool mt_fault_armed;

/* splitmix64 (Steele, Lea, Flood 2014): one 64-bit output per step. */
static uint64_t mt_splitmix64(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* A uniform double in [0, 1) from the top 53 bits of the next output. */
static double mt_fault_draw(uint64_t *state)
{
	return (double)(mt_splitmix64(state) >> 11) * 0x1.0p-53;
}

/* Recompute the fast-path flag.  Called with mt_fault_lock held. */
static void mt_fault_rearm(void)
{
	bool armed = false;
	int i;

	for (i = 0; i < MT_FAULT_RULES; i++)
		armed |= mt_fault_nth_rules[i].kinds || mt_fault_random_rules[i].kinds;
	atomic_store_explicit(&mt_fault_armed, armed, memory_order_release);
}

/**
 * mt_fault_fail_nth - fail the nth matching node allocation from now on.
 * @kinds: MT_FAULT_KERNEL, MT_FAULT_NOWAIT or both.
 * @nth: 1 fails the very next matching allocation; 0 disables the rule.
 *
 * Replaces the fail-nth rules of @kinds (see "Fault injection" above).
 *
 * Context: any thread.
 */
void mt_fault_fail_nth(unsigned int kinds, unsigned long nth)
{
	struct mt_fault_nth *free_slot = NULL;
	int i;

	kinds &= MT_FAULT_ANY;
	if (!kinds)
		return;

	pthread_mutex_lock(&mt_fault_lock);
	for (i = 0; i < MT_FAULT_RULES; i++) {
		mt_fault_nth_rules[i].kinds &= ~kinds;
		if (!mt_fault_nth_rules[i].kinds)
			free_slot = &mt_fault_nth_rules[i];
	}
	/* At most one other kind remains, in at most one slot: one is free. */
	if (nth) {
		free_slot->kinds = kinds;
		free_slot->left = nth;
	}
	mt_fault_rearm();
	pthread_mutex_unlock(&mt_fault_lock);
}

/**
 * mt_fault_fail_random - fail each matching allocation with probability p.
 * @kinds: MT_FAULT_KERNEL, MT_FAULT_NOWAIT or both.
 * @p: probability in [0, 1] (values above 1 count as 1); 0 (or NaN) disables
 *	the rule.
 * @seed: seed of the rule's private generator.
 *
 * Replaces the random rules of @kinds (see "Fault injection" above).
 *
 * Context: any thread.
 */
void mt_fault_fail_random(unsigned int kinds, double p, unsigned long seed)
{
	struct mt_fault_random *free_slot = NULL;
	int i;

	kinds &= MT_FAULT_ANY;
	if (!kinds)
		return;

	pthread_mutex_lock(&mt_fault_lock);
	for (i = 0; i < MT_FAULT_RULES; i++) {
		mt_fault_random_rules[i].kinds &= ~kinds;
		if (!mt_fault_random_rules[i].kinds)
			free_slot = &mt_fault_random_rules[i];
	}
	if (p > 0) {		/* false for NaN too */
		free_slot->kinds = kinds;
		free_slot->p = p > 1 ? 1 : p;
		free_slot->state = seed;
	}
	mt_fault_rearm();
	pthread_mutex_unlock(&mt_fault_lock);
}

/**
 * mt_fault_clear - remove every fault rule.
 *
 * The injected-failure count is kept.
 *
 * Context: any thread.
 */
void mt_fault_clear(void)
{
	pthread_mutex_lock(&mt_fault_lock);
	memset(mt_fault_nth_rules, 0, sizeof(mt_fault_nth_rules));
	memset(mt_fault_random_rules, 0, sizeof(mt_fault_random_rules));
	mt_fault_rearm();
	pthread_mutex_unlock(&mt_fault_lock);
}

/* Run the rules of @kind on one attempt.  Return: true to fail it. */
static bool mt_fault_check(unsigned int kind)
{
	bool fail = false;
	int i;

	pthread_mutex_lock(&mt_fault_lock);
	for (i = 0; i < MT_FAULT_RULES; i++) {
		struct mt_fault_nth *rule = &mt_fault_nth_rules[i];

		if (rule->kinds & kind) {
			if (--rule->left == 0) {
				rule->kinds = 0;	/* one-shot */
				fail = true;
			}
			break;
		}
	}
	for (i = 0; i < MT_FAULT_RULES && !fail; i++) {
		struct mt_fault_random *rule = &mt_fault_random_rules[i];

		if (rule->kinds & kind) {
			fail = mt_fault_draw(&rule->state) < rule->p;
			break;
		}
	}
	if (fail)
		mt_fault_rearm();
	pthread_mutex_unlock(&mt_fault_lock);
	return fail;
}

/* Should this attempt fail on purpose?  Cheap when no rule is set. */
static inline bool mt_fault_should_fail(gfp_t gfp)
{
	if (!atomic_load_explicit(&mt_fault_armed, memory_order_acquire))
		return false;
	return mt_fault_check(gfpflags_allow_blocking(gfp) ? MT_FAULT_KERNEL : MT_FAULT_NOWAIT);
}

/* ---- back ends ------------------------------------------------------ */

#ifdef MT_USE_JEMALLOC

#define MT_NODE_LG_SIZE		8
_Static_assert(1 << MT_NODE_LG_SIZE == MAPLE_NODE_SIZE, "MT_NODE_LG_SIZE");

/* sdallocx() must be told the alignment the object was allocated with. */
#define MT_CACHE_FREE_FLAGS	MALLOCX_LG_ALIGN(MT_NODE_LG_SIZE)

static pthread_once_t mt_cache_once = PTHREAD_ONCE_INIT;
static int mt_cache_mallocx_flags;	/* set once by mt_cache_init() */

static void mt_cache_init(void)
{
	unsigned int arena;
	size_t len = sizeof(arena);
	int flags = MALLOCX_LG_ALIGN(MT_NODE_LG_SIZE) | MALLOCX_ZERO;

	if (mallctl("arenas.create", &arena, &len, NULL, 0) == 0)
		flags |= MALLOCX_ARENA(arena);
	mt_cache_mallocx_flags = flags;
}

static struct maple_node *mt_cache_get(void)
{
	pthread_once(&mt_cache_once, mt_cache_init);
	return mallocx(MAPLE_NODE_SIZE, mt_cache_mallocx_flags);
}

static void mt_cache_put(struct maple_node *node)
{
	sdallocx(node, MAPLE_NODE_SIZE, MT_CACHE_FREE_FLAGS);
}

#else /* !MT_USE_JEMALLOC */

static struct maple_node *mt_cache_get(void)
{
	struct maple_node *node = aligned_alloc(MAPLE_NODE_SIZE, MAPLE_NODE_SIZE);

	if (node)
		memset(node, 0, MAPLE_NODE_SIZE);
	return node;
}

static void mt_cache_put(struct maple_node *node)
{
	free(node);
}

#endif /* MT_USE_JEMALLOC */

/* ---- allocation and freeing ----------------------------------------- */

/* A __GFP_NOFAIL allocation: no fault rule, no attempt, no failure. */
static struct maple_node *mt_node_alloc_nofail(void)
{
	struct maple_node *node = mt_cache_get();

	if (!node) {
		fprintf(stderr, "libmtree: out of memory in a __GFP_NOFAIL node allocation\n");
		abort();
	}
	mt_count(&mt_count_allocated);
	return node;
}

/**
 * mt_node_alloc - allocate one zeroed node.
 * @gfp: GFP_KERNEL or GFP_NOWAIT (decides which fault rules apply), possibly
 *	with __GFP_NOFAIL (no fault rule applies; aborts on exhaustion).
 *
 * Context: any thread; never sleeps (a GFP_KERNEL failure is final too).
 * Return: the node, or NULL on (possibly injected) failure.
 */
struct maple_node *mt_node_alloc(gfp_t gfp)
{
	struct maple_node *node;

	if (gfp & __GFP_NOFAIL)
		return mt_node_alloc_nofail();
	mt_count(&mt_count_attempts);
	if (mt_fault_should_fail(gfp)) {
		mt_count(&mt_count_injected);
		return NULL;
	}
	node = mt_cache_get();
	if (node)
		mt_count(&mt_count_allocated);
	return node;
}

/* Give @node back to the back end and count it. */
static void mt_node_release(struct maple_node *node)
{
	assert(((uintptr_t)node & MAPLE_NODE_MASK) == 0);
#ifdef MT_DEBUG
	memset(node, POISON_FREE, MAPLE_NODE_SIZE);
#endif
	mt_cache_put(node);
	mt_count(&mt_count_freed);
}

/**
 * mt_node_alloc_bulk - allocate @n zeroed nodes, all or nothing.
 * @gfp: allocation context.
 * @n: number of nodes; each is one attempt for fault injection.
 * @out: array of at least @n pointers, filled on success.
 *
 * On failure the nodes already obtained are freed (and counted as freed)
 * and the entries of @out written so far are reset to NULL.
 *
 * Context: any thread.
 * Return: 0, or -ENOMEM with nothing allocated.
 */
int mt_node_alloc_bulk(gfp_t gfp, size_t n, struct maple_node **out)
{
	size_t i;

	for (i = 0; i < n; i++) {
		out[i] = mt_node_alloc(gfp);
		if (!out[i])
			goto undo;
	}
	return 0;

undo:
	while (i--) {
		mt_node_release(out[i]);
		out[i] = NULL;
	}
	return -ENOMEM;
}

/**
 * mt_node_free - free a node no reader can reach.
 * @node: the node, or NULL (ignored).
 *
 * Context: any thread.  In an RCU tree, only for nodes that were never
 * visible to readers; use mt_node_free_rcu() for the others.
 */
void mt_node_free(struct maple_node *node)
{
	if (node)
		mt_node_release(node);
}

/* call_rcu callback: the grace period is over, no reader can see the node. */
static void mt_node_free_rcu_cb(struct rcu_head *head)
{
	struct maple_node *node = (struct maple_node *)((char *)head -
							offsetof(struct maple_node, rcu_storage));

	mt_rcu_grace_period_done();
	mt_tsan_acquire(node);
	mt_node_release(node);
}

/**
 * mt_node_free_rcu - free a node after an RCU grace period.
 * @node: a node already unlinked (and, in RCU mode, marked dead).
 *
 * The node's rcu_storage words are overwritten at once (readers still in the
 * node may see them; they check the dead mark afterwards); its parent word
 * is not.  The node counts as live until the callback has freed it: use
 * mt_rcu_barrier() before an exact leak check.
 *
 * Context: any thread, inside or outside a read-side section; not from an
 * RCU callback.  The thread need not have used RCU before.
 */
void mt_node_free_rcu(struct maple_node *node)
{
	struct rcu_head *head = (struct rcu_head *)(void *)node->rcu_storage;

	/*
	 * liburcu wants call_rcu() callers to be registered reader threads;
	 * urcu-bp registers on first use, and this makes it explicit (a
	 * thread-local test after the first time).
	 */
	urcu_bp_register_thread();
	mt_tsan_release(node);
	urcu_bp_call_rcu(head, mt_node_free_rcu_cb);
}

/* ---- counters, public side ------------------------------------------- */

/**
 * mt_fault_injected - number of allocations failed on purpose so far.
 * Return: the count since the process started.
 */
unsigned long mt_fault_injected(void)
{
	return mt_count_read(&mt_count_injected);
}

/**
 * mt_alloc_attempts - node allocations attempted so far (all trees).
 * Return: a monotonically increasing count, failed attempts included and
 * __GFP_NOFAIL allocations excluded.
 */
unsigned long mt_alloc_attempts(void)
{
	return mt_count_read(&mt_count_attempts);
}

/**
 * mt_nodes_live - nodes allocated and not yet freed, across all trees.
 *
 * Nodes waiting for an RCU grace period count as live; call
 * mt_rcu_barrier() first for an exact leak check.
 *
 * Return: the number of live nodes.
 */
long mt_nodes_live(void)
{
	/* Freed first: a free racing with us can only make the result high. */
	unsigned long freed = mt_count_read(&mt_count_freed);
	unsigned long allocated = mt_count_read(&mt_count_allocated);

	return (long)(allocated - freed);
}

/**
 * mt_alloc_global_allocated - nodes handed out since the process started.
 * Return: the count (for mt_get_global_stats()).
 */
unsigned long mt_alloc_global_allocated(void)
{
	return mt_count_read(&mt_count_allocated);
}

/**
 * mt_alloc_global_freed - nodes given back since the process started.
 * Return: the count (for mt_get_global_stats()).
 */
unsigned long mt_alloc_global_freed(void)
{
	return mt_count_read(&mt_count_freed);
}
