/* SPDX-License-Identifier: MIT */
/*
 * maple_tree.h - public API of libmtree, a userspace maple tree.
 *
 * A maple tree maps non-overlapping inclusive ranges [index, last] of the
 * unsigned long space to pointers.  Names and semantics follow the Linux
 * maple tree (include/linux/maple_tree.h) so that kernel developers can use
 * it without a manual.  Ranges are inclusive: @index and @last both belong
 * to the range.  Everywhere in this library "last" is inclusive and "end"
 * is exclusive.
 *
 * Two interfaces:
 *  - the normal API (mtree_*, mt_*): takes the tree's internal lock (or, for
 *    trees made with MT_FLAGS_LOCK_EXTERN, expects the caller to hold the
 *    external lock) and the RCU read lock itself;
 *  - the advanced API (mas_*): a struct ma_state carries a position in the
 *    tree between calls.  The caller holds the write lock for writes and
 *    either the write lock or rcu_read_lock() (see <mtree/rcu.h>) for reads.
 *
 * Node layout and internals are private (src/mtree/node.h).
 */
#ifndef MTREE_MAPLE_TREE_H
#define MTREE_MAPLE_TREE_H

#include <limits.h>
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

#include <mtree/entry.h>
#include <mtree/gfp.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Tree flags (struct maple_tree.ma_flags). */
#define MT_FLAGS_ALLOC_RANGE	0x01	/* track gaps: allocation-range tree */
#define MT_FLAGS_USE_RCU	0x02	/* readers may walk without the lock */
#define MT_FLAGS_HEIGHT_OFFSET	0x02
#define MT_FLAGS_HEIGHT_MASK	0x7C	/* height lives in bits 2..6 */
#define MT_FLAGS_LOCK_MASK	0x300
#define MT_FLAGS_LOCK_IRQ	0x100	/* accepted for compatibility */
#define MT_FLAGS_LOCK_BH	0x200	/* accepted for compatibility */
#define MT_FLAGS_LOCK_EXTERN	0x300	/* the caller's lock protects the tree */

#define MAPLE_HEIGHT_MAX	31

/* Attribute flags that must match between source and target of a dup. */
#define MT_FLAGS_ATTR_MASK	(MT_FLAGS_ALLOC_RANGE | MT_FLAGS_USE_RCU | \
				 MT_FLAGS_LOCK_MASK)

struct maple_enode;	/* an encoded node pointer: opaque outside src/mtree */
struct maple_node;

/**
 * typedef mt_lock_held_fn - tells whether an external lock is held.
 * @lock: the lock registered with mt_set_external_lock().
 * @for_write: true to ask whether it is held for writing.
 *
 * Return: true if the calling thread holds @lock (for writing when
 * @for_write).  Used only by debug assertions.
 */
typedef bool (*mt_lock_held_fn)(const void *lock, bool for_write);

/* Store types, in the order Linux 6.18 decides between them. */
enum store_type {
	wr_invalid,
	wr_new_root,
	wr_store_root,
	wr_exact_fit,
	wr_spanning_store,
	wr_split_store,
	wr_rebalance,
	wr_append,
	wr_node_store,
	wr_slot_store,
	MT_STORE_TYPES,
};

/**
 * struct mt_stats - node and preallocation counters, per tree and global.
 * @nodes_allocated: nodes taken from the node cache.
 * @nodes_freed: nodes given back (directly or after an RCU grace period).
 * @prealloc_calls: mas_preallocate() calls, by store type.
 * @prealloc_requested: nodes mas_preallocate() reserved, by store type.
 * @prealloc_worst: the 2023 worst case 1 + 3 * height beside each request.
 * @prealloc_linux: what Linux 6.18's mas_prealloc_calc() would reserve for
 *	the same write (vacant/sufficient-height rules), beside each request.
 * @prealloc_used: reserved nodes the following store consumed, by type.
 * @prealloc_unused: reserved nodes returned unused by mas_destroy().
 * @prealloc_fallbacks: nodes a preallocated store had to allocate itself
 *	(GFP_NOWAIT) because the reservation ran short; should stay 0.
 * @stores: completed writes by store type.
 * @rebalance_pushes: splits avoided by pushing entries into a sibling.
 * @write_walks: root-to-leaf walks done by writes; a store that follows a
 *	mas_preallocate() (or a walk) on the same range does not add one.
 */
struct mt_stats {
	unsigned long nodes_allocated;
	unsigned long nodes_freed;
	unsigned long prealloc_calls[MT_STORE_TYPES];
	unsigned long prealloc_requested[MT_STORE_TYPES];
	unsigned long prealloc_worst[MT_STORE_TYPES];
	unsigned long prealloc_linux[MT_STORE_TYPES];
	unsigned long prealloc_used[MT_STORE_TYPES];
	unsigned long prealloc_unused;
	unsigned long prealloc_fallbacks;
	unsigned long stores[MT_STORE_TYPES];
	unsigned long rebalance_pushes;
	unsigned long write_walks;
};

struct maple_tree {
	pthread_mutex_t ma_lock;	/* internal lock; unused with LOCK_EXTERN */
	unsigned long ma_lock_owner;	/* holder of ma_lock (debug checks) */
	const void *ma_external_lock;
	mt_lock_held_fn ma_external_held;
	unsigned int ma_flags;
	void *ma_root;			/* RCU-protected: entry or encoded node */
	unsigned long ma_gen;		/* bumped by every write but an exact fit */
	struct mt_stats ma_stats;
};

#define MTREE_INIT(name, __flags) {					\
	.ma_lock = PTHREAD_MUTEX_INITIALIZER,				\
	.ma_flags = (__flags),						\
	.ma_root = NULL,						\
}

#define DEFINE_MTREE(name) struct maple_tree name = MTREE_INIT(name, 0)


/* What a struct ma_state currently describes (Linux 6.8+ status field). */
enum maple_status {
	ma_active,	/* node/offset valid */
	ma_start,	/* must walk from the root */
	ma_root,	/* the tree is a single entry at index 0 */
	ma_none,	/* nothing at the position; index/last give the range */
	ma_pause,	/* paused: next call re-walks from index */
	ma_overflow,	/* walked past the upper limit */
	ma_underflow,	/* walked past the lower limit */
	ma_error,	/* node holds a -errno (see mas_is_err) */
};

/**
 * struct ma_state - a position in a maple tree for the advanced API.
 *
 * @tree: the tree.
 * @index, @last: the range of the current or pending operation (inclusive).
 * @node: the current node (ma_active) or the error (ma_error).
 * @min, @max: the range covered by @node.
 * @alloc: stack of preallocated nodes (linked through the nodes themselves).
 * @alloc_count: number of nodes on @alloc.
 * @node_request: nodes the pending write needs (set by mas_preallocate()).
 * @status: see enum maple_status.
 * @depth: depth of @node (root = 1) during writes.
 * @offset: slot offset of the current entry in @node.
 * @mas_flags: MA_STATE_* flags.
 * @end: last used slot offset of @node.
 * @store_type: write type decided by the last mas_preallocate()/store walk.
 * @error: the -errno of ma_error.
 * @gen: the tree's ma_gen when @node was reached: a position is trusted
 *	(no re-walk) only while no write has changed a node since (every
 *	write but an exact fit bumps it), so a state left stale by writes
 *	through another state never uses freed nodes or outdated slots.
 */
struct ma_state {
	struct maple_tree *tree;
	unsigned long index;
	unsigned long last;
	struct maple_enode *node;
	unsigned long min;
	unsigned long max;
	struct maple_node *alloc;
	unsigned long alloc_count;
	unsigned long node_request;
	enum maple_status status;
	unsigned char depth;
	unsigned char offset;
	unsigned char mas_flags;
	unsigned char end;
	enum store_type store_type;
	int error;
	unsigned long gen;
};

#define MA_STATE_PREALLOC	0x01	/* nodes were reserved by mas_preallocate */

/* The initializer of a ma_state, for embedding one in another struct. */
#define MA_STATE_INIT(mt, first, end_)					\
	{								\
		.tree = (mt),						\
		.index = (first),					\
		.last = (end_),						\
		.node = NULL,						\
		.min = 0,						\
		.max = ULONG_MAX,					\
		.alloc = NULL,						\
		.alloc_count = 0,					\
		.node_request = 0,					\
		.status = ma_start,					\
		.depth = 0,						\
		.offset = 0,						\
		.mas_flags = 0,						\
		.end = 0,						\
		.store_type = wr_invalid,				\
		.error = 0,						\
		.gen = 0,						\
	}

#define MA_STATE(name, mt, first, end_)					\
	struct ma_state name = MA_STATE_INIT(mt, first, end_)

/* ---- tree set-up, flags, locking ---------------------------------- */

void mt_init_flags(struct maple_tree *mt, unsigned int flags);
void mt_init(struct maple_tree *mt);
void mt_set_external_lock(struct maple_tree *mt, const void *lock,
			  mt_lock_held_fn held);
void mtree_lock(struct maple_tree *mt);
void mtree_unlock(struct maple_tree *mt);
bool mt_write_locked(const struct maple_tree *mt);

/* The flags word also holds the height, which writers change while
 * lock-free readers (and mtree_lock()) read the other bits: relaxed atomic. */
static inline unsigned int mt_flags(const struct maple_tree *mt)
{
	return __atomic_load_n(&mt->ma_flags, __ATOMIC_RELAXED);
}

static inline bool mt_in_rcu(const struct maple_tree *mt)
{
	return mt_flags(mt) & MT_FLAGS_USE_RCU;
}

static inline bool mt_external_lock(const struct maple_tree *mt)
{
	return (mt_flags(mt) & MT_FLAGS_LOCK_MASK) == MT_FLAGS_LOCK_EXTERN;
}

static inline unsigned int mt_height(const struct maple_tree *mt)
{
	return (mt_flags(mt) & MT_FLAGS_HEIGHT_MASK) >> MT_FLAGS_HEIGHT_OFFSET;
}

static inline unsigned int mt_attr(const struct maple_tree *mt)
{
	return mt_flags(mt) & MT_FLAGS_ATTR_MASK;
}

void mt_set_in_rcu(struct maple_tree *mt);
void mt_clear_in_rcu(struct maple_tree *mt);

/* ---- normal API --------------------------------------------------- */

void *mtree_load(struct maple_tree *mt, unsigned long index);
int mtree_store_range(struct maple_tree *mt, unsigned long index,
		      unsigned long last, void *entry, gfp_t gfp);
int mtree_store(struct maple_tree *mt, unsigned long index, void *entry,
		gfp_t gfp);
int mtree_insert_range(struct maple_tree *mt, unsigned long first,
		       unsigned long last, void *entry, gfp_t gfp);
int mtree_insert(struct maple_tree *mt, unsigned long index, void *entry,
		 gfp_t gfp);
int mtree_alloc_range(struct maple_tree *mt, unsigned long *startp,
		      void *entry, unsigned long size, unsigned long min,
		      unsigned long max, gfp_t gfp);
int mtree_alloc_rrange(struct maple_tree *mt, unsigned long *startp,
		       void *entry, unsigned long size, unsigned long min,
		       unsigned long max, gfp_t gfp);
void *mtree_erase(struct maple_tree *mt, unsigned long index);
void mtree_destroy(struct maple_tree *mt);
void __mt_destroy(struct maple_tree *mt);
int mtree_dup(struct maple_tree *mt, struct maple_tree *new, gfp_t gfp);
int __mt_dup(struct maple_tree *mt, struct maple_tree *new, gfp_t gfp);

static inline bool mtree_empty(const struct maple_tree *mt)
{
	return __atomic_load_n(&mt->ma_root, __ATOMIC_RELAXED) == NULL;
}

void *mt_find(struct maple_tree *mt, unsigned long *index, unsigned long max);
void *mt_find_after(struct maple_tree *mt, unsigned long *index,
		    unsigned long max);
void *mt_next(struct maple_tree *mt, unsigned long index, unsigned long max);
void *mt_prev(struct maple_tree *mt, unsigned long index, unsigned long min);

/**
 * mt_for_each - iterate over each entry starting at index until max.
 * @__tree: the tree
 * @__entry: the current entry
 * @__index: the index to start from; updated to the entry's start
 * @__max: the maximum index to look at
 *
 * Takes the RCU read lock around each step; the tree may change between
 * steps.
 */
#define mt_for_each(__tree, __entry, __index, __max)			\
	for (__entry = mt_find(__tree, &(__index), __max);		\
	     __entry; __entry = mt_find_after(__tree, &(__index), __max))

/* ---- advanced API ------------------------------------------------- */

static inline void mas_reset(struct ma_state *mas)
{
	mas->status = ma_start;
	mas->node = NULL;
}

static inline void __mas_set_range(struct ma_state *mas, unsigned long start,
				   unsigned long last)
{
	/* Keeps the walk position: the caller knows it is still right. */
	mas->index = start;
	mas->last = last;
}

static inline void mas_set_range(struct ma_state *mas, unsigned long start,
				 unsigned long last)
{
	__mas_set_range(mas, start, last);
	mas_reset(mas);
}

static inline void mas_set(struct ma_state *mas, unsigned long index)
{
	mas_set_range(mas, index, index);
}

static inline bool mas_is_err(const struct ma_state *mas)
{
	return mas->status == ma_error;
}

void mas_pause(struct ma_state *mas);
void *mas_walk(struct ma_state *mas);
void *mas_load(struct ma_state *mas);
void *mas_find(struct ma_state *mas, unsigned long max);
void *mas_find_range(struct ma_state *mas, unsigned long max);
void *mas_find_rev(struct ma_state *mas, unsigned long min);
void *mas_find_range_rev(struct ma_state *mas, unsigned long min);
void *mas_next(struct ma_state *mas, unsigned long max);
void *mas_next_range(struct ma_state *mas, unsigned long max);
void *mas_prev(struct ma_state *mas, unsigned long min);
void *mas_prev_range(struct ma_state *mas, unsigned long min);

/**
 * mas_for_each - iterate entries from mas->index up to max.
 * @__mas: the maple state
 * @__entry: the current entry
 * @__max: the highest index to look at
 *
 * Context: caller holds rcu_read_lock() or the write lock.
 */
#define mas_for_each(__mas, __entry, __max)				\
	while (((__entry) = mas_find((__mas), (__max))) != NULL)

#define mas_for_each_rev(__mas, __entry, __min)				\
	while (((__entry) = mas_find_rev((__mas), (__min))) != NULL)

void *mas_store(struct ma_state *mas, void *entry);
int mas_store_gfp(struct ma_state *mas, void *entry, gfp_t gfp);
void mas_store_prealloc(struct ma_state *mas, void *entry);
void *mas_erase(struct ma_state *mas);
int mas_preallocate(struct ma_state *mas, void *entry, gfp_t gfp);
void mas_destroy(struct ma_state *mas);
int mas_empty_area(struct ma_state *mas, unsigned long min,
		   unsigned long max, unsigned long size);
int mas_empty_area_rev(struct ma_state *mas, unsigned long min,
		       unsigned long max, unsigned long size);

/* ---- statistics ---------------------------------------------------- */

void mt_get_stats(const struct maple_tree *mt, struct mt_stats *out);
void mt_get_global_stats(struct mt_stats *out);
void mt_reset_stats(struct maple_tree *mt);
const char *mt_store_type_name(enum store_type type);

/* ---- debug -------------------------------------------------------- */

enum mt_dump_format { mt_dump_dec, mt_dump_hex };

int mt_validate(struct maple_tree *mt);
void mt_dump(const struct maple_tree *mt, enum mt_dump_format format);
int mt_dump_file(const struct maple_tree *mt, enum mt_dump_format format,
		 void *stream);
int mt_dump_dot(const struct maple_tree *mt, void *stream);
unsigned long mt_nr_nodes(const struct maple_tree *mt);

#ifdef __cplusplus
}
#endif

#endif /* MTREE_MAPLE_TREE_H */
