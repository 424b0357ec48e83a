/* SPDX-License-Identifier: MIT */
/*
 * rcu.c - libmtree's glue to liburcu: read-side lock wrappers, grace
 * periods, the callback barrier, and their ThreadSanitizer annotations.
 *
 * DOC: Which RCU
 *
 * libmtree uses liburcu's "bulletproof" flavour (urcu-bp).  A thread is
 * registered lazily by its first read-side lock, so neither the library nor
 * its users need a registration call in any thread, and a thread that exits
 * without unregistering is reclaimed by liburcu itself.  The price is a
 * slightly slower read-side lock than urcu-memb's, which a simulator can
 * afford.  Node frees after a grace period are queued with call_rcu() by
 * mt_node_free_rcu() (alloc.c) and run on liburcu's default call_rcu worker
 * thread.
 *
 * The names are the flavour's own (urcu_bp_*): this file includes
 * <urcu/urcu-bp.h> without liburcu's generic name map (rcu_read_lock,
 * call_rcu, ...), which would collide with the kernel-style macros of
 * <mtree/rcu.h>.  Nothing here defines _LGPL_SOURCE, so liburcu's LGPL code
 * is called through the shared library and never inlined into ours.
 *
 * Rules inherited from liburcu, checked in MT_DEBUG builds:
 *  - mt_synchronize_rcu() and mt_rcu_barrier() must not be called inside a
 *    read-side critical section (the first would deadlock; liburcu makes
 *    the second return at once with a warning, leaving callbacks pending);
 *  - mt_rcu_barrier() must not be called from an RCU callback (it would wait
 *    for itself); this one cannot be checked.
 */
#include <urcu/urcu-bp.h>

#include <assert.h>

#include <mtree/rcu.h>

#include "rcu_internal.h"

/*
 * TSan synchronisation object standing for "the end of some read-side
 * section": every read unlock releases it, everything that runs after a
 * grace period acquires it.  Never read or written, only its address is used.
 */
static char mt_rcu_tsan_readers;

#ifdef MT_DEBUG
#define mt_assert_not_reader()	assert(!urcu_bp_read_ongoing())
#else
#define mt_assert_not_reader()	do { } while (0)
#endif

/**
 * mt_rcu_read_lock - enter an RCU read-side critical section.
 *
 * Nests.  The first call in a thread registers the thread with liburcu-bp.
 *
 * Context: any thread.
 */
void mt_rcu_read_lock(void)
{
	urcu_bp_read_lock();
}

/**
 * mt_rcu_read_unlock - leave an RCU read-side critical section.
 *
 * Context: inside a section entered with mt_rcu_read_lock().
 */
void mt_rcu_read_unlock(void)
{
	mt_tsan_release(&mt_rcu_tsan_readers);
	urcu_bp_read_unlock();
}

/**
 * mt_rcu_barrier - wait for every RCU callback queued so far to finish.
 *
 * After it returns, every node passed to mt_node_free_rcu() before the call
 * (by any thread) has been freed, so mt_nodes_live() is exact.
 *
 * Context: outside any read-side critical section; never from an RCU
 * callback.
 */
void mt_rcu_barrier(void)
{
	mt_assert_not_reader();
	urcu_bp_barrier();
	mt_rcu_grace_period_done();
}

/**
 * mt_synchronize_rcu - wait for an RCU grace period.
 *
 * Context: outside any read-side critical section.
 */
void mt_synchronize_rcu(void)
{
	mt_assert_not_reader();
	urcu_bp_synchronize_rcu();
	mt_rcu_grace_period_done();
}

/**
 * mt_rcu_read_held - is the calling thread inside a read-side section?
 *
 * Return: true if it holds mt_rcu_read_lock().
 */
bool mt_rcu_read_held(void)
{
	return urcu_bp_read_ongoing() != 0;
}

/**
 * mt_rcu_grace_period_done - tell ThreadSanitizer a grace period ended.
 *
 * Context: after a grace period (in an RCU callback, or after
 * urcu_bp_synchronize_rcu()/urcu_bp_barrier() returned).
 */
void mt_rcu_grace_period_done(void)
{
	mt_tsan_acquire(&mt_rcu_tsan_readers);
}

#ifdef MT_TSAN
const char *__tsan_default_suppressions(void);

/**
 * __tsan_default_suppressions - suppressions built into TSan programs.
 *
 * liburcu is not instrumented, so TSan misses its internal synchronisation
 * and reports its own frees (rcu_barrier()'s completion records, freed by
 * the call_rcu worker) as races.  Ignore memory accesses of the allocator
 * interceptors called directly from liburcu.  This does not hide a race on
 * a node: nodes are freed by our callback, not by liburcu.
 *
 * A program that defines this hook itself must repeat these lines.
 *
 * Return: the suppression rules, one per line.
 */
const char *__tsan_default_suppressions(void)
{
	return "called_from_lib:liburcu-bp.so\n"
	       "called_from_lib:liburcu-common.so\n";
}
#endif
