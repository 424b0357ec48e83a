/* SPDX-License-Identifier: MIT */
/*
 * tree.c - the normal API (mtree_*), tree set-up, locking, RCU mode
 * switches and statistics.
 *
 * Coding conventions in this file:
 *  @mt:    the tree
 *  @index, @last: an inclusive range; @first is a synonym of @index
 *  @entry: a user entry (never a reserved internal entry)
 *  @gfp:   allocation context for the nodes a write needs
 *
 * DOC: Locking
 *
 * A tree is protected either by its internal lock (a mutex; mtree_lock())
 * or, with MT_FLAGS_LOCK_EXTERN, by a lock of the caller's, registered with
 * mt_set_external_lock() so that debug builds can check it.  The mtree_*
 * calls take the internal lock themselves; on an external-lock tree they
 * expect the caller to hold the external lock.  Readers need no lock in
 * RCU mode (they take rcu_read_lock() themselves in the normal API);
 * outside RCU mode they must hold the lock too.
 */
#include <errno.h>
#include <stdio.h>

#include "alloc_internal.h"
#include "internal.h"

static struct mt_stats mt_global_stats;

static unsigned long mt_thread_id(void)
{
	return (unsigned long)pthread_self();
}

/**
 * mt_init_flags - initialise an empty tree.
 * @mt: the tree
 * @flags: MT_FLAGS_ALLOC_RANGE, MT_FLAGS_USE_RCU, MT_FLAGS_LOCK_EXTERN
 *
 * Context: any; the tree must not be in use.
 */
void mt_init_flags(struct maple_tree *mt, unsigned int flags)
{
	pthread_mutex_init(&mt->ma_lock, NULL);
	mt->ma_lock_owner = 0;
	mt->ma_external_lock = NULL;
	mt->ma_external_held = NULL;
	mt->ma_flags = flags & ~MT_FLAGS_HEIGHT_MASK;
	mt->ma_root = NULL;
	memset(&mt->ma_stats, 0, sizeof(mt->ma_stats));
}

/**
 * mt_init - initialise an empty tree with no flags.
 * @mt: the tree
 */
void mt_init(struct maple_tree *mt)
{
	mt_init_flags(mt, 0);
}

/**
 * mt_set_external_lock - tell the tree which lock protects it.
 * @mt: a tree made with MT_FLAGS_LOCK_EXTERN
 * @lock: the caller's lock (only passed back to @held)
 * @held: reports whether the calling thread holds @lock; may be NULL
 *
 * Debug builds assert with @held that writers hold @lock for writing.
 */
void mt_set_external_lock(struct maple_tree *mt, const void *lock,
			  mt_lock_held_fn held)
{
	mt->ma_external_lock = lock;
	mt->ma_external_held = held;
}

/**
 * mtree_lock - take the tree's internal lock.
 * @mt: the tree; for MT_FLAGS_LOCK_EXTERN trees this does nothing
 */
void mtree_lock(struct maple_tree *mt)
{
	if (mt_external_lock(mt))
		return;
	pthread_mutex_lock(&mt->ma_lock);
	mt->ma_lock_owner = mt_thread_id();
}

/**
 * mtree_unlock - release the tree's internal lock.
 * @mt: the tree
 */
void mtree_unlock(struct maple_tree *mt)
{
	if (mt_external_lock(mt))
		return;
	mt->ma_lock_owner = 0;
	pthread_mutex_unlock(&mt->ma_lock);
}

/**
 * mt_write_locked - does the calling thread hold the tree's write lock?
 * @mt: the tree
 *
 * For external locks without a @held callback, assumes yes.
 * Return: true if the caller may write.
 */
bool mt_write_locked(const struct maple_tree *mt)
{
	if (mt_external_lock(mt)) {
		if (!mt->ma_external_held)
			return true;
		return mt->ma_external_held(mt->ma_external_lock, true);
	}
	return mt->ma_lock_owner == mt_thread_id();
}

/**
 * mt_set_in_rcu - switch the tree into RCU mode.
 * @mt: the tree
 *
 * From now on writers never change a node a lock-free reader may be in.
 * Context: takes the internal lock; with an external lock the caller must
 * hold it.
 */
void mt_set_in_rcu(struct maple_tree *mt)
{
	mtree_lock(mt);
	mt_write_once(mt->ma_flags, mt->ma_flags | MT_FLAGS_USE_RCU);
	mtree_unlock(mt);
}

/**
 * mt_clear_in_rcu - switch RCU mode off.
 * @mt: the tree
 *
 * Readers must then hold the lock.  Context: as mt_set_in_rcu().
 */
void mt_clear_in_rcu(struct maple_tree *mt)
{
	mtree_lock(mt);
	mt_write_once(mt->ma_flags, mt->ma_flags & ~MT_FLAGS_USE_RCU);
	mtree_unlock(mt);
}

/* ---- normal API --------------------------------------------------- */

/**
 * mtree_load - the entry at @index.
 * @mt: the tree
 * @index: the index
 *
 * XA_ZERO_ENTRY reads as NULL.  Context: takes the RCU read lock.
 * Return: the entry, or NULL.
 */
void *mtree_load(struct maple_tree *mt, unsigned long index)
{
	void *entry;

	mt_rcu_read_lock();
	entry = mtree_lookup(mt, index);
	mt_rcu_read_unlock();
	return xa_is_zero(entry) ? NULL : entry;
}

/**
 * mtree_store_range - store @entry over [@index, @last].
 * @mt: the tree
 * @index: first index
 * @last: last index (inclusive)
 * @entry: the entry; NULL erases the range
 * @gfp: allocation context
 *
 * Context: takes the internal lock (or expects the external one).
 * Return: 0, -EINVAL for @index > @last or a reserved entry, -ENOMEM.
 */
int mtree_store_range(struct maple_tree *mt, unsigned long index,
		      unsigned long last, void *entry, gfp_t gfp)
{
	MA_STATE(mas, mt, index, last);
	int ret;

	if (index > last || xa_is_advanced(entry))
		return -EINVAL;
	mtree_lock(mt);
	ret = mas_store_gfp(&mas, entry, gfp);
	mtree_unlock(mt);
	return ret;
}

/**
 * mtree_store - store @entry at @index.
 * @mt: the tree
 * @index: the index
 * @entry: the entry
 * @gfp: allocation context
 *
 * Return: as mtree_store_range().
 */
int mtree_store(struct maple_tree *mt, unsigned long index, void *entry,
		gfp_t gfp)
{
	return mtree_store_range(mt, index, index, entry, gfp);
}

/**
 * mtree_insert_range - store @entry over [@first, @last] if all of it is
 * empty.
 * @mt: the tree
 * @first: first index
 * @last: last index
 * @entry: the entry
 * @gfp: allocation context
 *
 * Return: 0, -EEXIST if any index in the range holds an entry, -EINVAL,
 * -ENOMEM.
 */
int mtree_insert_range(struct maple_tree *mt, unsigned long first,
		       unsigned long last, void *entry, gfp_t gfp)
{
	MA_STATE(mas, mt, first, last);
	int ret;

	if (first > last || xa_is_advanced(entry))
		return -EINVAL;
	mtree_lock(mt);
	if (mas_find(&mas, last)) {
		ret = -EEXIST;
	} else {
		mas_set_range(&mas, first, last);
		ret = mas_store_gfp(&mas, entry, gfp);
	}
	mtree_unlock(mt);
	return ret;
}

/**
 * mtree_insert - store @entry at @index if it is empty.
 * @mt: the tree
 * @index: the index
 * @entry: the entry
 * @gfp: allocation context
 *
 * Return: as mtree_insert_range().
 */
int mtree_insert(struct maple_tree *mt, unsigned long index, void *entry,
		 gfp_t gfp)
{
	return mtree_insert_range(mt, index, index, entry, gfp);
}

static int mtree_alloc_dir(struct maple_tree *mt, unsigned long *startp,
			   void *entry, unsigned long size, unsigned long min,
			   unsigned long max, gfp_t gfp, bool rev)
{
	MA_STATE(mas, mt, 0, 0);
	int ret;

	if (!mt_is_alloc(mt) || mt_is_reserved(entry))
		return -EINVAL;
	mtree_lock(mt);
	ret = rev ? mas_empty_area_rev(&mas, min, max, size) :
		    mas_empty_area(&mas, min, max, size);
	if (!ret) {
		ret = mas_store_gfp(&mas, entry, gfp);
		if (!ret)
			*startp = mas.index;
	}
	mtree_unlock(mt);
	return ret;
}

/**
 * mtree_alloc_range - store @entry in the lowest free range of @size
 * indices within [@min, @max].
 * @mt: an allocation-range tree
 * @startp: receives the first index of the range
 * @entry: the entry
 * @size: number of indices
 * @min: lowest possible first index
 * @max: highest possible last index
 * @gfp: allocation context
 *
 * Return: 0, -EBUSY if no gap fits, -EINVAL (not an allocation-range
 * tree, reserved entry, bad window), -ENOMEM.
 */
int mtree_alloc_range(struct maple_tree *mt, unsigned long *startp,
		      void *entry, unsigned long size, unsigned long min,
		      unsigned long max, gfp_t gfp)
{
	return mtree_alloc_dir(mt, startp, entry, size, min, max, gfp, false);
}

/**
 * mtree_alloc_rrange - like mtree_alloc_range(), but the highest range.
 * @mt: an allocation-range tree
 * @startp: receives the first index of the range
 * @entry: the entry
 * @size: number of indices
 * @min: lowest possible first index
 * @max: highest possible last index
 * @gfp: allocation context
 *
 * Return: as mtree_alloc_range().
 */
int mtree_alloc_rrange(struct maple_tree *mt, unsigned long *startp,
		       void *entry, unsigned long size, unsigned long min,
		       unsigned long max, gfp_t gfp)
{
	return mtree_alloc_dir(mt, startp, entry, size, min, max, gfp, true);
}

/**
 * mtree_erase - erase the entry holding @index (its whole range).
 * @mt: the tree
 * @index: an index inside the entry's range
 *
 * Return: the erased entry, or NULL.
 */
void *mtree_erase(struct maple_tree *mt, unsigned long index)
{
	MA_STATE(mas, mt, index, index);
	void *entry;

	mtree_lock(mt);
	entry = mas_erase(&mas);
	mtree_unlock(mt);
	return entry;
}

/* ---- statistics ----------------------------------------------------- */

/**
 * mt_stat_add - add to one counter of a tree and of the global totals.
 * @mt: the tree
 * @field_offset: offsetof(struct mt_stats, field)
 * @n: the amount
 *
 * Context: the tree's write lock (for the tree's counter).
 */
void mt_stat_add(struct maple_tree *mt, size_t field_offset, unsigned long n)
{
	unsigned long *mine = (unsigned long *)((char *)&mt->ma_stats + field_offset);
	unsigned long *all = (unsigned long *)((char *)&mt_global_stats + field_offset);

	__atomic_store_n(mine, __atomic_load_n(mine, __ATOMIC_RELAXED) + n,
			 __ATOMIC_RELAXED);
	__atomic_fetch_add(all, n, __ATOMIC_RELAXED);
}

/**
 * mt_get_stats - copy a tree's counters.
 * @mt: the tree
 * @out: receives the counters
 */
void mt_get_stats(const struct maple_tree *mt, struct mt_stats *out)
{
	const unsigned long *src = (const unsigned long *)&mt->ma_stats;
	unsigned long *dst = (unsigned long *)out;
	size_t i;

	for (i = 0; i < sizeof(*out) / sizeof(unsigned long); i++)
		dst[i] = __atomic_load_n(&src[i], __ATOMIC_RELAXED);
}

/**
 * mt_get_global_stats - the counters summed over every tree.
 * @out: receives the counters; nodes_allocated/nodes_freed come from the
 *	node cache and so include nodes freed after a grace period
 */
void mt_get_global_stats(struct mt_stats *out)
{
	const unsigned long *src = (const unsigned long *)&mt_global_stats;
	unsigned long *dst = (unsigned long *)out;
	size_t i;

	for (i = 0; i < sizeof(*out) / sizeof(unsigned long); i++)
		dst[i] = __atomic_load_n(&src[i], __ATOMIC_RELAXED);
	out->nodes_allocated = mt_alloc_global_allocated();
	out->nodes_freed = mt_alloc_global_freed();
}

/**
 * mt_reset_stats - zero a tree's counters.
 * @mt: the tree
 */
void mt_reset_stats(struct maple_tree *mt)
{
	memset(&mt->ma_stats, 0, sizeof(mt->ma_stats));
}

/**
 * mt_store_type_name - the name of a store type, as Linux spells it.
 * @type: the store type
 * Return: a static string such as "wr_split_store".
 */
const char *mt_store_type_name(enum store_type type)
{
	static const char *const names[MT_STORE_TYPES] = {
		[wr_invalid] = "wr_invalid",
		[wr_new_root] = "wr_new_root",
		[wr_store_root] = "wr_store_root",
		[wr_exact_fit] = "wr_exact_fit",
		[wr_spanning_store] = "wr_spanning_store",
		[wr_split_store] = "wr_split_store",
		[wr_rebalance] = "wr_rebalance",
		[wr_append] = "wr_append",
		[wr_node_store] = "wr_node_store",
		[wr_slot_store] = "wr_slot_store",
	};

	if ((unsigned int)type >= MT_STORE_TYPES)
		return "wr_unknown";
	return names[type];
}
