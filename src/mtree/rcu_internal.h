/* SPDX-License-Identifier: MIT */
/*
 * rcu_internal.h - RCU calls shared between the files of src/mtree, beyond
 * the read-side wrappers of <mtree/rcu.h>.
 *
 * Owned by rcu.c.  Also carries the ThreadSanitizer annotations that make
 * liburcu's grace periods visible to TSan: liburcu is not instrumented, so
 * TSan cannot see that a grace period orders every earlier read-side
 * critical section before the callbacks that follow it.  We tell it:
 *
 *   reader thread                 writer thread           call_rcu worker
 *   mt_rcu_read_lock()
 *     ...loads from node...       unlink node
 *   mt_rcu_read_unlock()          mt_node_free_rcu(node)
 *     release(&gp)                  release(node)
 *                                                         acquire(&gp)
 *                                                         acquire(node)
 *                                                         free(node)
 *
 * Outside TSan builds every annotation is an empty inline function.
 */
#ifndef MTREE_RCU_INTERNAL_H
#define MTREE_RCU_INTERNAL_H

#include <stdbool.h>

/**
 * mt_synchronize_rcu - wait for an RCU grace period.
 *
 * Returns once every read-side critical section that had begun when it was
 * called has ended.  Does not wait for queued callbacks: see
 * mt_rcu_barrier() for that.
 *
 * Context: any thread, outside any read-side critical section.
 */
void mt_synchronize_rcu(void);

/**
 * mt_rcu_read_held - is the calling thread inside a read-side section?
 *
 * For debug assertions.  Registers the calling thread with liburcu-bp if it
 * was not registered yet.
 *
 * Return: true if mt_rcu_read_lock() is held (at any nesting depth).
 */
bool mt_rcu_read_held(void);

/**
 * mt_rcu_grace_period_done - note that a grace period has just ended.
 *
 * Called by code that runs after a grace period (an RCU callback, the
 * return of mt_synchronize_rcu()) before it touches memory readers may have
 * used.  Only does something under ThreadSanitizer (see the DOC above).
 */
void mt_rcu_grace_period_done(void);

#if defined(__SANITIZE_THREAD__)
#define MT_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define MT_TSAN 1
#endif
#endif

#ifdef MT_TSAN
/* From the TSan runtime (<sanitizer/tsan_interface.h>). */
void __tsan_acquire(void *addr);
void __tsan_release(void *addr);

static inline void mt_tsan_acquire(const void *addr)
{
	__tsan_acquire((void *)addr);
}

static inline void mt_tsan_release(const void *addr)
{
	__tsan_release((void *)addr);
}
#else
static inline void mt_tsan_acquire(const void *addr)
{
	(void)addr;
}

static inline void mt_tsan_release(const void *addr)
{
	(void)addr;
}
#endif

#endif /* MTREE_RCU_INTERNAL_H */
