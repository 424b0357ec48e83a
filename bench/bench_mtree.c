/* SPDX-License-Identifier: MIT */
/*
 * bench_mtree.c - the libmtree benchmark program: build, lookup, store,
 * iteration, gap search and dup speed of a maple tree, each compared in the
 * same run with a sorted array of ranges (binary search) where that makes
 * sense, and the preallocation accounting of a VMA-like write stream.
 *
 * Every measurement is repeated -r times and reported as the median (with
 * min and max) in nanoseconds per operation.  Every timed loop is checked
 * against the baseline array, untimed: a wrong answer makes the program
 * print FAIL and exit with status 1.  See docs/benchmarks.md.
 *
 * Usage: bench_mtree [-n RANGES] [-r REPEATS] [-s SEED] [-o GROUPS] [--json]
 */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include <mtree/alloc.h>
#include <mtree/maple_tree.h>
#include <mtree/rcu.h>

#define MAX_RESULTS	64
#define MAX_FAIL_PRINT	8

/* Range i of the benchmark trees is [STRIDE * i, STRIDE * i + SPAN - 1]. */
#define STRIDE		10UL
#define SPAN		6UL
#define GAP		(STRIDE - SPAN)		/* 4: every gap between ranges */

/* Gap search windows: WINDOW indices, i.e. WINDOW / STRIDE ranges. */
#define WINDOW		1000UL

/* The write sink: the compiler must assume someone reads it. */
static volatile unsigned long sink;

/* ---- small helpers ------------------------------------------------ */

struct rng {
	uint64_t s;
};

/* splitmix64: tiny, fast, good enough for choosing test data. */
static uint64_t rng_next(struct rng *r)
{
	uint64_t z = (r->s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* A number in [0, n); the modulo bias is irrelevant here. */
static unsigned long rng_below(struct rng *r, unsigned long n)
{
	return n ? rng_next(r) % n : 0;
}

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static void *xmalloc(size_t size)
{
	void *p = malloc(size ? size : 1);

	if (!p) {
		fprintf(stderr, "bench_mtree: out of memory (%zu bytes)\n", size);
		exit(2);
	}
	return p;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static unsigned long failures;

/* Report a wrong result; the first few are printed. */
static void fail(const char *fmt, ...)
{
	va_list ap;

	if (failures++ >= MAX_FAIL_PRINT)
		return;
	fprintf(stderr, "FAIL: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* ---- the baseline: a sorted array of ranges ----------------------- */

struct range {
	unsigned long first;
	unsigned long last;
	void *entry;
};

struct sorted_array {
	struct range *r;
	size_t nr;
	size_t cap;
};

static void arr_init(struct sorted_array *a, size_t cap)
{
	a->r = xmalloc(cap * sizeof(*a->r));
	a->nr = 0;
	a->cap = cap;
}

static void arr_free(struct sorted_array *a)
{
	free(a->r);
	a->r = NULL;
	a->nr = a->cap = 0;
}

static void arr_reserve(struct sorted_array *a, size_t more)
{
	if (a->nr + more <= a->cap)
		return;
	a->cap = 2 * (a->nr + more);
	a->r = realloc(a->r, a->cap * sizeof(*a->r));
	if (!a->r) {
		fprintf(stderr, "bench_mtree: out of memory\n");
		exit(2);
	}
}

/* The number of ranges starting at or below @index. */
static inline size_t arr_upper(const struct sorted_array *a,
			       unsigned long index)
{
	size_t lo = 0, hi = a->nr;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (a->r[mid].first <= index)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static inline void *arr_load(const struct sorted_array *a, unsigned long index)
{
	size_t i = arr_upper(a, index);

	if (i && a->r[i - 1].last >= index)
		return a->r[i - 1].entry;
	return NULL;
}

/* Like mas_walk(): the entry at @index and its range, gaps included. */
static void *arr_walk(const struct sorted_array *a, unsigned long index,
		      unsigned long *lo, unsigned long *hi)
{
	size_t i = arr_upper(a, index);

	if (i && a->r[i - 1].last >= index) {
		*lo = a->r[i - 1].first;
		*hi = a->r[i - 1].last;
		return a->r[i - 1].entry;
	}
	*lo = i ? a->r[i - 1].last + 1 : 0;
	*hi = i < a->nr ? a->r[i].first - 1 : ULONG_MAX;
	return NULL;
}

/* Insert a range that overlaps nothing: binary search plus memmove. */
static inline void arr_insert(struct sorted_array *a, unsigned long first,
			      unsigned long last, void *entry)
{
	size_t i = arr_upper(a, first);

	memmove(&a->r[i + 1], &a->r[i], (a->nr - i) * sizeof(*a->r));
	a->r[i].first = first;
	a->r[i].last = last;
	a->r[i].entry = entry;
	a->nr++;
}

/*
 * The reference for any store: overwrite [first, last] with @entry (NULL
 * erases), trimming the ranges that stick out at both ends.
 */
static void arr_store_range(struct sorted_array *a, unsigned long first,
			    unsigned long last, void *entry)
{
	struct range piece[3];
	size_t i, k, np = 0;

	i = arr_upper(a, first);
	if (i && a->r[i - 1].last >= first)
		i--;
	k = arr_upper(a, last);			/* overlapped: [i, k) */
	if (i < k && a->r[i].first < first) {
		piece[np].first = a->r[i].first;
		piece[np].last = first - 1;
		piece[np++].entry = a->r[i].entry;
	}
	if (entry) {
		piece[np].first = first;
		piece[np].last = last;
		piece[np++].entry = entry;
	}
	if (i < k && a->r[k - 1].last > last) {
		piece[np].first = last + 1;
		piece[np].last = a->r[k - 1].last;
		piece[np++].entry = a->r[k - 1].entry;
	}
	arr_reserve(a, 3);
	memmove(&a->r[i + np], &a->r[k], (a->nr - k) * sizeof(*a->r));
	memcpy(&a->r[i], piece, np * sizeof(*piece));
	a->nr = a->nr - (k - i) + np;
}

/* The lowest [start, start + size - 1] in [min, max] overlapping nothing. */
static int arr_empty_area(const struct sorted_array *a, unsigned long min,
			  unsigned long max, unsigned long size,
			  unsigned long *start)
{
	unsigned long pos = min;
	size_t j = arr_upper(a, min);

	if (j && a->r[j - 1].last >= min)
		j--;
	for (;;) {
		unsigned long gap_last;

		if (j < a->nr && a->r[j].first <= pos) {
			if (a->r[j].last >= max)
				return -EBUSY;
			pos = a->r[j++].last + 1;
			continue;
		}
		if (pos > max)
			return -EBUSY;
		gap_last = j < a->nr ? a->r[j].first - 1 : ULONG_MAX;
		if (gap_last > max)
			gap_last = max;
		if (gap_last - pos >= size - 1) {
			*start = pos;
			return 0;
		}
		if (gap_last == max)
			return -EBUSY;
		pos = gap_last + 1;
	}
}

/* The highest [start, start + size - 1] in [min, max] overlapping nothing. */
static int arr_empty_area_rev(const struct sorted_array *a, unsigned long min,
			      unsigned long max, unsigned long size,
			      unsigned long *start)
{
	unsigned long end = max;
	size_t j = arr_upper(a, max);		/* a->r[j - 1]: last <= max */

	for (;;) {
		unsigned long gap_first;

		if (j && a->r[j - 1].last >= end) {
			if (a->r[j - 1].first <= min)
				return -EBUSY;
			end = a->r[--j].first - 1;
			continue;
		}
		if (end < min)
			return -EBUSY;
		gap_first = j ? a->r[j - 1].last + 1 : 0;
		if (gap_first < min)
			gap_first = min;
		if (end - gap_first >= size - 1) {
			*start = end - size + 1;
			return 0;
		}
		if (gap_first == min)
			return -EBUSY;
		end = gap_first - 1;
	}
}

/* ---- results ------------------------------------------------------- */

struct result {
	const char *group;
	const char *name;
	unsigned long ops;	/* operations per run */
	double med;		/* ns per operation */
	double min;
	double max;
	int baseline;		/* index of the result compared with, or -1 */
	double ratio;		/* median of the per-round ratios, or -1 */
};

static struct result results[MAX_RESULTS];
static int nr_results;

struct bench;
typedef double (*bench_fn)(struct bench *b, unsigned int rep);

struct bench {
	unsigned long n;		/* ranges */
	unsigned int repeats;
	unsigned long seed;
	const char *only;		/* comma-separated groups, or NULL */
	bool json;

	unsigned long *perm;		/* a random permutation of 0..n-1 */
	unsigned long *idx;		/* 10n random lookup indices */
	unsigned long nr_idx;
	struct sorted_array arr;	/* the n ranges, reference */
	struct maple_tree tree;		/* the n ranges, built once */
	struct sorted_array scratch;	/* baseline builds */

	/* gap search windows and parameters of the current measurement */
	unsigned long *win;
	unsigned long nr_win;
	unsigned long gap_size;
	bool gap_rev;
	bool shuffled;

	/* the VMA workload */
	unsigned int vma_flags;
	struct mt_stats vma_stats;
	unsigned long vma_writes;
	unsigned long vma_ops;
	unsigned long vma_final;
};

static double median_of(double *v, unsigned int nr)
{
	qsort(v, nr, sizeof(*v), cmp_double);
	if (nr % 2)
		return v[nr / 2];
	return (v[nr / 2 - 1] + v[nr / 2]) / 2;
}

/* One measurement of a set: a name, the run function, and what it is
 * compared with (the index of another case of the set, or -1). */
struct bcase {
	const char *name;
	bench_fn fn;
	int base;
};

/*
 * measure_set - run the cases of a set interleaved, @b->repeats rounds of
 * one run each, and record ns per operation (@ops operations per run).
 *
 * Interleaving makes a case and its baseline see the same machine load;
 * the ratio recorded is the median of the per-round ratios.
 */
static void measure_set(struct bench *b, const char *group, unsigned long ops,
			const struct bcase *c, int nr)
{
	unsigned int rep, r = b->repeats;
	double *s = xmalloc(nr * r * sizeof(*s));
	double *tmp = xmalloc(r * sizeof(*tmp));
	int i, first = nr_results;

	if (nr_results + nr > MAX_RESULTS) {
		fprintf(stderr, "bench_mtree: too many results\n");
		exit(2);
	}
	for (rep = 0; rep < r; rep++)
		for (i = 0; i < nr; i++)
			s[i * r + rep] = c[i].fn(b, rep) / (double)ops;

	for (i = 0; i < nr; i++) {
		struct result *res = &results[nr_results++];

		res->group = group;
		res->name = c[i].name;
		res->ops = ops;
		res->baseline = c[i].base >= 0 ? first + c[i].base : -1;
		res->ratio = -1;
		if (c[i].base >= 0) {
			for (rep = 0; rep < r; rep++)
				tmp[rep] = s[i * r + rep] /
					   s[c[i].base * r + rep];
			res->ratio = median_of(tmp, r);
		}
		memcpy(tmp, &s[i * r], r * sizeof(*tmp));
		res->med = median_of(tmp, r);
		res->min = tmp[0];
		res->max = tmp[r - 1];
		if (!b->json)
			fprintf(stderr, "  %-10s %-38s %9.1f ns/op\n", group,
				res->name, res->med);
	}
	free(tmp);
	free(s);
}

static const char *const groups[] = {
	"build", "lookup", "store", "iter", "gap", "dup", "prealloc",
};

/* Every name of a comma-separated -o list must be a group. */
static bool groups_valid(const char *list)
{
	while (*list) {
		size_t len = strcspn(list, ","), i;
		bool ok = false;

		for (i = 0; i < sizeof(groups) / sizeof(groups[0]); i++)
			if (strlen(groups[i]) == len &&
			    !strncmp(list, groups[i], len))
				ok = true;
		if (!ok)
			return false;
		list += len;
		if (*list)
			list++;
	}
	return true;
}

static bool wanted(const struct bench *b, const char *group)
{
	const char *p = b->only;
	size_t len = strlen(group);

	if (!p)
		return true;
	while ((p = strstr(p, group)) != NULL) {
		if ((p == b->only || p[-1] == ',') &&
		    (p[len] == '\0' || p[len] == ','))
			return true;
		p += len;
	}
	return false;
}

/* ---- building and checking trees ----------------------------------- */

static inline void *range_entry(unsigned long i)
{
	return xa_mk_value(i);
}

static void tree_fill_ascending(struct maple_tree *mt, unsigned int flags,
				const struct sorted_array *a)
{
	size_t i;

	mt_init_flags(mt, flags);
	for (i = 0; i < a->nr; i++) {
		int ret = mtree_store_range(mt, a->r[i].first, a->r[i].last,
					    a->r[i].entry, GFP_KERNEL);

		if (ret)
			fail("mtree_store_range(%lu, %lu) = %d while building",
			     a->r[i].first, a->r[i].last, ret);
	}
}

/*
 * Compare a whole tree with the reference: every range in order, by
 * mas_for_each(), then mt_validate().  Return: the number of differences.
 */
static unsigned long tree_check(struct maple_tree *mt,
				const struct sorted_array *a, const char *what)
{
	unsigned long bad = 0;
	size_t i = 0;
	void *entry;
	MA_STATE(mas, mt, 0, 0);

	mtree_lock(mt);
	mas_for_each(&mas, entry, ULONG_MAX) {
		if (i >= a->nr || mas.index != a->r[i].first ||
		    mas.last != a->r[i].last || entry != a->r[i].entry) {
			if (!bad)
				fail("%s: range #%zu is [%lu, %lu] -> %p, expected [%lu, %lu] -> %p",
				     what, i, mas.index, mas.last, entry,
				     i < a->nr ? a->r[i].first : 0,
				     i < a->nr ? a->r[i].last : 0,
				     i < a->nr ? a->r[i].entry : NULL);
			bad++;
		}
		i++;
	}
	if (i != a->nr) {
		fail("%s: %zu ranges in the tree, expected %zu", what, i, a->nr);
		bad++;
	}
	if (mt_validate(mt)) {
		fail("%s: mt_validate() failed (dump above)", what);
		bad++;
	}
	mtree_unlock(mt);
	return bad;
}

/* ---- a. build -------------------------------------------------------- */

static double bench_build_tree(struct bench *b, unsigned int rep)
{
	struct maple_tree mt;
	unsigned long i, err = 0;
	double t0, t1;

	mt_init_flags(&mt, MT_FLAGS_ALLOC_RANGE);
	t0 = now_ns();
	for (i = 0; i < b->n; i++) {
		unsigned long k = b->shuffled ? b->perm[i] : i;

		err |= mtree_store_range(&mt, STRIDE * k, STRIDE * k + SPAN - 1,
					 range_entry(k), GFP_KERNEL);
	}
	t1 = now_ns();
	if (err)
		fail("build: mtree_store_range failed");
	if (!rep)
		tree_check(&mt, &b->arr, b->shuffled ? "build shuffled" :
			   "build ascending");
	mtree_destroy(&mt);
	return t1 - t0;
}

static double bench_build_array(struct bench *b, unsigned int rep)
{
	struct sorted_array *a = &b->scratch;
	unsigned long i;
	double t0, t1;

	a->nr = 0;
	t0 = now_ns();
	for (i = 0; i < b->n; i++) {
		unsigned long k = b->shuffled ? b->perm[i] : i;

		arr_insert(a, STRIDE * k, STRIDE * k + SPAN - 1,
			   range_entry(k));
	}
	t1 = now_ns();
	if (!rep && (a->nr != b->arr.nr ||
		     memcmp(a->r, b->arr.r, a->nr * sizeof(*a->r))))
		fail("baseline build differs from the reference");
	return t1 - t0;
}

static void run_build(struct bench *b)
{
	const struct bcase shuffled[] = {
		{ "array random insert (memmove)", bench_build_array, -1 },
		{ "mtree_store_range shuffled", bench_build_tree, 0 },
	};
	const struct bcase ascending[] = {
		{ "array ascending append", bench_build_array, -1 },
		{ "mtree_store_range ascending", bench_build_tree, 0 },
	};

	b->shuffled = true;
	measure_set(b, "build", b->n, shuffled, 2);
	b->shuffled = false;
	measure_set(b, "build", b->n, ascending, 2);
}

/* ---- b. lookup ------------------------------------------------------- */

/* The timed loops are separate functions so that callgrind can count
 * their instructions alone (--toggle-collect=lookup_*). */
__attribute__((noinline))
static unsigned long lookup_tree_load(struct maple_tree *mt,
				      const unsigned long *idx, unsigned long nr)
{
	unsigned long i, sum = 0;

	for (i = 0; i < nr; i++)
		sum += (unsigned long)mtree_load(mt, idx[i]);
	return sum;
}

__attribute__((noinline))
static unsigned long lookup_tree_walk(struct maple_tree *mt,
				      const unsigned long *idx, unsigned long nr)
{
	unsigned long i, sum = 0;
	MA_STATE(mas, mt, 0, 0);

	mt_rcu_read_lock();
	for (i = 0; i < nr; i++) {
		mas_set(&mas, idx[i]);
		sum += (unsigned long)mas_walk(&mas);
	}
	mt_rcu_read_unlock();
	return sum;
}

__attribute__((noinline))
static unsigned long lookup_array(const struct sorted_array *a,
				  const unsigned long *idx, unsigned long nr)
{
	unsigned long i, sum = 0;

	for (i = 0; i < nr; i++)
		sum += (unsigned long)arr_load(a, idx[i]);
	return sum;
}

static unsigned long lookup_expected;

static void check_lookup_sum(const char *what, unsigned long sum)
{
	if (sum != lookup_expected)
		fail("%s: checksum %#lx, baseline %#lx", what, sum,
		     lookup_expected);
	sink = sum;
}

static double bench_lookup_load(struct bench *b, unsigned int rep)
{
	double t0 = now_ns();
	unsigned long sum = lookup_tree_load(&b->tree, b->idx, b->nr_idx);
	double t1 = now_ns();

	check_lookup_sum("mtree_load", sum);
	return t1 - t0;
}

static double bench_lookup_walk(struct bench *b, unsigned int rep)
{
	double t0 = now_ns();
	unsigned long sum = lookup_tree_walk(&b->tree, b->idx, b->nr_idx);
	double t1 = now_ns();

	check_lookup_sum("mas_walk", sum);
	return t1 - t0;
}

static double bench_lookup_array(struct bench *b, unsigned int rep)
{
	double t0 = now_ns();
	unsigned long sum = lookup_array(&b->arr, b->idx, b->nr_idx);
	double t1 = now_ns();

	check_lookup_sum("array lookup", sum);
	return t1 - t0;
}

/* Every lookup of the timed loops, one by one, against the baseline. */
static void check_lookups(struct bench *b)
{
	unsigned long i, bad = 0, hits = 0;
	MA_STATE(mas, &b->tree, 0, 0);

	mt_rcu_read_lock();
	for (i = 0; i < b->nr_idx; i++) {
		unsigned long index = b->idx[i], lo, hi;
		void *want = arr_walk(&b->arr, index, &lo, &hi);
		void *got = mtree_load(&b->tree, index);
		void *walked;

		mas_set(&mas, index);
		walked = mas_walk(&mas);
		hits += want != NULL;
		if (got != want || walked != want || mas.index != lo ||
		    mas.last != hi) {
			if (!bad)
				fail("lookup %lu: mtree_load %p, mas_walk %p [%lu, %lu], baseline %p [%lu, %lu]",
				     index, got, walked, mas.index, mas.last,
				     want, lo, hi);
			bad++;
		}
	}
	mt_rcu_read_unlock();
	if (bad)
		fail("lookup: %lu of %lu loads disagree with the baseline",
		     bad, b->nr_idx);
	lookup_expected = lookup_array(&b->arr, b->idx, b->nr_idx);
	if (!b->json)
		fprintf(stderr, "  lookup: %lu loads checked, %lu hits, %lu mismatches\n",
			b->nr_idx, hits, bad);
}

static void run_lookup(struct bench *b)
{
	const struct bcase cases[] = {
		{ "array binary search", bench_lookup_array, -1 },
		{ "mtree_load", bench_lookup_load, 0 },
		{ "mas_walk (one rcu_read_lock)", bench_lookup_walk, 0 },
	};

	check_lookups(b);
	measure_set(b, "lookup", b->nr_idx, cases, 3);
}

/* ---- c. store -------------------------------------------------------- */

static unsigned long store_types[MT_STORE_TYPES];

static void note_store_types(struct maple_tree *mt)
{
	struct mt_stats st;

	mt_get_stats(mt, &st);
	memcpy(store_types, st.stores, sizeof(store_types));
}

static void print_store_types(const char *what)
{
	unsigned long total = 0;
	int t;

	for (t = 0; t < MT_STORE_TYPES; t++)
		total += store_types[t];
	fprintf(stderr, "  %s: store types:", what);
	for (t = 0; t < MT_STORE_TYPES; t++)
		if (store_types[t])
			fprintf(stderr, " %s %.1f%%", mt_store_type_name(t),
				100.0 * store_types[t] / total);
	fputc('\n', stderr);
}

/* Overwrite every range exactly, in random order. */
static double bench_store_exact(struct bench *b, unsigned int rep)
{
	struct maple_tree mt;
	unsigned long i, err = 0;
	double t0, t1;

	tree_fill_ascending(&mt, MT_FLAGS_ALLOC_RANGE, &b->arr);
	mt_reset_stats(&mt);
	t0 = now_ns();
	for (i = 0; i < b->n; i++) {
		unsigned long k = b->perm[i];

		err |= mtree_store_range(&mt, STRIDE * k, STRIDE * k + SPAN - 1,
					 range_entry(b->n + k), GFP_KERNEL);
	}
	t1 = now_ns();
	if (err)
		fail("store exact: mtree_store_range failed");
	if (!rep) {
		struct sorted_array want;

		arr_init(&want, b->n);
		for (i = 0; i < b->n; i++)
			arr_insert(&want, STRIDE * i, STRIDE * i + SPAN - 1,
				   range_entry(b->n + i));
		tree_check(&mt, &want, "store exact fit");
		arr_free(&want);
		note_store_types(&mt);
		if (!b->json)
			print_store_types("exact fit");
	}
	mtree_destroy(&mt);
	return t1 - t0;
}

/* Store [10i + 6, 10i + 8] into every gap, in random order. */
static double bench_store_gap(struct bench *b, unsigned int rep)
{
	struct maple_tree mt;
	unsigned long i, err = 0;
	double t0, t1;

	tree_fill_ascending(&mt, MT_FLAGS_ALLOC_RANGE, &b->arr);
	mt_reset_stats(&mt);
	t0 = now_ns();
	for (i = 0; i < b->n; i++) {
		unsigned long k = b->perm[i];

		err |= mtree_store_range(&mt, STRIDE * k + SPAN,
					 STRIDE * k + STRIDE - 2,
					 range_entry(b->n + k), GFP_KERNEL);
	}
	t1 = now_ns();
	if (err)
		fail("store in gaps: mtree_store_range failed");
	if (!rep) {
		struct sorted_array want;

		arr_init(&want, 2 * b->n);
		for (i = 0; i < b->n; i++) {
			arr_insert(&want, STRIDE * i, STRIDE * i + SPAN - 1,
				   range_entry(i));
			arr_insert(&want, STRIDE * i + SPAN,
				   STRIDE * i + STRIDE - 2,
				   range_entry(b->n + i));
		}
		tree_check(&mt, &want, "store in gaps");
		arr_free(&want);
		note_store_types(&mt);
		if (!b->json)
			print_store_types("store in gaps");
	}
	mtree_destroy(&mt);
	return t1 - t0;
}

/* mtree_erase() a range and store it again, every range in random order. */
static double bench_store_erase(struct bench *b, unsigned int rep)
{
	struct maple_tree mt;
	unsigned long i, err = 0, wrong = 0;
	double t0, t1;

	tree_fill_ascending(&mt, MT_FLAGS_ALLOC_RANGE, &b->arr);
	mt_reset_stats(&mt);
	t0 = now_ns();
	for (i = 0; i < b->n; i++) {
		unsigned long k = b->perm[i];

		wrong += mtree_erase(&mt, STRIDE * k) != range_entry(k);
		err |= mtree_store_range(&mt, STRIDE * k, STRIDE * k + SPAN - 1,
					 range_entry(k), GFP_KERNEL);
	}
	t1 = now_ns();
	if (err)
		fail("erase+store: mtree_store_range failed");
	if (wrong)
		fail("erase+store: %lu erases returned the wrong entry", wrong);
	if (!rep) {
		tree_check(&mt, &b->arr, "erase + re-store");
		note_store_types(&mt);
		if (!b->json)
			print_store_types("erase + re-store");
	}
	mtree_destroy(&mt);
	return t1 - t0;
}

static void run_store(struct bench *b)
{
	const struct bcase cases[] = {
		{ "overwrite exact fit", bench_store_exact, -1 },
		{ "store into gaps", bench_store_gap, -1 },
		{ "mtree_erase + re-store (pair)", bench_store_erase, -1 },
	};

	measure_set(b, "store", b->n, cases, 3);
}

/* ---- d. iteration ---------------------------------------------------- */

static double bench_iter_mas(struct bench *b, unsigned int rep)
{
	unsigned long sum = 0, nr = 0;
	void *entry;
	double t0, t1;
	MA_STATE(mas, &b->tree, 0, 0);

	t0 = now_ns();
	mt_rcu_read_lock();
	mas_for_each(&mas, entry, ULONG_MAX) {
		sum += (unsigned long)entry;
		nr++;
	}
	mt_rcu_read_unlock();
	t1 = now_ns();
	if (nr != b->n)
		fail("mas_for_each: %lu entries, expected %lu", nr, b->n);
	sink = sum;
	return t1 - t0;
}

static double bench_iter_mt(struct bench *b, unsigned int rep)
{
	unsigned long sum = 0, nr = 0, index = 0;
	void *entry;
	double t0, t1;

	t0 = now_ns();
	mt_for_each(&b->tree, entry, index, ULONG_MAX) {
		sum += (unsigned long)entry;
		nr++;
	}
	t1 = now_ns();
	if (nr != b->n)
		fail("mt_for_each: %lu entries, expected %lu", nr, b->n);
	sink = sum;
	return t1 - t0;
}

static double bench_iter_array(struct bench *b, unsigned int rep)
{
	unsigned long sum = 0, nr = 0;
	double t0, t1;
	size_t i;

	t0 = now_ns();
	for (i = 0; i < b->arr.nr; i++) {
		sum += (unsigned long)b->arr.r[i].entry;
		nr++;
	}
	t1 = now_ns();
	sink = sum + nr;
	return t1 - t0;
}

static void run_iter(struct bench *b)
{
	const struct bcase cases[] = {
		{ "array scan", bench_iter_array, -1 },
		{ "mas_for_each (one rcu_read_lock)", bench_iter_mas, 0 },
		{ "mt_for_each", bench_iter_mt, 0 },
	};

	measure_set(b, "iter", b->n, cases, 3);
}

/* ---- e. gap search --------------------------------------------------- */

static double bench_gap_tree(struct bench *b, unsigned int rep)
{
	unsigned long i, sum = 0;
	double t0, t1;
	MA_STATE(mas, &b->tree, 0, 0);

	mtree_lock(&b->tree);
	t0 = now_ns();
	for (i = 0; i < b->nr_win; i++) {
		unsigned long min = b->win[i], max = min + WINDOW - 1;
		int ret;

		mas_reset(&mas);
		if (b->gap_rev)
			ret = mas_empty_area_rev(&mas, min, max, b->gap_size);
		else
			ret = mas_empty_area(&mas, min, max, b->gap_size);
		sum += ret ? 1 : mas.index;
	}
	t1 = now_ns();
	mtree_unlock(&b->tree);
	sink = sum;
	return t1 - t0;
}

static double bench_gap_array(struct bench *b, unsigned int rep)
{
	unsigned long i, sum = 0, start = 0;
	double t0, t1;

	t0 = now_ns();
	for (i = 0; i < b->nr_win; i++) {
		unsigned long min = b->win[i], max = min + WINDOW - 1;
		int ret;

		if (b->gap_rev)
			ret = arr_empty_area_rev(&b->arr, min, max, b->gap_size,
						 &start);
		else
			ret = arr_empty_area(&b->arr, min, max, b->gap_size,
					     &start);
		sum += ret ? 1 : start;
	}
	t1 = now_ns();
	sink = sum;
	return t1 - t0;
}

/* Every search of the timed loops against the baseline. */
static void check_gaps(struct bench *b, const char *what)
{
	unsigned long i, bad = 0, found = 0;
	MA_STATE(mas, &b->tree, 0, 0);

	mtree_lock(&b->tree);
	for (i = 0; i < b->nr_win; i++) {
		unsigned long min = b->win[i], max = min + WINDOW - 1;
		unsigned long start = 0;
		int ret, want;

		mas_reset(&mas);
		if (b->gap_rev) {
			ret = mas_empty_area_rev(&mas, min, max, b->gap_size);
			want = arr_empty_area_rev(&b->arr, min, max,
						  b->gap_size, &start);
		} else {
			ret = mas_empty_area(&mas, min, max, b->gap_size);
			want = arr_empty_area(&b->arr, min, max, b->gap_size,
					      &start);
		}
		found += !want;
		if (ret != want || (!ret && (mas.index != start ||
			mas.last != start + b->gap_size - 1))) {
			if (!bad)
				fail("%s [%lu, %lu] size %lu: tree %d [%lu, %lu], baseline %d [%lu, ...]",
				     what, min, max, b->gap_size, ret,
				     mas.index, mas.last, want, start);
			bad++;
		}
	}
	mtree_unlock(&b->tree);
	if (bad)
		fail("%s: %lu of %lu searches disagree with the baseline",
		     what, bad, b->nr_win);
	if (!b->json)
		fprintf(stderr, "  gap: %s size %lu: %lu searches checked, %lu found, %lu mismatches\n",
			what, b->gap_size, b->nr_win, found, bad);
}

static void run_gap(struct bench *b)
{
	static const struct {
		const char *tree, *array;
		unsigned long size;
		bool rev;
	} cases[] = {
		{ "mas_empty_area (fits)", "array empty_area (fits)",
		  GAP, false },
		{ "mas_empty_area_rev (fits)", "array empty_area_rev (fits)",
		  GAP, true },
		{ "mas_empty_area (no fit)", "array empty_area (no fit)",
		  GAP + 1, false },
		{ "mas_empty_area_rev (no fit)", "array empty_area_rev (no fit)",
		  GAP + 1, true },
	};
	unsigned int c;

	for (c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		const struct bcase set[] = {
			{ cases[c].array, bench_gap_array, -1 },
			{ cases[c].tree, bench_gap_tree, 0 },
		};

		b->gap_size = cases[c].size;
		b->gap_rev = cases[c].rev;
		check_gaps(b, cases[c].tree);
		measure_set(b, "gap", b->nr_win, set, 2);
	}
}

/* ---- f. dup ---------------------------------------------------------- */

static unsigned long dup_nodes, rebuild_nodes;

static double bench_dup(struct bench *b, unsigned int rep)
{
	struct maple_tree mt;
	double t0, t1;
	int ret;

	mt_init_flags(&mt, MT_FLAGS_ALLOC_RANGE);
	mtree_lock(&mt);
	mtree_lock(&b->tree);
	t0 = now_ns();
	ret = __mt_dup(&b->tree, &mt, GFP_KERNEL);
	t1 = now_ns();
	mtree_unlock(&b->tree);
	mtree_unlock(&mt);
	if (ret)
		fail("__mt_dup = %d", ret);
	if (!rep) {
		tree_check(&mt, &b->arr, "__mt_dup copy");
		mtree_lock(&mt);
		dup_nodes = mt_nr_nodes(&mt);
		mtree_unlock(&mt);
	}
	mtree_destroy(&mt);
	return t1 - t0;
}

/* What fork did before __mt_dup: walk the old tree, store into the new. */
static double bench_dup_rebuild(struct bench *b, unsigned int rep)
{
	struct maple_tree mt;
	unsigned long err = 0;
	void *entry;
	double t0, t1;
	MA_STATE(old, &b->tree, 0, 0);
	MA_STATE(new, &mt, 0, 0);

	mt_init_flags(&mt, MT_FLAGS_ALLOC_RANGE);
	mtree_lock(&mt);
	mtree_lock(&b->tree);
	t0 = now_ns();
	mas_for_each(&old, entry, ULONG_MAX) {
		mas_set_range(&new, old.index, old.last);
		err |= mas_store_gfp(&new, entry, GFP_KERNEL);
	}
	t1 = now_ns();
	mtree_unlock(&b->tree);
	mtree_unlock(&mt);
	if (err)
		fail("rebuild: mas_store_gfp failed");
	if (!rep) {
		tree_check(&mt, &b->arr, "rebuild by insertion");
		mtree_lock(&mt);
		rebuild_nodes = mt_nr_nodes(&mt);
		mtree_unlock(&mt);
	}
	mtree_destroy(&mt);
	return t1 - t0;
}

static void run_dup(struct bench *b)
{
	const struct bcase cases[] = {
		{ "rebuild: mas_for_each + mas_store_gfp", bench_dup_rebuild,
		  -1 },
		{ "__mt_dup", bench_dup, 0 },
	};

	measure_set(b, "dup", b->n, cases, 2);
	if (!b->json)
		fprintf(stderr, "  dup: nodes: source/copy %lu, rebuilt %lu\n",
			dup_nodes, rebuild_nodes);
}

/* ---- g. preallocation: a VMA-like write stream ---------------------- */

#define VMA_PAGE_SHIFT	12
#define VMA_PAGE	(1UL << VMA_PAGE_SHIFT)
#define VMA_LOW		0x10000UL		/* mmap_min_addr */
#define VMA_HIGH	0x7ffff7fff000UL	/* mmap_base: top-down below */

enum vma_op { VMA_MMAP, VMA_SPLIT, VMA_MUNMAP, VMA_EXPAND, VMA_OPS };

struct vma_work {
	struct maple_tree *mt;
	struct sorted_array *mirror;	/* reference copy, or NULL */
	struct rng rng;
	unsigned long next_id;
	unsigned long nr_vmas;		/* maintained incrementally */
	unsigned long writes;
	unsigned long done[VMA_OPS];
	unsigned long skipped;
};

/* One write as the VMA code does it: preallocate, then store. */
static void vma_write(struct vma_work *w, unsigned long first,
		      unsigned long last, void *entry)
{
	MA_STATE(mas, w->mt, first, last);
	int ret;

	ret = mas_preallocate(&mas, entry, GFP_KERNEL);
	if (ret) {
		fail("mas_preallocate(%#lx, %#lx) = %d", first, last, ret);
		return;
	}
	mas_store_prealloc(&mas, entry);
	if (w->mirror)
		arr_store_range(w->mirror, first, last, entry);
	w->writes++;
}

static void *vma_new(struct vma_work *w)
{
	return xa_mk_value(w->next_id++);
}

/* Pages of a new mapping: mostly small, sometimes large. */
static unsigned long vma_pages(struct vma_work *w)
{
	unsigned long r = rng_below(&w->rng, 100);

	if (r < 60)
		return 1 + rng_below(&w->rng, 8);
	if (r < 90)
		return 1 + rng_below(&w->rng, 64);
	return 1 + rng_below(&w->rng, 1024);
}

/* The first VMA at or above a random address of the mapped area. */
static void *vma_pick(struct vma_work *w, unsigned long *start,
		      unsigned long *last)
{
	unsigned long low, addr;
	void *entry;
	MA_STATE(mas, w->mt, 0, 0);

	entry = mas_find(&mas, ULONG_MAX);
	if (!entry)
		return NULL;
	low = mas.index;
	addr = low + rng_below(&w->rng, VMA_HIGH - low);
	mas_set(&mas, addr);
	entry = mas_find(&mas, ULONG_MAX);
	if (!entry) {
		mas_set(&mas, low);
		entry = mas_find(&mas, ULONG_MAX);
	}
	*start = mas.index;
	*last = mas.last;
	return entry;
}

static bool vma_mmap(struct vma_work *w)
{
	unsigned long len = vma_pages(w) << VMA_PAGE_SHIFT;
	MA_STATE(mas, w->mt, 0, 0);

	if (mas_empty_area_rev(&mas, VMA_LOW, VMA_HIGH - 1, len))
		return false;
	vma_write(w, mas.index, mas.index + len - 1, vma_new(w));
	w->nr_vmas++;
	return true;
}

/* mprotect() of part of a VMA: a new entry over the middle (or the tail). */
static bool vma_split(struct vma_work *w)
{
	unsigned long s, e, pages, off, len;

	if (!vma_pick(w, &s, &e))
		return false;
	pages = (e - s + 1) >> VMA_PAGE_SHIFT;
	if (pages >= 3) {
		off = 1 + rng_below(&w->rng, pages - 2);
		len = 1 + rng_below(&w->rng, pages - 1 - off);
		w->nr_vmas += 2;
	} else if (pages == 2) {
		off = 1;
		len = 1;
		w->nr_vmas += 1;
	} else {
		return false;
	}
	vma_write(w, s + (off << VMA_PAGE_SHIFT),
		  s + ((off + len) << VMA_PAGE_SHIFT) - 1, vma_new(w));
	return true;
}

/* munmap() from inside one VMA to inside one of the next three. */
static bool vma_munmap(struct vma_work *w)
{
	unsigned long s, e, s1, first, last, k, want, pages;
	void *entry;
	MA_STATE(mas, w->mt, 0, 0);

	if (!vma_pick(w, &s, &e))
		return false;
	s1 = s;
	pages = (e - s + 1) >> VMA_PAGE_SHIFT;
	first = s;
	if (rng_below(&w->rng, 2))
		first += rng_below(&w->rng, pages) << VMA_PAGE_SHIFT;
	want = 1 + rng_below(&w->rng, 4);
	mas_set(&mas, e + 1);
	for (k = 1; k < want; k++) {
		entry = mas_find(&mas, VMA_HIGH - 1);
		if (!entry)
			break;
		s = mas.index;
		e = mas.last;
	}
	pages = (e - s + 1) >> VMA_PAGE_SHIFT;
	last = e;
	if (rng_below(&w->rng, 2))
		last -= rng_below(&w->rng, pages) << VMA_PAGE_SHIFT;
	if (last < first)
		last = e;
	/* k VMAs touched; a VMA trimmed at either end keeps a part. */
	w->nr_vmas = w->nr_vmas - k + (first > s1) + (last < e);
	vma_write(w, first, last, NULL);
	return true;
}

/* brk()/merge: grow a VMA into the gap above it. */
static bool vma_expand(struct vma_work *w)
{
	unsigned long s, e, room, grow;
	void *entry;
	MA_STATE(mas, w->mt, 0, 0);

	entry = vma_pick(w, &s, &e);
	if (!entry || e >= VMA_HIGH - 1)
		return false;
	mas_set(&mas, e + 1);
	if (mas_walk(&mas))
		return false;
	room = ((mas.last < VMA_HIGH - 1 ? mas.last : VMA_HIGH - 1) - e) >>
	       VMA_PAGE_SHIFT;
	if (!room)
		return false;
	grow = 1 + rng_below(&w->rng, room < 16 ? room : 16);
	vma_write(w, s, e + (grow << VMA_PAGE_SHIFT), entry);
	return true;
}

static bool vma_step(struct vma_work *w, enum vma_op op)
{
	bool ok;

	mtree_lock(w->mt);
	switch (op) {
	case VMA_MMAP:
		ok = vma_mmap(w);
		break;
	case VMA_SPLIT:
		ok = vma_split(w);
		break;
	case VMA_MUNMAP:
		ok = vma_munmap(w);
		break;
	default:
		ok = vma_expand(w);
		break;
	}
	mtree_unlock(w->mt);
	if (ok)
		w->done[op]++;
	else
		w->skipped++;
	return ok;
}

static unsigned long tree_count(struct maple_tree *mt)
{
	unsigned long nr = 0;
	void *entry;
	MA_STATE(mas, mt, 0, 0);

	mt_rcu_read_lock();
	mas_for_each(&mas, entry, ULONG_MAX)
		nr++;
	mt_rcu_read_unlock();
	return nr;
}

/*
 * One run of the workload: populate b->n / 10 VMAs by mmap, reset the
 * counters, then b->n mixed operations.  Return: ns of the mixed phase.
 */
static double vma_run(struct bench *b, bool check)
{
	unsigned long target = b->n / 10 > 100 ? b->n / 10 : 100, i;
	struct sorted_array mirror;
	struct maple_tree mt;
	struct vma_work w = {
		.mt = &mt,
		.rng = { b->seed ^ 0x564d41ULL },
		.next_id = 1,
	};
	double t0, t1;

	mt_init_flags(&mt, b->vma_flags);
	if (check) {
		arr_init(&mirror, 2 * target);
		w.mirror = &mirror;
	}
	while (w.nr_vmas < target)
		if (!vma_step(&w, VMA_MMAP))
			break;
	mt_reset_stats(&mt);
	memset(w.done, 0, sizeof(w.done));
	w.skipped = 0;
	w.writes = 0;

	t0 = now_ns();
	for (i = 0; i < b->n; i++) {
		unsigned long r = rng_below(&w.rng, 100);
		bool grow = w.nr_vmas < target;
		enum vma_op op;

		/* mmap 40/25%, split 20%, munmap 25/40%, expand 15% */
		if (r < (grow ? 40 : 25))
			op = VMA_MMAP;
		else if (r < (grow ? 60 : 45))
			op = VMA_SPLIT;
		else if (r < 85)
			op = VMA_MUNMAP;
		else
			op = VMA_EXPAND;
		vma_step(&w, op);
		if (check && !(i % (b->n / 8 + 1))) {
			char what[64];

			snprintf(what, sizeof(what), "VMA workload op %lu", i);
			if (tree_check(&mt, &mirror, what))
				break;
		}
	}
	t1 = now_ns();

	mt_get_stats(&mt, &b->vma_stats);
	b->vma_writes = w.writes;
	b->vma_ops = b->n;
	b->vma_final = tree_count(&mt);
	if (check) {
		tree_check(&mt, &mirror, "VMA workload end");
		if (w.nr_vmas != b->vma_final)
			fprintf(stderr, "  warning: VMA count %lu, tracked %lu\n",
				b->vma_final, w.nr_vmas);
		arr_free(&mirror);
		if (!b->json)
			fprintf(stderr, "  prealloc %s: %lu writes (mmap %lu, split %lu, munmap %lu, expand %lu, skipped %lu), %lu VMAs at the end\n",
				mt_in_rcu(&mt) ? "rcu" : "plain", w.writes,
				w.done[VMA_MMAP], w.done[VMA_SPLIT],
				w.done[VMA_MUNMAP], w.done[VMA_EXPAND],
				w.skipped, b->vma_final);
	}
	mtree_destroy(&mt);
	mt_rcu_barrier();
	return t1 - t0;
}

static double bench_vma(struct bench *b, unsigned int rep)
{
	struct mt_stats first;
	double ns;

	if (!rep)
		vma_run(b, true);	/* the checked run, not timed */
	first = b->vma_stats;
	ns = vma_run(b, false);
	if (memcmp(first.prealloc_requested, b->vma_stats.prealloc_requested,
		   sizeof(first.prealloc_requested)) ||
	    memcmp(first.prealloc_used, b->vma_stats.prealloc_used,
		   sizeof(first.prealloc_used)))
		fail("VMA workload: counters differ between identical runs");
	return ns * (double)b->vma_ops / (double)b->vma_writes;
}

struct prealloc_table {
	const char *mode;
	struct mt_stats st;
	unsigned long writes;
	unsigned long vmas;
};

static struct prealloc_table ptab[2];
static int nr_ptab;

static void run_prealloc(struct bench *b)
{
	static const struct {
		const char *mode, *name;
		unsigned int flags;
	} modes[] = {
		{ "rcu", "VMA writes, RCU tree (per write)",
		  MT_FLAGS_ALLOC_RANGE | MT_FLAGS_USE_RCU },
		{ "plain", "VMA writes, plain tree (per write)",
		  MT_FLAGS_ALLOC_RANGE },
	};
	unsigned int m;

	for (m = 0; m < 2; m++) {
		const struct bcase set[] = {
			{ modes[m].name, bench_vma, -1 },
		};

		b->vma_flags = modes[m].flags;
		/* ops = b->n: bench_vma converts to ns per write itself */
		measure_set(b, "prealloc", b->n, set, 1);
		ptab[nr_ptab].mode = modes[m].mode;
		ptab[nr_ptab].st = b->vma_stats;
		ptab[nr_ptab].writes = b->vma_writes;
		ptab[nr_ptab].vmas = b->vma_final;
		nr_ptab++;
	}
}

/* ---- output ----------------------------------------------------------- */

static char cpu_model[128] = "unknown";
static char kernel[128] = "unknown";
static char date[32] = "unknown";
static long ncpu;

static void machine_info(void)
{
	struct utsname u;
	char line[256];
	time_t t = time(NULL);
	struct tm tm;
	FILE *f;

	ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	if (!uname(&u))
		snprintf(kernel, sizeof(kernel), "%s", u.release);
	if (localtime_r(&t, &tm))
		strftime(date, sizeof(date), "%Y-%m-%d %H:%M", &tm);
	f = fopen("/proc/cpuinfo", "r");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		char *p = strchr(line, ':');

		if (strncmp(line, "model name", 10) || !p)
			continue;
		p++;
		while (*p == ' ' || *p == '\t')
			p++;
		p[strcspn(p, "\n")] = '\0';
		snprintf(cpu_model, sizeof(cpu_model), "%s", p);
		break;
	}
	fclose(f);
}

static void print_table(const struct bench *b)
{
	const char *group = "";
	int i, t;

	printf("bench_mtree: n=%lu repeats=%u seed=%lu\n", b->n, b->repeats,
	       b->seed);
	printf("machine: %ld CPUs, %s, kernel %s, %s\n\n", ncpu, cpu_model,
	       kernel, date);
	printf("%-9s %-38s %10s %10s %10s %9s\n", "group", "measurement",
	       "median", "min", "max", "vs base");
	printf("%-9s %-38s %10s %10s %10s %9s\n", "", "", "ns/op", "ns/op",
	       "ns/op", "(median)");
	for (i = 0; i < nr_results; i++) {
		const struct result *r = &results[i];

		if (strcmp(group, r->group))
			putchar('\n');
		group = r->group;
		printf("%-9s %-38s %10.1f %10.1f %10.1f", r->group, r->name,
		       r->med, r->min, r->max);
		if (r->baseline >= 0)
			printf(" %8.2fx", r->ratio);
		putchar('\n');
	}

	for (i = 0; i < nr_ptab; i++) {
		const struct mt_stats *st = &ptab[i].st;
		unsigned long c = 0, q = 0, l = 0, w = 0, u = 0;

		printf("\npreallocation, VMA-like stream, %s tree: %lu writes, %lu VMAs at the end\n",
		       ptab[i].mode, ptab[i].writes, ptab[i].vmas);
		printf("%-18s %8s %10s %12s %12s %8s %9s\n", "store type",
		       "calls", "requested", "linux-6.18", "worst-2023",
		       "used", "stores");
		for (t = 0; t < MT_STORE_TYPES; t++) {
			if (!st->prealloc_calls[t] && !st->stores[t])
				continue;
			printf("%-18s %8lu %10lu %12lu %12lu %8lu %9lu\n",
			       mt_store_type_name(t), st->prealloc_calls[t],
			       st->prealloc_requested[t],
			       st->prealloc_linux[t], st->prealloc_worst[t],
			       st->prealloc_used[t], st->stores[t]);
			c += st->prealloc_calls[t];
			q += st->prealloc_requested[t];
			l += st->prealloc_linux[t];
			w += st->prealloc_worst[t];
			u += st->prealloc_used[t];
		}
		printf("%-18s %8lu %10lu %12lu %12lu %8lu\n", "total", c, q, l,
		       w, u);
		printf("nodes per write: requested %.3f, linux-6.18 %.3f, worst-2023 %.3f, used %.3f\n",
		       c ? (double)q / c : 0, c ? (double)l / c : 0,
		       c ? (double)w / c : 0, c ? (double)u / c : 0);
		printf("requested/linux %.3f, requested/worst %.3f, used/requested %.3f; unused %lu, fallbacks %lu\n",
		       l ? (double)q / l : 0, w ? (double)q / w : 0,
		       q ? (double)u / q : 0, st->prealloc_unused,
		       st->prealloc_fallbacks);
	}
}

static void json_string(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			printf("\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			printf("\\u%04x", *s);
		else
			putchar(*s);
	}
	putchar('"');
}

static void print_json(const struct bench *b)
{
	int i, t;

	printf("{\"params\":{\"n\":%lu,\"repeats\":%u,\"seed\":%lu},",
	       b->n, b->repeats, b->seed);
	printf("\"machine\":{\"nproc\":%ld,\"cpu\":", ncpu);
	json_string(cpu_model);
	printf(",\"kernel\":");
	json_string(kernel);
	printf(",\"date\":");
	json_string(date);
	printf("},\"failures\":%lu,\"results\":[", failures);
	for (i = 0; i < nr_results; i++) {
		const struct result *r = &results[i];

		printf("%s{\"group\":", i ? "," : "");
		json_string(r->group);
		printf(",\"name\":");
		json_string(r->name);
		printf(",\"ops\":%lu,\"median_ns\":%.2f,\"min_ns\":%.2f,\"max_ns\":%.2f",
		       r->ops, r->med, r->min, r->max);
		if (r->baseline >= 0) {
			printf(",\"baseline\":");
			json_string(results[r->baseline].name);
			printf(",\"ratio\":%.3f", r->ratio);
		}
		putchar('}');
	}
	printf("],\"prealloc\":[");
	for (i = 0; i < nr_ptab; i++) {
		const struct mt_stats *st = &ptab[i].st;
		bool first = true;

		printf("%s{\"mode\":", i ? "," : "");
		json_string(ptab[i].mode);
		printf(",\"writes\":%lu,\"vmas\":%lu,\"unused\":%lu,\"fallbacks\":%lu,\"types\":{",
		       ptab[i].writes, ptab[i].vmas, st->prealloc_unused,
		       st->prealloc_fallbacks);
		for (t = 0; t < MT_STORE_TYPES; t++) {
			if (!st->prealloc_calls[t] && !st->stores[t])
				continue;
			printf("%s", first ? "" : ",");
			first = false;
			json_string(mt_store_type_name(t));
			printf(":{\"calls\":%lu,\"requested\":%lu,\"linux\":%lu,\"worst\":%lu,\"used\":%lu,\"stores\":%lu}",
			       st->prealloc_calls[t],
			       st->prealloc_requested[t],
			       st->prealloc_linux[t], st->prealloc_worst[t],
			       st->prealloc_used[t], st->stores[t]);
		}
		printf("}}");
	}
	printf("]}\n");
}

/* ---- main -------------------------------------------------------------- */

static void usage(FILE *f)
{
	fprintf(f,
		"usage: bench_mtree [-n RANGES] [-r REPEATS] [-s SEED] [-o GROUPS] [--json]\n"
		"  -n RANGES   ranges in the benchmark tree (default 50000)\n"
		"  -r REPEATS  runs of each measurement; the median is reported (default 7)\n"
		"  -s SEED     random seed (default 1)\n"
		"  -o GROUPS   only these groups, comma-separated:\n"
		"              build,lookup,store,iter,gap,dup,prealloc\n"
		"  --json      print one JSON object instead of the table\n");
}

static unsigned long parse_ulong(const char *s, const char *what)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 0);
	if (errno || !*s || *end) {
		fprintf(stderr, "bench_mtree: bad %s '%s'\n", what, s);
		exit(2);
	}
	return v;
}

static void setup(struct bench *b)
{
	struct rng r = { b->seed };
	unsigned long i;

	b->perm = xmalloc(b->n * sizeof(*b->perm));
	for (i = 0; i < b->n; i++)
		b->perm[i] = i;
	for (i = b->n - 1; i > 0; i--) {
		unsigned long j = rng_below(&r, i + 1), t = b->perm[i];

		b->perm[i] = b->perm[j];
		b->perm[j] = t;
	}

	/* Lookups over the whole index space, plus a little past the end. */
	b->nr_idx = 10 * b->n;
	b->idx = xmalloc(b->nr_idx * sizeof(*b->idx));
	for (i = 0; i < b->nr_idx; i++)
		b->idx[i] = rng_below(&r, STRIDE * b->n + STRIDE);

	b->nr_win = b->n;
	b->win = xmalloc(b->nr_win * sizeof(*b->win));
	for (i = 0; i < b->nr_win; i++)
		b->win[i] = rng_below(&r, STRIDE * b->n - WINDOW);

	arr_init(&b->arr, b->n);
	for (i = 0; i < b->n; i++)
		arr_insert(&b->arr, STRIDE * i, STRIDE * i + SPAN - 1,
			   range_entry(i));
	arr_init(&b->scratch, b->n);

	/* The shared tree is built in random order, like a real one. */
	mt_init_flags(&b->tree, MT_FLAGS_ALLOC_RANGE);
	for (i = 0; i < b->n; i++) {
		unsigned long k = b->perm[i];

		if (mtree_store_range(&b->tree, STRIDE * k,
				      STRIDE * k + SPAN - 1, range_entry(k),
				      GFP_KERNEL))
			fail("setup: mtree_store_range(%lu) failed", k);
	}
	tree_check(&b->tree, &b->arr, "setup tree");
	mtree_lock(&b->tree);
	if (!b->json)
		fprintf(stderr, "  setup: %lu ranges, height %u, %lu nodes\n",
			b->n, mt_height(&b->tree), mt_nr_nodes(&b->tree));
	mtree_unlock(&b->tree);
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct bench b = {
		.n = 50000,
		.repeats = 7,
		.seed = 1,
	};
	int c;

	while ((c = getopt_long(argc, argv, "n:r:s:o:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'n':
			b.n = parse_ulong(optarg, "-n");
			break;
		case 'r':
			b.repeats = parse_ulong(optarg, "-r");
			break;
		case 's':
			b.seed = parse_ulong(optarg, "-s");
			break;
		case 'o':
			if (!groups_valid(optarg)) {
				fprintf(stderr, "bench_mtree: unknown group in '%s'\n",
					optarg);
				usage(stderr);
				return 2;
			}
			b.only = optarg;
			break;
		case 'j':
			b.json = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind != argc || b.n < 2 * WINDOW / STRIDE || !b.repeats ||
	    b.repeats > 1000) {
		fprintf(stderr, "bench_mtree: need -n >= %lu and 1 <= -r <= 1000\n",
			2 * WINDOW / STRIDE);
		usage(stderr);
		return 2;
	}

	machine_info();
	setup(&b);
	if (wanted(&b, "build"))
		run_build(&b);
	if (wanted(&b, "lookup"))
		run_lookup(&b);
	if (wanted(&b, "store"))
		run_store(&b);
	if (wanted(&b, "iter"))
		run_iter(&b);
	if (wanted(&b, "gap"))
		run_gap(&b);
	if (wanted(&b, "dup"))
		run_dup(&b);
	if (wanted(&b, "prealloc"))
		run_prealloc(&b);

	if (b.json)
		print_json(&b);
	else
		print_table(&b);

	mtree_destroy(&b.tree);
	mt_rcu_barrier();
	arr_free(&b.arr);
	arr_free(&b.scratch);
	free(b.perm);
	free(b.idx);
	free(b.win);
	if (failures) {
		fprintf(stderr, "\nFAILED: %lu wrong results (the numbers above are not valid)\n",
			failures);
		return 1;
	}
	return 0;
}
