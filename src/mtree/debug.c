/* SPDX-License-Identifier: MIT */
/*
 * debug.c - checking and printing whole trees: mt_validate(), mt_nr_nodes(),
 * mt_dump(), mt_dump_file() and mt_dump_dot().
 *
 * None of these functions is on a fast path and none of them takes a lock:
 * the caller holds the tree's write lock, so the plain loads below never
 * race with a writer.
 *
 * DOC: Dump format
 *
 * Nodes are named n0, n1, ... in depth-first pre-order, never by address,
 * so a dump of a tree with the same shape and entries is byte-for-byte the
 * same in every run.  The text dump is one header line, then one line per
 * node and one line per used slot.  A node line is indented by two spaces
 * per level below the root; the slot lines of a node are indented two more,
 * and the subtree of an internal slot follows that slot's line:
 *
 *   maple_tree flags 0x9 height 2
 *   n0 arange_64 [0, 18446744073709551615] end 1 gap_slot 1
 *     [0-99] n1 gap 10
 *     n1 leaf_64 [0, 99] end 6
 *       [0-9] value 1
 *       ...
 *
 * Leaf entries print as "NULL", "value N" (xa_is_value), "zero"
 * (XA_ZERO_ENTRY), "internal N" (other internal entries) or "ptr 0x..."
 * (anything else).  A tree without nodes prints "root NULL" or
 * "root [0-0] <entry>" after the header.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "internal.h"

/* ---- shared helpers ------------------------------------------------- */

static bool mt_type_valid(enum maple_type type)
{
	return type == maple_leaf_64 || type == maple_range_64 ||
	       type == maple_arange_64;
}

static const char *mt_type_name(enum maple_type type)
{
	switch (type) {
	case maple_dense:
		return "dense";
	case maple_leaf_64:
		return "leaf_64";
	case maple_range_64:
		return "range_64";
	case maple_arange_64:
		return "arange_64";
	default:
		return "invalid";
	}
}

/* True if @entry has the bit pattern of an encoded node of a valid type. */
static bool mt_enode_shaped(const void *entry)
{
	uintptr_t v = (uintptr_t)entry;

	if ((v & 0x7) != MAPLE_ENODE_NULL || !(v & ~MAPLE_NODE_MASK))
		return false;
	return mt_type_valid(mte_node_type(entry));
}

/*
 * ma_data_end() clamped to the node's slots, for walks that must not crash
 * on a corrupted metadata byte.
 */
static unsigned char mt_safe_end(struct maple_node *node, enum maple_type type,
				 unsigned long max)
{
	unsigned char end = ma_data_end(node, type, max);

	if (end >= mt_slots[type])
		end = mt_slots[type] - 1;
	return end;
}

/*
 * True if the child @entry of the node at @depth is one of the nodes on the
 * path from the root (@path[0..@depth]): only a corrupted tree has such a
 * cycle, and the walks below must not follow it forever.
 */
static bool mt_on_path(struct maple_node *const *path, unsigned int depth,
		       const void *entry)
{
	struct maple_node *child = mte_to_node(entry);
	unsigned int i;

	for (i = 0; i <= depth; i++) {
		if (path[i] == child)
			return true;
	}
	return false;
}

/* The tree's root as an encoded node, or NULL if it holds no node. */
static struct maple_enode *mt_root_enode(const struct maple_tree *mt)
{
	void *root = mt_read_once(mt->ma_root);

	if (!xa_is_node(root))
		return NULL;
	return mte_safe_root(root);
}

/* ---- node count ------------------------------------------------------ */

static unsigned long mt_count_subtree(struct maple_enode *enode,
				      unsigned long max, unsigned int depth,
				      struct maple_node **path)
{
	struct maple_node *node = mte_to_node(enode);
	enum maple_type type = mte_node_type(enode);
	unsigned long *pivots;
	unsigned long count = 1;
	unsigned char end, i;
	void **slots;

	if (ma_is_leaf(type) || !mt_type_valid(type) ||
	    depth >= MAPLE_HEIGHT_MAX)
		return count;

	path[depth] = node;
	pivots = ma_pivots(node, type);
	slots = ma_slots(node, type);
	end = mt_safe_end(node, type, max);
	for (i = 0; i <= end; i++) {
		if (!mt_enode_shaped(slots[i]) ||
		    mt_on_path(path, depth, slots[i]))
			continue;
		count += mt_count_subtree(slots[i],
					  ma_slot_max(pivots, i, end, max),
					  depth + 1, path);
	}
	return count;
}

/**
 * mt_nr_nodes - count the nodes of a tree.
 * @mt: the tree
 *
 * Context: the caller holds the tree's write lock (or otherwise keeps
 * writers out); takes no lock and does not allocate.
 * Return: the number of nodes reachable from the root; 0 for an empty tree
 * or a tree holding a single entry at index 0.
 */
unsigned long mt_nr_nodes(const struct maple_tree *mt)
{
	struct maple_node *path[MAPLE_HEIGHT_MAX];
	struct maple_enode *root = mt_root_enode(mt);

	if (!root)
		return 0;
	return mt_count_subtree(root, ULONG_MAX, 0, path);
}

/* ---- text dump ------------------------------------------------------- */

struct mt_dump_ctx {
	FILE *out;
	enum mt_dump_format format;
	unsigned long next_id;	/* pre-order name of the next node */
	struct maple_node *path[MAPLE_HEIGHT_MAX];	/* see mt_on_path() */
};

static void mt_dump_num(FILE *out, enum mt_dump_format format,
			unsigned long num)
{
	if (format == mt_dump_hex)
		fprintf(out, "0x%lx", num);
	else
		fprintf(out, "%lu", num);
}

/* Print a leaf entry (or a non-node internal slot) in the dump's words. */
static void mt_dump_entry(FILE *out, const void *entry)
{
	if (!entry)
		fputs("NULL", out);
	else if (xa_is_value(entry))
		fprintf(out, "value %lu", xa_to_value(entry));
	else if (xa_is_zero(entry))
		fputs("zero", out);
	else if (xa_is_internal(entry))
		fprintf(out, "internal %lu", xa_to_internal(entry));
	else
		fprintf(out, "ptr 0x%lx", (unsigned long)(uintptr_t)entry);
}

static void mt_dump_range(FILE *out, enum mt_dump_format format,
			  unsigned long min, unsigned long max)
{
	fputc('[', out);
	mt_dump_num(out, format, min);
	fputc('-', out);
	mt_dump_num(out, format, max);
	fputc(']', out);
}

static void mt_dump_node(struct mt_dump_ctx *ctx, struct maple_enode *enode,
			 unsigned long min, unsigned long max,
			 unsigned int depth)
{
	struct maple_node *node = mte_to_node(enode);
	enum maple_type type = mte_node_type(enode);
	int indent = (int)depth * 2;
	unsigned long *pivots, *gaps;
	unsigned char end, i;
	void **slots;

	fprintf(ctx->out, "%*sn%lu %s [", indent, "", ctx->next_id++,
		mt_type_name(type));
	mt_dump_num(ctx->out, ctx->format, min);
	fputs(", ", ctx->out);
	mt_dump_num(ctx->out, ctx->format, max);
	fputc(']', ctx->out);
	if (!mt_type_valid(type) || depth >= MAPLE_HEIGHT_MAX) {
		fputs(" (not followed)\n", ctx->out);
		return;
	}

	ctx->path[depth] = node;
	pivots = ma_pivots(node, type);
	slots = ma_slots(node, type);
	gaps = ma_gaps(node, type);
	end = mt_safe_end(node, type, max);
	fprintf(ctx->out, " end %u", end);
	if (gaps)
		fprintf(ctx->out, " gap_slot %u", ma_meta(node, type)->gap);
	if (ma_dead_node(node))
		fputs(" dead", ctx->out);
	fputc('\n', ctx->out);

	for (i = 0; i <= end; i++) {
		unsigned long smin = ma_slot_min(pivots, i, min);
		unsigned long smax = ma_slot_max(pivots, i, end, max);
		void *entry = slots[i];
		bool child = !ma_is_leaf(type) && mt_enode_shaped(entry);
		bool cycle = child && mt_on_path(ctx->path, depth, entry);

		fprintf(ctx->out, "%*s", indent + 2, "");
		mt_dump_range(ctx->out, ctx->format, smin, smax);
		fputc(' ', ctx->out);
		if (cycle)
			fprintf(ctx->out, "cycle to %p", (void *)mte_to_node(entry));
		else if (child)
			fprintf(ctx->out, "n%lu", ctx->next_id);
		else
			mt_dump_entry(ctx->out, entry);
		if (gaps) {
			fputs(" gap ", ctx->out);
			mt_dump_num(ctx->out, ctx->format, gaps[i]);
		}
		fputc('\n', ctx->out);
		if (child && !cycle)
			mt_dump_node(ctx, entry, smin, smax, depth + 1);
	}
}

/* Flush @out and turn a sticky stream error into -errno. */
static int mt_dump_finish(FILE *out)
{
	if (fflush(out) == 0 && !ferror(out))
		return 0;
	return errno ? -errno : -EIO;
}

/**
 * mt_dump_file - print a tree as text.
 * @mt: the tree
 * @format: print indices and gaps in decimal (mt_dump_dec) or hexadecimal
 *	(mt_dump_hex)
 * @stream: the FILE * to print to
 *
 * The format is described in the DOC comment of debug.c: one line per node
 * (pre-order name, type, range, end) and one line per used slot.  Node
 * addresses are never printed, so the output is stable across runs; leaf
 * entries that are plain pointers are printed in hexadecimal.  @stream is
 * flushed before returning.
 *
 * Context: the caller holds the tree's write lock, or no writer runs.
 * Return: 0, or a negative errno if writing to @stream failed.
 */
int mt_dump_file(const struct maple_tree *mt, enum mt_dump_format format,
		 void *stream)
{
	struct mt_dump_ctx ctx = { .out = stream, .format = format };
	void *root = mt_read_once(mt->ma_root);

	errno = 0;
	fprintf(ctx.out, "maple_tree flags 0x%x height %u\n", mt->ma_flags,
		mt_height(mt));
	if (!root) {
		fputs("root NULL\n", ctx.out);
	} else if (!xa_is_node(root)) {
		fputs("root ", ctx.out);
		mt_dump_range(ctx.out, format, 0, 0);
		fputc(' ', ctx.out);
		mt_dump_entry(ctx.out, root);
		fputc('\n', ctx.out);
	} else {
		mt_dump_node(&ctx, mte_safe_root(root), 0, ULONG_MAX, 0);
	}
	return mt_dump_finish(ctx.out);
}

/**
 * mt_dump - print a tree as text on standard output.
 * @mt: the tree
 * @format: mt_dump_dec or mt_dump_hex
 *
 * Same output as mt_dump_file(); write errors are ignored.
 *
 * Context: the caller holds the tree's write lock, or no writer runs.
 * Return: nothing.
 */
void mt_dump(const struct maple_tree *mt, enum mt_dump_format format)
{
	(void)mt_dump_file(mt, format, stdout);
}

/* ---- Graphviz dump --------------------------------------------------- */

static void mt_dot_node(struct mt_dump_ctx *ctx, struct maple_enode *enode,
			unsigned long min, unsigned long max,
			unsigned int depth)
{
	struct maple_node *node = mte_to_node(enode);
	enum maple_type type = mte_node_type(enode);
	unsigned long id = ctx->next_id++;
	unsigned long *pivots, *gaps;
	unsigned char end, i;
	void **slots;

	fprintf(ctx->out, "\tn%lu [label=\"{n%lu %s\\n[%lu, %lu]", id, id,
		mt_type_name(type), min, max);
	if (!mt_type_valid(type) || depth >= MAPLE_HEIGHT_MAX) {
		fputs("}\"];\n", ctx->out);
		return;
	}

	ctx->path[depth] = node;
	pivots = ma_pivots(node, type);
	slots = ma_slots(node, type);
	gaps = ma_gaps(node, type);
	end = mt_safe_end(node, type, max);
	fputs("|{", ctx->out);
	for (i = 0; i <= end; i++) {
		void *entry = slots[i];

		fprintf(ctx->out, "%s<s%u>%lu-%lu\\n", i ? "|" : "", i,
			ma_slot_min(pivots, i, min),
			ma_slot_max(pivots, i, end, max));
		if (ma_is_leaf(type))
			mt_dump_entry(ctx->out, entry);
		else if (gaps)
			fprintf(ctx->out, "gap %lu", gaps[i]);
		else
			fputs(entry ? "child" : "NULL", ctx->out);
	}
	fputs("}}\"];\n", ctx->out);

	if (ma_is_leaf(type))
		return;
	for (i = 0; i <= end; i++) {
		if (!mt_enode_shaped(slots[i]) ||
		    mt_on_path(ctx->path, depth, slots[i]))
			continue;
		fprintf(ctx->out, "\tn%lu:s%u -> n%lu;\n", id, i, ctx->next_id);
		mt_dot_node(ctx, slots[i], ma_slot_min(pivots, i, min),
			    ma_slot_max(pivots, i, end, max), depth + 1);
	}
}

/**
 * mt_dump_dot - print a tree as a Graphviz digraph.
 * @mt: the tree
 * @stream: the FILE * to print to
 *
 * Each node is a record named by its pre-order number (n0 is the root)
 * whose fields are the used slots with their ranges, which show the
 * pivots; leaf fields also show the entry as mt_dump_file() does, arange
 * fields the gap.  Each child hangs off the port of its slot in the parent
 * (n0:s2 -> n3).  @stream is flushed before returning.
 *
 * Context: the caller holds the tree's write lock, or no writer runs.
 * Return: 0, or a negative errno if writing to @stream failed.
 */
int mt_dump_dot(const struct maple_tree *mt, void *stream)
{
	struct mt_dump_ctx ctx = { .out = stream, .format = mt_dump_dec };
	void *root = mt_read_once(mt->ma_root);

	errno = 0;
	fputs("digraph maple_tree {\n", ctx.out);
	fprintf(ctx.out, "\tlabel=\"maple_tree flags 0x%x height %u\";\n",
		mt->ma_flags, mt_height(mt));
	fputs("\tnode [shape=record];\n", ctx.out);
	if (xa_is_node(root)) {
		mt_dot_node(&ctx, mte_safe_root(root), 0, ULONG_MAX, 0);
	} else {
		fputs("\troot [shape=plaintext, label=\"root ", ctx.out);
		mt_dump_entry(ctx.out, root);
		fputs("\"];\n", ctx.out);
	}
	fputs("}\n", ctx.out);
	return mt_dump_finish(ctx.out);
}

/* ---- validation ------------------------------------------------------ */

/* A growable array; a failed allocation only drops the optional check. */
struct mt_vec {
	void *data;
	size_t nr;
	size_t cap;
	bool failed;
};

static void mt_vec_push(struct mt_vec *vec, const void *elem, size_t size)
{
	if (vec->failed)
		return;
	if (vec->nr == vec->cap) {
		size_t cap = vec->cap ? vec->cap * 2 : 64;
		void *data = realloc(vec->data, cap * size);

		if (!data) {
			vec->failed = true;
			return;
		}
		vec->data = data;
		vec->cap = cap;
	}
	memcpy((char *)vec->data + vec->nr * size, elem, size);
	vec->nr++;
}

/* Where a check failed: a node, its range and pre-order name. */
struct mt_check_node {
	struct maple_node *node;
	enum maple_type type;
	unsigned long id;
	unsigned long min;
	unsigned long max;
	unsigned int depth;
	unsigned char end;
};

/*
 * A leaf entry shaped like an encoded node, checked once all nodes are
 * known.
 */
struct mt_suspect {
	struct mt_check_node at;
	unsigned char offset;
	void *entry;
};

struct mt_check {
	struct maple_tree *mt;
	unsigned int height;
	enum maple_type internal_type;
	unsigned long next_id;
	struct mt_vec nodes;		/* struct maple_node * of every node */
	struct mt_vec suspects;		/* struct mt_suspect */
	bool prev_leaf_ends_null;	/* leaves are checked left to right */
};

/* Report a failed check at @at (and slot @offset if >= 0); -EINVAL. */
static int __attribute__((format(printf, 3, 4)))
mt_check_fail(const struct mt_check_node *at, int offset, const char *fmt, ...)
{
	va_list args;

	fprintf(stderr, "mt_validate: n%lu (%p) %s [0x%lx, 0x%lx] depth %u",
		at->id, (void *)at->node, mt_type_name(at->type), at->min,
		at->max, at->depth);
	if (offset >= 0)
		fprintf(stderr, " offset %d", offset);
	fputs(": ", stderr);
	va_start(args, fmt);
	vfprintf(stderr, fmt, args);
	va_end(args);
	fputc('\n', stderr);
	return -EINVAL;
}

/* Report a failed check on the tree itself; -EINVAL. */
static int __attribute__((format(printf, 2, 3)))
mt_check_tree_fail(const struct maple_tree *mt, const char *fmt, ...)
{
	va_list args;

	fprintf(stderr, "mt_validate: tree %p: ", (const void *)mt);
	va_start(args, fmt);
	vfprintf(stderr, fmt, args);
	va_end(args);
	fputc('\n', stderr);
	return -EINVAL;
}

static struct maple_node *mt_pnode_node(const struct maple_pnode *pnode)
{
	return (struct maple_node *)((uintptr_t)pnode & ~MAPLE_NODE_MASK);
}

static unsigned int mt_pnode_slot(const struct maple_pnode *pnode)
{
	return ((uintptr_t)pnode & MAPLE_PARENT_SLOT_MASK) >> MAPLE_PARENT_SLOT_SHIFT;
}

/* Parent word, liveness and type of the node at @at. */
static int mt_check_header(struct mt_check *chk, const struct mt_check_node *at,
			   struct maple_pnode *want_parent)
{
	struct maple_pnode *parent = at->node->parent;

	if ((struct maple_node *)parent == at->node)
		return mt_check_fail(at, -1, "dead node reachable from the root");
	if (parent != want_parent && at->depth == 1)
		return mt_check_fail(at, -1, "root parent word %p, expected %p",
				     (void *)parent, (void *)want_parent);
	if (parent != want_parent && ((uintptr_t)parent & MA_ROOT_PARENT))
		return mt_check_fail(at, -1,
				     "parent word %p is a root parent, expected node %p slot %u",
				     (void *)parent, (void *)mt_pnode_node(want_parent),
				     mt_pnode_slot(want_parent));
	if (parent != want_parent)
		return mt_check_fail(at, -1,
				     "parent word %p (node %p slot %u), expected node %p slot %u",
				     (void *)parent, (void *)mt_pnode_node(parent),
				     mt_pnode_slot(parent), (void *)mt_pnode_node(want_parent),
				     mt_pnode_slot(want_parent));
	if (!mt_type_valid(at->type))
		return mt_check_fail(at, -1, "invalid node type %u", at->type);
	if (at->depth == chk->height && at->type != maple_leaf_64)
		return mt_check_fail(at, -1,
				     "%s at depth %u: tree height %u needs leaf_64 here",
				     mt_type_name(at->type), at->depth, chk->height);
	if (at->depth < chk->height && at->type != chk->internal_type)
		return mt_check_fail(at, -1,
				     "%s at depth %u: tree height %u needs %s here",
				     mt_type_name(at->type), at->depth, chk->height,
				     mt_type_name(chk->internal_type));
	return 0;
}

/* Pivots: strictly ascending inside the node's range, then max, then 0. */
static int mt_check_pivots(const struct mt_check_node *at)
{
	unsigned long *pivots = ma_pivots(at->node, at->type);
	unsigned char nr_pivots = mt_pivots[at->type];
	unsigned long slot_min = at->min;
	unsigned char i;

	for (i = 0; i < at->end; i++) {
		if (pivots[i] < slot_min) {
			if (!i)
				return mt_check_fail(at, i,
						     "pivot 0x%lx below the node min",
						     pivots[i]);
			return mt_check_fail(at, i,
					     "pivot 0x%lx not above pivot[%u] 0x%lx",
					     pivots[i], i - 1, pivots[i - 1]);
		}
		if (pivots[i] >= at->max)
			return mt_check_fail(at, i,
					     "pivot 0x%lx reaches the node max before end %u",
					     pivots[i], at->end);
		slot_min = pivots[i] + 1;
	}
	if (at->end >= nr_pivots)
		return 0;
	if (pivots[at->end] != at->max)
		return mt_check_fail(at, at->end,
				     "end %u: pivot 0x%lx is not at the node max",
				     at->end, pivots[at->end]);
	for (i = at->end + 1; i < nr_pivots; i++) {
		if (pivots[i])
			return mt_check_fail(at, i,
					     "pivot 0x%lx after end %u is not 0",
					     pivots[i], at->end);
	}
	return 0;
}

/* Minimum occupancy: see node.h. */
static int mt_check_occupancy(const struct mt_check_node *at)
{
	if (at->depth == 1) {
		if (!ma_is_leaf(at->type) && at->end < 1)
			return mt_check_fail(at, -1,
					     "internal root has a single child");
		return 0;
	}
	if (at->end < mt_min_slots[at->type])
		return mt_check_fail(at, -1,
				     "underfull: end %u below the minimum %u",
				     at->end, mt_min_slots[at->type]);
	return 0;
}

/*
 * Leaf slots: no adjacent NULLs, no nodes; sets *@gap to the largest NULL
 * slot (a NULL slot covering the whole index space would read 0, but such a
 * leaf is an empty tree and never exists).
 */
static int mt_check_leaf(struct mt_check *chk, const struct mt_check_node *at,
			 unsigned long *gap)
{
	unsigned long *pivots = ma_pivots(at->node, at->type);
	void **slots = ma_slots(at->node, at->type);
	bool prev_null = false;
	unsigned char i;

	*gap = 0;
	/* NULL writes absorb NULL neighbours across leaf edges too, so every
	 * maximal gap is one slot (the gap search depends on it). */
	if (!slots[0] && chk->prev_leaf_ends_null)
		return mt_check_fail(at, 0,
				     "NULL slot follows the previous leaf's NULL last slot");
	chk->prev_leaf_ends_null = !slots[at->end];
	for (i = 0; i <= at->end; i++) {
		void *entry = slots[i];

		if (!entry) {
			unsigned long len = ma_slot_max(pivots, i, at->end, at->max) -
					    ma_slot_min(pivots, i, at->min) + 1;

			if (prev_null)
				return mt_check_fail(at, i,
						     "NULL slot next to NULL slot %u",
						     i - 1);
			if (len > *gap)
				*gap = len;
			prev_null = true;
			continue;
		}
		prev_null = false;
		if (xa_is_node(entry))
			return mt_check_fail(at, i, "leaf holds node entry %p",
					     entry);
		if (mt_enode_shaped(entry)) {
			struct mt_suspect sus = {
				.at = *at, .offset = i, .entry = entry,
			};

			mt_vec_push(&chk->suspects, &sus, sizeof(sus));
		}
	}
	return 0;
}

static int mt_check_subtree(struct mt_check *chk, struct maple_enode *enode,
			    struct maple_pnode *want_parent, unsigned long min,
			    unsigned long max, unsigned int depth,
			    unsigned long *gap);

/*
 * Children of an internal node; in arange nodes also gap[] and meta.gap.
 * Sets *@gap to the largest real gap of the subtree.
 */
static int mt_check_children(struct mt_check *chk,
			     const struct mt_check_node *at,
			     unsigned long *gap)
{
	unsigned long *pivots = ma_pivots(at->node, at->type);
	unsigned long *gaps = ma_gaps(at->node, at->type);
	void **slots = ma_slots(at->node, at->type);
	unsigned char i, gap_slot;
	int ret;

	*gap = 0;
	for (i = 0; i <= at->end; i++) {
		void *child = slots[i];
		unsigned long child_gap;

		if (!child)
			return mt_check_fail(at, i, "NULL child");
		if (!mt_enode_shaped(child))
			return mt_check_fail(at, i, "child %p is not an encoded node",
					     child);
		ret = mt_check_subtree(chk, child, mt_mk_parent(at->node, i),
				       ma_slot_min(pivots, i, at->min),
				       ma_slot_max(pivots, i, at->end, at->max),
				       at->depth + 1, &child_gap);
		if (ret)
			return ret;
		if (gaps && gaps[i] != child_gap)
			return mt_check_fail(at, i,
					     "gap %lu, but the child's largest gap is %lu",
					     gaps[i], child_gap);
		if (child_gap > *gap)
			*gap = child_gap;
	}
	if (!gaps)
		return 0;

	for (i = at->end + 1; i < MAPLE_ARANGE64_SLOTS; i++) {
		if (gaps[i])
			return mt_check_fail(at, i, "gap %lu after end %u is not 0",
					     gaps[i], at->end);
	}
	gap_slot = ma_meta(at->node, at->type)->gap;
	if (gap_slot > at->end)
		return mt_check_fail(at, -1, "meta.gap %u beyond end %u",
				     gap_slot, at->end);
	if (gaps[gap_slot] != *gap)
		return mt_check_fail(at, -1,
				     "meta.gap %u has gap %lu, the largest is %lu",
				     gap_slot, gaps[gap_slot], *gap);
	return 0;
}

static int mt_check_subtree(struct mt_check *chk, struct maple_enode *enode,
			    struct maple_pnode *want_parent, unsigned long min,
			    unsigned long max, unsigned int depth,
			    unsigned long *gap)
{
	struct mt_check_node at = {
		.node = mte_to_node(enode),
		.type = mte_node_type(enode),
		.id = chk->next_id++,
		.min = min,
		.max = max,
		.depth = depth,
	};
	unsigned char end;
	int ret;

	mt_vec_push(&chk->nodes, &at.node, sizeof(at.node));
	ret = mt_check_header(chk, &at, want_parent);
	if (ret)
		return ret;

	end = ma_data_end(at.node, at.type, max);
	if (end >= mt_slots[at.type])
		return mt_check_fail(&at, -1, "end %u beyond the last slot", end);
	at.end = end;

	ret = mt_check_pivots(&at);
	if (!ret)
		ret = mt_check_occupancy(&at);
	if (ret)
		return ret;
	if (ma_is_leaf(at.type))
		return mt_check_leaf(chk, &at, gap);
	return mt_check_children(chk, &at, gap);
}

static int mt_cmp_ptr(const void *a, const void *b)
{
	uintptr_t x = *(const uintptr_t *)a;
	uintptr_t y = *(const uintptr_t *)b;

	return x < y ? -1 : x > y;
}

/* Leaf entries shaped like encoded nodes: fail if they name a tree node. */
static int mt_check_suspects(struct mt_check *chk)
{
	struct mt_suspect *sus = chk->suspects.data;
	size_t i;

	if (!chk->suspects.nr || chk->nodes.failed)
		return 0;
	qsort(chk->nodes.data, chk->nodes.nr, sizeof(void *), mt_cmp_ptr);
	for (i = 0; i < chk->suspects.nr; i++) {
		struct maple_node *node = mte_to_node(sus[i].entry);

		if (bsearch(&node, chk->nodes.data, chk->nodes.nr,
			    sizeof(void *), mt_cmp_ptr))
			return mt_check_fail(&sus[i].at, sus[i].offset,
					     "leaf holds encoded node %p of this tree",
					     sus[i].entry);
	}
	return 0;
}

/* The root word and the height, then every node. */
static int mt_check_tree(struct mt_check *chk)
{
	struct maple_tree *mt = chk->mt;
	void *root = mt->ma_root;
	unsigned long gap;
	int ret;

	if (!xa_is_node(root)) {
		if (xa_is_internal(root))
			return mt_check_tree_fail(mt, "root holds internal entry %p",
						  root);
		if (chk->height)
			return mt_check_tree_fail(mt, "no root node but height %u",
						  chk->height);
		return 0;
	}
	if (((uintptr_t)root & 0x7) != (MAPLE_ENODE_NULL | MAPLE_ROOT_NODE) ||
	    !mt_type_valid(mte_node_type(root)))
		return mt_check_tree_fail(mt, "bad root encoding %p", root);
	if (!chk->height || chk->height > MAPLE_HEIGHT_MAX)
		return mt_check_tree_fail(mt, "root is a node but height is %u",
					  chk->height);

	ret = mt_check_subtree(chk, mte_safe_root(root), mt_mk_root_parent(mt),
			       0, ULONG_MAX, 1, &gap);
	if (!ret)
		ret = mt_check_suspects(chk);
	return ret;
}

/**
 * mt_validate - check every invariant of a tree.
 * @mt: the tree
 *
 * Checks the root encoding and the height (every leaf is at depth
 * mt_height(), every node above is internal, of type arange_64 in an
 * allocation-range tree and range_64 otherwise), each node's parent word
 * (tree | 1 for the root, parent | slot otherwise) and that no dead node is
 * reachable; pivots strictly ascending inside the node's range, the last
 * used slot ending at the node max and unused pivots 0; no NULL child, no
 * two adjacent NULL leaf slots, no encoded node in a leaf; minimum
 * occupancy; and in allocation-range trees that every gap[] equals the
 * largest NULL range of its child, that gaps past the end are 0 and that
 * meta.gap points at a largest gap.
 *
 * On the first failed check, prints to stderr a line naming the node (its
 * pre-order name as in mt_dump(), address, type, range, depth and slot
 * offset) and what is wrong, followed by the whole tree in mt_dump_hex
 * format.
 *
 * Context: not thread-safe: the caller holds the tree's write lock, or no
 * writer runs.  May allocate a little memory with malloc().
 * Return: 0 if the tree is valid, -EINVAL if not.
 */
int mt_validate(struct maple_tree *mt)
{
	struct mt_check chk = {
		.mt = mt,
		.height = mt_height(mt),
		.internal_type = mt_internal_type(mt),
	};
	int ret;

	ret = mt_check_tree(&chk);
	free(chk.nodes.data);
	free(chk.suspects.data);
	if (ret) {
		mt_dump_file(mt, mt_dump_hex, stderr);
		return -EINVAL;
	}
	return 0;
}
