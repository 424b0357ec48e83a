/* SPDX-License-Identifier: MIT */
/*
 * hello_mtree.c - the smallest user of an installed libmtree, built by
 * test_install.sh through pkg-config: store, load, preallocate, iterate.
 */
#include <stdio.h>

#include <mtree/maple_tree.h>
#include <mtree/rcu.h>

int main(void)
{
	struct maple_tree mt;
	unsigned long index = 0, n = 0;
	void *entry;
	MA_STATE(mas, &mt, 0x3000, 0x3fff);

	mt_init_flags(&mt, MT_FLAGS_ALLOC_RANGE | MT_FLAGS_USE_RCU);
	if (mtree_store_range(&mt, 0x1000, 0x1fff, xa_mk_value(1), GFP_KERNEL))
		return 1;
	mtree_lock(&mt);
	if (mas_preallocate(&mas, xa_mk_value(3), GFP_KERNEL))
		return 1;
	mas_store_prealloc(&mas, xa_mk_value(3));
	mtree_unlock(&mt);
	if (mtree_load(&mt, 0x1800) != xa_mk_value(1) || mtree_load(&mt, 0x2000))
		return 1;
	mt_for_each(&mt, entry, index, ULONG_MAX)
		n++;
	mtree_destroy(&mt);
	mt_rcu_barrier();
	printf("hello_mtree: %lu entries\n", n);
	return n == 2 ? 0 : 1;
}
