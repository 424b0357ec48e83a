/* SPDX-License-Identifier: MIT */
/*
 * test_prealloc.c - preallocation is exact and never above Linux 6.18.
 *
 * For every mas_preallocate() + mas_store_prealloc() pair of a seeded
 * random workload (four tree flavours, two workload shapes) it checks:
 *  - the store used every reserved node and needed no fallback (exact);
 *  - the request was not larger than what Linux 6.18's rule asks for the
 *    same write (mt_stats.prealloc_linux);
 * and, separately, what happens when the preallocation contract is broken
 * and that a preallocated store does not walk the tree again.
 *
 * Environment: VMASIM_SEED (seed), VMASIM_PREALLOC_OPS (writes per run).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>

#include <cmocka.h>

#include <mtree/alloc.h>
#include <mtree/maple_tree.h>
#include <mtree/rcu.h>

static unsigned long seed = 20261121;

static unsigned long rnd_next(unsigned long *s)
{
	unsigned long z = (*s += 0x9e3779b97f4a7c15UL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9UL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebUL;
	return z ^ (z >> 31);
}

static unsigned long env_ulong(const char *name, unsigned long def)
{
	const char *v = getenv(name);

	return v && *v ? strtoul(v, NULL, 0) : def;
}

struct shape {
	const char *name;
	unsigned long space;	/* indices used: [0, space) */
	unsigned int small_pct;	/* share of 0..7-index stores */
	unsigned int mid_pct;	/* share of 0..199-index stores */
	unsigned int null_pct;	/* share of NULL stores */
};

static const struct shape shapes[] = {
	/* Churn with wide stores: spanning stores and rebalances. */
	{ "wide", 300000, 70, 25, 25 },
	/* A big, tall tree of small ranges: splits up to height 5-6. */
	{ "tall", 3000000, 90, 9, 10 },
};

static void run_shape(unsigned int flags, const struct shape *sh, unsigned long ops)
{
	struct maple_tree mt;
	unsigned long s = seed ^ flags ^ sh->space, i;
	unsigned long calls = 0, over = 0;
	long base = mt_nodes_live();

	mt_init_flags(&mt, flags);
	for (i = 0; i < ops; i++) {
		unsigned long a = rnd_next(&s) % sh->space, len;
		unsigned int k = rnd_next(&s) % 100;
		void *entry;
		struct mt_stats b, c;
		enum store_type t;
		MA_STATE(mas, &mt, 0, 0);

		if (k < sh->small_pct)
			len = rnd_next(&s) % 8;
		else if (k < sh->small_pct + sh->mid_pct)
			len = rnd_next(&s) % 200;
		else
			len = rnd_next(&s) % 20000;
		entry = rnd_next(&s) % 100 < sh->null_pct ? NULL :
			xa_mk_value(rnd_next(&s) % 1000);
		mas_set_range(&mas, a, a + len);

		mtree_lock(&mt);
		mt_get_stats(&mt, &b);
		assert_int_equal(mas_preallocate(&mas, entry, GFP_KERNEL), 0);
		mt_get_stats(&mt, &c);
		t = mas.store_type;
		if (c.prealloc_requested[t] - b.prealloc_requested[t] >
		    c.prealloc_linux[t] - b.prealloc_linux[t]) {
			fprintf(stderr, "seed %lu op %lu: %s [%lu, %lu] requested %lu > Linux %lu\n",
				seed, i, mt_store_type_name(t), a, a + len,
				c.prealloc_requested[t] - b.prealloc_requested[t],
				c.prealloc_linux[t] - b.prealloc_linux[t]);
			over++;
		}
		mas_store_prealloc(&mas, entry);
		mt_get_stats(&mt, &c);
		if (c.prealloc_unused != b.prealloc_unused ||
		    c.prealloc_fallbacks != b.prealloc_fallbacks) {
			fprintf(stderr, "seed %lu op %lu: %s [%lu, %lu] not exact: unused %lu fallbacks %lu\n",
				seed, i, mt_store_type_name(t), a, a + len,
				c.prealloc_unused - b.prealloc_unused,
				c.prealloc_fallbacks - b.prealloc_fallbacks);
			fail();
		}
		mtree_unlock(&mt);
		calls++;
		if (i % 20000 == 0) {
			mtree_lock(&mt);
			assert_int_equal(mt_validate(&mt), 0);
			mtree_unlock(&mt);
		}
	}
	{
		struct mt_stats st;
		unsigned int t2;

		mt_get_stats(&mt, &st);
		printf("prealloc: flags %#x shape %-4s %lu writes, height %u\n", flags,
		       sh->name, calls, mt_height(&mt));
		for (t2 = 0; t2 < MT_STORE_TYPES; t2++) {
			if (!st.prealloc_calls[t2])
				continue;
			printf("prealloc:   %-18s calls %8lu requested %8lu used %8lu linux-6.18 %8lu 2023-worst %9lu\n",
			       mt_store_type_name(t2), st.prealloc_calls[t2],
			       st.prealloc_requested[t2], st.prealloc_used[t2],
			       st.prealloc_linux[t2], st.prealloc_worst[t2]);
			assert_int_equal(st.prealloc_requested[t2], st.prealloc_used[t2]);
		}
	}
	assert_int_equal(over, 0);
	mtree_lock(&mt);
	assert_int_equal(mt_validate(&mt), 0);
	mtree_unlock(&mt);
	mtree_destroy(&mt);
	mt_rcu_barrier();
	assert_int_equal(mt_nodes_live(), base);
}

static void test_exact_and_within_linux(void **state)
{
	static const unsigned int flavours[] = {
		0, MT_FLAGS_ALLOC_RANGE, MT_FLAGS_USE_RCU,
		MT_FLAGS_ALLOC_RANGE | MT_FLAGS_USE_RCU,
	};
	unsigned long ops = env_ulong("VMASIM_PREALLOC_OPS", 60000);
	unsigned int f, sh;

	(void)state;
	for (f = 0; f < sizeof(flavours) / sizeof(flavours[0]); f++)
		for (sh = 0; sh < sizeof(shapes) / sizeof(shapes[0]); sh++)
			run_shape(flavours[f], &shapes[sh], ops);
}

/* Fill [0, n * 10) with ranges [10i, 10i + 4]. */
static void fill(struct maple_tree *mt, unsigned long n)
{
	unsigned long i;

	for (i = 0; i < n; i++)
		assert_int_equal(mtree_store_range(mt, i * 10, i * 10 + 4,
						   xa_mk_value(i), GFP_KERNEL), 0);
}

/*
 * Breaking the contract: the tree changes between mas_preallocate() and
 * mas_store_prealloc().  The store must still complete, count the nodes
 * it had to find itself, and leave a valid tree.
 */
static void test_broken_contract_falls_back(void **state)
{
	struct maple_tree mt;
	struct mt_stats b, c;
	long base = mt_nodes_live();
	MA_STATE(mas, &mt, 1000, 1000);

	(void)state;
	mt_init_flags(&mt, MT_FLAGS_ALLOC_RANGE | MT_FLAGS_USE_RCU);
	fill(&mt, 2000);
	mtree_lock(&mt);
	/* An exact fit needs nothing... */
	mas_set_range(&mas, 1000, 1004);
	assert_int_equal(mas_preallocate(&mas, xa_mk_value(7), GFP_KERNEL), 0);
	assert_int_equal(mas.node_request, 0);
	mt_get_stats(&mt, &b);
	mtree_unlock(&mt);
	/* ...but meanwhile the leaf is filled to the brim by someone else. */
	{
		unsigned long i;

		for (i = 1005; i < 1010; i++)
			assert_int_equal(mtree_store(&mt, i, xa_mk_value(i), GFP_KERNEL), 0);
	}
	mtree_lock(&mt);
	mas_set_range(&mas, 1000, 1002);	/* and the range changed too */
	mas_store_prealloc(&mas, xa_mk_value(7));
	mt_get_stats(&mt, &c);
	assert_true(c.prealloc_fallbacks > b.prealloc_fallbacks);
	assert_int_equal(mt_validate(&mt), 0);
	mtree_unlock(&mt);
	assert_ptr_equal(mtree_load(&mt, 1001), xa_mk_value(7));
	assert_ptr_equal(mtree_load(&mt, 1003), xa_mk_value(100));
	assert_ptr_equal(mtree_load(&mt, 1007), xa_mk_value(1007));
	mtree_destroy(&mt);
	mt_rcu_barrier();
	assert_int_equal(mt_nodes_live(), base);
}

/* A store that follows a walk or a preallocation does not walk again. */
static void test_no_rewalk(void **state)
{
	struct maple_tree mt;
	struct mt_stats b, c;
	MA_STATE(mas, &mt, 0, 0);

	(void)state;
	mt_init_flags(&mt, MT_FLAGS_ALLOC_RANGE);
	fill(&mt, 3000);
	assert_true(mt_height(&mt) >= 3);
	mtree_lock(&mt);

	/* mas_preallocate walks once; mas_store_prealloc climbs instead. */
	mt_get_stats(&mt, &b);
	mas_set_range(&mas, 15005, 15009);
	assert_int_equal(mas_preallocate(&mas, xa_mk_value(1), GFP_KERNEL), 0);
	__mas_set_range(&mas, 15005, 15009);
	mas_store_prealloc(&mas, xa_mk_value(1));
	mt_get_stats(&mt, &c);
	assert_int_equal(c.write_walks - b.write_walks, 1);

	/* A split: still one walk. */
	mt_get_stats(&mt, &b);
	mas_set_range(&mas, 15006, 15006);
	assert_int_equal(mas_preallocate(&mas, xa_mk_value(2), GFP_KERNEL), 0);
	mas_store_prealloc(&mas, xa_mk_value(2));
	mt_get_stats(&mt, &c);
	assert_int_equal(c.write_walks - b.write_walks, 1);

	/* mas_walk then mas_store: the store reuses the walk. */
	mt_get_stats(&mt, &b);
	mas_set(&mas, 20000);
	assert_ptr_equal(mas_walk(&mas), xa_mk_value(2000));
	mas_store_gfp(&mas, xa_mk_value(3), GFP_KERNEL);
	mt_get_stats(&mt, &c);
	assert_int_equal(c.write_walks - b.write_walks, 0);

	/* mas_set_range() resets the position: that store must walk. */
	mt_get_stats(&mt, &b);
	mas_set_range(&mas, 20000, 20004);
	mas_store_gfp(&mas, xa_mk_value(4), GFP_KERNEL);
	mt_get_stats(&mt, &c);
	assert_int_equal(c.write_walks - b.write_walks, 1);

	assert_int_equal(mt_validate(&mt), 0);
	mtree_unlock(&mt);
	assert_ptr_equal(mtree_load(&mt, 15006), xa_mk_value(2));
	assert_ptr_equal(mtree_load(&mt, 20002), xa_mk_value(4));
	mtree_destroy(&mt);
}

/*
 * A state positioned on a leaf that a write through another state then
 * replaces must not be trusted: outside RCU mode the leaf is freed at once
 * (ASan would catch any touch), so the next store or step must walk again.
 */
static void test_stale_state_walks_again(void **state)
{
	struct maple_tree mt;
	MA_STATE(a, &mt, 0, 0);
	struct mt_stats b, c;
	unsigned long i;

	(void)state;
	mt_init_flags(&mt, MT_FLAGS_ALLOC_RANGE);
	fill(&mt, 300);
	mtree_lock(&mt);
	mas_set(&a, 1500);
	assert_ptr_equal(mas_walk(&a), xa_mk_value(150));
	mtree_unlock(&mt);

	/* Split a's leaf through other states (each a structural write). */
	for (i = 0; i < 5; i++)
		assert_int_equal(mtree_store(&mt, 1505 + i, xa_mk_value(9000 + i),
					     GFP_KERNEL), 0);

	mtree_lock(&mt);
	/* Stepping from the stale position re-walks: the next entry is right. */
	assert_ptr_equal(mas_find(&a, ULONG_MAX), xa_mk_value(9000));
	assert_int_equal(a.index, 1505);
	/* Storing through a stale position walks instead of trusting it. */
	mas_set(&a, 1500);
	assert_ptr_equal(mas_walk(&a), xa_mk_value(150));
	mtree_unlock(&mt);
	assert_int_equal(mtree_store_range(&mt, 1400, 1404, NULL, GFP_KERNEL), 0);
	mtree_lock(&mt);
	mt_get_stats(&mt, &b);
	__mas_set_range(&a, 1500, 1502);
	assert_int_equal(mas_store_gfp(&a, xa_mk_value(7), GFP_KERNEL), 0);
	mt_get_stats(&mt, &c);
	assert_int_equal(c.write_walks - b.write_walks, 1);
	assert_int_equal(mt_validate(&mt), 0);
	mtree_unlock(&mt);
	assert_ptr_equal(mtree_load(&mt, 1501), xa_mk_value(7));
	assert_ptr_equal(mtree_load(&mt, 1503), xa_mk_value(150));
	mtree_destroy(&mt);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_exact_and_within_linux),
		cmocka_unit_test(test_broken_contract_falls_back),
		cmocka_unit_test(test_no_rewalk),
		cmocka_unit_test(test_stale_state_walks_again),
	};

	seed = env_ulong("VMASIM_SEED", seed);
	printf("random seed %lu\n", seed);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
