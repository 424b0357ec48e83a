/* SPDX-License-Identifier: MIT */
/*
 * test_api.c - unit tests of every public libmtree function at its edges:
 * the normal API (mtree_*, mt_*), the advanced API (mas_*), reserved and
 * value entries, gap searches and allocation, RCU mode, duplication,
 * locking, statistics, one test per write path (asserted through the
 * stores[] counters), preallocation counts, and exhaustive fault injection
 * of every node allocation of every write path.
 *
 * Semantics are those of the Linux maple tree (6.18); where Linux has a
 * quirk the test follows Linux and says so.
 */
/* ctest-env: VMASIM_VALIDATE=1 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mtree/alloc.h>
#include <mtree/maple_tree.h>
#include <mtree/rcu.h>

#include "model.h"

static long objs[64];
#define P(i)	((void *)&objs[(i)])
#define V(i)	xa_mk_value(i)

/* ---- helpers ------------------------------------------------------------ */

/* Live nodes once every deferred free has run. */
static long live_now(void)
{
	mt_rcu_barrier();
	return mt_nodes_live();
}

static void check_tree(struct maple_tree *mt, const struct model *m)
{
	assert_int_equal(mt_validate(mt), 0);
	assert_int_equal(model_compare_tree(m, mt), 0);
}

static void store_both(struct maple_tree *mt, struct model *m,
		       unsigned long first, unsigned long last, void *entry)
{
	assert_int_equal(mtree_store_range(mt, first, last, entry,
					   GFP_KERNEL), 0);
	model_store_range(m, first, last, entry);
}

static void destroy_both(struct maple_tree *mt, struct model *m)
{
	mtree_destroy(mt);
	assert_true(mtree_empty(mt));
	model_destroy(m);
}

static unsigned long total_stores(const struct mt_stats *s)
{
	unsigned long sum = 0;
	int t;

	for (t = 0; t < MT_STORE_TYPES; t++)
		sum += s->stores[t];
	return sum;
}

/* Print which store types moved between @a and @b (for diagnosis). */
static void print_store_delta(const char *what, const struct mt_stats *a,
			      const struct mt_stats *b)
{
	int t;

	fprintf(stderr, "%s: store types counted:", what);
	for (t = 0; t < MT_STORE_TYPES; t++)
		if (b->stores[t] != a->stores[t])
			fprintf(stderr, " %s +%lu",
				mt_store_type_name((enum store_type)t),
				b->stores[t] - a->stores[t]);
	fprintf(stderr, "\n");
}

/* Name of the scenario being run, for failure messages. */
static const char *cur_scenario = "";

/* mtree_store_range() that must be counted as exactly one store of @type. */
static void expect_store(struct maple_tree *mt, struct model *m,
			 unsigned long first, unsigned long last, void *entry,
			 enum store_type type)
{
	struct mt_stats a, b;

	mt_get_stats(mt, &a);
	assert_int_equal(mtree_store_range(mt, first, last, entry,
					   GFP_KERNEL), 0);
	mt_get_stats(mt, &b);
	model_store_range(m, first, last, entry);
	if (b.stores[type] != a.stores[type] + 1 ||
	    total_stores(&b) != total_stores(&a) + 1) {
		fprintf(stderr, "%s: store [%lu, %lu] %p: expected %s\n",
			cur_scenario, first, last, entry,
			mt_store_type_name(type));
		print_store_delta("  got", &a, &b);
	}
	assert_int_equal(b.stores[type], a.stores[type] + 1);
	assert_int_equal(total_stores(&b), total_stores(&a) + 1);
	check_tree(mt, m);
}

/* Entries [i * step, i * step + len - 1] = V(i) for i in [0, n). */
static void fill_spaced(struct maple_tree *mt, struct model *m,
			unsigned long n, unsigned long step, unsigned long len)
{
	unsigned long i;

	for (i = 0; i < n; i++)
		store_both(mt, m, i * step, i * step + len - 1, V(i));
}

/* ---- empty tree, index 0, ULONG_MAX, [0, ULONG_MAX] ----------------- */

static void test_empty_tree(void **state)
{
	struct maple_tree mt;
	unsigned long index = 0;
	long base = live_now();
	MA_STATE(mas, &mt, 0, 0);
	DEFINE_MTREE(static_tree);

	(void)state;
	mt_init(&mt);
	assert_true(mtree_empty(&mt));
	assert_true(mtree_empty(&static_tree));
	assert_false(mt_in_rcu(&mt));
	assert_int_equal(mt_height(&mt), 0);
	assert_int_equal(mt_nr_nodes(&mt), 0);
	assert_int_equal(mt_validate(&mt), 0);
	assert_null(mtree_load(&mt, 0));
	assert_null(mtree_load(&mt, 12345));
	assert_null(mtree_load(&mt, ULONG_MAX));
	assert_null(mtree_erase(&mt, 0));
	assert_null(mtree_erase(&mt, 77));
	assert_null(mt_find(&mt, &index, ULONG_MAX));
	assert_int_equal(index, 0);
	assert_null(mt_next(&mt, 0, ULONG_MAX));
	assert_null(mt_prev(&mt, ULONG_MAX, 0));

	mt_rcu_read_lock();
	mas_set(&mas, 500);
	assert_null(mas_walk(&mas));
	assert_int_equal(mas.index, 0);
	assert_int_equal(mas.last, ULONG_MAX);
	mas_set(&mas, 0);
	assert_null(mas_find(&mas, ULONG_MAX));
	mas_set(&mas, 99);
	assert_null(mas_find_rev(&mas, 0));
	mas_set(&mas, 99);
	assert_null(mas_next(&mas, ULONG_MAX));
	mas_set(&mas, 99);
	assert_null(mas_prev(&mas, 0));
	mt_rcu_read_unlock();

	assert_true(mtree_empty(&mt));
	mtree_destroy(&mt);
	mtree_destroy(&static_tree);
	assert_true(mtree_empty(&mt));
	assert_int_equal(live_now(), base);
}

static void test_index_zero(void **state)
{
	struct maple_tree mt;
	unsigned long index;
	long base = live_now();
	MA_STATE(mas, &mt, 0, 0);

	(void)state;
	mt_init(&mt);

	/* A single entry at 0 lives in the root pointer: no node. */
	assert_int_equal(mtree_store(&mt, 0, P(1), GFP_KERNEL), 0);
	assert_false(mtree_empty(&mt));
	assert_int_equal(mt_height(&mt), 0);
	assert_int_equal(mt_nr_nodes(&mt), 0);
	assert_int_equal(mt_validate(&mt), 0);
	assert_ptr_equal(mtree_load(&mt, 0), P(1));
	assert_null(mtree_load(&mt, 1));
	assert_null(mtree_load(&mt, ULONG_MAX));

	mt_rcu_read_lock();
	mas_set(&mas, 0);
	assert_ptr_equal(mas_walk(&mas), P(1));
	assert_int_equal(mas.index, 0);
	assert_int_equal(mas.last, 0);
	mas_set(&mas, 7);
	assert_null(mas_walk(&mas));
	assert_int_equal(mas.index, 1);
	assert_int_equal(mas.last, ULONG_MAX);
	mas_set(&mas, 0);
	assert_ptr_equal(mas_find(&mas, ULONG_MAX), P(1));
	assert_null(mas_find(&mas, ULONG_MAX));
	mt_rcu_read_unlock();

	index = 0;
	assert_ptr_equal(mt_find(&mt, &index, ULONG_MAX), P(1));
	assert_int_equal(index, 1);
	assert_null(mt_find_after(&mt, &index, ULONG_MAX));
	assert_ptr_equal(mt_prev(&mt, 50, 0), P(1));
	assert_null(mt_next(&mt, 0, ULONG_MAX));

	/* Erasing it empties the tree again. */
	assert_ptr_equal(mtree_erase(&mt, 0), P(1));
	assert_true(mtree_empty(&mt));
	assert_null(mtree_load(&mt, 0));

	/* An entry at 1 needs a leaf. */
	assert_int_equal(mtree_store(&mt, 0, P(1), GFP_KERNEL), 0);
	assert_int_equal(mtree_store(&mt, 1, P(2), GFP_KERNEL), 0);
	assert_int_equal(mt_height(&mt), 1);
	assert_int_equal(mt_nr_nodes(&mt), 1);
	assert_ptr_equal(mtree_load(&mt, 0), P(1));
	assert_ptr_equal(mtree_load(&mt, 1), P(2));
	assert_null(mtree_load(&mt, 2));
	assert_int_equal(mt_validate(&mt), 0);
	mtree_destroy(&mt);

	/* Storing at 1 into an empty tree creates a leaf too. */
	mt_init(&mt);
	assert_int_equal(mtree_store(&mt, 1, P(3), GFP_KERNEL), 0);
	assert_int_equal(mt_height(&mt), 1);
	assert_int_equal(mt_nr_nodes(&mt), 1);
	assert_null(mtree_load(&mt, 0));
	assert_ptr_equal(mtree_load(&mt, 1), P(3));
	assert_int_equal(mt_validate(&mt), 0);
	mtree_destroy(&mt);

	/* A NULL store at 0 over the root entry empties the tree. */
	mt_init(&mt);
	assert_int_equal(mtree_store(&mt, 0, V(5), GFP_KERNEL), 0);
	assert_ptr_equal(mtree_load(&mt, 0), V(5));
	assert_int_equal(mtree_store(&mt, 0, NULL, GFP_KERNEL), 0);
	assert_true(mtree_empty(&mt));
	mtree_destroy(&mt);
	assert_int_equal(live_now(), base);
}

static void test_ulong_max(void **state)
{
	struct maple_tree mt;
	struct model m;
	unsigned long index;
	long base = live_now();
	MA_STATE(mas, &mt, 0, 0);

	(void)state;
	mt_init(&mt);
	model_init(&m);
	store_both(&mt, &m, ULONG_MAX, ULONG_MAX, P(1));
	check_tree(&mt, &m);
	assert_ptr_equal(mtree_load(&mt, ULONG_MAX), P(1));
	assert_null(mtree_load(&mt, ULONG_MAX - 1));
	assert_null(mtree_load(&mt, 0));

	mt_rcu_read_lock();
	mas_set(&mas, ULONG_MAX - 1);
	assert_null(mas_walk(&mas));
	assert_int_equal(mas.index, 0);
	assert_int_equal(mas.last, ULONG_MAX - 1);
	mas_set(&mas, ULONG_MAX);
	assert_ptr_equal(mas_walk(&mas), P(1));
	assert_int_equal(mas.index, ULONG_MAX);
	assert_int_equal(mas.last, ULONG_MAX);
	mt_rcu_read_unlock();

	/* mt_find() sets *index to last + 1, which wraps to 0. */
	index = 0;
	assert_ptr_equal(mt_find(&mt, &index, ULONG_MAX), P(1));
	assert_int_equal(index, 0);
	assert_null(mt_find_after(&mt, &index, ULONG_MAX));
	assert_int_equal(index, 0);
	assert_ptr_equal(mt_next(&mt, 5, ULONG_MAX), P(1));
	assert_null(mt_next(&mt, 5, ULONG_MAX - 1));
	assert_null(mt_prev(&mt, ULONG_MAX, 0));

	/* Ranges ending at ULONG_MAX, then the top entry erased. */
	store_both(&mt, &m, ULONG_MAX - 100, ULONG_MAX - 1, P(2));
	store_both(&mt, &m, ULONG_MAX - 1000, ULONG_MAX - 901, V(3));
	check_tree(&mt, &m);
	assert_ptr_equal(mt_prev(&mt, ULONG_MAX, 0), P(2));
	assert_ptr_equal(mtree_erase(&mt, ULONG_MAX), P(1));
	model_erase(&m, ULONG_MAX, NULL, NULL);
	check_tree(&mt, &m);
	store_both(&mt, &m, ULONG_MAX - 50, ULONG_MAX, NULL);
	check_tree(&mt, &m);
	assert_ptr_equal(mtree_load(&mt, ULONG_MAX - 51), P(2));
	destroy_both(&mt, &m);
	assert_int_equal(live_now(), base);
}

static void test_full_range(void **state)
{
	struct maple_tree mt;
	struct model m;
	unsigned long index;
	long base = live_now();
	MA_STATE(mas, &mt, 0, 0);

	(void)state;
	mt_init(&mt);
	model_init(&m);
	store_both(&mt, &m, 0, ULONG_MAX, P(1));
	check_tree(&mt, &m);
	assert_int_equal(mt_height(&mt), 1);
	assert_ptr_equal(mtree_load(&mt, 0), P(1));
	assert_ptr_equal(mtree_load(&mt, 12345), P(1));
	assert_ptr_equal(mtree_load(&mt, ULONG_MAX), P(1));

	mt_rcu_read_lock();
	mas_set(&mas, 999);
	assert_ptr_equal(mas_walk(&mas), P(1));
	assert_int_equal(mas.index, 0);
	assert_int_equal(mas.last, ULONG_MAX);
	mt_rcu_read_unlock();

	index = 5;
	assert_ptr_equal(mt_find(&mt, &index, ULONG_MAX), P(1));
	assert_int_equal(index, 0);
	assert_null(mt_next(&mt, 0, ULONG_MAX));
	assert_null(mt_prev(&mt, 100, 0));

	/* Replace with another full range, then split it. */
	store_both(&mt, &m, 0, ULONG_MAX, V(2));
	check_tree(&mt, &m);
	store_both(&mt, &m, 100, 199, P(3));
	check_tree(&mt, &m);
	store_both(&mt, &m, 0, ULONG_MAX, P(4));
	check_tree(&mt, &m);
	assert_int_equal(model_count(&m), 1);

	/* Erasing the one range leaves nothing to find. */
	assert_ptr_equal(mtree_erase(&mt, 777), P(4));
	model_erase(&m, 777, NULL, NULL);
	check_tree(&mt, &m);
	assert_null(mtree_load(&mt, 0));
	assert_null(mtree_load(&mt, ULONG_MAX));
	index = 0;
	assert_null(mt_find(&mt, &index, ULONG_MAX));
	destroy_both(&mt, &m);
	assert_int_equal(live_now(), base);
}

/* ---- node boundaries --------------------------------------------------- */

static void fill_and_check(unsigned int flags, unsigned long n,
			   unsigned long step, bool descending)
{
	struct maple_tree mt;
	struct model m;
	unsigned long i, idx;

	mt_init_flags(&mt, flags);
	model_init(&m);
	for (i = 0; i < n; i++) {
		idx = descending ? (n - 1 - i) * step : i * step;
		store_both(&mt, &m, idx, idx, V(idx));
	}
	check_tree(&mt, &m);
	for (i = 0; i < n * step + 2; i++)
		assert_ptr_equal(mtree_load(&mt, i), model_load(&m, i));
	/* Erase every other entry, then the rest. */
	for (i = 0; i < n; i += 2) {
		assert_ptr_equal(mtree_erase(&mt, i * step), V(i * step));
		model_erase(&m, i * step, NULL, NULL);
	}
	check_tree(&mt, &m);
	for (i = 1; i < n; i += 2) {
		assert_ptr_equal(mtree_erase(&mt, i * step), V(i * step));
		model_erase(&m, i * step, NULL, NULL);
	}
	check_tree(&mt, &m);
	destroy_both(&mt, &m);
}

static void test_node_boundaries(void **state)
{
	static const unsigned long counts[] = {
		15, 16, 17, 31, 32, 33, 170, 171, 1000,
	};
	struct maple_tree mt;
	unsigned long i;
	long base = live_now();
	size_t k;

	(void)state;
	for (k = 0; k < sizeof(counts) / sizeof(counts[0]); k++) {
		fill_and_check(0, counts[k], 1, false);
		fill_and_check(0, counts[k], 1, true);
		fill_and_check(0, counts[k], 10, false);
		fill_and_check(MT_FLAGS_ALLOC_RANGE, counts[k], 1, false);
		fill_and_check(MT_FLAGS_ALLOC_RANGE, counts[k], 3, true);
		fill_and_check(MT_FLAGS_USE_RCU, counts[k], 1, false);
	}

	/*
	 * Entries 0..14 and the NULL range after them fill one leaf's 16
	 * slots; the 16th entry splits it: two leaves under a new root.
	 */
	mt_init(&mt);
	for (i = 0; i < 15; i++)
		assert_int_equal(mtree_store(&mt, i, V(i), GFP_KERNEL), 0);
	assert_int_equal(mt_height(&mt), 1);
	assert_int_equal(mt_nr_nodes(&mt), 1);
	assert_int_equal(mtree_store(&mt, 15, V(15), GFP_KERNEL), 0);
	assert_int_equal(mt_height(&mt), 2);
	assert_int_equal(mt_nr_nodes(&mt), 3);
	for (i = 0; i < 20; i++)
		assert_ptr_equal(mtree_load(&mt, i), i < 16 ? V(i) : NULL);
	assert_int_equal(mt_validate(&mt), 0);
	mtree_destroy(&mt);
	assert_int_equal(live_now(), base);
}

/* ---- invalid requests, reserved and value entries --------------------- */

static void test_invalid_requests(void **state)
{
	struct maple_tree mt, at;
	struct model m;
	unsigned long start = 42;
	long base = live_now();

	(void)state;
	mt_init(&mt);
	mt_init_flags(&at, MT_FLAGS_ALLOC_RANGE);
	model_init(&m);
	store_both(&mt, &m, 10, 19, P(1));

	assert_int_equal(mtree_store_range(&mt, 20, 19, P(2), GFP_KERNEL),
			 -EINVAL);
	assert_int_equal(mtree_store_range(&mt, ULONG_MAX, 0, P(2),
					   GFP_KERNEL), -EINVAL);
	assert_int_equal(mtree_insert_range(&mt, 50, 49, P(2), GFP_KERNEL),
			 -EINVAL);
	/* Advanced (internal, <= XA_RETRY_ENTRY) entries are refused. */
	assert_int_equal(mtree_store(&mt, 30, XA_RETRY_ENTRY, GFP_KERNEL),
			 -EINVAL);
	assert_int_equal(mtree_store(&mt, 30, xa_mk_internal(0), GFP_KERNEL),
			 -EINVAL);
	assert_int_equal(mtree_store(&mt, 30, xa_mk_internal(1), GFP_KERNEL),
			 -EINVAL);
	assert_int_equal(mtree_store_range(&mt, 30, 40, xa_mk_internal(255),
					   GFP_KERNEL), -EINVAL);
	assert_int_equal(mtree_insert(&mt, 30, XA_RETRY_ENTRY, GFP_KERNEL),
			 -EINVAL);
	assert_int_equal(mtree_insert_range(&mt, 30, 31, xa_mk_internal(2),
					    GFP_KERNEL), -EINVAL);
	check_tree(&mt, &m);

	/* Allocation: only on allocation trees, and no reserved entries. */
	assert_int_equal(mtree_alloc_range(&mt, &start, P(2), 1, 0, 100,
					   GFP_KERNEL), -EINVAL);
	assert_int_equal(mtree_alloc_rrange(&mt, &start, P(2), 1, 0, 100,
					    GFP_KERNEL), -EINVAL);
	assert_int_equal(start, 42);
	assert_int_equal(mtree_alloc_range(&at, &start, XA_ZERO_ENTRY, 1, 0,
					   100, GFP_KERNEL), -EINVAL);
	assert_int_equal(mtree_alloc_rrange(&at, &start, XA_RETRY_ENTRY, 1, 0,
					    100, GFP_KERNEL), -EINVAL);
	assert_true(mtree_empty(&at));
	check_tree(&mt, &m);

	destroy_both(&mt, &m);
	mtree_destroy(&at);
	assert_int_equal(live_now(), base);
}

static void test_zero_and_value_entries(void **state)
{
	struct maple_tree mt;
	unsigned long index;
	long base = live_now();
	MA_STATE(mas, &mt, 0, 0);
	void *entry;
	int n;

	(void)state;
	mt_init(&mt);

	/* Value entries, including the smallest ones. */
	assert_int_equal(mtree_store(&mt, 1, V(0), GFP_KERNEL), 0);
	assert_int_equal(mtree_store(&mt, 2, V(1), GFP_KERNEL), 0);
	assert_int_equal(mtree_store_range(&mt, 3, 9, V(LONG_MAX), GFP_KERNEL),
			 0);
	assert_ptr_equal(mtree_load(&mt, 1), V(0));
	assert_true(xa_is_value(mtree_load(&mt, 1)));
	assert_int_equal(xa_to_value(mtree_load(&mt, 2)), 1);
	assert_int_equal(xa_to_value(mtree_load(&mt, 7)), LONG_MAX);

	/*
	 * XA_ZERO_ENTRY may be stored: it reads back as NULL through the
	 * normal API, occupies its range for inserts, and the advanced API
	 * returns it as it is.
	 */
	assert_int_equal(mtree_store_range(&mt, 20, 29, XA_ZERO_ENTRY,
					   GFP_KERNEL), 0);
	assert_int_equal(mtree_store(&mt, 40, P(1), GFP_KERNEL), 0);
	assert_int_equal(mt_validate(&mt), 0);
	assert_null(mtree_load(&mt, 20));
	assert_null(mtree_load(&mt, 29));
	assert_int_equal(mtree_insert(&mt, 25, P(2), GFP_KERNEL), -EEXIST);
	assert_int_equal(mtree_insert_range(&mt, 15, 20, P(2), GFP_KERNEL),
			 -EEXIST);

	mt_rcu_read_lock();
	mas_set(&mas, 25);
	assert_ptr_equal(mas_walk(&mas), XA_ZERO_ENTRY);
	assert_int_equal(mas.index, 20);
	assert_int_equal(mas.last, 29);
	mas_set(&mas, 10);
	assert_ptr_equal(mas_find(&mas, ULONG_MAX), XA_ZERO_ENTRY);
	assert_ptr_equal(mas_find(&mas, ULONG_MAX), P(1));
	mas_set(&mas, 0);
	n = 0;
	mas_for_each(&mas, entry, ULONG_MAX)
		n++;
	assert_int_equal(n, 5);
	mt_rcu_read_unlock();

	/* mt_find() skips zero entries. */
	index = 10;
	assert_ptr_equal(mt_find(&mt, &index, ULONG_MAX), P(1));
	assert_int_equal(index, 41);
	index = 20;
	assert_null(mt_find(&mt, &index, 35));
	assert_int_equal(index, 20);

	/* Overwriting a zero entry with a real one. */
	assert_int_equal(mtree_store_range(&mt, 20, 29, P(3), GFP_KERNEL), 0);
	assert_ptr_equal(mtree_load(&mt, 22), P(3));
	assert_int_equal(mt_validate(&mt), 0);
	mtree_destroy(&mt);
	assert_int_equal(live_now(), base);
}

/* ---- insert, erase, allocation ---------------------------------------- */

static void test_insert(void **state)
{
	struct maple_tree mt;
	struct model m;
	long base = live_now();

	(void)state;
	mt_init(&mt);
	model_init(&m);

	assert_int_equal(mtree_insert(&mt, 0, P(1), GFP_KERNEL), 0);
	model_store_range(&m, 0, 0, P(1));
	/* The root entry at 0 is occupied. */
	assert_int_equal(mtree_insert(&mt, 0, P(2), GFP_KERNEL), -EEXIST);
	assert_int_equal(mtree_insert_range(&mt, 0, 10, P(2), GFP_KERNEL),
			 -EEXIST);
	assert_int_equal(mtree_insert_range(&mt, 10, 19, P(2), GFP_KERNEL),
			 0);
	model_store_range(&m, 10, 19, P(2));
	assert_int_equal(mtree_insert_range(&mt, 10, 19, P(3), GFP_KERNEL),
			 -EEXIST);
	assert_int_equal(mtree_insert_range(&mt, 5, 10, P(3), GFP_KERNEL),
			 -EEXIST);
	assert_int_equal(mtree_insert_range(&mt, 19, 25, P(3), GFP_KERNEL),
			 -EEXIST);
	assert_int_equal(mtree_insert_range(&mt, 12, 15, P(3), GFP_KERNEL),
			 -EEXIST);
	assert_int_equal(mtree_insert_range(&mt, 1, ULONG_MAX, P(3),
					    GFP_KERNEL), -EEXIST);
	/* Adjacent on both sides, exactly filling the gap. */
	assert_int_equal(mtree_insert_range(&mt, 1, 9, P(3), GFP_KERNEL), 0);
	model_store_range(&m, 1, 9, P(3));
	assert_int_equal(mtree_insert(&mt, 20, P(4), GFP_KERNEL), 0);
	model_store_range(&m, 20, 20, P(4));
	assert_int_equal(mtree_insert(&mt, ULONG_MAX, P(5), GFP_KERNEL), 0);
	model_store_range(&m, ULONG_MAX, ULONG_MAX, P(5));
	assert_int_equal(mtree_insert_range(&mt, 1000, ULONG_MAX, P(6),
					    GFP_KERNEL), -EEXIST);
	assert_int_equal(mtree_insert_range(&mt, 1000, ULONG_MAX - 1, P(6),
					    GFP_KERNEL), 0);
	model_store_range(&m, 1000, ULONG_MAX - 1, P(6));
	check_tree(&mt, &m);

	/* Inserts that span many leaves all fail. */
	fill_spaced(&mt, &m, 200, 10, 2);
	check_tree(&mt, &m);
	assert_int_equal(mtree_insert_range(&mt, 25, 975, P(7), GFP_KERNEL),
			 -EEXIST);
	assert_int_equal(mtree_insert_range(&mt, 501, 509, P(7), GFP_KERNEL),
			 -EEXIST);
	assert_int_equal(mtree_insert_range(&mt, 502, 507, P(7), GFP_KERNEL),
			 0);
	model_store_range(&m, 502, 507, P(7));
	check_tree(&mt, &m);
	destroy_both(&mt, &m);
	assert_int_equal(live_now(), base);
}

static void test_erase(void **state)
{
	struct maple_tree mt;
	struct model m;
	long base = live_now();
	MA_STATE(mas, &mt, 0, 0);
	unsigned long i;

	(void)state;
	mt_init(&mt);
	model_init(&m);
	store_both(&mt, &m, 10, 19, P(1));
	store_both(&mt, &m, 20, 29, P(2));
	store_both(&mt, &m, 40, 49, P(3));

	assert_ptr_equal(mtree_erase(&mt, 25), P(2));
	model_erase(&m, 25, NULL, NULL);
	for (i = 20; i < 30; i++)
		assert_null(mtree_load(&mt, i));
	check_tree(&mt, &m);
	/* The NULL ranges around the erased range merged. */
	mt_rcu_read_lock();
	mas_set(&mas, 25);
	assert_null(mas_walk(&mas));
	assert_int_equal(mas.index, 20);
	assert_int_equal(mas.last, 39);
	mt_rcu_read_unlock();

	assert_null(mtree_erase(&mt, 30));
	assert_ptr_equal(mtree_erase(&mt, 10), P(1));
	model_erase(&m, 10, NULL, NULL);
	check_tree(&mt, &m);
	mt_rcu_read_lock();
	mas_set(&mas, 0);
	assert_null(mas_walk(&mas));
	assert_int_equal(mas.index, 0);
	assert_int_equal(mas.last, 39);
	mt_rcu_read_unlock();

	/* Erase everything of a multi-level tree, front to back. */
	fill_spaced(&mt, &m, 500, 7, 3);
	check_tree(&mt, &m);
	for (i = 0; i < 500; i++) {
		assert_ptr_equal(mtree_erase(&mt, i * 7 + 1), V(i));
		model_erase(&m, i * 7 + 1, NULL, NULL);
		if (i % 50 == 0)
			check_tree(&mt, &m);
	}
	check_tree(&mt, &m);
	/* And back to front. */
	fill_spaced(&mt, &m, 500, 7, 3);
	for (i = 500; i-- > 0;) {
		assert_ptr_equal(mtree_erase(&mt, i * 7 + 2), V(i));
		model_erase(&m, i * 7 + 2, NULL, NULL);
		if (i % 50 == 0)
			check_tree(&mt, &m);
	}
	check_tree(&mt, &m);
	destroy_both(&mt, &m);
	assert_int_equal(live_now(), base);
}

static void test_alloc_range(void **state)
{
	struct maple_tree mt;
	struct model m;
	unsigned long start;
	long base = live_now();

	(void)state;
	mt_init_flags(&mt, MT_FLAGS_ALLOC_RANGE);
	model_init(&m);

	/* Lowest fit; max is inclusive. */
	assert_int_equal(mtree_alloc_range(&mt, &start, P(1), 10, 0, 100,
					   GFP_KERNEL), 0);
	assert_int_equal(start, 0);
	model_store_range(&m, 0, 9, P(1));
	assert_int_equal(mtree_alloc_range(&mt, &start, P(2), 10, 0, 100,
					   GFP_KERNEL), 0);
	assert_int_equal(start, 10);
	model_store_range(&m, 10, 19, P(2));
	store_both(&mt, &m, 30, 39, P(3));
	/* [20, 29] is too small for 15. */
	assert_int_equal(mtree_alloc_range(&mt, &start, P(4), 15, 0, 100,
					   GFP_KERNEL), 0);
	assert_int_equal(start, 40);
	model_store_range(&m, 40, 54, P(4));
	check_tree(&mt, &m);
	/* Highest fit, clipped to max. */
	assert_int_equal(mtree_alloc_rrange(&mt, &start, P(5), 10, 0, 100,
					    GFP_KERNEL), 0);
	assert_int_equal(start, 91);
	model_store_range(&m, 91, 100, P(5));
	/* Highest fit below a range. */
	assert_int_equal(mtree_alloc_rrange(&mt, &start, P(6), 5, 0, 35,
					    GFP_KERNEL), 0);
	assert_int_equal(start, 25);
	model_store_range(&m, 25, 29, P(6));
	check_tree(&mt, &m);

	/* Gaps left: [20, 24] (5) and [55, 90] (36). */
	assert_int_equal(mtree_alloc_range(&mt, &start, P(7), 37, 0, 100,
					   GFP_KERNEL), -EBUSY);
	assert_int_equal(mtree_alloc_rrange(&mt, &start, P(7), 37, 0, 100,
					    GFP_KERNEL), -EBUSY);
	assert_int_equal(mtree_alloc_range(&mt, &start, P(7), 6, 0, 54,
					   GFP_KERNEL), -EBUSY);
	/* Invalid windows and sizes. */
	assert_int_equal(mtree_alloc_range(&mt, &start, P(7), 0, 0, 100,
					   GFP_KERNEL), -EINVAL);
	assert_int_equal(mtree_alloc_range(&mt, &start, P(7), 1, 100, 0,
					   GFP_KERNEL), -EINVAL);
	assert_int_equal(mtree_alloc_range(&mt, &start, P(7), 200, 0, 100,
					   GFP_KERNEL), -EINVAL);
	assert_int_equal(mtree_alloc_rrange(&mt, &start, P(7), 0, 0, 100,
					    GFP_KERNEL), -EINVAL);
	assert_int_equal(mtree_alloc_rrange(&mt, &start, P(7), 1, 100, 0,
					    GFP_KERNEL), -EINVAL);
	check_tree(&mt, &m);

	/* Exact fits of the whole window. */
	assert_int_equal(mtree_alloc_range(&mt, &start, P(8), 36, 55, 90,
					   GFP_KERNEL), 0);
	assert_int_equal(start, 55);
	model_store_range(&m, 55, 90, P(8));
	assert_int_equal(mtree_alloc_range(&mt, &start, P(9), 1, 55, 90,
					   GFP_KERNEL), -EBUSY);
	assert_int_equal(mtree_alloc_rrange(&mt, &start, P(9), 5, 0, 24,
					    GFP_KERNEL), 0);
	assert_int_equal(start, 20);
	model_store_range(&m, 20, 24, P(9));
	assert_int_equal(mtree_alloc_range(&mt, &start, P(9), 1, 0, 100,
					   GFP_KERNEL), -EBUSY);
	check_tree(&mt, &m);

	/* The top of the index space. */
	assert_int_equal(mtree_alloc_rrange(&mt, &start, P(10), 10, 0,
					    ULONG_MAX, GFP_KERNEL), 0);
	assert_int_equal(start, ULONG_MAX - 9);
	model_store_range(&m, ULONG_MAX - 9, ULONG_MAX, P(10));
	assert_int_equal(mtree_alloc_range(&mt, &start, P(11), 10,
					   ULONG_MAX - 19, ULONG_MAX,
					   GFP_KERNEL), 0);
	assert_int_equal(start, ULONG_MAX - 19);
	model_store_range(&m, ULONG_MAX - 19, ULONG_MAX - 10, P(11));
	check_tree(&mt, &m);

	/* Many allocations fill a window exactly, across many nodes. */
	for (start = 0; start < 300; start++) {
		unsigned long got;

		assert_int_equal(mtree_alloc_range(&mt, &got, V(start), 3,
						   1000, 1899, GFP_KERNEL), 0);
		assert_int_equal(got, 1000 + start * 3);
		model_store_range(&m, got, got + 2, V(start));
	}
	assert_int_equal(mtree_alloc_range(&mt, &start, P(1), 1, 1000, 1899,
					   GFP_KERNEL), -EBUSY);
	check_tree(&mt, &m);
	destroy_both(&mt, &m);

	/* Empty trees: the window's low or high end. */
	mt_init_flags(&mt, MT_FLAGS_ALLOC_RANGE);
	assert_int_equal(mtree_alloc_range(&mt, &start, P(1), 5, 77, 1000,
					   GFP_KERNEL), 0);
	assert_int_equal(start, 77);
	mtree_destroy(&mt);
	mt_init_flags(&mt, MT_FLAGS_ALLOC_RANGE);
	assert_int_equal(mtree_alloc_rrange(&mt, &start, P(1), 5, 77, 1000,
					    GFP_KERNEL), 0);
	assert_int_equal(start, 996);
	mtree_destroy(&mt);
	assert_int_equal(live_now(), base);
}

/* ---- finding and iterating -------------------------------------------- */

static void test_find_and_iterate(void **state)
{
	struct maple_tree mt;
	unsigned long index;
	long base = live_now();
	void *entry, *seen[4];
	int n;

	(void)state;
	mt_init(&mt);
	assert_int_equal(mtree_store_range(&mt, 10, 19, P(1), GFP_KERNEL), 0);
	assert_int_equal(mtree_store_range(&mt, 30, 39, P(2), GFP_KERNEL), 0);
	assert_int_equal(mtree_store_range(&mt, ULONG_MAX - 4, ULONG_MAX,
					   P(3), GFP_KERNEL), 0);

	index = 0;
	assert_ptr_equal(mt_find(&mt, &index, ULONG_MAX), P(1));
	assert_int_equal(index, 20);
	assert_ptr_equal(mt_find_after(&mt, &index, ULONG_MAX), P(2));
	assert_int_equal(index, 40);
	assert_ptr_equal(mt_find_after(&mt, &index, ULONG_MAX), P(3));
	assert_int_equal(index, 0);
	assert_null(mt_find_after(&mt, &index, ULONG_MAX));

	/* A range containing the index counts. */
	index = 15;
	assert_ptr_equal(mt_find(&mt, &index, 15), P(1));
	assert_int_equal(index, 20);
	/* Nothing starts at or before max: index untouched. */
	index = 21;
	assert_null(mt_find(&mt, &index, 29));
	assert_int_equal(index, 21);
	assert_ptr_equal(mt_find(&mt, &index, 30), P(2));
	assert_int_equal(index, 40);
	index = 50;
	assert_null(mt_find(&mt, &index, 40));
	assert_int_equal(index, 50);

	n = 0;
	index = 0;
	mt_for_each(&mt, entry, index, ULONG_MAX) {
		assert_true(n < 4);
		seen[n++] = entry;
	}
	assert_int_equal(n, 3);
	assert_ptr_equal(seen[0], P(1));
	assert_ptr_equal(seen[1], P(2));
	assert_ptr_equal(seen[2], P(3));
	n = 0;
	index = 0;
	mt_for_each(&mt, entry, index, 35)
		n++;
	assert_int_equal(n, 2);
	n = 0;
	index = 36;
	mt_for_each(&mt, entry, index, ULONG_MAX - 5)
		n++;
	assert_int_equal(n, 1);

	/* mt_next: the first entry starting after index, up to max. */
	assert_ptr_equal(mt_next(&mt, 0, 10), P(1));
	assert_null(mt_next(&mt, 0, 9));
	assert_ptr_equal(mt_next(&mt, 15, ULONG_MAX), P(2));
	assert_ptr_equal(mt_next(&mt, 39, ULONG_MAX), P(3));
	assert_null(mt_next(&mt, 39, ULONG_MAX - 5));
	assert_null(mt_next(&mt, ULONG_MAX - 4, ULONG_MAX));

	/* mt_prev: the last entry ending before index, down to min. */
	assert_ptr_equal(mt_prev(&mt, 30, 0), P(1));
	assert_ptr_equal(mt_prev(&mt, 35, 0), P(1));
	assert_ptr_equal(mt_prev(&mt, 100, 0), P(2));
	assert_ptr_equal(mt_prev(&mt, 100, 39), P(2));
	assert_null(mt_prev(&mt, 100, 40));
	assert_ptr_equal(mt_prev(&mt, 25, 19), P(1));
	assert_null(mt_prev(&mt, 25, 20));
	assert_null(mt_prev(&mt, 10, 0));
	assert_null(mt_prev(&mt, 15, 0));
	assert_ptr_equal(mt_prev(&mt, ULONG_MAX, 0), P(2));
	assert_null(mt_prev(&mt, 5, 5));

	mtree_destroy(&mt);
	assert_int_equal(live_now(), base);
}

static void test_mas_walk_load(void **state)
{
	struct maple_tree mt;
	long base = live_now();
	MA_STATE(mas, &mt, 0, 0);
	static const struct {
		unsigned long index, first, last;
		int obj;	/* -1: NULL */
	} cases[] = {
		{ 0, 0, 9, -1 },
		{ 9, 0, 9, -1 },
		{ 10, 10, 19, 1 },
		{ 15, 10, 19, 1 },
		{ 19, 10, 19, 1 },
		{ 20, 20, 29, 2 },
		{ 30, 30, 39, -1 },
		{ 39, 30, 39, -1 },
		{ 40, 40, 40, 3 },
		{ 41, 41, ULONG_MAX, -1 },
		{ ULONG_MAX, 41, ULONG_MAX, -1 },
	};
	size_t k;

	(void)state;
	mt_init(&mt);
	assert_int_equal(mtree_store_range(&mt, 10, 19, P(1), GFP_KERNEL), 0);
	assert_int_equal(mtree_store_range(&mt, 20, 29, P(2), GFP_KERNEL), 0);
	assert_int_equal(mtree_store(&mt, 40, P(3), GFP_KERNEL), 0);

	mt_rcu_read_lock();
	for (k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
		void *exp = cases[k].obj < 0 ? NULL : P(cases[k].obj);

		mas_set(&mas, cases[k].index);
		assert_ptr_equal(mas_walk(&mas), exp);
		assert_int_equal(mas.index, cases[k].first);
		assert_int_equal(mas.last, cases[k].last);

		mas_set(&mas, cases[k].index);
		assert_ptr_equal(mas_load(&mas), exp);
		assert_true(mas.index <= cases[k].index);
		assert_true(mas.last >= cases[k].index);

		assert_ptr_equal(mtree_load(&mt, cases[k].index), exp);
	}
	mt_rcu_read_unlock();

	/* The same under the write lock. */
	mtree_lock(&mt);
	mas_set(&mas, 25);
	assert_ptr_equal(mas_walk(&mas), P(2));
	assert_int_equal(mas.index, 20);
	assert_int_equal(mas.last, 29);
	mtree_unlock(&mt);
	mtree_destroy(&mt);
	assert_int_equal(live_now(), base);
}

/* Tree [10,19] P1, [30,39] P2, [50,50] P3 for the mas_* walk tests. */
static void build_three(struct maple_tree *mt)
{
	mt_init(mt);
	assert_int_equal(mtree_store_range(mt, 10, 19, P(1), GFP_KERNEL), 0);
	assert_int_equal(mtree_store_range(mt, 30, 39, P(2), GFP_KERNEL), 0);
	assert_int_equal(mtree_store(mt, 50, P(3), GFP_KERNEL), 0);
}

/* The entry a step returned (entry_got) and the range it reported. */
#define assert_mas(ms, exp_entry, exp_first, exp_last)			\
	do {								\
		assert_ptr_equal(entry_got, (exp_entry));		\
		assert_int_equal((ms).index, (exp_first));		\
		assert_int_equal((ms).last, (exp_last));		\
	} while (0)

static void test_mas_find_family(void **state)
{
	struct maple_tree mt;
	long base = live_now();
	MA_STATE(mas, &mt, 0, 0);
	void *entry_got;

	(void)state;
	build_three(&mt);
	mt_rcu_read_lock();

	/* mas_find: at or after index, then the following entries. */
	mas_set(&mas, 0);
	entry_got = mas_find(&mas, ULONG_MAX);
	assert_mas(mas, P(1), 10, 19);
	entry_got = mas_find(&mas, ULONG_MAX);
	assert_mas(mas, P(2), 30, 39);
	entry_got = mas_find(&mas, ULONG_MAX);
	assert_mas(mas, P(3), 50, 50);
	assert_null(mas_find(&mas, ULONG_MAX));
	mas_set(&mas, 15);
	entry_got = mas_find(&mas, 40);
	assert_mas(mas, P(1), 10, 19);
	entry_got = mas_find(&mas, 40);
	assert_mas(mas, P(2), 30, 39);
	assert_null(mas_find(&mas, 40));
	/* Nothing starts in [20, 29]. */
	mas_set(&mas, 20);
	assert_null(mas_find(&mas, 29));
	/* index above max. */
	mas_set(&mas, 60);
	assert_null(mas_find(&mas, 59));

	/* mas_find_range: the first call skips a NULL start, then every
	 * range is visited, NULL ones included. */
	mas_set(&mas, 0);
	entry_got = mas_find_range(&mas, 100);
	assert_mas(mas, P(1), 10, 19);
	entry_got = mas_find_range(&mas, 100);
	assert_mas(mas, NULL, 20, 29);
	entry_got = mas_find_range(&mas, 100);
	assert_mas(mas, P(2), 30, 39);
	entry_got = mas_find_range(&mas, 100);
	assert_mas(mas, NULL, 40, 49);

	/* mas_find_rev: at or before index, then the earlier ones. */
	mas_set(&mas, 45);
	entry_got = mas_find_rev(&mas, 0);
	assert_mas(mas, P(2), 30, 39);
	entry_got = mas_find_rev(&mas, 0);
	assert_mas(mas, P(1), 10, 19);
	assert_null(mas_find_rev(&mas, 0));
	mas_set(&mas, 35);
	entry_got = mas_find_rev(&mas, 0);
	assert_mas(mas, P(2), 30, 39);
	mas_set(&mas, ULONG_MAX);
	entry_got = mas_find_rev(&mas, 0);
	assert_mas(mas, P(3), 50, 50);
	/* Stops at min. */
	mas_set(&mas, 45);
	entry_got = mas_find_rev(&mas, 30);
	assert_mas(mas, P(2), 30, 39);
	assert_null(mas_find_rev(&mas, 30));
	mas_set(&mas, 25);
	assert_null(mas_find_rev(&mas, 20));
	mas_set(&mas, 5);
	assert_null(mas_find_rev(&mas, 6));

	/* mas_find_range_rev: every range going down, NULL ones too. */
	mas_set(&mas, 35);
	entry_got = mas_find_range_rev(&mas, 0);
	assert_mas(mas, P(2), 30, 39);
	entry_got = mas_find_range_rev(&mas, 0);
	assert_mas(mas, NULL, 20, 29);
	entry_got = mas_find_range_rev(&mas, 0);
	assert_mas(mas, P(1), 10, 19);

	mt_rcu_read_unlock();
	mtree_destroy(&mt);
	assert_int_equal(live_now(), base);
}

static void test_mas_next_prev(void **state)
{
	struct maple_tree mt;
	long base = live_now();
	MA_STATE(mas, &mt, 0, 0);
	void *entry_got;

	(void)state;
	build_three(&mt);
	mt_rcu_read_lock();

	/* mas_next: the entry after the one at index. */
	mas_set(&mas, 15);
	entry_got = mas_next(&mas, ULONG_MAX);
	assert_mas(mas, P(2), 30, 39);
	entry_got = mas_next(&mas, ULONG_MAX);
	assert_mas(mas, P(3), 50, 50);
	assert_null(mas_next(&mas, ULONG_MAX));
	mas_set(&mas, 0);
	entry_got = mas_next(&mas, 10);
	assert_mas(mas, P(1), 10, 19);
	assert_null(mas_next(&mas, 29));
	mas_set(&mas, 0);
	assert_null(mas_next(&mas, 9));

	/* mas_next_range: every range, NULL ones included. */
	mas_set(&mas, 15);
	entry_got = mas_walk(&mas);
	assert_mas(mas, P(1), 10, 19);
	entry_got = mas_next_range(&mas, ULONG_MAX);
	assert_mas(mas, NULL, 20, 29);
	entry_got = mas_next_range(&mas, ULONG_MAX);
	assert_mas(mas, P(2), 30, 39);
	entry_got = mas_next_range(&mas, ULONG_MAX);
	assert_mas(mas, NULL, 40, 49);
	entry_got = mas_next_range(&mas, ULONG_MAX);
	assert_mas(mas, P(3), 50, 50);
	entry_got = mas_next_range(&mas, ULONG_MAX);
	assert_mas(mas, NULL, 51, ULONG_MAX);

	/* mas_prev: the entry before the one at index. */
	mas_set(&mas, 50);
	entry_got = mas_prev(&mas, 0);
	assert_mas(mas, P(2), 30, 39);
	entry_got = mas_prev(&mas, 0);
	assert_mas(mas, P(1), 10, 19);
	assert_null(mas_prev(&mas, 0));
	mas_set(&mas, 35);
	entry_got = mas_prev(&mas, 0);
	assert_mas(mas, P(1), 10, 19);
	mas_set(&mas, 35);
	assert_null(mas_prev(&mas, 20));
	mas_set(&mas, 35);
	entry_got = mas_prev(&mas, 19);
	assert_mas(mas, P(1), 10, 19);

	/* mas_prev_range: every range going down, NULL ones too. */
	mas_set(&mas, 35);
	entry_got = mas_walk(&mas);
	assert_mas(mas, P(2), 30, 39);
	entry_got = mas_prev_range(&mas, 0);
	assert_mas(mas, NULL, 20, 29);
	entry_got = mas_prev_range(&mas, 0);
	assert_mas(mas, P(1), 10, 19);
	entry_got = mas_prev_range(&mas, 0);
	assert_mas(mas, NULL, 0, 9);
	assert_null(mas_prev_range(&mas, 0));

	/* Back and forth. */
	mas_set(&mas, 35);
	entry_got = mas_walk(&mas);
	assert_mas(mas, P(2), 30, 39);
	entry_got = mas_next(&mas, ULONG_MAX);
	assert_mas(mas, P(3), 50, 50);
	entry_got = mas_prev(&mas, 0);
	assert_mas(mas, P(2), 30, 39);
	entry_got = mas_prev(&mas, 0);
	assert_mas(mas, P(1), 10, 19);
	entry_got = mas_next(&mas, ULONG_MAX);
	assert_mas(mas, P(2), 30, 39);

	mt_rcu_read_unlock();
	mtree_destroy(&mt);
	assert_int_equal(live_now(), base);
}

static void test_mas_for_each(void **state)
{
	struct maple_tree mt;
	struct model m;
	long base = live_now();
	MA_STATE(mas, &mt, 0, 0);
	unsigned long i;
	void *entry;

	(void)state;
	mt_init(&mt);
	model_init(&m);
	fill_spaced(&mt, &m, 300, 10, 5);

	i = 0;
	mt_rcu_read_lock();
	mas_for_each(&mas, entry, ULONG_MAX) {
		assert_ptr_equal(entry, V(i));
		assert_int_equal(mas.index, i * 10);
		assert_int_equal(mas.last, i * 10 + 4);
		i++;
	}
	assert_int_equal(i, 300);

	/* Bounded by max: entries starting at or before 1000. */
	i = 0;
	mas_set(&mas, 0);
	mas_for_each(&mas, entry, 1000)
		i++;
	assert_int_equal(i, 101);

	i = 300;
	mas_set(&mas, ULONG_MAX);
	mas_for_each_rev(&mas, entry, 0) {
		i--;
		assert_ptr_equal(entry, V(i));
	}
	assert_int_equal(i, 0);
	mt_rcu_read_unlock();
	destroy_both(&mt, &m);
	assert_int_equal(live_now(), base);
}

/* Walk under the lock, pausing to store both at and behind the cursor. */
static void test_mas_pause_store(void **state)
{
	struct maple_tree mt;
	struct model m;
	long base = live_now();
	MA_STATE(mas, &mt, 0, 0);
	unsigned long i = 0;
	void *entry;

	(void)state;
	mt_init(&mt);
	model_init(&m);
	fill_spaced(&mt, &m, 200, 10, 5);

	mtree_lock(&mt);
	mas_for_each(&mas, entry, ULONG_MAX) {
		assert_ptr_equal(entry, V(i));
		assert_int_equal(mas.index, i * 10);
		mas_pause(&mas);
		mtree_unlock(&mt);

		/* Replace the current entry; add one behind the cursor. */
		store_both(&mt, &m, i * 10, i * 10 + 4, V(i + 1000));
		if (i)
			store_both(&mt, &m, i * 10 - 3, i * 10 - 2, P(1));
		mtree_lock(&mt);
		i++;
	}
	mtree_unlock(&mt);
	assert_int_equal(i, 200);
	check_tree(&mt, &m);

	/* Pause under RCU, erase ahead of the cursor, go on. */
	i = 0;
	mas_set(&mas, 0);
	mt_rcu_read_lock();
	while ((entry = mas_find(&mas, ULONG_MAX)) != NULL) {
		unsigned long next = mas.last + 1;

		i++;
		mas_pause(&mas);
		mt_rcu_read_unlock();
		/* Erase whatever comes right after the current range. */
		if (next && model_load(&m, next + 1)) {
			assert_ptr_equal(mtree_erase(&mt, next + 1),
					 model_erase(&m, next + 1, NULL, NULL));
		}
		mt_rcu_read_lock();
	}
	mt_rcu_read_unlock();
	assert_true(i > 100);
	check_tree(&mt, &m);
	destroy_both(&mt, &m);
	assert_int_equal(live_now(), base);
}

static void test_mas_store_erase(void **state)
{
	struct maple_tree mt;
	struct model m;
	long base = live_now();
	MA_STATE(mas, &mt, 0, 0);
	unsigned long i;

	(void)state;
	mt_init(&mt);
	model_init(&m);

	mtree_lock(&mt);
	mas_set_range(&mas, 10, 19);
	assert_int_equal(mas_store_gfp(&mas, P(1), GFP_KERNEL), 0);
	mas_set_range(&mas, 30, 39);
	assert_int_equal(mas_store_gfp(&mas, P(2), GFP_KERNEL), 0);
	mtree_unlock(&mt);
	model_store_range(&m, 10, 19, P(1));
	model_store_range(&m, 30, 39, P(2));
	check_tree(&mt, &m);

	/* mas_store returns the first entry it overwrites. */
	mtree_lock(&mt);
	mas_set_range(&mas, 15, 34);
	assert_ptr_equal(mas_store(&mas, P(3)), P(1));
	mas_set_range(&mas, 50, 59);
	assert_null(mas_store(&mas, P(4)));
	mtree_unlock(&mt);
	model_store_range(&m, 15, 34, P(3));
	model_store_range(&m, 50, 59, P(4));
	check_tree(&mt, &m);

	/* mas_erase returns the entry and erases its whole range. */
	mtree_lock(&mt);
	mas_set(&mas, 20);
	assert_ptr_equal(mas_erase(&mas), P(3));
	mas_set(&mas, 45);
	assert_null(mas_erase(&mas));
	mtree_unlock(&mt);
	model_erase(&m, 20, NULL, NULL);
	check_tree(&mt, &m);

	/* mas_store_gfp of NULL erases a span. */
	mtree_lock(&mt);
	mas_set_range(&mas, 0, 55);
	assert_int_equal(mas_store_gfp(&mas, NULL, GFP_KERNEL), 0);
	mtree_unlock(&mt);
	model_store_range(&m, 0, 55, NULL);
	check_tree(&mt, &m);

	/* Many advanced stores reusing one state. */
	mtree_lock(&mt);
	for (i = 0; i < 500; i++) {
		mas_set_range(&mas, i * 4, i * 4 + 2);
		assert_int_equal(mas_store_gfp(&mas, V(i), GFP_KERNEL), 0);
		assert_false(mas_is_err(&mas));
	}
	mtree_unlock(&mt);

	/* __mas_set_range keeps the position: read the range just found. */
	mt_rcu_read_lock();
	mas_set(&mas, 101);
	assert_ptr_equal(mas_walk(&mas), V(25));
	__mas_set_range(&mas, 100, 102);
	assert_int_equal(mas.index, 100);
	assert_int_equal(mas.last, 102);
	assert_ptr_equal(mas_walk(&mas), V(25));
	mt_rcu_read_unlock();
	for (i = 0; i < 500; i++)
		model_store_range(&m, i * 4, i * 4 + 2, V(i));
	check_tree(&mt, &m);
	destroy_both(&mt, &m);
	assert_int_equal(live_now(), base);
}

/* ---- gap searches ------------------------------------------------------ */

static void expect_area(struct maple_tree *mt, bool rev, unsigned long min,
			unsigned long max, unsigned long size, int ret,
			unsigned long index)
{
	MA_STATE(mas, mt, 0, 0);
	int got;

	mt_rcu_read_lock();
	got = rev ? mas_empty_area_rev(&mas, min, max, size) :
		    mas_empty_area(&mas, min, max, size);
	mt_rcu_read_unlock();
	if (got != ret || (!ret && (mas.index != index ||
				    mas.last != index + size - 1)))
		fprintf(stderr,
			"%s(%lu, %lu, size %lu) = %d [%lu, %lu], expected %d at %lu\n",
			rev ? "mas_empty_area_rev" : "mas_empty_area", min,
			max, size, got, mas.index, mas.last, ret, index);
	assert_int_equal(got, ret);
	if (!ret) {
		assert_int_equal(mas.index, index);
		assert_int_equal(mas.last, index + size - 1);
	}
}

static void test_empty_area(void **state)
{
	struct maple_tree mt;
	struct model m;
	long base = live_now();
	unsigned long i;

	(void)state;
	mt_init_flags(&mt, MT_FLAGS_ALLOC_RANGE);
	model_init(&m);

	/* Empty tree: the window's ends. */
	expect_area(&mt, false, 5, 100, 10, 0, 5);
	expect_area(&mt, true, 5, 100, 10, 0, 91);
	expect_area(&mt, false, 0, ULONG_MAX, ULONG_MAX, 0, 0);
	/* Errors. */
	expect_area(&mt, false, 100, 5, 1, -EINVAL, 0);
	expect_area(&mt, true, 100, 5, 1, -EINVAL, 0);
	expect_area(&mt, false, 0, 100, 0, -EINVAL, 0);
	expect_area(&mt, true, 0, 100, 0, -EINVAL, 0);
	expect_area(&mt, false, 0, 9, 11, -EINVAL, 0);
	expect_area(&mt, true, 0, 9, 11, -EINVAL, 0);
	expect_area(&mt, false, 0, 9, 10, 0, 0);
	expect_area(&mt, true, 0, 9, 10, 0, 0);

	/* A root entry at 0 only: index 0 is taken. */
	store_both(&mt, &m, 0, 0, P(1));
	expect_area(&mt, false, 0, 100, 5, 0, 1);
	expect_area(&mt, true, 0, 100, 5, 0, 96);
	expect_area(&mt, false, 0, 0, 1, -EBUSY, 0);
	expect_area(&mt, true, 0, 4, 5, -EBUSY, 0);

	/* [10,19] [30,39] [45,49]: gaps [1,9] [20,29] [40,44] [50,MAX]. */
	store_both(&mt, &m, 10, 19, P(2));
	store_both(&mt, &m, 30, 39, P(3));
	store_both(&mt, &m, 45, 49, P(4));
	check_tree(&mt, &m);
	expect_area(&mt, false, 0, 100, 9, 0, 1);
	expect_area(&mt, false, 0, 100, 10, 0, 20);
	expect_area(&mt, false, 0, 100, 11, 0, 50);
	expect_area(&mt, false, 25, 100, 5, 0, 25);
	expect_area(&mt, false, 25, 100, 6, 0, 50);
	expect_area(&mt, false, 12, 44, 5, 0, 20);
	expect_area(&mt, false, 12, 44, 11, -EBUSY, 0);
	expect_area(&mt, false, 10, 19, 1, -EBUSY, 0);
	expect_area(&mt, false, 41, 44, 4, 0, 41);
	expect_area(&mt, true, 0, 100, 5, 0, 96);
	expect_area(&mt, true, 0, 49, 5, 0, 40);
	expect_area(&mt, true, 0, 49, 6, 0, 24);
	expect_area(&mt, true, 0, 27, 6, 0, 22);
	expect_area(&mt, true, 0, 27, 9, 0, 1);
	expect_area(&mt, true, 0, 27, 10, -EBUSY, 0);
	expect_area(&mt, true, 22, 27, 7, -EINVAL, 0);
	expect_area(&mt, true, 5, 15, 5, 0, 5);
	expect_area(&mt, true, 5, 15, 6, -EBUSY, 0);
	expect_area(&mt, true, 10, 19, 1, -EBUSY, 0);
	expect_area(&mt, true, 0, ULONG_MAX, 1, 0, ULONG_MAX);
	expect_area(&mt, false, 51, ULONG_MAX, ULONG_MAX - 50, 0, 51);
	expect_area(&mt, false, 50, ULONG_MAX, ULONG_MAX - 48, -EINVAL, 0);

	/* Many nodes: every gap one index wide except one of 3. */
	for (i = 0; i < 2000; i++)
		store_both(&mt, &m, 1000 + i * 2, 1000 + i * 2, V(i));
	store_both(&mt, &m, 3000, 3000, NULL);
	store_both(&mt, &m, 3001, 3001, NULL);
	check_tree(&mt, &m);
	expect_area(&mt, false, 1000, 4998, 3, 0, 2999);
	expect_area(&mt, true, 1000, 4998, 3, 0, 2999);
	expect_area(&mt, false, 1000, 4998, 4, -EBUSY, 0);
	expect_area(&mt, true, 1001, 4998, 4, -EBUSY, 0);
	expect_area(&mt, false, 1000, 4998, 1, 0, 1001);
	expect_area(&mt, true, 1000, 4998, 1, 0, 4997);
	destroy_both(&mt, &m);
	assert_int_equal(live_now(), base);
}

/* ---- modes, destruction, duplication, locking, statistics ------------- */

static void test_rcu_flag(void **state)
{
	struct maple_tree mt;
	struct model m;
	long base = live_now();

	(void)state;
	mt_init(&mt);
	model_init(&m);
	assert_false(mt_in_rcu(&mt));
	mt_set_in_rcu(&mt);
	assert_true(mt_in_rcu(&mt));
	fill_spaced(&mt, &m, 300, 5, 2);
	check_tree(&mt, &m);
	mt_clear_in_rcu(&mt);
	assert_false(mt_in_rcu(&mt));
	fill_spaced(&mt, &m, 300, 7, 3);
	check_tree(&mt, &m);
	mt_set_in_rcu(&mt);
	assert_true(mt_in_rcu(&mt));
	store_both(&mt, &m, 100, 1000, NULL);
	check_tree(&mt, &m);
	destroy_both(&mt, &m);
	assert_true(mt_in_rcu(&mt));	/* destroy keeps the attributes */

	mt_init_flags(&mt, MT_FLAGS_USE_RCU | MT_FLAGS_ALLOC_RANGE);
	assert_true(mt_in_rcu(&mt));
	assert_int_equal(mt_attr(&mt), MT_FLAGS_USE_RCU | MT_FLAGS_ALLOC_RANGE);
	assert_int_equal(mtree_store_range(&mt, 10, 20, P(1), GFP_KERNEL), 0);
	/* The height is not an attribute. */
	assert_int_equal(mt_attr(&mt), MT_FLAGS_USE_RCU | MT_FLAGS_ALLOC_RANGE);
	mt_clear_in_rcu(&mt);
	assert_false(mt_in_rcu(&mt));
	assert_int_equal(mt_attr(&mt), MT_FLAGS_ALLOC_RANGE);
	mtree_destroy(&mt);
	assert_int_equal(live_now(), base);
}

static void test_destroy(void **state)
{
	struct maple_tree mt;
	struct model m;
	long base = live_now();

	(void)state;
	mt_init(&mt);
	model_init(&m);
	fill_spaced(&mt, &m, 2000, 3, 1);
	assert_true(mt_height(&mt) >= 3);
	assert_true(mt_nr_nodes(&mt) > 100);
	mtree_destroy(&mt);
	assert_true(mtree_empty(&mt));
	assert_int_equal(mt_height(&mt), 0);
	assert_int_equal(mt_nr_nodes(&mt), 0);
	assert_null(mtree_load(&mt, 3));
	assert_int_equal(live_now(), base);

	/* The tree is usable again after destruction. */
	model_clear(&m);
	fill_spaced(&mt, &m, 50, 3, 1);
	check_tree(&mt, &m);
	mtree_lock(&mt);
	__mt_destroy(&mt);
	mtree_unlock(&mt);
	assert_true(mtree_empty(&mt));

	/* An RCU-mode tree frees after a grace period. */
	mt_init_flags(&mt, MT_FLAGS_USE_RCU);
	model_clear(&m);
	fill_spaced(&mt, &m, 2000, 3, 1);
	check_tree(&mt, &m);
	mtree_destroy(&mt);
	assert_true(mtree_empty(&mt));
	model_destroy(&m);
	assert_int_equal(live_now(), base);
}

static void test_dup(void **state)
{
	struct maple_tree mt, copy, other;
	struct model m;
	long base = live_now();
	static const unsigned int flags[] = {
		0, MT_FLAGS_ALLOC_RANGE, MT_FLAGS_USE_RCU,
		MT_FLAGS_ALLOC_RANGE | MT_FLAGS_USE_RCU,
	};
	static const unsigned long sizes[] = { 0, 1, 5, 100, 3000 };
	size_t f, s;

	(void)state;
	for (f = 0; f < 4; f++) {
		for (s = 0; s < 5; s++) {
			mt_init_flags(&mt, flags[f]);
			model_init(&m);
			if (sizes[s] == 1)
				store_both(&mt, &m, 0, 0, P(1));
			else
				fill_spaced(&mt, &m, sizes[s], 4, 2);
			mt_init_flags(&copy, flags[f]);
			assert_int_equal(mtree_dup(&mt, &copy, GFP_KERNEL), 0);
			assert_int_equal(mt_height(&copy), mt_height(&mt));
			assert_int_equal(mt_nr_nodes(&copy), mt_nr_nodes(&mt));
			check_tree(&copy, &m);
			/* Independent afterwards. */
			assert_int_equal(mtree_store_range(&copy, 0, 100000,
							   NULL, GFP_KERNEL),
					 0);
			check_tree(&mt, &m);
			mtree_destroy(&copy);

			/* __mt_dup under the caller's locks. */
			mt_init_flags(&copy, flags[f]);
			mtree_lock(&copy);
			mtree_lock(&mt);
			assert_int_equal(__mt_dup(&mt, &copy, GFP_KERNEL), 0);
			mtree_unlock(&mt);
			mtree_unlock(&copy);
			check_tree(&copy, &m);
			mtree_destroy(&copy);
			destroy_both(&mt, &m);
		}
	}

	/* Attributes must match and the target must be empty. */
	mt_init(&mt);
	model_init(&m);
	fill_spaced(&mt, &m, 10, 4, 2);
	mt_init_flags(&other, MT_FLAGS_ALLOC_RANGE);
	assert_int_equal(mtree_dup(&mt, &other, GFP_KERNEL), -EINVAL);
	assert_true(mtree_empty(&other));
	mt_init(&copy);
	assert_int_equal(mtree_store(&copy, 5, P(1), GFP_KERNEL), 0);
	assert_int_equal(mtree_dup(&mt, &copy, GFP_KERNEL), -EINVAL);
	assert_ptr_equal(mtree_load(&copy, 5), P(1));
	mtree_destroy(&copy);
	mtree_destroy(&other);
	check_tree(&mt, &m);
	destroy_both(&mt, &m);
	assert_int_equal(live_now(), base);
}

static pthread_mutex_t ext_lock = PTHREAD_MUTEX_INITIALIZER;
static bool ext_held;

static bool ext_lock_held(const void *lock, bool for_write)
{
	(void)for_write;
	return lock == &ext_lock && ext_held;
}

static void ext_take(void)
{
	pthread_mutex_lock(&ext_lock);
	ext_held = true;
}

static void ext_drop(void)
{
	ext_held = false;
	pthread_mutex_unlock(&ext_lock);
}

static void test_locking(void **state)
{
	struct maple_tree mt;
	struct model m;
	long base = live_now();
	unsigned long i;

	(void)state;
	/* The internal lock. */
	mt_init(&mt);
	mtree_lock(&mt);
	assert_true(mt_write_locked(&mt));
	mtree_unlock(&mt);
	assert_false(mt_write_locked(&mt));
	mtree_destroy(&mt);

	/* An external lock: the caller holds it around every call. */
	mt_init_flags(&mt, MT_FLAGS_LOCK_EXTERN);
	mt_set_external_lock(&mt, &ext_lock, ext_lock_held);
	assert_true(mt_external_lock(&mt));
	model_init(&m);
	ext_take();
	for (i = 0; i < 200; i++) {
		assert_int_equal(mtree_store_range(&mt, i * 3, i * 3 + 1, V(i),
						   GFP_KERNEL), 0);
		model_store_range(&m, i * 3, i * 3 + 1, V(i));
	}
	assert_ptr_equal(mtree_load(&mt, 31), V(10));
	assert_ptr_equal(mtree_erase(&mt, 31), V(10));
	model_erase(&m, 31, NULL, NULL);
	assert_int_equal(mtree_insert(&mt, 2, P(1), GFP_KERNEL), 0);
	model_store_range(&m, 2, 2, P(1));
	assert_int_equal(mt_validate(&mt), 0);
	assert_int_equal(model_compare_tree(&m, &mt), 0);
	mtree_destroy(&mt);
	ext_drop();
	model_destroy(&m);
	assert_int_equal(live_now(), base);
}

static void test_stats_and_debug(void **state)
{
	struct maple_tree mt;
	struct mt_stats s, g0, g1;
	long base = live_now();
	FILE *f;
	int t, ret;

	(void)state;
	for (t = 0; t < MT_STORE_TYPES; t++) {
		const char *name = mt_store_type_name((enum store_type)t);

		assert_non_null(name);
		assert_true(name[0] != '\0');
	}

	mt_get_global_stats(&g0);
	mt_init(&mt);
	mt_get_stats(&mt, &s);
	assert_int_equal(total_stores(&s), 0);
	assert_int_equal(s.nodes_allocated, 0);
	assert_int_equal(mtree_store_range(&mt, 5, 10, P(1), GFP_KERNEL), 0);
	assert_int_equal(mtree_store_range(&mt, 20, 30, P(2), GFP_KERNEL), 0);
	mt_get_stats(&mt, &s);
	assert_int_equal(total_stores(&s), 2);
	assert_true(s.nodes_allocated >= 1);
	mt_get_global_stats(&g1);
	assert_true(total_stores(&g1) >= total_stores(&g0) + 2);
	assert_true(g1.nodes_allocated >= g0.nodes_allocated + 1);
	mt_reset_stats(&mt);
	mt_get_stats(&mt, &s);
	assert_int_equal(total_stores(&s), 0);
	assert_int_equal(s.prealloc_fallbacks, 0);

	mt_dump(&mt, mt_dump_dec);
	f = tmpfile();
	assert_non_null(f);
	ret = mt_dump_file(&mt, mt_dump_hex, f);
	assert_true(ret >= 0);
	ret = mt_dump_file(&mt, mt_dump_dec, f);
	assert_true(ret >= 0);
	ret = mt_dump_dot(&mt, f);
	assert_true(ret >= 0);
	assert_true(ftell(f) > 0);
	fclose(f);

	mtree_destroy(&mt);
	assert_int_equal(live_now(), base);
}

/* ---- write paths: scenarios --------------------------------------------- */

struct op {
	unsigned long first, last;
	void *entry;
};

struct scenario {
	const char *name;
	unsigned int flags;
	void (*build)(struct maple_tree *mt, struct model *m, struct op *op);
	struct op op;			/* may be replaced by build() */
	enum store_type type;
	long request;			/* node_request; -1: not asserted */
};

/* What mas_preallocate() decides for @op, without storing anything. */
static enum store_type probe_type(struct maple_tree *mt, const struct op *op)
{
	MA_STATE(mas, mt, op->first, op->last);
	enum store_type type;

	mtree_lock(mt);
	assert_int_equal(mas_preallocate(&mas, op->entry, GFP_KERNEL), 0);
	type = mas.store_type;
	mas_destroy(&mas);
	mtree_unlock(mt);
	return type;
}

static void build_empty(struct maple_tree *mt, struct model *m,
			struct op *op)
{
	(void)mt;
	(void)m;
	(void)op;
}

static void build_root_entry(struct maple_tree *mt, struct model *m,
			     struct op *op)
{
	(void)op;
	store_both(mt, m, 0, 0, P(1));
}

static void build_two(struct maple_tree *mt, struct model *m, struct op *op)
{
	(void)op;
	store_both(mt, m, 10, 19, P(1));
	store_both(mt, m, 30, 39, P(2));
}

/*
 * One root leaf of 10 slots:
 * NULL [0,9] P1 [10,19] P2 [20,29] P3 [30,39] P4 [40,49] NULL [50,59]
 * P5 [60,69] NULL [70,79] P6 [80,89] NULL [90,MAX]
 */
static void build_leaf10(struct maple_tree *mt, struct model *m,
			 struct op *op)
{
	(void)op;
	store_both(mt, m, 10, 19, P(1));
	store_both(mt, m, 20, 29, P(2));
	store_both(mt, m, 30, 39, P(3));
	store_both(mt, m, 40, 49, P(4));
	store_both(mt, m, 60, 69, P(5));
	store_both(mt, m, 80, 89, P(6));
	assert_int_equal(mt_height(mt), 1);
}

/* One root leaf of 7 slots: NULL P1 NULL P2 NULL P3 NULL [60,MAX]. */
static void build_leaf7(struct maple_tree *mt, struct model *m,
			struct op *op)
{
	(void)op;
	store_both(mt, m, 10, 19, P(1));
	store_both(mt, m, 30, 39, P(2));
	store_both(mt, m, 50, 59, P(3));
	assert_int_equal(mt_height(mt), 1);
}

/* One full root leaf: [i*10, i*10+4] for i < 8 and NULL gaps: 16 slots. */
static void build_leaf16(struct maple_tree *mt, struct model *m,
			 struct op *op)
{
	(void)op;
	fill_spaced(mt, m, 8, 10, 5);
	assert_int_equal(mt_height(mt), 1);
}

/* 40 spaced entries [i*10, i*10+4]: a tree of several leaves. */
static void build_forty(struct maple_tree *mt, struct model *m)
{
	fill_spaced(mt, m, 40, 10, 5);
	assert_true(mt_height(mt) >= 2);
}

/* Fill gaps of a height-2 tree until the next insert splits a leaf. */
static void build_split_h2(struct maple_tree *mt, struct model *m,
			   struct op *op)
{
	unsigned long i;

	/* 80 slots: at most 10 leaves under a 16-slot root with room. */
	build_forty(mt, m);
	assert_int_equal(mt_height(mt), 2);
	for (i = 0; i < 40; i++) {
		op->first = i * 10 + 6;
		op->last = i * 10 + 7;
		op->entry = P(9);
		if (probe_type(mt, op) == wr_split_store) {
			assert_int_equal(mt_height(mt), 2);
			return;
		}
		store_both(mt, m, op->first, op->last, op->entry);
	}
	fail_msg("no leaf split while filling gaps");
}

/* Erase from the front until the next erase has to rebalance. */
static void build_rebalance(struct maple_tree *mt, struct model *m,
			    struct op *op)
{
	int k;

	build_forty(mt, m);
	for (k = 0; k < 40; k++) {
		const struct model_range *r = model_at(m, 0);

		op->first = r->first;
		op->last = r->last;
		op->entry = NULL;
		if (probe_type(mt, op) == wr_rebalance)
			return;
		store_both(mt, m, op->first, op->last, NULL);
	}
	fail_msg("no rebalance while erasing from the front");
}

static void build_spanning(struct maple_tree *mt, struct model *m,
			   struct op *op)
{
	(void)op;
	build_forty(mt, m);
}

#define RCU	MT_FLAGS_USE_RCU
#define ARANGE	MT_FLAGS_ALLOC_RANGE

static const struct scenario scenarios[] = {
	{ "store_root at 0", 0, build_empty, { 0, 0, P(7) },
	  wr_store_root, 0 },
	{ "store_root at 5", 0, build_empty, { 5, 5, P(7) },
	  wr_store_root, 1 },
	{ "store_root range", ARANGE, build_empty, { 5, 500, P(7) },
	  wr_store_root, 1 },
	{ "store_root over root entry", 0, build_root_entry, { 0, 0, P(7) },
	  wr_store_root, 0 },
	{ "store_root beside root entry", 0, build_root_entry,
	  { 1, 1, P(7) }, wr_store_root, 1 },
	{ "new_root", 0, build_two, { 0, ULONG_MAX, P(7) }, wr_new_root, 1 },
	{ "new_root NULL", 0, build_two, { 0, ULONG_MAX, NULL }, wr_new_root,
	  -1 },
	{ "exact_fit", 0, build_leaf10, { 30, 39, P(7) }, wr_exact_fit, 0 },
	{ "exact_fit rcu", RCU, build_leaf10, { 30, 39, P(7) }, wr_exact_fit,
	  0 },
	{ "slot_store", 0, build_leaf10, { 15, 29, P(7) }, wr_slot_store, 0 },
	{ "slot_store head", 0, build_leaf10, { 10, 24, P(7) }, wr_slot_store,
	  0 },
	{ "slot_store rcu", RCU, build_leaf10, { 15, 29, P(7) },
	  wr_slot_store, 0 },
	{ "append", 0, build_leaf7, { 60, 69, P(7) }, wr_append, 0 },
	{ "append alloc", ARANGE, build_leaf7, { 60, 69, P(7) }, wr_append,
	  0 },
	{ "node_store", 0, build_leaf10, { 15, 24, P(7) }, wr_node_store, 0 },
	{ "node_store rcu", RCU, build_leaf10, { 15, 24, P(7) },
	  wr_node_store, 1 },
	{ "append in rcu is node_store", RCU, build_leaf7, { 60, 69, P(7) },
	  wr_node_store, 1 },
	{ "split_store height 1", 0, build_leaf16, { 100, 104, P(7) },
	  wr_split_store, 3 },
	{ "split_store height 1 alloc", ARANGE, build_leaf16,
	  { 100, 104, P(7) }, wr_split_store, 3 },
	{ "split_store height 1 rcu", RCU, build_leaf16, { 100, 104, P(7) },
	  wr_split_store, 3 },
	{ "split_store height 2", 0, build_split_h2, { 0, 0, NULL },
	  wr_split_store, 3 },
	{ "split_store height 2 rcu", RCU, build_split_h2, { 0, 0, NULL },
	  wr_split_store, 3 },
	{ "rebalance", 0, build_rebalance, { 0, 0, NULL }, wr_rebalance, -1 },
	{ "rebalance rcu", RCU, build_rebalance, { 0, 0, NULL },
	  wr_rebalance, -1 },
	{ "spanning_store", 0, build_spanning, { 5, 300, P(7) },
	  wr_spanning_store, -1 },
	{ "spanning_store NULL", 0, build_spanning, { 5, 300, NULL },
	  wr_spanning_store, -1 },
	{ "spanning_store alloc", ARANGE, build_spanning, { 5, 300, P(7) },
	  wr_spanning_store, -1 },
	{ "spanning_store rcu", RCU, build_spanning, { 95, 205, NULL },
	  wr_spanning_store, -1 },
};
#define NR_SCENARIOS (sizeof(scenarios) / sizeof(scenarios[0]))

static void scenario_build(const struct scenario *sc, struct maple_tree *mt,
			   struct model *m, struct op *op)
{
	mt_init_flags(mt, sc->flags);
	model_init(m);
	*op = sc->op;
	sc->build(mt, m, op);
}

/* Every write path once through mtree_store_range(), by its counter. */
static void test_store_types(void **state)
{
	struct maple_tree mt;
	struct model m;
	struct op op;
	long base = live_now();
	size_t k;

	(void)state;
	for (k = 0; k < NR_SCENARIOS; k++) {
		const struct scenario *sc = &scenarios[k];

		scenario_build(sc, &mt, &m, &op);
		check_tree(&mt, &m);
		cur_scenario = sc->name;
		expect_store(&mt, &m, op.first, op.last, op.entry, sc->type);
		destroy_both(&mt, &m);
		assert_int_equal(live_now(), base);
	}

	/* The heights the scenarios promise. */
	cur_scenario = "heights";
	mt_init(&mt);
	assert_int_equal(mtree_store(&mt, 0, P(1), GFP_KERNEL), 0);
	assert_int_equal(mt_height(&mt), 0);
	mtree_destroy(&mt);
	mt_init(&mt);
	model_init(&m);
	build_leaf16(&mt, &m, &op);
	expect_store(&mt, &m, 100, 104, P(7), wr_split_store);
	assert_int_equal(mt_height(&mt), 2);
	expect_store(&mt, &m, 0, ULONG_MAX, NULL, wr_spanning_store);
	assert_true(mtree_empty(&mt));
	destroy_both(&mt, &m);
	assert_int_equal(live_now(), base);
}

/* mas_preallocate(): the store type, node_request and the statistics. */
static void test_prealloc_counts(void **state)
{
	struct maple_tree mt;
	struct model m;
	struct op op;
	struct mt_stats a, b;
	long base = live_now();
	size_t k;

	(void)state;
	for (k = 0; k < NR_SCENARIOS; k++) {
		const struct scenario *sc = &scenarios[k];
		MA_STATE(mas, &mt, 0, 0);
		unsigned long request;

		scenario_build(sc, &mt, &m, &op);
		mas_set_range(&mas, op.first, op.last);
		mt_get_stats(&mt, &a);
		mtree_lock(&mt);
		assert_int_equal(mas_preallocate(&mas, op.entry, GFP_KERNEL),
				 0);
		request = mas.node_request;
		if (mas.store_type != sc->type ||
		    (sc->request >= 0 &&
		     request != (unsigned long)sc->request))
			fprintf(stderr,
				"prealloc %s: type %s request %lu, expected %s %ld\n",
				sc->name, mt_store_type_name(mas.store_type),
				request, mt_store_type_name(sc->type),
				sc->request);
		assert_int_equal(mas.store_type, sc->type);
		if (sc->request >= 0)
			assert_int_equal(request, sc->request);
		mas_store_prealloc(&mas, op.entry);
		mtree_unlock(&mt);
		model_store_range(&m, op.first, op.last, op.entry);

		mt_get_stats(&mt, &b);
		assert_int_equal(b.prealloc_calls[sc->type],
				 a.prealloc_calls[sc->type] + 1);
		assert_int_equal(b.prealloc_requested[sc->type],
				 a.prealloc_requested[sc->type] + request);
		assert_int_equal(b.stores[sc->type], a.stores[sc->type] + 1);
		assert_int_equal(total_stores(&b), total_stores(&a) + 1);
		assert_int_equal(b.prealloc_fallbacks, 0);
		check_tree(&mt, &m);
		destroy_both(&mt, &m);
		assert_int_equal(live_now(), base);
	}
}

/* ---- fault injection --------------------------------------------------- */

/*
 * Every node allocation of one write in turn fails.  A write that cannot
 * get its nodes returns -ENOMEM and leaves the tree as it was.  If the
 * library retries a failed GFP_KERNEL allocation (Linux's mas_nomem()
 * does), the single injected failure is absorbed and the write succeeds;
 * the test accepts that, but then the tree must hold the new data.  With
 * every allocation failing (mt_fault_fail_random(p = 1)) -ENOMEM is
 * mandatory.
 */
static void fault_one_store(const struct scenario *sc, unsigned long nth,
			    long base, unsigned long *nomem)
{
	struct maple_tree mt;
	struct model m, after;
	struct op op;
	int ret;

	unsigned long injected;

	scenario_build(sc, &mt, &m, &op);
	model_copy(&after, &m);
	model_store_range(&after, op.first, op.last, op.entry);
	injected = mt_fault_injected();
	if (nth)
		mt_fault_fail_nth(MT_FAULT_ANY, nth);
	else
		mt_fault_fail_random(MT_FAULT_ANY, 1.0, 1);
	ret = mtree_store_range(&mt, op.first, op.last, op.entry, GFP_KERNEL);
	mt_fault_clear();
	/* The injected failure did fire. */
	assert_true(mt_fault_injected() > injected);
	if (ret == -ENOMEM) {
		(*nomem)++;
		check_tree(&mt, &m);
		/* Still usable. */
		assert_int_equal(mtree_store_range(&mt, op.first, op.last,
						   op.entry, GFP_KERNEL), 0);
	} else {
		if (ret != 0 || !nth)
			fprintf(stderr, "fault %s nth %lu: store = %d\n",
				sc->name, nth, ret);
		assert_int_equal(ret, 0);
		assert_true(nth != 0);
	}
	check_tree(&mt, &after);
	mtree_destroy(&mt);
	model_destroy(&m);
	model_destroy(&after);
	assert_int_equal(live_now(), base);
}

static void test_fault_store(void **state)
{
	struct maple_tree mt;
	struct model m;
	struct op op;
	long base = live_now();
	unsigned long before, n, i, nomem;
	size_t k;
	int ret;

	(void)state;
	for (k = 0; k < NR_SCENARIOS; k++) {
		const struct scenario *sc = &scenarios[k];

		/* Count the allocations of the write. */
		scenario_build(sc, &mt, &m, &op);
		before = mt_alloc_attempts();
		ret = mtree_store_range(&mt, op.first, op.last, op.entry,
					GFP_KERNEL);
		n = mt_alloc_attempts() - before;
		assert_int_equal(ret, 0);
		destroy_both(&mt, &m);
		assert_int_equal(live_now(), base);
		if (sc->request >= 0 && n != (unsigned long)sc->request)
			printf("fault: %s allocates %lu nodes, preallocation would request %ld\n",
			       sc->name, n, sc->request);

		nomem = 0;
		for (i = 1; i <= n; i++)
			fault_one_store(sc, i, base, &nomem);
		if (n) {
			fault_one_store(sc, 0, base, &nomem);
		} else {
			/* Needs no node: succeeds even with every alloc failing. */
			scenario_build(sc, &mt, &m, &op);
			mt_fault_fail_random(MT_FAULT_ANY, 1.0, 1);
			ret = mtree_store_range(&mt, op.first, op.last,
						op.entry, GFP_KERNEL);
			mt_fault_clear();
			assert_int_equal(ret, 0);
			model_store_range(&m, op.first, op.last, op.entry);
			check_tree(&mt, &m);
			destroy_both(&mt, &m);
			assert_int_equal(live_now(), base);
		}
		printf("fault: %-32s %lu allocations, %lu of %lu injected failures gave -ENOMEM\n",
		       sc->name, n, nomem, n ? n + 1 : 0);
	}
}

/* mas_preallocate() failing at each of its allocations. */
static void test_fault_prealloc(void **state)
{
	struct maple_tree mt;
	struct model m;
	struct op op;
	long base = live_now();
	unsigned long before, n, i;
	size_t k;

	(void)state;
	for (k = 0; k < NR_SCENARIOS; k++) {
		const struct scenario *sc = &scenarios[k];

		scenario_build(sc, &mt, &m, &op);
		{
			MA_STATE(mas, &mt, op.first, op.last);

			mtree_lock(&mt);
			before = mt_alloc_attempts();
			assert_int_equal(mas_preallocate(&mas, op.entry,
							 GFP_KERNEL), 0);
			n = mt_alloc_attempts() - before;
			mas_destroy(&mas);
			mtree_unlock(&mt);
		}
		check_tree(&mt, &m);
		destroy_both(&mt, &m);

		for (i = 1; i <= n; i++) {
			MA_STATE(mas, &mt, 0, 0);
			int ret;

			scenario_build(sc, &mt, &m, &op);
			mas_set_range(&mas, op.first, op.last);
			mtree_lock(&mt);
			mt_fault_fail_nth(MT_FAULT_ANY, i);
			ret = mas_preallocate(&mas, op.entry, GFP_KERNEL);
			mt_fault_clear();
			if (ret != -ENOMEM)
				fprintf(stderr,
					"fault prealloc %s nth %lu of %lu: %d\n",
					sc->name, i, n, ret);
			assert_int_equal(ret, -ENOMEM);
			mas_destroy(&mas);
			mtree_unlock(&mt);
			check_tree(&mt, &m);

			/* The tree is still fine for a normal store. */
			store_both(&mt, &m, op.first, op.last, op.entry);
			check_tree(&mt, &m);
			destroy_both(&mt, &m);
			assert_int_equal(live_now(), base);
		}
	}
}

/* mtree_dup() failing at each of its allocations. */
static void test_fault_dup(void **state)
{
	static const unsigned int flags[] = {
		0, MT_FLAGS_ALLOC_RANGE | MT_FLAGS_USE_RCU,
	};
	struct maple_tree mt, copy;
	struct model m;
	long base = live_now();
	unsigned long before, n, i;
	size_t f;

	(void)state;
	for (f = 0; f < 2; f++) {
		mt_init_flags(&mt, flags[f]);
		model_init(&m);
		fill_spaced(&mt, &m, 300, 4, 2);

		mt_init_flags(&copy, flags[f]);
		before = mt_alloc_attempts();
		assert_int_equal(mtree_dup(&mt, &copy, GFP_KERNEL), 0);
		n = mt_alloc_attempts() - before;
		assert_int_equal(n, mt_nr_nodes(&mt));
		mtree_destroy(&copy);

		for (i = 1; i <= n; i++) {
			int ret;

			mt_init_flags(&copy, flags[f]);
			mt_fault_fail_nth(MT_FAULT_ANY, i);
			ret = mtree_dup(&mt, &copy, GFP_KERNEL);
			mt_fault_clear();
			assert_int_equal(ret, -ENOMEM);
			assert_true(mtree_empty(&copy));
			mtree_destroy(&copy);
			if (i % 7 == 1)
				check_tree(&mt, &m);
		}
		check_tree(&mt, &m);
		destroy_both(&mt, &m);
		assert_int_equal(live_now(), base);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty_tree),
		cmocka_unit_test(test_index_zero),
		cmocka_unit_test(test_ulong_max),
		cmocka_unit_test(test_full_range),
		cmocka_unit_test(test_node_boundaries),
		cmocka_unit_test(test_invalid_requests),
		cmocka_unit_test(test_zero_and_value_entries),
		cmocka_unit_test(test_insert),
		cmocka_unit_test(test_erase),
		cmocka_unit_test(test_alloc_range),
		cmocka_unit_test(test_find_and_iterate),
		cmocka_unit_test(test_mas_walk_load),
		cmocka_unit_test(test_mas_find_family),
		cmocka_unit_test(test_mas_next_prev),
		cmocka_unit_test(test_mas_for_each),
		cmocka_unit_test(test_mas_pause_store),
		cmocka_unit_test(test_mas_store_erase),
		cmocka_unit_test(test_empty_area),
		cmocka_unit_test(test_rcu_flag),
		cmocka_unit_test(test_destroy),
		cmocka_unit_test(test_dup),
		cmocka_unit_test(test_locking),
		cmocka_unit_test(test_stats_and_debug),
		cmocka_unit_test(test_store_types),
		cmocka_unit_test(test_prealloc_counts),
		cmocka_unit_test(test_fault_store),
		cmocka_unit_test(test_fault_prealloc),
		cmocka_unit_test(test_fault_dup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
