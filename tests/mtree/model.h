/* SPDX-License-Identifier: MIT */
/*
 * model.h - a trivially correct reference model of a maple tree, for tests.
 *
 * The model is a sorted dynamic array of non-overlapping inclusive ranges
 * {first, last, entry}.  NULL is never stored: storing NULL over a span just
 * removes coverage.  Adjacent ranges are never merged, even when they hold
 * the same entry, because the maple tree keeps them apart as well.
 *
 * Every query mirrors the semantics of the corresponding tree call (Linux
 * maple tree semantics) so a test can compare results one for one:
 *
 *   model_load          mtree_load (raw entry; the caller maps XA_ZERO_ENTRY)
 *   model_find          mt_find / first mas_find
 *   model_next          mt_next / mas_next
 *   model_prev          mt_prev / mas_prev
 *   model_find_rev      first mas_find_rev
 *   model_walk          mas_walk (range or maximal gap around an index)
 *   model_empty_area    mas_empty_area
 *   model_empty_area_rev mas_empty_area_rev
 *   model_erase         mtree_erase / mas_erase
 *   model_insert_range  mtree_insert_range
 *
 * model_compare_tree() walks a real tree and reports the first difference.
 */
#ifndef VMASIM_TESTS_MTREE_MODEL_H
#define VMASIM_TESTS_MTREE_MODEL_H

#include <stdbool.h>
#include <stddef.h>

#include <mtree/maple_tree.h>

struct model_range {
	unsigned long first;
	unsigned long last;
	void *entry;
};

struct model {
	struct model_range *r;	/* sorted by first, never overlapping */
	size_t nr;		/* ranges in use */
	size_t cap;		/* ranges allocated */
};

void model_init(struct model *m);
void model_destroy(struct model *m);
void model_clear(struct model *m);
/* Deep copy of @src into @dst (initialised or not); aborts on ENOMEM. */
void model_copy(struct model *dst, const struct model *src);

static inline size_t model_count(const struct model *m)
{
	return m->nr;
}

/* The @i-th range in ascending order, NULL if @i is out of bounds. */
static inline const struct model_range *model_at(const struct model *m,
						 size_t i)
{
	return i < m->nr ? &m->r[i] : NULL;
}

/**
 * model_store_range - store @entry over [first, last].
 * Partially covered ranges are trimmed (a range that straddles the span is
 * split in two).  A NULL @entry only removes coverage.
 * Return: 0, or -EINVAL if @first > @last.
 */
int model_store_range(struct model *m, unsigned long first,
		      unsigned long last, void *entry);

/* Range containing @index, or NULL. */
const struct model_range *model_lookup(const struct model *m,
				       unsigned long index);

/* Entry at @index (raw: an XA_ZERO_ENTRY stays XA_ZERO_ENTRY) or NULL. */
void *model_load(const struct model *m, unsigned long index);

/**
 * model_walk - what mas_walk() reports for @index.
 * @first, @last: set to the range holding @index, or to the maximal gap
 *	around it (NULL coverage) when no range holds it.
 * Return: the entry, or NULL in a gap.
 */
void *model_walk(const struct model *m, unsigned long index,
		 unsigned long *first, unsigned long *last);

/**
 * model_find - the first range with last >= @index and first <= @max.
 * Return: NULL if none, or if @index > @max (as mt_find()).
 */
const struct model_range *model_find(const struct model *m,
				     unsigned long index, unsigned long max);

/* The first range with first > @index and first <= @max (mt_next()). */
const struct model_range *model_next(const struct model *m,
				     unsigned long index, unsigned long max);

/*
 * The last range with last < @index and last >= @min (mt_prev()).
 * NULL if @index <= @min.
 */
const struct model_range *model_prev(const struct model *m,
				     unsigned long index, unsigned long min);

/*
 * The last range with first <= @index and last >= @min (first call of
 * mas_find_rev()).  NULL if @index < @min.
 */
const struct model_range *model_find_rev(const struct model *m,
					 unsigned long index,
					 unsigned long min);

/**
 * model_empty_area - lowest free area of @size inside [min, max].
 * @index, @last: the area found: @index is the larger of the gap start and
 *	@min, @last = @index + @size - 1.
 * Return: 0, -EINVAL if @min > @max, @size == 0 or the window is smaller
 * than @size, -EBUSY if no gap of the window can hold @size.
 */
int model_empty_area(const struct model *m, unsigned long min,
		     unsigned long max, unsigned long size,
		     unsigned long *index, unsigned long *last);

/**
 * model_empty_area_rev - highest free area of @size inside [min, max].
 * @index, @last: @last is the smaller of the gap end and @max,
 *	@index = @last - @size + 1.
 * Return: as model_empty_area().
 */
int model_empty_area_rev(const struct model *m, unsigned long min,
			 unsigned long max, unsigned long size,
			 unsigned long *index, unsigned long *last);

/**
 * model_erase - remove the whole range containing @index.
 * @first, @last: if not NULL, set to the removed range (untouched if none).
 * Return: the removed entry, or NULL if @index is in a gap.
 */
void *model_erase(struct model *m, unsigned long index,
		  unsigned long *first, unsigned long *last);

/**
 * model_insert_range - store @entry over [first, last] if nothing is there.
 * Return: 0, -EINVAL if @first > @last, -EEXIST if any range overlaps.
 */
int model_insert_range(struct model *m, unsigned long first,
		       unsigned long last, void *entry);

/* True if any range overlaps [first, last]. */
bool model_overlaps(const struct model *m, unsigned long first,
		    unsigned long last);

/**
 * model_compare_tree - check that @mt holds exactly the ranges of @m.
 *
 * Walks @mt with the advanced API (mas_find() under mt_rcu_read_lock())
 * and compares every range and entry, then walks the whole index space with
 * mas_walk()/mas_next_range() and checks the NULL ranges are the maximal
 * gaps between the model's ranges.  Prints the first difference to stderr.
 *
 * Return: 0 if equal, -1 otherwise.
 */
int model_compare_tree(const struct model *m, struct maple_tree *mt);

/* Print the model (at most @max_ranges ranges) to stderr. */
void model_dump(const struct model *m, size_t max_ranges);

#endif /* VMASIM_TESTS_MTREE_MODEL_H */
