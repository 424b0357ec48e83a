/* SPDX-License-Identifier: MIT */
/*
 * test_alloc.c - cmocka tests of the node cache (src/mtree/alloc.c) and of
 * the RCU glue it relies on (src/mtree/rcu.c).
 *
 * Covers: node size, alignment and zeroing; the global counters; fail-nth
 * and random fault rules per kind; __GFP_NOFAIL, which no rule fails;
 * all-or-nothing bulk allocation; freeing after a grace period; RCU readers
 * and deferred frees in threads that never registered with liburcu.
 *
 * Every test starts and ends with no fault rule (see fault_reset()) and
 * checks that it leaves mt_nodes_live() where it found it.
 */
/* ctest-labels: rcu */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <string.h>

#include <mtree/alloc.h>
#include <mtree/rcu.h>

#include "alloc_internal.h"
#include "node.h"

#define NR_NODES	64

static const unsigned char zero_node[MAPLE_NODE_SIZE];

static int fault_reset(void **state)
{
	(void)state;
	mt_fault_clear();
	return 0;
}

static void assert_node_fresh(struct maple_node *node)
{
	assert_non_null(node);
	assert_int_equal((uintptr_t)node % MAPLE_NODE_SIZE, 0);
	assert_memory_equal(node, zero_node, MAPLE_NODE_SIZE);
}

/* Allocate one node of @gfp; free it at once.  Return: true if it failed. */
static bool alloc_fails(gfp_t gfp)
{
	struct maple_node *node = mt_node_alloc(gfp);

	mt_node_free(node);
	return node == NULL;
}

static void test_size_alignment_zeroing(void **state)
{
	struct maple_node *nodes[NR_NODES];
	long live = mt_nodes_live();
	int i;

	(void)state;
	assert_int_equal(sizeof(struct maple_node), 256);
	assert_int_equal(_Alignof(struct maple_node), 256);

	for (i = 0; i < NR_NODES; i++) {
		nodes[i] = mt_node_alloc(i & 1 ? GFP_KERNEL : GFP_NOWAIT);
		assert_node_fresh(nodes[i]);
		/* Dirty it so that a recycled node would show up below. */
		memset(nodes[i], 0xa5, MAPLE_NODE_SIZE);
	}
	for (i = 0; i < NR_NODES; i++)
		mt_node_free(nodes[i]);

	/* Freed memory comes back zeroed all the same. */
	for (i = 0; i < NR_NODES; i++)
		nodes[i] = mt_node_alloc(GFP_KERNEL);
	for (i = 0; i < NR_NODES; i++) {
		assert_node_fresh(nodes[i]);
		mt_node_free(nodes[i]);
	}

	mt_node_free(NULL);	/* a no-op */
	assert_int_equal(mt_nodes_live(), live);
}

static void test_counters(void **state)
{
	struct maple_node *nodes[4];
	unsigned long attempts = mt_alloc_attempts();
	unsigned long allocated = mt_alloc_global_allocated();
	unsigned long freed = mt_alloc_global_freed();
	unsigned long injected = mt_fault_injected();
	long live = mt_nodes_live();
	struct maple_node *one;

	(void)state;
	one = mt_node_alloc(GFP_KERNEL);
	assert_non_null(one);
	assert_int_equal(mt_alloc_attempts(), attempts + 1);
	assert_int_equal(mt_alloc_global_allocated(), allocated + 1);
	assert_int_equal(mt_nodes_live(), live + 1);

	assert_int_equal(mt_node_alloc_bulk(GFP_NOWAIT, 4, nodes), 0);
	assert_int_equal(mt_alloc_attempts(), attempts + 5);
	assert_int_equal(mt_alloc_global_allocated(), allocated + 5);
	assert_int_equal(mt_nodes_live(), live + 5);

	mt_node_free(one);
	assert_int_equal(mt_alloc_global_freed(), freed + 1);
	assert_int_equal(mt_nodes_live(), live + 4);
	for (int i = 0; i < 4; i++)
		mt_node_free(nodes[i]);
	assert_int_equal(mt_alloc_global_freed(), freed + 5);
	assert_int_equal(mt_nodes_live(), live);

	/* An empty bulk request succeeds without an attempt. */
	assert_int_equal(mt_node_alloc_bulk(GFP_KERNEL, 0, nodes), 0);
	assert_int_equal(mt_alloc_attempts(), attempts + 5);
	assert_int_equal(mt_fault_injected(), injected);
}

/* The nth allocation of @kind fails once; the other kind is never failed. */
static void check_fail_nth_one_kind(unsigned int kind, gfp_t match, gfp_t other)
{
	unsigned long injected = mt_fault_injected();
	unsigned long attempts = mt_alloc_attempts();
	long live = mt_nodes_live();
	int i;

	mt_fault_fail_nth(kind, 3);
	for (i = 0; i < 10; i++)
		assert_false(alloc_fails(other));
	assert_false(alloc_fails(match));
	assert_false(alloc_fails(other));
	assert_false(alloc_fails(match));
	assert_false(alloc_fails(other));
	assert_true(alloc_fails(match));	/* the 3rd of its kind */
	assert_int_equal(mt_fault_injected(), injected + 1);
	for (i = 0; i < 10; i++) {		/* one-shot */
		assert_false(alloc_fails(match));
		assert_false(alloc_fails(other));
	}
	assert_int_equal(mt_fault_injected(), injected + 1);
	/* A failed attempt is still an attempt. */
	assert_int_equal(mt_alloc_attempts(), attempts + 10 + 5 + 20);
	assert_int_equal(mt_nodes_live(), live);
}

static void test_fail_nth_kernel(void **state)
{
	(void)state;
	check_fail_nth_one_kind(MT_FAULT_KERNEL, GFP_KERNEL, GFP_NOWAIT);
}

static void test_fail_nth_nowait(void **state)
{
	(void)state;
	check_fail_nth_one_kind(MT_FAULT_NOWAIT, GFP_NOWAIT, GFP_KERNEL);
}

static void test_fail_nth_any(void **state)
{
	(void)state;
	/* One countdown shared by both kinds. */
	mt_fault_fail_nth(MT_FAULT_ANY, 4);
	assert_false(alloc_fails(GFP_KERNEL));
	assert_false(alloc_fails(GFP_NOWAIT));
	assert_false(alloc_fails(GFP_KERNEL));
	assert_true(alloc_fails(GFP_NOWAIT));
	assert_false(alloc_fails(GFP_KERNEL));
	assert_false(alloc_fails(GFP_NOWAIT));

	/* nth == 1 fails the very next attempt. */
	mt_fault_fail_nth(MT_FAULT_ANY, 1);
	assert_true(alloc_fails(GFP_KERNEL));
	assert_false(alloc_fails(GFP_KERNEL));
}

static void test_fail_nth_replace_and_disable(void **state)
{
	(void)state;
	/* nth == 0 disables. */
	mt_fault_fail_nth(MT_FAULT_ANY, 1);
	mt_fault_fail_nth(MT_FAULT_ANY, 0);
	assert_false(alloc_fails(GFP_KERNEL));
	assert_false(alloc_fails(GFP_NOWAIT));

	/* A newer rule for one kind takes that kind from the older rule. */
	mt_fault_fail_nth(MT_FAULT_ANY, 2);
	mt_fault_fail_nth(MT_FAULT_KERNEL, 3);
	assert_false(alloc_fails(GFP_KERNEL));	/* K rule: 1 */
	assert_false(alloc_fails(GFP_NOWAIT));	/* N rule: 1 */
	assert_false(alloc_fails(GFP_KERNEL));	/* K rule: 2 */
	assert_true(alloc_fails(GFP_NOWAIT));	/* N rule: 2 */
	assert_true(alloc_fails(GFP_KERNEL));	/* K rule: 3 */
	assert_false(alloc_fails(GFP_KERNEL));
	assert_false(alloc_fails(GFP_NOWAIT));

	/* Disabling one kind leaves the other armed. */
	mt_fault_fail_nth(MT_FAULT_ANY, 1);
	mt_fault_fail_nth(MT_FAULT_NOWAIT, 0);
	assert_false(alloc_fails(GFP_NOWAIT));
	assert_true(alloc_fails(GFP_KERNEL));

	/* mt_fault_clear() removes everything. */
	mt_fault_fail_nth(MT_FAULT_ANY, 1);
	mt_fault_fail_random(MT_FAULT_ANY, 1.0, 1);
	mt_fault_clear();
	assert_false(alloc_fails(GFP_KERNEL));
	assert_false(alloc_fails(GFP_NOWAIT));
}

static void test_nofail_bypasses_faults(void **state)
{
	unsigned long attempts = mt_alloc_attempts();
	unsigned long injected = mt_fault_injected();
	long live = mt_nodes_live();
	struct maple_node *nodes[4];

	(void)state;
	mt_fault_fail_nth(MT_FAULT_ANY, 1);
	mt_fault_fail_random(MT_FAULT_ANY, 1.0, 3);

	/* Neither rule sees these, and they are not attempts. */
	nodes[0] = mt_node_alloc(GFP_KERNEL | __GFP_NOFAIL);
	nodes[1] = mt_node_alloc(GFP_NOWAIT | __GFP_NOFAIL);
	assert_node_fresh(nodes[0]);
	assert_node_fresh(nodes[1]);
	assert_int_equal(mt_node_alloc_bulk(GFP_NOWAIT | __GFP_NOFAIL, 2, nodes + 2), 0);
	assert_int_equal(mt_alloc_attempts(), attempts);
	assert_int_equal(mt_nodes_live(), live + 4);
	for (int i = 0; i < 4; i++)
		mt_node_free(nodes[i]);

	/* The fail-nth rule is still waiting for its first attempt. */
	mt_fault_fail_random(MT_FAULT_ANY, 0.0, 3);
	assert_true(alloc_fails(GFP_NOWAIT));
	assert_false(alloc_fails(GFP_NOWAIT));
	assert_int_equal(mt_alloc_attempts(), attempts + 2);
	assert_int_equal(mt_fault_injected(), injected + 1);
	assert_int_equal(mt_nodes_live(), live);
}

#define RANDOM_RUN	400

/* Fail pattern of RANDOM_RUN alternating-kind attempts under a random rule. */
static int random_pattern(unsigned int kinds, double p, unsigned long seed,
			  bool pattern[RANDOM_RUN])
{
	int failures = 0;
	int i;

	mt_fault_fail_random(kinds, p, seed);
	for (i = 0; i < RANDOM_RUN; i++) {
		pattern[i] = alloc_fails(i % 3 ? GFP_KERNEL : GFP_NOWAIT);
		failures += pattern[i];
	}
	mt_fault_clear();
	return failures;
}

static void test_random_reproducible(void **state)
{
	bool first[RANDOM_RUN], again[RANDOM_RUN], other[RANDOM_RUN];
	unsigned long injected = mt_fault_injected();
	long live = mt_nodes_live();
	int failures;

	(void)state;
	failures = random_pattern(MT_FAULT_ANY, 0.25, 42, first);
	/* Expect 100, standard deviation below 9. */
	assert_in_range(failures, 50, 150);
	assert_int_equal(mt_fault_injected(), injected + failures);

	assert_int_equal(random_pattern(MT_FAULT_ANY, 0.25, 42, again), failures);
	assert_memory_equal(first, again, sizeof(first));

	random_pattern(MT_FAULT_ANY, 0.25, 43, other);
	assert_memory_not_equal(first, other, sizeof(first));

	/* p == 1 fails everything, p == 0 disables. */
	assert_int_equal(random_pattern(MT_FAULT_ANY, 1.0, 7, other), RANDOM_RUN);
	assert_int_equal(random_pattern(MT_FAULT_ANY, 0.0, 7, other), 0);
	assert_int_equal(mt_nodes_live(), live);
}

static void test_random_per_kind(void **state)
{
	int i;

	(void)state;
	mt_fault_fail_random(MT_FAULT_NOWAIT, 1.0, 1);
	for (i = 0; i < 50; i++) {
		assert_false(alloc_fails(GFP_KERNEL));
		assert_true(alloc_fails(GFP_NOWAIT));
	}
	mt_fault_fail_random(MT_FAULT_KERNEL, 1.0, 1);
	mt_fault_fail_random(MT_FAULT_NOWAIT, 0.0, 1);
	for (i = 0; i < 50; i++) {
		assert_true(alloc_fails(GFP_KERNEL));
		assert_false(alloc_fails(GFP_NOWAIT));
	}

	/* Fail-nth counts down first; random decides the others. */
	mt_fault_clear();
	mt_fault_fail_random(MT_FAULT_KERNEL, 1.0, 1);
	mt_fault_fail_nth(MT_FAULT_NOWAIT, 2);
	assert_true(alloc_fails(GFP_KERNEL));
	assert_false(alloc_fails(GFP_NOWAIT));
	assert_true(alloc_fails(GFP_NOWAIT));
	assert_false(alloc_fails(GFP_NOWAIT));
}

static void test_bulk_all_or_nothing(void **state)
{
	struct maple_node *nodes[8];
	unsigned long attempts = mt_alloc_attempts();
	unsigned long allocated = mt_alloc_global_allocated();
	unsigned long freed = mt_alloc_global_freed();
	long live = mt_nodes_live();
	int i, j;

	(void)state;
	/* The 5th of 8 fails: the first 4 are given back. */
	mt_fault_fail_nth(MT_FAULT_KERNEL, 5);
	memset(nodes, 0x5a, sizeof(nodes));
	assert_int_equal(mt_node_alloc_bulk(GFP_KERNEL, 8, nodes), -ENOMEM);
	for (i = 0; i < 4; i++)
		assert_null(nodes[i]);
	assert_int_equal(mt_alloc_attempts(), attempts + 5);
	assert_int_equal(mt_alloc_global_allocated(), allocated + 4);
	assert_int_equal(mt_alloc_global_freed(), freed + 4);
	assert_int_equal(mt_nodes_live(), live);

	/* Failing the first or the last attempt leaks nothing either. */
	for (unsigned long nth = 1; nth <= 8; nth += 7) {
		mt_fault_fail_nth(MT_FAULT_NOWAIT, nth);
		assert_int_equal(mt_node_alloc_bulk(GFP_NOWAIT, 8, nodes), -ENOMEM);
		assert_int_equal(mt_nodes_live(), live);
	}

	/* The rule fired: now it succeeds, with distinct fresh nodes. */
	assert_int_equal(mt_node_alloc_bulk(GFP_KERNEL, 8, nodes), 0);
	assert_int_equal(mt_nodes_live(), live + 8);
	for (i = 0; i < 8; i++) {
		assert_node_fresh(nodes[i]);
		for (j = 0; j < i; j++)
			assert_ptr_not_equal(nodes[i], nodes[j]);
	}
	for (i = 0; i < 8; i++)
		mt_node_free(nodes[i]);
	assert_int_equal(mt_nodes_live(), live);
}

static void test_free_rcu(void **state)
{
	struct maple_node *nodes[NR_NODES];
	long live = mt_nodes_live();
	int i;

	(void)state;
	assert_int_equal(mt_node_alloc_bulk(GFP_KERNEL, NR_NODES, nodes), 0);
	assert_int_equal(mt_nodes_live(), live + NR_NODES);

	/* Half queued outside any read-side section, half inside one. */
	for (i = 0; i < NR_NODES / 2; i++) {
		nodes[i]->parent = (struct maple_pnode *)nodes[i];	/* dead */
		mt_node_free_rcu(nodes[i]);
	}
	mt_rcu_read_lock();
	for (; i < NR_NODES; i++) {
		nodes[i]->parent = (struct maple_pnode *)nodes[i];
		mt_node_free_rcu(nodes[i]);
	}
	mt_rcu_read_unlock();

	mt_rcu_barrier();
	assert_int_equal(mt_nodes_live(), live);

	/* A barrier with nothing queued returns too. */
	mt_rcu_barrier();
	assert_int_equal(mt_nodes_live(), live);
}

struct reader_arg {
	struct maple_node *node;	/* freed through RCU by the thread */
	bool nested_ok;
};

/* A thread that never heard of liburcu: reads, nests, frees after a GP. */
static void *reader_thread(void *data)
{
	struct reader_arg *arg = data;

	mt_rcu_read_lock();
	mt_rcu_read_lock();
	arg->nested_ok = arg->node->parent == NULL;
	mt_rcu_read_unlock();
	mt_node_free_rcu(arg->node);
	mt_rcu_read_unlock();
	return NULL;
}

/* A thread that queues a free without ever entering a read-side section. */
static void *freeing_thread(void *data)
{
	mt_node_free_rcu(data);
	return NULL;
}

static void test_rcu_unregistered_threads(void **state)
{
	struct reader_arg arg = { 0 };
	long live = mt_nodes_live();
	pthread_t reader, freer;
	struct maple_node *node;

	(void)state;
	arg.node = mt_node_alloc(GFP_KERNEL);
	assert_non_null(arg.node);
	node = mt_node_alloc(GFP_KERNEL);
	assert_non_null(node);

	/* The main thread is a reader while the others run. */
	mt_rcu_read_lock();
	assert_int_equal(pthread_create(&reader, NULL, reader_thread, &arg), 0);
	assert_int_equal(pthread_create(&freer, NULL, freeing_thread, node), 0);
	mt_rcu_read_unlock();
	assert_int_equal(pthread_join(reader, NULL), 0);
	assert_int_equal(pthread_join(freer, NULL), 0);
	assert_true(arg.nested_ok);

	mt_rcu_barrier();
	assert_int_equal(mt_nodes_live(), live);
}

#define NR_THREADS	4
#define THREAD_ROUNDS	2000

static void *alloc_thread(void *data)
{
	struct maple_node *batch[3];
	int i;

	(void)data;
	for (i = 0; i < THREAD_ROUNDS; i++) {
		struct maple_node *node = mt_node_alloc(i & 1 ? GFP_KERNEL : GFP_NOWAIT);

		if (!node || mt_node_alloc_bulk(GFP_KERNEL, 3, batch))
			return (void *)1;
		mt_node_free(node);
		mt_node_free(batch[0]);
		mt_node_free(batch[1]);
		mt_node_free_rcu(batch[2]);
	}
	return NULL;
}

static void test_counters_threads(void **state)
{
	unsigned long attempts = mt_alloc_attempts();
	long live = mt_nodes_live();
	pthread_t threads[NR_THREADS];
	void *ret;
	int i;

	(void)state;
	for (i = 0; i < NR_THREADS; i++)
		assert_int_equal(pthread_create(&threads[i], NULL, alloc_thread, NULL), 0);
	for (i = 0; i < NR_THREADS; i++) {
		assert_int_equal(pthread_join(threads[i], &ret), 0);
		assert_null(ret);
	}
	mt_rcu_barrier();
	assert_int_equal(mt_alloc_attempts(), attempts + NR_THREADS * THREAD_ROUNDS * 4);
	assert_int_equal(mt_nodes_live(), live);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_size_alignment_zeroing, fault_reset),
		cmocka_unit_test_teardown(test_counters, fault_reset),
		cmocka_unit_test_teardown(test_fail_nth_kernel, fault_reset),
		cmocka_unit_test_teardown(test_fail_nth_nowait, fault_reset),
		cmocka_unit_test_teardown(test_fail_nth_any, fault_reset),
		cmocka_unit_test_teardown(test_fail_nth_replace_and_disable, fault_reset),
		cmocka_unit_test_teardown(test_nofail_bypasses_faults, fault_reset),
		cmocka_unit_test_teardown(test_random_reproducible, fault_reset),
		cmocka_unit_test_teardown(test_random_per_kind, fault_reset),
		cmocka_unit_test_teardown(test_bulk_all_or_nothing, fault_reset),
		cmocka_unit_test_teardown(test_free_rcu, fault_reset),
		cmocka_unit_test_teardown(test_rcu_unregistered_threads, fault_reset),
		cmocka_unit_test_teardown(test_counters_threads, fault_reset),
	};

	return cmocka_run_group_tests_name("mtree_alloc", tests, fault_reset, fault_reset);
}
