/* SPDX-License-Identifier: MIT */
/*
 * node.h - maple node layout, pointer encodings and node accessors.
 *
 * Internal to libmtree.  Every other file of src/mtree includes this one;
 * nothing outside src/mtree may.
 *
 * DOC: Node layout
 *
 * A node is 256 bytes, 256-byte aligned, so the low 8 bits of its address
 * are free for tags.  Three layouts share the first word (the parent):
 *
 *   leaf_64 / range_64 (16 slots, 15 pivots)          arange_64 (10 slots)
 *   +--------+------------------+------------------+   +--------+---------+
 *   | parent | pivot[0..14]     | slot[0..15]      |   | parent | pivot[9]|
 *   |  8 B   | 120 B            | 128 B            |   +--------+---------+
 *   +--------+------------------+------------------+   | slot[10]| gap[10]|
 *                         metadata overlays slot[15] ->|  meta (end, gap)  |
 *
 * Slot i covers the inclusive range (pivot[i-1], pivot[i]]: slot 0 starts at
 * the node's minimum, and the last used slot ends at the node's maximum,
 * both inherited from the parent (0 and ULONG_MAX at the root).  Invariants
 * kept by every write (and checked by mt_validate()):
 *
 *  - pivots strictly ascend over the used slots;
 *  - if the last used slot ("end") is not the last slot of the node, then
 *    pivot[end] == node max and every pivot after it is 0;
 *  - a leaf never holds two adjacent NULL slots (NULL stores absorb their
 *    NULL neighbours), so a NULL slot is a maximal gap within the node;
 *  - every non-root node is sufficient: its end offset is at least
 *    mt_min_slots[type] (6 for leaf/range, 4 for arange), i.e. it holds at
 *    least 7 (leaf/range) or 5 (arange) slots; an internal root has at
 *    least two children (a root with one child is collapsed);
 *  - in an arange_64 node, gap[i] is the largest run of NULL indices in the
 *    subtree under slot i, and meta.gap is the offset of the largest gap[].
 *
 * Metadata.  arange_64 has a dedicated field.  leaf_64/range_64 keep it in
 * the storage of slot[15], valid only while slot 15 is unused: a node whose
 * pivot[14] is non-zero and differs from the node max uses all 16 slots
 * (end = 15); otherwise meta.end is valid.  See ma_data_end().
 *
 * DOC: Pointer encodings
 *
 * encoded node ("enode"):  address | type << 3 | 0x4
 * tree root (ma_root):     an entry, or enode | 0x2 (looks like an internal
 *                          entry above MAPLE_RESERVED_RANGE: xa_is_node())
 * parent word of the root: tree address | 0x1 (MA_ROOT_PARENT)
 * parent word otherwise:   parent address | slot << 3 | 0x6
 * dead node:               parent word == the node's own address
 *
 * A dead node has been replaced in the tree; an RCU reader that finds one
 * (it checks after reading a node) restarts its walk from the root.  Dead
 * nodes are freed only after a grace period, so readers never touch freed
 * memory.
 */
#ifndef MTREE_NODE_H
#define MTREE_NODE_H

#include <assert.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <mtree/maple_tree.h>

#define MAPLE_NODE_SIZE		256
#define MAPLE_NODE_MASK		255UL
#define MAPLE_NODE_SLOTS	31
#define MAPLE_RANGE64_SLOTS	16
#define MAPLE_ARANGE64_SLOTS	10
#define MAPLE_RANGE64_PIVOTS	(MAPLE_RANGE64_SLOTS - 1)
#define MAPLE_ARANGE64_PIVOTS	(MAPLE_ARANGE64_SLOTS - 1)
#define MAPLE_ALLOC_SLOTS	(MAPLE_NODE_SLOTS - 1)

#define MAPLE_NODE_TYPE_SHIFT	3
#define MAPLE_NODE_TYPE_MASK	0x0F
#define MAPLE_ENODE_NULL	0x04
#define MAPLE_ROOT_NODE		0x02
#define MA_ROOT_PARENT		0x01
#define MAPLE_PARENT_SLOT_SHIFT	3
#define MAPLE_PARENT_SLOT_MASK	0xF8
#define MAPLE_PARENT_RANGE64	0x06

enum maple_type {
	maple_dense,
	maple_leaf_64,
	maple_range_64,
	maple_arange_64,
};

struct maple_metadata {
	unsigned char end;	/* offset of the last used slot */
	unsigned char gap;	/* arange: offset of the largest gap[] */
};

struct maple_pnode;	/* a parent word: see DOC above */

struct maple_range_64 {
	struct maple_pnode *parent;
	unsigned long pivot[MAPLE_RANGE64_PIVOTS];
	union {
		void *slot[MAPLE_RANGE64_SLOTS];
		struct {
			void *pad[MAPLE_RANGE64_SLOTS - 1];
			struct maple_metadata meta;
		};
	};
};

struct maple_arange_64 {
	struct maple_pnode *parent;
	unsigned long pivot[MAPLE_ARANGE64_PIVOTS];
	void *slot[MAPLE_ARANGE64_SLOTS];
	unsigned long gap[MAPLE_ARANGE64_SLOTS];
	struct maple_metadata meta;
};

/*
 * struct maple_node - the 256-byte unit of allocation.
 *
 * @free_next links nodes held by a ma_state (preallocated, not in any tree)
 * and overlays the first pivot; @rcu_storage holds liburcu's rcu_head once
 * the node is dead and queued for freeing.
 */
struct maple_node {
	union {
		struct {
			struct maple_pnode *parent;
			void *slot[MAPLE_NODE_SLOTS];
		};
		struct maple_range_64 mr64;
		struct maple_arange_64 ma64;
		struct {
			struct maple_pnode *dead_parent;
			struct maple_node *free_next;
		};
		struct {
			struct maple_pnode *rcu_parent;
			unsigned long rcu_storage[2];
		};
	};
} __attribute__((aligned(MAPLE_NODE_SIZE)));

_Static_assert(sizeof(struct maple_node) == MAPLE_NODE_SIZE, "node size");
_Static_assert(sizeof(struct maple_arange_64) <= MAPLE_NODE_SIZE, "arange");

extern const unsigned char mt_slots[];
extern const unsigned char mt_pivots[];
extern const unsigned char mt_min_slots[];

/*
 * Shared-memory accessors.  Words a concurrent RCU reader may load while a
 * writer stores them go through relaxed atomics (plain moves on x86-64), so
 * the race is defined behaviour and ThreadSanitizer understands it.
 * Publication of a new node uses release/acquire (rcu_assign_pointer /
 * rcu_dereference).
 */
#define mt_read_once(x)		__atomic_load_n(&(x), __ATOMIC_RELAXED)
#define mt_write_once(x, v)	__atomic_store_n(&(x), (v), __ATOMIC_RELAXED)
#define mt_read_acquire(x)	__atomic_load_n(&(x), __ATOMIC_ACQUIRE)
#define mt_write_release(x, v)	__atomic_store_n(&(x), (v), __ATOMIC_RELEASE)

/* ---- encoded node pointers ---------------------------------------- */

static inline struct maple_node *mte_to_node(const struct maple_enode *enode)
{
	return (struct maple_node *)((uintptr_t)enode & ~MAPLE_NODE_MASK);
}

static inline enum maple_type mte_node_type(const struct maple_enode *enode)
{
	return (enum maple_type)(((uintptr_t)enode >> MAPLE_NODE_TYPE_SHIFT) &
				 MAPLE_NODE_TYPE_MASK);
}

static inline struct maple_enode *mt_mk_node(const struct maple_node *node,
					     enum maple_type type)
{
	return (struct maple_enode *)((uintptr_t)node |
				      ((uintptr_t)type << MAPLE_NODE_TYPE_SHIFT) |
				      MAPLE_ENODE_NULL);
}

static inline void *mte_mk_root(const struct maple_enode *enode)
{
	return (void *)((uintptr_t)enode | MAPLE_ROOT_NODE);
}

static inline struct maple_enode *mte_safe_root(const void *root)
{
	return (struct maple_enode *)((uintptr_t)root & ~(uintptr_t)MAPLE_ROOT_NODE);
}

/* True if @entry (a root or slot value) is an encoded node. */
static inline bool xa_is_node(const void *entry)
{
	return xa_is_internal(entry) &&
	       (uintptr_t)entry > MAPLE_RESERVED_RANGE && !xa_is_err(entry);
}

static inline bool ma_is_leaf(enum maple_type type)
{
	return type < maple_range_64;
}

static inline bool mte_is_leaf(const struct maple_enode *enode)
{
	return ma_is_leaf(mte_node_type(enode));
}

/* ---- per-type views ------------------------------------------------ */

static inline unsigned long *ma_pivots(struct maple_node *node,
				       enum maple_type type)
{
	switch (type) {
	case maple_arange_64:
		return node->ma64.pivot;
	case maple_range_64:
	case maple_leaf_64:
		return node->mr64.pivot;
	default:
		return NULL;
	}
}

static inline void **ma_slots(struct maple_node *node, enum maple_type type)
{
	switch (type) {
	case maple_arange_64:
		return node->ma64.slot;
	case maple_range_64:
	case maple_leaf_64:
		return node->mr64.slot;
	default:
		return node->slot;
	}
}

static inline unsigned long *ma_gaps(struct maple_node *node,
				     enum maple_type type)
{
	return type == maple_arange_64 ? node->ma64.gap : NULL;
}

static inline struct maple_metadata *ma_meta(struct maple_node *node,
					     enum maple_type type)
{
	return type == maple_arange_64 ? &node->ma64.meta : &node->mr64.meta;
}

/**
 * ma_data_end - offset of the last used slot of a node.
 * @node: the node
 * @type: its type
 * @max: the node's maximum (from the parent, ULONG_MAX at the root)
 *
 * Return: the "end" offset, 0 .. mt_slots[type] - 1.
 */
static inline unsigned char ma_data_end(struct maple_node *node,
					enum maple_type type, unsigned long max)
{
	if (type == maple_arange_64)
		return mt_read_once(node->ma64.meta.end);
	{
		unsigned long last_piv =
			mt_read_acquire(node->mr64.pivot[MAPLE_RANGE64_PIVOTS - 1]);

		if (last_piv != 0 && last_piv != max)
			return MAPLE_RANGE64_SLOTS - 1;
	}
	return mt_read_once(node->mr64.meta.end);
}

/* Upper bound of slot @offset of a node whose max is @max and end @end. */
static inline unsigned long ma_slot_max(const unsigned long *pivots,
					unsigned char offset,
					unsigned char end, unsigned long max)
{
	if (offset >= end)
		return max;
	return mt_read_acquire(pivots[offset]);
}

/* Lower bound of slot @offset of a node whose min is @min. */
static inline unsigned long ma_slot_min(const unsigned long *pivots,
					unsigned char offset, unsigned long min)
{
	if (!offset)
		return min;
	return mt_read_acquire(pivots[offset - 1]) + 1;
}

/* ---- parent words --------------------------------------------------- */

static inline struct maple_pnode *mt_mk_parent(const struct maple_node *parent,
					       unsigned char slot)
{
	return (struct maple_pnode *)((uintptr_t)parent |
				      ((uintptr_t)slot << MAPLE_PARENT_SLOT_SHIFT) |
				      MAPLE_PARENT_RANGE64);
}

static inline struct maple_pnode *mt_mk_root_parent(const struct maple_tree *mt)
{
	return (struct maple_pnode *)((uintptr_t)mt | MA_ROOT_PARENT);
}

static inline bool ma_is_root(struct maple_node *node)
{
	return (uintptr_t)mt_read_once(node->parent) & MA_ROOT_PARENT;
}

static inline bool mte_is_root(const struct maple_enode *enode)
{
	return ma_is_root(mte_to_node(enode));
}

static inline struct maple_node *mte_parent(const struct maple_enode *enode)
{
	return (struct maple_node *)((uintptr_t)mt_read_once(
		mte_to_node(enode)->parent) & ~MAPLE_NODE_MASK);
}

static inline unsigned char mte_parent_slot(const struct maple_enode *enode)
{
	uintptr_t p = (uintptr_t)mt_read_once(mte_to_node(enode)->parent);

	if (p & MA_ROOT_PARENT)
		return 0;
	return (p & MAPLE_PARENT_SLOT_MASK) >> MAPLE_PARENT_SLOT_SHIFT;
}

/* Type of internal nodes in @mt: arange_64 for allocation-range trees. */
static inline enum maple_type mt_internal_type(const struct maple_tree *mt)
{
	return (mt_flags(mt) & MT_FLAGS_ALLOC_RANGE) ? maple_arange_64 :
						      maple_range_64;
}

static inline bool mt_is_alloc(const struct maple_tree *mt)
{
	return mt_flags(mt) & MT_FLAGS_ALLOC_RANGE;
}

/* ---- dead nodes ----------------------------------------------------- */

/* Mark @node dead: readers that see it re-walk.  Release orders it after
 * the publication of the replacement. */
static inline void ma_set_node_dead(struct maple_node *node)
{
	mt_write_release(node->parent, (struct maple_pnode *)node);
}

/* True if @node was replaced; the acquire pairs with ma_set_node_dead(). */
static inline bool ma_dead_node(struct maple_node *node)
{
	return (struct maple_node *)mt_read_acquire(node->parent) == node;
}

static inline bool mte_dead_node(const struct maple_enode *enode)
{
	return ma_dead_node(mte_to_node(enode));
}

/* ---- tree root and height -------------------------------------------- */

/* The tree's generation: changes with every write but an exact fit. */
static inline unsigned long mt_gen(const struct maple_tree *mt)
{
	return __atomic_load_n(&mt->ma_gen, __ATOMIC_ACQUIRE);
}

static inline void mt_gen_bump(struct maple_tree *mt)
{
	__atomic_store_n(&mt->ma_gen, mt->ma_gen + 1, __ATOMIC_RELEASE);
}

static inline void *mt_root_acquire(const struct maple_tree *mt)
{
	return __atomic_load_n(&mt->ma_root, __ATOMIC_ACQUIRE);
}

static inline void mt_set_height(struct maple_tree *mt, unsigned int height)
{
	unsigned int flags = mt->ma_flags & ~MT_FLAGS_HEIGHT_MASK;

	flags |= height << MT_FLAGS_HEIGHT_OFFSET;
	mt_write_once(mt->ma_flags, flags);
}

#endif /* MTREE_NODE_H */
