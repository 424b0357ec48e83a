/* SPDX-License-Identifier: MIT */
/*
 * test_debug_dup.c - tests of debug.c (mt_validate, mt_nr_nodes, text and
 * DOT dumps), destroy.c and dup.c.
 *
 * The trees are built by hand, node by node, following node.h, so these
 * tests depend on no write path.  Every test checks that the global count
 * of live nodes is back where it started.
 */
#include <errno.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include <mtree/alloc.h>
#include <mtree/maple_tree.h>
#include <mtree/rcu.h>

#include "alloc_internal.h"
#include "internal.h"

#define V(x)	xa_mk_value(x)

/* Plain pointers to store in leaves (8-byte aligned). */
static long tb_objs[8];

/* ---- building trees by hand ----------------------------------------- */

/* A built subtree: its encoded root, its range and its largest gap. */
struct tb_node {
	struct maple_enode *enode;
	unsigned long min;
	unsigned long max;
	unsigned long gap;
};

static struct maple_node *tb_alloc(void)
{
	struct maple_node *node = mt_node_alloc(GFP_KERNEL);

	assert_non_null(node);
	return node;
}

/* A leaf starting at @min whose slot i holds @ent[i] and ends at @last[i]. */
static struct tb_node tb_leaf(unsigned long min, unsigned char nr,
			      const unsigned long *last, void *const *ent)
{
	struct maple_node *node = tb_alloc();
	struct tb_node out = { .min = min, .max = last[nr - 1] };
	unsigned long start = min;
	unsigned char i;

	assert_true(nr >= 1 && nr <= MAPLE_RANGE64_SLOTS);
	for (i = 0; i < nr; i++) {
		node->mr64.slot[i] = ent[i];
		if (i < MAPLE_RANGE64_PIVOTS)
			node->mr64.pivot[i] = last[i];
		if (!ent[i] && last[i] - start + 1 > out.gap)
			out.gap = last[i] - start + 1;
		start = last[i] + 1;
	}
	if (nr <= MAPLE_RANGE64_PIVOTS)
		node->mr64.meta.end = nr - 1;
	out.enode = mt_mk_node(node, maple_leaf_64);
	return out;
}

/* An internal node of @mt's internal type over @kids. */
static struct tb_node tb_internal(const struct maple_tree *mt,
				  const struct tb_node *kids, unsigned char nr)
{
	enum maple_type type = mt_internal_type(mt);
	struct maple_node *node = tb_alloc();
	unsigned long *pivots = ma_pivots(node, type);
	unsigned long *gaps = ma_gaps(node, type);
	void **slots = ma_slots(node, type);
	struct tb_node out = { .min = kids[0].min, .max = kids[nr - 1].max };
	unsigned char i, best = 0;

	assert_true(nr >= 1 && nr <= (type == maple_arange_64 ?
				      MAPLE_ARANGE64_SLOTS : MAPLE_RANGE64_SLOTS));
	for (i = 0; i < nr; i++) {
		slots[i] = kids[i].enode;
		if (i < (type == maple_arange_64 ? MAPLE_ARANGE64_PIVOTS :
						   MAPLE_RANGE64_PIVOTS))
			pivots[i] = kids[i].max;
		mte_to_node(kids[i].enode)->parent = mt_mk_parent(node, i);
		if (gaps)
			gaps[i] = kids[i].gap;
		if (kids[i].gap > kids[best].gap)
			best = i;
	}
	out.gap = kids[best].gap;
	if (type == maple_arange_64) {
		node->ma64.meta.end = nr - 1;
		node->ma64.meta.gap = best;
	} else if (nr <= MAPLE_RANGE64_PIVOTS) {
		node->mr64.meta.end = nr - 1;
	}
	out.enode = mt_mk_node(node, type);
	return out;
}

static void tb_set_root(struct maple_tree *mt, struct tb_node root,
			unsigned int height)
{
	mte_to_node(root.enode)->parent = mt_mk_root_parent(mt);
	mt->ma_root = mte_mk_root(root.enode);
	mt_set_height(mt, height);
}

/* Where the next generated leaf starts, and a seed for its shape. */
struct tb_cursor {
	unsigned long next;
	unsigned int seed;
};

/*
 * A leaf of @nr slots alternating entries (values and pointers) and NULL
 * ranges of varying widths; with @to_end its last slot ends at ULONG_MAX.
 */
static struct tb_node tb_gen_leaf(struct tb_cursor *cur, unsigned char nr,
				  bool to_end)
{
	unsigned long last[MAPLE_RANGE64_SLOTS];
	void *ent[MAPLE_RANGE64_SLOTS];
	unsigned long start = cur->next;
	struct tb_node leaf;
	unsigned char i;

	for (i = 0; i < nr; i++) {
		unsigned long width;

		if (i % 2) {
			ent[i] = NULL;
			width = 1 + (cur->seed * 7 + i * 3) % 11;
		} else {
			ent[i] = i % 4 == 2 ? (void *)&tb_objs[(cur->seed + i) % 8] :
					      V(start);
			width = 1 + (cur->seed + i) % 3;
		}
		last[i] = start + width - 1;
		start = last[i] + 1;
	}
	if (to_end)
		last[nr - 1] = ULONG_MAX;
	leaf = tb_leaf(cur->next, nr, last, ent);
	cur->next = start;
	cur->seed++;
	return leaf;
}

/* An internal node over @nr generated leaves of @leaf_nr[i] slots. */
static struct tb_node tb_gen_parent(const struct maple_tree *mt,
				    struct tb_cursor *cur, unsigned char nr,
				    const unsigned char *leaf_nr, bool to_end)
{
	struct tb_node kids[MAPLE_RANGE64_SLOTS];
	unsigned char i;

	for (i = 0; i < nr; i++)
		kids[i] = tb_gen_leaf(cur, leaf_nr[i], to_end && i == nr - 1);
	return tb_internal(mt, kids, nr);
}

/* Tree 1: a single root leaf (height 1), every kind of entry. */
#define TB1_NODES	1
static void tb_tree1(struct maple_tree *mt)
{
	static const unsigned long last[] = { 9, 10, 19, 29, 39, ULONG_MAX };
	void *const ent[] = {
		NULL, V(10), XA_ZERO_ENTRY, (void *)0x1000, xa_mk_internal(5), NULL,
	};

	mt_init_flags(mt, 0);
	tb_set_root(mt, tb_leaf(0, 6, last, ent), 1);
}

/*
 * Tree 2: allocation-range tree of height 2 with three leaves; the gaps
 * are checked against hand-computed values in test_build_gaps.
 */
#define TB2_NODES	4
#define TB2_GAP_C	(ULONG_MAX - 259)
static void tb_tree2(struct maple_tree *mt, bool underfull)
{
	static const unsigned long last_a[] = { 9, 29, 39, 44, 49, 89, 99 };
	static const unsigned long last_b[] = { 109, 119, 124, 129, 139, 149, 199 };
	static const unsigned long last_b6[] = { 109, 119, 124, 129, 139, 199 };
	static const unsigned long last_c[] = {
		209, 214, 219, 229, 239, 249, 259, ULONG_MAX,
	};
	void *const ent_a[] = { V(0), NULL, V(30), NULL, V(45), NULL, V(90) };
	void *const ent_b[] = { NULL, V(110), NULL, V(125), NULL, V(140), V(150) };
	void *const ent_c[] = {
		V(200), NULL, V(215), NULL, V(230), NULL, V(250), NULL,
	};
	struct tb_node kids[3];

	mt_init_flags(mt, MT_FLAGS_ALLOC_RANGE);
	kids[0] = tb_leaf(0, 7, last_a, ent_a);
	if (underfull)
		kids[1] = tb_leaf(100, 6, last_b6, ent_b);
	else
		kids[1] = tb_leaf(100, 7, last_b, ent_b);
	kids[2] = tb_leaf(200, 8, last_c, ent_c);
	tb_set_root(mt, tb_internal(mt, kids, 3), 2);
}

/*
 * Tree 3: allocation-range tree of height 3; the second internal node is
 * full, the first has the minimum of five children.
 */
#define TB3_NODES	18
static void tb_tree3(struct maple_tree *mt, unsigned int extra_flags)
{
	static const unsigned char l0[] = { 7, 8, 9, 15, 16 };
	static const unsigned char l1[] = { 7, 7, 8, 9, 10, 11, 12, 13, 14, 16 };
	struct tb_cursor cur = { 0, 1 };
	struct tb_node kids[2];

	mt_init_flags(mt, MT_FLAGS_ALLOC_RANGE | extra_flags);
	kids[0] = tb_gen_parent(mt, &cur, 5, l0, false);
	kids[1] = tb_gen_parent(mt, &cur, 10, l1, true);
	tb_set_root(mt, tb_internal(mt, kids, 2), 3);
}

/*
 * Tree 4: normal tree of height 3 whose internal nodes have 7, 15 (end 14,
 * pivot[14] == max) and 16 (full) children.
 */
#define TB4_NODES	42
static const unsigned char tb4_l0[] = { 7, 8, 9, 10, 11, 12, 13 };
static const unsigned char tb4_l1[] = {
	14, 15, 16, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 7, 8,
};
static const unsigned char tb4_l2[] = {
	16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 7, 8, 9, 10, 15, 16,
};
static void tb_tree4(struct maple_tree *mt)
{
	struct tb_cursor cur = { 0, 3 };
	struct tb_node kids[3];

	mt_init_flags(mt, 0);
	kids[0] = tb_gen_parent(mt, &cur, 7, tb4_l0, false);
	kids[1] = tb_gen_parent(mt, &cur, 15, tb4_l1, false);
	kids[2] = tb_gen_parent(mt, &cur, 16, tb4_l2, true);
	tb_set_root(mt, tb_internal(mt, kids, 3), 3);
}

/* Child @offset of the root of @mt, as a node. */
static struct maple_node *tb_root_child(struct maple_tree *mt,
					unsigned char offset)
{
	struct maple_enode *root = mte_safe_root(mt->ma_root);

	return mte_to_node(ma_slots(mte_to_node(root), mte_node_type(root))[offset]);
}

/* Leaf @offset under root child @child of a height-3 tree. */
static struct maple_node *tb_leaf_at(struct maple_tree *mt, unsigned char child,
				     unsigned char offset)
{
	struct maple_node *parent = tb_root_child(mt, child);

	return mte_to_node(ma_slots(parent, mt_internal_type(mt))[offset]);
}

/* Free a tree's nodes now, even in RCU mode. */
static void tb_destroy(struct maple_tree *mt)
{
	mtree_lock(mt);
	__mt_destroy(mt);
	mtree_unlock(mt);
	mt_rcu_barrier();
}

/* ---- capturing output ------------------------------------------------ */

static char *tb_dump(const struct maple_tree *mt, enum mt_dump_format format)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);

	assert_non_null(out);
	assert_int_equal(mt_dump_file(mt, format, out), 0);
	assert_int_equal(fclose(out), 0);
	return buf;
}

static char *tb_dot(const struct maple_tree *mt)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);

	assert_non_null(out);
	assert_int_equal(mt_dump_dot(mt, out), 0);
	assert_int_equal(fclose(out), 0);
	return buf;
}

/* Run mt_validate() with stderr captured; returns what it printed. */
static char *tb_validate_capture(struct maple_tree *mt, int *ret)
{
	FILE *tmp = tmpfile();
	int saved;
	long size;
	char *buf;

	assert_non_null(tmp);
	fflush(stderr);
	saved = dup(STDERR_FILENO);
	assert_true(saved >= 0);
	assert_true(dup2(fileno(tmp), STDERR_FILENO) >= 0);
	*ret = mt_validate(mt);
	fflush(stderr);
	assert_true(dup2(saved, STDERR_FILENO) >= 0);
	close(saved);

	size = ftell(tmp);
	assert_true(size >= 0);
	buf = calloc(1, (size_t)size + 1);
	assert_non_null(buf);
	rewind(tmp);
	assert_int_equal(fread(buf, 1, (size_t)size, tmp), (size_t)size);
	fclose(tmp);
	return buf;
}

/* mt_validate() must fail with a message containing @needle, then the dump. */
static void tb_expect_invalid(struct maple_tree *mt, const char *needle)
{
	int ret;
	char *msg = tb_validate_capture(mt, &ret);

	if (ret != -EINVAL || !strstr(msg, needle) ||
	    !strstr(msg, "maple_tree flags"))
		print_error("expected \"%s\", got:\n%s", needle, msg);
	assert_int_equal(ret, -EINVAL);
	assert_non_null(strstr(msg, needle));
	assert_non_null(strstr(msg, "mt_validate: "));
	assert_non_null(strstr(msg, "maple_tree flags"));
	free(msg);
}

static void tb_expect_valid(struct maple_tree *mt)
{
	int ret;
	char *msg = tb_validate_capture(mt, &ret);

	if (ret)
		print_error("%s", msg);
	assert_int_equal(ret, 0);
	assert_string_equal(msg, "");
	free(msg);
}

/* ---- validation: good trees ------------------------------------------ */

static void test_validate_good(void **state)
{
	long live = mt_nodes_live();
	struct maple_tree mt;

	(void)state;
	mt_init_flags(&mt, 0);
	tb_expect_valid(&mt);
	mt.ma_root = V(3);
	tb_expect_valid(&mt);
	mt.ma_root = (void *)&tb_objs[1];
	tb_expect_valid(&mt);
	mt.ma_root = NULL;

	tb_tree1(&mt);
	tb_expect_valid(&mt);
	tb_destroy(&mt);
	tb_tree2(&mt, false);
	tb_expect_valid(&mt);
	tb_destroy(&mt);
	tb_tree3(&mt, 0);
	tb_expect_valid(&mt);
	tb_destroy(&mt);
	tb_tree4(&mt);
	tb_expect_valid(&mt);
	tb_destroy(&mt);
	assert_int_equal(mt_nodes_live(), live);
}

/* A root leaf with a single slot is allowed. */
static void test_validate_root_leaf_one_slot(void **state)
{
	static const unsigned long last[] = { ULONG_MAX };
	void *const ent[] = { V(1) };
	long live = mt_nodes_live();
	struct maple_tree mt;

	(void)state;
	mt_init_flags(&mt, MT_FLAGS_ALLOC_RANGE);
	tb_set_root(&mt, tb_leaf(0, 1, last, ent), 1);
	tb_expect_valid(&mt);
	tb_destroy(&mt);
	assert_int_equal(mt_nodes_live(), live);
}

/* The builder's gaps match values worked out by hand. */
static void test_build_gaps(void **state)
{
	struct maple_tree mt;
	struct maple_node *root;

	(void)state;
	tb_tree2(&mt, false);
	root = mte_to_node(mte_safe_root(mt.ma_root));
	assert_int_equal(root->ma64.gap[0], 40);
	assert_int_equal(root->ma64.gap[1], 10);
	assert_true(root->ma64.gap[2] == TB2_GAP_C);
	assert_int_equal(root->ma64.meta.gap, 2);
	assert_int_equal(root->ma64.meta.end, 2);
	tb_destroy(&mt);
}

static void test_nr_nodes(void **state)
{
	struct maple_tree mt;

	(void)state;
	mt_init_flags(&mt, 0);
	assert_int_equal(mt_nr_nodes(&mt), 0);
	mt.ma_root = V(1);
	assert_int_equal(mt_nr_nodes(&mt), 0);
	mt.ma_root = NULL;
	tb_tree1(&mt);
	assert_int_equal(mt_nr_nodes(&mt), TB1_NODES);
	tb_destroy(&mt);
	tb_tree2(&mt, false);
	assert_int_equal(mt_nr_nodes(&mt), TB2_NODES);
	tb_destroy(&mt);
	tb_tree3(&mt, 0);
	assert_int_equal(mt_nr_nodes(&mt), TB3_NODES);
	tb_destroy(&mt);
	tb_tree4(&mt);
	assert_int_equal(mt_nr_nodes(&mt), TB4_NODES);
	tb_destroy(&mt);
}

/* ---- validation: one corruption per test ----------------------------- */

static void test_invalid_unsorted_pivot(void **state)
{
	struct maple_tree mt;
	struct maple_node *leaf;
	unsigned long tmp;

	(void)state;
	tb_tree4(&mt);
	leaf = tb_leaf_at(&mt, 1, 4);
	tmp = leaf->mr64.pivot[2];
	leaf->mr64.pivot[2] = leaf->mr64.pivot[3];
	leaf->mr64.pivot[3] = tmp;
	tb_expect_invalid(&mt, "offset 3: pivot");
	tb_expect_invalid(&mt, "not above pivot[2]");
	leaf->mr64.pivot[3] = leaf->mr64.pivot[2];
	leaf->mr64.pivot[2] = tmp;
	tb_expect_valid(&mt);
	tb_destroy(&mt);
}

static void test_invalid_pivot_below_min(void **state)
{
	struct maple_tree mt;
	struct maple_node *leaf;

	(void)state;
	tb_tree2(&mt, false);
	leaf = tb_root_child(&mt, 1);
	leaf->mr64.pivot[0] = 99;
	tb_expect_invalid(&mt, "below the node min");
	leaf->mr64.pivot[0] = 109;
	tb_expect_valid(&mt);
	tb_destroy(&mt);
}

static void test_invalid_last_pivot_not_max(void **state)
{
	struct maple_tree mt;
	struct maple_node *leaf;

	(void)state;
	tb_tree2(&mt, false);
	leaf = tb_root_child(&mt, 0);
	leaf->mr64.pivot[6] = 98;
	tb_expect_invalid(&mt, "not at the node max");
	leaf->mr64.pivot[6] = 99;
	tb_expect_valid(&mt);
	tb_destroy(&mt);
}

static void test_invalid_pivot_after_end(void **state)
{
	struct maple_tree mt;
	struct maple_node *leaf;

	(void)state;
	tb_tree2(&mt, false);
	leaf = tb_root_child(&mt, 0);
	leaf->mr64.pivot[10] = 5;
	tb_expect_invalid(&mt, "pivot 0x5 after end 6 is not 0");
	leaf->mr64.pivot[10] = 0;
	tb_expect_valid(&mt);
	tb_destroy(&mt);
}

static void test_invalid_wrong_gap(void **state)
{
	struct maple_tree mt;
	struct maple_node *root;

	(void)state;
	tb_tree2(&mt, false);
	root = mte_to_node(mte_safe_root(mt.ma_root));
	root->ma64.gap[1] = 11;
	tb_expect_invalid(&mt, "gap 11, but the child's largest gap is 10");
	root->ma64.gap[1] = 10;
	tb_expect_valid(&mt);
	tb_destroy(&mt);
}

/* A wrong gap two levels up: the internal child's gap is checked too. */
static void test_invalid_wrong_gap_internal(void **state)
{
	struct maple_tree mt;
	struct maple_node *root;
	unsigned long saved;

	(void)state;
	tb_tree3(&mt, 0);
	root = mte_to_node(mte_safe_root(mt.ma_root));
	saved = root->ma64.gap[0];
	root->ma64.gap[0] = saved + 1;
	tb_expect_invalid(&mt, "mt_validate: n0 (");
	tb_expect_invalid(&mt, "offset 0: gap");
	root->ma64.gap[0] = saved;
	tb_expect_valid(&mt);
	tb_destroy(&mt);
}

static void test_invalid_meta_gap(void **state)
{
	struct maple_tree mt;
	struct maple_node *root;

	(void)state;
	tb_tree2(&mt, false);
	root = mte_to_node(mte_safe_root(mt.ma_root));
	root->ma64.meta.gap = 0;
	tb_expect_invalid(&mt, "meta.gap 0 has gap 40");
	root->ma64.meta.gap = 5;
	tb_expect_invalid(&mt, "meta.gap 5 beyond end 2");
	root->ma64.meta.gap = 2;
	tb_expect_valid(&mt);
	tb_destroy(&mt);
}

static void test_invalid_gap_after_end(void **state)
{
	struct maple_tree mt;
	struct maple_node *root;

	(void)state;
	tb_tree2(&mt, false);
	root = mte_to_node(mte_safe_root(mt.ma_root));
	root->ma64.gap[4] = 7;
	tb_expect_invalid(&mt, "gap 7 after end 2 is not 0");
	root->ma64.gap[4] = 0;
	tb_expect_valid(&mt);
	tb_destroy(&mt);
}

static void test_invalid_parent_slot(void **state)
{
	struct maple_tree mt;
	struct maple_node *parent, *leaf;

	(void)state;
	tb_tree4(&mt);
	parent = tb_root_child(&mt, 2);
	leaf = tb_leaf_at(&mt, 2, 5);
	leaf->parent = mt_mk_parent(parent, 4);
	tb_expect_invalid(&mt, "slot 4), expected node");
	leaf->parent = mt_mk_parent(parent, 5);
	tb_expect_valid(&mt);
	/* An internal node pointing at the wrong parent. */
	parent->parent = mt_mk_parent(tb_root_child(&mt, 1), 2);
	tb_expect_invalid(&mt, "parent word");
	parent->parent = mt_mk_parent(mte_to_node(mte_safe_root(mt.ma_root)), 2);
	tb_expect_valid(&mt);
	tb_destroy(&mt);
}

static void test_invalid_root_parent(void **state)
{
	struct maple_tree mt, other;
	struct maple_node *root;

	(void)state;
	tb_tree1(&mt);
	mt_init_flags(&other, 0);
	root = mte_to_node(mte_safe_root(mt.ma_root));
	root->parent = mt_mk_root_parent(&other);
	tb_expect_invalid(&mt, "root parent word");
	root->parent = mt_mk_root_parent(&mt);
	tb_expect_valid(&mt);
	tb_destroy(&mt);
}

static void test_invalid_dead_node(void **state)
{
	struct maple_tree mt;
	struct maple_node *leaf;

	(void)state;
	tb_tree4(&mt);
	leaf = tb_leaf_at(&mt, 0, 6);
	ma_set_node_dead(leaf);
	tb_expect_invalid(&mt, "dead node");
	leaf->parent = mt_mk_parent(tb_root_child(&mt, 0), 6);
	tb_expect_valid(&mt);
	tb_destroy(&mt);
}

static void test_invalid_adjacent_nulls(void **state)
{
	struct maple_tree mt;
	struct maple_node *leaf;

	(void)state;
	tb_tree2(&mt, false);
	leaf = tb_root_child(&mt, 0);
	leaf->mr64.slot[2] = NULL;
	tb_expect_invalid(&mt, "offset 2: NULL slot next to NULL slot 1");
	leaf->mr64.slot[2] = V(30);
	tb_expect_valid(&mt);
	tb_destroy(&mt);
}

static void test_invalid_null_child(void **state)
{
	struct maple_tree mt;
	struct maple_node *root;
	void *saved;

	(void)state;
	tb_tree4(&mt);
	root = mte_to_node(mte_safe_root(mt.ma_root));
	saved = root->mr64.slot[1];
	root->mr64.slot[1] = NULL;
	tb_expect_invalid(&mt, "offset 1: NULL child");
	root->mr64.slot[1] = V(1);
	tb_expect_invalid(&mt, "is not an encoded node");
	root->mr64.slot[1] = saved;
	tb_expect_valid(&mt);
	tb_destroy(&mt);
}

static void test_invalid_leaf_holds_node(void **state)
{
	struct maple_tree mt;
	struct maple_node *leaf, *other;
	void *saved;

	(void)state;
	tb_tree4(&mt);
	leaf = tb_leaf_at(&mt, 1, 3);
	other = tb_leaf_at(&mt, 2, 7);
	saved = leaf->mr64.slot[0];
	leaf->mr64.slot[0] = mt_mk_node(other, maple_leaf_64);
	tb_expect_invalid(&mt, "leaf holds encoded node");
	leaf->mr64.slot[0] = xa_mk_internal(5000);
	tb_expect_invalid(&mt, "leaf holds node entry");
	/* Shaped like an encoded node but not one of ours: a user pointer. */
	leaf->mr64.slot[0] = (char *)&tb_objs[0] + 4;
	tb_expect_valid(&mt);
	leaf->mr64.slot[0] = saved;
	tb_expect_valid(&mt);
	tb_destroy(&mt);
}

static void test_invalid_underfull_leaf(void **state)
{
	struct maple_tree mt;

	(void)state;
	tb_tree2(&mt, true);
	tb_expect_invalid(&mt, "underfull: end 5 below the minimum 6");
	tb_expect_invalid(&mt, "mt_validate: n2 (");
	tb_destroy(&mt);
}

static void test_invalid_underfull_internal(void **state)
{
	static const unsigned char l0[] = { 7, 7, 7, 7 };
	static const unsigned char l1[] = { 7, 7, 7, 7, 7 };
	struct tb_cursor cur = { 0, 0 };
	struct maple_tree mt;
	struct tb_node kids[2];

	(void)state;
	mt_init_flags(&mt, MT_FLAGS_ALLOC_RANGE);
	kids[0] = tb_gen_parent(&mt, &cur, 4, l0, false);
	kids[1] = tb_gen_parent(&mt, &cur, 5, l1, true);
	tb_set_root(&mt, tb_internal(&mt, kids, 2), 3);
	tb_expect_invalid(&mt, "underfull: end 3 below the minimum 4");
	tb_destroy(&mt);
}

static void test_invalid_root_one_child(void **state)
{
	static const unsigned char l0[] = { 7, 7, 7, 7, 7 };
	struct tb_cursor cur = { 0, 0 };
	struct maple_tree mt;
	struct tb_node kid;

	(void)state;
	mt_init_flags(&mt, MT_FLAGS_ALLOC_RANGE);
	kid = tb_gen_parent(&mt, &cur, 5, l0, true);
	tb_set_root(&mt, tb_internal(&mt, &kid, 1), 3);
	tb_expect_invalid(&mt, "internal root has a single child");
	tb_destroy(&mt);
}

static void test_invalid_height(void **state)
{
	struct maple_tree mt;

	(void)state;
	tb_tree2(&mt, false);
	mt_set_height(&mt, 1);
	tb_expect_invalid(&mt, "arange_64 at depth 1: tree height 1 needs leaf_64");
	mt_set_height(&mt, 3);
	tb_expect_invalid(&mt, "leaf_64 at depth 2: tree height 3 needs arange_64");
	mt_set_height(&mt, 0);
	tb_expect_invalid(&mt, "root is a node but height is 0");
	mt_set_height(&mt, 2);
	tb_expect_valid(&mt);
	tb_destroy(&mt);

	mt_init_flags(&mt, 0);
	mt.ma_root = V(4);
	mt_set_height(&mt, 1);
	tb_expect_invalid(&mt, "no root node but height 1");
	mt.ma_root = NULL;
	tb_expect_invalid(&mt, "no root node but height 1");
}

static void test_invalid_node_type(void **state)
{
	struct maple_tree mt;
	struct maple_node *root;
	void *saved;

	(void)state;
	tb_tree3(&mt, 0);
	root = mte_to_node(mte_safe_root(mt.ma_root));
	saved = root->ma64.slot[1];
	root->ma64.slot[1] = mt_mk_node(mte_to_node(saved), maple_range_64);
	tb_expect_invalid(&mt, "range_64 at depth 2: tree height 3 needs arange_64");
	root->ma64.slot[1] = saved;
	tb_expect_valid(&mt);
	tb_destroy(&mt);
}

/* A child pointing back at the root: reported, and dumps stay finite. */
static void test_invalid_cycle(void **state)
{
	struct maple_tree mt;
	struct maple_node *parent;
	char *dump;
	void *saved;

	(void)state;
	tb_tree4(&mt);
	parent = tb_root_child(&mt, 0);
	saved = parent->mr64.slot[3];
	parent->mr64.slot[3] = mte_safe_root(mt.ma_root);
	tb_expect_invalid(&mt, "is a root parent, expected node");
	assert_int_equal(mt_nr_nodes(&mt), TB4_NODES - 1);
	dump = tb_dump(&mt, mt_dump_dec);
	assert_non_null(strstr(dump, "] cycle to 0x"));
	free(dump);
	dump = tb_dot(&mt);
	free(dump);
	parent->mr64.slot[3] = saved;
	tb_expect_valid(&mt);
	tb_destroy(&mt);
}

static void test_invalid_root_entry(void **state)
{
	struct maple_tree mt;

	(void)state;
	mt_init_flags(&mt, 0);
	mt.ma_root = XA_ZERO_ENTRY;
	tb_expect_invalid(&mt, "root holds internal entry");
	mt.ma_root = NULL;
	tb_expect_valid(&mt);
}

/* ---- dumps ----------------------------------------------------------- */

static void test_dump_golden_hex(void **state)
{
	static const char want[] =
		"maple_tree flags 0x4 height 1\n"
		"n0 leaf_64 [0x0, 0xffffffffffffffff] end 5\n"
		"  [0x0-0x9] NULL\n"
		"  [0xa-0xa] value 10\n"
		"  [0xb-0x13] zero\n"
		"  [0x14-0x1d] ptr 0x1000\n"
		"  [0x1e-0x27] internal 5\n"
		"  [0x28-0xffffffffffffffff] NULL\n";
	struct maple_tree mt;
	char *got;

	(void)state;
	tb_tree1(&mt);
	got = tb_dump(&mt, mt_dump_hex);
	assert_string_equal(got, want);
	free(got);
	tb_destroy(&mt);
}

static void test_dump_golden_dec(void **state)
{
	static const char want[] =
		"maple_tree flags 0x9 height 2\n"
		"n0 arange_64 [0, 18446744073709551615] end 2 gap_slot 2\n"
		"  [0-99] n1 gap 40\n"
		"  n1 leaf_64 [0, 99] end 6\n"
		"    [0-9] value 0\n"
		"    [10-29] NULL\n"
		"    [30-39] value 30\n"
		"    [40-44] NULL\n"
		"    [45-49] value 45\n"
		"    [50-89] NULL\n"
		"    [90-99] value 90\n"
		"  [100-199] n2 gap 10\n"
		"  n2 leaf_64 [100, 199] end 6\n"
		"    [100-109] NULL\n"
		"    [110-119] value 110\n"
		"    [120-124] NULL\n"
		"    [125-129] value 125\n"
		"    [130-139] NULL\n"
		"    [140-149] value 140\n"
		"    [150-199] value 150\n"
		"  [200-18446744073709551615] n3 gap 18446744073709551356\n"
		"  n3 leaf_64 [200, 18446744073709551615] end 7\n"
		"    [200-209] value 200\n"
		"    [210-214] NULL\n"
		"    [215-219] value 215\n"
		"    [220-229] NULL\n"
		"    [230-239] value 230\n"
		"    [240-249] NULL\n"
		"    [250-259] value 250\n"
		"    [260-18446744073709551615] NULL\n";
	struct maple_tree mt;
	char *got;

	(void)state;
	tb_tree2(&mt, false);
	got = tb_dump(&mt, mt_dump_dec);
	assert_string_equal(got, want);
	free(got);
	tb_destroy(&mt);
}

static void test_dump_no_nodes(void **state)
{
	struct maple_tree mt;
	char *got;

	(void)state;
	mt_init_flags(&mt, MT_FLAGS_ALLOC_RANGE);
	got = tb_dump(&mt, mt_dump_dec);
	assert_string_equal(got, "maple_tree flags 0x1 height 0\nroot NULL\n");
	free(got);
	mt.ma_root = V(42);
	got = tb_dump(&mt, mt_dump_hex);
	assert_string_equal(got,
			    "maple_tree flags 0x1 height 0\nroot [0x0-0x0] value 42\n");
	free(got);
}

/* Node lines are pre-order n0..n(N-1) and every node is printed once. */
static void test_dump_node_names(void **state)
{
	struct maple_tree mt;
	char name[32], *got, *line;
	unsigned long n = 0;

	(void)state;
	tb_tree4(&mt);
	got = tb_dump(&mt, mt_dump_hex);
	for (line = strtok(got, "\n"); line; line = strtok(NULL, "\n")) {
		const char *p = line + strspn(line, " ");

		if (*p != 'n')
			continue;
		snprintf(name, sizeof(name), "n%lu ", n);
		assert_memory_equal(p, name, strlen(name));
		n++;
	}
	assert_int_equal(n, TB4_NODES);
	free(got);
	mt_dump(&mt, mt_dump_dec);	/* smoke: to stdout */
	tb_destroy(&mt);
}

static void test_dump_write_error(void **state)
{
	struct maple_tree mt;
	FILE *full = fopen("/dev/full", "w");

	(void)state;
	if (!full)
		skip();
	tb_tree4(&mt);
	assert_int_equal(mt_dump_file(&mt, mt_dump_hex, full), -ENOSPC);
	clearerr(full);
	assert_int_equal(mt_dump_dot(&mt, full), -ENOSPC);
	fclose(full);
	tb_destroy(&mt);
}

static void tb_check_dot(const char *dot, unsigned long nodes)
{
	long depth = 0, quotes = 0;
	unsigned long edges = 0, i;
	const char *p;
	char name[64];

	assert_memory_equal(dot, "digraph maple_tree {\n", 21);
	assert_string_equal(dot + strlen(dot) - 2, "}\n");
	for (p = dot; *p; p++) {
		if (*p == '{')
			depth++;
		else if (*p == '}')
			depth--;
		else if (*p == '"')
			quotes++;
		assert_true(depth >= 0);
	}
	assert_int_equal(depth, 0);
	assert_int_equal(quotes % 2, 0);
	for (p = dot; (p = strstr(p, " -> ")); p++)
		edges++;
	assert_int_equal(edges, nodes ? nodes - 1 : 0);
	for (i = 0; i < nodes; i++) {
		snprintf(name, sizeof(name), "\tn%lu [label=\"{n%lu ", i, i);
		assert_non_null(strstr(dot, name));
	}
}

static void test_dump_dot(void **state)
{
	struct maple_tree mt;
	char *dot;

	(void)state;
	tb_tree4(&mt);
	dot = tb_dot(&mt);
	tb_check_dot(dot, TB4_NODES);
	assert_non_null(strstr(dot, "\tn0:s2 -> n"));
	free(dot);
	tb_destroy(&mt);

	tb_tree2(&mt, false);
	dot = tb_dot(&mt);
	tb_check_dot(dot, TB2_NODES);
	assert_non_null(strstr(dot, "\tn0:s1 -> n2;\n"));
	assert_non_null(strstr(dot, "<s1>10-29\\nNULL"));
	assert_non_null(strstr(dot, "<s0>0-99\\ngap 40"));
	free(dot);
	tb_destroy(&mt);

	mt_init_flags(&mt, 0);
	dot = tb_dot(&mt);
	tb_check_dot(dot, 0);
	assert_non_null(strstr(dot, "root NULL"));
	free(dot);
}

/* ---- destroy ---------------------------------------------------------- */

static void test_destroy(void **state)
{
	long live = mt_nodes_live();
	unsigned long freed;
	struct maple_tree mt;

	(void)state;
	tb_tree4(&mt);
	assert_int_equal(mt_nodes_live(), live + TB4_NODES);
	freed = mt.ma_stats.nodes_freed;
	tb_destroy(&mt);
	assert_null(mt.ma_root);
	assert_int_equal(mt_height(&mt), 0);
	assert_int_equal(mt.ma_flags, 0);
	assert_int_equal(mt.ma_stats.nodes_freed - freed, TB4_NODES);
	assert_int_equal(mt_nodes_live(), live);

	/* Attribute flags survive; the tree is empty and valid. */
	tb_tree3(&mt, MT_FLAGS_LOCK_BH);
	mtree_destroy(&mt);
	assert_null(mt.ma_root);
	assert_int_equal(mt.ma_flags, MT_FLAGS_ALLOC_RANGE | MT_FLAGS_LOCK_BH);
	tb_expect_valid(&mt);
	assert_int_equal(mt_nodes_live(), live);

	/* Nothing to free. */
	mt.ma_root = V(9);
	mtree_destroy(&mt);
	assert_null(mt.ma_root);
	mtree_destroy(&mt);
	assert_null(mt.ma_root);
	assert_int_equal(mt_nodes_live(), live);
}

static void test_destroy_rcu(void **state)
{
	long live = mt_nodes_live();
	struct maple_tree mt;

	(void)state;
	tb_tree3(&mt, MT_FLAGS_USE_RCU);
	tb_expect_valid(&mt);
	mtree_destroy(&mt);
	assert_null(mt.ma_root);
	assert_int_equal(mt.ma_flags, MT_FLAGS_ALLOC_RANGE | MT_FLAGS_USE_RCU);
	mt_rcu_barrier();
	assert_int_equal(mt_nodes_live(), live);
}

/*
 * Unlinked subtrees whose maximum is not ULONG_MAX: 15 children with
 * pivot[14] == max, 16 children, 7 children.
 */
static void test_destroy_walk_subtree(void **state)
{
	long live = mt_nodes_live();
	struct tb_cursor cur = { 1000, 5 };
	struct maple_tree mt;
	struct tb_node sub;
	struct maple_node *node;
	unsigned long freed;

	(void)state;
	mt_init_flags(&mt, 0);
	freed = mt.ma_stats.nodes_freed;
	sub = tb_gen_parent(&mt, &cur, 15, tb4_l1, false);
	node = mte_to_node(sub.enode);
	assert_true(node->mr64.pivot[14] == sub.max);
	assert_int_equal(node->mr64.meta.end, 14);
	assert_int_equal(mt_destroy_walk(&mt, sub.enode, false), 16);
	assert_int_equal(mt_nodes_live(), live);

	sub = tb_gen_parent(&mt, &cur, 16, tb4_l2, false);
	assert_true(sub.max != ULONG_MAX);
	assert_int_equal(mt_destroy_walk(&mt, sub.enode, true), 17);
	mt_rcu_barrier();
	assert_int_equal(mt_nodes_live(), live);

	sub = tb_gen_parent(&mt, &cur, 7, tb4_l0, false);
	assert_int_equal(mt_destroy_walk(&mt, sub.enode, false), 8);
	assert_int_equal(mt.ma_stats.nodes_freed - freed, 16 + 17 + 8);
	assert_int_equal(mt_nodes_live(), live);

	/* A bare leaf. */
	sub = tb_gen_leaf(&cur, 9, false);
	assert_int_equal(mt_destroy_walk(&mt, sub.enode, false), 1);
	assert_int_equal(mt_nodes_live(), live);
}

/* ---- dup -------------------------------------------------------------- */

/*
 * Compare the subtree under @a with its copy @b, whose parent word must
 * be @b_parent.
 */
static void tb_compare(struct maple_enode *a, struct maple_enode *b,
		       struct maple_pnode *b_parent, unsigned long max)
{
	struct maple_node *an = mte_to_node(a), *bn = mte_to_node(b);
	enum maple_type type = mte_node_type(a);
	struct maple_node ac, bc;
	unsigned char end, i;
	void **as, **bs;

	assert_ptr_not_equal(an, bn);
	assert_int_equal(mte_node_type(b), type);
	assert_ptr_equal(bn->parent, b_parent);
	end = ma_data_end(an, type, max);
	assert_int_equal(ma_data_end(bn, type, max), end);

	/* Byte for byte equal, but for the parent and the child pointers. */
	memcpy(&ac, an, sizeof(ac));
	memcpy(&bc, bn, sizeof(bc));
	ac.parent = bc.parent = NULL;
	if (!ma_is_leaf(type)) {
		as = ma_slots(&ac, type);
		bs = ma_slots(&bc, type);
		for (i = 0; i <= end; i++)
			as[i] = bs[i] = NULL;
	}
	assert_memory_equal(&ac, &bc, sizeof(ac));
	if (ma_is_leaf(type))
		return;

	as = ma_slots(an, type);
	bs = ma_slots(bn, type);
	for (i = 0; i <= end; i++)
		tb_compare(as[i], bs[i], mt_mk_parent(bn, i),
			   ma_slot_max(ma_pivots(an, type), i, end, max));
}

static void tb_compare_trees(struct maple_tree *src, struct maple_tree *copy)
{
	char *a, *b;

	assert_int_equal(copy->ma_flags, src->ma_flags);
	if (!xa_is_node(src->ma_root)) {
		assert_ptr_equal(copy->ma_root, src->ma_root);
		return;
	}
	assert_true(xa_is_node(copy->ma_root));
	tb_compare(mte_safe_root(src->ma_root), mte_safe_root(copy->ma_root),
		   mt_mk_root_parent(copy), ULONG_MAX);
	a = tb_dump(src, mt_dump_hex);
	b = tb_dump(copy, mt_dump_hex);
	assert_string_equal(a, b);
	free(a);
	free(b);
	assert_int_equal(mt_nr_nodes(copy), mt_nr_nodes(src));
}

static int tb_dup_locked(struct maple_tree *src, struct maple_tree *new)
{
	int ret;

	mtree_lock(new);
	mtree_lock(src);
	ret = __mt_dup(src, new, GFP_KERNEL);
	mtree_unlock(src);
	mtree_unlock(new);
	return ret;
}

/* Dup @src into a fresh tree, check the copy, destroy both. */
static void tb_dup_check(struct maple_tree *src, unsigned long nodes)
{
	long live = mt_nodes_live();
	unsigned long attempts = mt_alloc_attempts();
	unsigned long allocated, freed;
	struct maple_tree new;

	mt_init_flags(&new, mt_attr(src));
	allocated = new.ma_stats.nodes_allocated;
	freed = new.ma_stats.nodes_freed;
	assert_int_equal(tb_dup_locked(src, &new), 0);
	assert_int_equal(mt_alloc_attempts() - attempts, nodes);
	assert_int_equal(mt_nodes_live(), live + (long)nodes);
	assert_int_equal(new.ma_stats.nodes_allocated - allocated, nodes);
	assert_int_equal(new.ma_stats.nodes_freed - freed, 0);
	tb_compare_trees(src, &new);
	tb_expect_valid(&new);
	tb_expect_valid(src);
	tb_destroy(&new);
	tb_destroy(src);
	assert_int_equal(mt_nodes_live(), live - (long)nodes);
}

static void test_dup_shapes(void **state)
{
	long live = mt_nodes_live();
	struct maple_tree mt;

	(void)state;
	tb_tree1(&mt);
	tb_dup_check(&mt, TB1_NODES);
	tb_tree2(&mt, false);
	tb_dup_check(&mt, TB2_NODES);
	tb_tree3(&mt, 0);
	tb_dup_check(&mt, TB3_NODES);
	tb_tree3(&mt, MT_FLAGS_USE_RCU);
	tb_dup_check(&mt, TB3_NODES);
	tb_tree4(&mt);
	tb_dup_check(&mt, TB4_NODES);
	assert_int_equal(mt_nodes_live(), live);
}

static void test_dup_no_nodes(void **state)
{
	unsigned long attempts = mt_alloc_attempts();
	struct maple_tree mt, new;

	(void)state;
	mt_init_flags(&mt, MT_FLAGS_ALLOC_RANGE);
	mt_init_flags(&new, MT_FLAGS_ALLOC_RANGE);
	assert_int_equal(tb_dup_locked(&mt, &new), 0);
	assert_null(new.ma_root);
	assert_int_equal(new.ma_flags, mt.ma_flags);

	mt.ma_root = V(77);
	assert_int_equal(tb_dup_locked(&mt, &new), 0);
	assert_ptr_equal(new.ma_root, V(77));
	assert_int_equal(new.ma_flags, mt.ma_flags);
	assert_int_equal(mt_height(&new), 0);
	tb_expect_valid(&new);

	/* @new is no longer empty. */
	assert_int_equal(tb_dup_locked(&mt, &new), -EINVAL);
	assert_int_equal(mt_alloc_attempts(), attempts);
}

static void test_dup_einval(void **state)
{
	long live = mt_nodes_live();
	unsigned long attempts;
	struct maple_tree mt, new;

	(void)state;
	tb_tree3(&mt, 0);
	attempts = mt_alloc_attempts();

	mt_init_flags(&new, 0);
	assert_int_equal(tb_dup_locked(&mt, &new), -EINVAL);
	assert_null(new.ma_root);
	mt_init_flags(&new, MT_FLAGS_ALLOC_RANGE | MT_FLAGS_USE_RCU);
	assert_int_equal(tb_dup_locked(&mt, &new), -EINVAL);
	mt_init_flags(&new, MT_FLAGS_ALLOC_RANGE | MT_FLAGS_LOCK_IRQ);
	assert_int_equal(tb_dup_locked(&mt, &new), -EINVAL);
	assert_int_equal(mtree_dup(&mt, &new, GFP_KERNEL), -EINVAL);

	/* Same attributes but not empty. */
	mt_init_flags(&new, MT_FLAGS_ALLOC_RANGE);
	new.ma_root = V(1);
	assert_int_equal(tb_dup_locked(&mt, &new), -EINVAL);
	assert_ptr_equal(new.ma_root, V(1));
	assert_int_equal(mtree_dup(&mt, &new, GFP_KERNEL), -EINVAL);

	/* Into itself. */
	assert_int_equal(mtree_dup(&mt, &mt, GFP_KERNEL), -EINVAL);

	assert_int_equal(mt_alloc_attempts(), attempts);
	tb_expect_valid(&mt);
	tb_destroy(&mt);
	assert_int_equal(mt_nodes_live(), live);
}

static void test_mtree_dup(void **state)
{
	long live = mt_nodes_live();
	struct maple_tree mt, new;

	(void)state;
	tb_tree4(&mt);
	mt_init_flags(&new, 0);
	assert_int_equal(mtree_dup(&mt, &new, GFP_KERNEL), 0);
	tb_compare_trees(&mt, &new);
	tb_expect_valid(&new);
	mtree_destroy(&new);
	mtree_destroy(&mt);
	assert_int_equal(mt_nodes_live(), live);
}

/* Fail each allocation of a dup in turn: -ENOMEM, nothing leaked. */
static void tb_dup_faults(struct maple_tree *src, unsigned long nodes)
{
	unsigned long attempts = mt_alloc_attempts(), n, i;
	long live = mt_nodes_live();
	struct maple_tree new;

	mt_init_flags(&new, mt_attr(src));
	assert_int_equal(tb_dup_locked(src, &new), 0);
	n = mt_alloc_attempts() - attempts;
	assert_int_equal(n, nodes);
	tb_destroy(&new);
	assert_int_equal(mt_nodes_live(), live);

	for (i = 1; i <= n; i++) {
		unsigned long injected = mt_fault_injected();

		mt_init_flags(&new, mt_attr(src));
		mt_fault_fail_nth(MT_FAULT_ANY, i);
		assert_int_equal(tb_dup_locked(src, &new), -ENOMEM);
		mt_fault_clear();
		assert_int_equal(mt_fault_injected(), injected + 1);
		assert_null(new.ma_root);
		assert_true(mtree_empty(&new));
		assert_int_equal(mt_height(&new), 0);
		assert_int_equal(mt_nodes_live(), live);
		assert_int_equal(new.ma_stats.nodes_allocated,
				 new.ma_stats.nodes_freed);
		tb_expect_valid(&new);
	}

	/* The source is intact and a last dup works. */
	tb_expect_valid(src);
	mt_init_flags(&new, mt_attr(src));
	assert_int_equal(tb_dup_locked(src, &new), 0);
	tb_compare_trees(src, &new);
	tb_destroy(&new);
	tb_destroy(src);
}

static void test_dup_fault_injection(void **state)
{
	long live = mt_nodes_live();
	struct maple_tree mt;

	(void)state;
	tb_tree1(&mt);
	tb_dup_faults(&mt, TB1_NODES);
	tb_tree2(&mt, false);
	tb_dup_faults(&mt, TB2_NODES);
	tb_tree3(&mt, MT_FLAGS_USE_RCU);
	tb_dup_faults(&mt, TB3_NODES);
	tb_tree4(&mt);
	tb_dup_faults(&mt, TB4_NODES);
	mt_rcu_barrier();
	assert_int_equal(mt_nodes_live(), live);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_validate_good),
		cmocka_unit_test(test_validate_root_leaf_one_slot),
		cmocka_unit_test(test_build_gaps),
		cmocka_unit_test(test_nr_nodes),
		cmocka_unit_test(test_invalid_unsorted_pivot),
		cmocka_unit_test(test_invalid_pivot_below_min),
		cmocka_unit_test(test_invalid_last_pivot_not_max),
		cmocka_unit_test(test_invalid_pivot_after_end),
		cmocka_unit_test(test_invalid_wrong_gap),
		cmocka_unit_test(test_invalid_wrong_gap_internal),
		cmocka_unit_test(test_invalid_meta_gap),
		cmocka_unit_test(test_invalid_gap_after_end),
		cmocka_unit_test(test_invalid_parent_slot),
		cmocka_unit_test(test_invalid_root_parent),
		cmocka_unit_test(test_invalid_dead_node),
		cmocka_unit_test(test_invalid_adjacent_nulls),
		cmocka_unit_test(test_invalid_null_child),
		cmocka_unit_test(test_invalid_leaf_holds_node),
		cmocka_unit_test(test_invalid_underfull_leaf),
		cmocka_unit_test(test_invalid_underfull_internal),
		cmocka_unit_test(test_invalid_root_one_child),
		cmocka_unit_test(test_invalid_height),
		cmocka_unit_test(test_invalid_node_type),
		cmocka_unit_test(test_invalid_cycle),
		cmocka_unit_test(test_invalid_root_entry),
		cmocka_unit_test(test_dump_golden_hex),
		cmocka_unit_test(test_dump_golden_dec),
		cmocka_unit_test(test_dump_no_nodes),
		cmocka_unit_test(test_dump_node_names),
		cmocka_unit_test(test_dump_write_error),
		cmocka_unit_test(test_dump_dot),
		cmocka_unit_test(test_destroy),
		cmocka_unit_test(test_destroy_rcu),
		cmocka_unit_test(test_destroy_walk_subtree),
		cmocka_unit_test(test_dup_shapes),
		cmocka_unit_test(test_dup_no_nodes),
		cmocka_unit_test(test_dup_einval),
		cmocka_unit_test(test_mtree_dup),
		cmocka_unit_test(test_dup_fault_injection),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
