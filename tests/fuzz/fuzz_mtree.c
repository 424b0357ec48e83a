/* SPDX-License-Identifier: MIT */
/*
 * fuzz_mtree.c - the libFuzzer target of libmtree: it reads its input as a
 * program of tree operations, runs it against a real tree and against the
 * reference model of tests/mtree/model.c, and aborts on the first
 * difference.  Also, with MTREE_FUZZ_STANDALONE, a main() that replays
 * files and directories (the seed corpus under ctest, or a crash file
 * where libFuzzer is not available).
 *
 * DOC: Input format
 *
 * Byte 0 chooses the tree and the index window:
 *   bit 0	MT_FLAGS_ALLOC_RANGE
 *   bit 1	MT_FLAGS_USE_RCU
 *   bits 2-3	window base: 0, 1 << 20, 0x7f0000000000, ULONG_MAX + 1 - size
 *   bits 4-5	window size: 256, 1024, 4096, 16384
 *   bits 6-7	unused
 *
 * Then operations until the input ends (or FZ_MAX_OPS).  The low 5 bits of
 * an operation byte pick the operation from fz_op_table[]; the top 3 bits
 * are its variant v.  Operands follow; a read past the end gives 0s.
 *
 * Operand encodings:
 *   index  b < 0xc0: window base + (((b & 0x3f) << 8 | next byte) % size);
 *	    b < 0xf0: one of 16 special indices (0, 1, ULONG_MAX, the window
 *	    edges, ...; see fz_special()); else: 8 raw bytes, little endian.
 *   range  an index, then a span byte s: s < 0x80 1..16 indices;
 *	    s < 0xb0 17..4112 (one more byte); s < 0xc8 a huge power of two;
 *	    s < 0xf0 up to a second index (the two are sorted); s < 0xf8 up
 *	    to ULONG_MAX; else from 0 up to the index.  Lengths saturate at
 *	    ULONG_MAX.
 *   entry  b < 0x20 NULL (where NULL is allowed); odd: xa_mk_value(b >> 1);
 *	    even: a pointer to one of 64 static objects.
 *
 * Every operation checks its own results against the model and is followed
 * by mt_validate(), a full comparison of the tree with the model (a direct
 * walk of the leaves, fz_compare_nodes(); model_compare_tree(), which reads
 * through the public iterators, every FZ_API_EVERY operations and at the
 * end), a check that no preallocated store fell back to allocating and a
 * check of the tree's node accounting (nodes allocated - freed == nodes in
 * the tree).  At the end the trees are destroyed and, after
 * mt_rcu_barrier(), mt_nodes_live() must be back where it started.
 * Operations under fault injection must either succeed or fail with
 * -ENOMEM (then only if a fault was injected) and leave the tree equal to
 * the model.
 *
 * Set FUZZ_MTREE_TRACE=1 to print every operation as it runs; a failure
 * prints the last FZ_RING operations.  Nothing here depends on time or on a
 * global random generator: an input always runs the same way.
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mtree/alloc.h>
#include <mtree/maple_tree.h>
#include <mtree/rcu.h>

#include "model.h"
#include "node.h"		/* the node walk of fz_compare_nodes() */

#define FZ_MAX_OPS	4096	/* operations per input */
#define FZ_RING		64	/* operations remembered for a report */
#define FZ_NR_OBJS	64
#define FZ_API_EVERY	8	/* model_compare_tree() every N operations */

/*
 * Library bugs this fuzzer found, now fixed; their reproducers stay in
 * tests/fuzz/corpus (crash-*) and are checked strictly (FZ_KNOWN_BUGS 0):
 *
 * - mas_store() on a tree without nodes (empty, or a single entry at index
 *   0 kept in the root) returned an uninitialised value instead of the old
 *   entry.  (crash-mas-store-root-old)
 * - An iteration step from a state left stale by an in-place write through
 *   another state trusted the state's cached end offset, reporting a range
 *   running to the leaf's maximum; every write but an exact fit now bumps
 *   the tree's generation.  (crash-stale-iter-end)
 *
 * Build with -DFZ_KNOWN_BUGS=1 to tolerate them again (old libraries).
 */
#ifndef FZ_KNOWN_BUGS
#define FZ_KNOWN_BUGS	0
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Objects whose addresses serve as pointer entries (8-byte aligned). */
static long fz_objs[FZ_NR_OBJS];

struct fz_rec {
	unsigned long nr;	/* operation number */
	const char *what;
	unsigned long a, b, c;
	const void *entry;
	long ret;
};

struct fz {
	const uint8_t *data;
	size_t size;
	size_t pos;

	struct maple_tree trees[2];	/* the tree, and a dup target */
	struct maple_tree *mt;		/* the tree in use */
	unsigned int cur;		/* its index in trees[] */
	struct model m;

	unsigned long wbase;		/* index window */
	unsigned long wsize;
	bool rcu_seen;			/* RCU frees may be pending */
	bool trace;

	unsigned long nops;
	unsigned long nrecs;		/* records written to ring[] */
	struct fz_rec ring[FZ_RING];
};

static struct fz fz_state;

/* ---- failure reports --------------------------------------------------- */

static void fz_print_rec(const struct fz_rec *r)
{
	fprintf(stderr, "  #%lu %s(%lu, %lu, %lu, entry %p) -> %ld\n", r->nr,
		r->what, r->a, r->b, r->c, r->entry, r->ret);
}

static void fz_fail(struct fz *f, const char *fmt, ...)
	__attribute__((noreturn, format(printf, 2, 3)));

static void fz_fail(struct fz *f, const char *fmt, ...)
{
	unsigned long i;
	va_list ap;

	fprintf(stderr, "fuzz_mtree: FAILURE at operation %lu: ", f->nops);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nfuzz_mtree: tree flags 0x%x, height %u, window [%lu, +%lu)\n",
		f->mt->ma_flags, mt_height(f->mt), f->wbase, f->wsize);
	fprintf(stderr, "fuzz_mtree: last operations:\n");
	i = f->nrecs > FZ_RING ? f->nrecs - FZ_RING : 0;
	for (; i < f->nrecs; i++)
		fz_print_rec(&f->ring[i % FZ_RING]);
	model_dump(&f->m, 64);
	if (mt_nr_nodes(f->mt) < 64)
		mt_dump(f->mt, mt_dump_dec);
	abort();
}

#define FZ_CHECK(f, cond, ...)						\
	do {								\
		if (!(cond))						\
			fz_fail((f), __VA_ARGS__);			\
	} while (0)

/* Remember an operation before running it. */
static struct fz_rec *fz_note(struct fz *f, const char *what, unsigned long a,
			      unsigned long b, unsigned long c,
			      const void *entry)
{
	struct fz_rec *r = &f->ring[f->nrecs++ % FZ_RING];

	r->nr = f->nops;
	r->what = what;
	r->a = a;
	r->b = b;
	r->c = c;
	r->entry = entry;
	r->ret = 0;
	if (f->trace)
		fprintf(stderr, "op #%lu %s(%lu, %lu, %lu, entry %p)\n",
			f->nops, what, a, b, c, entry);
	return r;
}

static void fz_ret(struct fz *f, struct fz_rec *r, long ret)
{
	r->ret = ret;
	if (f->trace)
		fprintf(stderr, "    -> %ld\n", ret);
}

/* ---- decoding the input ------------------------------------------------ */

static uint8_t fz_u8(struct fz *f)
{
	return f->pos < f->size ? f->data[f->pos++] : 0;
}

static unsigned long fz_u16(struct fz *f)
{
	unsigned long lo = fz_u8(f);

	return lo | (unsigned long)fz_u8(f) << 8;
}

static unsigned long fz_u64(struct fz *f)
{
	unsigned long v = 0;
	int i;

	for (i = 0; i < 8; i++)
		v |= (unsigned long)fz_u8(f) << (8 * i);
	return v;
}

static unsigned long fz_special(const struct fz *f, unsigned int k)
{
	switch (k & 15) {
	case 0:
		return 0;
	case 1:
		return 1;
	case 2:
		return 2;
	case 3:
		return 15;
	case 4:
		return 16;
	case 5:
		return 255;
	case 6:
		return ULONG_MAX;
	case 7:
		return ULONG_MAX - 1;
	case 8:
		return ULONG_MAX - 15;
	case 9:
		return LONG_MAX;
	case 10:
		return (unsigned long)LONG_MAX + 1;
	case 11:
		return f->wbase - 1;
	case 12:
		return f->wbase;
	case 13:
		return f->wbase + f->wsize - 1;
	case 14:
		return f->wbase + f->wsize;
	default:
		return f->wbase + f->wsize / 2;
	}
}

static unsigned long fz_index(struct fz *f)
{
	uint8_t b = fz_u8(f);

	if (b < 0xc0) {
		unsigned long raw = (unsigned long)(b & 0x3f) << 8 | fz_u8(f);

		return f->wbase + raw % f->wsize;
	}
	if (b < 0xf0)
		return fz_special(f, b);
	return fz_u64(f);
}

static unsigned long fz_add_sat(unsigned long a, unsigned long n)
{
	return n > ULONG_MAX - a ? ULONG_MAX : a + n;
}

static void fz_range(struct fz *f, unsigned long *first, unsigned long *last)
{
	unsigned long a = fz_index(f), b, len;
	uint8_t s = fz_u8(f);

	if (s < 0x80) {
		len = 1 + (s & 0x0f);
	} else if (s < 0xb0) {
		len = 17 + ((unsigned long)(s & 0x0f) << 8 | fz_u8(f));
	} else if (s < 0xc8) {
		len = 1UL << (12 + 2 * (s - 0xb0));
	} else if (s < 0xf0) {
		b = fz_index(f);
		*first = a < b ? a : b;
		*last = a < b ? b : a;
		return;
	} else if (s < 0xf8) {
		*first = a;
		*last = ULONG_MAX;
		return;
	} else {
		*first = 0;
		*last = a;
		return;
	}
	*first = a;
	*last = fz_add_sat(a, len - 1);
}

static void *fz_entry(struct fz *f, bool may_be_null)
{
	uint8_t b = fz_u8(f);

	if (may_be_null && b < 0x20)
		return NULL;
	if (b & 1)
		return xa_mk_value(b >> 1);
	return &fz_objs[(b >> 1) % FZ_NR_OBJS];
}

/* An index inside an existing range most of the time. */
static unsigned long fz_used_index(struct fz *f)
{
	uint8_t b = fz_u8(f);
	const struct model_range *r;
	unsigned long k;

	if (b >= 0xc0 || !model_count(&f->m))
		return fz_index(f);
	k = fz_u16(f);
	r = model_at(&f->m, k % model_count(&f->m));
	switch (b & 3) {
	case 0:
		return r->first;
	case 1:
		return r->last;
	case 2:
		return r->first + (r->last - r->first) / 2;
	default:
		return fz_add_sat(r->first, b >> 2) > r->last ?
			r->last : r->first + (b >> 2);
	}
}

/* Upper limit of a forward walk starting at @start. */
static unsigned long fz_max(struct fz *f, unsigned long start)
{
	uint8_t b = fz_u8(f);

	switch (b & 3) {
	case 0:
		return ULONG_MAX;
	case 1:
		return fz_add_sat(start, b >> 2);
	case 2:
		return fz_add_sat(start, fz_u16(f));
	default:
		return fz_index(f);	/* may be below start */
	}
}

/* A tree that is one entry at index 0, kept in the root pointer. */
static bool fz_root_is_entry(const struct fz *f)
{
	return mt_height(f->mt) == 0 && !mtree_empty(f->mt);
}

/* Lower limit of a reverse walk starting at @start. */
static unsigned long fz_min(struct fz *f, unsigned long start)
{
	uint8_t b = fz_u8(f);
	unsigned long d;

	/* Linux returns a root entry whatever the lower limit: use 0. */
	if (fz_root_is_entry(f))
		return 0;
	switch (b & 3) {
	case 0:
		return 0;
	case 1:
		d = b >> 2;
		break;
	case 2:
		d = fz_u16(f);
		break;
	default:
		return fz_index(f);	/* may be above start */
	}
	return start > d ? start - d : 0;
}

static unsigned long fz_area_size(struct fz *f)
{
	uint8_t b = fz_u8(f);

	if (b < 0x80)
		return 1 + (b & 0x0f);
	if (b < 0xc0)
		return 1 + fz_u16(f) % 4096;
	if (b < 0xf0)
		return 1UL << (b % 64);
	switch (b & 3) {
	case 0:
		return 0;
	case 1:
		return ULONG_MAX;
	case 2:
		return ULONG_MAX - 1;
	default:
		return fz_u64(f);
	}
}

/* A search window; sometimes inverted or too small (-EINVAL). */
static void fz_window(struct fz *f, unsigned long *min, unsigned long *max)
{
	uint8_t b = fz_u8(f);

	*min = (b & 4) ? 0 : fz_index(f);
	switch (b & 3) {
	case 0:
		*max = ULONG_MAX;
		break;
	case 1:
		*max = fz_add_sat(*min, b >> 3);
		break;
	case 2:
		*max = fz_add_sat(*min, fz_u16(f));
		break;
	default:
		*max = fz_index(f);
		break;
	}
}

/* ---- locking ----------------------------------------------------------- */

static void fz_lock(struct fz *f)
{
	mtree_lock(f->mt);
}

static void fz_unlock(struct fz *f)
{
	mtree_unlock(f->mt);
}

/* Readers: rcu_read_lock() in RCU mode, the tree's lock otherwise. */
static bool fz_rlock(struct fz *f)
{
	bool rcu = mt_in_rcu(f->mt);

	if (rcu)
		mt_rcu_read_lock();
	else
		mtree_lock(f->mt);
	return rcu;
}

static void fz_runlock(struct fz *f, bool rcu)
{
	if (rcu)
		mt_rcu_read_unlock();
	else
		mtree_unlock(f->mt);
}

/* ---- whole-tree checks ------------------------------------------------- */

/*
 * The direct comparison: walk the nodes depth first and check that the leaf
 * slots, in order, are exactly the model's partition of the index space
 * (its ranges and the maximal NULL gaps between them).  It sees the same
 * contents as model_compare_tree() without an iterator's descent per step,
 * so it is cheap enough to run after every operation; model_compare_tree()
 * (the public read API) runs every FZ_API_EVERY operations and at the end.
 */
struct fz_cmp {
	const struct model *m;
	size_t i;		/* next model range */
	unsigned long next;	/* first index not yet compared */
	bool done;		/* ULONG_MAX was compared */
	bool bad;
};

static void fz_cmp_piece(struct fz *f, struct fz_cmp *c, unsigned long first,
			 unsigned long last, const void *entry)
{
	const struct model_range *r = model_at(c->m, c->i);
	unsigned long exp_last;
	const void *exp_entry;

	if (c->done) {
		fprintf(stderr, "compare: slot [%lu, %lu] %p after ULONG_MAX\n",
			first, last, entry);
		c->bad = true;
		return;
	}
	if (r && r->first == c->next) {
		exp_last = r->last;
		exp_entry = r->entry;
	} else {
		exp_last = r ? r->first - 1 : ULONG_MAX;
		exp_entry = NULL;
	}
	if (first != c->next || last != exp_last || entry != exp_entry) {
		fprintf(stderr,
			"compare: leaf slot [%lu, %lu] %p, model [%lu, %lu] %p\n",
			first, last, entry, c->next, exp_last, exp_entry);
		c->bad = true;
		return;
	}
	if (exp_entry)
		c->i++;
	if (last == ULONG_MAX)
		c->done = true;
	else
		c->next = last + 1;
}

static void fz_cmp_node(struct fz *f, struct fz_cmp *c,
			struct maple_enode *enode, unsigned long min,
			unsigned long max, unsigned int depth)
{
	struct maple_node *node = mte_to_node(enode);
	enum maple_type type = mte_node_type(enode);
	unsigned long *pivots = ma_pivots(node, type);
	void **slots = ma_slots(node, type);
	unsigned char end = ma_data_end(node, type, max), i;

	for (i = 0; i <= end && !c->bad; i++) {
		unsigned long first = ma_slot_min(pivots, i, min);
		unsigned long last = ma_slot_max(pivots, i, end, max);

		if (ma_is_leaf(type))
			fz_cmp_piece(f, c, first, last, slots[i]);
		else if (depth < MAPLE_HEIGHT_MAX && slots[i])
			fz_cmp_node(f, c, slots[i], first, last, depth + 1);
		else
			c->bad = true;	/* mt_validate() has said why */
	}
}

static int fz_compare_nodes(struct fz *f, struct maple_tree *mt)
{
	struct fz_cmp c = { .m = &f->m };
	void *root = mt->ma_root;

	if (!root) {
		fz_cmp_piece(f, &c, 0, ULONG_MAX, NULL);
	} else if (!xa_is_node(root)) {
		fz_cmp_piece(f, &c, 0, 0, root);
		if (!c.bad)
			fz_cmp_piece(f, &c, 1, ULONG_MAX, NULL);
	} else {
		fz_cmp_node(f, &c, mte_safe_root(root), 0, ULONG_MAX, 1);
	}
	if (!c.bad && (!c.done || c.i != model_count(&f->m))) {
		fprintf(stderr, "compare: the tree ends early (%zu of %zu ranges)\n",
			c.i, model_count(&f->m));
		c.bad = true;
	}
	return c.bad ? -1 : 0;
}

static unsigned long fz_sum(const unsigned long *v)
{
	unsigned long s = 0;
	int i;

	for (i = 0; i < MT_STORE_TYPES; i++)
		s += v[i];
	return s;
}

static void fz_check_tree(struct fz *f, struct maple_tree *mt,
			  const char *which, bool api)
{
	struct mt_stats s;
	unsigned long nodes;
	int ret;

	mtree_lock(mt);
	ret = mt_validate(mt);
	nodes = mt_nr_nodes(mt);
	mtree_unlock(mt);
	FZ_CHECK(f, ret == 0, "mt_validate(%s) = %d", which, ret);

	mtree_lock(mt);
	ret = fz_compare_nodes(f, mt);
	mtree_unlock(mt);
	FZ_CHECK(f, ret == 0, "%s differs from the model (%zu ranges)", which,
		 model_count(&f->m));
	if (api) {
		ret = model_compare_tree(&f->m, mt);
		FZ_CHECK(f, ret == 0,
			 "%s read through the API differs from the model (%zu ranges)",
			 which, model_count(&f->m));
	}

	mt_get_stats(mt, &s);
	FZ_CHECK(f, s.prealloc_fallbacks == 0,
		 "%s: a preallocated store ran short (%lu fallbacks)", which,
		 s.prealloc_fallbacks);
	FZ_CHECK(f, s.nodes_allocated - s.nodes_freed == nodes,
		 "%s: node accounting: %lu allocated - %lu freed != %lu in the tree",
		 which, s.nodes_allocated, s.nodes_freed, nodes);
}

static void fz_check(struct fz *f, bool api)
{
	if (mt_in_rcu(f->mt))
		f->rcu_seen = true;
	fz_check_tree(f, f->mt, "tree", api);
}

/* ---- fault injection --------------------------------------------------- */

struct fz_fault {
	bool on;
	unsigned long injected;	/* mt_fault_injected() before the op */
};

static void fz_fault_arm(struct fz *f, struct fz_fault *ft)
{
	static const unsigned int kinds[3] = {
		MT_FAULT_ANY, MT_FAULT_KERNEL, MT_FAULT_NOWAIT,
	};
	uint8_t b = fz_u8(f);

	ft->on = true;
	ft->injected = mt_fault_injected();
	mt_fault_fail_nth(kinds[(b >> 3) % 3], 1 + (b & 7));
}

/*
 * After an operation: was a fault injected?  An -ENOMEM without one, or a
 * fault swallowed by an operation that then claims success, is a bug.
 */
static bool fz_fault_done(struct fz *f, struct fz_fault *ft, int ret,
			  const char *what)
{
	bool fired;

	if (!ft->on) {
		FZ_CHECK(f, ret != -ENOMEM, "%s = -ENOMEM without fault injection",
			 what);
		return false;
	}
	mt_fault_clear();
	fired = mt_fault_injected() != ft->injected;
	FZ_CHECK(f, fired == (ret == -ENOMEM),
		 "%s = %d but a fault was %s injected", what, ret,
		 fired ? "" : "not");
	ft->on = false;
	return fired;
}

/* ---- writes ------------------------------------------------------------ */

/* Check the old entry mas_store() returned (see FZ_KNOWN_BUGS). */
static void fz_check_old(struct fz *f, const void *old, const void *exp,
			 bool had_nodes)
{
	if (FZ_KNOWN_BUGS && !had_nodes)
		return;
	FZ_CHECK(f, old == exp, "mas_store returned %p, model %p", old, exp);
}

enum fz_path {
	FZ_STORE_RANGE,		/* mtree_store_range / mtree_store */
	FZ_STORE_GFP,		/* mas_store_gfp */
	FZ_PREALLOC,		/* mas_preallocate + mas_store_prealloc */
	FZ_MAS_STORE,		/* mas_store without a reservation */
	FZ_PREALLOC_STORE,	/* mas_preallocate + mas_store + mas_destroy */
	FZ_PREALLOC_ABANDON,	/* mas_preallocate + mas_destroy: no write */
	FZ_NR_PATHS,
};

static const char *const fz_path_name[FZ_NR_PATHS] = {
	"mtree_store_range", "mas_store_gfp", "mas_store_prealloc",
	"mas_store", "mas_preallocate+mas_store", "mas_preallocate+destroy",
};

/*
 * Store @entry over [first, last] through @path, checking the return
 * values and the preallocation accounting.  With fault injection armed in
 * @ft the write may fail with -ENOMEM; then the model is left alone.
 */
static void fz_store(struct fz *f, enum fz_path path, unsigned long first,
		     unsigned long last, void *entry, struct fz_fault *ft)
{
	MA_STATE(mas, f->mt, first, last);
	void *old_exp = model_load(&f->m, first);
	bool had_nodes = mt_height(f->mt) != 0;
	struct mt_stats before, after;
	struct fz_rec *rec;
	bool write = true;
	void *old;
	int ret = 0;

	rec = fz_note(f, fz_path_name[path], first, last, ft->on, entry);
	mt_get_stats(f->mt, &before);
	switch (path) {
	case FZ_STORE_RANGE:
		if (first == last && (first & 1))
			ret = mtree_store(f->mt, first, entry, GFP_KERNEL);
		else
			ret = mtree_store_range(f->mt, first, last, entry,
						GFP_KERNEL);
		break;
	case FZ_STORE_GFP:
		fz_lock(f);
		ret = mas_store_gfp(&mas, entry, GFP_KERNEL);
		fz_unlock(f);
		FZ_CHECK(f, mas.alloc_count == 0,
			 "mas_store_gfp left %lu nodes on the state",
			 mas.alloc_count);
		break;
	case FZ_PREALLOC:
	case FZ_PREALLOC_STORE:
	case FZ_PREALLOC_ABANDON:
		fz_lock(f);
		ret = mas_preallocate(&mas, entry, GFP_KERNEL);
		if (ret) {
			FZ_CHECK(f, mas.alloc_count == 0,
				 "failed mas_preallocate kept %lu nodes",
				 mas.alloc_count);
			fz_unlock(f);
			break;
		}
		FZ_CHECK(f, mas.alloc_count == mas.node_request,
			 "mas_preallocate reserved %lu nodes for a request of %lu",
			 mas.alloc_count, mas.node_request);
		if (path == FZ_PREALLOC) {
			/* Re-setting the same range keeps the position. */
			if (first & 1)
				__mas_set_range(&mas, first, last);
			mas_store_prealloc(&mas, entry);
		} else if (path == FZ_PREALLOC_STORE) {
			/*
			 * mas_preallocate() widened a NULL write over its
			 * NULL neighbours: the old entry is the one at the
			 * widened index.
			 */
			old_exp = model_load(&f->m, mas.index);
			old = mas_store(&mas, entry);
			FZ_CHECK(f, !mas_is_err(&mas),
				 "preallocated mas_store failed (%d)",
				 mas.error);
			fz_check_old(f, old, old_exp, had_nodes);
			FZ_CHECK(f, mas.alloc_count == 0,
				 "preallocated mas_store left %lu of its nodes",
				 mas.alloc_count);
			mas_destroy(&mas);
		} else {
			mas_destroy(&mas);
			write = false;
		}
		FZ_CHECK(f, mas.alloc_count == 0 && !mas.alloc,
			 "nodes left on the state after the write");
		fz_unlock(f);
		break;
	case FZ_MAS_STORE:
		fz_lock(f);
		old = mas_store(&mas, entry);
		if (mas_is_err(&mas)) {
			ret = mas.error;
		} else {
			fz_check_old(f, old, old_exp, had_nodes);
		}
		FZ_CHECK(f, mas.alloc_count == 0,
			 "mas_store left %lu nodes on the state",
			 mas.alloc_count);
		fz_unlock(f);
		break;
	default:
		abort();
	}
	fz_ret(f, rec, ret);
	if (fz_fault_done(f, ft, ret, fz_path_name[path]))
		return;
	FZ_CHECK(f, ret == 0, "%s(%lu, %lu, %p) = %d", fz_path_name[path],
		 first, last, entry, ret);

	/* A preallocation is exact: all used, or all given back. */
	mt_get_stats(f->mt, &after);
	if (path == FZ_PREALLOC || path == FZ_PREALLOC_ABANDON) {
		unsigned long req = fz_sum(after.prealloc_requested) -
				    fz_sum(before.prealloc_requested);
		unsigned long used = fz_sum(after.prealloc_used) -
				     fz_sum(before.prealloc_used);
		unsigned long unused = after.prealloc_unused -
				       before.prealloc_unused;

		if (path == FZ_PREALLOC)
			FZ_CHECK(f, used == req && unused == 0,
				 "preallocation not exact: requested %lu, used %lu, unused %lu",
				 req, used, unused);
		else
			FZ_CHECK(f, used == 0 && unused == req,
				 "abandoned preallocation: requested %lu, used %lu, unused %lu",
				 req, used, unused);
	}
	if (write)
		model_store_range(&f->m, first, last, entry);
}

static enum fz_path fz_pick_path(uint8_t v)
{
	static const enum fz_path paths[8] = {
		FZ_STORE_RANGE, FZ_STORE_RANGE, FZ_STORE_GFP, FZ_PREALLOC,
		FZ_PREALLOC, FZ_MAS_STORE, FZ_PREALLOC_STORE,
		FZ_PREALLOC_ABANDON,
	};

	return paths[v & 7];
}

static void op_store(struct fz *f, uint8_t v, enum fz_path path)
{
	struct fz_fault ft = { 0 };
	unsigned long first, last;
	void *entry;

	fz_range(f, &first, &last);
	entry = fz_entry(f, true);
	fz_store(f, path, first, last, entry, &ft);
}

/* Overwrite one existing range (or gap) exactly: an exact fit. */
static void op_exact(struct fz *f, uint8_t v)
{
	struct fz_fault ft = { 0 };
	unsigned long first, last;
	void *entry;

	model_walk(&f->m, fz_used_index(f), &first, &last);
	entry = fz_entry(f, true);
	fz_store(f, fz_pick_path(v), first, last, entry, &ft);
}

/* The whole index space: a new root or an empty tree. */
static void op_full(struct fz *f, uint8_t v)
{
	struct fz_fault ft = { 0 };
	void *entry = fz_entry(f, true);

	fz_store(f, fz_pick_path(fz_u8(f)), 0, ULONG_MAX, entry, &ft);
}

static void fz_erase(struct fz *f, bool advanced, unsigned long index,
		     struct fz_fault *ft)
{
	void *exp = model_load(&f->m, index);
	const char *what = advanced ? "mas_erase" : "mtree_erase";
	struct fz_rec *rec = fz_note(f, what, index, 0, ft->on, exp);
	void *got;
	int ret = 0;

	if (advanced) {
		MA_STATE(mas, f->mt, index, index);

		fz_lock(f);
		got = mas_erase(&mas);
		if (mas_is_err(&mas))
			ret = mas.error;
		fz_unlock(f);
	} else {
		got = mtree_erase(f->mt, index);
		/* The normal API cannot tell -ENOMEM; see below. */
		if (!got && exp && ft->on)
			ret = -ENOMEM;
	}
	fz_ret(f, rec, ret);
	if (fz_fault_done(f, ft, ret, what)) {
		FZ_CHECK(f, !got, "%s(%lu) failed but returned %p", what,
			 index, got);
		return;
	}
	FZ_CHECK(f, got == exp, "%s(%lu) = %p, model %p", what, index, got,
		 exp);
	model_erase(&f->m, index, NULL, NULL);
}

static void op_erase(struct fz *f, uint8_t v)
{
	struct fz_fault ft = { 0 };

	fz_erase(f, v & 1, fz_used_index(f), &ft);
}

static void fz_insert(struct fz *f, unsigned long first, unsigned long last,
		      void *entry, struct fz_fault *ft)
{
	struct fz_rec *rec = fz_note(f, "mtree_insert_range", first, last,
				     ft->on, entry);
	int exp = model_overlaps(&f->m, first, last) ? -EEXIST : 0;
	int ret;

	if (first == last && (first & 1))
		ret = mtree_insert(f->mt, first, entry, GFP_KERNEL);
	else
		ret = mtree_insert_range(f->mt, first, last, entry, GFP_KERNEL);
	fz_ret(f, rec, ret);
	if (fz_fault_done(f, ft, ret, "mtree_insert_range")) {
		FZ_CHECK(f, exp == 0, "mtree_insert_range failed with -ENOMEM, model %d",
			 exp);
		return;
	}
	FZ_CHECK(f, ret == exp, "mtree_insert_range(%lu, %lu, %p) = %d, model %d",
		 first, last, entry, ret, exp);
	if (!ret)
		model_store_range(&f->m, first, last, entry);
}

static void op_insert(struct fz *f, uint8_t v)
{
	struct fz_fault ft = { 0 };
	unsigned long first, last;
	void *entry;

	fz_range(f, &first, &last);
	entry = fz_entry(f, v & 1);
	fz_insert(f, first, last, entry, &ft);
}

static void fz_alloc(struct fz *f, bool rev, unsigned long size,
		     unsigned long min, unsigned long max, void *entry,
		     struct fz_fault *ft)
{
	const char *what = rev ? "mtree_alloc_rrange" : "mtree_alloc_range";
	struct fz_rec *rec = fz_note(f, what, size, min, max, entry);
	unsigned long index = 0, last = 0, start = 0xdeadUL;
	int ret, exp;

	if (!(f->mt->ma_flags & MT_FLAGS_ALLOC_RANGE))
		exp = -EINVAL;
	else if (rev)
		exp = model_empty_area_rev(&f->m, min, max, size, &index, &last);
	else
		exp = model_empty_area(&f->m, min, max, size, &index, &last);
	if (rev)
		ret = mtree_alloc_rrange(f->mt, &start, entry, size, min, max,
					 GFP_KERNEL);
	else
		ret = mtree_alloc_range(f->mt, &start, entry, size, min, max,
					GFP_KERNEL);
	fz_ret(f, rec, ret);
	if (fz_fault_done(f, ft, ret, what)) {
		FZ_CHECK(f, exp == 0, "%s failed with -ENOMEM, model %d", what,
			 exp);
		return;
	}
	FZ_CHECK(f, ret == exp,
		 "%s(size %lu, min %lu, max %lu) = %d, model %d [%lu, %lu]",
		 what, size, min, max, ret, exp, index, last);
	if (ret)
		return;
	FZ_CHECK(f, start == index,
		 "%s(size %lu, min %lu, max %lu) started at %lu, model %lu",
		 what, size, min, max, start, index);
	model_store_range(&f->m, index, last, entry);
}

static void op_alloc(struct fz *f, uint8_t v)
{
	struct fz_fault ft = { 0 };
	unsigned long size = fz_area_size(f), min, max;
	void *entry;

	fz_window(f, &min, &max);
	entry = fz_entry(f, false);
	fz_alloc(f, v & 1, size, min, max, entry, &ft);
}

/*
 * Steps from a state that just wrote (or found) the range [mas->index,
 * mas->last], which is one piece of the model's partition: mas_next() and
 * mas_find() give the next entry after it, mas_prev() the one before.
 */
static void fz_state_iterate(struct fz *f, struct ma_state *mas, uint8_t b)
{
	unsigned long steps = b & 3, i;
	unsigned long cur_first = mas->index, cur_last = mas->last;
	const struct model_range *r;
	void *e;

	for (i = 0; i < steps; i++) {
		unsigned int how = (b >> (2 + 2 * i)) & 3;

		if (how == 2) {
			r = model_prev(&f->m, cur_first, 0);
			e = mas_prev(mas, 0);
		} else {
			r = model_next(&f->m, cur_last, ULONG_MAX);
			e = how ? mas_find(mas, ULONG_MAX) :
				  mas_next(mas, ULONG_MAX);
		}
		FZ_CHECK(f, r ? (e == r->entry && mas->index == r->first &&
				 mas->last == r->last) : !e,
			 "%s after [%lu, %lu] = %p [%lu, %lu], model %p [%lu, %lu]",
			 how == 2 ? "mas_prev" : how ? "mas_find" : "mas_next",
			 cur_first, cur_last, e, mas->index, mas->last,
			 r ? r->entry : NULL, r ? r->first : 0, r ? r->last : 0);
		if (!r)
			break;
		cur_first = r->first;
		cur_last = r->last;
	}
}

/*
 * Position a state with a read, then write through it several times,
 * re-setting the range with __mas_set_range(): the writes reuse the
 * position when it still holds the index.  Then step on from the last
 * write with mas_next()/mas_find()/mas_prev().
 */
static void op_state_store(struct fz *f, uint8_t v)
{
	unsigned long index = fz_used_index(f), first, last;
	unsigned int n = 1 + (v & 3), i;
	MA_STATE(mas, f->mt, index, index);
	const struct model_range *r;
	struct fz_rec *rec;
	bool piece = false;
	void *e, *exp;
	uint8_t b;
	int ret;

	rec = fz_note(f, (v & 4) ? "state:mas_find" : "state:mas_walk",
		      index, n, 0, NULL);
	fz_lock(f);
	if (v & 4) {
		r = model_find(&f->m, index, ULONG_MAX);
		e = mas_find(&mas, ULONG_MAX);
		FZ_CHECK(f, r ? (e == r->entry && mas.index == r->first &&
				 mas.last == r->last) : !e,
			 "mas_find(%lu) = %p [%lu, %lu], model %p [%lu, %lu]",
			 index, e, mas.index, mas.last, r ? r->entry : NULL,
			 r ? r->first : 0, r ? r->last : 0);
	} else {
		exp = model_walk(&f->m, index, &first, &last);
		e = mas_walk(&mas);
		FZ_CHECK(f, e == exp && mas.index == first && mas.last == last,
			 "mas_walk(%lu) = %p [%lu, %lu], model %p [%lu, %lu]",
			 index, e, mas.index, mas.last, exp, first, last);
	}
	fz_ret(f, rec, 0);

	for (i = 0; i < n; i++) {
		bool nowait, had_nodes;
		void *old, *old_exp;

		b = fz_u8(f);
		nowait = b & 0x20;
		first = mas.index;
		last = mas.last;
		if (b < 0x40) {
			/* The current range as it is. */
		} else if (b < 0x80) {
			first = fz_add_sat(first, b & 7);
			last = fz_add_sat(first, (b >> 3) & 7);
		} else {
			fz_range(f, &first, &last);
		}
		if (first > last) {
			unsigned long t = first;

			first = last;
			last = t;
		}
		e = fz_entry(f, true);
		old_exp = model_load(&f->m, first);
		had_nodes = mt_height(f->mt) != 0;
		rec = fz_note(f, nowait ? "state:mas_store" :
			      "state:mas_store_gfp", first, last, i, e);
		__mas_set_range(&mas, first, last);
		if (nowait) {
			old = mas_store(&mas, e);
			ret = mas_is_err(&mas) ? mas.error : 0;
			if (!ret)
				fz_check_old(f, old, old_exp, had_nodes);
		} else {
			ret = mas_store_gfp(&mas, e, GFP_KERNEL);
		}
		fz_ret(f, rec, ret);
		FZ_CHECK(f, ret == 0, "store through a positioned state = %d",
			 ret);
		model_store_range(&f->m, first, last, e);
		/*
		 * The state now holds the range written, NULL writes widened
		 * over their NULL neighbours (there is nothing to widen in a
		 * tree without nodes).
		 */
		exp = model_walk(&f->m, mas.index, &first, &last);
		piece = mas.index == first && mas.last == last;
		FZ_CHECK(f, piece || (!e && !had_nodes),
			 "after a store the state holds [%lu, %lu], model piece [%lu, %lu] %p",
			 mas.index, mas.last, first, last, exp);
	}

	/* Iterate on from there, as mas_for_each() + mas_store() code does. */
	b = fz_u8(f);
	if (piece)
		fz_state_iterate(f, &mas, b);
	fz_unlock(f);
}

/*
 * A state left stale by another state's write: position A, write through
 * B, then store or iterate through A without resetting it.  The library
 * promises this is safe (it walks again when the position is no longer
 * trustworthy): a store through A must land exactly, and whatever an
 * iteration step returns must be a real range of the current tree.
 */
static void op_stale(struct fz *f)
{
	unsigned long index = fz_used_index(f), first, last, i;
	uint8_t mode = fz_u8(f);
	MA_STATE(a, f->mt, index, index);
	struct fz_rec *rec;
	void *e, *exp;
	int ret;

	fz_note(f, "stale:position", index, mode, 0, NULL);
	fz_lock(f);
	e = (mode & 1) ? mas_walk(&a) : mas_find(&a, ULONG_MAX);
	(void)e;

	/* The other state's write. */
	fz_range(f, &first, &last);
	e = fz_entry(f, true);
	rec = fz_note(f, "stale:other write", first, last, 0, e);
	{
		MA_STATE(b, f->mt, first, last);

		ret = mas_store_gfp(&b, e, GFP_KERNEL);
	}
	fz_ret(f, rec, ret);
	FZ_CHECK(f, ret == 0, "mas_store_gfp(%lu, %lu) = %d", first, last, ret);
	model_store_range(&f->m, first, last, e);

	if (mode & 2) {
		/* Store through the stale state. */
		if (mode & 4) {
			first = a.index;
			last = a.last;
			if (first > last) {
				first = a.last;
				last = a.index;
			}
		} else {
			fz_range(f, &first, &last);
		}
		e = fz_entry(f, true);
		rec = fz_note(f, "stale:store", first, last, 0, e);
		__mas_set_range(&a, first, last);
		ret = mas_store_gfp(&a, e, GFP_KERNEL);
		fz_ret(f, rec, ret);
		FZ_CHECK(f, ret == 0, "mas_store_gfp through a stale state = %d",
			 ret);
		model_store_range(&f->m, first, last, e);
		fz_unlock(f);
		return;
	}

	/* Iterate from the stale state. */
	rec = fz_note(f, "stale:iterate", a.index, a.last, mode >> 3, NULL);
	for (i = 0; i < 1 + ((mode >> 3) & 3UL); i++) {
		switch ((mode >> 5) & 3) {
		case 0:
			e = mas_next(&a, ULONG_MAX);
			break;
		case 1:
			e = mas_prev(&a, 0);
			break;
		case 2:
			e = mas_find(&a, ULONG_MAX);
			break;
		default:
			e = mas_next_range(&a, ULONG_MAX);
			break;
		}
		if (!e && a.status != ma_active && a.status != ma_none)
			break;
		if (FZ_KNOWN_BUGS)
			continue;
		exp = model_walk(&f->m, a.index, &first, &last);
		FZ_CHECK(f, e == exp && a.index == first && a.last == last,
			 "stale iteration step %lu = %p [%lu, %lu], model %p [%lu, %lu]",
			 i, e, a.index, a.last, exp, first, last);
	}
	fz_unlock(f);
}

/* ---- reads ------------------------------------------------------------- */

static void fz_load_at(struct fz *f, unsigned long index)
{
	unsigned long first, last;
	void *exp = model_walk(&f->m, index, &first, &last);
	void *got = mtree_load(f->mt, index);
	MA_STATE(mas, f->mt, index, index);
	bool rcu;

	FZ_CHECK(f, got == exp, "mtree_load(%lu) = %p, model %p", index, got,
		 exp);
	rcu = fz_rlock(f);
	got = mas_walk(&mas);
	fz_runlock(f, rcu);
	FZ_CHECK(f, got == exp && mas.index == first && mas.last == last,
		 "mas_walk(%lu) = %p [%lu, %lu], model %p [%lu, %lu]", index,
		 got, mas.index, mas.last, exp, first, last);
}

static void op_load(struct fz *f, uint8_t v)
{
	unsigned long index = fz_used_index(f), first, last;

	fz_note(f, "load", index, 0, 0, NULL);
	fz_load_at(f, index);
	model_walk(&f->m, index, &first, &last);
	if (first)
		fz_load_at(f, first - 1);
	if (last != ULONG_MAX)
		fz_load_at(f, last + 1);
	if (v & 1) {
		MA_STATE(mas, f->mt, index, index);
		void *exp = model_load(&f->m, index), *got;
		bool rcu = fz_rlock(f);

		got = mas_load(&mas);
		fz_runlock(f, rcu);
		FZ_CHECK(f, got == exp, "mas_load(%lu) = %p, model %p", index,
			 got, exp);
	}
}

/* mt_find() then mt_find_after(), as mt_for_each() does. */
static void op_mt_find(struct fz *f, uint8_t v)
{
	unsigned long start = fz_index(f), max = fz_max(f, start);
	unsigned long index = start, before = start, i;
	unsigned long steps = 1 + (fz_u8(f) & 31);
	const struct model_range *r = model_find(&f->m, start, max);
	void *e;

	fz_note(f, "mt_find", start, max, steps, NULL);
	e = mt_find(f->mt, &index, max);
	for (i = 0;; i++) {
		if (!r) {
			FZ_CHECK(f, !e && index == before,
				 "mt_find(%lu, max %lu) step %lu = %p index %lu, model nothing",
				 before, max, i, e, index);
			break;
		}
		FZ_CHECK(f, e == r->entry && index == r->last + 1,
			 "mt_find(%lu, max %lu) step %lu = %p index %lu, model %p [%lu, %lu]",
			 before, max, i, e, index, r->entry, r->first, r->last);
		if (i == steps)
			break;
		r = index ? model_find(&f->m, index, max) : NULL;
		before = index;
		e = mt_find_after(f->mt, &index, max);
	}

	/* mt_next() and mt_prev() from the same place. */
	r = model_next(&f->m, start, max);
	e = mt_next(f->mt, start, max);
	FZ_CHECK(f, e == (r ? r->entry : NULL),
		 "mt_next(%lu, max %lu) = %p, model %p", start, max, e,
		 r ? r->entry : NULL);
	if (!fz_root_is_entry(f)) {
		unsigned long min = fz_min(f, start);

		r = model_prev(&f->m, start, min);
		e = mt_prev(f->mt, start, min);
		FZ_CHECK(f, e == (r ? r->entry : NULL),
			 "mt_prev(%lu, min %lu) = %p, model %p", start, min, e,
			 r ? r->entry : NULL);
	}
}

/* mas_find() or mas_next() forward walk, pausing now and then. */
static void op_mas_find(struct fz *f, uint8_t v)
{
	unsigned long start = fz_index(f), max = fz_max(f, start);
	unsigned long steps = 1 + (fz_u8(f) & 63), i;
	uint8_t pauses = fz_u8(f);
	bool use_next = v & 1;
	const char *what = use_next ? "mas_next" : "mas_find";
	MA_STATE(mas, f->mt, start, start);
	const struct model_range *r;
	bool rcu;
	void *e;

	fz_note(f, what, start, max, steps, NULL);
	r = use_next ? model_next(&f->m, start, max) :
		       model_find(&f->m, start, max);
	rcu = fz_rlock(f);
	for (i = 0; i < steps; i++) {
		e = use_next ? mas_next(&mas, max) : mas_find(&mas, max);
		if (!r) {
			FZ_CHECK(f, !e,
				 "%s(from %lu, max %lu) step %lu = %p [%lu, %lu], model nothing",
				 what, start, max, i, e, mas.index, mas.last);
			break;
		}
		FZ_CHECK(f, e == r->entry && mas.index == r->first &&
			 mas.last == r->last,
			 "%s(from %lu, max %lu) step %lu = %p [%lu, %lu], model %p [%lu, %lu]",
			 what, start, max, i, e, mas.index, mas.last, r->entry,
			 r->first, r->last);
		r = model_next(&f->m, r->last, max);
		if (pauses & (1u << (i & 7))) {
			mas_pause(&mas);
			fz_runlock(f, rcu);
			rcu = fz_rlock(f);
		}
	}
	fz_runlock(f, rcu);
}

/* mas_prev() or mas_find_rev() backward walk. */
static void op_rev(struct fz *f, uint8_t v)
{
	unsigned long start = fz_index(f), min = fz_min(f, start);
	unsigned long steps = 1 + (fz_u8(f) & 63), i;
	uint8_t pauses = fz_u8(f);
	bool use_prev = v & 1;
	const char *what = use_prev ? "mas_prev" : "mas_find_rev";
	MA_STATE(mas, f->mt, start, start);
	const struct model_range *r;
	bool rcu;
	void *e;

	fz_note(f, what, start, min, steps, NULL);
	r = use_prev ? model_prev(&f->m, start, min) :
		       model_find_rev(&f->m, start, min);
	rcu = fz_rlock(f);
	for (i = 0; i < steps; i++) {
		e = use_prev ? mas_prev(&mas, min) : mas_find_rev(&mas, min);
		if (!r) {
			FZ_CHECK(f, !e,
				 "%s(from %lu, min %lu) step %lu = %p [%lu, %lu], model nothing",
				 what, start, min, i, e, mas.index, mas.last);
			break;
		}
		FZ_CHECK(f, e == r->entry && mas.index == r->first &&
			 mas.last == r->last,
			 "%s(from %lu, min %lu) step %lu = %p [%lu, %lu], model %p [%lu, %lu]",
			 what, start, min, i, e, mas.index, mas.last, r->entry,
			 r->first, r->last);
		r = model_prev(&f->m, r->first, min);
		if (pauses & (1u << (i & 7))) {
			mas_pause(&mas);
			fz_runlock(f, rcu);
			rcu = fz_rlock(f);
		}
	}
	fz_runlock(f, rcu);
}

/*
 * Zig-zag: mas_find() to an entry, then mas_next()/mas_prev() as the
 * input says, stopping at the first end (what follows an overflow or
 * underflow is not modelled).
 */
static void op_zigzag(struct fz *f, uint8_t v)
{
	unsigned long start = fz_index(f);
	unsigned long max = (v & 1) ? ULONG_MAX : fz_max(f, start);
	unsigned long min = (v & 2) ? 0 : fz_min(f, start);
	unsigned long dirs = fz_u16(f), steps = 1 + (fz_u8(f) & 15), i;
	MA_STATE(mas, f->mt, start, start);
	const struct model_range *r;
	bool rcu;
	void *e;

	fz_note(f, "zigzag", start, min, max, NULL);
	r = model_find(&f->m, start, max);
	rcu = fz_rlock(f);
	e = mas_find(&mas, max);
	FZ_CHECK(f, r ? (e == r->entry && mas.index == r->first &&
			 mas.last == r->last) : !e,
		 "mas_find(%lu, max %lu) = %p [%lu, %lu], model %p [%lu, %lu]",
		 start, max, e, mas.index, mas.last, r ? r->entry : NULL,
		 r ? r->first : 0, r ? r->last : 0);
	/* A range found below min would make mas_prev() ill-defined. */
	for (i = 0; r && r->last >= min && i < steps; i++) {
		bool next = dirs & (1u << i);

		if (next) {
			r = model_next(&f->m, r->last, max);
			e = mas_next(&mas, max);
		} else {
			r = model_prev(&f->m, r->first, min);
			e = mas_prev(&mas, min);
		}
		FZ_CHECK(f, r ? (e == r->entry && mas.index == r->first &&
				 mas.last == r->last) : !e,
			 "zigzag step %lu %s(min %lu, max %lu) = %p [%lu, %lu], model %p [%lu, %lu]",
			 i, next ? "mas_next" : "mas_prev", min, max, e,
			 mas.index, mas.last, r ? r->entry : NULL,
			 r ? r->first : 0, r ? r->last : 0);
	}
	fz_runlock(f, rcu);
}

/*
 * Range walks, NULL ranges included: mas_find_range(), mas_next_range(),
 * mas_find_range_rev() or mas_prev_range().  Every range returned must be
 * one piece of the model's partition of the index space, each next to the
 * one before, and the walk must end exactly at the limit.  The first piece
 * may be the one holding the start or its neighbour (which one depends on
 * the call and on whether the start is in a gap, as in Linux).
 */
static void op_range_walk(struct fz *f, uint8_t v)
{
	static const char *const names[4] = {
		"mas_find_range", "mas_next_range", "mas_find_range_rev",
		"mas_prev_range",
	};
	unsigned long start = fz_index(f);
	bool fwd = !(v & 2);
	unsigned long limit = fwd ? fz_max(f, start) : fz_min(f, start);
	unsigned long steps = 1 + (fz_u8(f) & 31), i;
	unsigned long cf, cl, ef, el, prev_first = 0, prev_last = 0;
	const char *what = names[v & 3];
	MA_STATE(mas, f->mt, start, start);
	bool rcu, end;
	void *e, *exp;

	fz_note(f, what, start, limit, steps, NULL);
	/* The piece holding the start. */
	model_walk(&f->m, start, &cf, &cl);
	rcu = fz_rlock(f);
	for (i = 0; i < steps; i++) {
		switch (v & 3) {
		case 0:
			e = mas_find_range(&mas, limit);
			break;
		case 1:
			e = mas_next_range(&mas, limit);
			break;
		case 2:
			e = mas_find_range_rev(&mas, limit);
			break;
		default:
			e = mas_prev_range(&mas, limit);
			break;
		}
		end = mas.status == (fwd ? ma_overflow : ma_underflow);
		if (end) {
			FZ_CHECK(f, !e, "%s step %lu: %p at the end", what, i,
				 e);
			if (!i)
				break;	/* not modelled: see above */
			FZ_CHECK(f, fwd ? prev_last >= limit : prev_first <= limit,
				 "%s(from %lu, limit %lu) step %lu ended after [%lu, %lu]",
				 what, start, limit, i, prev_first, prev_last);
			break;
		}
		exp = model_walk(&f->m, mas.index, &ef, &el);
		FZ_CHECK(f, e == exp && mas.index == ef && mas.last == el,
			 "%s(from %lu, limit %lu) step %lu = %p [%lu, %lu], model piece %p [%lu, %lu]",
			 what, start, limit, i, e, mas.index, mas.last, exp,
			 ef, el);
		if (!i) {
			FZ_CHECK(f, ef == cf || (fwd ? ef == cl + 1 :
						 el == cf - 1),
				 "%s(from %lu) began at [%lu, %lu], start piece [%lu, %lu]",
				 what, start, ef, el, cf, cl);
		} else {
			FZ_CHECK(f, fwd ? ef == prev_last + 1 :
				 el == prev_first - 1,
				 "%s(from %lu) step %lu: [%lu, %lu] after [%lu, %lu]",
				 what, start, i, ef, el, prev_first, prev_last);
			FZ_CHECK(f, fwd ? prev_last < limit : prev_first > limit,
				 "%s(limit %lu) step %lu went past the limit: [%lu, %lu]",
				 what, limit, i, ef, el);
		}
		prev_first = ef;
		prev_last = el;
	}
	fz_runlock(f, rcu);
}

/* mas_empty_area() / mas_empty_area_rev(). */
static void op_area(struct fz *f, uint8_t v)
{
	unsigned long size = fz_area_size(f), min, max;
	unsigned long index = 0, last = 0;
	bool rev = v & 1;
	const char *what = rev ? "mas_empty_area_rev" : "mas_empty_area";
	MA_STATE(mas, f->mt, 0, 0);
	int ret, exp;
	bool rcu;

	fz_window(f, &min, &max);
	fz_note(f, what, min, max, size, NULL);
	exp = rev ? model_empty_area_rev(&f->m, min, max, size, &index, &last) :
		    model_empty_area(&f->m, min, max, size, &index, &last);
	rcu = fz_rlock(f);
	ret = rev ? mas_empty_area_rev(&mas, min, max, size) :
		    mas_empty_area(&mas, min, max, size);
	fz_runlock(f, rcu);
	FZ_CHECK(f, ret == exp,
		 "%s(min %lu, max %lu, size %lu) = %d, model %d [%lu, %lu]",
		 what, min, max, size, ret, exp, index, last);
	if (ret)
		return;
	FZ_CHECK(f, mas.index == index && mas.last == last,
		 "%s(min %lu, max %lu, size %lu) gave [%lu, %lu], model [%lu, %lu]",
		 what, min, max, size, mas.index, mas.last, index, last);
	/* Fill the area through the same state now and then. */
	if (v & 2) {
		void *entry = fz_entry(f, false);
		struct fz_rec *rec = fz_note(f, "store(area)", index, last, 0,
					     entry);

		fz_lock(f);
		ret = mas_store_gfp(&mas, entry, GFP_KERNEL);
		fz_unlock(f);
		fz_ret(f, rec, ret);
		FZ_CHECK(f, ret == 0, "mas_store_gfp into a found area = %d",
			 ret);
		model_store_range(&f->m, index, last, entry);
	}
}

/* ---- duplication ------------------------------------------------------- */

/*
 * Duplicate the tree.  Then either continue with the copy (the original is
 * destroyed), or write to the copy and check the original did not change.
 * Under fault injection the copy must fail cleanly: empty, nothing leaked.
 */
static void fz_dup(struct fz *f, uint8_t v, struct fz_fault *ft)
{
	struct maple_tree *dst = &f->trees[f->cur ^ 1];
	struct fz_rec *rec = fz_note(f, "mtree_dup", v, 0, ft->on, NULL);
	struct mt_stats s;
	int ret;

	mt_init_flags(dst, mt_attr(f->mt));
	ret = mtree_dup(f->mt, dst, GFP_KERNEL);
	fz_ret(f, rec, ret);
	if (mt_in_rcu(dst))
		f->rcu_seen = true;
	if (fz_fault_done(f, ft, ret, "mtree_dup")) {
		mt_get_stats(dst, &s);
		FZ_CHECK(f, mtree_empty(dst) && mt_height(dst) == 0,
			 "a failed mtree_dup left the copy non-empty");
		FZ_CHECK(f, s.nodes_allocated == s.nodes_freed,
			 "a failed mtree_dup leaked: %lu allocated, %lu freed",
			 s.nodes_allocated, s.nodes_freed);
		return;
	}
	FZ_CHECK(f, ret == 0, "mtree_dup() = %d", ret);
	fz_check_tree(f, dst, "copy", true);

	if (v & 1) {
		/* Carry on with the copy. */
		mtree_destroy(f->mt);
		f->cur ^= 1;
		f->mt = dst;
		return;
	}
	ret = mtree_store_range(dst, f->wbase, f->wbase + f->wsize / 4,
				xa_mk_value(0x7ff), GFP_KERNEL);
	FZ_CHECK(f, ret == 0, "store into the copy = %d", ret);
	mtree_lock(dst);
	ret = mt_validate(dst);
	mtree_unlock(dst);
	FZ_CHECK(f, ret == 0, "mt_validate(copy) after a store = %d", ret);
	mtree_destroy(dst);
}

static void op_dup(struct fz *f, uint8_t v)
{
	struct fz_fault ft = { 0 };

	fz_dup(f, v, &ft);
}

/* ---- operations under fault injection --------------------------------- */

static void op_fault(struct fz *f, uint8_t v)
{
	struct fz_fault ft = { 0 };
	unsigned long first, last, size, min, max;
	uint8_t sub = fz_u8(f);
	void *entry;

	fz_fault_arm(f, &ft);
	switch (sub & 7) {
	case 0:
	case 1:
		fz_range(f, &first, &last);
		entry = fz_entry(f, true);
		fz_store(f, fz_pick_path(sub >> 3), first, last, entry, &ft);
		break;
	case 2:
		/* Rebalancing and spanning NULL writes. */
		fz_range(f, &first, &last);
		fz_store(f, fz_pick_path(sub >> 3), first, last, NULL, &ft);
		break;
	case 3:
		fz_erase(f, sub & 8, fz_used_index(f), &ft);
		break;
	case 4:
		fz_range(f, &first, &last);
		entry = fz_entry(f, true);
		fz_insert(f, first, last, entry, &ft);
		break;
	case 5:
		size = fz_area_size(f);
		fz_window(f, &min, &max);
		entry = fz_entry(f, false);
		fz_alloc(f, sub & 8, size, min, max, entry, &ft);
		break;
	case 6:
		fz_dup(f, sub >> 3, &ft);
		break;
	default:
		entry = fz_entry(f, true);
		fz_store(f, fz_pick_path(sub >> 3), 0, ULONG_MAX, entry, &ft);
		break;
	}
	/* Operations that did not reach fz_fault_done() (none should). */
	if (ft.on)
		mt_fault_clear();
}

/* ---- miscellany -------------------------------------------------------- */

static void op_rcu_toggle(struct fz *f)
{
	fz_note(f, "rcu_toggle", mt_in_rcu(f->mt), 0, 0, NULL);
	if (mt_in_rcu(f->mt)) {
		mt_clear_in_rcu(f->mt);
		FZ_CHECK(f, !mt_in_rcu(f->mt), "mt_clear_in_rcu() kept the flag");
	} else {
		mt_set_in_rcu(f->mt);
		f->rcu_seen = true;
		FZ_CHECK(f, mt_in_rcu(f->mt), "mt_set_in_rcu() did not set it");
	}
}

/* Requests that must be refused without touching the tree. */
static void op_invalid(struct fz *f)
{
	unsigned long first = fz_index(f) | 1;
	struct maple_tree other;
	int ret;

	fz_note(f, "invalid", first, 0, 0, NULL);
	ret = mtree_store_range(f->mt, first, first - 1, xa_mk_value(1),
				GFP_KERNEL);
	FZ_CHECK(f, ret == -EINVAL, "mtree_store_range(%lu, %lu) = %d", first,
		 first - 1, ret);
	ret = mtree_insert_range(f->mt, first, first - 1, xa_mk_value(1),
				 GFP_KERNEL);
	FZ_CHECK(f, ret == -EINVAL, "mtree_insert_range(%lu, %lu) = %d", first,
		 first - 1, ret);
	ret = mtree_store_range(f->mt, first, first, XA_RETRY_ENTRY,
				GFP_KERNEL);
	FZ_CHECK(f, ret == -EINVAL, "mtree_store_range(XA_RETRY_ENTRY) = %d",
		 ret);
	{
		MA_STATE(mas, f->mt, first, first - 1);

		fz_lock(f);
		ret = mas_store_gfp(&mas, xa_mk_value(1), GFP_KERNEL);
		FZ_CHECK(f, ret == -EINVAL, "mas_store_gfp(inverted) = %d", ret);
		mas_set_range(&mas, first, first - 1);
		ret = mas_preallocate(&mas, xa_mk_value(1), GFP_KERNEL);
		FZ_CHECK(f, ret == -EINVAL, "mas_preallocate(inverted) = %d",
			 ret);
		mas_destroy(&mas);
		fz_unlock(f);
	}
	ret = mtree_dup(f->mt, f->mt, GFP_KERNEL);
	FZ_CHECK(f, ret == -EINVAL, "mtree_dup(mt, mt) = %d", ret);

	/* Attributes differ; then a target that is not empty. */
	mt_init_flags(&other, mt_attr(f->mt) ^ MT_FLAGS_ALLOC_RANGE);
	ret = mtree_dup(f->mt, &other, GFP_KERNEL);
	FZ_CHECK(f, ret == -EINVAL, "mtree_dup(different flags) = %d", ret);
	mt_init_flags(&other, mt_attr(f->mt));
	ret = mtree_store(&other, 5, xa_mk_value(5), GFP_KERNEL);
	FZ_CHECK(f, ret == 0, "mtree_store(other) = %d", ret);
	ret = mtree_dup(f->mt, &other, GFP_KERNEL);
	FZ_CHECK(f, ret == -EINVAL, "mtree_dup(non-empty target) = %d", ret);
	mtree_destroy(&other);
}

static void op_destroy(struct fz *f)
{
	fz_note(f, "mtree_destroy", model_count(&f->m), 0, 0, NULL);
	mtree_destroy(f->mt);
	model_clear(&f->m);
	FZ_CHECK(f, mtree_empty(f->mt) && mt_height(f->mt) == 0,
		 "mtree_destroy left a root");
}

/*
 * Many stores in one operation, so that short inputs reach heights 3 and 4:
 * n (up to 1024) ranges of len indices, gap apart, holding distinct values.
 */
static void op_bulk(struct fz *f)
{
	unsigned long first = fz_index(f), n = 1 + fz_u8(f), i;
	uint8_t shape = fz_u8(f), base = fz_u8(f);
	unsigned long len = 1 + (shape & 7), gap = (shape >> 3) & 15;
	int ret;

	if (shape & 0x80)
		n *= 4;
	fz_note(f, "bulk", first, n, len | gap << 8, xa_mk_value(base));
	for (i = 0; i < n; i++) {
		unsigned long last = fz_add_sat(first, len - 1);
		void *entry = xa_mk_value(base + i);

		ret = mtree_store_range(f->mt, first, last, entry, GFP_KERNEL);
		FZ_CHECK(f, ret == 0, "bulk store %lu: mtree_store_range(%lu, %lu) = %d",
			 i, first, last, ret);
		model_store_range(&f->m, first, last, entry);
		if (last > ULONG_MAX - 1 - gap)
			break;
		first = last + 1 + gap;
	}
}

static void op_misc(struct fz *f, uint8_t v)
{
	switch (v) {
	case 0:
		op_rcu_toggle(f);
		break;
	case 1:
	case 4:
		op_bulk(f);
		break;
	case 2:
		op_full(f, v);
		break;
	case 3:
		op_stale(f);
		break;
	case 5:
		op_invalid(f);
		break;
	case 6:
		op_destroy(f);
		break;
	default:
		op_exact(f, fz_u8(f));
		break;
	}
}

/* ---- the program ------------------------------------------------------- */

enum fz_op {
	OP_STORE_RANGE, OP_STORE_GFP, OP_STORE_PREALLOC, OP_MAS_STORE,
	OP_STATE_STORE, OP_EXACT, OP_ERASE, OP_INSERT, OP_ALLOC, OP_LOAD,
	OP_MT_FIND, OP_MAS_FIND, OP_REV, OP_ZIGZAG, OP_RANGE_WALK, OP_AREA,
	OP_FAULT, OP_DUP, OP_MISC,
};

/* Stores and erases take most slots so that trees grow and shrink. */
static const uint8_t fz_op_table[32] = {
	OP_STORE_RANGE, OP_STORE_RANGE, OP_RANGE_WALK,
	OP_STORE_GFP, OP_STORE_GFP,
	OP_STORE_PREALLOC, OP_STORE_PREALLOC, OP_STORE_PREALLOC,
	OP_MAS_STORE, OP_MAS_STORE,
	OP_STATE_STORE, OP_STATE_STORE,
	OP_EXACT,
	OP_ERASE, OP_ERASE, OP_ERASE,
	OP_INSERT, OP_INSERT,
	OP_ALLOC, OP_ALLOC,
	OP_LOAD, OP_MT_FIND, OP_MAS_FIND, OP_REV, OP_ZIGZAG,
	OP_AREA, OP_AREA,
	OP_FAULT, OP_FAULT, OP_FAULT,
	OP_DUP, OP_MISC,
};

static void fz_op(struct fz *f)
{
	uint8_t b = fz_u8(f), v = b >> 5;

	switch (fz_op_table[b & 31]) {
	case OP_STORE_RANGE:
		op_store(f, v, FZ_STORE_RANGE);
		break;
	case OP_STORE_GFP:
		op_store(f, v, FZ_STORE_GFP);
		break;
	case OP_STORE_PREALLOC:
		op_store(f, v, v == 7 ? FZ_PREALLOC_ABANDON :
			       v == 6 ? FZ_PREALLOC_STORE : FZ_PREALLOC);
		break;
	case OP_MAS_STORE:
		op_store(f, v, FZ_MAS_STORE);
		break;
	case OP_STATE_STORE:
		op_state_store(f, v);
		break;
	case OP_EXACT:
		op_exact(f, v);
		break;
	case OP_ERASE:
		op_erase(f, v);
		break;
	case OP_INSERT:
		op_insert(f, v);
		break;
	case OP_ALLOC:
		op_alloc(f, v);
		break;
	case OP_LOAD:
		op_load(f, v);
		break;
	case OP_MT_FIND:
		op_mt_find(f, v);
		break;
	case OP_MAS_FIND:
		op_mas_find(f, v);
		break;
	case OP_REV:
		op_rev(f, v);
		break;
	case OP_ZIGZAG:
		op_zigzag(f, v);
		break;
	case OP_RANGE_WALK:
		op_range_walk(f, v);
		break;
	case OP_AREA:
		op_area(f, v);
		break;
	case OP_FAULT:
		op_fault(f, v);
		break;
	case OP_DUP:
		op_dup(f, v);
		break;
	default:
		op_misc(f, v);
		break;
	}
}

static const unsigned long fz_wbases[4] = {
	0, 1UL << 20, 0x7f0000000000UL, 0,	/* 3: the top of the space */
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int trace = -1;
	struct fz *f = &fz_state;
	unsigned int flags;
	long live;

	if (!size)
		return 0;
	if (trace < 0) {
		const char *t = getenv("FUZZ_MTREE_TRACE");

		trace = t && *t && *t != '0';
	}

	memset(f, 0, sizeof(*f));
	f->data = data;
	f->size = size;
	f->pos = 1;
	f->trace = trace;
	flags = data[0];
	f->wsize = 256UL << (2 * ((flags >> 4) & 3));
	f->wbase = ((flags >> 2) & 3) == 3 ? ULONG_MAX - f->wsize + 1 :
					     fz_wbases[(flags >> 2) & 3];
	f->rcu_seen = flags & MT_FLAGS_USE_RCU;
	if (f->trace)
		fprintf(stderr, "fuzz_mtree: flags 0x%x, window [%lu, +%lu), %zu bytes\n",
			flags & (MT_FLAGS_ALLOC_RANGE | MT_FLAGS_USE_RCU),
			f->wbase, f->wsize, size);

	live = mt_nodes_live();
	mt_init_flags(&f->trees[0],
		      flags & (MT_FLAGS_ALLOC_RANGE | MT_FLAGS_USE_RCU));
	f->mt = &f->trees[0];
	f->cur = 0;
	model_init(&f->m);

	while (f->pos < f->size && f->nops < FZ_MAX_OPS) {
		fz_op(f);
		fz_check(f, f->nops % FZ_API_EVERY == FZ_API_EVERY - 1);
		f->nops++;
	}
	fz_check(f, true);
	if (f->trace)
		fprintf(stderr, "fuzz_mtree: %lu operations, %zu ranges, height %u, %lu nodes\n",
			f->nops, model_count(&f->m), mt_height(f->mt),
			mt_nr_nodes(f->mt));

	mtree_destroy(f->mt);
	if (f->rcu_seen)
		mt_rcu_barrier();
	FZ_CHECK(f, mt_nodes_live() == live,
		 "leak: %ld nodes live at the start, %ld at the end", live,
		 mt_nodes_live());
	model_destroy(&f->m);
	return 0;
}

#ifdef MTREE_FUZZ_STANDALONE
/*
 * Replay without libFuzzer: every file named on the command line, and every
 * regular file in every directory named (not recursively), in the order
 * given (directory entries sorted by name).
 */
#include <dirent.h>
#include <sys/stat.h>

static int fz_run_file(const char *path)
{
	uint8_t *buf = NULL;
	size_t len = 0, cap = 0, n;
	FILE *fp = fopen(path, "rb");

	if (!fp) {
		perror(path);
		return -1;
	}
	for (;;) {
		if (len == cap) {
			uint8_t *nb;

			cap = cap ? 2 * cap : 4096;
			nb = realloc(buf, cap);
			if (!nb) {
				fprintf(stderr, "%s: out of memory\n", path);
				free(buf);
				fclose(fp);
				return -1;
			}
			buf = nb;
		}
		n = fread(buf + len, 1, cap - len, fp);
		if (!n)
			break;
		len += n;
	}
	if (ferror(fp)) {
		perror(path);
		free(buf);
		fclose(fp);
		return -1;
	}
	fclose(fp);
	LLVMFuzzerTestOneInput(buf, len);
	free(buf);
	return 0;
}

static int fz_cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int fz_run_dir(const char *dir, unsigned long *count)
{
	char **names = NULL;
	size_t nr = 0, cap = 0, i;
	struct dirent *de;
	DIR *d = opendir(dir);
	int ret = 0;

	if (!d) {
		perror(dir);
		return -1;
	}
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		if (nr == cap) {
			char **nn;

			cap = cap ? 2 * cap : 64;
			nn = realloc(names, cap * sizeof(*names));
			if (!nn) {
				ret = -1;
				break;
			}
			names = nn;
		}
		names[nr] = malloc(strlen(dir) + strlen(de->d_name) + 2);
		if (!names[nr]) {
			ret = -1;
			break;
		}
		sprintf(names[nr], "%s/%s", dir, de->d_name);
		nr++;
	}
	closedir(d);
	if (nr)
		qsort(names, nr, sizeof(*names), fz_cmp_names);
	for (i = 0; i < nr; i++) {
		struct stat st;

		if (!ret && !stat(names[i], &st) && S_ISREG(st.st_mode)) {
			fprintf(stderr, "fuzz_mtree: %s\n", names[i]);
			if (fz_run_file(names[i]))
				ret = -1;
			else
				(*count)++;
		}
		free(names[i]);
	}
	free(names);
	return ret;
}

int main(int argc, char **argv)
{
	unsigned long count = 0;
	int i, ret = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: %s FILE|DIR...\n", argv[0]);
		return 2;
	}
	for (i = 1; i < argc; i++) {
		struct stat st;

		if (stat(argv[i], &st)) {
			perror(argv[i]);
			ret = 1;
		} else if (S_ISDIR(st.st_mode)) {
			if (fz_run_dir(argv[i], &count))
				ret = 1;
		} else {
			fprintf(stderr, "fuzz_mtree: %s\n", argv[i]);
			if (fz_run_file(argv[i]))
				ret = 1;
			else
				count++;
		}
	}
	printf("fuzz_mtree: %lu inputs replayed, no failure\n", count);
	if (!count)
		ret = 1;
	return ret;
}
#endif /* MTREE_FUZZ_STANDALONE */
