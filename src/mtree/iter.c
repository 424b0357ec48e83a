/* SPDX-License-Identifier: MIT */
/*
 * iter.c - moving a maple state forwards and backwards: mas_find,
 * mas_next, mas_prev and their range and reverse forms, and the normal-API
 * iterators built on them (mt_find, mt_next, mt_prev).
 *
 * Coding conventions in this file:
 *  @mas:   the maple state; after an entry is returned, mas->index and
 *          mas->last hold its range (inclusive) and the state is ma_active
 *  @from:  the index a step starts looking at
 *  @limit: the last index (forwards) or first index (backwards) to look at
 *  @empty: true for the *_range forms, which also stop at NULL ranges
 *
 * DOC: Stepping between leaves
 *
 * Nodes keep no sibling links.  Within a leaf a step moves to the next or
 * previous slot; at a leaf's edge the state walks from the root again to
 * the index just past the edge (mas->max + 1 or mas->min - 1).  That costs
 * one descent per leaf, not per entry.  If the leaf was replaced by a
 * writer meanwhile (RCU), the step walks again from the current position.
 *
 * A tree whose only entry is a root value behaves as if it had one leaf
 * with the entry at [0, 0] and a gap over [1, ULONG_MAX].
 */
#include "internal.h"

/* Position @mas on the slot holding @index; returns its entry and sets the
 * range in first and last (the virtual layout for root-value trees). */
static void *mas_iter_seek(struct ma_state *mas, unsigned long index,
			   unsigned long *first, unsigned long *last)
{
	return mas_descend(mas, index, first, last);
}

/* Step to the neighbouring slot in the given direction.  Returns false if
 * there is none (the walk hit 0 or ULONG_MAX). */
static bool mas_iter_step(struct ma_state *mas, bool forward, void **entry,
			  unsigned long *first, unsigned long *last)
{
	unsigned long from;

	if (forward) {
		if (*last == ULONG_MAX)
			return false;
		from = *last + 1;
	} else {
		if (*first == 0)
			return false;
		from = *first - 1;
	}

	if (mas->status == ma_active && mas->gen == mt_gen(mas->tree)) {
		bool inside = forward ? mas->offset < mas->end : mas->offset > 0;

		if (inside) {
			/*
			 * Range (pivots) before entry before the alive check:
			 * the order RCU slot stores are written in reverse.
			 * The near edge is the previous range's edge, not a
			 * pivot read again: a boundary an RCU slot store moves
			 * meanwhile can then make ranges overlap but never
			 * skip indices.  A torn read that makes no sense falls
			 * back to a walk.
			 */
			mas->offset += forward ? 1 : -1;
			mas_slot_range(mas, first, last);
			if (forward)
				*first = from;
			else
				*last = from;
			*entry = mas_slot_entry(mas);
			if (*first <= *last && mas_node_alive(mas))
				return true;
		}
	}
	*entry = mas_iter_seek(mas, from, first, last);
	return true;
}

/* The core of every iterator: starting with the slot holding @from,
 * return the first entry (or range, with @empty) in the direction of
 * travel, within @limit. */
static void *mas_iter(struct ma_state *mas, unsigned long from,
		      unsigned long limit, bool forward, bool empty, bool skip_first)
{
	unsigned long first, last;
	void *entry = mas_iter_seek(mas, from, &first, &last);

	/* A range search that starts in a gap reports the range after it. */
	if ((skip_first || (empty && !entry)) &&
	    !mas_iter_step(mas, forward, &entry, &first, &last))
		goto out_of_range;

	for (;;) {
		if (forward ? first > limit : last < limit)
			goto out_of_range;
		if (entry || empty) {
			mas->index = first;
			mas->last = last;
			mas->status = mas->node ? ma_active : ma_none;
			return entry;
		}
		if (!mas_iter_step(mas, forward, &entry, &first, &last))
			goto out_of_range;
	}

out_of_range:
	mas->status = forward ? ma_overflow : ma_underflow;
	return NULL;
}

/* Range iteration from an entry: the very next range, NULL or not. */
static void *mas_iter_ranges(struct ma_state *mas, unsigned long from,
			     unsigned long limit, bool forward)
{
	unsigned long first, last;
	void *entry = mas_iter_seek(mas, from, &first, &last);

	if (forward ? first > limit : last < limit) {
		mas->status = forward ? ma_overflow : ma_underflow;
		return NULL;
	}
	mas->index = first;
	mas->last = last;
	mas->status = mas->node ? ma_active : ma_none;
	return entry;
}

/*
 * Where the next forward step starts.  Returns false when the state is
 * already at or past @max (nothing more to find).
 */
static bool mas_next_from(struct ma_state *mas, unsigned long max,
			  unsigned long *from, bool *seek_current)
{
	*seek_current = false;
	switch (mas->status) {
	case ma_start:
		*from = mas->index;
		*seek_current = true;
		return mas->index <= max;
	case ma_error:
		return false;
	case ma_underflow:
		*from = mas->index;
		*seek_current = true;
		return mas->index <= max;
	default:	/* active, root, none, pause, overflow */
		if (mas->last >= max)
			return false;
		*from = mas->last + 1;
		*seek_current = true;
		return true;
	}
}

static bool mas_prev_from(struct ma_state *mas, unsigned long min,
			  unsigned long *from, bool *seek_current)
{
	*seek_current = false;
	switch (mas->status) {
	case ma_start:
	case ma_overflow:
		*from = mas->index;
		*seek_current = true;
		return mas->index >= min;
	case ma_error:
		return false;
	default:	/* active, root, none, pause, underflow */
		if (mas->index <= min)
			return false;
		*from = mas->index - 1;
		*seek_current = true;
		return true;
	}
}

/*
 * From an active state whose slot still spans the current range, step to
 * the neighbouring slot without walking.  Returns false (and does nothing)
 * if the state is not positioned like that.
 */
static bool mas_iter_continue(struct ma_state *mas, unsigned long limit,
			      bool forward, bool empty, void **ret)
{
	unsigned long first, last;
	void *entry;

	if (mas->status != ma_active || !mas->node || mas->gen != mt_gen(mas->tree))
		return false;
	mas_slot_range(mas, &first, &last);
	if (first != mas->index || last != mas->last || !mas_node_alive(mas))
		return false;

	for (;;) {
		if (!mas_iter_step(mas, forward, &entry, &first, &last) ||
		    (forward ? first > limit : last < limit)) {
			mas->status = forward ? ma_overflow : ma_underflow;
			*ret = NULL;
			return true;
		}
		if (entry || empty) {
			mas->index = first;
			mas->last = last;
			mas->status = mas->node ? ma_active : ma_none;
			*ret = entry;
			return true;
		}
	}
}

static void *mas_find_dir(struct ma_state *mas, unsigned long limit,
			  bool forward, bool empty)
{
	unsigned long from;
	void *entry;
	bool seek;
	bool ok = forward ? mas_next_from(mas, limit, &from, &seek) :
			    mas_prev_from(mas, limit, &from, &seek);

	if (ok && mas_iter_continue(mas, limit, forward, empty, &entry))
		return entry;

	if (!ok) {
		if (mas->status != ma_error)
			mas->status = forward ? ma_overflow : ma_underflow;
		return NULL;
	}
	/* Only a search from ma_start/ma_pause may begin in a gap and skip
	 * it; after an entry, the next range is reported even if NULL. */
	if (empty && mas->status != ma_start && mas->status != ma_pause &&
	    mas->status != ma_underflow && mas->status != ma_overflow)
		return mas_iter_ranges(mas, from, limit, forward);
	return mas_iter(mas, from, limit, forward, empty, false);
}

/* mas_next/mas_prev from ma_start first position on mas->index and then
 * step past the slot holding it. */
static void *mas_step_dir(struct ma_state *mas, unsigned long limit,
			  bool forward, bool empty)
{
	if (mas->status == ma_start) {
		if (forward ? mas->index > limit : mas->index < limit) {
			mas->status = forward ? ma_overflow : ma_underflow;
			return NULL;
		}
		return mas_iter(mas, mas->index, limit, forward, empty, true);
	}
	return mas_find_dir(mas, limit, forward, empty);
}

/**
 * mas_find - the first entry at or after the current position, up to @max.
 * @mas: the maple state.  From ma_start or ma_pause: looks at mas->index
 *	onwards; after a found entry: looks after mas->last.
 * @max: the highest index to consider.
 *
 * Context: rcu_read_lock() or the write lock.
 * Return: the entry (mas->index/last set to its range), or NULL with the
 * state ma_overflow.  XA_ZERO_ENTRY is returned as it is.
 */
void *mas_find(struct ma_state *mas, unsigned long max)
{
	return mas_find_dir(mas, max, true, false);
}

/**
 * mas_find_range - like mas_find(), but also stops at NULL ranges.
 * @mas: the maple state
 * @max: the highest index to consider
 *
 * Context: rcu_read_lock() or the write lock.
 * Return: the entry of the next range (possibly NULL); ma_overflow past @max.
 */
void *mas_find_range(struct ma_state *mas, unsigned long max)
{
	return mas_find_dir(mas, max, true, true);
}

/**
 * mas_find_rev - the last entry at or before the current position, down to
 * @min.
 * @mas: the maple state.  From ma_start: looks at mas->index downwards;
 *	after a found entry: looks before mas->index.
 * @min: the lowest index to consider.
 *
 * Context: rcu_read_lock() or the write lock.
 * Return: the entry, or NULL with the state ma_underflow.
 */
void *mas_find_rev(struct ma_state *mas, unsigned long min)
{
	return mas_find_dir(mas, min, false, false);
}

/**
 * mas_find_range_rev - like mas_find_rev(), but also stops at NULL ranges.
 * @mas: the maple state
 * @min: the lowest index to consider
 *
 * Context: rcu_read_lock() or the write lock.
 * Return: the entry of the previous range (possibly NULL).
 */
void *mas_find_range_rev(struct ma_state *mas, unsigned long min)
{
	return mas_find_dir(mas, min, false, true);
}

/**
 * mas_next - the next entry after the current one, up to @max.
 * @mas: the maple state.  From ma_start it first positions on mas->index,
 *	so the entry holding mas->index itself is skipped.
 * @max: the highest index to consider.
 *
 * Context: rcu_read_lock() or the write lock.
 * Return: the entry, or NULL (ma_overflow).  May return XA_ZERO_ENTRY.
 */
void *mas_next(struct ma_state *mas, unsigned long max)
{
	return mas_step_dir(mas, max, true, false);
}

/**
 * mas_next_range - the next range after the current one, NULL or not.
 * @mas: the maple state
 * @max: the highest index to consider
 *
 * Context: rcu_read_lock() or the write lock.
 * Return: the range's entry (possibly NULL); ma_overflow past @max.
 */
void *mas_next_range(struct ma_state *mas, unsigned long max)
{
	return mas_step_dir(mas, max, true, true);
}

/**
 * mas_prev - the previous entry before the current one, down to @min.
 * @mas: the maple state.  From ma_start it first positions on mas->index,
 *	so the entry holding mas->index itself is skipped.
 * @min: the lowest index to consider.
 *
 * Context: rcu_read_lock() or the write lock.
 * Return: the entry, or NULL (ma_underflow).
 */
void *mas_prev(struct ma_state *mas, unsigned long min)
{
	return mas_step_dir(mas, min, false, false);
}

/**
 * mas_prev_range - the previous range before the current one, NULL or not.
 * @mas: the maple state
 * @min: the lowest index to consider
 *
 * Context: rcu_read_lock() or the write lock.
 * Return: the range's entry (possibly NULL); ma_underflow below @min.
 */
void *mas_prev_range(struct ma_state *mas, unsigned long min)
{
	return mas_step_dir(mas, min, false, true);
}

/**
 * mas_pause - prepare a state for dropping the lock mid-iteration.
 * @mas: the maple state
 *
 * The state forgets its node; the next mas_find()/mas_next() continues
 * after mas->last and the next mas_prev() before mas->index, walking from
 * the root.  Use it before storing through another state, or before
 * leaving the read-side critical section, during an iteration.
 * Context: any.
 */
void mas_pause(struct ma_state *mas)
{
	if (mas->status == ma_error)
		return;
	mas->status = ma_pause;
	mas->node = NULL;
}

/**
 * mt_find - search for an entry from *@index up to @max.
 * @mt: the tree
 * @index: in: the first index to look at; out: one past the entry's range
 *	(the range's last index + 1, 0 after ULONG_MAX)
 * @max: the highest index to look at
 *
 * XA_ZERO_ENTRY is skipped.  Context: takes the RCU read lock.
 * Return: the entry, or NULL.
 */
void *mt_find(struct maple_tree *mt, unsigned long *index, unsigned long max)
{
	MA_STATE(mas, mt, *index, *index);
	void *entry;

	if (*index > max)
		return NULL;
	mt_rcu_read_lock();
	do {
		entry = mas_find(&mas, max);
	} while (xa_is_zero(entry));
	mt_rcu_read_unlock();
	if (entry)
		*index = mas.last + 1;
	return entry;
}

/**
 * mt_find_after - mt_find() that refuses to wrap around.
 * @mt: the tree
 * @index: as for mt_find(); 0 (a previous search ended at ULONG_MAX)
 *	means there is nothing more
 * @max: the highest index to look at
 *
 * Context: takes the RCU read lock.
 * Return: the entry, or NULL.
 */
void *mt_find_after(struct maple_tree *mt, unsigned long *index,
		    unsigned long max)
{
	if (!*index)
		return NULL;
	return mt_find(mt, index, max);
}

/**
 * mt_next - the next entry after @index, up to @max.
 * @mt: the tree
 * @index: the index to start after (the entry holding it is skipped)
 * @max: the highest index to look at
 *
 * Context: takes the RCU read lock.
 * Return: the entry, or NULL.
 */
void *mt_next(struct maple_tree *mt, unsigned long index, unsigned long max)
{
	MA_STATE(mas, mt, index, index);
	void *entry;

	mt_rcu_read_lock();
	entry = mas_next(&mas, max);
	mt_rcu_read_unlock();
	return entry;
}

/**
 * mt_prev - the previous entry before @index, down to @min.
 * @mt: the tree
 * @index: the index to start before (the entry holding it is skipped)
 * @min: the lowest index to look at
 *
 * Context: takes the RCU read lock.
 * Return: the entry, or NULL.
 */
void *mt_prev(struct maple_tree *mt, unsigned long index, unsigned long min)
{
	MA_STATE(mas, mt, index, index);
	void *entry;

	mt_rcu_read_lock();
	entry = mas_prev(&mas, min);
	mt_rcu_read_unlock();
	return entry;
}
