/* SPDX-License-Identifier: MIT */
/*
 * model.c - the reference model of a maple tree used by the tests: a sorted
 * array of non-overlapping ranges, the queries that mirror the tree's API,
 * and model_compare_tree() which checks a real tree against it.
 *
 * Everything here is deliberately simple (binary search plus memmove) so
 * that it is obviously right; speed only matters enough for the randomized
 * test to run a million operations on up to ~20k ranges.
 */
#include "model.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mtree/rcu.h>

void model_init(struct model *m)
{
	m->r = NULL;
	m->nr = 0;
	m->cap = 0;
}

void model_destroy(struct model *m)
{
	free(m->r);
	model_init(m);
}

void model_clear(struct model *m)
{
	m->nr = 0;
}

static void model_reserve(struct model *m, size_t want)
{
	struct model_range *r;
	size_t cap;

	if (want <= m->cap)
		return;
	cap = m->cap ? m->cap : 64;
	while (cap < want)
		cap *= 2;
	r = realloc(m->r, cap * sizeof(*r));
	if (!r) {
		fprintf(stderr, "model: out of memory (%zu ranges)\n", cap);
		abort();
	}
	m->r = r;
	m->cap = cap;
}

void model_copy(struct model *dst, const struct model *src)
{
	model_init(dst);
	model_reserve(dst, src->nr);
	if (src->nr)
		memcpy(dst->r, src->r, src->nr * sizeof(*src->r));
	dst->nr = src->nr;
}

/* Index of the first range whose last is >= @index (m->nr if none). */
static size_t first_ending_at_or_after(const struct model *m,
				       unsigned long index)
{
	size_t lo = 0, hi = m->nr;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (m->r[mid].last < index)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Index of the first range whose first is > @index (m->nr if none). */
static size_t first_starting_after(const struct model *m, unsigned long index)
{
	size_t lo = 0, hi = m->nr;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (m->r[mid].first <= index)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

int model_store_range(struct model *m, unsigned long first,
		      unsigned long last, void *entry)
{
	struct model_range piece[3];
	size_t lo, hi, n = 0, old;

	if (first > last)
		return -EINVAL;

	/* Ranges [lo, hi) overlap [first, last]. */
	lo = first_ending_at_or_after(m, first);
	hi = first_starting_after(m, last);
	if (hi < lo)
		hi = lo;

	if (lo < hi && m->r[lo].first < first) {
		piece[n].first = m->r[lo].first;
		piece[n].last = first - 1;
		piece[n].entry = m->r[lo].entry;
		n++;
	}
	if (entry) {
		piece[n].first = first;
		piece[n].last = last;
		piece[n].entry = entry;
		n++;
	}
	if (lo < hi && m->r[hi - 1].last > last) {
		piece[n].first = last + 1;
		piece[n].last = m->r[hi - 1].last;
		piece[n].entry = m->r[hi - 1].entry;
		n++;
	}

	old = hi - lo;
	if (n > old)
		model_reserve(m, m->nr + n - old);
	if (n != old && hi < m->nr)
		memmove(&m->r[lo + n], &m->r[hi],
			(m->nr - hi) * sizeof(*m->r));
	m->nr = m->nr + n - old;
	if (n)
		memcpy(&m->r[lo], piece, n * sizeof(*piece));
	return 0;
}

const struct model_range *model_lookup(const struct model *m,
				       unsigned long index)
{
	size_t i = first_ending_at_or_after(m, index);

	if (i < m->nr && m->r[i].first <= index)
		return &m->r[i];
	return NULL;
}

void *model_load(const struct model *m, unsigned long index)
{
	const struct model_range *r = model_lookup(m, index);

	return r ? r->entry : NULL;
}

void *model_walk(const struct model *m, unsigned long index,
		 unsigned long *first, unsigned long *last)
{
	size_t i = first_ending_at_or_after(m, index);

	if (i < m->nr && m->r[i].first <= index) {
		*first = m->r[i].first;
		*last = m->r[i].last;
		return m->r[i].entry;
	}
	/* In the gap between range i - 1 and range i. */
	*first = i ? m->r[i - 1].last + 1 : 0;
	*last = i < m->nr ? m->r[i].first - 1 : ULONG_MAX;
	return NULL;
}

const struct model_range *model_find(const struct model *m,
				     unsigned long index, unsigned long max)
{
	size_t i;

	if (index > max)
		return NULL;
	i = first_ending_at_or_after(m, index);
	if (i < m->nr && m->r[i].first <= max)
		return &m->r[i];
	return NULL;
}

const struct model_range *model_next(const struct model *m,
				     unsigned long index, unsigned long max)
{
	size_t i = first_starting_after(m, index);

	if (i < m->nr && m->r[i].first <= max)
		return &m->r[i];
	return NULL;
}

const struct model_range *model_prev(const struct model *m,
				     unsigned long index, unsigned long min)
{
	size_t i;

	if (index <= min)
		return NULL;
	/* Ranges [0, i) end before @index. */
	i = first_ending_at_or_after(m, index);
	if (i && m->r[i - 1].last >= min)
		return &m->r[i - 1];
	return NULL;
}

const struct model_range *model_find_rev(const struct model *m,
					 unsigned long index,
					 unsigned long min)
{
	size_t i;

	if (index < min)
		return NULL;
	/* Ranges [0, i) start at or before @index. */
	i = first_starting_after(m, index);
	if (i && m->r[i - 1].last >= min)
		return &m->r[i - 1];
	return NULL;
}

static int check_area_args(unsigned long min, unsigned long max,
			   unsigned long size)
{
	if (min > max)
		return -EINVAL;
	if (size == 0 || max - min < size - 1)
		return -EINVAL;
	return 0;
}

int model_empty_area(const struct model *m, unsigned long min,
		     unsigned long max, unsigned long size,
		     unsigned long *index, unsigned long *last)
{
	unsigned long cur = min;	/* lowest index not yet ruled out */
	size_t i;
	int ret;

	ret = check_area_args(min, max, size);
	if (ret)
		return ret;

	i = first_ending_at_or_after(m, min);
	for (;;) {
		unsigned long gap_end, end;

		if (i < m->nr && m->r[i].first <= cur) {
			/* cur is covered: skip past the range. */
			if (m->r[i].last >= max)
				return -EBUSY;
			cur = m->r[i].last + 1;
			i++;
			continue;
		}
		gap_end = i < m->nr ? m->r[i].first - 1 : ULONG_MAX;
		end = gap_end < max ? gap_end : max;
		if (end - cur >= size - 1) {
			*index = cur;
			*last = cur + size - 1;
			return 0;
		}
		if (gap_end >= max)
			return -EBUSY;
		cur = gap_end + 1;	/* the start of range i */
	}
}

int model_empty_area_rev(const struct model *m, unsigned long min,
			 unsigned long max, unsigned long size,
			 unsigned long *index, unsigned long *last)
{
	unsigned long cur = max;	/* highest index not yet ruled out */
	size_t i;
	int ret;

	ret = check_area_args(min, max, size);
	if (ret)
		return ret;

	/* Ranges [0, i) start at or before max. */
	i = first_starting_after(m, max);
	for (;;) {
		unsigned long gap_start, start;

		if (i && m->r[i - 1].last >= cur) {
			/* cur is covered: skip below the range. */
			if (m->r[i - 1].first <= min)
				return -EBUSY;
			cur = m->r[i - 1].first - 1;
			i--;
			continue;
		}
		gap_start = i ? m->r[i - 1].last + 1 : 0;
		start = gap_start > min ? gap_start : min;
		if (cur - start >= size - 1) {
			*last = cur;
			*index = cur - size + 1;
			return 0;
		}
		if (gap_start <= min)
			return -EBUSY;
		cur = gap_start - 1;	/* the end of range i - 1 */
	}
}

void *model_erase(struct model *m, unsigned long index,
		  unsigned long *first, unsigned long *last)
{
	size_t i = first_ending_at_or_after(m, index);
	void *entry;

	if (i >= m->nr || m->r[i].first > index)
		return NULL;
	entry = m->r[i].entry;
	if (first)
		*first = m->r[i].first;
	if (last)
		*last = m->r[i].last;
	memmove(&m->r[i], &m->r[i + 1], (m->nr - i - 1) * sizeof(*m->r));
	m->nr--;
	return entry;
}

bool model_overlaps(const struct model *m, unsigned long first,
		    unsigned long last)
{
	size_t i = first_ending_at_or_after(m, first);

	return i < m->nr && m->r[i].first <= last;
}

int model_insert_range(struct model *m, unsigned long first,
		       unsigned long last, void *entry)
{
	if (first > last)
		return -EINVAL;
	if (model_overlaps(m, first, last))
		return -EEXIST;
	return model_store_range(m, first, last, entry);
}

void model_dump(const struct model *m, size_t max_ranges)
{
	size_t i;

	fprintf(stderr, "model: %zu ranges\n", m->nr);
	for (i = 0; i < m->nr && i < max_ranges; i++)
		fprintf(stderr, "  [%lu, %lu] %p\n", m->r[i].first,
			m->r[i].last, m->r[i].entry);
	if (i < m->nr)
		fprintf(stderr, "  ...\n");
}

/* Pass 1: every non-NULL range, in order, through mas_find(). */
static int compare_entries(const struct model *m, struct maple_tree *mt)
{
	MA_STATE(mas, mt, 0, 0);
	size_t i = 0;
	void *entry;

	mas_for_each(&mas, entry, ULONG_MAX) {
		const struct model_range *r = model_at(m, i);

		if (!r) {
			fprintf(stderr,
				"compare: tree has extra range [%lu, %lu] %p after %zu model ranges\n",
				mas.index, mas.last, entry, m->nr);
			return -1;
		}
		if (mas.index != r->first || mas.last != r->last ||
		    entry != r->entry) {
			fprintf(stderr,
				"compare: range %zu: tree [%lu, %lu] %p, model [%lu, %lu] %p\n",
				i, mas.index, mas.last, entry, r->first,
				r->last, r->entry);
			return -1;
		}
		i++;
	}
	if (i != m->nr) {
		const struct model_range *r = model_at(m, i);

		fprintf(stderr,
			"compare: tree ends after %zu ranges, model has %zu; first missing [%lu, %lu] %p\n",
			i, m->nr, r->first, r->last, r->entry);
		return -1;
	}
	return 0;
}

/*
 * Pass 2: the whole index space, range by range including NULL ranges,
 * through mas_walk() and mas_next_range().  Checks that every NULL range is
 * a maximal gap between two model ranges.
 */
static int compare_partition(const struct model *m, struct maple_tree *mt)
{
	MA_STATE(mas, mt, 0, 0);
	unsigned long exp_first = 0, exp_last;
	void *exp_entry, *entry;
	size_t i = 0, steps = 0;

	entry = mas_walk(&mas);
	for (;;) {
		const struct model_range *r = model_at(m, i);

		/* The expected piece starting at exp_first. */
		if (r && r->first == exp_first) {
			exp_last = r->last;
			exp_entry = r->entry;
			i++;
		} else {
			exp_last = r ? r->first - 1 : ULONG_MAX;
			exp_entry = NULL;
		}
		if (mas.index != exp_first || mas.last != exp_last ||
		    entry != exp_entry) {
			fprintf(stderr,
				"compare: piece %zu of the index space: tree [%lu, %lu] %p, expected [%lu, %lu] %p%s\n",
				steps, mas.index, mas.last, entry, exp_first,
				exp_last, exp_entry,
				!entry && !exp_entry ?
				" (NULL ranges not maximal?)" : "");
			return -1;
		}
		if (exp_last == ULONG_MAX)
			break;
		exp_first = exp_last + 1;
		steps++;
		if (steps > 2 * m->nr + 2) {
			fprintf(stderr, "compare: mas_next_range runs on\n");
			return -1;
		}
		entry = mas_next_range(&mas, ULONG_MAX);
	}
	return 0;
}

int model_compare_tree(const struct model *m, struct maple_tree *mt)
{
	int ret;

	mt_rcu_read_lock();
	ret = compare_entries(m, mt);
	if (!ret)
		ret = compare_partition(m, mt);
	mt_rcu_read_unlock();
	return ret;
}

#ifdef MODEL_SELFTEST
/*
 * Self-test of the model alone (no tree needed), e.g.:
 *   gcc -std=gnu11 -DMODEL_SELFTEST -I include tests/mtree/model.c \
 *       -o /tmp/model_selftest
 * It links without libmtree only because model_compare_tree() is stubbed
 * below.
 */
#include <assert.h>


void mt_rcu_read_lock(void)
{
}

void mt_rcu_read_unlock(void)
{
}

void *mas_find(struct ma_state *mas, unsigned long max)
{
	(void)mas;
	(void)max;
	return NULL;
}

void *mas_walk(struct ma_state *mas)
{
	(void)mas;
	return NULL;
}

void *mas_next_range(struct ma_state *mas, unsigned long max)
{
	(void)mas;
	(void)max;
	return NULL;
}

#define SELF_SPACE	512

/* Brute force over a small index space, one slot per index. */
static void *brute[SELF_SPACE];

static void brute_store(unsigned long first, unsigned long last, void *e)
{
	unsigned long i;

	for (i = first; i <= last; i++)
		brute[i] = e;
}

static unsigned long self_rng = 88172645463325252UL;

static unsigned long self_rand(void)
{
	self_rng ^= self_rng << 13;
	self_rng ^= self_rng >> 7;
	self_rng ^= self_rng << 17;
	return self_rng;
}

/* Lowest/highest run of NULL of @size in brute[min..max]. */
static int brute_area(unsigned long min, unsigned long max,
		      unsigned long size, bool rev, unsigned long *index)
{
	unsigned long i, run = 0;

	if (min > max || size == 0 || max - min < size - 1)
		return -EINVAL;
	if (!rev) {
		for (i = min; i <= max; i++) {
			run = brute[i] ? 0 : run + 1;
			if (run == size) {
				/* Lowest start: the start of this gap. */
				*index = i - size + 1;
				return 0;
			}
		}
	} else {
		for (i = max + 1; i-- > min;) {
			run = brute[i] ? 0 : run + 1;
			if (run == size) {
				*index = i + size - 1;	/* the last */
				return 0;
			}
		}
	}
	return -EBUSY;
}

static void self_check(struct model *m)
{
	unsigned long i, f, l;
	size_t k;

	/* Ranges sorted, disjoint, inside the space, non-NULL. */
	for (k = 0; k < m->nr; k++) {
		assert(m->r[k].entry);
		assert(m->r[k].first <= m->r[k].last);
		assert(m->r[k].last < SELF_SPACE);
		if (k)
			assert(m->r[k - 1].last < m->r[k].first);
	}
	for (i = 0; i < SELF_SPACE; i++) {
		void *e = model_walk(m, i, &f, &l);

		assert(model_load(m, i) == brute[i]);
		assert(e == brute[i]);
		assert(f <= i && i <= l);
		if (!e) {
			assert(f == 0 || brute[f - 1]);
			assert(l == ULONG_MAX || l >= SELF_SPACE ||
			       brute[l + 1]);
		}
	}
}

static void self_queries(struct model *m)
{
	unsigned long a = self_rand() % SELF_SPACE;
	unsigned long b = self_rand() % SELF_SPACE;
	unsigned long size = 1 + self_rand() % 40;
	const struct model_range *r;
	unsigned long idx, last, bidx, i;
	int ret, bret;

	/* find */
	r = model_find(m, a, b);
	for (i = a; a <= b && i <= b; i++)
		if (brute[i])
			break;
	if (a > b || i > b) {
		/* Nothing starts in [a, b]; a range covering a also counts. */
		assert(!r || (a <= b && r->first <= a));
	} else {
		assert(r && r->first <= i && i <= r->last);
	}
	/* next: first range starting after a, up to b. */
	r = model_next(m, a, b);
	if (r) {
		assert(r->first > a && r->first <= b);
		for (i = a + 1; i < r->first; i++)
			assert(!brute[i] || model_lookup(m, i)->first <= a);
	}
	/* prev */
	r = model_prev(m, a, b);
	if (r) {
		assert(r->last < a && r->last >= b);
		for (i = r->last + 1; i < a; i++)
			assert(!brute[i] || model_lookup(m, i)->last >= a);
	}
	/* empty areas */
	ret = model_empty_area(m, a, b, size, &idx, &last);
	bret = brute_area(a, b, size, false, &bidx);
	assert(ret == bret);
	if (!ret) {
		assert(idx == bidx && last == idx + size - 1);
		assert(idx >= a && last <= b);
	}
	ret = model_empty_area_rev(m, a, b, size, &idx, &last);
	bret = brute_area(a, b, size, true, &bidx);
	assert(ret == bret);
	if (!ret) {
		assert(last == bidx && idx == last - size + 1);
		assert(idx >= a && last <= b);
	}
}

static long self_objs[8];

int main(void)
{
	struct model m;
	unsigned long n, first, last;
	int ret;

	model_init(&m);
	for (n = 0; n < 200000; n++) {
		unsigned long op = self_rand() % 10;
		void *e = (self_rand() & 1) ? &self_objs[self_rand() % 8] :
					      xa_mk_value(self_rand() % 100);

		first = self_rand() % SELF_SPACE;
		last = first + self_rand() % (op < 2 ? 200 : 8);
		if (last >= SELF_SPACE)
			last = SELF_SPACE - 1;
		if (op < 5) {
			if (op == 0)
				e = NULL;
			ret = model_store_range(&m, first, last, e);
			assert(!ret);
			brute_store(first, last, e);
		} else if (op < 7) {
			unsigned long f = 0, l = 0;
			void *old = model_erase(&m, first, &f, &l);

			assert(old == brute[first]);
			if (old) {
				assert(f <= first && first <= l);
				brute_store(f, l, NULL);
			}
		} else if (op < 8) {
			bool busy = false;
			unsigned long i;

			for (i = first; i <= last; i++)
				busy |= brute[i] != NULL;
			ret = model_insert_range(&m, first, last, e);
			assert(ret == (busy ? -EEXIST : 0));
			if (!ret)
				brute_store(first, last, e);
		} else {
			self_queries(&m);
		}
		assert(model_store_range(&m, 5, 4, e) == -EINVAL);
		if (n % 97 == 0)
			self_check(&m);
		if (n % 50000 == 49999) {
			model_clear(&m);
			brute_store(0, SELF_SPACE - 1, NULL);
		}
	}
	/* Extremes of the index space. */
	model_clear(&m);
	assert(!model_store_range(&m, ULONG_MAX, ULONG_MAX, &self_objs[0]));
	assert(!model_store_range(&m, 0, 0, &self_objs[1]));
	assert(model_find(&m, 1, ULONG_MAX)->first == ULONG_MAX);
	assert(!model_empty_area(&m, 0, ULONG_MAX, 10, &first, &last));
	assert(first == 1 && last == 10);
	assert(!model_empty_area_rev(&m, 0, ULONG_MAX, 10, &first, &last));
	assert(last == ULONG_MAX - 1 && first == ULONG_MAX - 10);
	assert(model_empty_area(&m, 0, 0, 1, &first, &last) == -EBUSY);
	assert(model_empty_area(&m, 5, 4, 1, &first, &last) == -EINVAL);
	assert(model_empty_area(&m, 0, 9, 11, &first, &last) == -EINVAL);
	assert(model_empty_area(&m, 0, 9, 0, &first, &last) == -EINVAL);
	assert(!model_empty_area(&m, 0, ULONG_MAX, ULONG_MAX - 1, &first,
				 &last));
	assert(first == 1 && last == ULONG_MAX - 1);
	assert(model_empty_area(&m, 0, ULONG_MAX, ULONG_MAX, &first,
				&last) == -EBUSY);
	assert(!model_store_range(&m, 0, ULONG_MAX, &self_objs[2]));
	assert(model_count(&m) == 1);
	assert(!model_store_range(&m, 100, 199, NULL));
	assert(model_count(&m) == 2);
	assert(model_walk(&m, 150, &first, &last) == NULL);
	assert(first == 100 && last == 199);
	assert(model_prev(&m, ULONG_MAX, 0)->first == 0);
	assert(model_prev(&m, 200, 0)->first == 0);
	assert(model_prev(&m, 200, 100) == NULL);
	assert(model_find_rev(&m, 150, 0)->first == 0);
	assert(model_find_rev(&m, 150, 100) == NULL);
	assert(model_find_rev(&m, 200, 100)->first == 200);
	model_destroy(&m);
	printf("model selftest: ok\n");
	return 0;
}
#endif /* MODEL_SELFTEST */
