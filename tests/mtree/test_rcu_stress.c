/* SPDX-License-Identifier: MIT */
/*
 * test_rcu_stress.c - owns the RCU stress tests of libmtree: lock-free
 * readers check every answer they get while one writer churns the tree.
 *
 * DOC: The checking rule
 *
 * Every entry the writer stores is xa_mk_value(id), with a fresh id per
 * write.  Before the write, table[id] is set to the range the entry was
 * stored over ({min, max} of the search window for mtree_alloc_range()).
 * table[] is plain memory: a reader may only read table[id] because the
 * tree published the entry with release ordering after the table was
 * written, so under ThreadSanitizer every lookup also checks the tree's
 * publication.  Entries only ever shrink (overwrites cut them, nothing
 * grows them), so whatever a reader finds must satisfy:
 *
 *  - mtree_load(index) returns NULL or xa_mk_value(id) with table[id]
 *    holding index;
 *  - mas_walk() returns a range holding the index, and for an entry a
 *    range inside table[id];
 *  - mas_find() over a window returns entries whose ranges lie inside
 *    their table ranges, each ending after the previous one (the ranges may
 *    overlap when the tree changed between two steps: a step reports the
 *    state it sees, so the next range can begin at or before the previous
 *    range's end; such overlaps are counted, not failed);
 *  - a reader's successive loads of one index never go back in time: ids
 *    grow with every write, so a non-NULL id may not be below one the same
 *    reader saw there before;
 *  - the guard region [GUARD_FIRST, GUARD_LAST] is only ever overwritten
 *    with entries, never erased, so no lookup may find NULL there and an
 *    iteration through it may not skip any index of it.  The one exception,
 *    the occasional mtree_destroy() of the whole tree, is bracketed by a
 *    sequence count (odd while the guard may be empty), and readers that
 *    overlap it do not count a NULL there.
 *
 * DOC: Threads
 *
 * The test's own thread is the writer (cmocka assertions only work there);
 * NR_READERS threads read until it is done.  Readers never register with
 * liburcu: mtree_load() and mt_rcu_read_lock() must do whatever is needed.
 * The writer mixes small, medium and large spans (so exact fits, slot
 * stores, node stores, splits, rebalances and spanning stores all happen),
 * slot-store shaped writes next to existing boundaries, erases, NULL
 * stores, mtree_alloc_range() in allocation-range trees, writes near 0 and
 * ULONG_MAX, and full clears (an entry over [0, ULONG_MAX], NULL over
 * everything but the guard region, and mtree_destroy()).  A quarter of the
 * writes go through mas_preallocate() + mas_store_prealloc().  A target
 * number of ranges, cycled through, keeps the tree growing and shrinking.
 *
 * The toggle test also leaves RCU mode now and then: the writer parks every
 * reader on a barrier (outside any read-side section), calls
 * mt_clear_in_rcu(), and lets them continue with every read under the
 * tree lock; later it parks them again, calls mt_set_in_rcu() and they go
 * back to lock-free reads.
 *
 * Environment:
 *   VMASIM_SEED       seed (decimal or 0x-hex); printed by every test
 *   VMASIM_RCU_OPS    writer operations per test (default: DEFAULT_OPS,
 *                     scaled down under sanitizers)
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <mtree/alloc.h>
#include <mtree/maple_tree.h>
#include <mtree/rcu.h>

#if defined(__SANITIZE_THREAD__)
#define STRESS_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define STRESS_TSAN 1
#endif
#endif

#if defined(__SANITIZE_ADDRESS__)
#define STRESS_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define STRESS_ASAN 1
#endif
#endif

#if defined(STRESS_TSAN)
#define DEFAULT_OPS		50000UL
#elif defined(STRESS_ASAN)
#define DEFAULT_OPS		100000UL
#else
#define DEFAULT_OPS		200000UL
#endif
#define DEFAULT_SEED		0x7c0ffee5UL

#define NR_READERS		3
#define WINDOW			(1UL << 18)	/* where most indices fall */
#define GUARD_FIRST		(WINDOW / 2)
#define GUARD_LAST		(GUARD_FIRST + 8191)
#define GUARD_LEN		(GUARD_LAST - GUARD_FIRST + 1)
#define TOP_SPAN		4096UL		/* writes near ULONG_MAX */
#define NR_PROBES		64		/* indices loaded again and again */
#define SEEN_SIZE		256		/* per-reader memory of loads */
#define ITER_BATCH		32		/* entries per read-side section */
#define ITER_MAX		512		/* entries per iteration */
#define MAX_REPORTS		8		/* violations printed per reader */
#define NR_CLEARS		6		/* full clears per test */
#define NR_VALIDATES		24		/* mt_validate() calls per test */
#define NR_TOGGLES		8		/* RCU off/on cycles (toggle test) */
#define EPOCHS			12		/* target changes per test */

/* ---- random numbers: splitmix64 ------------------------------------ */

struct rng {
	uint64_t state;
};

static uint64_t rng_next(struct rng *r)
{
	uint64_t z = (r->state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* Uniform in [0, n) for n > 0; the modulo bias is irrelevant here. */
static unsigned long rng_below(struct rng *r, unsigned long n)
{
	return (unsigned long)(rng_next(r) % n);
}

/* Uniform in [lo, hi], lo <= hi < ULONG_MAX. */
static unsigned long rng_between(struct rng *r, unsigned long lo,
				 unsigned long hi)
{
	return lo + rng_below(r, hi - lo + 1);
}

/* Last index of a span of @len indices from @first, clamped to the space. */
static unsigned long span_last(unsigned long first, unsigned long len)
{
	if (first > ULONG_MAX - (len - 1))
		return ULONG_MAX;
	return first + len - 1;
}

static bool in_guard(unsigned long index)
{
	return index >= GUARD_FIRST && index <= GUARD_LAST;
}

static bool overlaps_guard(unsigned long first, unsigned long last)
{
	return first <= GUARD_LAST && last >= GUARD_FIRST;
}

/* The indices readers load again and again (monotonic-read checks). */
static unsigned long probe_index(unsigned int i)
{
	return (unsigned long)i * (WINDOW / NR_PROBES) + 7 * i + 3;
}

static double now_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---- shared state --------------------------------------------------- */

/* The range an id was stored over. */
struct wrange {
	unsigned long first;
	unsigned long last;
};

struct reader_stats {
	unsigned long loads;
	unsigned long null_loads;
	unsigned long walks;
	unsigned long iters;
	unsigned long iter_entries;
	unsigned long overlaps;		/* a range began before the previous end */
	unsigned long guard_checks;	/* NULL-free checks in the guard region */
	unsigned long guard_skips;	/* ... not counted: a destroy overlapped */
	unsigned long violations;
};

struct stress;

struct reader {
	struct stress *s;
	unsigned int nr;
	pthread_t thread;
	struct rng rng;
	struct {
		unsigned long index;
		unsigned long id;
	} seen[SEEN_SIZE];
	struct reader_stats st;
	unsigned int reported;
};

/* Writer operation kinds, for the summary. */
enum wop {
	W_SMALL, W_MEDIUM, W_LARGE, W_EXACT, W_SLOT, W_ERASE, W_NULL,
	W_GUARD, W_ALLOC, W_EDGE, W_BESIDE, W_CLEAR, NR_WOPS,
};

static const char *const wop_names[NR_WOPS] = {
	"small", "medium", "large", "exact", "slot", "erase", "null",
	"guard", "alloc", "edge", "beside", "clear",
};

struct stress {
	struct maple_tree mt;
	const char *name;
	unsigned int flags;
	bool toggle;
	uint64_t seed;
	unsigned long nr_ops;

	struct wrange *table;		/* written by the writer before use */
	unsigned long table_cap;
	unsigned long next_id;		/* writer only */

	atomic_ulong guard_seq;		/* odd while the guard may be empty */
	atomic_bool stop;
	atomic_bool pause;
	atomic_bool locked_reads;	/* RCU mode off: readers take the lock */
	pthread_barrier_t start;
	pthread_barrier_t park;
	struct reader readers[NR_READERS];

	/* Writer side. */
	struct rng rng;
	unsigned long target;		/* wanted number of ranges */
	unsigned long nr_ranges;	/* last count */
	unsigned long wops[NR_WOPS];
	unsigned long prealloc_writes;
	unsigned long alloc_busy;
	unsigned long toggles;
	unsigned int max_height;
	unsigned long max_ranges;
	bool failed;
	char why[256];
};

/* ---- readers -------------------------------------------------------- */

static void violation(struct reader *rd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void violation(struct reader *rd, const char *fmt, ...)
{
	va_list ap;

	rd->st.violations++;
	if (rd->reported++ >= MAX_REPORTS)
		return;
	fprintf(stderr, "rcu_stress %s: reader %u VIOLATION: ", rd->s->name,
		rd->nr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/*
 * Check that @entry, found over [@first, @last], is a stored entry and that
 * the range lies within the range it was stored over.  Returns its id, or 0
 * after a violation.
 */
static unsigned long check_entry(struct reader *rd, const void *entry,
				 unsigned long first, unsigned long last,
				 const char *what)
{
	struct stress *s = rd->s;
	const struct wrange *w;
	unsigned long id;

	if (!xa_is_value(entry)) {
		violation(rd, "%s: [%#lx, %#lx] holds %p, not a value entry",
			  what, first, last, entry);
		return 0;
	}
	id = xa_to_value(entry);
	if (id == 0 || id >= s->table_cap) {
		violation(rd, "%s: [%#lx, %#lx] holds id %#lx, never stored",
			  what, first, last, id);
		return 0;
	}
	w = &s->table[id];
	if (first > last || first < w->first || last > w->last) {
		violation(rd, "%s: id %lu found over [%#lx, %#lx], stored over [%#lx, %#lx]",
			  what, id, first, last, w->first, w->last);
		return 0;
	}
	return id;
}

/*
 * NULL was found over [@first, @last], which meets the guard region.  It
 * is a violation unless a destroy overlapped the lookup: @seq is the guard
 * sequence count read before it.  The count is read again after the
 * lookup, whose last tree access was an acquire load.
 */
static void guard_null(struct reader *rd, unsigned long seq,
		       unsigned long first, unsigned long last, const char *what)
{
	if ((seq & 1) || atomic_load(&rd->s->guard_seq) != seq) {
		rd->st.guard_skips++;
		return;
	}
	violation(rd, "%s: NULL over [%#lx, %#lx], inside the never-NULL region [%#lx, %#lx]",
		  what, first, last, GUARD_FIRST, GUARD_LAST);
}

/* Successive loads of one index by one thread never go back in time. */
static void check_monotonic(struct reader *rd, unsigned long index,
			    unsigned long id)
{
	unsigned int h = (unsigned int)((index * 0x9e3779b97f4a7c15ULL) >> 56) %
			 SEEN_SIZE;

	if (rd->seen[h].index == index && rd->seen[h].id > id)
		violation(rd, "mtree_load(%#lx): id %lu after id %lu (went back in time)",
			  index, id, rd->seen[h].id);
	rd->seen[h].index = index;
	rd->seen[h].id = id;
}

static unsigned long reader_index(struct reader *rd)
{
	unsigned long p = rng_below(&rd->rng, 100);

	if (p < 20)
		return probe_index(rng_below(&rd->rng, NR_PROBES));
	if (p < 40)
		return GUARD_FIRST - 64 + rng_below(&rd->rng, GUARD_LEN + 128);
	if (p < 43)
		return rng_below(&rd->rng, 32);
	if (p < 46)
		return ULONG_MAX - rng_below(&rd->rng, TOP_SPAN);
	return rng_below(&rd->rng, WINDOW + WINDOW / 8);
}

static void reader_load(struct reader *rd, unsigned long index)
{
	unsigned long seq = atomic_load(&rd->s->guard_seq);
	void *entry = mtree_load(&rd->s->mt, index);
	unsigned long id;

	rd->st.loads++;
	if (!entry) {
		rd->st.null_loads++;
		if (in_guard(index)) {
			rd->st.guard_checks++;
			guard_null(rd, seq, index, index, "mtree_load");
		}
		return;
	}
	if (in_guard(index))
		rd->st.guard_checks++;
	id = check_entry(rd, entry, index, index, "mtree_load");
	if (id)
		check_monotonic(rd, index, id);
}

static void reader_walk(struct reader *rd, unsigned long index)
{
	MA_STATE(mas, &rd->s->mt, index, index);
	unsigned long seq = atomic_load(&rd->s->guard_seq);
	void *entry;

	mt_rcu_read_lock();
	entry = mas_walk(&mas);
	mt_rcu_read_unlock();
	rd->st.walks++;
	if (mas.index > index || mas.last < index) {
		unsigned long id = xa_is_value(entry) ? xa_to_value(entry) : 0;

		if (id >= rd->s->table_cap)
			id = 0;
		violation(rd, "mas_walk(%#lx): range [%#lx, %#lx] does not hold the index (entry %p: id %lu stored over [%#lx, %#lx])",
			  index, mas.index, mas.last, entry, id,
			  id ? rd->s->table[id].first : 0,
			  id ? rd->s->table[id].last : 0);
		return;
	}
	if (entry)
		check_entry(rd, entry, mas.index, mas.last, "mas_walk");
	else if (in_guard(index))
		guard_null(rd, seq, index, index, "mas_walk");
}

/*
 * Iterate [lo, hi] with mas_find(), at most ITER_BATCH entries per
 * read-side section (mas_pause() between sections).
 */
static void reader_iterate(struct reader *rd, unsigned long lo,
			   unsigned long hi)
{
	struct stress *s = rd->s;
	MA_STATE(mas, &s->mt, lo, lo);
	unsigned long seq = atomic_load(&s->guard_seq);
	unsigned long from = lo, prev_last = 0;
	unsigned int n = 0;
	bool have_prev = false;
	void *entry;

	rd->st.iters++;
	mt_rcu_read_lock();
	while (n < ITER_MAX) {
		entry = mas_find(&mas, hi);
		if (!entry) {
			/* Nothing in [from, hi]: no hole may meet the guard. */
			if (overlaps_guard(from, hi))
				guard_null(rd, seq, from, hi, "mas_find (end)");
			break;
		}
		n++;
		rd->st.iter_entries++;
		if (!check_entry(rd, entry, mas.index, mas.last, "mas_find"))
			break;
		if (mas.last < from || mas.index > hi) {
			violation(rd, "mas_find: range [%#lx, %#lx] outside [%#lx, %#lx] (window [%#lx, %#lx])",
				  mas.index, mas.last, from, hi, lo, hi);
			break;
		}
		if (mas.index > from && overlaps_guard(from, mas.index - 1))
			guard_null(rd, seq, from, mas.index - 1, "mas_find (skipped)");
		if (have_prev && mas.index <= prev_last)
			rd->st.overlaps++;
		have_prev = true;
		prev_last = mas.last;
		if (mas.last >= hi)
			break;
		from = mas.last + 1;
		if (n % ITER_BATCH == 0) {
			mas_pause(&mas);
			mt_rcu_read_unlock();
			mt_rcu_read_lock();
		}
	}
	mt_rcu_read_unlock();
}

static void reader_op(struct reader *rd)
{
	unsigned long p = rng_below(&rd->rng, 100);
	unsigned long index = reader_index(rd);

	if (p < 55) {
		reader_load(rd, index);
	} else if (p < 75) {
		reader_walk(rd, index);
	} else {
		unsigned long len = 1 + rng_below(&rd->rng, WINDOW / 16);

		reader_iterate(rd, index, span_last(index, len));
	}
}

static void *reader_thread(void *arg)
{
	struct reader *rd = arg;
	struct stress *s = rd->s;

	pthread_barrier_wait(&s->start);
	while (!atomic_load(&s->stop)) {
		bool locked;

		if (atomic_load(&s->pause)) {
			pthread_barrier_wait(&s->park);	/* parked */
			pthread_barrier_wait(&s->park);	/* resumed */
			continue;
		}
		locked = atomic_load(&s->locked_reads);
		if (locked)
			mtree_lock(&s->mt);
		reader_op(rd);
		if (locked)
			mtree_unlock(&s->mt);
	}
	return NULL;
}

/* ---- the writer ----------------------------------------------------- */

static void writer_fail(struct stress *s, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void writer_fail(struct stress *s, const char *fmt, ...)
{
	va_list ap;

	if (s->failed)
		return;
	s->failed = true;
	va_start(ap, fmt);
	vsnprintf(s->why, sizeof(s->why), fmt, ap);
	va_end(ap);
	fprintf(stderr, "rcu_stress %s: writer FAILED: %s\n", s->name, s->why);
}

/* A fresh entry for [first, last]: the table is filled before the store. */
static void *new_entry(struct stress *s, unsigned long first,
		       unsigned long last)
{
	unsigned long id = ++s->next_id;

	if (id >= s->table_cap) {
		writer_fail(s, "write table full (%lu ids)", s->table_cap);
		s->next_id--;
		return NULL;
	}
	s->table[id].first = first;
	s->table[id].last = last;
	return xa_mk_value(id);
}

/* Write @entry over [first, last], through the normal or advanced API. */
static void w_write(struct stress *s, unsigned long first, unsigned long last,
		    void *entry)
{
	int ret;

	if (rng_below(&s->rng, 4) == 0) {
		MA_STATE(mas, &s->mt, first, last);

		mtree_lock(&s->mt);
		ret = mas_preallocate(&mas, entry, GFP_KERNEL);
		if (!ret)
			mas_store_prealloc(&mas, entry);
		mtree_unlock(&s->mt);
		s->prealloc_writes++;
	} else {
		ret = mtree_store_range(&s->mt, first, last, entry, GFP_KERNEL);
	}
	if (ret) {
		writer_fail(s, "store [%#lx, %#lx] %p: %d", first, last, entry, ret);
	}
}

static void w_store(struct stress *s, unsigned long first, unsigned long last)
{
	void *entry = new_entry(s, first, last);

	if (entry)
		w_write(s, first, last, entry);
}

/* A NULL store, turned into an entry store if it would meet the guard. */
static void w_null(struct stress *s, unsigned long first, unsigned long last)
{
	if (overlaps_guard(first, last))
		w_store(s, first, last);
	else
		w_write(s, first, last, NULL);
}

/* The range (and entry) holding @index, looked up under the lock. */
static void *w_range_at(struct stress *s, unsigned long index,
			unsigned long *first, unsigned long *last)
{
	MA_STATE(mas, &s->mt, index, index);
	void *entry;

	mtree_lock(&s->mt);
	entry = mas_walk(&mas);
	mtree_unlock(&s->mt);
	*first = mas.index;
	*last = mas.last;
	return entry;
}

static unsigned long w_index(struct stress *s)
{
	return rng_below(&s->rng, WINDOW);
}

static void w_erase(struct stress *s, unsigned long index)
{
	unsigned long first, last;
	void *entry = w_range_at(s, index, &first, &last);

	if (!entry)
		return;
	if (overlaps_guard(first, last)) {
		/* Never erased: overwrite part of it instead. */
		w_store(s, index, index);
		return;
	}
	if (rng_below(&s->rng, 2)) {
		if (mtree_erase(&s->mt, index) != entry)
			writer_fail(s, "mtree_erase(%#lx) did not return %p",
				    index, entry);
	} else {
		MA_STATE(mas, &s->mt, index, index);
		void *old;

		mtree_lock(&s->mt);
		old = mas_erase(&mas);
		mtree_unlock(&s->mt);
		if (old != entry)
			writer_fail(s, "mas_erase(%#lx) returned %p, not %p",
				    index, old, entry);
	}
}

/* Overwrite exactly one existing range (entry or gap): an exact fit. */
static void w_exact(struct stress *s, unsigned long index)
{
	unsigned long first, last;

	w_range_at(s, index, &first, &last);
	w_store(s, first, last);
}

/*
 * A write that moves the boundary between two neighbouring ranges and
 * keeps the number of ranges: a slot store when both are in one leaf.
 */
static void w_slot(struct stress *s, unsigned long index)
{
	unsigned long a, b, c, d;

	w_range_at(s, index, &a, &b);
	if (b == ULONG_MAX) {
		w_store(s, a, b);
		return;
	}
	w_range_at(s, b + 1, &c, &d);
	if (b > a && (d == c || rng_below(&s->rng, 2))) {
		/* [a, x - 1] keeps its entry; the new one takes [x, d]. */
		w_store(s, rng_between(&s->rng, a + 1, b), d);
	} else if (d > c) {
		/* The new one takes [a, y]; [y + 1, d] keeps its entry. */
		w_store(s, a, rng_between(&s->rng, c, d - 1));
	} else {
		w_store(s, a, d);
	}
}

static void w_alloc(struct stress *s)
{
	unsigned long min = w_index(s), start = 0;
	unsigned long max = min + 65535;
	unsigned long size = 1 + rng_below(&s->rng, 64);
	void *entry = new_entry(s, min, max);
	int ret;

	if (!entry)
		return;
	if (rng_below(&s->rng, 2))
		ret = mtree_alloc_range(&s->mt, &start, entry, size, min, max,
					GFP_KERNEL);
	else
		ret = mtree_alloc_rrange(&s->mt, &start, entry, size, min, max,
					 GFP_KERNEL);
	if (ret == -EBUSY) {
		s->alloc_busy++;
	} else if (ret) {
		writer_fail(s, "mtree_alloc_range in [%#lx, %#lx]: %d", min,
			    max, ret);
	} else if (start < min || start + size - 1 > max) {
		writer_fail(s, "mtree_alloc_range put %lu indices at %#lx, outside [%#lx, %#lx]",
			    size, start, min, max);
	}
}

/* Full clears, in turn: one entry over everything, NULL over everything
 * but the guard, and mtree_destroy() (bracketed by the guard count). */
static void w_clear(struct stress *s, unsigned int kind)
{
	switch (kind % 3) {
	case 0:
		w_store(s, 0, ULONG_MAX);
		break;
	case 1:
		w_write(s, GUARD_LAST + 1, ULONG_MAX, NULL);
		w_write(s, 0, GUARD_FIRST - 1, NULL);
		break;
	default:
		atomic_fetch_add(&s->guard_seq, 1);
		mtree_destroy(&s->mt);
		if (!mtree_empty(&s->mt))
			writer_fail(s, "tree not empty after mtree_destroy()");
		w_store(s, 0, 0);		/* a root entry */
		w_store(s, GUARD_FIRST, GUARD_LAST);
		atomic_fetch_add(&s->guard_seq, 1);
		break;
	}
}

/* Count the ranges under the lock, validate, note the height. */
static void w_check(struct stress *s, bool validate)
{
	MA_STATE(mas, &s->mt, 0, 0);
	unsigned long n = 0;
	void *entry;

	mtree_lock(&s->mt);
	mas_for_each(&mas, entry, ULONG_MAX)
		n++;
	if (mt_height(&s->mt) > s->max_height)
		s->max_height = mt_height(&s->mt);
	if (validate && mt_validate(&s->mt))
		writer_fail(s, "mt_validate failed during the run");
	mtree_unlock(&s->mt);
	s->nr_ranges = n;
	if (n > s->max_ranges)
		s->max_ranges = n;
}

/* Per mille weights of the operations while growing and while shrinking:
 * no large spans and few removals while growing, the reverse after. */
static const unsigned short wop_grow[NR_WOPS] = {
	[W_SMALL] = 330, [W_MEDIUM] = 90, [W_LARGE] = 0, [W_EXACT] = 100,
	[W_SLOT] = 120, [W_ERASE] = 40, [W_NULL] = 20, [W_GUARD] = 120,
	[W_ALLOC] = 40, [W_EDGE] = 40, [W_BESIDE] = 100,
};
static const unsigned short wop_shrink[NR_WOPS] = {
	[W_SMALL] = 150, [W_MEDIUM] = 100, [W_LARGE] = 30, [W_EXACT] = 100,
	[W_SLOT] = 100, [W_ERASE] = 200, [W_NULL] = 120, [W_GUARD] = 80,
	[W_ALLOC] = 30, [W_EDGE] = 30, [W_BESIDE] = 60,
};

static void writer_op(struct stress *s)
{
	const unsigned short *weight = s->nr_ranges < s->target ? wop_grow :
								   wop_shrink;
	unsigned long p = rng_below(&s->rng, 1000);
	unsigned long index = w_index(s), len;
	enum wop op = W_SMALL;
	unsigned int i;

	for (i = 0; i < NR_WOPS; i++) {
		if (p < weight[i]) {
			op = (enum wop)i;
			break;
		}
		p -= weight[i];
	}
	if (op == W_ALLOC && !(s->flags & MT_FLAGS_ALLOC_RANGE))
		op = W_SMALL;
	s->wops[op]++;

	switch (op) {
	case W_SMALL:
		w_store(s, index, span_last(index, 1 + rng_below(&s->rng, 8)));
		break;
	case W_MEDIUM:
		w_store(s, index, span_last(index, rng_between(&s->rng, 9, 512)));
		break;
	case W_LARGE:
		len = rng_between(&s->rng, 2048, WINDOW / 8);
		if (rng_below(&s->rng, 4))
			w_store(s, index, span_last(index, len));
		else
			w_null(s, index, span_last(index, len));
		break;
	case W_EXACT:
		w_exact(s, index);
		break;
	case W_SLOT:
		w_slot(s, index);
		break;
	case W_ERASE:
		w_erase(s, index);
		break;
	case W_NULL:
		w_null(s, index, span_last(index, 1 + rng_below(&s->rng, 256)));
		break;
	case W_GUARD:
		index = GUARD_FIRST - 64 + rng_below(&s->rng, GUARD_LEN + 128);
		len = rng_below(&s->rng, 4) ? 1 + rng_below(&s->rng, 16) :
					      rng_between(&s->rng, 17, 1024);
		w_store(s, index, span_last(index, len));
		break;
	case W_ALLOC:
		w_alloc(s);
		break;
	case W_EDGE:
		/* Near 0 or ULONG_MAX: the edges of the index space. */
		switch (rng_below(&s->rng, 4)) {
		case 0:
			index = rng_below(&s->rng, 32);
			w_store(s, index, span_last(index, 1 + rng_below(&s->rng, 4)));
			break;
		case 1:
			w_erase(s, rng_below(&s->rng, 32));
			break;
		case 2:
			index = ULONG_MAX - rng_below(&s->rng, TOP_SPAN);
			w_store(s, index, span_last(index, 1 + rng_below(&s->rng, 64)));
			break;
		default:
			w_erase(s, ULONG_MAX - rng_below(&s->rng, TOP_SPAN));
			break;
		}
		break;
	case W_BESIDE:
		/* Right after an existing range: grows a leaf at one spot. */
		{
			unsigned long first, last;

			w_range_at(s, index, &first, &last);
			if (last != ULONG_MAX)
				w_store(s, last + 1,
					span_last(last + 1, 1 + rng_below(&s->rng, 4)));
		}
		break;
	default:
		break;
	}
}

static void pause_readers(struct stress *s)
{
	atomic_store(&s->pause, true);
	pthread_barrier_wait(&s->park);		/* every reader parked */
}

static void resume_readers(struct stress *s)
{
	atomic_store(&s->pause, false);
	pthread_barrier_wait(&s->park);
}

/* Leave RCU mode (readers then take the lock) or enter it again. */
static void toggle_rcu(struct stress *s)
{
	pause_readers(s);
	if (mt_in_rcu(&s->mt)) {
		mt_clear_in_rcu(&s->mt);
		atomic_store(&s->locked_reads, true);
	} else {
		atomic_store(&s->locked_reads, false);
		mt_set_in_rcu(&s->mt);
	}
	s->toggles++;
	resume_readers(s);
}

static void run_writer(struct stress *s)
{
	static const unsigned long targets[EPOCHS] = {
		3000, 12000, 600, 20000, 5000, 150, 16000, 2000, 9000, 40,
		14000, 1000,
	};
	unsigned long clear_every = s->nr_ops / NR_CLEARS;
	unsigned long validate_every = s->nr_ops / NR_VALIDATES;
	unsigned long epoch_len = s->nr_ops / EPOCHS;
	unsigned long toggle_every = s->nr_ops / (2 * NR_TOGGLES + 1);
	unsigned long op;

	if (!clear_every)
		clear_every = 1;
	if (!validate_every)
		validate_every = 1;
	if (!epoch_len)
		epoch_len = 1;
	if (!toggle_every)
		toggle_every = 1;

	for (op = 1; op <= s->nr_ops && !s->failed; op++) {
		s->target = targets[(op / epoch_len) % EPOCHS];
		/* Clears in the middle of each of NR_CLEARS stretches. */
		if ((op + clear_every / 2) % clear_every == 0) {
			s->wops[W_CLEAR]++;
			w_clear(s, (unsigned int)(op / clear_every));
		} else {
			writer_op(s);
		}
		if (op % 256 == 0)
			w_check(s, op % validate_every < 256);
		/* The toggle test ends in RCU mode: an even number of switches. */
		if (s->toggle && op % toggle_every == 0 &&
		    s->toggles < 2 * NR_TOGGLES)
			toggle_rcu(s);
	}
	if (s->toggle && !mt_in_rcu(&s->mt))
		toggle_rcu(s);
}

/* ---- the tests ------------------------------------------------------ */

static uint64_t env_u64(const char *name, uint64_t def)
{
	const char *v = getenv(name);
	char *end;
	unsigned long long x;

	if (!v || !*v)
		return def;
	x = strtoull(v, &end, 0);
	if (*end) {
		fprintf(stderr, "rcu_stress: ignoring %s=%s\n", name, v);
		return def;
	}
	return x;
}

/* Check every range of the final tree, with no writer running. */
static void final_check(struct stress *s)
{
	MA_STATE(mas, &s->mt, 0, 0);
	unsigned long from = 0;
	void *entry;

	mtree_lock(&s->mt);
	mas_for_each(&mas, entry, ULONG_MAX) {
		unsigned long id = xa_is_value(entry) ? xa_to_value(entry) : 0;

		if (!id || id >= s->table_cap ||
		    mas.index < s->table[id].first ||
		    mas.last > s->table[id].last) {
			writer_fail(s, "final tree: [%#lx, %#lx] holds %p", mas.index,
				    mas.last, entry);
			break;
		}
		if (mas.index > from && overlaps_guard(from, mas.index - 1)) {
			writer_fail(s, "final tree: NULL over [%#lx, %#lx] in the guard region",
				    from, mas.index - 1);
			break;
		}
		if (mas.last == ULONG_MAX)
			break;
		from = mas.last + 1;
	}
	mtree_unlock(&s->mt);
}

static void print_summary(struct stress *s, double secs)
{
	struct reader_stats sum = { 0 };
	struct mt_stats st;
	unsigned int i, t;

	for (i = 0; i < NR_READERS; i++) {
		const struct reader_stats *r = &s->readers[i].st;

		printf("  reader %u: %lu loads (%lu NULL), %lu walks, %lu iterations over %lu entries, %lu overlaps, %lu guard checks (%lu skipped), %lu violations\n",
		       i, r->loads, r->null_loads, r->walks, r->iters,
		       r->iter_entries, r->overlaps, r->guard_checks,
		       r->guard_skips, r->violations);
		sum.loads += r->loads;
		sum.walks += r->walks;
		sum.iters += r->iters;
		sum.iter_entries += r->iter_entries;
		sum.violations += r->violations;
	}
	printf("  readers: %lu lookups (%lu loads, %lu walks, %lu iterations, %lu entries), %lu violations\n",
	       sum.loads + sum.walks + sum.iter_entries, sum.loads, sum.walks,
	       sum.iters, sum.iter_entries, sum.violations);
	printf("  writer: %lu ops in %.2f s (%lu ids, %lu via mas_preallocate, %lu alloc -EBUSY, %lu RCU toggles), max height %u, max ranges %lu\n    ",
	       s->nr_ops, secs, s->next_id, s->prealloc_writes, s->alloc_busy,
	       s->toggles, s->max_height, s->max_ranges);
	for (i = 0; i < NR_WOPS; i++)
		printf("%s %lu%s", wop_names[i], s->wops[i],
		       i + 1 < NR_WOPS ? ", " : "\n    stores:");
	mt_get_stats(&s->mt, &st);
	for (t = wr_new_root; t < MT_STORE_TYPES; t++)
		printf(" %s %lu", mt_store_type_name((enum store_type)t),
		       st.stores[t]);
	printf("\n");
	fflush(stdout);
}

static void run_stress(const char *name, unsigned int flags, bool toggle)
{
	struct stress *s = calloc(1, sizeof(*s));
	struct mt_stats st;
	unsigned long violations = 0, lookups = 0, min_reader_ops = ULONG_MAX;
	unsigned long nr_ops, toggles;
	unsigned int max_height;
	bool writer_failed;
	char why[sizeof(s->why)];
	long live, live_after;
	uint64_t seed;
	double t0, secs;
	unsigned int i;
	int valid;

	assert_non_null(s);
	s->name = name;
	s->flags = flags;
	s->toggle = toggle;
	s->seed = env_u64("VMASIM_SEED", DEFAULT_SEED);
	s->nr_ops = env_u64("VMASIM_RCU_OPS", DEFAULT_OPS);
	if (s->nr_ops < 100)
		s->nr_ops = 100;
	s->table_cap = s->nr_ops + 2 * NR_CLEARS + 16;
	s->table = calloc(s->table_cap, sizeof(*s->table));
	assert_non_null(s->table);
	s->rng.state = s->seed ^ (uint64_t)flags << 32 ^ (toggle ? 0x70661e : 0);
	printf("rcu_stress %s: seed %" PRIu64 " (0x%" PRIx64 "), %lu writer ops, %d readers (VMASIM_SEED, VMASIM_RCU_OPS)\n",
	       name, s->seed, s->seed, s->nr_ops, NR_READERS);
	fflush(stdout);

	mt_rcu_barrier();
	live = mt_nodes_live();
	mt_init_flags(&s->mt, flags);
	/* The guard region exists before any reader looks. */
	w_store(s, GUARD_FIRST, GUARD_LAST);

	assert_int_equal(pthread_barrier_init(&s->start, NULL, NR_READERS + 1), 0);
	assert_int_equal(pthread_barrier_init(&s->park, NULL, NR_READERS + 1), 0);
	for (i = 0; i < NR_READERS; i++) {
		struct reader *rd = &s->readers[i];

		rd->s = s;
		rd->nr = i;
		rd->rng.state = s->seed * (i + 3) + 0x5eed;
		assert_int_equal(pthread_create(&rd->thread, NULL, reader_thread, rd), 0);
	}
	pthread_barrier_wait(&s->start);
	t0 = now_seconds();
	run_writer(s);
	secs = now_seconds() - t0;
	atomic_store(&s->stop, true);
	for (i = 0; i < NR_READERS; i++)
		assert_int_equal(pthread_join(s->readers[i].thread, NULL), 0);
	pthread_barrier_destroy(&s->start);
	pthread_barrier_destroy(&s->park);

	final_check(s);
	print_summary(s, secs);
	for (i = 0; i < NR_READERS; i++) {
		const struct reader_stats *r = &s->readers[i].st;
		unsigned long ops = r->loads + r->walks + r->iters;

		violations += r->violations;
		lookups += r->loads + r->walks + r->iter_entries;
		if (ops < min_reader_ops)
			min_reader_ops = ops;
	}
	mt_get_stats(&s->mt, &st);
	valid = mt_validate(&s->mt);

	/* Tear down before any assertion, so that a failure leaks nothing. */
	mtree_destroy(&s->mt);
	mt_rcu_barrier();
	live_after = mt_nodes_live();
	nr_ops = s->nr_ops;
	seed = s->seed;
	toggles = s->toggles;
	max_height = s->max_height;
	writer_failed = s->failed;
	if (writer_failed)
		snprintf(why, sizeof(why), "%s", s->why);
	free(s->table);
	free(s);

	if (writer_failed)
		fail_msg("writer: %s (seed %" PRIu64 ")", why, seed);
	if (violations)
		fail_msg("%lu reader violations (seed %" PRIu64 ")", violations, seed);
	assert_int_equal(valid, 0);
	assert_int_equal(live_after, live);
	/* Every reader got a fair share of the run, and they read a lot. */
	assert_true(min_reader_ops >= 100);
	assert_true(lookups >= nr_ops / 4);

	/* Every store type the stress is meant to reach happened. */
	assert_int_equal(st.prealloc_fallbacks, 0);
	if (nr_ops >= 10000) {
		assert_true(st.stores[wr_exact_fit] > 0);
		assert_true(st.stores[wr_slot_store] > 0);
		assert_true(st.stores[wr_node_store] > 0);
		assert_true(st.stores[wr_split_store] > 0);
		assert_true(st.stores[wr_rebalance] > 0);
		assert_true(st.stores[wr_spanning_store] > 0);
		assert_true(max_height >= 3);
		if (toggle)
			assert_true(st.stores[wr_append] > 0);
	}
	if (toggle)
		assert_int_equal(toggles, 2 * NR_TOGGLES);
}

static void test_rcu_stress(void **state)
{
	(void)state;
	run_stress("rcu", MT_FLAGS_USE_RCU, false);
}

static void test_rcu_stress_alloc(void **state)
{
	(void)state;
	run_stress("alloc-rcu", MT_FLAGS_ALLOC_RANGE | MT_FLAGS_USE_RCU, false);
}

static void test_rcu_toggle(void **state)
{
	(void)state;
	run_stress("rcu-toggle", MT_FLAGS_USE_RCU, true);
}

static void test_rcu_toggle_alloc(void **state)
{
	(void)state;
	run_stress("alloc-rcu-toggle", MT_FLAGS_ALLOC_RANGE | MT_FLAGS_USE_RCU,
		   true);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rcu_stress),
		cmocka_unit_test(test_rcu_stress_alloc),
		cmocka_unit_test(test_rcu_toggle),
		cmocka_unit_test(test_rcu_toggle_alloc),
	};

	return cmocka_run_group_tests_name("mtree_rcu_stress", tests, NULL, NULL);
}
