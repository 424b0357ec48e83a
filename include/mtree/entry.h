/* SPDX-License-Identifier: MIT */
/*
 * entry.h - what may be stored in a maple tree, and the reserved encodings.
 *
 * An entry is a pointer-sized value.  Its two low bits classify it:
 *   x0  an ordinary pointer (aligned to at least 4 bytes);
 *   x1  a value entry made by xa_mk_value(): an integer shifted left by one;
 *   10  an internal entry.  Internal entries below MAPLE_RESERVED_RANGE are
 *       reserved (XA_RETRY_ENTRY, XA_ZERO_ENTRY, ...); internal entries above
 *       it are encoded node pointers; those in the top 4095 are errors.
 * Storing a reserved internal entry through the normal API is -EINVAL,
 * with one exception kept from Linux: XA_ZERO_ENTRY may be stored and reads
 * back as NULL through mtree_load()/mt_find().
 */
#ifndef MTREE_ENTRY_H
#define MTREE_ENTRY_H

#include <stdbool.h>

#define MAPLE_RESERVED_RANGE	4096
#define MAX_ERRNO		4095

static inline void *xa_mk_value(unsigned long v)
{
	return (void *)((v << 1) | 1);
}

static inline unsigned long xa_to_value(const void *entry)
{
	return (unsigned long)entry >> 1;
}

static inline bool xa_is_value(const void *entry)
{
	return (unsigned long)entry & 1;
}

static inline void *xa_mk_internal(unsigned long v)
{
	return (void *)((v << 2) | 2);
}

static inline unsigned long xa_to_internal(const void *entry)
{
	return (unsigned long)entry >> 2;
}

static inline bool xa_is_internal(const void *entry)
{
	return ((unsigned long)entry & 3) == 2;
}

#define XA_RETRY_ENTRY	xa_mk_internal(256)
#define XA_ZERO_ENTRY	xa_mk_internal(257)

static inline bool xa_is_zero(const void *entry)
{
	return entry == XA_ZERO_ENTRY;
}

static inline bool xa_is_err(const void *entry)
{
	return xa_is_internal(entry) &&
	       (unsigned long)entry >= (unsigned long)xa_mk_internal(-MAX_ERRNO);
}

static inline int xa_err(const void *entry)
{
	if (xa_is_err(entry))
		return (int)((long)entry >> 2);
	return 0;
}

/**
 * xa_is_advanced - entries the normal API refuses to store.
 * @entry: the entry
 *
 * Return: true for internal entries up to and including XA_RETRY_ENTRY.
 */
static inline bool xa_is_advanced(const void *entry)
{
	return xa_is_internal(entry) &&
	       (unsigned long)entry <= (unsigned long)XA_RETRY_ENTRY;
}

/**
 * mt_is_reserved - internal entries that can never be stored by a user.
 * @entry: the entry
 *
 * Return: true for internal entries below MAPLE_RESERVED_RANGE.
 */
static inline bool mt_is_reserved(const void *entry)
{
	return (unsigned long)entry < MAPLE_RESERVED_RANGE &&
	       xa_is_internal(entry);
}

#endif /* MTREE_ENTRY_H */
