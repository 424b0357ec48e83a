/* SPDX-License-Identifier: MIT */
/*
 * rcu.h - the read-side RCU calls a user of the advanced API needs.
 *
 * libmtree uses liburcu's bulletproof flavour (urcu-bp): threads register
 * themselves on their first read-side critical section, so no set-up call
 * is needed in any thread.  These wrappers keep liburcu's headers out of
 * users' translation units.
 */
#ifndef MTREE_RCU_H
#define MTREE_RCU_H

#ifdef __cplusplus
extern "C" {
#endif

/** mt_rcu_read_lock - enter an RCU read-side critical section (nests). */
void mt_rcu_read_lock(void);
/** mt_rcu_read_unlock - leave an RCU read-side critical section. */
void mt_rcu_read_unlock(void);
/**
 * mt_rcu_barrier - wait until every node queued for freeing after a grace
 * period has been freed.  Context: not inside a read-side section.
 */
void mt_rcu_barrier(void);

#define rcu_read_lock()		mt_rcu_read_lock()
#define rcu_read_unlock()	mt_rcu_read_unlock()

#ifdef __cplusplus
}
#endif

#endif /* MTREE_RCU_H */
