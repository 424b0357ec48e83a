/* SPDX-License-Identifier: MIT */
/*
 * test_random.c - randomized differential test of libmtree against the
 * reference model of model.c.
 *
 * Several phases, each on its own tree (normal, allocation-range, RCU mode,
 * allocation-range in RCU mode with the mode flipped now and then), run a
 * seeded stream of mixed operations: stores through every write path
 * (mtree_store_range, mas_preallocate + mas_store_prealloc, mas_store_gfp),
 * erases, inserts, loads, forward and reverse walks, gap searches and
 * allocations, and occasional duplications.  Every result is checked
 * against the model at once; every 1000 operations the whole tree
 * is validated and compared.  The tree is driven up to ~20k ranges and back
 * down to nothing again and again, so heights vary from 0 to 4 or more and
 * every store type happens.  A final test checks the statistics: no
 * preallocated store ran short (prealloc_fallbacks == 0), every store type
 * happened, and no node leaked.
 *
 * Environment:
 *   VMASIM_RANDOM_OPS  total number of operations (default DEFAULT_OPS)
 *   VMASIM_SEED        seed (default DEFAULT_SEED); decimal or 0x-hex
 *   VMASIM_RANDOM_VALIDATE  validate and compare every N operations
 *                      (default DEFAULT_VALIDATE_EVERY; 1 finds the exact
 *                      operation that broke the tree)
 * A failure prints the seed, the phase, the operation number and the last
 * writes; rerun with the same variables to reproduce it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mtree/alloc.h>
#include <mtree/maple_tree.h>
#include <mtree/rcu.h>

#include "model.h"

#define DEFAULT_OPS		1200000UL
#define DEFAULT_SEED		0x5eed2025UL
#define DEFAULT_VALIDATE_EVERY	1000UL
#define HISTORY			16	/* writes remembered for reports */
#define DUP_EVERY		25000UL
#define RCU_TOGGLE_EVERY	5000UL
#define COVERAGE_MIN_OPS	100000UL	/* below this, coverage is not asserted */
#define WINDOW			200000UL	/* where most indices fall */
#define NR_OBJS			256

/* ---- PRNG: xoshiro256** seeded through splitmix64 ------------------ */

struct rng {
	uint64_t s[4];
};

static uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static void rng_seed(struct rng *r, uint64_t seed)
{
	int i;

	for (i = 0; i < 4; i++)
		r->s[i] = splitmix64(&seed);
}

static inline uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

static uint64_t rng_next(struct rng *r)
{
	uint64_t *s = r->s;
	uint64_t result = rotl(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return result;
}

/* Uniform in [0, n), n > 0 (the tiny modulo bias does not matter here). */
static unsigned long rng_below(struct rng *r, unsigned long n)
{
	return (unsigned long)(rng_next(r) % n);
}

/* Uniform in [lo, hi]. */
static unsigned long rng_between(struct rng *r, unsigned long lo,
				 unsigned long hi)
{
	if (hi - lo == ULONG_MAX)
		return (unsigned long)rng_next(r);
	return lo + rng_below(r, hi - lo + 1);
}

/* True with probability num/den. */
static bool rng_chance(struct rng *r, unsigned long num, unsigned long den)
{
	return rng_below(r, den) < num;
}

/* ---- run state, failure reporting ---------------------------------- */

struct phase_def {
	const char *name;
	unsigned int flags;
	unsigned int permille;	/* share of the total operations */
	bool toggle_rcu;	/* flip RCU mode every RCU_TOGGLE_EVERY ops */
};

static const struct phase_def phase_defs[] = {
	{ "normal", 0, 350, false },
	{ "alloc", MT_FLAGS_ALLOC_RANGE, 300, false },
	{ "rcu", MT_FLAGS_USE_RCU, 200, false },
	{ "alloc-rcu-toggle", MT_FLAGS_ALLOC_RANGE | MT_FLAGS_USE_RCU, 150,
	  true },
};
#define NR_PHASES (sizeof(phase_defs) / sizeof(phase_defs[0]))

/* Targets for the number of ranges, cycled through epoch by epoch. */
static const unsigned long targets[] = {
	2000, 20000, 0, 500, 8000, 40, 20000, 0, 150, 5000, 12,
};
#define NR_TARGETS (sizeof(targets) / sizeof(targets[0]))

static struct {
	uint64_t seed;
	unsigned long total_ops;
	unsigned long validate_every;
	long nodes_live_start;
	struct mt_stats sum;		/* accumulated from every phase tree */
	unsigned long ops_done;
	unsigned int max_height;
} run;

/* One remembered write, for failure reports. */
struct write_rec {
	unsigned long op;
	unsigned long first, last;
	void *entry;
	const char *how;
};

/* Per-phase state: the tree, its model and the generator. */
struct ctx {
	const struct phase_def *def;
	struct maple_tree mt;
	struct model m;
	struct rng rng;
	unsigned long op;		/* operation number within the phase */
	unsigned long target;		/* wanted number of ranges */
	int rcu_depth;			/* our mt_rcu_read_lock() nesting */
	bool locked;			/* we hold the tree's lock */
	unsigned int max_height;
	unsigned long nr_max;
	unsigned long ops_by_kind[16];
	struct write_rec hist[HISTORY];	/* ring of the last writes */
	unsigned long nr_hist;
};

static void remember(struct ctx *c, const char *how, unsigned long first,
		     unsigned long last, void *entry)
{
	struct write_rec *w = &c->hist[c->nr_hist++ % HISTORY];

	w->op = c->op;
	w->first = first;
	w->last = last;
	w->entry = entry;
	w->how = how;
}

static long objs[NR_OBJS];

static void rlock(struct ctx *c)
{
	mt_rcu_read_lock();
	c->rcu_depth++;
}

static void runlock(struct ctx *c)
{
	c->rcu_depth--;
	mt_rcu_read_unlock();
}

static void tlock(struct ctx *c)
{
	mtree_lock(&c->mt);
	c->locked = true;
}

static void tunlock(struct ctx *c)
{
	c->locked = false;
	mtree_unlock(&c->mt);
}

static void report(struct ctx *c, int line, const char *cond,
		   const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void report(struct ctx *c, int line, const char *cond,
		   const char *fmt, ...)
{
	unsigned long i;
	va_list ap;

	/* Leave the read side and the lock so later tests can still run. */
	while (c->rcu_depth > 0)
		runlock(c);
	if (c->locked)
		tunlock(c);

	fprintf(stderr,
		"random: FAILED in phase %s at phase op %lu (run op %lu), seed %" PRIu64 " (0x%" PRIx64 "), line %d: %s\n  ",
		c->def->name, c->op, run.ops_done + c->op, run.seed, run.seed,
		line, cond);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr,
		"\n  reproduce with VMASIM_SEED=%" PRIu64 " VMASIM_RANDOM_OPS=%lu (VMASIM_RANDOM_VALIDATE=1 stops at the first bad write)\n",
		run.seed, run.total_ops);
	fprintf(stderr, "  last writes (phase op, how, range, entry):\n");
	for (i = c->nr_hist > HISTORY ? c->nr_hist - HISTORY : 0;
	     i < c->nr_hist; i++) {
		const struct write_rec *w = &c->hist[i % HISTORY];

		fprintf(stderr, "    %lu %s [%lu, %lu] %p\n", w->op, w->how,
			w->first, w->last, w->entry);
	}
	if (model_count(&c->m) <= 64) {
		model_dump(&c->m, 64);
		mt_dump(&c->mt, mt_dump_dec);
	}
	fflush(stderr);
	fail_msg("random test failed (seed %" PRIu64 ", phase %s, op %lu)",
		 run.seed, c->def->name, c->op);
}

#define CHECK(c, cond, ...)						\
	do {								\
		if (!(cond))						\
			report((c), __LINE__, #cond, __VA_ARGS__);	\
	} while (0)

/* ---- choosing indices, spans and entries ----------------------------- */

/* Growth mode decides the mix of span sizes and of NULL stores. */
enum mode { GROW, STEADY, SHRINK };

static enum mode cur_mode(const struct ctx *c)
{
	unsigned long nr = model_count(&c->m);

	if (nr + nr / 8 < c->target)
		return GROW;
	if (nr > c->target + c->target / 8 + 8)
		return SHRINK;
	return STEADY;
}

static unsigned long pick_index(struct ctx *c)
{
	unsigned long p = rng_below(&c->rng, 1000);

	if (p < 900)
		return rng_below(&c->rng, WINDOW);
	if (p < 930)
		return rng_below(&c->rng, 16);
	if (p < 960)
		return ULONG_MAX - rng_below(&c->rng, 16);
	if (p < 980 && model_count(&c->m)) {
		/* At or beside the edge of an existing range. */
		const struct model_range *r =
			model_at(&c->m, rng_below(&c->rng, model_count(&c->m)));

		switch (rng_below(&c->rng, 4)) {
		case 0:
			return r->first;
		case 1:
			return r->last;
		case 2:
			return r->first ? r->first - 1 : 0;
		default:
			return r->last + (r->last != ULONG_MAX);
		}
	}
	return (unsigned long)rng_next(&c->rng);
}

/* Span length (number of indices) of a store. */
static unsigned long pick_span(struct ctx *c)
{
	unsigned long p = rng_below(&c->rng, 10000);
	unsigned long small, medium, large;

	switch (cur_mode(c)) {
	case GROW:
		/* Large spans would wipe out the growth: none. */
		small = 9950, medium = 10000, large = 10000;
		break;
	case SHRINK:
		small = 5000, medium = 8000, large = 9500;
		break;
	default:
		small = 8500, medium = 9500, large = 9900;
		break;
	}
	if (p < small)
		return rng_between(&c->rng, 1, 16);
	if (p < medium)
		return rng_between(&c->rng, 17, 1000);
	if (p < large)
		return rng_between(&c->rng, 1001, 100000);
	if (rng_chance(&c->rng, 1, 4))
		return ULONG_MAX;	/* to the end of the index space */
	return rng_between(&c->rng, 100001, 10000000);
}

static unsigned long span_last(unsigned long first, unsigned long span)
{
	if (span == 0)
		span = 1;
	if (first > ULONG_MAX - (span - 1))
		return ULONG_MAX;
	return first + span - 1;
}

static void *pick_entry(struct ctx *c)
{
	if (rng_chance(&c->rng, 1, 2))
		return xa_mk_value(rng_below(&c->rng, 1000000));
	return &objs[rng_below(&c->rng, NR_OBJS)];
}

/* NULL with a probability that depends on the growth mode. */
static void *pick_store_entry(struct ctx *c)
{
	unsigned long pct;

	switch (cur_mode(c)) {
	case GROW:
		pct = 8;
		break;
	case SHRINK:
		pct = 55;
		break;
	default:
		pct = 25;
		break;
	}
	if (rng_chance(&c->rng, pct, 100))
		return NULL;
	return pick_entry(c);
}

static bool is_alloc(const struct ctx *c)
{
	return c->mt.ma_flags & MT_FLAGS_ALLOC_RANGE;
}

/*
 * A tree that is a single entry at index 0 kept in the root pointer.  Linux
 * returns that entry from mas_prev()/mas_find_rev() whatever the lower
 * limit, so reverse walks on such a tree use min = 0.
 */
static bool root_is_entry(const struct ctx *c)
{
	return mt_height(&c->mt) == 0 && !mtree_empty(&c->mt);
}

/* ---- write paths ------------------------------------------------------ */

enum kind {
	K_STORE, K_PREALLOC, K_STORE_GFP, K_EXACT, K_ERASE, K_MAS_ERASE,
	K_INSERT, K_LOAD, K_FIND, K_MAS_FIND, K_REV, K_NEXT_PREV, K_AREA,
	K_ALLOC, K_FULL, K_INVALID,
};

static const char *const kind_names[16] = {
	"store", "prealloc", "store_gfp", "exact", "erase", "mas_erase",
	"insert", "load", "find", "mas_find", "rev", "next_prev", "area",
	"alloc", "full", "invalid",
};

/* Store @entry over [first, last] through one of the write paths. */
static void do_store(struct ctx *c, unsigned long first, unsigned long last,
		     void *entry, int path)
{
	static const char *const how[] = {
		"mtree_store_range", "mas_store_prealloc", "mas_store_gfp",
	};
	int ret;

	remember(c, how[path], first, last, entry);
	if (path == 0) {
		ret = mtree_store_range(&c->mt, first, last, entry,
					GFP_KERNEL);
		CHECK(c, ret == 0, "mtree_store_range(%lu, %lu, %p) = %d",
		      first, last, entry, ret);
	} else if (path == 1) {
		MA_STATE(mas, &c->mt, first, last);

		tlock(c);
		ret = mas_preallocate(&mas, entry, GFP_KERNEL);
		CHECK(c, ret == 0, "mas_preallocate(%lu, %lu, %p) = %d",
		      first, last, entry, ret);
		if (rng_chance(&c->rng, 1, 50)) {
			/* Change of mind: give the reservation back. */
			mas_destroy(&mas);
			tunlock(c);
			return;
		}
		mas_store_prealloc(&mas, entry);
		tunlock(c);
	} else {
		MA_STATE(mas, &c->mt, first, last);

		tlock(c);
		ret = mas_store_gfp(&mas, entry, GFP_KERNEL);
		tunlock(c);
		CHECK(c, ret == 0, "mas_store_gfp(%lu, %lu, %p) = %d",
		      first, last, entry, ret);
	}
	model_store_range(&c->m, first, last, entry);
}

static int pick_path(struct ctx *c)
{
	unsigned long p = rng_below(&c->rng, 100);

	if (p < 55)
		return 0;
	if (p < 85)
		return 1;
	return 2;
}

/* ---- checks ----------------------------------------------------------- */

static void check_load_at(struct ctx *c, unsigned long index)
{
	unsigned long first, last;
	void *exp = model_walk(&c->m, index, &first, &last);
	void *got = mtree_load(&c->mt, index);
	MA_STATE(mas, &c->mt, index, index);

	CHECK(c, got == exp, "mtree_load(%lu) = %p, model %p", index, got,
	      exp);

	rlock(c);
	got = mas_walk(&mas);
	runlock(c);
	CHECK(c, got == exp && mas.index == first && mas.last == last,
	      "mas_walk(%lu) = %p [%lu, %lu], model %p [%lu, %lu]", index,
	      got, mas.index, mas.last, exp, first, last);
}

static void op_load(struct ctx *c)
{
	unsigned long index = pick_index(c);

	check_load_at(c, index);
	if (model_count(&c->m) && rng_chance(&c->rng, 1, 2)) {
		const struct model_range *r = model_at(&c->m,
			rng_below(&c->rng, model_count(&c->m)));
		unsigned long first = r->first, last = r->last;

		check_load_at(c, first);
		check_load_at(c, last);
		if (first)
			check_load_at(c, first - 1);
		if (last != ULONG_MAX)
			check_load_at(c, last + 1);
	}
}

static unsigned long pick_max(struct ctx *c, unsigned long start)
{
	switch (rng_below(&c->rng, 4)) {
	case 0:
		return ULONG_MAX;
	case 1:
		return span_last(start, rng_between(&c->rng, 1, 100));
	case 2:
		return span_last(start, rng_between(&c->rng, 1, 100000));
	default:
		/* Occasionally below start: nothing may be found. */
		return rng_chance(&c->rng, 1, 8) && start ?
			start - 1 : span_last(start, 5000);
	}
}

static unsigned long pick_min(struct ctx *c, unsigned long start)
{
	unsigned long d;

	if (root_is_entry(c))
		return 0;
	switch (rng_below(&c->rng, 4)) {
	case 0:
		return 0;
	case 1:
		d = rng_between(&c->rng, 1, 100);
		break;
	case 2:
		d = rng_between(&c->rng, 1, 100000);
		break;
	default:
		if (rng_chance(&c->rng, 1, 8) && start != ULONG_MAX)
			return start + 1;
		d = 5000;
		break;
	}
	return start > d ? start - d : 0;
}

/* mt_find() then mt_find_after(), as mt_for_each() does. */
static void op_find(struct ctx *c)
{
	unsigned long start = pick_index(c);
	unsigned long max = pick_max(c, start);
	unsigned long index = start, before;
	const struct model_range *r = model_find(&c->m, start, max);
	unsigned long steps = rng_between(&c->rng, 1, 24), i;
	void *e;

	before = index;
	e = mt_find(&c->mt, &index, max);
	for (i = 0;; i++) {
		if (!r) {
			CHECK(c, !e && index == before,
			      "mt_find(%lu, max %lu) step %lu = %p index %lu, model nothing",
			      before, max, i, e, index);
			break;
		}
		CHECK(c, e == r->entry && index == r->last + 1,
		      "mt_find(%lu, max %lu) step %lu = %p index %lu, model %p [%lu, %lu]",
		      before, max, i, e, index, r->entry, r->first, r->last);
		if (i == steps)
			break;
		r = index ? model_find(&c->m, index, max) : NULL;
		before = index;
		e = mt_find_after(&c->mt, &index, max);
	}
}

/* mas_find() forward walk, pausing and re-entering now and then. */
static void op_mas_find(struct ctx *c)
{
	unsigned long start = pick_index(c);
	unsigned long max = pick_max(c, start);
	const struct model_range *r = model_find(&c->m, start, max);
	unsigned long steps = rng_between(&c->rng, 1, 40), i;
	MA_STATE(mas, &c->mt, start, start);
	void *e;

	rlock(c);
	for (i = 0; i < steps; i++) {
		e = mas_find(&mas, max);
		if (!r) {
			CHECK(c, !e, "mas_find(from %lu, max %lu) step %lu = %p [%lu, %lu], model nothing",
			      start, max, i, e, mas.index, mas.last);
			break;
		}
		CHECK(c, e == r->entry && mas.index == r->first &&
		      mas.last == r->last,
		      "mas_find(from %lu, max %lu) step %lu = %p [%lu, %lu], model %p [%lu, %lu]",
		      start, max, i, e, mas.index, mas.last, r->entry,
		      r->first, r->last);
		r = model_next(&c->m, r->last, max);
		if (rng_chance(&c->rng, 1, 5)) {
			mas_pause(&mas);
			runlock(c);
			rlock(c);
		}
	}
	runlock(c);
}

/* mas_find_rev() or mas_prev() backward walk. */
static void op_rev(struct ctx *c)
{
	unsigned long start = pick_index(c);
	unsigned long min = pick_min(c, start);
	bool use_prev = rng_chance(&c->rng, 1, 2);
	unsigned long steps = rng_between(&c->rng, 1, 40), i;
	const struct model_range *r;
	MA_STATE(mas, &c->mt, start, start);
	void *e;

	r = use_prev ? model_prev(&c->m, start, min) :
		       model_find_rev(&c->m, start, min);
	rlock(c);
	for (i = 0; i < steps; i++) {
		e = use_prev ? mas_prev(&mas, min) : mas_find_rev(&mas, min);
		if (!r) {
			CHECK(c, !e, "%s(from %lu, min %lu) step %lu = %p [%lu, %lu], model nothing",
			      use_prev ? "mas_prev" : "mas_find_rev", start,
			      min, i, e, mas.index, mas.last);
			break;
		}
		CHECK(c, e == r->entry && mas.index == r->first &&
		      mas.last == r->last,
		      "%s(from %lu, min %lu) step %lu = %p [%lu, %lu], model %p [%lu, %lu]",
		      use_prev ? "mas_prev" : "mas_find_rev", start, min, i,
		      e, mas.index, mas.last, r->entry, r->first, r->last);
		r = model_prev(&c->m, r->first, min);
	}
	runlock(c);
}

/* mt_next(), mt_prev() and a mas_next() walk. */
static void op_next_prev(struct ctx *c)
{
	unsigned long start = pick_index(c);
	unsigned long max = pick_max(c, start);
	unsigned long min = pick_min(c, start);
	const struct model_range *r;
	unsigned long steps = rng_between(&c->rng, 1, 20), i;
	MA_STATE(mas, &c->mt, start, start);
	void *e;

	r = model_next(&c->m, start, max);
	e = mt_next(&c->mt, start, max);
	CHECK(c, e == (r ? r->entry : NULL),
	      "mt_next(%lu, max %lu) = %p, model %p", start, max, e,
	      r ? r->entry : NULL);

	r = model_prev(&c->m, start, min);
	e = mt_prev(&c->mt, start, min);
	CHECK(c, e == (r ? r->entry : NULL),
	      "mt_prev(%lu, min %lu) = %p, model %p", start, min, e,
	      r ? r->entry : NULL);

	r = model_next(&c->m, start, max);
	rlock(c);
	for (i = 0; i < steps; i++) {
		e = mas_next(&mas, max);
		if (!r) {
			CHECK(c, !e, "mas_next(from %lu, max %lu) step %lu = %p [%lu, %lu], model nothing",
			      start, max, i, e, mas.index, mas.last);
			break;
		}
		CHECK(c, e == r->entry && mas.index == r->first &&
		      mas.last == r->last,
		      "mas_next(from %lu, max %lu) step %lu = %p [%lu, %lu], model %p [%lu, %lu]",
		      start, max, i, e, mas.index, mas.last, r->entry,
		      r->first, r->last);
		r = model_next(&c->m, r->last, max);
	}
	runlock(c);
}

static unsigned long pick_area_size(struct ctx *c)
{
	unsigned long p = rng_below(&c->rng, 100);

	if (p < 50)
		return rng_between(&c->rng, 1, 16);
	if (p < 85)
		return rng_between(&c->rng, 17, 2000);
	if (p < 97)
		return rng_between(&c->rng, 2001, 1000000);
	return p < 99 ? 0 : ULONG_MAX - rng_below(&c->rng, 4);
}

static void pick_window(struct ctx *c, unsigned long *min, unsigned long *max)
{
	*min = pick_index(c);
	if (rng_chance(&c->rng, 1, 50)) {
		/* Inverted window: -EINVAL. */
		*max = *min ? *min - 1 : 0;
		if (!*min)
			*min = 1;
		return;
	}
	switch (rng_below(&c->rng, 4)) {
	case 0:
		*max = ULONG_MAX;
		break;
	case 1:
		*max = span_last(*min, rng_between(&c->rng, 1, 1000));
		break;
	default:
		*max = span_last(*min, rng_between(&c->rng, 1000, 300000));
		break;
	}
	if (rng_chance(&c->rng, 1, 10))
		*min = 0;
}

/* mas_empty_area()/mas_empty_area_rev(), then maybe fill the area. */
static void op_area(struct ctx *c)
{
	unsigned long min, max, size = pick_area_size(c);
	unsigned long index = 0, last = 0;
	bool rev = rng_chance(&c->rng, 1, 2);
	MA_STATE(mas, &c->mt, 0, 0);
	int ret, exp;

	pick_window(c, &min, &max);
	exp = rev ? model_empty_area_rev(&c->m, min, max, size, &index, &last) :
		    model_empty_area(&c->m, min, max, size, &index, &last);
	rlock(c);
	ret = rev ? mas_empty_area_rev(&mas, min, max, size) :
		    mas_empty_area(&mas, min, max, size);
	runlock(c);
	CHECK(c, ret == exp,
	      "%s(min %lu, max %lu, size %lu) = %d, model %d [%lu, %lu]",
	      rev ? "mas_empty_area_rev" : "mas_empty_area", min, max, size,
	      ret, exp, index, last);
	if (ret)
		return;
	CHECK(c, mas.index == index && mas.last == last,
	      "%s(min %lu, max %lu, size %lu) gave [%lu, %lu], model [%lu, %lu]",
	      rev ? "mas_empty_area_rev" : "mas_empty_area", min, max, size,
	      mas.index, mas.last, index, last);

	if (size <= 100000 && rng_chance(&c->rng, 1, 2)) {
		void *entry = pick_entry(c);

		remember(c, "mtree_insert_range(area)", index, last, entry);
		ret = mtree_insert_range(&c->mt, index, last, entry,
					 GFP_KERNEL);
		CHECK(c, ret == 0,
		      "mtree_insert_range(%lu, %lu) into a found area = %d",
		      index, last, ret);
		model_store_range(&c->m, index, last, entry);
	}
}

/* mtree_alloc_range()/mtree_alloc_rrange(). */
static void op_alloc(struct ctx *c)
{
	unsigned long min, max, size = pick_area_size(c);
	unsigned long index = 0, last = 0, start = 0xdeadUL;
	bool rev = rng_chance(&c->rng, 1, 2);
	void *entry = pick_entry(c);
	int ret, exp;

	if (size > 100000)
		size = rng_between(&c->rng, 1, 64);
	pick_window(c, &min, &max);
	remember(c, rev ? "mtree_alloc_rrange(window)" :
		 "mtree_alloc_range(window)", min, max, entry);
	if (!is_alloc(c)) {
		exp = -EINVAL;
	} else {
		exp = rev ? model_empty_area_rev(&c->m, min, max, size,
						 &index, &last) :
			    model_empty_area(&c->m, min, max, size, &index,
					     &last);
	}
	ret = rev ? mtree_alloc_rrange(&c->mt, &start, entry, size, min, max,
				       GFP_KERNEL) :
		    mtree_alloc_range(&c->mt, &start, entry, size, min, max,
				      GFP_KERNEL);
	CHECK(c, ret == exp,
	      "%s(size %lu, min %lu, max %lu) = %d, model %d [%lu, %lu]",
	      rev ? "mtree_alloc_rrange" : "mtree_alloc_range", size, min,
	      max, ret, exp, index, last);
	if (ret)
		return;
	CHECK(c, start == index,
	      "%s(size %lu, min %lu, max %lu) started at %lu, model %lu",
	      rev ? "mtree_alloc_rrange" : "mtree_alloc_range", size, min,
	      max, start, index);
	model_store_range(&c->m, index, last, entry);
}

static void op_store(struct ctx *c, int path)
{
	unsigned long first = pick_index(c);
	unsigned long last = span_last(first, pick_span(c));

	do_store(c, first, last, pick_store_entry(c), path);
}

/* Overwrite one existing range exactly (wr_exact_fit). */
static void op_exact(struct ctx *c)
{
	const struct model_range *r;
	unsigned long first, last;
	void *entry;

	if (!model_count(&c->m)) {
		op_store(c, pick_path(c));
		return;
	}
	r = model_at(&c->m, rng_below(&c->rng, model_count(&c->m)));
	first = r->first;
	last = r->last;
	entry = rng_chance(&c->rng, 1, 10) ? NULL : pick_entry(c);
	do_store(c, first, last, entry, pick_path(c));
}

static unsigned long pick_erase_index(struct ctx *c)
{
	if (model_count(&c->m) && rng_chance(&c->rng, 7, 10)) {
		const struct model_range *r = model_at(&c->m,
			rng_below(&c->rng, model_count(&c->m)));

		return rng_between(&c->rng, r->first, r->last);
	}
	return pick_index(c);
}

static void op_erase(struct ctx *c, bool advanced)
{
	unsigned long index = pick_erase_index(c);
	void *exp = model_erase(&c->m, index, NULL, NULL);
	void *got;

	remember(c, advanced ? "mas_erase" : "mtree_erase", index, index,
		 exp);
	if (advanced) {
		MA_STATE(mas, &c->mt, index, index);

		tlock(c);
		got = mas_erase(&mas);
		tunlock(c);
	} else {
		got = mtree_erase(&c->mt, index);
	}
	CHECK(c, got == exp, "%s(%lu) = %p, model %p",
	      advanced ? "mas_erase" : "mtree_erase", index, got, exp);
}

static void op_insert(struct ctx *c)
{
	unsigned long first = pick_index(c);
	unsigned long last = span_last(first, rng_chance(&c->rng, 3, 4) ?
				       rng_between(&c->rng, 1, 16) :
				       pick_span(c));
	void *entry = pick_entry(c);
	int exp = model_insert_range(&c->m, first, last, entry);
	int ret;

	remember(c, "mtree_insert_range", first, last, entry);
	ret = mtree_insert_range(&c->mt, first, last, entry, GFP_KERNEL);

	CHECK(c, ret == exp, "mtree_insert_range(%lu, %lu) = %d, model %d",
	      first, last, ret, exp);
}

/* Store over the whole index space: a new root, or the tree emptied. */
static void op_full(struct ctx *c)
{
	void *entry = rng_chance(&c->rng, 1, 2) ? NULL : pick_entry(c);

	do_store(c, 0, ULONG_MAX, entry, pick_path(c));
}

/* Requests the normal API must refuse without touching the tree. */
static void op_invalid(struct ctx *c)
{
	unsigned long first = pick_index(c) | 1;
	int ret;

	ret = mtree_store_range(&c->mt, first, first - 1, pick_entry(c),
				GFP_KERNEL);
	CHECK(c, ret == -EINVAL, "mtree_store_range(%lu, %lu) = %d", first,
	      first - 1, ret);
	ret = mtree_insert_range(&c->mt, first, first - 1, pick_entry(c),
				 GFP_KERNEL);
	CHECK(c, ret == -EINVAL, "mtree_insert_range(%lu, %lu) = %d", first,
	      first - 1, ret);
	ret = mtree_store_range(&c->mt, first, first, XA_RETRY_ENTRY,
				GFP_KERNEL);
	CHECK(c, ret == -EINVAL, "mtree_store_range(XA_RETRY_ENTRY) = %d",
	      ret);
}

/* ---- whole-tree checks ------------------------------------------------ */

static void validate(struct ctx *c)
{
	struct mt_stats s;
	unsigned int h = mt_height(&c->mt);
	int ret;

	ret = mt_validate(&c->mt);
	CHECK(c, ret == 0, "mt_validate() = %d with %zu ranges, height %u",
	      ret, model_count(&c->m), h);
	ret = model_compare_tree(&c->m, &c->mt);
	CHECK(c, ret == 0, "tree differs from the model (%zu ranges)",
	      model_count(&c->m));
	mt_get_stats(&c->mt, &s);
	CHECK(c, s.prealloc_fallbacks == 0,
	      "a preallocated store ran short: prealloc_fallbacks = %lu",
	      s.prealloc_fallbacks);
	if (h > c->max_height)
		c->max_height = h;
	if (model_count(&c->m) > c->nr_max)
		c->nr_max = model_count(&c->m);
}

/* Duplicate the tree, compare, write to the copy, check the original. */
static void check_dup(struct ctx *c)
{
	struct maple_tree copy;
	int ret;

	mt_init_flags(&copy, mt_attr(&c->mt));
	ret = mtree_dup(&c->mt, &copy, GFP_KERNEL);
	CHECK(c, ret == 0, "mtree_dup() = %d", ret);
	ret = mt_validate(&copy);
	CHECK(c, ret == 0, "mt_validate(copy) = %d", ret);
	ret = model_compare_tree(&c->m, &copy);
	CHECK(c, ret == 0, "the duplicate differs from the model");

	/* The copy is independent: change it and recheck the original. */
	ret = mtree_store_range(&copy, 0, WINDOW, xa_mk_value(7), GFP_KERNEL);
	CHECK(c, ret == 0, "store into the duplicate = %d", ret);
	ret = mt_validate(&copy);
	CHECK(c, ret == 0, "mt_validate(copy) after a store = %d", ret);
	mtree_destroy(&copy);
	ret = model_compare_tree(&c->m, &c->mt);
	CHECK(c, ret == 0, "writing to the duplicate changed the original");
}

static void toggle_rcu(struct ctx *c)
{
	if (mt_in_rcu(&c->mt)) {
		mt_clear_in_rcu(&c->mt);
		CHECK(c, !mt_in_rcu(&c->mt), "mt_clear_in_rcu() left the flag");
	} else {
		mt_set_in_rcu(&c->mt);
		CHECK(c, mt_in_rcu(&c->mt), "mt_set_in_rcu() did not set it");
	}
}

/* ---- one operation ---------------------------------------------------- */

static enum kind pick_kind(struct ctx *c)
{
	unsigned long p = rng_below(&c->rng, 1000);
	unsigned long nr = model_count(&c->m);
	enum mode mode = cur_mode(c);

	/* Keep new roots and root stores coming while the tree is tiny. */
	if (nr < 12 && rng_chance(&c->rng, 1, 40))
		return K_FULL;
	/* Growing towards a large target: mostly stores. */
	if (mode == GROW && c->target >= 1000 && rng_chance(&c->rng, 1, 3))
		return rng_chance(&c->rng, 2, 3) ? K_STORE : K_PREALLOC;
	if (p < 280)
		return K_STORE;
	if (p < 430)
		return K_PREALLOC;
	if (p < 480)
		return K_STORE_GFP;
	if (p < 510)
		return K_EXACT;
	if (p < 570)
		return mode == GROW && rng_chance(&c->rng, 2, 3) ?
			K_STORE : K_ERASE;
	if (p < 590)
		return K_MAS_ERASE;
	if (p < 630)
		return K_INSERT;
	if (p < 720)
		return K_LOAD;
	if (p < 770)
		return K_FIND;
	if (p < 810)
		return K_MAS_FIND;
	if (p < 840)
		return K_REV;
	if (p < 870)
		return K_NEXT_PREV;
	if (p < 930)
		return is_alloc(c) ? K_AREA : K_LOAD;
	if (p < 960)
		return is_alloc(c) || rng_chance(&c->rng, 1, 10) ?
			K_ALLOC : K_INSERT;
	if (p < 962)
		return K_INVALID;
	return K_STORE;
}

static void one_op(struct ctx *c)
{
	enum kind k = pick_kind(c);

	c->ops_by_kind[k]++;
	switch (k) {
	case K_STORE:
		op_store(c, 0);
		break;
	case K_PREALLOC:
		op_store(c, 1);
		break;
	case K_STORE_GFP:
		op_store(c, 2);
		break;
	case K_EXACT:
		op_exact(c);
		break;
	case K_ERASE:
		op_erase(c, false);
		break;
	case K_MAS_ERASE:
		op_erase(c, true);
		break;
	case K_INSERT:
		op_insert(c);
		break;
	case K_LOAD:
		op_load(c);
		break;
	case K_FIND:
		op_find(c);
		break;
	case K_MAS_FIND:
		op_mas_find(c);
		break;
	case K_REV:
		op_rev(c);
		break;
	case K_NEXT_PREV:
		op_next_prev(c);
		break;
	case K_AREA:
		op_area(c);
		break;
	case K_ALLOC:
		op_alloc(c);
		break;
	case K_FULL:
		op_full(c);
		break;
	case K_INVALID:
		op_invalid(c);
		break;
	}
}

/* ---- phases ----------------------------------------------------------- */

static void add_stats(const struct mt_stats *s)
{
	int t;

	run.sum.nodes_allocated += s->nodes_allocated;
	run.sum.nodes_freed += s->nodes_freed;
	run.sum.prealloc_unused += s->prealloc_unused;
	run.sum.prealloc_fallbacks += s->prealloc_fallbacks;
	run.sum.rebalance_pushes += s->rebalance_pushes;
	for (t = 0; t < MT_STORE_TYPES; t++) {
		run.sum.prealloc_calls[t] += s->prealloc_calls[t];
		run.sum.prealloc_requested[t] += s->prealloc_requested[t];
		run.sum.prealloc_worst[t] += s->prealloc_worst[t];
		run.sum.prealloc_used[t] += s->prealloc_used[t];
		run.sum.stores[t] += s->stores[t];
	}
}

static void run_phase(unsigned int idx)
{
	const struct phase_def *def = &phase_defs[idx];
	unsigned long nops = run.total_ops / 1000 * def->permille +
			     (run.total_ops % 1000) * def->permille / 1000;
	unsigned long epoch_len, epoch = 0, next_epoch;
	struct mt_stats s;
	struct ctx *c;
	unsigned int k;

	c = calloc(1, sizeof(*c));
	assert_non_null(c);
	c->def = def;
	rng_seed(&c->rng, run.seed ^ ((uint64_t)(idx + 1) * 0x9e3779b97f4a7c15ULL));
	model_init(&c->m);
	mt_init_flags(&c->mt, def->flags);

	/*
	 * About one and a half cycles through the targets per phase, large
	 * targets getting twice as long to be reached; short runs still
	 * cycle.
	 */
	epoch_len = nops / (NR_TARGETS * 2);
	if (epoch_len < 500)
		epoch_len = 500;
	c->target = targets[idx % NR_TARGETS];
	next_epoch = c->target >= 8000 ? 2 * epoch_len : epoch_len;

	for (c->op = 0; c->op < nops; c->op++) {
		if (c->op == next_epoch) {
			epoch++;
			c->target = targets[(epoch + idx) % NR_TARGETS];
			next_epoch += c->target >= 8000 ? 2 * epoch_len :
							  epoch_len;
			if (c->target == 0)
				do_store(c, 0, ULONG_MAX, NULL, pick_path(c));
		}
		one_op(c);
		if ((c->op + 1) % run.validate_every == 0)
			validate(c);
		if ((c->op + 1) % DUP_EVERY == 0)
			check_dup(c);
		if (def->toggle_rcu && (c->op + 1) % RCU_TOGGLE_EVERY == 0)
			toggle_rcu(c);
	}
	validate(c);
	check_dup(c);

	mt_get_stats(&c->mt, &s);
	add_stats(&s);
	printf("random: phase %-16s %8lu ops, max %lu ranges, max height %u, %lu nodes allocated\n",
	       def->name, nops, c->nr_max, c->max_height, s.nodes_allocated);
	printf("random:   ops:");
	for (k = 0; k < 16; k++)
		if (c->ops_by_kind[k])
			printf(" %s %lu", kind_names[k], c->ops_by_kind[k]);
	printf("\n");
	if (c->max_height > run.max_height)
		run.max_height = c->max_height;
	run.ops_done += nops;

	mtree_destroy(&c->mt);
	CHECK(c, mtree_empty(&c->mt), "tree not empty after mtree_destroy()");
	model_destroy(&c->m);
	free(c);
}

static void test_phase_normal(void **state)
{
	(void)state;
	run_phase(0);
}

static void test_phase_alloc(void **state)
{
	(void)state;
	run_phase(1);
}

static void test_phase_rcu(void **state)
{
	(void)state;
	run_phase(2);
}

static void test_phase_alloc_rcu_toggle(void **state)
{
	(void)state;
	run_phase(3);
}

/* Statistics over the whole run, and the leak check. */
static void test_summary(void **state)
{
	int t;

	(void)state;
	printf("random: %-18s %10s %10s %10s %12s %12s\n", "store type",
	       "stores", "prealloc", "requested", "worst(2023)", "used");
	for (t = 0; t < MT_STORE_TYPES; t++)
		printf("random: %-18s %10lu %10lu %10lu %12lu %12lu\n",
		       mt_store_type_name((enum store_type)t),
		       run.sum.stores[t], run.sum.prealloc_calls[t],
		       run.sum.prealloc_requested[t],
		       run.sum.prealloc_worst[t], run.sum.prealloc_used[t]);
	printf("random: prealloc_unused %lu, prealloc_fallbacks %lu, rebalance_pushes %lu, max height %u\n",
	       run.sum.prealloc_unused, run.sum.prealloc_fallbacks,
	       run.sum.rebalance_pushes, run.max_height);

	assert_int_equal(run.sum.prealloc_fallbacks, 0);

	if (run.total_ops >= COVERAGE_MIN_OPS) {
		for (t = wr_new_root; t < MT_STORE_TYPES; t++) {
			if (!run.sum.stores[t])
				fprintf(stderr,
					"random: store type %s never happened (seed %" PRIu64 ")\n",
					mt_store_type_name((enum store_type)t),
					run.seed);
			assert_true(run.sum.stores[t] > 0);
		}
		assert_true(run.max_height >= 3);
	} else {
		printf("random: fewer than %lu ops, store-type coverage not asserted\n",
		       COVERAGE_MIN_OPS);
	}

	/* Every tree is destroyed: after the grace periods, no node is left. */
	mt_rcu_barrier();
	if (mt_nodes_live() != 0)
		fprintf(stderr, "random: %ld nodes live at the end, %ld at the start\n",
			mt_nodes_live(), run.nodes_live_start);
	assert_int_equal(run.nodes_live_start, 0);
	assert_int_equal(mt_nodes_live(), 0);
}

static unsigned long long env_ull(const char *name, unsigned long long def)
{
	const char *s = getenv(name);
	char *end;
	unsigned long long v;

	if (!s || !*s)
		return def;
	v = strtoull(s, &end, 0);
	if (*end) {
		fprintf(stderr, "random: ignoring %s=%s (not a number)\n",
			name, s);
		return def;
	}
	return v;
}

static int group_setup(void **state)
{
	(void)state;
	run.seed = env_ull("VMASIM_SEED", DEFAULT_SEED);
	run.total_ops = env_ull("VMASIM_RANDOM_OPS", DEFAULT_OPS);
	run.validate_every = env_ull("VMASIM_RANDOM_VALIDATE",
				     DEFAULT_VALIDATE_EVERY);
	if (!run.validate_every)
		run.validate_every = DEFAULT_VALIDATE_EVERY;
	mt_rcu_barrier();
	run.nodes_live_start = mt_nodes_live();
	printf("random seed %" PRIu64 "\n", run.seed);
	printf("random: %lu operations in %zu phases\n", run.total_ops,
	       NR_PHASES);
	fflush(stdout);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_phase_normal),
		cmocka_unit_test(test_phase_alloc),
		cmocka_unit_test(test_phase_rcu),
		cmocka_unit_test(test_phase_alloc_rcu_toggle),
		cmocka_unit_test(test_summary),
	};

	return cmocka_run_group_tests(tests, group_setup, NULL);
}
